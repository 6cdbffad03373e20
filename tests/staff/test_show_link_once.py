import re

from django.core import mail

from arvio.invitations.links import link_create, link_resolve
from arvio.invitations.mail import send_invitation, send_new_link
from arvio.invitations.models import AccessLink, SentMail
from arvio.records.models import AuditEntry

URL = "/staff/rounds/testikierros/235/show-link-once/"
LINK = re.compile(r'value="(http://testserver/a/([^/"]+)/)"')


def _token(message) -> str:
    return re.search(r"http://testserver/a/([^/\s]+)/", message.body).group(1)


def test_it_sends_anonymous_to_login(client, round):
    response = client.post(URL)
    assert response.url.startswith("/staff/login/?next=")
    assert not AccessLink.objects.exists()


def test_it_forbids_an_outsider_and_a_viewer(client, outsider, viewer, round):
    for user in (outsider, viewer):
        client.force_login(user)
        assert client.post(URL).status_code == 403
    assert not AccessLink.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.LINK_SHOWN).exists()


def test_it_refuses_get(client, staff, round):
    client.force_login(staff)
    assert client.get(URL).status_code == 405
    assert not AccessLink.objects.exists()


def test_it_shows_a_working_link_once_and_ends_the_earlier_ones(client, staff, round, during_round, deliver_mail):
    invitation = round.invitations.get(municipality__code="235")
    send_invitation(invitation=invitation)
    deliver_mail()
    old = _token(mail.outbox[0])
    client.force_login(staff)
    response = client.post(URL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    content = response.content.decode()
    url, token = LINK.search(content).groups()
    assert link_resolve(token).invitation == invitation
    assert link_resolve(old) is None
    # Stored only as its hash, and shown on no other page.
    link = AccessLink.objects.get(invitation=invitation, revoked_at__isnull=True)
    assert link.created_by == staff
    assert token not in link.token_hash
    assert token not in client.get("/staff/rounds/testikierros/235/").content.decode()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LINK_SHOWN)
    assert (entry.username, entry.round_code, entry.municipality_code) == ("staff", "testikierros", "235")
    assert token not in str(entry.detail)


def test_it_cancels_a_new_link_mail_not_yet_sent(client, staff, round, during_round, deliver_mail):
    invitation = round.invitations.get(municipality__code="235")
    send_new_link(invitation=invitation, tokens=[link_create(invitation=invitation)], by=staff)
    client.force_login(staff)
    token = LINK.search(client.post(URL).content.decode()).group(2)
    deliver_mail()
    assert mail.outbox == []
    assert invitation.mails.get(kind=SentMail.Kind.NEW_LINK).state == SentMail.State.CANCELLED
    assert link_resolve(token).invitation == invitation


def test_it_makes_a_new_link_each_time(client, staff, round, during_round):
    client.force_login(staff)
    first = LINK.search(client.post(URL).content.decode()).group(2)
    second = LINK.search(client.post(URL).content.decode()).group(2)
    assert first != second
    assert link_resolve(first) is None
    assert link_resolve(second) is not None
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LINK_SHOWN).count() == 2
