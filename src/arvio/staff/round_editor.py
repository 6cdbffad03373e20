"""The round's editors: settings, scale, open questions, the goal tree, and the check before opening.

Evaluation staff only (`get_round_for_user(..., manage=True)`). Every edit goes through
`surveys.round_editing.round_change`, so the survey file's rules decide what the round may hold; a
refused edit shows the form again with what was typed and each message next to its field.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from arvio.lib.dates import local_date
from arvio.lib.i18n import localized
from arvio.lib.text import ascii_int
from arvio.staff.access import get_round_for_user
from arvio.staff.editor_forms import (
    LANGUAGE_LABELS,
    DontKnowForm,
    FrozenScaleStepFormSet,
    NodeForm,
    QuestionFormSet,
    ScaleStepFormSet,
    SettingsForm,
    questions_field_map,
    questions_initial,
    scale_field_map,
    scale_initial,
    text_initial,
)
from arvio.surveys.models import Round
from arvio.surveys.round_check import CheckSection, Fix, MailSetup, round_check, round_check_gaps
from arvio.surveys.round_editing import (
    MOVES,
    RoundEditError,
    TreeChangeRefused,
    TreeRow,
    child_keys,
    node_add,
    node_delete,
    node_descendants,
    node_edit,
    node_fields,
    node_moves,
    node_row,
    round_change,
    round_definition,
    tree_codes,
    tree_rows,
)

KIND_LABELS = {
    "documents": lambda: _("Strategy document"),
    "themes": lambda: _("Theme"),
    "goals": lambda: _("Goal"),
    "subgoals": lambda: _("Sub-goal"),
}
MOVE_LABELS = {
    "up": lambda: _("Move up"),
    "down": lambda: _("Move down"),
    "in": lambda: _("Move in"),
    "out": lambda: _("Move out"),
}
NAME_MAX = 60


def _frozen_reason() -> str:
    return _(
        "A municipality has already saved or submitted an answer, so what was asked can no longer change: the texts "
        "of the goals, the scale, the open questions and the shape of the goal tree are shown as they were asked. "
        "The report's layout (summary rows, detail pages, headings, labels, level words) can still be edited."
    )


def _render(request, template, round, context, status=200):
    forms = context.get("error_forms") or ([context["form"]] if context.get("form") else [])
    for form in forms:
        form.describe()
    context = {
        "round": round,
        "frozen": round.tree_is_frozen,
        "frozen_reason": _frozen_reason(),
        "error_forms": forms,
        "has_errors": bool(context.get("page_errors")) or any(form.errors for form in forms),
        **context,
    }
    return render(request, template, context, status=status)


def _place_errors(error: RoundEditError, forms: list, page_errors: list[str]) -> None:
    """The file's messages next to the fields they concern; the rest at the top of the page."""
    fields = {}
    for form in forms:
        for name in form.fields:
            fields[form.add_prefix(name)] = (form, name)
    for name, errors in error.by_field.items():
        if name in fields:
            form, field_name = fields[name]
            form.add_error(field_name, errors)
        else:
            page_errors.extend(errors)


def _saved(request, message: str):
    messages.success(request, message)


def _text_of(text: dict | None) -> str:
    """A text of the definition in the active language, falling back to Finnish (lib/i18n.py's rule)."""
    return localized(SimpleNamespace(**{f"t_{code}": (text or {}).get(code, "") for code in LANGUAGE_LABELS}), "t")


def _short(text: str) -> str:
    return text if len(text) <= NAME_MAX else text[: NAME_MAX - 1].rstrip() + "…"


# The round's settings


@login_required
def round_settings(request, code):
    round = get_round_for_user(request, code, manage=True)
    data = round_definition(round=round)
    page_errors: list[str] = []
    if request.method == "POST":
        form = SettingsForm(request.POST, initial=SettingsForm.initial_from(data))
        if form.is_valid():
            try:
                round_change(
                    round=round, change=form.apply, by=request.user, what="settings", fields=SettingsForm.field_map()
                )
            except RoundEditError as error:
                _place_errors(error, [form], page_errors)
            else:
                _saved(request, _("The round's settings are saved."))
                return redirect("staff:round_settings", round.code)
        return _render(
            request, "staff/editor/settings.html", round, {"form": form, "page_errors": page_errors}, status=400
        )
    form = SettingsForm(initial=SettingsForm.initial_from(data))
    return _render(request, "staff/editor/settings.html", round, {"form": form, "page_errors": page_errors})


