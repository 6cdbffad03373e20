"""Sending each municipality that answered its feedback, from the round's feedback and publication page."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from arvio.invitations.models import SentMail
from arvio.records.models import AuditEntry
from tests.invitations.helpers import DURING_ROUND, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(round):
    """Kauniainen (bilingual, Finnish majority) and Raasepori (Swedish majority) answered; Vihti did not."""
    submit(round.invitations.get(municipality__code="235"), at=DURING_ROUND, values={"osallisuus": 4})
    submit(round.invitations.get(municipality__code="710"), at=DURING_ROUND, values={"osallisuus": 2})
    return round


def test_it_names_how_many_municipalities_and_people_get_it(client, staff, answered, after_round):
    client.force_login(staff)
    page = client.get("/staff/rounds/testikierros/publication/")
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", page.text)
    assert "Each of the 2 contact people of the 2 municipalities that answered will get a mail" in text
    assert "Send the feedback to 2 municipalities" in text


def test_it_mails_exactly_the_municipalities_that_answered(client, staff, answered, after_round, deliver_mail):
    client.force_login(staff)
    response = client.post("/staff/rounds/testikierros/publication/send-feedback/")
    assert response.status_code == 302
    mails = SentMail.objects.filter(kind=SentMail.Kind.FEEDBACK)
    assert sorted(mail.invitation.municipality.code for mail in mails) == ["235", "710"]
    deliver_mail()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "Johtaja Kauniainen <johtaja@235.example.fi>",
        "Johtaja Raasepori <johtaja@710.example.fi>",
    ]
    raasepori = next(message for message in mail.outbox if "@710." in message.to[0])
    # Raasepori is bilingual with a Swedish majority: Swedish first.
    assert raasepori.subject.startswith("Er kommuns respons")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.FEEDBACK_SEND).count() == 2
    assert set(
        AuditEntry.objects.filter(action=AuditEntry.Action.FEEDBACK_SEND).values_list("municipality_code", flat=True)
    ) == {"235", "710"}


def test_its_fresh_link_opens_the_feedback(client, staff, answered, after_round, deliver_mail):
    client.force_login(staff)
    client.post("/staff/rounds/testikierros/publication/send-feedback/")
    deliver_mail()
    message = next(message for message in mail.outbox if "@235." in message.to[0])
    url = re.search(r"http://testserver(/a/\S+/)", message.body).group(1)
    respondent = Client()
    response = respondent.get(urlsplit(url).path)
    assert response["Location"] == "/answer/feedback/"
    assert respondent.get("/answer/feedback/").status_code == 200


def test_it_sends_nothing_before_the_round_has_closed(client, staff, answered, during_round):
    client.force_login(staff)
    response = client.post("/staff/rounds/testikierros/publication/send-feedback/", follow=True)
    assert "Nothing was done" in response.text
    assert not SentMail.objects.filter(kind=SentMail.Kind.FEEDBACK).exists()


def test_viewers_and_outsiders_may_not_send_it(client, viewer, outsider, answered, after_round):
    for user in (viewer, outsider):
        client.force_login(user)
        assert client.get("/staff/rounds/testikierros/publication/").status_code == 403
        assert client.post("/staff/rounds/testikierros/publication/send-feedback/").status_code == 403
    assert client.get("/staff/rounds/testikierros/publication/send-feedback/").status_code == 405
    assert not SentMail.objects.filter(kind=SentMail.Kind.FEEDBACK).exists()


def test_it_needs_a_login(client, answered, after_round):
    response = client.post("/staff/rounds/testikierros/publication/send-feedback/")
    assert response.status_code == 302
    assert "/staff/login/" in response["Location"]
