"""Editing a round on its pages, through the survey file's own rules (docs/survey-format.md).

An edit never writes a row itself. `round_change` takes the round as its survey definition
(`survey_export`), lets the edit change that data, checks the result with the file's schema
(`survey_definition_validate`) and writes it with the file's writer (`survey_definition_write`), which
refuses a change to what was asked once anybody has answered and keeps the goal tree's rows by code.
So a round edited in the browser always exports to a file that imports back, and a rule of the file
is never written twice.

The goal tree's operations are pure functions on that data: each takes the definition and returns a
changed copy, and never looks at the database.
"""

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from arvio.records.models import AuditEntry
from arvio.records.services import record
from arvio.surveys.definition import CHILD_KEYS, Loc, SurveyFileError, place, survey_definition_validate
from arvio.surveys.models import Round
from arvio.surveys.survey_export import survey_export
from arvio.surveys.survey_import import survey_definition_write

Change = Callable[[dict], dict]
# Where the problems of the changed data go on the form: a place in the data (or the start of one) → a field.
FieldMap = Mapping[Loc, str | None]


class RoundEditError(SurveyFileError):
    """The file's refusal of an edit, with each problem under the form field it concerns (None: the whole form)."""

    def __init__(self, errors: list[str], problems: list[tuple[Loc, str]], by_field: dict[str | None, list[str]]):
        super().__init__(errors, problems)
        self.by_field = by_field


def round_definition(*, round: Round) -> dict:
    """The round as the data of its survey file, for an editor to show and change."""
    return survey_export(round=round)


def round_change(
    *,
    round: Round,
    change: Change,
    by,
    what: str,
    fields: FieldMap | Callable[[dict], FieldMap] = (),
    detail: dict | None = None,
) -> Round:
    """Applies `change` to the round's definition and writes it, all or nothing; records one "round edit".

    `change` takes the definition and returns the changed one. `what` names the editor in the audit log
    ("settings", "scale", "node_add" …). `fields` maps places in the changed data to the form's fields
    (or is a function of the changed data that gives that map): a refused edit raises RoundEditError
    with each problem under its field. An edit that changes nothing writes and records nothing.
    """
    with transaction.atomic():
        # Locked before it is read, so that two people's edits follow one another instead of one losing the other.
        locked = Round.objects.select_for_update().get(pk=round.pk)
        before = survey_export(round=locked)
        after = change(copy.deepcopy(before))
        if after == before:
            return locked
        field_map = fields(after) if callable(fields) else fields
        try:
            definition = survey_definition_validate(after)
            if definition.round.code != locked.code:
                raise SurveyFileError([_("the round's code cannot be changed")])
            written = survey_definition_write(definition=definition, invitations=False)
        except SurveyFileError as error:
            raise _for_fields(error, field_map, after) from None
        record(
            action=AuditEntry.Action.ROUND_EDIT,
            by=by,
            round_code=written.code,
            detail={"what": what, **(detail or {})},
        )
    return written


def _for_fields(error: SurveyFileError, fields: FieldMap, data: dict) -> RoundEditError:
    by_field: dict[str | None, list[str]] = {}
    for loc, message in error.problems:
        loc = tuple(loc)
        field, matched = _field_of(loc, fields)
        # A message at the field's own place (or at one of its languages) needs no place; any other names it.
        if loc and len(loc) - matched > 1:
            message = f"{describe_place(data, loc)}: {message}"
        by_field.setdefault(field, []).append(message)
    return RoundEditError(error.errors, error.problems, by_field)


def _field_of(loc: Loc, fields: FieldMap) -> tuple[str | None, int]:
    """The field of the longest start of `loc` that `fields` names, and that start's length."""
    for end in range(len(loc), 0, -1):
        if loc[:end] in fields:
            return fields[loc[:end]], end
    return None, 0


KIND_NAMES = {
    "documents": lambda: _("strategy document"),
    "themes": lambda: _("theme"),
    "goals": lambda: _("goal"),
    "subgoals": lambda: _("sub-goal"),
}


def describe_place(data: dict, loc: Loc) -> str:
    """A place in the data as a person names it: "goal “osallisuus”, text (sv)" rather than documents[0].goals[1]."""
    value: object = data
    named = ""
    rest: list = []
    i = 0
    while i < len(loc):
        part = loc[i]
        if (
            isinstance(part, str)
            and part in KIND_NAMES
            and i + 1 < len(loc)
            and isinstance(value, dict)
            and isinstance(value.get(part), list)
            and isinstance(loc[i + 1], int)
            and loc[i + 1] < len(value[part])
        ):
            value = value[part][loc[i + 1]]
            code = value.get("code") if isinstance(value, dict) else None
            named = f"{KIND_NAMES[part]()} “{code}”" if code else KIND_NAMES[part]()
            rest = []
            i += 2
            continue
        rest.append(part)
        value = value.get(part) if isinstance(value, dict) else None
        i += 1
    if not named and len(loc) > 1 and loc[0] == "invitations" and isinstance(loc[1], int):
        invitations = data.get("invitations") or []
        if loc[1] < len(invitations) and isinstance(invitations[loc[1]], dict):
            named = _("invitation of {municipality}").format(municipality=invitations[loc[1]].get("municipality"))
            rest = list(loc[2:])
    if not named:
        return place(loc)
    if rest:
        return f"{named}, {place(tuple(rest))}"
    return named


