from django.core import mail

from arvio.invitations.models import Contact, SentMail
from arvio.responses.models import Response
from tests.invitations.helpers import DURING_ROUND, submit

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
    assert client.get(URL).status_code == 403
    assert client.post(URL).status_code == 403
    assert mail.outbox == []


def test_it_shows_the_mail_and_who_gets_it_before_sending(client, staff, round, during_round, deliver_mail):
    Contact.objects.create(
        invitation=round.invitations.get(municipality__code="710"), name="Mats", email="mats@710.example.fi"
    )
    client.force_login(staff)
    content = client.get(URL).content.decode()
    assert "The invitation goes to 3 municipalities, 4 people." in content
    # One preview per language status: Finnish (Vihti), bilingual (Kauniainen), bilingual Swedish first (Raasepori).
    assert content.count('class="mail-preview"') == 3
    # Written as each municipality gets it: Vihti in Finnish, Raasepori in Swedish first, then Finnish.
    assert "Kutsu vastaamaan: Kuntakysely</dd>" in content
    assert "Inbjudan att svara: Kommunenkät / Kutsu vastaamaan: Kuntakysely</dd>" in content
    assert "Hyvä Johtaja Vihti," in content
    assert "Bästa Johtaja Raasepori," in content
    assert "http://testserver/a/EXAMPLE-NOT-A-REAL-LINK/" in content
    # Nothing is made, stored or queued by looking.
    assert not SentMail.objects.exists()
    assert not round.invitations.filter(links__isnull=False).exists()
    deliver_mail()
    assert mail.outbox == []


def test_it_names_municipalities_with_no_contact_person(client, staff, round, during_round):
    round.invitations.get(municipality__code="927").contacts.all().delete()
    client.force_login(staff)
    content = client.get(URL).content.decode()
    assert "The invitation goes to 2 municipalities, 2 people." in content
    assert "Add a contact person to Vihti" in content
    assert 'href="/staff/rounds/testikierros/927/contacts/add/"' in content


def test_it_never_invites_a_municipality_that_has_submitted(client, staff, round, during_round, deliver_mail):
    submit(round.invitations.get(municipality__code="235"), at=DURING_ROUND, source=Response.Source.IMPORT)
    client.force_login(staff)
    assert "The invitation goes to 2 municipalities, 2 people." in client.get(URL).content.decode()
    client.post(URL)
    deliver_mail()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "Johtaja Raasepori <johtaja@710.example.fi>",
        "Johtaja Vihti <johtaja@927.example.fi>",
    ]


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
    assert "Nobody is due an invitation" in client.get(URL).content.decode()
    client.post(URL)
    deliver_mail()
    assert mail.outbox == []
    assert not SentMail.objects.exists()
