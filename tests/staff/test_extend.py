from datetime import date

from django.utils import timezone

from arvio.invitations.models import Invitation
from arvio.invitations.services import round_close

URL = "/staff/rounds/testikierros/235/extend/"


def _extension():
    return Invitation.objects.get(municipality__code="235").deadline_extended_to


def test_it_sends_anonymous_to_login(client, round):
    response = client.post(URL, {"until": "2024-12-12"})
    assert response.status_code == 302
    assert response.url.startswith("/staff/login/?next=")
    assert _extension() is None


def test_it_forbids_an_outsider(client, outsider, round):
    client.force_login(outsider)
    assert client.post(URL, {"until": "2024-12-12"}).status_code == 403
    assert _extension() is None


def test_it_forbids_a_viewer(client, viewer, round):
    client.force_login(viewer)
    assert client.post(URL, {"until": "2024-12-12"}).status_code == 403
    assert _extension() is None


def test_it_extends_the_deadline(client, staff, round, after_round):
    client.force_login(staff)
    response = client.post(URL, {"until": "2024-12-12", "next": "/staff/rounds/testikierros/"}, follow=True)
    assert response.redirect_chain == [("/staff/rounds/testikierros/", 302)]
    assert b"Kauniainen may answer until 12.12.2024." in response.content
    assert _extension() == date(2024, 12, 12)
    assert Invitation.objects.get(municipality__code="235").status(timezone.now()).value == "not_opened"


def test_it_accepts_a_date_written_the_finnish_way(client, staff, round, settings):
    # Without JavaScript or a date picker the field is plain text.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    client.force_login(staff)
    client.post(URL, {"until": "12.12.2024"})
    assert _extension() == date(2024, 12, 12)


def test_it_accepts_the_closing_day_itself(client, staff, round):
    client.force_login(staff)
    client.post(URL, {"until": "2024-12-05"})
    assert _extension() == date(2024, 12, 5)


def test_it_refuses_a_day_before_the_round_closes(client, staff, round):
    client.force_login(staff)
    response = client.post(URL, {"until": "2024-12-04"})
    content = response.content.decode()
    # A refused form answers 400, as every form of Arvio does.
    assert response.status_code == 400
    assert 'class="error-summary"' in content
    assert "The new deadline cannot be before the round&#x27;s closing day, 5.12.2024." in content
    assert 'aria-describedby="until-hint until-error"' in content
    assert 'value="2024-12-04"' in content
    assert _extension() is None


def test_it_refuses_what_is_not_a_date(client, staff, round):
    client.force_login(staff)
    response = client.post(URL, {"until": "ensi viikolla"})
    assert b"Enter a valid date." in response.content
    assert _extension() is None


def test_it_refuses_once_the_round_is_closed(client, staff, round, during_round):
    round_close(round=round, by=staff, now=timezone.now())
    client.force_login(staff)
    response = client.post(URL, {"until": "2024-12-12"})
    assert b"its deadlines can no longer be extended" in response.content
    assert _extension() is None


def test_it_gives_errors_in_the_users_language(client, staff, round, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    client.force_login(staff)
    response = client.post(URL, {"until": "ensi viikolla"})
    assert "Syötä oikea päivämäärä.".encode() in response.content
