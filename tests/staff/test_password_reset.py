"""Forgot your password?: Django's reset views with Arvio's pages, the mail through the outbox."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from arvio.invitations.models import SentMail
from arvio.records.models import AuditEntry
from tests.staff.test_accounts import log_in

pytestmark = pytest.mark.django_db

RESET = reverse("staff:password_reset")
NEW = "an entirely new passphrase"


def _link(message) -> str:
    return re.search(r"http://testserver(/staff/password-reset/\S+/)", message.body).group(1)


def test_the_login_page_links_to_it(client, db):
    assert f'href="{RESET}"'.encode() in client.get(reverse("staff:login")).content


def test_it_sends_a_link_that_sets_a_new_password(client, staff, deliver_mail):
    response = client.post(RESET, {"email": "STAFF@example.fi"})
    assert response.status_code == 302 and response.url == reverse("staff:password_reset_done")
    assert SentMail.objects.get(account=staff).kind == SentMail.Kind.PASSWORD_RESET
    deliver_mail()
    message = mail.outbox[0]
    assert message.to == ["staff@example.fi"]
    opened = client.get(_link(message))
    assert opened.status_code == 302
    done = client.post(opened.url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done.url == reverse("staff:login")
    assert log_in(Client(), "staff", NEW)
    assert not log_in(Client(), "staff", "correct horse battery")
    assert b"This link no longer works" in client.get(_link(message), follow=True).content
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {AuditEntry.Action.ACCOUNT_PASSWORD_RESET, AuditEntry.Action.ACCOUNT_PASSWORD_SET} <= actions


def test_it_answers_alike_for_an_address_without_an_account(client, staff, deliver_mail):
    known = client.post(RESET, {"email": "staff@example.fi"}, follow=True)
    unknown = client.post(RESET, {"email": "nobody@example.fi"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    deliver_mail()
    assert [m.to for m in mail.outbox] == [["staff@example.fi"]]


def test_it_sends_nothing_to_a_deactivated_account(client, staff, deliver_mail):
    staff.is_active = False
    staff.save()
    assert client.post(RESET, {"email": "staff@example.fi"}).status_code == 302
    deliver_mail()
    assert mail.outbox == []


def test_it_sends_one_mail_however_often_it_is_asked(client, staff, deliver_mail):
    for _ in range(3):
        client.post(RESET, {"email": "staff@example.fi"})
    deliver_mail()
    assert len(mail.outbox) == 1


def test_it_says_what_is_wrong_with_the_address(client, db):
    response = client.post(RESET, {"email": "ei osoite"})
    assert response.status_code == 400
    assert b"error-summary" in response.content


def test_it_writes_the_mail_in_the_language_of_the_page(client, staff, deliver_mail, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    client.post(RESET, {"email": "staff@example.fi"})
    deliver_mail()
    assert mail.outbox[0].subject == "Ett nytt lösenord för Arvio"
