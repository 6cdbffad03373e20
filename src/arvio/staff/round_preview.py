"""The answer form of a round as a municipality will see it, in Finnish, Swedish or English, before it opens.

The form is the respondent's own (`responses.forms.answer_context`, templates/responses/_intro.html and
_answer_form.html) with the round's texts, sections, scale and questions; the invitation is an unsaved one, so
that no link is needed and nothing can be saved. Its buttons are disabled, and a POST here saves nothing.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from arvio.invitations.models import Invitation
from arvio.lib.i18n import LANGUAGES
from arvio.responses.forms import answer_context
from arvio.staff.access import get_round_for_user
from arvio.surveys.models import Municipality


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_preview(request, code, lang):
    if lang not in LANGUAGES:
        raise Http404
    round = get_round_for_user(request, code)
    with translation.override(lang):
        name = _("Your municipality")
        # Never saved: the form needs an invitation to show a municipality's name and deadline.
        invitation = Invitation(round=round, municipality=Municipality(name_fi=name, name_sv=name, name_en=name))
        context = answer_context(invitation, values={})
        context.update(
            preview=True,
            version=0,
            response=None,
            preview_languages=[(language, name) for language, name in LANGUAGES.items()],
            # A POST reaches here only from a tampered page or an old tab: say that it saved nothing.
            posted=request.method == "POST",
        )
        return render(request, "staff/round_preview.html", context)
