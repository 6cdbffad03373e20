from datetime import date


def test_it_is_the_rounds_closing_day_without_an_extension(round):
    assert round.invitations.get(municipality__code="235").deadline == date(2024, 12, 5)


def test_it_is_the_extended_day_with_an_extension(round):
    invitation = round.invitations.get(municipality__code="235")
    invitation.deadline_extended_to = date(2024, 12, 12)
    assert invitation.deadline == date(2024, 12, 12)