# The goal tree, as the definition holds it: documents → themes and goals → goals → sub-goals.

NODE_KIND = {"documents": "document", "themes": "theme", "goals": "goal", "subgoals": "subgoal"}


class TreeChangeRefused(Exception):
    """A tree operation that cannot be done where the node stands; the message says why, in the active language."""


@dataclass(frozen=True)
class TreeRow:
    """One node of the tree as the editor lists it."""

    loc: Loc
    key: str  # the list that holds it: documents, themes, goals or subgoals
    node: dict
    depth: int
    parent_code: str | None
    index: int  # its place in that list
    siblings: int  # how many that list holds

    @property
    def kind(self) -> str:
        return NODE_KIND[self.key]

    @property
    def code(self) -> str:
        return self.node["code"]

    @property
    def is_rated(self) -> bool:
        return not any(self.node.get(key) for key in CHILD_KEYS[self.key])


def tree_rows(data: dict) -> list[TreeRow]:
    """Every node, depth first in the order of the form and the report."""
    rows: list[TreeRow] = []

    def walk(parent: dict, parent_loc: Loc, keys: tuple, depth: int, parent_code: str | None):
        for key in keys:
            nodes = parent.get(key) or []
            for i, node in enumerate(nodes):
                loc = (*parent_loc, key, i)
                rows.append(TreeRow(loc, key, node, depth, parent_code, i, len(nodes)))
                walk(node, loc, CHILD_KEYS[key], depth + 1, node.get("code"))

    walk(data, (), ("documents",), 0, None)
    return rows


def node_row(data: dict, code: str) -> TreeRow:
    """The node with `code`; KeyError if the tree has none."""
    for row in tree_rows(data):
        if row.code == code:
            return row
    raise KeyError(code)


def node_descendants(data: dict, code: str) -> list[TreeRow]:
    """Every node under the node with `code`, depth first."""
    row = node_row(data, code)
    return [other for other in tree_rows(data) if other.loc[: len(row.loc)] == row.loc and other.loc != row.loc]


def tree_codes(data: dict) -> set[str]:
    """Every code of the round's nodes and questions: one code names one thing in a round."""
    return {row.code for row in tree_rows(data)} | {question.get("code") for question in data.get("questions") or []}


def _at(data: dict, loc: Loc):
    value = data
    for part in loc:
        value = value[part]
    return value


def _list_of(data: dict, row: TreeRow) -> list:
    return _at(data, row.loc[:-1])


def child_keys(parent_key: str | None) -> tuple[str, ...]:
    """The lists a node kept under `parent_key` may hold children in (None: the tree's top, its documents)."""
    return ("documents",) if parent_key is None else CHILD_KEYS[parent_key]


def node_add(data: dict, *, parent: str | None, key: str, node: dict) -> dict:
    """The tree with `node` added as the last of `parent`'s `key` (no parent: a new document)."""
    data = copy.deepcopy(data)
    if parent is None:
        holder, parent_key = data, None
    else:
        row = node_row(data, parent)
        holder, parent_key = _at(data, row.loc), row.key
    if key not in child_keys(parent_key):
        raise TreeChangeRefused(_("A node of that kind cannot be added there."))
    holder.setdefault(key, []).append(copy.deepcopy(node))
    return data


def node_edit(data: dict, *, code: str, values: dict) -> dict:
    """The tree with the node's keys set to `values`; a value of None removes its key."""
    data = copy.deepcopy(data)
    node = _at(data, node_row(data, code).loc)
    for key, value in values.items():
        if value is None:
            node.pop(key, None)
        else:
            node[key] = value
    return data


def node_delete(data: dict, *, code: str) -> dict:
    """The tree without the node and everything under it."""
    data = copy.deepcopy(data)
    row = node_row(data, code)
    del _list_of(data, row)[row.index]
    return data


def node_move_up(data: dict, *, code: str) -> dict:
    """One place up among its siblings; the first moves to the end of the same list of the parent's previous sibling."""
    return _move_along(data, code, -1)


