"""The mails about an invitation that carry a personal link: invitation, reminder and new link.

One message goes to each contact person. Every message that asks for an answer carries a personal
link of its own, made just for it: only the link's hash is stored, so a link can never be sent
again. A bilingual municipality gets one message in both of its languages, the majority's first.
Each message sent is logged as a SentMail row.

`mail_context`, `mail_render` and `mail_deliver` are shared with the other mails about an
invitation (the receipt, in responses/receipt.py), so that every mail is written and logged alike.
"""

import re
from email.utils import formataddr

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from arvio.invitations.links import link_create, link_url
from arvio.invitations.models import Contact, Invitation, SentMail
from arvio.lib.dates import format_range

LANGUAGE_SEPARATOR = "\n\n" + "-" * 60 + "\n\n"


def mail_render(template: str, context: dict, languages: list[str]) -> tuple[str, str]:
    """(subject, body) of `emails/<template>_subject.txt` and `_body.txt`, written in each of `languages`
    in turn: the subjects joined by " / ", the bodies by a separator line."""
    subjects, bodies = [], []
    for language in languages:
        with translation.override(language):
            subjects.append(" ".join(render_to_string(f"emails/{template}_subject.txt", context).split()))
            body = render_to_string(f"emails/{template}_body.txt", context)
        # Template tags leave blank lines and trailing spaces behind; a mail should have neither.
        body = re.sub(r"[ \t]+\n", "\n", body)
        bodies.append(re.sub(r"\n{3,}", "\n\n", body).strip())
    return " / ".join(subjects), LANGUAGE_SEPARATOR.join(bodies) + "\n"


def mail_deliver(*, invitation: Invitation, kind: str, template: str, contact: Contact, context: dict, by) -> SentMail:
    """Sends one contact person the mail, in the municipality's languages, and logs it as sent by `by`."""
    subject, body = mail_render(template, {**context, "contact": contact}, invitation.municipality.languages)
    EmailMessage(subject, body, to=[formataddr((contact.name, contact.email))]).send()
    return SentMail.objects.create(
        invitation=invitation,
        kind=kind,
        recipients=f"{contact.name} <{contact.email}>",
        subject=subject,
        sent_at=timezone.now(),
        sent_by=by,
    )


def mail_context(invitation: Invitation) -> dict:
    """What every mail about the invitation may tell: who asks whom, and the answering time."""
    round = invitation.round
    return {
        "invitation": invitation,
        "round": round,
        "organizer": round.organizer,
        "municipality": invitation.municipality,
        "window": format_range(round.opens_on, invitation.deadline),
    }


def _send_links(
    *, invitation: Invitation, kind: str, template: str, tokens: list[str], by, extra: dict | None = None
) -> list[SentMail]:
    context = {**mail_context(invitation), **(extra or {})}
    return [
        mail_deliver(
            invitation=invitation,
            kind=kind,
            template=template,
            contact=contact,
            context={**context, "url": link_url(token)},
            by=by,
        )
        for contact, token in zip(invitation.contacts.all(), tokens)
    ]


def send_invitation(*, invitation: Invitation, by=None) -> list[SentMail]:
    tokens = [link_create(invitation=invitation, by=by) for _ in invitation.contacts.all()]
    return _send_links(
        invitation=invitation, kind=SentMail.Kind.INVITATION, template="invitation", tokens=tokens, by=by
    )


def send_reminder(*, invitation: Invitation, by=None) -> list[SentMail]:
    tokens = [link_create(invitation=invitation, by=by) for _ in invitation.contacts.all()]
    # The reverse relation, as Invitation.status reads it: invitations stand below responses.
    response = getattr(invitation, "response", None)
    has_draft = response is not None and response.draft_saved_at is not None
    return _send_links(
        invitation=invitation,
        kind=SentMail.Kind.REMINDER,
        template="reminder",
        tokens=tokens,
        by=by,
        extra={"has_draft": has_draft},
    )


def send_new_link(*, invitation: Invitation, tokens: list[str], by) -> list[SentMail]:
    """Sends each contact, in order, the new link of `tokens` made for it (see services.link_reissue)."""
    return _send_links(invitation=invitation, kind=SentMail.Kind.NEW_LINK, template="new_link", tokens=tokens, by=by)