# The scale


@login_required
def round_scale(request, code):
    round = get_round_for_user(request, code, manage=True)
    frozen = round.tree_is_frozen
    data = round_definition(round=round)
    formset_class = FrozenScaleStepFormSet if frozen else ScaleStepFormSet
    initial = scale_initial(data)
    dont_know_initial = text_initial(data["scale"].get("dont_know"), "dont_know")
    page_errors: list[str] = []
    if request.method == "POST":
        formset = formset_class(request.POST, initial=initial, prefix="step", frozen=frozen)
        dont_know = DontKnowForm(request.POST, initial=dont_know_initial, frozen=frozen)
        if not _formset_matches(request.POST, "step", len(initial), formset.extra):
            page_errors.append(_out_of_date())
        elif formset.is_valid() and dont_know.is_valid():
            kept = [
                i
                for i, form in enumerate(formset.forms)
                if not (formset.can_delete and form.cleaned_data.get("DELETE")) and not form.is_blank()
            ]
            if frozen:
                # The steps as asked, each with its (possibly new) level word.
                kept = list(range(len(formset.forms)))

            def change(definition):
                definition["scale"]["options"] = [formset.forms[i].step() for i in kept]
                definition["scale"]["dont_know"] = dont_know.text("dont_know", required=True)
                return definition

            try:
                round_change(round=round, change=change, by=request.user, what="scale", fields=scale_field_map(kept))
            except RoundEditError as error:
                _place_errors(error, [*formset.forms, dont_know], page_errors)
            else:
                _saved(request, _("The scale is saved."))
                return redirect("staff:round_scale", round.code)
        page_errors += list(formset.non_form_errors())
        status = 400
    else:
        formset = formset_class(initial=initial, prefix="step", frozen=frozen)
        dont_know = DontKnowForm(initial=dont_know_initial, frozen=frozen)
        status = 200
    return _render(
        request,
        "staff/editor/scale.html",
        round,
        {
            "formset": formset,
            "dont_know": dont_know,
            "error_forms": [*formset.forms, dont_know],
            "page_errors": page_errors,
            "extra_from": len(initial),
        },
        status=status,
    )


# Open questions


@login_required
def round_questions(request, code):
    round = get_round_for_user(request, code, manage=True)
    frozen = round.tree_is_frozen
    data = round_definition(round=round)
    initial = questions_initial(data)
    page_errors: list[str] = []
    if request.method == "POST":
        formset = QuestionFormSet(request.POST, initial=initial, prefix="question")
        move = _question_move(request.POST.getlist("move"))
        if frozen:
            page_errors.append(_("The open questions cannot change once a municipality has answered."))
        elif move is False or (move is not None and not _question_can_move(move, len(initial))):
            page_errors.append(_("The move asked for is not valid. Nothing was saved. Reload the page and try again."))
        elif not _formset_matches(request.POST, "question", len(initial), formset.extra):
            page_errors.append(_out_of_date())
        elif formset.is_valid():
            kept = [
                i for i, form in enumerate(formset.forms) if not form.cleaned_data.get("DELETE") and not form.is_blank()
            ]
            if move is not None:
                direction, index = move
                if index in kept:
                    at = kept.index(index)
                    other = at - 1 if direction == "up" else at + 1
                    if 0 <= other < len(kept):
                        kept[at], kept[other] = kept[other], kept[at]

            def change(definition):
                taken = tree_codes(definition) - {question["code"] for question in definition.get("questions") or []}
                questions = []
                for i in kept:
                    question = formset.forms[i].question(taken)
                    taken.add(question["code"])
                    questions.append(question)
                if questions:
                    definition["questions"] = questions
                else:
                    definition.pop("questions", None)
                return definition

            try:
                round_change(
                    round=round, change=change, by=request.user, what="questions", fields=questions_field_map(kept)
                )
            except RoundEditError as error:
                _place_errors(error, formset.forms, page_errors)
            else:
                _saved(request, _("The open questions are saved."))
                url = reverse("staff:round_questions", args=[round.code])
                if move is not None and move[1] in kept:
                    # Back to the button that moved the question (a fragment focuses it), or to its box at an end.
                    position, count = kept.index(move[1]), len(kept)
                    can_repeat = position > 0 if move[0] == "up" else position < count - 1
                    anchor = f"question-{position}-{move[0]}" if can_repeat else f"question-{position}"
                    return redirect(f"{url}#{anchor}")
                return redirect(url)
        page_errors += list(formset.non_form_errors())
        status = 400
    else:
        formset = QuestionFormSet(initial=initial, prefix="question")
        status = 200
    return _render(
        request,
        "staff/editor/questions.html",
        round,
        {
            "formset": formset,
            "error_forms": formset.forms,
            "page_errors": page_errors,
            "questions": data.get("questions") or [],
            "existing": len(initial),
        },
        status=status,
    )


