import re
from datetime import date

from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from arvio.invitations.links import link_resolve
from arvio.invitations.mail import send_invitation, send_reminder
from arvio.invitations.models import Contact, Invitation, SentMail
from arvio.responses.models import Response


def _invitation(round, code):
    return round.invitations.get(municipality__code=code)


def _in(language: str, msgid: str) -> str:
    """The interface text as the mail's language words it."""
    with translation.override(language):
        return gettext(msgid)


def _links(body: str) -> list[str]:
    return re.findall(r"http://testserver/a/([^/\s]+)/", body)


def test_it_writes_to_a_finnish_municipality_in_finnish_only(round, during_round, deliver_mail):
    send_invitation(invitation=_invitation(round, "927"))
    deliver_mail()
    [message] = mail.outbox
    assert "Kuntakysely" in message.subject
    assert " / " not in message.subject
    assert "Vihti" in message.body
    assert "Kommunenkät" not in message.body
    assert "Vichtis" not in message.body


def test_it_writes_to_a_bilingual_municipality_in_both_languages_majority_first(round, during_round, deliver_mail):
    send_invitation(invitation=_invitation(round, "235"))
    send_invitation(invitation=_invitation(round, "710"))
    deliver_mail()
    kauniainen, raasepori = mail.outbox
    assert kauniainen.subject.index("Kuntakysely") < kauniainen.subject.index("Kommunenkät")
    assert kauniainen.body.index("Kauniainen") < kauniainen.body.index("Grankulla")
    assert raasepori.subject.index("Kommunenkät") < raasepori.subject.index("Kuntakysely")
    assert raasepori.body.index("Kommunenkät") < raasepori.body.index("Kuntakysely")
    assert "Syftet med enkäten" in raasepori.body
    # One personal link, given in both languages' parts of the message.
    assert len(set(_links(kauniainen.body))) == 1


def test_it_sends_one_message_per_contact_each_with_a_link_of_its_own(round, during_round, staff, deliver_mail):
    invitation = _invitation(round, "927")
    Contact.objects.create(invitation=invitation, name="Sanna Sivistysjohtaja", email="sanna@927.example.fi")
    sent = send_invitation(invitation=invitation, by=staff)
    deliver_mail()
    for m in sent:
        m.refresh_from_db()
    assert [m.to for m in mail.outbox] == [
        ["Johtaja Vihti <johtaja@927.example.fi>"],
        ["Sanna Sivistysjohtaja <sanna@927.example.fi>"],
    ]
    tokens = [_links(m.body)[0] for m in mail.outbox]
    assert tokens[0] != tokens[1]
    assert [link_resolve(t).invitation for t in tokens] == [invitation, invitation]
    assert [(m.kind, m.recipients, m.sent_by, m.sent_at, m.state, m.attempts) for m in sent] == [
        (SentMail.Kind.INVITATION, "Johtaja Vihti <johtaja@927.example.fi>", staff, timezone.now(), "sent", 1),
        (SentMail.Kind.INVITATION, "Sanna Sivistysjohtaja <sanna@927.example.fi>", staff, timezone.now(), "sent", 1),
    ]
    assert sent[0].subject == mail.outbox[0].subject


def test_it_stores_no_raw_token_once_the_mail_is_sent(round, during_round, deliver_mail):
    invitation = _invitation(round, "927")
    send_invitation(invitation=invitation)
    # Until it is handed to the mail server, the queued mail is the only place the token is kept.
    [queued] = SentMail.objects.all()
    [token] = set(_links(queued.body))
    deliver_mail()
    assert token == _links(mail.outbox[0].body)[0]
    assert not invitation.links.filter(token_hash=token).exists()
    sent = SentMail.objects.get()
    assert (sent.body, sent.to_address) == ("", "")
    assert token not in sent.subject + sent.recipients + sent.last_error


def test_it_writes_plain_text_without_html_escapes(round, during_round, deliver_mail):
    invitation = _invitation(round, "927")
    invitation.contacts.update(name="Anna & Otto")
    send_invitation(invitation=invitation)
    deliver_mail()
    assert "Anna & Otto" in mail.outbox[0].body
    assert "&amp;" not in mail.outbox[0].body
    assert "\n\n\n" not in mail.outbox[0].body


def test_it_tells_the_window_and_the_extended_deadline(round, during_round, deliver_mail):
    Invitation.objects.filter(municipality__code="927").update(deadline_extended_to=date(2024, 12, 12))
    send_invitation(invitation=_invitation(round, "927"))
    send_reminder(invitation=_invitation(round, "927"))
    deliver_mail()
    invitation_mail, reminder = mail.outbox
    assert "6.11.–12.12.2024" in invitation_mail.body
    assert "12.12.2024" in reminder.body


def test_it_reminds_of_a_saved_draft(round, during_round, deliver_mail):
    Response.objects.create(invitation=_invitation(round, "927"), draft_saved_at=timezone.now(), version=2)
    send_reminder(invitation=_invitation(round, "927"))
    send_reminder(invitation=_invitation(round, "235"))
    deliver_mail()
    with_draft, without = mail.outbox
    # Vihti is Finnish-speaking.
    draft_saved = _in("fi", "A draft has been saved: remember to submit it once it is ready.")
    assert draft_saved in with_draft.body
    assert draft_saved not in without.body
    assert _links(with_draft.body)
