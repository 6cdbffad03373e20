import pytest

from tests.invitations.helpers import DURING_ROUND


@pytest.fixture
def during_round(time_machine):
    time_machine.move_to(DURING_ROUND, tick=False)
