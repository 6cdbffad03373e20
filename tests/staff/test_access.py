"""access.may_see_answers: the one rule for who sees each municipality's own answers."""

from arvio.staff.access import may_see_answers
from arvio.staff.models import Membership
from tests.factories import make_organizer


def test_it_shows_the_answers_to_evaluation_staff_only(staff, viewer, outsider, round):
    assert may_see_answers(staff, round)
    assert not may_see_answers(viewer, round)
    assert not may_see_answers(outsider, round)


def test_it_hides_the_answers_from_staff_whose_account_is_closed(staff, round):
    staff.is_active = False
    assert not may_see_answers(staff, round)


def test_it_hides_the_answers_from_staff_of_another_organizer(staff, round):
    round.organizer = make_organizer("other")
    round.save()
    assert not may_see_answers(staff, round)


def test_it_follows_the_role_in_the_rounds_own_organizer(viewer, round):
    other = make_organizer("other")
    Membership.objects.create(user=viewer, organizer=other, role=Membership.Role.STAFF)
    assert not may_see_answers(viewer, round)
    round.organizer = other
    round.save()
    assert may_see_answers(viewer, round)
