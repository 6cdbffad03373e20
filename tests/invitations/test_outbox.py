"""The outbox: queued with what it reports, sent by the worker, retried with backoff, never twice."""

import smtplib
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from arvio.invitations.links import link_resolve
from arvio.invitations.mail import send_invitation
from arvio.invitations.models import AccessLink, SentMail
from arvio.invitations.outbox import NotResendable, _permanent, mail_resend
from arvio.invitations.services import invitations_send, link_reissue
from tests.worker import mail_server_down

State = SentMail.State


@pytest.fixture
def vihti(round):
    return round.invitations.get(municipality__code="927")


def test_it_writes_the_mail_and_its_link_in_one_transaction(round, during_round):
    with pytest.raises(RuntimeError), transaction.atomic():
        invitations_send(round=round, by=None)
        raise RuntimeError("the request fails after the invitations were queued")
    # Rolled back together: no mail can carry a link whose record is gone.
    assert not SentMail.objects.exists()
    assert not AccessLink.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_runs_with_the_workers_own_command(vihti, during_round):
    send_invitation(invitation=vihti)
    assert mail.outbox == []
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0, stdout=StringIO())
    [message] = mail.outbox
    assert message.to == ["Johtaja Vihti <johtaja@927.example.fi>"]
    sent = SentMail.objects.get()
    assert (sent.state, sent.attempts, sent.body, sent.to_address) == (State.SENT, 1, "", "")


def test_it_retries_with_a_doubling_wait_and_then_gives_up(vihti, during_round, settings, time_machine, deliver_mail):
    settings.ARVIO_MAIL_ATTEMPTS = 3
    settings.ARVIO_MAIL_RETRY_SECONDS = 60
    mail_server_down(settings)
    send_invitation(invitation=vihti)
    waits = []
    for _ in range(3):
        deliver_mail()
        queued = SentMail.objects.get()
        if queued.next_attempt_at:
            waits.append(queued.next_attempt_at - timezone.now())
            # Not yet due: running the worker again does not try it early.
            deliver_mail()
            assert SentMail.objects.get().attempts == queued.attempts
            time_machine.move_to(queued.next_attempt_at)
    failed = SentMail.objects.get()
    assert waits == [timedelta(seconds=60), timedelta(seconds=120)]
    assert (failed.state, failed.attempts, failed.next_attempt_at) == (State.FAILED, 3, None)
    assert "ConnectionRefusedError" in failed.last_error
    # The body is kept for sending again: a failed mail's link still works.
    assert link_resolve(failed.body.split("/a/")[1].split("/")[0]).invitation == vihti


def test_it_gives_up_at_once_on_a_refused_address():
    refused = smtplib.SMTPRecipientsRefused({"x@example.fi": (550, b"No such user")})
    busy = smtplib.SMTPRecipientsRefused({"x@example.fi": (451, b"Try again later")})
    assert _permanent(refused)
    assert not _permanent(busy)
    assert not _permanent(TimeoutError("timed out"))
    assert not _permanent(smtplib.SMTPServerDisconnected("gone"))
    assert _permanent(ValueError("a header with a newline"))


def test_it_sends_a_failed_mail_again_once(vihti, during_round, settings, deliver_mail, staff):
    settings.ARVIO_MAIL_ATTEMPTS = 1
    backend = settings.EMAIL_BACKEND
    mail_server_down(settings)
    send_invitation(invitation=vihti)
    deliver_mail()
    failed = SentMail.objects.get()
    assert failed.state == State.FAILED
    settings.EMAIL_BACKEND = backend
    mail_resend(mail=failed, by=staff)
    mail_resend(mail=failed, by=staff)  # a second click before the worker ran
    deliver_mail()
    assert len(mail.outbox) == 1
    assert SentMail.objects.get().state == State.SENT
    with pytest.raises(NotResendable):
        mail_resend(mail=failed, by=staff)


def test_it_never_sends_one_mail_twice_when_a_retry_and_a_resend_meet(
    vihti, during_round, settings, time_machine, deliver_mail, staff
):
    backend = settings.EMAIL_BACKEND
    mail_server_down(settings)
    send_invitation(invitation=vihti)
    deliver_mail()
    waiting = SentMail.objects.get()
    assert waiting.state == State.QUEUED and waiting.next_attempt_at
    retry_due = waiting.next_attempt_at
    settings.EMAIL_BACKEND = backend
    mail_resend(mail=waiting, by=staff)
    time_machine.move_to(retry_due + timedelta(seconds=1))
    deliver_mail()  # both the resend's task and the pending retry are due
    assert len(mail.outbox) == 1
    assert SentMail.objects.get().attempts == 2


def test_it_cancels_unsent_mail_whose_link_a_new_link_ended(vihti, during_round, settings, deliver_mail, staff):
    backend = settings.EMAIL_BACKEND
    mail_server_down(settings)
    settings.ARVIO_MAIL_ATTEMPTS = 1
    send_invitation(invitation=vihti)
    deliver_mail()
    settings.EMAIL_BACKEND = backend
    link_reissue(invitation=vihti, by=staff)
    deliver_mail()
    invitation_mail = vihti.mails.get(kind=SentMail.Kind.INVITATION)
    assert (invitation_mail.state, invitation_mail.body) == (State.CANCELLED, "")
    assert [m.to for m in mail.outbox] == [["Johtaja Vihti <johtaja@927.example.fi>"]]
    with pytest.raises(NotResendable):
        mail_resend(mail=invitation_mail, by=staff)


def test_it_never_writes_a_token_into_the_error(vihti, during_round, settings, deliver_mail):
    settings.EMAIL_BACKEND = "tests.invitations.test_outbox.QuotingServer"
    send_invitation(invitation=vihti)
    deliver_mail()
    failed = SentMail.objects.get()
    token = failed.body.split("/a/")[1].split("/")[0]
    assert failed.state == State.FAILED
    assert token not in failed.last_error
    assert "/a/***/" in failed.last_error


class QuotingServer:
    """A mail server that refuses the message and quotes its body back in the error (some do)."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPDataError(554, messages[0].body.encode())
