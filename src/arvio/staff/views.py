"""The evaluation staff's pages: rounds, a round's status table, an invitation and its response.

Every view finds its object through `get_round_for_user` or `get_invitation_for_user` (access.py), which
also decide who may see or act. Viewers read everything except individual responses; only
evaluation staff act.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from arvio.invitations.models import Invitation, SentMail
from arvio.invitations.outbox import NotResendable, mail_resend, mails_undelivered, mails_waiting
from arvio.invitations.services import deadline_extend, round_close
from arvio.invitations.status import Status
from arvio.lib.dates import format_date, format_range, local_date
from arvio.lib.http import bad_request
from arvio.responses.readout import response_readout
from arvio.staff.access import (
    get_invitation_for_user,
    get_round_for_user,
    may_manage,
    may_see_answers,
    may_see_contacts,
    organizers_for_user,
)
from arvio.staff.forms import ExtendForm, LoginForm
from arvio.staff.records import answers_viewed
from arvio.staff.roles import can_view
from arvio.staff.round_editor import check_summary
from arvio.staff.status_table import answers_per_day, rows_sorted, sorting_from, status_counts_text, timeline
from arvio.surveys.models import Round
from arvio.surveys.window import WindowState

WINDOW_LABELS = {
    WindowState.NOT_YET_OPEN: gettext_lazy("Not yet open"),
    WindowState.OPEN: gettext_lazy("Open"),
    WindowState.CLOSED: gettext_lazy("Closed"),
}


class LoginView(auth_views.LoginView):
    """Django's login page; a field that cannot be what a person typed answers 400, a wrong password 200."""

    template_name = "staff/login.html"
    authentication_form = LoginForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if any(form[name].errors for name in form.fields):
            response.status_code = 400
        return response


@login_required
def rounds(request):
    if not can_view(request.user):
        raise PermissionDenied
    now = timezone.now()
    rows = [
        {
            "round": round,
            "window": format_range(round.opens_on, round.closes_on),
            "state": WINDOW_LABELS[round.window_state(now)],
        }
        # Only the rounds of the user's own organizers (access.py).
        for round in Round.objects.filter(organizer__in=organizers_for_user(request.user)).annotate(
            invited=Count("invitations"),
            answered=Count("invitations", filter=Q(invitations__response__submitted_at__isnull=False)),
        )
    ]
    return render(request, "staff/rounds.html", {"rows": rows})


@dataclass(frozen=True)
class StatusRow:
    invitation: Invitation
    status: Status
    answer: str
    last_mail: SentMail | None


@login_required
def round_detail(request, code):
    round = get_round_for_user(request, code)
    now = timezone.now()
    manage = may_manage(request.user, round)
    rows = []
    for invitation in round.invitations.select_related("municipality", "response").prefetch_related("mails"):
        status = invitation.status(now)
        mails = list(invitation.mails.all())
        rows.append(
            StatusRow(
                invitation=invitation,
                status=status,
                answer=status.answered_label(final=invitation.window_state(now) is WindowState.CLOSED),
                last_mail=mails[-1] if mails else None,
            )
        )
    sorting = sorting_from(request.GET)
    series = answers_per_day(
        [local_date(row.invitation.response.submitted_at) for row in rows if row.status.answered],
        opens_on=round.opens_on,
        closes_on=round.closes_on,
    )
    return render(
        request,
        "staff/round.html",
        {
            "round": round,
            "rows": rows_sorted(rows, sorting, name=lambda row: row.invitation.municipality.tr("name")),
            "sorting": sorting,
            "status_counts": status_counts_text([row.status for row in rows]),
            "timeline": timeline(series),
            "timeline_rows": [(format_date(day), count) for day, count in series],
            "invited": len(rows),
            "answered": sum(row.status.answered for row in rows),
            "window": format_range(round.opens_on, round.closes_on),
            "state": WINDOW_LABELS[round.window_state(now)],
            "can_manage": manage,
            # Mail that did not go out, for the staff who can send it again (it names contact people).
            "undelivered": mails_undelivered(round=round, now=now) if manage else [],
            "waiting": mails_waiting(round=round, now=now) if manage else 0,
            # The check before opening, while it still matters.
            "check": check_summary(round) if manage and round.window_state(now) is WindowState.NOT_YET_OPEN else None,
        },
    )


