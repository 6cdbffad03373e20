"""Staff's curation of a round's results: excerpts of the open answers, and the narrative.

Evaluation staff only; viewers see the outcome on the results page and in the report.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from arvio.lib.http import bad_request
from arvio.lib.i18n import LANGUAGES, localized
from arvio.lib.text import SingleValues, TextField
from arvio.responses.models import Comment
from arvio.responses.services import MAX_COMMENT_LENGTH
from arvio.results.models import Excerpt, Narrative
from arvio.results.report import report_build
from arvio.results.services import (
    excerpt_create,
    excerpt_delete,
    excerpt_move,
    excerpt_update,
    narrative_reset,
    narrative_save,
    passage_problem,
)
from arvio.staff.access import get_round_for_user
from arvio.staff.records import answers_viewed
from arvio.surveys.models import Node, Question, Round

GOAL_LABEL_MAX = 110
# The 2024 summary page had some 600 characters; this leaves room for a long one, not for a pasted book.
NARRATIVE_MAX_LENGTH = 20_000


class ExcerptForm(SingleValues, forms.Form):
    # A passage quotes a submitted answer, so it is never longer than one.
    text = TextField(
        label=gettext_lazy("Passage"),
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea,
        error_messages={"required": gettext_lazy("Write the passage: the words of the answer to quote.")},
    )
    goals = forms.MultipleChoiceField(
        label=gettext_lazy("Goals the passage speaks of (optional)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, goals: list["GoalOption"], translated: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].choices = [(option.value, option.name) for option in goals]
        if translated:  # the edit page: the passage's language and its translation
            self.fields["language"] = forms.ChoiceField(
                label=gettext_lazy("Language of the passage"),
                choices=[
                    ("", gettext_lazy("The municipality's language")),
                    ("fi", gettext_lazy("Finnish")),
                    ("sv", gettext_lazy("Swedish")),
                ],
                required=False,
            )
            self.fields["translation"] = TextField(
                label=gettext_lazy("Translation (optional)"),
                help_text=gettext_lazy(
                    "The passage in the other language, shown under it in that language's report. "
                    "The passage itself stays as the municipality wrote it."
                ),
                max_length=MAX_COMMENT_LENGTH,
                widget=forms.Textarea(attrs={"rows": 6}),
                required=False,
            )

    @property
    def checked(self) -> set[str]:
        return {str(value) for value in self["goals"].value() or []}


class NarrativeForm(SingleValues, forms.Form):
    text = TextField(
        label=gettext_lazy("Text of the summary page"),
        max_length=NARRATIVE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={"required": gettext_lazy("Write the text, or go back to the draft from the numbers.")},
    )
    numbers = TextField(widget=forms.HiddenInput, required=False, max_length=64)


@dataclass(frozen=True)
class GoalOption:
    """A node of the goal tree an excerpt may be attached to, named by its label or the start of its text."""

    value: str
    name: str
    depth: int


def _goal_options(nodes: list[Node]) -> list[GoalOption]:
    options = []
    for node in nodes:
        name = localized(node, "label") or localized(node, "text")
        if len(name) > GOAL_LABEL_MAX:
            name = name[: GOAL_LABEL_MAX - 1].rstrip() + "…"
        options.append(GoalOption(str(node.pk), name, node.depth))
    return options


def _chosen_goals(form: ExcerptForm, nodes: list[Node]) -> list[Node]:
    chosen = {int(pk) for pk in form.cleaned_data["goals"]}
    return [node for node in nodes if node.pk in chosen]


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's error on the form: by field where it names one the form has, else for the whole form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# Excerpts


@dataclass
class OpenAnswer:
    comment: Comment
    form: ExcerptForm


@dataclass
class QuestionAnswers:
    question: Question
    answers: list[OpenAnswer]


@dataclass
class ExcerptRow:
    excerpt: Excerpt
    goals: list[str]
    problem: str | None  # set when the answer was changed after the passage was chosen


def _open_answers(round: Round) -> list[Comment]:
    return list(
        Comment.objects.filter(response__invitation__round=round, response__submitted_at__isnull=False)
        .select_related("question", "response__invitation__municipality")
        .order_by("question__order", "question__pk", "response__invitation__order", "response__invitation__pk")
    )


@login_required
def excerpts(request, code):
    round = get_round_for_user(request, code, manage=True)
    nodes = round.tree()
    goals = _goal_options(nodes)
    comments = _open_answers(round)

    failed: OpenAnswer | None = None
    if request.method == "POST":
        sent = request.POST.getlist("comment")
        comment = next((c for c in comments if len(sent) == 1 and str(c.pk) == sent[0]), None)
        if comment is None:
            raise Http404
        form = ExcerptForm(request.POST, prefix=f"answer-{comment.pk}", goals=goals)
        if form.is_valid():
            try:
                excerpt = excerpt_create(
                    round=round,
                    response=comment.response,
                    question=comment.question,
                    text=form.cleaned_data["text"],
                    by=request.user,
                    goals=_chosen_goals(form, nodes),
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The excerpt from %(municipality)s was added to the report.")
                    % {"municipality": localized(comment.response.invitation.municipality, "name")},
                )
                return redirect(reverse("curation:excerpts", args=[round.code]) + f"#excerpt-{excerpt.pk}")
        failed = OpenAnswer(comment, form)

    by_question: dict[int, QuestionAnswers] = {}
    for comment in comments:
        if failed and failed.comment.pk == comment.pk:
            answer = failed
        else:
            answer = OpenAnswer(
                comment, ExcerptForm(prefix=f"answer-{comment.pk}", initial={"text": comment.text}, goals=goals)
            )
        by_question.setdefault(comment.question_id, QuestionAnswers(comment.question, [])).answers.append(answer)

    if comments:
        answers_viewed(request, round=round, page="excerpts")
    return render(
        request,
        "results/curation/excerpts.html",
        {
            "round": round,
            "questions": list(by_question.values()),
            "rows": _excerpt_rows(round, comments, goals),
            "failed": failed,
            "goals": goals,
        },
        status=400 if failed else 200,
    )


def _excerpt_rows(round: Round, comments: list[Comment], goals: list[GoalOption]) -> list[ExcerptRow]:
    answers = {(comment.response_id, comment.question_id): comment.text for comment in comments}
    names = {option.value: option.name for option in goals}
    excerpts = round.excerpts.select_related("response__invitation__municipality", "question").prefetch_related("goals")
    return [
        ExcerptRow(
            excerpt=excerpt,
            goals=[names[str(goal.pk)] for goal in excerpt.goals.all() if str(goal.pk) in names],
            problem=passage_problem(excerpt.text, answers.get((excerpt.response_id, excerpt.question_id), "")),
        )
        for excerpt in excerpts
    ]


def _get_excerpt_for_user(request, code: str, pk: int) -> Excerpt:
    round = get_round_for_user(request, code, manage=True)
    return get_object_or_404(
        Excerpt.objects.select_related("round", "response__invitation__municipality", "question"), pk=pk, round=round
    )


@login_required
def excerpt_edit(request, code, pk):
    excerpt = _get_excerpt_for_user(request, code, pk)
    nodes = excerpt.round.tree()
    goals = _goal_options(nodes)
    if request.method == "POST":
        form = ExcerptForm(request.POST, goals=goals, translated=True)
        if form.is_valid():
            try:
                excerpt_update(
                    excerpt=excerpt,
                    text=form.cleaned_data["text"],
                    goals=_chosen_goals(form, nodes),
                    by=request.user,
                    language=form.cleaned_data["language"],
                    translation=form.cleaned_data["translation"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The excerpt was saved."))
                return redirect(reverse("curation:excerpts", args=[code]) + f"#excerpt-{excerpt.pk}")
    else:
        form = ExcerptForm(
            initial={
                "text": excerpt.text,
                "goals": [goal.pk for goal in excerpt.goals.all()],
                "language": excerpt.language,
                "translation": excerpt.translation,
            },
            goals=goals,
            translated=True,
        )
    answer = Comment.objects.filter(response=excerpt.response, question=excerpt.question).first()
    if answer is not None:
        answers_viewed(
            request,
            round=excerpt.round,
            municipality_code=excerpt.response.invitation.municipality.code,
            page="excerpt",
        )
    return render(
        request,
        "results/curation/excerpt_edit.html",
        {"round": excerpt.round, "excerpt": excerpt, "form": form, "answer": answer, "goals": goals},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def excerpt_move_view(request, code, pk):
    excerpt = _get_excerpt_for_user(request, code, pk)
    directions = request.POST.getlist("direction")
    if directions not in (["up"], ["down"]):
        return bad_request(request, _("Choose whether to move the excerpt up or down."))
    excerpt_move(excerpt=excerpt, up=directions == ["up"], by=request.user)
    return redirect(reverse("curation:excerpts", args=[code]) + f"#excerpt-{excerpt.pk}")


@login_required
def excerpt_delete_view(request, code, pk):
    excerpt = _get_excerpt_for_user(request, code, pk)
    if request.method == "POST":
        excerpt_delete(excerpt=excerpt, by=request.user)
        messages.success(request, _("The excerpt was removed from the report. The answer itself is kept."))
        return redirect(reverse("curation:excerpts", args=[code]) + "#chosen")
    return render(request, "results/curation/excerpt_delete.html", {"round": excerpt.round, "excerpt": excerpt})


# The narrative


@login_required
def narrative(request, code, language):
    round = get_round_for_user(request, code, manage=True)
    if language not in LANGUAGES:
        raise Http404
    url = reverse("curation:narrative", args=[round.code, language])
    actions = request.POST.getlist("action")
    if request.method == "POST" and actions not in ([], ["save"], ["reset"]):
        return bad_request(request, _("Choose whether to save the text or to reset it to the draft."))
    if request.method == "POST" and actions == ["reset"]:
        narrative_reset(round=round, language=language, by=request.user)
        messages.success(request, _("The text is back to the draft from the numbers."))
        return redirect(url)

    report = report_build(round, language=language)
    if request.method == "POST":
        form = NarrativeForm(request.POST)
        if form.is_valid():
            try:
                narrative_save(
                    round=round,
                    language=language,
                    text=form.cleaned_data["text"],
                    by=request.user,
                    numbers=form.cleaned_data["numbers"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The text was saved. The report uses it from now on."))
                return redirect(url)
    else:
        form = NarrativeForm(initial={"text": report.narrative, "numbers": report.narrative_numbers})
    return render(
        request,
        "results/curation/narrative.html",
        {
            "round": round,
            "report": report,
            "language": language,
            "language_name": LANGUAGES[language],
            "languages": LANGUAGES,
            "edited": Narrative.objects.filter(round=round, language=language).select_related("edited_by").first(),
            "form": form,
        },
        status=400 if form.errors else 200,
    )
