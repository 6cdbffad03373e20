from django.core import mail

from arvio.invitations.models import SentMail

URL = "/staff/rounds/testikierros/send-invitations/"


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
    assert client.post(URL).status_code == 403
    assert mail.outbox == []


def test_it_refuses_get(client, staff, round):
    client.force_login(staff)
    assert client.get(URL).status_code == 405


def test_it_sends_each_invitation_once(client, staff, round, during_round, deliver_mail):
    client.force_login(staff)
    response = client.post(URL, follow=True)
    assert response.redirect_chain == [("/staff/rounds/testikierros/", 302)]
    assert b"Invitations to 3 municipalities are on their way." in response.content
    assert mail.outbox == []
    deliver_mail()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "Johtaja Kauniainen <johtaja@235.example.fi>",
        "Johtaja Raasepori <johtaja@710.example.fi>",
        "Johtaja Vihti <johtaja@927.example.fi>",
    ]
    assert SentMail.objects.filter(kind=SentMail.Kind.INVITATION, sent_by=staff).count() == 3

    response = client.post(URL, follow=True)
    assert b"No invitations were sent" in response.content
    deliver_mail()
    assert len(mail.outbox) == 3


def test_it_sends_only_to_invitations_never_sent_one(client, staff, round, during_round, deliver_mail):
    client.force_login(staff)
    client.post(URL)
    deliver_mail()
    newcomer = round.invitations.get(municipality__code="927")
    newcomer.mails.all().delete()
    mail.outbox.clear()
    response = client.post(URL, follow=True)
    assert b"Invitations to 1 municipality are on their way." in response.content
    deliver_mail()
    assert [m.to for m in mail.outbox] == [["Johtaja Vihti <johtaja@927.example.fi>"]]


def test_it_sends_nothing_once_the_round_has_closed(client, staff, round, after_round, deliver_mail):
    client.force_login(staff)
    client.post(URL)
    deliver_mail()
    assert mail.outbox == []
    assert not SentMail.objects.exists()