def _question_can_move(move: tuple[str, int], existing: int) -> bool:
    direction, index = move
    return 0 < index < existing if direction == "up" else 0 <= index < existing - 1


def _formset_matches(post, prefix: str, initial_count: int, extra: int) -> bool:
    """Whether a posted formset was made from the rows there are now: a page loaded before someone else
    added or removed a row (or a request changed on the way) must not drop or mix up rows."""
    counts = [post.getlist(f"{prefix}-{name}") for name in ("TOTAL_FORMS", "INITIAL_FORMS")]
    if any(len(values) != 1 for values in counts):
        return False
    total, initial = (ascii_int(values[0], max_digits=3) for values in counts)
    return initial == initial_count and total is not None and initial_count <= total <= initial_count + extra


def _out_of_date() -> str:
    return _("The page is out of date or was changed on the way. Nothing was saved. Reload the page and try again.")


def _question_move(values: list[str]):
    """None for no move, (direction, index) for one, False for what no button sends."""
    if not values:
        return None
    if len(values) != 1:
        return False
    direction, _sep, index = values[0].partition("-")
    number = ascii_int(index, max_digits=3)
    if direction not in ("up", "down") or number is None:
        return False
    return direction, number


# The goal tree


@dataclass
class TreeItem:
    row: TreeRow
    kind: str
    text: str
    name: str  # the node as a button's accessible name names it
    label: str
    moves: list[tuple[str, str]]  # (direction, visible label) of the moves it can make
    add: list[tuple[str, str]]  # (kind key, link text) of the children it can take
    children: list["TreeItem"] = field(default_factory=list)


def _tree_items(data: dict, frozen: bool) -> list[TreeItem]:
    items: dict[str, TreeItem] = {}
    top: list[TreeItem] = []
    for row in tree_rows(data):
        text = _text_of(row.node.get("text"))
        possible = set() if frozen else node_moves(data, row.code)
        item = TreeItem(
            row=row,
            kind=KIND_LABELS[row.key](),
            text=text,
            name=_short(text) or row.code,
            label=_text_of(row.node.get("label")),
            moves=[(direction, MOVE_LABELS[direction]()) for direction in MOVES if direction in possible],
            add=[] if frozen else [(key, _add_label(key)) for key in child_keys(row.key)],
        )
        items[row.code] = item
        (items[row.parent_code].children if row.parent_code else top).append(item)
    return top


def _add_label(key: str) -> str:
    return {
        "themes": _("Add a theme"),
        "goals": _("Add a goal"),
        "subgoals": _("Add a sub-goal"),
        "documents": _("Add a strategy document"),
    }[key]


def _tree_page(request, round, data, *, page_errors=(), status=200):
    frozen = round.tree_is_frozen
    return _render(
        request,
        "staff/editor/tree.html",
        round,
        {
            "items": _tree_items(data, frozen),
            "page_errors": list(page_errors),
        },
        status=status,
    )


@login_required
@require_GET
def round_tree(request, code):
    round = get_round_for_user(request, code, manage=True)
    return _tree_page(request, round, round_definition(round=round))


def _node_or_404(data: dict, node_code: str) -> TreeRow:
    try:
        return node_row(data, node_code)
    except KeyError:
        raise Http404 from None


def _node_context(row: TreeRow) -> dict:
    return {"node_row": row, "node_kind": KIND_LABELS[row.key](), "node_text": _text_of(row.node.get("text"))}


