import re

from django.core import mail

from arvio.invitations.links import link_resolve
from arvio.invitations.mail import send_invitation
from arvio.invitations.models import Contact, SentMail
from tests.worker import mail_server_down

URL = "/staff/rounds/testikierros/235/new-link/"


def _token(message) -> str:
    return re.search(r"http://testserver/a/([^/\s]+)/", message.body).group(1)


def test_it_sends_anonymous_to_login(client, round):
    response = client.post(URL)
    assert response.status_code == 302
    assert response.url.startswith("/staff/login/?next=")
    assert mail.outbox == []


def test_it_forbids_an_outsider(client, outsider, round):
    client.force_login(outsider)
    assert client.post(URL).status_code == 403
    assert mail.outbox == []


def test_it_forbids_a_viewer(client, viewer, round):
    client.force_login(viewer)
    assert client.get(URL).status_code == 403
    assert client.post(URL).status_code == 403
    assert mail.outbox == []


def test_it_asks_first_naming_the_municipality_and_what_stops_working(client, staff, round, during_round):
    invitation = round.invitations.get(municipality__code="235")
    send_invitation(invitation=invitation)
    links = list(invitation.links.values_list("pk", "revoked_at"))
    client.force_login(staff)
    content = client.get(URL).content.decode()
    assert "A new link for Kauniainen?" in content
    assert "Every earlier link of Kauniainen stops working." in content
    assert "Show a new link once" in content
    # Asking changes nothing.
    assert list(invitation.links.values_list("pk", "revoked_at")) == links
    assert not invitation.mails.filter(kind=SentMail.Kind.NEW_LINK).exists()


def test_it_carries_the_page_to_return_to_through_the_confirmation(client, staff, round, during_round):
    client.force_login(staff)
    content = client.get(URL, {"next": "/staff/rounds/testikierros/"}).content.decode()
    assert '<input type="hidden" name="next" value="/staff/rounds/testikierros/">' in content


def test_it_revokes_the_old_link_once_the_new_one_is_handed_to_the_mail_server(
    client, staff, round, during_round, deliver_mail
):
    invitation = round.invitations.get(municipality__code="235")
    send_invitation(invitation=invitation)
    deliver_mail()
    old = _token(mail.outbox[0])
    client.force_login(staff)
    response = client.post(URL, follow=True)
    assert response.redirect_chain == [("/staff/rounds/testikierros/235/", 302)]
    assert b"A new link is on its way to 1 contact person of Kauniainen." in response.content
    # Not handed to the mail server yet: the old link still works, so nobody is locked out.
    assert link_resolve(old).invitation == invitation
    deliver_mail()
    new = _token(mail.outbox[1])
    assert mail.outbox[1].to == ["Johtaja Kauniainen <johtaja@235.example.fi>"]
    assert link_resolve(old) is None
    assert link_resolve(new).invitation == invitation
    assert invitation.mails.get(kind=SentMail.Kind.NEW_LINK).sent_by == staff


def test_it_keeps_the_old_link_while_the_new_mail_cannot_be_sent(
    client, staff, round, during_round, deliver_mail, settings
):
    invitation = round.invitations.get(municipality__code="235")
    send_invitation(invitation=invitation)
    deliver_mail()
    old = _token(mail.outbox[0])
    client.force_login(staff)
    client.post(URL)
    mail_server_down(settings)
    deliver_mail()
    new_link = invitation.mails.get(kind=SentMail.Kind.NEW_LINK)
    assert (new_link.state, new_link.attempts) == (SentMail.State.QUEUED, 1)
    assert link_resolve(old).invitation == invitation
    round_page = client.get("/staff/rounds/testikierros/").content.decode()
    assert "Mail not delivered" in round_page
    assert "The earlier links still work." in round_page


def test_it_gives_each_contact_a_link_of_their_own(client, staff, round, during_round, deliver_mail):
    invitation = round.invitations.get(municipality__code="235")
    Contact.objects.create(invitation=invitation, name="Sanna", email="sanna@235.example.fi")
    client.force_login(staff)
    client.post(URL)
    deliver_mail()
    tokens = [_token(message) for message in mail.outbox]
    assert len(set(tokens)) == 2
    # The first new mail handed over ends the earlier links, never its sibling's.
    assert all(link_resolve(token) for token in tokens)


def test_it_returns_to_the_round_page_when_started_there(client, staff, round, during_round):
    client.force_login(staff)
    response = client.post(URL, {"next": "/staff/rounds/testikierros/"})
    assert response.url == "/staff/rounds/testikierros/"


def test_it_does_not_return_to_another_site(client, staff, round, during_round):
    client.force_login(staff)
    response = client.post(URL, {"next": "https://evil.example/"})
    assert response.url == "/staff/rounds/testikierros/235/"


def test_it_warns_plainly_when_there_is_nobody_to_send_to(client, staff, round, during_round, deliver_mail):
    invitation = round.invitations.get(municipality__code="235")
    send_invitation(invitation=invitation)
    deliver_mail()
    old = _token(mail.outbox[0])
    invitation.contacts.all().delete()
    client.force_login(staff)
    response = client.post(URL, follow=True)
    assert b"Kauniainen has no working link now" in response.content
    assert link_resolve(old) is None
    deliver_mail()
    assert len(mail.outbox) == 1
