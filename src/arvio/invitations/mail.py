"""The mails about an invitation that carry a personal link: invitation, reminder, new link and feedback.

One message goes to each contact person. Every message that asks for an answer carries a personal
link of its own, made just for it: only the link's hash is stored, so a link can never be sent
again. A bilingual municipality gets one message in both of its languages, the majority's first.
Each message is written here and queued in the outbox (outbox.py) as a SentMail row, in the caller's
transaction; the mail worker sends it.

`mail_context`, `mail_render` and `mail_queue_to` are shared with the other mails about an
invitation (the receipt, in responses/receipt.py), so that every mail is written and logged alike.
"""

import re
from email.utils import formataddr

from django.template.loader import render_to_string
from django.utils import translation

from arvio.invitations.links import link_create, link_url
from arvio.invitations.models import AccessLink, Contact, Invitation, SentMail
from arvio.invitations.outbox import mail_queue
from arvio.lib.dates import format_range
from arvio.lib.tokens import hash_token

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


def mail_queue_to(
    *,
    invitation: Invitation,
    kind: str,
    template: str,
    contact: Contact,
    context: dict,
    by,
    link: AccessLink | None = None,
    revokes_links_below: int | None = None,
) -> SentMail:
    """Writes one contact person the mail, in the municipality's languages, and queues it as sent by `by`."""
    subject, body = mail_render(template, {**context, "contact": contact}, invitation.municipality.languages)
    return mail_queue(
        invitation=invitation,
        kind=kind,
        contact=contact,
        to_address=formataddr((contact.name, contact.email)),
        subject=subject,
        body=body,
        by=by,
        link=link,
        revokes_links_below=revokes_links_below,
    )


# What a preview carries in place of a personal link: plainly not one, and no link Arvio could ever make.
PREVIEW_TOKEN = "EXAMPLE-NOT-A-REAL-LINK"


def mail_preview(*, invitation: Invitation, template: str, extra: dict | None = None) -> tuple[str, str]:
    """(subject, body) of the mail as the invitation's first contact person would get it, written by `mail_render`
    with the real template, but with a placeholder for the link: nothing is made, stored or queued."""
    context = {
        **mail_context(invitation),
        **(extra or {}),
        "url": link_url(PREVIEW_TOKEN),
        "contact": invitation.contacts.first(),
    }
    return mail_render(template, context, invitation.municipality.languages)


def reminder_extra(invitation: Invitation) -> dict:
    """What a reminder tells besides the common context: whether the municipality has a draft."""
    # The reverse relation, as Invitation.status reads it: invitations stand below responses.
    response = getattr(invitation, "response", None)
    return {"has_draft": response is not None and response.draft_saved_at is not None}


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
    *,
    invitation: Invitation,
    kind: str,
    template: str,
    tokens: list[str],
    by,
    extra: dict | None = None,
    revokes_earlier: bool = False,
) -> list[SentMail]:
    context = {**mail_context(invitation), **(extra or {})}
    links = {link.token_hash: link for link in AccessLink.objects.filter(token_hash__in=map(hash_token, tokens))}
    carried = [links[hash_token(token)] for token in tokens]
    below = min(link.pk for link in carried) if revokes_earlier and carried else None
    return [
        mail_queue_to(
            invitation=invitation,
            kind=kind,
            template=template,
            contact=contact,
            context={**context, "url": link_url(token)},
            by=by,
            link=link,
            revokes_links_below=below,
        )
        for contact, token, link in zip(invitation.contacts.all(), tokens, carried)
    ]


def send_invitation(*, invitation: Invitation, by=None) -> list[SentMail]:
    tokens = [link_create(invitation=invitation, by=by) for _ in invitation.contacts.all()]
    return _send_links(
        invitation=invitation, kind=SentMail.Kind.INVITATION, template="invitation", tokens=tokens, by=by
    )


def send_reminder(*, invitation: Invitation, by=None) -> list[SentMail]:
    tokens = [link_create(invitation=invitation, by=by) for _ in invitation.contacts.all()]
    return _send_links(
        invitation=invitation,
        kind=SentMail.Kind.REMINDER,
        template="reminder",
        tokens=tokens,
        by=by,
        extra=reminder_extra(invitation),
    )


def send_new_link(*, invitation: Invitation, tokens: list[str], by) -> list[SentMail]:
    """Queues each contact, in order, the new link of `tokens` made for it (see services.link_reissue).
    Once one of these mails has been handed to the mail server, every earlier link of the invitation ends."""
    return _send_links(
        invitation=invitation,
        kind=SentMail.Kind.NEW_LINK,
        template="new_link",
        tokens=tokens,
        by=by,
        revokes_earlier=True,
    )


def send_feedback(*, invitation: Invitation, by=None) -> list[SentMail]:
    """Queues each contact a fresh link that opens the municipality's feedback (the round has closed)."""
    tokens = [link_create(invitation=invitation, by=by) for _ in invitation.contacts.all()]
    return _send_links(invitation=invitation, kind=SentMail.Kind.FEEDBACK, template="feedback", tokens=tokens, by=by)