@login_required
def node_edit_view(request, code, node_code):
    round = get_round_for_user(request, code, manage=True)
    frozen = round.tree_is_frozen
    data = round_definition(round=round)
    row = _node_or_404(data, node_code)
    page_errors: list[str] = []
    initial = NodeForm.initial_from(row.node)
    if request.method == "POST":
        form = NodeForm(request.POST, initial=initial, frozen=frozen)
        if form.is_valid():
            taken = tree_codes(data) - {node_code}
            values = form.values(taken)
            if values["code"] in taken:
                form.add_error("code", _code_taken(values["code"]))
            else:
                try:
                    round_change(
                        round=round,
                        change=lambda definition: node_edit(definition, code=node_code, values=values),
                        by=request.user,
                        what="node_edit",
                        detail={"node": node_code},
                        fields=lambda definition: node_fields(node_row(definition, values["code"]).loc),
                    )
                except RoundEditError as error:
                    _place_errors(error, [form], page_errors)
                else:
                    _saved(request, _("Saved: %(node)s") % {"node": _short(_text_of(values["text"])) or values["code"]})
                    return redirect(reverse("staff:round_tree", args=[round.code]) + f"#node-{values['code']}")
        status = 400
    else:
        form = NodeForm(initial=initial, frozen=frozen)
        status = 200
    return _render(
        request,
        "staff/editor/node_form.html",
        round,
        {"form": form, "page_errors": page_errors, "adding": False, **_node_context(row)},
        status=status,
    )


def _code_taken(code: str) -> str:
    return _("The code “%(code)s” is already used in this round: each goal and question needs its own.") % {
        "code": code
    }


@login_required
def node_add_view(request, code):
    round = get_round_for_user(request, code, manage=True)
    data = round_definition(round=round)
    parent_code = request.GET.get("parent") or None
    parent = _node_or_404(data, parent_code) if parent_code else None
    keys = child_keys(parent.key if parent else None)
    key = request.GET.get("kind") or (keys[0] if keys else "")
    if key not in keys:
        raise Http404
    first_goal = key in ("documents", "themes")
    context = {
        "adding": True,
        "parent_row": parent,
        "parent_text": _text_of(parent.node.get("text")) if parent else "",
        "new_kind": KIND_LABELS[key](),
        "first_goal": first_goal,
    }
    page_errors: list[str] = []
    if round.tree_is_frozen:
        if request.method == "POST":
            page_errors.append(_("Nothing can be added to the goal tree once a municipality has answered."))
        return _render(
            request,
            "staff/editor/node_form.html",
            round,
            {"form": None, "page_errors": page_errors, **context},
            status=400 if request.method == "POST" else 200,
        )
    if request.method == "POST":
        form = NodeForm(request.POST, first_goal=first_goal, adding=True)
        if form.is_valid():
            taken = tree_codes(data)
            values = {name: value for name, value in form.values(taken).items() if value is not None}
            taken_now = taken | {values["code"]}
            first = form.first(taken_now) if first_goal else None
            if values["code"] in taken:
                form.add_error("code", _code_taken(values["code"]))
            elif first is not None and first["code"] in taken_now:
                form.add_error("first_code", _code_taken(first["code"]))
            else:
                node = values | ({"goals": [first]} if first else {})

                def fields(definition):
                    loc = node_row(definition, node["code"]).loc
                    mapped = node_fields(loc)
                    if first:
                        mapped |= node_fields((*loc, "goals", 0), prefix="first_")
                    return mapped

                try:
                    round_change(
                        round=round,
                        change=lambda definition: node_add(definition, parent=parent_code, key=key, node=node),
                        by=request.user,
                        what="node_add",
                        detail={"node": node["code"]},
                        fields=fields,
                    )
                except RoundEditError as error:
                    _place_errors(error, [form], page_errors)
                else:
                    _saved(request, _("Added: %(node)s") % {"node": _short(_text_of(node["text"])) or node["code"]})
                    return redirect(reverse("staff:round_tree", args=[round.code]) + f"#node-{node['code']}")
        status = 400
    else:
        form = NodeForm(first_goal=first_goal, adding=True)
        status = 200
    return _render(
        request, "staff/editor/node_form.html", round, {"form": form, "page_errors": page_errors, **context}, status
    )


