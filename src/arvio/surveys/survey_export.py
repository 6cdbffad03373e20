"""Writing a round as a survey definition file (docs/survey-format.md), the inverse of `survey_import`.

The invitations and their contact people come through the round's reverse relations: surveys sits
below invitations and does not import it.
"""

import yaml

from arvio.lib.i18n import LANGUAGES
from arvio.records.models import AuditEntry
from arvio.records.services import record
from arvio.surveys.definition import FORMAT, NO_BASELINE
from arvio.surveys.models import Node, Round, ScaleOption


def survey_export(*, round: Round) -> dict:
    """The round as the data of a survey definition file, in the order of the form and the report."""
    nodes = round.tree()
    invitations = list(round.invitations.select_related("municipality").prefetch_related("contacts"))
    data = {
        "format": FORMAT,
        "organizer": {"code": round.organizer.code, "name": _text(round.organizer, "name")},
        "municipalities": [
            {
                "code": invitation.municipality.code,
                "name": _text(invitation.municipality, "name"),
                "language": invitation.municipality.language,
            }
            for invitation in invitations
        ],
        "round": _round(round),
        "scale": {
            "options": [_scale_option(option) for option in round.scale.all()],
            "dont_know": _text(round, "dont_know_label"),
        },
        "documents": [_node(node, "documents") for node in nodes if node.parent_id is None],
    }
    questions = [{"code": question.code, "text": _text(question, "text")} for question in round.questions.all()]
    if questions:
        data["questions"] = questions
    data["invitations"] = [_invitation(invitation) for invitation in invitations]
    if comparison := _comparison(round):
        data["comparison"] = comparison
    return data


def _comparison(round: Round) -> dict | None:
    """The `comparison` key: only what staff chose; a round on the default rule without a mapping has none."""
    data = {}
    if round.no_baseline:
        data["baseline"] = NO_BASELINE
    elif round.baseline_id is not None:
        data["baseline"] = round.baseline.code
    rows: dict[str, list[str]] = {}
    for row in round.baseline_mapping.all():
        rows.setdefault(row.baseline_code, []).append(row.code)
    if rows:
        data["mapping"] = [{"baseline_goal": code, "goals": goals} for code, goals in rows.items()]
    return data or None


def survey_export_yaml(*, round: Round, by=None) -> str:
    """The survey file's text. It lists the contact people (personal data): each export is recorded."""
    record(action=AuditEntry.Action.SURVEY_EXPORT, by=by, round_code=round.code)
    return yaml.dump(
        survey_export(round=round),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )


class _Dumper(yaml.SafeDumper):
    """Indents lists under their key, writes texts with line breaks as literal blocks, never uses anchors."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data):
        return True


def _represent_str(dumper, value):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _represent_str)


def _text(obj, field: str) -> dict | None:
    values = {language: getattr(obj, f"{field}_{language}") for language in LANGUAGES}
    if not any(values.values()):
        return None
    return {language: value for language, value in values.items() if value or language != "en"}


def _round(round: Round) -> dict:
    data = {"code": round.code, "title": _text(round, "title")}
    for field in ("report_title", "purpose", "instructions", "target_group"):
        if text := _text(round, field):
            data[field] = text
    data |= {
        "opens_on": round.opens_on,
        "closes_on": round.closes_on,
        "allow_changes_after_submit": round.allow_changes_after_submit,
        "reminder_interval_days": round.reminder_interval_days,
        "translations_unofficial": round.translations_unofficial,
        "narrative": {"strongest": round.narrative_strongest, "weakest": round.narrative_weakest},
    }
    return data


def _scale_option(option: ScaleOption) -> dict:
    data = {"value": option.value, "label": _text(option, "label")}
    if level := _text(option, "level"):
        data["level"] = level
    return data


def _node(node: Node, key: str) -> dict:
    data = {"code": node.code, "text": _text(node, "text")}
    for field in ("label", "label_genitive", "heading"):
        if text := _text(node, field):
            data[field] = text
    if node.summary_row:
        data["summary_row"] = True
    if node.detail_page:
        data["detail_page"] = True
    for child_key, kinds in _CHILD_KEYS[key]:
        children = [_node(child, child_key) for child in node.child_nodes if child.kind in kinds]
        if children:
            data[child_key] = children
    return data


# Which children go under which key; a goal's children are its sub-goals whatever the admin called them.
_CHILD_KEYS = {
    "root": [("documents", set(Node.Kind))],
    "documents": [("goals", {Node.Kind.GOAL, Node.Kind.SUBGOAL}), ("themes", {Node.Kind.THEME, Node.Kind.DOCUMENT})],
    "themes": [("goals", set(Node.Kind))],
    "goals": [("subgoals", set(Node.Kind))],
    "subgoals": [],
}


def node_positions(tree: list[Node]) -> dict[str, int]:
    """Each node's place among its siblings as the export lists them: a document's goals before its themes.

    The import compares a file with these places rather than with the stored `order`, which the admin
    may have numbered otherwise.
    """
    positions = {}

    def walk(nodes, key):
        position = 0
        for child_key, kinds in _CHILD_KEYS[key]:
            for node in nodes:
                if node.kind in kinds:
                    position += 1
                    positions[node.code] = position
                    walk(node.child_nodes, child_key)

    walk([node for node in tree if node.parent_id is None], "root")
    return positions


def _invitation(invitation) -> dict:
    data = {"municipality": invitation.municipality.code}
    if invitation.deadline_extended_to:
        data["deadline_extended_to"] = invitation.deadline_extended_to
    data["contacts"] = [
        {"name": contact.name, "email": contact.email} | ({"role": contact.role} if contact.role else {})
        for contact in invitation.contacts.all()
    ]
    return data
