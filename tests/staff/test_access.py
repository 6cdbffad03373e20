"""access.may_see_answers: the one rule for who sees each municipality's own answers."""

from arvio.staff.access import may_see_answers


def test_it_shows_the_answers_to_evaluation_staff_only(staff, viewer, outsider):
    assert may_see_answers(staff)
    assert not may_see_answers(viewer)
    assert not may_see_answers(outsider)


def test_it_hides_the_answers_from_staff_whose_account_is_closed(staff):
    staff.is_active = False
    assert not may_see_answers(staff)
