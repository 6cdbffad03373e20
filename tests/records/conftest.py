import pytest

from tests.invitations.helpers import AFTER_ROUND, DURING_ROUND


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def during_round(time_machine):
    time_machine.move_to(DURING_ROUND, tick=False)


@pytest.fixture
def after_round(time_machine):
    time_machine.move_to(AFTER_ROUND, tick=False)
