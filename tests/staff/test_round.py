from datetime import date

from django.utils import timezone

from arvio.invitations.models import Invitation, SentMail
from arvio.invitations.services import round_close
from arvio.responses.models import Response
from tests.invitations.helpers import submit

URL = "/staff/rounds/testikierros/"


def _rows(content: str) -> list[str]:
    body = content.split("<tbody>")[1].split("</tbody>")[0]
    return body.split("<tr>")[1:]


def test_it_sends_anonymous_to_login(client, round):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith("/staff/login/?next=")


def test_it_forbids_an_outsider(client, outsider, round):
    client.force_login(outsider)
    assert client.get(URL).status_code == 403


def test_it_says_404_for_an_unknown_round(client, staff, round):
    client.force_login(staff)
    assert client.get("/staff/rounds/no-such-round/").status_code == 404


def test_it_shows_the_table_but_no_actions_to_a_viewer(client, viewer, round, during_round):
    client.force_login(viewer)
    response = client.get(URL)
    assert response.status_code == 200
    assert b"Kauniainen" in response.content
    assert b"<form" not in response.content.split(b"<main")[1]


def test_it_shows_the_actions_to_staff(client, staff, round, during_round):
    client.force_login(staff)
    content = client.get(URL).content.decode()
    # Sending and a new link ask first, on a page of their own.
    assert 'href="/staff/rounds/testikierros/send-invitations/"' in content
    assert 'href="/staff/rounds/testikierros/send-reminders/"' in content
    assert 'href="/staff/rounds/testikierros/close/"' in content
    assert 'href="/staff/rounds/testikierros/235/new-link/?next=/staff/rounds/testikierros/"' in content
    assert 'href="/staff/rounds/testikierros/municipalities/"' in content
    assert 'action="/staff/rounds/testikierros/235/extend/"' in content
    assert 'href="/staff/rounds/testikierros/235/"' in content


def test_it_lists_the_municipalities_in_the_invitation_order(client, staff, round, during_round):
    Invitation.objects.filter(round=round, municipality__code="927").update(order=1)
    Invitation.objects.filter(round=round, municipality__code="710").update(order=2)
    Invitation.objects.filter(round=round, municipality__code="235").update(order=3)
    client.force_login(staff)
    rows = _rows(client.get(URL).content.decode())
    assert "Vihti" in rows[0]
    assert "Raasepori" in rows[1]
    assert "Kauniainen" in rows[2]


def test_it_shows_the_live_status_while_open(client, staff, round, during_round):
    kauniainen, raasepori, vihti = round.invitations.all()
    submit(kauniainen, at=timezone.now())
    Response.objects.create(invitation=raasepori, draft_saved_at=timezone.now(), version=3)
    vihti.opened_at = timezone.now()
    vihti.save()
    client.force_login(staff)
    content = client.get(URL).content.decode()
    rows = _rows(content)
    assert "Submitted" in rows[0]
    assert "Draft" in rows[1]
    assert "Opened" in rows[2]
    assert "1/3 municipalities answered" in content
    assert "6.11.–5.12.2024" in content


def test_it_shows_no_answer_within_the_deadline_once_closed(client, staff, round, after_round):
    kauniainen, raasepori, vihti = round.invitations.all()
    submit(kauniainen, at=timezone.now())
    Response.objects.create(invitation=raasepori, draft_saved_at=timezone.now(), version=3)
    client.force_login(staff)
    content = client.get(URL).content.decode()
    rows = _rows(content)
    assert ">Yes<" in rows[0]
    assert "No answer within the deadline" in rows[1]
    assert "No answer within the deadline" in rows[2]
    assert "1/3 municipalities answered" in content
    assert "<dd>Closed" in content


def test_it_keeps_the_live_status_for_an_extended_deadline(client, staff, round, after_round):
    Invitation.objects.filter(round=round, municipality__code="710").update(deadline_extended_to=date(2024, 12, 12))
    client.force_login(staff)
    rows = _rows(client.get(URL).content.decode())
    assert "No answer within the deadline" in rows[0]
    assert "Not opened" in rows[1]
    assert "12.12.2024" in rows[1]


def test_it_shows_closed_by_staff_and_hides_actions(client, staff, round, during_round):
    round_close(round=round, by=staff, now=timezone.now())
    client.force_login(staff)
    content = client.get(URL).content.decode()
    assert "closed by staff 20.11.2024 10.00" in content
    assert "No answer within the deadline" in content
    assert "send-invitations" not in content
    assert "/extend/" not in content


def test_it_shows_the_last_mail(client, staff, round, during_round):
    kauniainen = round.invitations.first()
    for kind, day in [(SentMail.Kind.INVITATION, 6), (SentMail.Kind.REMINDER, 13)]:
        SentMail.objects.create(
            invitation=kauniainen,
            kind=kind,
            recipients="x",
            subject="x",
            sent_at=timezone.now().replace(day=day, hour=9),
        )
    client.force_login(staff)
    rows = _rows(client.get(URL).content.decode())
    assert "Reminder 13.11.2024" in rows[0]
    assert "Invitation 6.11.2024" not in rows[0]