@login_required
def node_delete_view(request, code, node_code):
    """GET names the node and everything under it; POST deletes them."""
    round = get_round_for_user(request, code, manage=True)
    data = round_definition(round=round)
    row = _node_or_404(data, node_code)
    descendants = [
        {
            "kind": KIND_LABELS[other.key](),
            "code": other.code,
            "text": _text_of(other.node.get("text")),
            "depth": other.depth,
        }
        for other in node_descendants(data, node_code)
    ]
    page_errors: list[str] = []
    status = 200
    if request.method == "POST":
        if round.tree_is_frozen:
            page_errors.append(_("Nothing can be removed from the goal tree once a municipality has answered."))
        else:
            try:
                round_change(
                    round=round,
                    change=lambda definition: node_delete(definition, code=node_code),
                    by=request.user,
                    what="node_delete",
                    detail={"node": node_code, "with": len(descendants)},
                )
            except RoundEditError as error:
                page_errors += [message for messages_ in error.by_field.values() for message in messages_]
            else:
                _saved(request, _("Removed: %(node)s") % {"node": _short(_text_of(row.node.get("text"))) or node_code})
                return redirect("staff:round_tree", round.code)
        status = 400
    return _render(
        request,
        "staff/editor/node_delete.html",
        round,
        {"descendants": descendants, "page_errors": page_errors, **_node_context(row)},
        status=status,
    )


@login_required
@require_POST
def node_move_view(request, code, node_code):
    round = get_round_for_user(request, code, manage=True)
    data = round_definition(round=round)
    row = _node_or_404(data, node_code)
    directions = request.POST.getlist("direction")
    if len(directions) != 1 or directions[0] not in MOVES:
        return _tree_page(
            request,
            round,
            data,
            page_errors=[_("The move asked for is not valid. Reload the page and try again.")],
            status=400,
        )
    direction = directions[0]
    if round.tree_is_frozen:
        return _tree_page(
            request,
            round,
            data,
            page_errors=[_("The goal tree cannot change once a municipality has answered.")],
            status=400,
        )
    try:
        round_change(
            round=round,
            change=lambda definition: MOVES[direction](definition, code=node_code),
            by=request.user,
            what="node_move",
            detail={"node": node_code, "direction": direction},
        )
    except TreeChangeRefused as refused:
        return _tree_page(request, round, data, page_errors=[str(refused)], status=400)
    except RoundEditError as error:
        errors = [message for messages_ in error.by_field.values() for message in messages_]
        return _tree_page(request, round, data, page_errors=errors, status=400)
    name = _short(_text_of(row.node.get("text"))) or node_code
    _saved(request, f"{MOVE_LABELS[direction]()}: {name}")
    # Back to the node, at the button that moved it (a fragment focuses its target), so that Enter moves it again;
    # at its edit link when that move can be made no more.
    again = direction in node_moves(round_definition(round=round), node_code)
    anchor = f"move-{node_code}-{direction}" if again else f"edit-{node_code}"
    return redirect(reverse("staff:round_tree", args=[round.code]) + f"#{anchor}")


# The check before opening


def _fix_url(round: Round, fix: Fix | None) -> str:
    if fix is None:
        return ""
    anchor = f"#id_{fix.field}" if fix.field else ""
    pages = {
        "settings": lambda: reverse("staff:round_settings", args=[round.code]) + anchor,
        "scale": lambda: reverse("staff:round_scale", args=[round.code]) + anchor,
        "questions": lambda: reverse("staff:round_questions", args=[round.code]) + anchor,
        "tree": lambda: reverse("staff:round_tree", args=[round.code]),
        "node": lambda: reverse("staff:node_edit", args=[round.code, fix.key]) + anchor,
        "invitation": lambda: reverse("staff:invitation", args=[round.code, fix.key]) + "#contacts",
        "round": lambda: reverse("staff:round", args=[round.code]),
    }
    return pages[fix.page]()


def check_sections(round: Round) -> list[CheckSection]:
    """The check before opening for `round` now, each gap with `url`, the page (and field) that fixes it."""
    sections = round_check(
        definition=round_definition(round=round),
        today=local_date(timezone.now()),
        mail=MailSetup(backend=settings.EMAIL_BACKEND, host=settings.EMAIL_HOST, debug=settings.DEBUG),
    )
    for section in sections:
        section.links = [(gap, _fix_url(round, gap.fix)) for gap in section.gaps]
    return sections


def check_summary(round: Round) -> dict:
    """For the round's page: how many gaps the check finds."""
    sections = check_sections(round)
    return {"gaps": round_check_gaps(sections), "sections": sections}


@login_required
@require_GET
def round_check_view(request, code):
    round = get_round_for_user(request, code, manage=True)
    sections = check_sections(round)
    return _render(
        request,
        "staff/editor/check.html",
        round,
        {
            "sections": sections,
            "gaps": round_check_gaps(sections),
            "opened": round.opens_on <= local_date(timezone.now()),
        },
    )
