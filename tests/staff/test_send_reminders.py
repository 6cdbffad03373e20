from datetime import timedelta

from django.core import mail
from django.utils import timezone

from arvio.invitations.mail import send_invitation
from arvio.invitations.models import SentMail
from tests.invitations.helpers import submit
from tests.worker import run_mail_worker

URL = "/staff/rounds/testikierros/send-reminders/"


def _invited_days_ago(round, days):
    for invitation in round.invitations.all():
        send_invitation(invitation=invitation)
    run_mail_worker()
    SentMail.objects.update(sent_at=timezone.now() - timedelta(days=days))
    mail.outbox.clear()


def test_it_sends_anonymous_to_login(client, round):
    response = client.post(URL)
    assert response.status_code == 302
    assert response.url.startswith("/staff/login/?next=")


def test_it_forbids_an_outsider(client, outsider, round, during_round):
    _invited_days_ago(round, 3)
    client.force_login(outsider)
    assert client.post(URL).status_code == 403
    assert mail.outbox == []


def test_it_forbids_a_viewer(client, viewer, round, during_round):
    _invited_days_ago(round, 3)
    client.force_login(viewer)
    assert client.get(URL).status_code == 403
    assert client.post(URL).status_code == 403
    assert mail.outbox == []


def test_it_shows_the_reminder_and_who_gets_it_before_sending(client, staff, round, during_round, deliver_mail):
    _invited_days_ago(round, 3)
    submit(round.invitations.get(municipality__code="235"), at=timezone.now())
    client.force_login(staff)
    content = client.get(URL).content.decode()
    assert "The reminder goes to 2 municipalities, 2 people." in content
    assert content.count('class="mail-preview"') == 2
    assert "http://testserver/a/EXAMPLE-NOT-A-REAL-LINK/" in content
    assert "Kauniainen:" not in content
    assert "Vihti: Johtaja Vihti" in content
    assert not SentMail.objects.filter(kind=SentMail.Kind.REMINDER).exists()
    deliver_mail()
    assert mail.outbox == []


def test_it_says_when_nobody_is_due_a_reminder(client, staff, round, during_round):
    _invited_days_ago(round, 0)
    client.force_login(staff)
    assert "Nobody is due a reminder" in client.get(URL).content.decode()


def test_it_reminds_those_who_have_not_submitted(client, staff, round, during_round, deliver_mail):
    _invited_days_ago(round, 3)
    submit(round.invitations.get(municipality__code="235"), at=timezone.now())
    client.force_login(staff)
    response = client.post(URL, follow=True)
    assert b"Reminders to 2 municipalities are on their way." in response.content
    deliver_mail()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "Johtaja Raasepori <johtaja@710.example.fi>",
        "Johtaja Vihti <johtaja@927.example.fi>",
    ]
    assert SentMail.objects.filter(kind=SentMail.Kind.REMINDER, sent_by=staff).count() == 2


def test_it_sends_nothing_twice_the_same_day(client, staff, round, during_round, deliver_mail):
    _invited_days_ago(round, 3)
    client.force_login(staff)
    client.post(URL)
    deliver_mail()
    mail.outbox.clear()
    response = client.post(URL, follow=True)
    assert b"No reminders were sent" in response.content
    deliver_mail()
    assert mail.outbox == []


def test_it_does_not_remind_on_the_day_of_the_invitation(client, staff, round, during_round, deliver_mail):
    _invited_days_ago(round, 0)
    client.force_login(staff)
    client.post(URL)
    deliver_mail()
    assert mail.outbox == []
