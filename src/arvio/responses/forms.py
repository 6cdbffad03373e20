"""The answer form's layout, and the submitter's form.

The form follows the report: a node marked `detail_page` starts a section, and
the goals of a main goal are asked under its text. Goals that no detail page
holds are asked in a section of their theme or document, so every rated goal
is asked exactly once, in the order of the goal tree.
"""

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from arvio.lib.text import SingleValues, TextField
from arvio.responses.models import DONT_KNOW
from arvio.surveys.models import Node, Question, Round
from arvio.surveys.pages import heading_parts

# The anchor of the answer form's own buttons: where "Save draft" at the end of the form returns to.
FORM_ACTIONS = "form-actions"


@dataclass
class GoalField:
    node: Node
    name: str
    value: str = ""
    error: str = ""
    chosen_label: str = ""


@dataclass
class GoalGroup:
    """Goals asked under the same context: the main goal (and theme) above them, if any."""

    context: list[Node]
    goals: list[GoalField] = field(default_factory=list)


@dataclass
class Section:
    node: Node
    groups: list[GoalGroup] = field(default_factory=list)
    part: str = ""  # "1/4" where detail pages share a heading, numbered as the report numbers them

    @property
    def anchor(self) -> str:
        return f"s-{self.node.code}"

    @property
    def heading(self) -> str:
        return _heading(self.node)

    @property
    def intro(self) -> str:
        """A main goal whose page has a heading of its own still stands above its sub-goals in its own words.

        (A theme's or document's text is only its name, which its heading already carries.)
        """
        if self.node.kind != Node.Kind.GOAL or self.node.is_rated:
            return ""
        text = self.node.tr("text")
        return text if text != self.heading else ""

    @property
    def goals(self) -> list[GoalField]:
        return [goal for group in self.groups for goal in group.goals]


@dataclass
class QuestionField:
    question: Question
    name: str
    value: str = ""
    error: str = ""


def scale_choices(round: Round, scale=None) -> list[tuple[str, str]]:
    """(value, label) for each radio button: "5 – Erinomaisesti" … and the round's "can't say".

    `scale`: the round's scale options, where the caller has them already."""
    options = round.scale.all() if scale is None else scale
    choices = [(str(option.value), f"{option.value} – {option.tr('label')}") for option in options]
    return [*choices, (DONT_KNOW, round.tr("dont_know_label"))]


def draft_values(draft: dict) -> dict[str, str]:
    """A stored draft as the form's field values."""
    values = {f"g-{code}": str(value) for code, value in draft.get("ratings", {}).items()}
    values.update({f"q-{code}": text for code, text in draft.get("comments", {}).items()})
    return values


def answer_sections(
    tree: list[Node], *, values: dict[str, str], errors: dict[str, str], choices: list[tuple[str, str]]
) -> list[Section]:
    by_pk = {node.pk: node for node in tree}
    labels = dict(choices)
    sections: list[Section] = []
    for node in tree:
        if not node.is_rated:
            continue
        chain = [node]
        while chain[0].parent_id is not None:
            chain.insert(0, by_pk[chain[0].parent_id])
        section_node = _section_node(chain)
        context = chain[chain.index(section_node) + 1 : -1]
        if not sections or sections[-1].node is not section_node:
            sections.append(Section(section_node))
        section = sections[-1]
        if not section.groups or section.groups[-1].context != context:
            section.groups.append(GoalGroup(context))
        name = f"g-{node.code}"
        value = values.get(name, "")
        section.groups[-1].goals.append(
            GoalField(node, name, value=value, error=errors.get(name, ""), chosen_label=labels.get(value, ""))
        )
    # Numbered among every detail page of the tree, as the report numbers its pages (surveys/pages.py).
    pages = [node for node in tree if node.detail_page]
    parts = dict(zip((node.pk for node in pages), heading_parts([_heading(node) for node in pages])))
    for section in sections:
        section.part = parts.get(section.node.pk, "")
    return sections


def _heading(node: Node) -> str:
    return node.tr("heading") or node.tr("text")


def rated_count(sections: list[Section]) -> tuple[int, int]:
    """(goals rated or answered "can't say", goals asked): the progress line's "12/26"."""
    goals = [goal for section in sections for goal in section.goals]
    return sum(1 for goal in goals if goal.chosen_label), len(goals)


def _section_node(chain: list[Node]) -> Node:
    """The nearest node that starts a detail page, else the nearest theme or document."""
    for node in reversed(chain):
        if node.detail_page:
            return node
    for node in reversed(chain[:-1]):
        if node.kind in (Node.Kind.THEME, Node.Kind.DOCUMENT):
            return node
    return chain[0]


def question_fields(questions, *, values: dict[str, str], errors: dict[str, str]) -> list[QuestionField]:
    fields = []
    for question in questions:
        name = f"q-{question.code}"
        fields.append(QuestionField(question, name, value=values.get(name, ""), error=errors.get(name, "")))
    return fields


def answer_context(invitation, *, values: dict, errors: dict | None = None) -> dict:
    """The goals and questions of the invitation's round, filled with `values`: what the answer form, its
    review and its read-only pages show, and what the staff's preview shows of a round (staff/round_preview.py)."""
    round = invitation.round
    scale = list(round.scale.all())
    choices = scale_choices(round, scale)
    errors = errors or {}
    sections = answer_sections(round.tree(), values=values, errors=errors, choices=choices)
    rated, asked = rated_count(sections)
    return {
        "invitation": invitation,
        "round": round,
        "municipality": invitation.municipality,
        "scale": scale,
        "choices": choices,
        "sections": sections,
        "questions": question_fields(round.questions.all(), values=values, errors=errors),
        "rated": rated,
        "asked": asked,
    }


class SubmitForm(SingleValues, forms.Form):
    """Who sends the answer on the municipality's behalf."""

    # The error names the field, so that a screen reader's user hears which one is missing.
    name = TextField(label=_("Your name"), max_length=200, error_messages={"required": _("Write your name")})
    role = TextField(label=_("Your title or role"), max_length=90, required=False)

    def submitted_by(self) -> str:
        name, role = self.cleaned_data["name"].strip(), self.cleaned_data["role"].strip()
        return f"{name}, {role}" if role else name
