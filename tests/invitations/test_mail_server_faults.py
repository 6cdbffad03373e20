"""A mail server down, then silent, then up: requests never wait for it, and each mail arrives once.

The test starts its own servers on one free port of 127.0.0.1: nothing listening (down), a socket that
accepts connections and never says a word (silent), then aiosmtpd (up). The worker runs between phases.
"""

import re
import socket
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from django.utils import timezone

from arvio.invitations.models import SentMail
from tests.invitations.helpers import DURING_ROUND
from tests.invitations.test_smtp import Inbox
from tests.worker import free_port


class SilentServer:
    """Accepts every connection and never answers: an SMTP client waits for a greeting that never comes."""

    def __init__(self, port: int):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(16)
        self.accepted = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def stop(self):
        self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread, which lets the port go
        self.sock.close()
        self.thread.join()
        for connection in self.accepted:
            connection.close()


@pytest.fixture
def smtp_port(settings):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 1
    settings.ARVIO_MAIL_RETRY_SECONDS = 60
    return port


def _token(mail: SentMail) -> str:
    return re.search(r"/a/([^/\s]+)/", mail.body).group(1)


def test_it_answers_at_once_and_delivers_each_mail_once_after_the_server_recovers(
    client, staff, round, smtp_port, time_machine, deliver_mail
):
    time_machine.move_to(DURING_ROUND, tick=True)
    client.force_login(staff)

    # Down: nothing listens. Sending invitations answers at once; the worker's attempts are refused.
    response = client.post("/staff/rounds/testikierros/send-invitations/")
    assert response.status_code == 302
    invitations = list(SentMail.objects.filter(kind=SentMail.Kind.INVITATION))
    assert len(invitations) == 3
    assert {m.state for m in invitations} == {SentMail.State.QUEUED}
    deliver_mail()
    assert {(m.state, m.attempts) for m in SentMail.objects.all()} == {(SentMail.State.QUEUED, 1)}
    assert all("ConnectionRefusedError" in m.last_error for m in SentMail.objects.all())

    # Silent: the server takes the connection and never greets. The submission does not talk to it.
    silent = SilentServer(smtp_port)
    try:
        kauniainen = SentMail.objects.get(invitation__municipality__code="235", kind=SentMail.Kind.INVITATION)
        respondent = Client()
        assert respondent.get(f"/a/{_token(kauniainen)}/").status_code == 302
        assert respondent.post("/answer/", {"version": "0", "action": "save", "g-osallisuus": "4"}).status_code == 302
        submitted = respondent.post("/answer/submit/", {"version": "1", "name": "Kaisa Kuusela", "role": ""})
        assert submitted["Location"] == "/answer/done/"
        assert silent.accepted == []  # the request never opened a connection to the mail server
        receipt = SentMail.objects.get(kind=SentMail.Kind.RECEIPT)
        assert (receipt.state, receipt.attempts) == (SentMail.State.QUEUED, 0)

        time_machine.move_to(timezone.now() + timedelta(minutes=10), tick=True)
        deliver_mail()
        assert len(silent.accepted) == 4
        assert {m.state for m in SentMail.objects.all()} == {SentMail.State.QUEUED}
        assert all("timed out" in m.last_error for m in SentMail.objects.all())
    finally:
        silent.stop()

    # Up: aiosmtpd on the same port. Every mail arrives, once, however often the worker runs.
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        time_machine.move_to(timezone.now() + timedelta(hours=1), tick=True)
        deliver_mail()
        deliver_mail()
        time_machine.move_to(timezone.now() + timedelta(hours=3), tick=True)
        deliver_mail()
    finally:
        controller.stop()
    delivered = sorted((e.rcpt_tos[0], m["Subject"].split(":")[0]) for e, m in zip(inbox.envelopes, inbox.messages()))
    assert len(delivered) == 4
    assert sorted(rcpt for rcpt, _ in delivered) == [
        "johtaja@235.example.fi",
        "johtaja@235.example.fi",
        "johtaja@710.example.fi",
        "johtaja@927.example.fi",
    ]
    assert {m.state for m in SentMail.objects.all()} == {SentMail.State.SENT}
    assert set(SentMail.objects.values_list("body", flat=True)) == {""}
