import io

import pytest
from django.conf import settings
from django.core.management import call_command

from arvio.surveys.models import Round
from tests.invitations.helpers import AFTER_ROUND, DURING_ROUND


@pytest.fixture(autouse=True)
def _english(client):
    """Pages in English, so that assertions read the msgids."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def demo_round(db) -> Round:
    """The county's 2024 round as `arvio demo` loads it: closed, six answers, the deck's three excerpts."""
    call_command("demo", "--no-publish", stdout=io.StringIO())
    return Round.objects.get(code="kuntakysely-2024")


@pytest.fixture
def during_round(time_machine):
    time_machine.move_to(DURING_ROUND, tick=False)


@pytest.fixture
def after_round(time_machine):
    time_machine.move_to(AFTER_ROUND, tick=False)
