import pytest

from arvio.invitations.status import Status, invitation_status


@pytest.mark.parametrize(
    "opened, has_draft, submitted, window_closed, expected",
    [
        (False, False, False, False, Status.NOT_OPENED),
        (True, False, False, False, Status.OPENED),
        (True, True, False, False, Status.DRAFT),
        (True, True, True, False, Status.SUBMITTED),
        (True, True, True, True, Status.SUBMITTED),
        (True, True, False, True, Status.NO_ANSWER),
        (False, False, False, True, Status.NO_ANSWER),
        # Imported responses were never opened through a link.
        (False, False, True, True, Status.SUBMITTED),
    ],
)
def test_it_computes_the_status(opened, has_draft, submitted, window_closed, expected):
    status = invitation_status(opened=opened, has_draft=has_draft, submitted=submitted, window_closed=window_closed)
    assert status is expected
    assert status.answered is (expected is Status.SUBMITTED)
