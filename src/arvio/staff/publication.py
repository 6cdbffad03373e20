"""The round's feedback and publication page: sending each municipality its feedback, publishing the
report, withdrawing it. Evaluation staff only (`get_round_for_user(..., manage=True)`).

The page itself is the confirmation: beside each button it says what will happen — how many
municipalities and people get the feedback, which version will be published.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from arvio.invitations.models import Contact, SentMail
from arvio.invitations.services import feedback_recipients, feedback_send
from arvio.public.selectors import publication_versions
from arvio.public.services import NothingPublished, NotPublishable, publication_publish, publication_withdraw
from arvio.results.feedback import round_results_final
from arvio.staff.access import get_round_for_user


@login_required
def publication_page(request, code):
    round = get_round_for_user(request, code, manage=True)
    recipients = feedback_recipients(round)
    versions = publication_versions(round)
    sent = SentMail.objects.filter(invitation__round=round, kind=SentMail.Kind.FEEDBACK).aggregate(
        mails=Count("pk"), municipalities=Count("invitation", distinct=True)
    )
    return render(
        request,
        "staff/publication.html",
        {
            "round": round,
            "final": round_results_final(round),
            "municipalities": recipients.count(),
            "people": Contact.objects.filter(invitation__in=recipients).count(),
            "sent": sent,
            "versions": versions,
            "next_version": (versions[0].version if versions else 0) + 1,
            "public": [item for item in versions if item.withdrawn_at is None],
        },
    )


def _not_final(request, round):
    messages.error(
        request, _("Nothing was done: the round has not closed for every municipality yet, so its results may change.")
    )
    return redirect("staff:publication", round.code)


@login_required
@require_POST
def send_feedback(request, code):
    round = get_round_for_user(request, code, manage=True)
    if not round_results_final(round):
        return _not_final(request, round)
    sent = feedback_send(round=round, by=request.user)
    if sent:
        count = len({mail.invitation_id for mail in sent})
        messages.success(
            request,
            ngettext(
                "The feedback is on its way to %(people)d people of %(count)d municipality.",
                "The feedback is on its way to %(people)d people of %(count)d municipalities.",
                count,
            )
            % {"count": count, "people": len(sent)},
        )
    else:
        messages.info(request, _("No feedback was sent: no municipality that answered has a contact person."))
    return redirect("staff:publication", round.code)


@login_required
@require_POST
def publish(request, code):
    round = get_round_for_user(request, code, manage=True)
    try:
        publication = publication_publish(round=round, by=request.user)
    except NotPublishable:
        return _not_final(request, round)
    messages.success(request, _("Version %(version)d of the report is published.") % {"version": publication.version})
    return redirect("staff:publication", round.code)


@login_required
@require_POST
def withdraw(request, code):
    round = get_round_for_user(request, code, manage=True)
    try:
        publication_withdraw(round=round, by=request.user)
    except NothingPublished:
        messages.info(request, _("The report was not public: nothing was withdrawn."))
    else:
        messages.success(request, _("The report is withdrawn. Its addresses now say so."))
    return redirect("staff:publication", round.code)
