"""The mail goes out through a real SMTP server (aiosmtpd on 127.0.0.1) and is read back as it arrives."""

import email
import re
import socket
from datetime import timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from arvio.invitations.mail import send_invitation
from arvio.invitations.services import reminders_send
from tests.invitations.helpers import DURING_ROUND


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self):
        return [email.message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "arvio@luvn.example.fi"
    yield inbox
    controller.stop()


@pytest.fixture
def during_round_ticking(time_machine):
    # The clock keeps running: the SMTP server's event loop must not see time stand still.
    time_machine.move_to(DURING_ROUND, tick=True)


def _link_path(message) -> str:
    return re.search(r"http://testserver(/a/[^/\s]+/)", message.get_content()).group(1)


def test_it_sends_an_invitation_and_a_reminder_over_smtp(
    smtp_inbox, round, during_round_ticking, time_machine, client, deliver_mail
):
    kauniainen = round.invitations.get(municipality__code="235")
    send_invitation(invitation=kauniainen)
    deliver_mail()
    time_machine.move_to(timezone.now() + timedelta(days=7), tick=True)
    reminders_send(round=round, now=timezone.now())
    deliver_mail()

    [invitation, reminder] = smtp_inbox.messages()
    assert [e.rcpt_tos for e in smtp_inbox.envelopes] == [["johtaja@235.example.fi"], ["johtaja@235.example.fi"]]
    assert smtp_inbox.envelopes[0].mail_from == "arvio@luvn.example.fi"
    assert invitation["To"] == "Johtaja Kauniainen <johtaja@235.example.fi>"
    assert invitation["Subject"].index("Kuntakysely") < invitation["Subject"].index("Kommunenkät")
    assert reminder["Subject"].index("Kuntakysely") < reminder["Subject"].index("Kommunenkät")
    for message in (invitation, reminder):
        body = message.get_content()
        assert body.index("Kauniainen") < body.index("Grankulla")
        assert "Kuntakysely" in body and "Kommunenkät" in body

    for message in (invitation, reminder):
        response = client.get(_link_path(message))
        assert response.status_code == 302
        assert response.url == "/answer/"


def test_it_sends_non_ascii_names_intact(smtp_inbox, round, during_round_ticking, deliver_mail):
    raasepori = round.invitations.get(municipality__code="710")
    raasepori.contacts.update(name="Åsa Hägg-Söderström")
    send_invitation(invitation=raasepori)
    deliver_mail()
    [message] = smtp_inbox.messages()
    assert message["To"] == "Åsa Hägg-Söderström <johtaja@710.example.fi>"
    assert "Åsa Hägg-Söderström" in message.get_content()
    assert "Kommunenkät" in message["Subject"]