@login_required
@require_POST
def resend_mail(request, code, mail_id):
    """Sends a mail that failed (or waits for another attempt) once more, now."""
    round = get_round_for_user(request, code, manage=True)
    mail = get_object_or_404(
        SentMail.objects.select_related("invitation__municipality"), pk=mail_id, invitation__round=round
    )
    try:
        mail_resend(mail=mail, by=request.user)
    except NotResendable:
        messages.info(request, _("That mail has already been sent or is being sent."))
    else:
        messages.success(
            request,
            _("The mail to %(recipient)s is being sent again. If it fails again, it stays in this list.")
            % {"recipient": mail.recipients},
        )
    return redirect("staff:round", round.code)


@login_required
def close_round(request, code):
    """GET asks to confirm, POST closes."""
    round = get_round_for_user(request, code, manage=True)
    if request.method == "POST":
        if round.closed_at is None:
            round_close(round=round, by=request.user, now=timezone.now())
            messages.success(
                request,
                _("The round is closed. Municipalities that did not submit now show “No answer within the deadline”."),
            )
        else:
            messages.info(request, _("The round was already closed."))
        return redirect("staff:round", round.code)
    return render(request, "staff/close_round.html", {"round": round})


def _invitation_page(request, invitation: Invitation, extend_form: ExtendForm, status: int = 200):
    now = timezone.now()
    round = invitation.round
    manage = may_manage(request.user, round)
    # Viewers see aggregates only: an individual response is for evaluation staff.
    answers_shown = may_see_answers(request.user, round)
    response = getattr(invitation, "response", None) if answers_shown else None
    readout = response_readout(response) if response and response.submitted_at else None
    if readout is not None:
        answers_viewed(
            request, round=invitation.round, municipality_code=invitation.municipality.code, page="invitation"
        )
    # Viewers see neither the contact people nor the addresses the mail went to (data minimisation).
    contacts = may_see_contacts(request.user, round)
    return render(
        request,
        "staff/invitation.html",
        {
            "round": invitation.round,
            "invitation": invitation,
            "status": invitation.status(now),
            "window": format_range(invitation.round.opens_on, invitation.deadline),
            "may_see_contacts": contacts,
            "contacts": list(invitation.contacts.all()) if contacts else [],
            "mails": list(invitation.mails.select_related("sent_by")),
            "links": list(invitation.links.select_related("created_by").order_by("created_at")),
            "can_manage": manage,
            "extend_form": extend_form,
            "answers_shown": answers_shown,
            "response": response,
            "readout": readout,
        },
        status=status,
    )


@login_required
def invitation_detail(request, code, municipality_code):
    invitation = get_invitation_for_user(request, code, municipality_code)
    return _invitation_page(request, invitation, ExtendForm(invitation=invitation))


@login_required
@require_POST
def extend(request, code, municipality_code):
    invitation = get_invitation_for_user(request, code, municipality_code, manage=True)
    if not _next_is_readable(request):
        return _bad_next(request)
    form = ExtendForm(request.POST, invitation=invitation)
    if not form.is_valid():
        return _invitation_page(request, invitation, form, status=400)
    until = form.cleaned_data["until"]
    deadline_extend(invitation=invitation, until=until, by=request.user)
    messages.success(
        request,
        _("%(name)s may answer until %(day)s.")
        % {"name": invitation.municipality.tr("name"), "day": format_date(until)},
    )
    return _back(request, invitation)


def _next_is_readable(request) -> bool:
    """No "next", or one printable one: a control character or line break would reach the Location header.

    Another site's address is no error of the person's: the action is done and they come back here.
    """
    next_urls = request.POST.getlist("next")
    return not next_urls or (len(next_urls) == 1 and next_urls[0].isprintable())


def _bad_next(request):
    return bad_request(
        request, _("The page to return to is not valid. Nothing was done. Reload the page and try again.")
    )


def _back(request, invitation: Invitation):
    """Back to the page the action was started on (the round's table or the invitation's page)."""
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("staff:invitation", invitation.round.code, invitation.municipality.code)
