"""Sending invitations, reminders and new links, each in two steps: a page that shows the mail and names who gets it,
then a POST that queues it. And a new link shown once, for handing over by other means.

The mail is written by invitations/mail.py (`mail_render`, through `mail_preview` for the preview), who is due one
by invitations/services.py: the preview and the sending ask the same rule.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from arvio.invitations.links import link_url
from arvio.invitations.mail import mail_preview, reminder_extra
from arvio.invitations.models import Invitation, SentMail
from arvio.invitations.services import (
    invitations_due,
    invitations_send,
    link_reissue,
    link_show_once,
    reminders_due,
    reminders_send,
)
from arvio.staff.access import get_invitation_for_user, get_round_for_user
from arvio.staff.views import _back, _bad_next, _next_is_readable
from arvio.surveys.models import Municipality

# Staff's button reminds at most once a day, however many times it is pressed.
REMINDER_MIN_DAYS = 1


@dataclass(frozen=True)
class Preview:
    """The mail as one kind of recipient gets it: in Finnish, in Swedish, or in both (the majority's first)."""

    language: str
    example: Invitation
    subject: str
    body: str


def _previews(invitations: list[Invitation], template: str, extra=None) -> list[Preview]:
    examples: dict[str, Invitation] = {}
    for invitation in invitations:
        if invitation.contacts.all():
            examples.setdefault(invitation.municipality.language, invitation)
    order = [choice.value for choice in Municipality.Language]
    return [
        Preview(
            Municipality.Language(language).label,
            invitation,
            *mail_preview(invitation=invitation, template=template, extra=extra(invitation) if extra else None),
        )
        for language, invitation in sorted(examples.items(), key=lambda item: order.index(item[0]))
    ]


def _preview_page(request, round, *, kind: str, invitations: list[Invitation], template: str, extra=None):
    reached = [invitation for invitation in invitations if invitation.contacts.all()]
    return render(
        request,
        "staff/send_preview.html",
        {
            "round": round,
            "kind": kind,
            "previews": _previews(reached, template, extra),
            "municipalities": len(reached),
            "people": sum(len(invitation.contacts.all()) for invitation in reached),
            "reached": reached,
            "no_contacts": [invitation for invitation in invitations if not invitation.contacts.all()],
        },
    )


def _municipality_count(sent: list[SentMail]) -> int:
    return len({mail.invitation_id for mail in sent})


@login_required
def send_invitations(request, code):
    """GET shows the invitation mail and who gets it; POST queues it."""
    round = get_round_for_user(request, code, manage=True)
    if request.method != "POST":
        invitations = invitations_due(round=round, now=timezone.now())
        return _preview_page(request, round, kind="invitations", invitations=invitations, template="invitation")
    sent = invitations_send(round=round, by=request.user)
    if sent:
        count = _municipality_count(sent)
        messages.success(
            request,
            ngettext(
                "Invitations to %(count)d municipality are on their way. Mail that cannot be sent shows on this page.",
                "Invitations to %(count)d municipalities are on their way. Mail that cannot be sent shows on this page.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("No invitations were sent: every municipality that can still answer has had one."))
    return redirect("staff:round", round.code)


@login_required
def send_reminders(request, code):
    """GET shows the reminder and who gets it; POST queues it."""
    round = get_round_for_user(request, code, manage=True)
    now = timezone.now()
    if request.method != "POST":
        invitations = reminders_due(round=round, now=now, min_days=REMINDER_MIN_DAYS)
        return _preview_page(
            request, round, kind="reminders", invitations=invitations, template="reminder", extra=reminder_extra
        )
    sent = reminders_send(round=round, now=now, by=request.user, min_days=REMINDER_MIN_DAYS)
    if sent:
        count = _municipality_count(sent)
        messages.success(
            request,
            ngettext(
                "Reminders to %(count)d municipality are on their way. Mail that cannot be sent shows on this page.",
                "Reminders to %(count)d municipalities are on their way. Mail that cannot be sent shows on this page.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(
            request,
            _(
                "No reminders were sent: no municipality that has been invited and has not submitted was due one "
                "(nobody gets two on the same day)."
            ),
        )
    return redirect("staff:round", round.code)


@login_required
def new_link(request, code, municipality_code):
    """GET asks to confirm, naming the municipality; POST mails each contact a new link."""
    invitation = get_invitation_for_user(request, code, municipality_code, manage=True)
    if request.method != "POST":
        next_url = request.GET.get("next", "")
        return render(
            request,
            "staff/new_link.html",
            {
                "round": invitation.round,
                "invitation": invitation,
                "contacts": invitation.contacts.count(),
                "next": next_url if next_url.isprintable() else "",
            },
        )
    if not _next_is_readable(request):
        return _bad_next(request)
    name = invitation.municipality.tr("name")
    sent = link_reissue(invitation=invitation, by=request.user)
    if sent:
        messages.success(
            request,
            ngettext(
                "A new link is on its way to %(count)d contact person of %(name)s. The earlier links stop working "
                "as soon as it has been handed to the mail server; until then they still work.",
                "A new link is on its way to %(count)d contact people of %(name)s. The earlier links stop working "
                "as soon as one has been handed to the mail server; until then they still work.",
                len(sent),
            )
            % {"count": len(sent), "name": name},
        )
    else:
        messages.warning(
            request,
            _(
                "%(name)s has no working link now: its earlier links no longer work, and it has no contact person "
                "to send a new one to. Add a contact person, then send a new link."
            )
            % {"name": name},
        )
    return _back(request, invitation)


@never_cache
@login_required
@require_POST
def show_link_once(request, code, municipality_code):
    """Makes a new link, ending every earlier one, and shows it on this response only: it is stored nowhere in clear,
    and the page may not be kept by the browser or a proxy (Cache-Control: no-store)."""
    invitation = get_invitation_for_user(request, code, municipality_code, manage=True)
    token = link_show_once(invitation=invitation, by=request.user)
    return render(
        request,
        "staff/link_shown.html",
        {"round": invitation.round, "invitation": invitation, "url": link_url(token)},
    )
