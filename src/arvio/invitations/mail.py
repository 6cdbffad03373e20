"""The mails about an invitation: invitation, reminder, new link and receipt.

One message goes to each contact person. Every message that asks for an answer carries a personal
link of its own, made just for it: only the link's hash is stored, so a link can never be sent
again. A bilingual municipality gets one message in both of its languages, the majority's first.
Each message sent is logged as a SentMail row.
"""

import re
from email.utils import formataddr

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from arvio.invitations.links import link_create, link_url
from arvio.invitations.models import Contact, Invitation, SentMail
from arvio.lib.dates import format_range
from arvio.responses.models import Response
from arvio.staff.readout import response_readout

LANGUAGE_SEPARATOR = "\n\n" + "-" * 60 + "\n\n"


def _render(template: str, context: dict, languages: list[str]) -> tuple[str, str]:
    subjects, bodies = [], []
    for language in languages:
        with translation.override(language):
            subjects.append(" ".join(render_to_string(f"emails/{template}_subject.txt", context).split()))
            body = render_to_string(f"emails/{template}_body.txt", context)
        # Template tags leave blank lines and trailing spaces behind; a mail should have neither.
        body = re.sub(r"[ \t]+\n", "\n", body)
        bodies.append(re.sub(r"\n{3,}", "\n\n", body).strip())
    return " / ".join(subjects), LANGUAGE_SEPARATOR.join(bodies) + "\n"


def _deliver(*, invitation: Invitation, kind: str, template: str, contact: Contact, context: dict, by) -> SentMail:
    subject, body = _render(template, {**context, "contact": contact}, invitation.municipality.languages)
    EmailMessage(subject, body, to=[formataddr((contact.name, contact.email))]).send()
    return SentMail.objects.create(
        invitation=invitation,
        kind=kind,
        recipients=f"{contact.name} <{contact.email}>",
        subject=subject,
        sent_at=timezone.now(),
        sent_by=by,
    )


def _context(invitation: Invitation) -> dict:
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
    context = {**_context(invitation), **(extra or {})}
    return [
        _deliver(
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
    has_draft = Response.objects.filter(invitation=invitation, draft_saved_at__isnull=False).exists()
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


def send_receipt(*, response: Response) -> list[SentMail]:
    """What the municipality submitted, to its contact people. Carries no link."""
    invitation = response.invitation
    context = {**_context(invitation), "response": response, "readout": response_readout(response)}
    return [
        _deliver(
            invitation=invitation,
            kind=SentMail.Kind.RECEIPT,
            template="receipt",
            contact=contact,
            context=context,
            by=None,
        )
        for contact in invitation.contacts.all()
    ]