def node_move_down(data: dict, *, code: str) -> dict:
    """One place down; the last moves to the start of the same list of the parent's next sibling."""
    return _move_along(data, code, +1)


def _move_along(data: dict, code: str, step: int) -> dict:
    data = copy.deepcopy(data)
    row = node_row(data, code)
    siblings = _list_of(data, row)
    target = row.index + step
    if 0 <= target < len(siblings):
        siblings[row.index], siblings[target] = siblings[target], siblings[row.index]
        return data
    # At the end of its list: over to the neighbour of its parent, which holds the same kind of list.
    parent_row = node_row(data, row.parent_code) if row.parent_code else None
    if parent_row is not None:
        parent_siblings = _list_of(data, parent_row)
        neighbour = parent_row.index + step
        if 0 <= neighbour < len(parent_siblings):
            node = siblings.pop(row.index)
            into = parent_siblings[neighbour].setdefault(row.key, [])
            into.insert(len(into) if step < 0 else 0, node)
            return data
    if step < 0:
        raise TreeChangeRefused(_("It is already the first: it cannot move up."))
    raise TreeChangeRefused(_("It is already the last: it cannot move down."))


def node_move_in(data: dict, *, code: str) -> dict:
    """A goal without sub-goals becomes the last sub-goal of the goal before it."""
    data = copy.deepcopy(data)
    row = node_row(data, code)
    if row.key != "goals" or row.index == 0 or row.node.get("subgoals"):
        raise TreeChangeRefused(
            _("Only a goal without sub-goals, with a goal before it, can move in: it becomes that goal's sub-goal.")
        )
    siblings = _list_of(data, row)
    node = siblings.pop(row.index)
    node.pop("subgoals", None)
    siblings[row.index - 1].setdefault("subgoals", []).append(node)
    return data


def node_move_out(data: dict, *, code: str) -> dict:
    """A sub-goal becomes a goal right after its goal; a theme's goal becomes the last goal of the document."""
    data = copy.deepcopy(data)
    row = node_row(data, code)
    parent_row = node_row(data, row.parent_code) if row.parent_code else None
    if row.key == "subgoals" and parent_row is not None:
        node = _list_of(data, row).pop(row.index)
        _list_of(data, parent_row).insert(parent_row.index + 1, node)
        return data
    if row.key == "goals" and parent_row is not None and parent_row.key == "themes":
        node = _list_of(data, row).pop(row.index)
        document = _at(data, parent_row.loc[:-2])
        document.setdefault("goals", []).append(node)
        return data
    raise TreeChangeRefused(_("Only a sub-goal, or a goal within a theme, can move out."))


MOVES = {"up": node_move_up, "down": node_move_down, "in": node_move_in, "out": node_move_out}


def node_moves(data: dict, code: str) -> set[str]:
    """The moves of MOVES that the node can make where it stands (each other one raises TreeChangeRefused)."""
    rows = {row.code: row for row in tree_rows(data)}
    row = rows[code]
    parent = rows.get(row.parent_code) if row.parent_code else None
    moves = set()
    if row.index > 0 or (parent is not None and parent.index > 0):
        moves.add("up")
    if row.index < row.siblings - 1 or (parent is not None and parent.index < parent.siblings - 1):
        moves.add("down")
    if row.key == "goals" and row.index > 0 and not row.node.get("subgoals"):
        moves.add("in")
    if parent is not None and (row.key == "subgoals" or (row.key == "goals" and parent.key == "themes")):
        moves.add("out")
    return moves


def node_fields(loc: Loc, prefix: str = "") -> dict[Loc, str]:
    """The node form's fields for the node at `loc` (named `prefix` + the key, `text_fi` …)."""
    fields: dict[Loc, str] = {(*loc,): f"{prefix}summary_row", (*loc, "code"): f"{prefix}code"}
    for key in ("text", "label", "label_genitive", "heading"):
        fields[(*loc, key)] = f"{prefix}{key}_fi"
        for language in ("fi", "sv", "en"):
            fields[(*loc, key, language)] = f"{prefix}{key}_{language}"
    for key in ("summary_row", "detail_page"):
        fields[(*loc, key)] = f"{prefix}{key}"
    return fields


def text_value(values: Mapping[str, str], name: str, *, required: bool = False) -> dict | None:
    """A text of the file from a form's `<name>_fi`, `_sv`, `_en`: None when all are empty and it may be.

    Finnish and Swedish are always given (an empty one is the file's "must not be empty", at its place);
    English only when written, as the file leaves it out.
    """
    fi, sv, en = ((values.get(f"{name}_{language}") or "").strip() for language in ("fi", "sv", "en"))
    if not required and not (fi or sv or en):
        return None
    return {"fi": fi, "sv": sv} | ({"en": en} if en else {})
