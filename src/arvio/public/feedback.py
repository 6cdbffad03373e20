"""A municipality's feedback page and its PDF, opened through the municipality's personal link.

The session's link decides whose feedback it is (`responses.access.respondent_required`: no link,
403; an expired link, 410, saying so), so a municipality only ever sees its own; the page and the PDF
render the Feedback object (results/feedback.py). Until the round's results are final the page says
when it opens, and answers 404.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from arvio.invitations.models import Invitation
from arvio.public.rendering import feedback_charts, feedback_pdf
from arvio.responses.access import respondent_required
from arvio.results.feedback import feedback_build, round_results_final


def _not_yet(request, invitation: Invitation):
    context = {"round": invitation.round, "municipality": invitation.municipality, "invitation": invitation}
    return render(request, "public/feedback_not_yet.html", context, status=404)


@never_cache
@require_safe
@respondent_required
def feedback_page(request, invitation: Invitation):
    if not round_results_final(invitation.round):
        return _not_yet(request, invitation)
    feedback = feedback_build(invitation, language=translation.get_language())
    return render(
        request,
        "public/feedback.html",
        {
            "round": invitation.round,
            "municipality": invitation.municipality,
            "feedback": feedback,
            "report": feedback.report,
            "charts": feedback_charts(feedback),
        },
    )


@never_cache
@require_safe
@respondent_required
def feedback_download(request, invitation: Invitation):
    if not round_results_final(invitation.round):
        return _not_yet(request, invitation)
    feedback = feedback_build(invitation, language=translation.get_language())
    content = feedback_pdf(feedback)
    filename = _("feedback") + f"-{invitation.round.code}-{invitation.municipality.code}-{feedback.report.language}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
