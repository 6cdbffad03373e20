"""The round page lists the mail that was not delivered, with its error, and sends it again."""

import pytest
from django.core import mail

from arvio.invitations.mail import send_invitation
from arvio.invitations.models import SentMail
from arvio.records.models import AuditEntry
from tests.factories import make_round
from tests.worker import mail_server_down

ROUND = "/staff/rounds/testikierros/"


@pytest.fixture
def failed(round, during_round, settings, deliver_mail):
    """Vihti's invitation could not be handed to the mail server; the server is back now."""
    backend = settings.EMAIL_BACKEND
    settings.ARVIO_MAIL_ATTEMPTS = 1
    mail_server_down(settings)
    send_invitation(invitation=round.invitations.get(municipality__code="927"))
    deliver_mail()
    settings.EMAIL_BACKEND = backend
    return SentMail.objects.get()


def _url(mail):
    return f"{ROUND}mail/{mail.pk}/send-again/"


def test_it_shows_staff_the_failed_mail_with_its_error(client, staff, failed):
    client.force_login(staff)
    page = client.get(ROUND).content.decode()
    section = page.split('<h2 id="undelivered-heading">Mail not delivered</h2>')[1].split("</section>")[0]
    assert '<th scope="row">Vihti</th>' in section
    assert "Johtaja Vihti &lt;johtaja@927.example.fi&gt;" in section
    assert "<td>Failed" in section
    assert "ConnectionRefusedError" in section
    assert f'action="{_url(failed)}"' in section


def test_it_shows_the_failed_mail_in_finnish_and_swedish(client, staff, failed):
    client.force_login(staff)
    client.cookies["arvio_language"] = "fi"
    assert "Toimittamatta jääneet viestit" in client.get(ROUND).content.decode()
    client.cookies["arvio_language"] = "sv"
    page = client.get(ROUND).content.decode()
    assert "Meddelanden som inte levererats" in page
    assert "Skicka på nytt" in page


def test_it_hides_the_list_from_viewers(client, viewer, failed):
    client.force_login(viewer)
    page = client.get(ROUND).content.decode()
    assert "Mail not delivered" not in page
    assert "johtaja@927.example.fi" not in page


def test_it_sends_the_mail_again(client, staff, failed, deliver_mail):
    client.force_login(staff)
    response = client.post(_url(failed), follow=True)
    assert response.redirect_chain == [(ROUND, 302)]
    assert "is being sent again" in response.content.decode()
    deliver_mail()
    assert [m.to for m in mail.outbox] == [["Johtaja Vihti <johtaja@927.example.fi>"]]
    assert SentMail.objects.get().state == SentMail.State.SENT
    assert "Mail not delivered" not in client.get(ROUND).content.decode()
    # Pressed again: nothing more is sent.
    response = client.post(_url(failed), follow=True)
    assert "has already been sent" in response.content.decode()
    deliver_mail()
    assert len(mail.outbox) == 1


def test_it_refuses_get(client, staff, failed):
    client.force_login(staff)
    assert client.get(_url(failed)).status_code == 405


def test_it_forbids_a_viewer_and_an_outsider(client, viewer, outsider, failed, deliver_mail):
    for person in (viewer, outsider):
        client.force_login(person)
        assert client.post(_url(failed)).status_code == 403
    deliver_mail()
    assert mail.outbox == []
    assert SentMail.objects.get().state == SentMail.State.FAILED


def test_it_finds_no_mail_of_another_round(client, staff, failed):
    other = make_round(code="toinen")
    client.force_login(staff)
    assert client.post(f"/staff/rounds/{other.code}/mail/{failed.pk}/send-again/").status_code == 404
    assert SentMail.objects.get().state == SentMail.State.FAILED


def test_it_records_who_sent_the_mail_again(client, staff, failed):
    client.force_login(staff)
    client.post(_url(failed))
    entry = AuditEntry.objects.get(action=AuditEntry.Action.MAIL_RESEND)
    assert (entry.username, entry.round_code, entry.municipality_code) == (staff.username, "testikierros", "927")
    assert entry.detail == {"kind": "invitation"}
