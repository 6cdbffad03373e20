"""The round's comparison page: which earlier round it is compared with, and the mapping of goals renamed,
split or merged since (docs/domain.md, "Rounds compared"). Viewers read it; evaluation staff change it.
Every action is a plain form: the page works without JavaScript.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from arvio.lib.dates import format_range
from arvio.lib.i18n import localized
from arvio.lib.text import SingleValues
from arvio.staff.access import get_round_for_user, may_manage
from arvio.surveys.comparison import round_baseline_set, round_mapping_add, round_mapping_remove
from arvio.surveys.models import BaselineMapping, Round

DEFAULT, NONE = "", "none"


class BaselineForm(SingleValues, forms.Form):
    baseline = forms.ChoiceField(label=gettext_lazy("Compare with"), required=False, widget=forms.RadioSelect)

    def __init__(self, *args, round: Round, candidates: list[Round], default: Round | None, **kwargs):
        super().__init__(*args, **kwargs)
        if default is not None:
            automatic = _("The latest earlier closed round sharing goals (now: %(round)s)") % {
                "round": _round_name(default)
            }
        else:
            automatic = _("The latest earlier closed round sharing goals (now: none)")
        self.fields["baseline"].choices = [
            (DEFAULT, automatic),
            (NONE, _("No earlier round: show no comparison")),
            *[(candidate.code, _round_name(candidate)) for candidate in candidates],
        ]
        self.candidates = {candidate.code: candidate for candidate in candidates}


class MappingForm(SingleValues, forms.Form):
    baseline_code = forms.ChoiceField(label=gettext_lazy("Goal of the baseline round"))
    code = forms.ChoiceField(label=gettext_lazy("Goal of this round"))

    def __init__(self, *args, round: Round, baseline: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
        self.fields["baseline_code"].choices = [("", "—")] + _goal_choices(baseline)
        self.fields["code"].choices = [("", "—")] + _goal_choices(round)

    def clean(self):
        data = super().clean()
        if BaselineMapping.objects.filter(
            round=self.round, baseline_code=data.get("baseline_code"), code=data.get("code")
        ).exists():
            raise forms.ValidationError(_("These two goals are mapped to each other already."))
        return data


def _round_name(round: Round) -> str:
    return f"{localized(round, 'title')} ({format_range(round.opens_on, round.closes_on)})"


def _goal_choices(round: Round) -> list[tuple[str, str]]:
    return [(node.code, f"{node.code}: {localized(node, 'text')[:90]}") for node in round.rated_goals()]


def _default(round: Round) -> Round | None:
    """The round the default rule would pick, whatever staff chose."""
    return Round(pk=round.pk, organizer=round.organizer, opens_on=round.opens_on).compared_round_now()


def _page(request, round: Round, *, baseline_form=None, mapping_form=None, status=200):
    candidates = round.baseline_candidates()
    default = _default(round)
    baseline = round.compared_round_now()
    chosen = NONE if round.no_baseline else (round.baseline.code if round.baseline_id else DEFAULT)
    texts = {}
    if baseline is not None:
        texts = {node.code: localized(node, "text") for node in baseline.rated_goals()}
    here = {node.code: localized(node, "text") for node in round.rated_goals()}
    rows = [(row, texts.get(row.baseline_code, ""), here.get(row.code, "")) for row in round.baseline_mapping.all()]
    manage = may_manage(request.user, round)
    return render(
        request,
        "staff/comparison.html",
        {
            "round": round,
            "baseline": baseline,
            "can_manage": manage,
            "baseline_form": baseline_form
            or BaselineForm(initial={"baseline": chosen}, round=round, candidates=candidates, default=default),
            "mapping_form": mapping_form
            or (MappingForm(round=round, baseline=baseline) if baseline is not None else None),
            "rows": rows,
        },
        status=status,
    )


@login_required
def round_comparison(request, code):
    round = get_round_for_user(request, code)
    return _page(request, round)


@login_required
@require_POST
def comparison_baseline(request, code):
    round = get_round_for_user(request, code, manage=True)
    candidates = round.baseline_candidates()
    form = BaselineForm(request.POST, round=round, candidates=candidates, default=_default(round))
    if not form.is_valid():
        return _page(request, round, baseline_form=form, status=400)
    choice = form.cleaned_data["baseline"]
    removed = round_baseline_set(
        round=round, baseline=form.candidates.get(choice), none=choice == NONE, by=request.user
    )
    messages.success(request, _("The comparison was saved."))
    if removed:
        messages.warning(
            request,
            ngettext(
                "%(count)d mapping row named a goal the new baseline round does not have and was removed.",
                "%(count)d mapping rows named goals the new baseline round does not have and were removed.",
                removed,
            )
            % {"count": removed},
        )
    return redirect("staff:round_comparison", round.code)


@login_required
@require_POST
def comparison_mapping_add(request, code):
    round = get_round_for_user(request, code, manage=True)
    baseline = round.compared_round_now()
    if baseline is None:
        messages.error(request, _("Choose a baseline round first: a mapping maps goals to its goals."))
        return redirect("staff:round_comparison", round.code)
    form = MappingForm(request.POST, round=round, baseline=baseline)
    if not form.is_valid():
        return _page(request, round, mapping_form=form, status=400)
    round_mapping_add(
        round=round, baseline_code=form.cleaned_data["baseline_code"], code=form.cleaned_data["code"], by=request.user
    )
    messages.success(request, _("The mapping row was added."))
    return redirect("staff:round_comparison", round.code)


@login_required
@require_POST
def comparison_mapping_remove(request, code, row_id):
    round = get_round_for_user(request, code, manage=True)
    row = get_object_or_404(BaselineMapping, round=round, pk=row_id)
    round_mapping_remove(row=row, by=request.user)
    messages.success(request, _("The mapping row was removed."))
    return redirect("staff:round_comparison", round.code)
