"""The survey definition file (docs/survey-format.md): reading, checking and describing it.

Checking happens in two passes so that one run reports every problem: the
pydantic schema checks each value where it stands, and `_cross_checks` walks
the raw data for what spans several places (codes used twice, references to
municipalities, empty themes …), skipping whatever the schema already refused.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError

from arvio.lib.text import text_problem

FORMAT = "arvio-survey/1"
SLUG = re.compile(r"[a-z0-9_-]+")
MUNICIPALITY_CODE = re.compile(r"[0-9]{3}")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SHORT_TEXT_MAX = 500  # the CharField columns of the models
# A purpose, an instruction or a goal's text: the 2024 file's longest is some 600 characters.
LONG_TEXT_MAX = 20_000
# Column names of the responses file (docs/responses-format.md): a goal or question may not take them.
RESERVED_CODES = frozenset({"municipality", "kunta", "submitted_at", "submitted_by"})
# The keys that hold lists of nodes, and the keys for the children of each.
CHILD_KEYS = {"documents": ("goals", "themes"), "themes": ("goals",), "goals": ("subgoals",), "subgoals": ()}

TEXT_KEYS = frozenset(
    {
        "name",
        "title",
        "report_title",
        "purpose",
        "instructions",
        "target_group",
        "label",
        "label_genitive",
        "level",
        "dont_know",
        "text",
        "heading",
    }
)

# A survey file nests documents, themes, goals and sub-goals with their texts: some ten levels.
MAX_DEPTH = 50
# The 2024 survey holds some 3,000 values; aliases must not make a file stand for more than this.
MAX_VALUES = 500_000

Loc = tuple[str | int, ...]


class SurveyFileError(Exception):
    """A survey definition file that cannot be imported; `errors` holds one line per problem.

    `problems` holds the same problems as (place, message) where the place is known, for an editor
    that shows each message next to its field (round_editing.py).
    """

    def __init__(self, errors: list[str], problems: list[tuple["Loc", str]] | None = None):
        self.errors = errors
        self.problems = problems if problems is not None else [((), error) for error in errors]
        super().__init__("\n".join(errors))


# Values checked one by one. Each raises with a message of our own, in the active language.


def _problem(message: str) -> PydanticCustomError:
    # The message goes in as context: a translated text may hold braces of its own.
    return PydanticCustomError("arvio", "{message}", {"message": message})


def _slug(value: Any) -> str:
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        raise _problem(
            _("must be a slug (lower-case letters, digits, - and _), not {value}").format(value=_quote(value))
        )
    return value


def _municipality_code(value: Any) -> str:
    # YAML reads an unquoted 235 as a number; 049 would lose its zero, so say how to write it.
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not MUNICIPALITY_CODE.fullmatch(value):
        raise _problem(
            _('must be three digits, not {value} (quote codes in the file: "049")').format(value=_quote(value))
        )
    return value


def _date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _problem(_("must be a date like 2024-11-06, not {value}").format(value=_quote(value)))


def _email(value: Any) -> str:
    if isinstance(value, str):
        try:
            validate_email(value.strip())
            return value.strip()
        except DjangoValidationError:
            pass
    raise _problem(_("must be an email address, not {value}").format(value=_quote(value)))


def _format(value: Any) -> str:
    if value != FORMAT:
        raise _problem(_('must be "{format}", not {value}').format(format=FORMAT, value=_quote(value)))
    return value


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


Slug = Annotated[str, BeforeValidator(_slug)]
MunicipalityCode = Annotated[str, BeforeValidator(_municipality_code)]
Date = Annotated[date, BeforeValidator(_date)]
Email = Annotated[str, BeforeValidator(_email)]
Words = Annotated[str, BeforeValidator(_stripped), Field(min_length=1, max_length=LONG_TEXT_MAX)]
ShortWords = Annotated[str, BeforeValidator(_stripped), Field(min_length=1, max_length=SHORT_TEXT_MAX)]


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Text(Schema):
    """A text in Finnish and Swedish, optionally in English."""

    fi: Words
    sv: Words
    en: Annotated[str, BeforeValidator(_stripped), Field(max_length=LONG_TEXT_MAX)] = ""


class ShortText(Schema):
    fi: ShortWords
    sv: ShortWords
    en: Annotated[str, BeforeValidator(_stripped), Field(max_length=SHORT_TEXT_MAX)] = ""


class Organizer(Schema):
    code: Annotated[Slug, Field(max_length=50)]
    name: ShortText


class Municipality(Schema):
    code: MunicipalityCode
    name: ShortText
    language: Annotated[str, Field(pattern=r"^(fi|sv|fi-sv|sv-fi)$")]


class NarrativeCounts(Schema):
    """How many summary rows the drafted narrative names as the strongest and the weakest."""

    strongest: Annotated[StrictInt, Field(ge=0, le=50)] = 3
    weakest: Annotated[StrictInt, Field(ge=0, le=50)] = 3


class RoundInfo(Schema):
    code: Annotated[Slug, Field(max_length=100)]
    title: ShortText
    report_title: ShortText | None = None
    purpose: Text | None = None
    instructions: Text | None = None
    target_group: ShortText | None = None
    opens_on: Date
    closes_on: Date
    allow_changes_after_submit: StrictBool = False
    reminder_interval_days: Annotated[StrictInt, Field(ge=1, le=365)] = 7
    translations_unofficial: StrictBool = False
    narrative: NarrativeCounts = Field(default_factory=NarrativeCounts)


class ScaleOption(Schema):
    value: Annotated[StrictInt, Field(ge=0, le=100)]
    label: ShortText
    level: ShortText | None = None


class Scale(Schema):
    options: Annotated[list[ScaleOption], Field(min_length=2)]
    dont_know: ShortText


class Node(Schema):
    code: Annotated[Slug, Field(max_length=100)]
    text: Text
    label: ShortText | None = None
    label_genitive: ShortText | None = None
    heading: Text | None = None
    summary_row: StrictBool = False
    detail_page: StrictBool = False


class Subgoal(Node):
    pass


class Goal(Node):
    subgoals: list[Subgoal] = []


class Theme(Node):
    goals: list[Goal] = []


class Document(Node):
    goals: list[Goal] = []
    themes: list[Theme] = []


class Question(Schema):
    code: Annotated[Slug, Field(max_length=100)]
    text: Text


class Contact(Schema):
    name: Annotated[str, BeforeValidator(_stripped), Field(min_length=1, max_length=200)]
    email: Email
    role: Annotated[str, BeforeValidator(_stripped), Field(max_length=200)] = ""


class Invitation(Schema):
    municipality: MunicipalityCode
    deadline_extended_to: Date | None = None
    contacts: list[Contact] = []


def _codes(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


NO_BASELINE = "none"


class MappingRow(Schema):
    """A rated goal of the baseline round and the rated goal(s) of this round that it became."""

    baseline_goal: Annotated[Slug, Field(max_length=100)]
    goals: Annotated[list[Annotated[Slug, Field(max_length=100)]], BeforeValidator(_codes), Field(min_length=1)]


class Comparison(Schema):
    """The round this one is compared with ("none" for no comparison; left out: the default rule) and how the
    goals of the two correspond where their codes differ."""

    baseline: Annotated[Slug, Field(max_length=100)] | None = None
    mapping: list[MappingRow] = []


class SurveyDefinition(Schema):
    format: Annotated[str, BeforeValidator(_format)]
    organizer: Organizer
    municipalities: list[Municipality]
    round: RoundInfo
    scale: Scale
    # May be empty: a round made blank in the browser is a draft until staff build its tree (docs/decisions.md, "A new round").
    documents: list[Document]
    questions: list[Question] = []
    invitations: list[Invitation]
    comparison: Comparison | None = None


# Reading


def survey_definition_load(source: "str | Path | dict") -> SurveyDefinition:
    """The checked definition from a file (a path), YAML text (a str of several lines) or parsed data.

    Raises SurveyFileError listing every problem.
    """
    if isinstance(source, dict):
        data = source
    else:
        data = _read_yaml(source)
    return survey_definition_validate(data)


def survey_definition_validate(data: Any) -> SurveyDefinition:
    if not isinstance(data, dict):
        raise SurveyFileError([_("the file does not hold a survey definition (a mapping of keys and values)")])
    problems: list[tuple[Loc, str]] = []
    definition = None
    try:
        definition = SurveyDefinition.model_validate(data)
    except PydanticValidationError as error:
        problems += [_describe(e) for e in error.errors(include_url=False)]
    problems += _cross_checks(data)
    problems += _text_problems(data)
    if problems:
        problems.sort(key=lambda problem: _position(data, problem[0]))
        raise SurveyFileError([_line(loc, message) for loc, message in problems], problems)
    return definition


def _read_yaml(source: "str | Path") -> Any:
    if isinstance(source, str) and "\n" in source:
        text = source
    else:
        try:
            if Path(source).stat().st_size > settings.ARVIO_SURVEY_FILE_MAX_BYTES:
                raise SurveyFileError([_too_big()])
            text = Path(source).read_bytes().decode("utf-8-sig")
        except OSError as error:
            raise SurveyFileError(
                [_("{path}: cannot read the file ({reason})").format(path=source, reason=error.strerror)]
            ) from None
        except UnicodeDecodeError:
            raise SurveyFileError([_("{path}: the file is not UTF-8 text").format(path=source)]) from None
    if len(text) > settings.ARVIO_SURVEY_FILE_MAX_BYTES:
        raise SurveyFileError([_too_big()])
    lines = text.count("\n") + 1
    if lines > settings.ARVIO_SURVEY_FILE_MAX_LINES:
        raise SurveyFileError(
            [
                _(
                    "the file has {lines} lines; a survey file may have at most {limit} (ARVIO_SURVEY_FILE_MAX_LINES)"
                ).format(lines=lines, limit=settings.ARVIO_SURVEY_FILE_MAX_LINES)
            ]
        )
    try:
        _check_nesting(text)
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        reason = error.problem or error.context or ""
        if mark is None:
            raise SurveyFileError([_("the file is not valid YAML: {reason}").format(reason=reason)]) from None
        raise SurveyFileError(
            [
                _("line {line}, column {column}: the file is not valid YAML: {reason}").format(
                    line=mark.line + 1, column=mark.column + 1, reason=reason
                )
            ]
        ) from None
    except yaml.YAMLError as error:
        raise SurveyFileError([_("the file is not valid YAML: {reason}").format(reason=error)]) from None
    if _expanded_size(data) > MAX_VALUES:
        # Anchors and aliases can make a short file stand for billions of values.
        raise SurveyFileError(
            [_("the file holds more than {limit} values once its aliases (*) are expanded").format(limit=MAX_VALUES)]
        )
    return data


def _too_big() -> str:
    return _("the file is larger than {limit} MB, the most a survey file may be (ARVIO_SURVEY_FILE_MAX_BYTES)").format(
        limit=f"{settings.ARVIO_SURVEY_FILE_MAX_BYTES / 1024 / 1024:.1f}".rstrip("0").rstrip(".")
    )


def _check_nesting(text: str) -> None:
    """Refuses lists and mappings nested deeper than MAX_DEPTH, at the place they go too deep.

    PyYAML's parser is iterative but its composer recurses, so ten thousand "[" would end in a
    RecursionError; the events are read first, without building anything.
    """
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise SurveyFileError(
                    [
                        _(
                            "line {line}, column {column}: lists and mappings are nested deeper than {limit} levels"
                        ).format(line=mark.line + 1, column=mark.column + 1, limit=MAX_DEPTH)
                    ]
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _expanded_size(data: Any) -> int:
    """How many values `data` stands for with every alias expanded, counted without expanding them."""
    sizes: dict[int, int] = {}

    def size(value: Any) -> int:
        if isinstance(value, dict):
            children = [*value.keys(), *value.values()]
        elif isinstance(value, list):
            children = value
        else:
            return 1
        if id(value) not in sizes:
            sizes[id(value)] = 0  # a value that holds itself counts once
            sizes[id(value)] = 1 + sum(size(child) for child in children)
        return sizes[id(value)]

    return size(data)


def _text_problems(data: Any, loc: Loc = ()) -> list[tuple[Loc, str]]:
    """Every text of the file that holds a character no text may hold (lib/text.py), at its place."""
    problems = []
    stack = [(loc, data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            if (problem := text_problem(value)) is not None:
                problems.append((where, problem))
        elif isinstance(value, dict):
            for key, child in value.items():
                if isinstance(key, str) and (problem := text_problem(key)) is not None:
                    problems.append((where, problem))
                stack.append(((*where, key), child))
        elif isinstance(value, list):
            stack.extend(((*where, i), child) for i, child in enumerate(value))
    return problems


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses a key given twice and leaves an impossible date as text
    (so that the schema reports it with its place, instead of the loader failing)."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen = set()
            for key_node, _value in node.value:
                key = self.construct_object(key_node, deep=deep)
                try:
                    repeated = key in seen
                    seen.add(key)
                except TypeError:  # an unhashable key: SafeLoader reports it itself
                    continue
                if repeated:
                    raise yaml.constructor.ConstructorError(
                        None, None, _("the key {key} is given twice").format(key=_quote(key)), key_node.start_mark
                    )
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


# Describing problems


def place(loc: Loc) -> str:
    """`documents[1].themes[0]` for ("documents", 1, "themes", 0)."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line(loc: Loc, message: str) -> str:
    return f"{place(loc)}: {message}" if loc else message


def _quote(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if value is None:
        return _("nothing")
    return str(value)


def _describe(error: dict) -> tuple[Loc, str]:
    """One pydantic error as (place, message in the active language)."""
    loc, kind, ctx = tuple(error["loc"]), error["type"], error.get("ctx") or {}
    if kind in ("missing", "extra_forbidden"):
        # Name the object that lacks (or has too much), and the key below it: "…subgoals[1]: text.sv is missing".
        cut = max((i + 1 for i, part in enumerate(loc) if isinstance(part, int)), default=min(1, len(loc) - 1))
        where, key = loc[:cut], place(loc[cut:])
        if kind == "missing":
            return where, _("{key} is missing").format(key=key)
        return where, _("{key} is not a known key").format(key=key)
    if kind == "arvio":
        return loc, ctx["message"]
    if kind == "model_type" and loc and loc[-1] in TEXT_KEYS:
        return loc, _("must be a text in each language, like") + " {fi: …, sv: …}"
    templates = {
        "string_type": _("must be text"),
        "string_too_short": _("must not be empty"),
        "string_too_long": _("must be at most {max_length} characters"),
        # What pydantic calls a str too long once a validator of ours has run before its own check.
        "too_long": _("must be at most {max_length} characters"),
        "string_pattern_mismatch": _("must be one of fi, sv, fi-sv, sv-fi, not {value}"),
        "int_type": _("must be a whole number, not {value}"),
        "int_parsing": _("must be a whole number, not {value}"),
        "int_from_float": _("must be a whole number, not {value}"),
        "greater_than_equal": _("must be at least {ge}"),
        "less_than_equal": _("must be at most {le}"),
        "bool_type": _("must be true or false, not {value}"),
        "list_type": _("must be a list"),
        "too_short": _("must not be empty"),
        "model_type": _("must be a mapping of keys and values"),
        "model_attributes_type": _("must be a mapping of keys and values"),
        "dict_type": _("must be a mapping of keys and values"),
    }
    if kind == "too_long" and isinstance(error.get("input"), str):
        # A text whose length is checked after a BeforeValidator: pydantic names it a sequence.
        kind = "string_too_long"
    if kind not in templates:
        return loc, error["msg"]
    return loc, templates[kind].format(**ctx, value=_quote(error.get("input")))


def _position(data: Any, loc: Loc) -> tuple:
    """Where `loc` stands in the file, for listing problems in the order of the file."""
    key = []
    for part in loc:
        if isinstance(data, dict):
            keys = list(data)
            key.append(keys.index(part) if part in keys else len(keys))
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int):
            key.append(part)
            data = data[part] if part < len(data) else None
        else:
            key.append(0)
            data = None
    return tuple(key)


# Checks that span places


@dataclass
class _Seen:
    """Codes met so far, with every place each was met."""

    places: dict

    def add(self, value: Any, loc: Loc):
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            self.places.setdefault(value, []).append(loc)

    def twice(self) -> list[tuple[Loc, str]]:
        problems = []
        for value, locs in self.places.items():
            if len(locs) > 1:
                also = ", ".join(place(loc) for loc in locs[1:])
                problems.append(
                    (
                        locs[0],
                        _("{value} is used more than once (also at {places})").format(value=_quote(value), places=also),
                    )
                )
        return problems


def _items(data: Any, key: str) -> list[tuple[int, dict]]:
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)]


def _walk_nodes(data: dict):
    """(loc, key that holds it, node) for every node of the tree, depth first."""

    def walk(parent, parent_loc, keys):
        for key in keys:
            for i, node in _items(parent, key):
                loc = (*parent_loc, key, i)
                yield loc, key, node
                yield from walk(node, loc, CHILD_KEYS[key])

    yield from walk(data, (), ("documents",))


def _cross_checks(data: dict) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []

    codes = _Seen({})
    for loc, key, node in _walk_nodes(data):
        codes.add(node.get("code"), (*loc, "code"))
        if node.get("summary_row") is True and not node.get("label"):
            problems.append((loc, _("a summary row needs a label (the short name used in sentences)")))
        if key == "themes" and not node.get("goals"):
            problems.append((loc, _("a theme must hold at least one goal")))
        if key == "documents" and not node.get("goals") and not node.get("themes"):
            problems.append((loc, _("a document must hold at least one goal")))
    for i, question in _items(data, "questions"):
        codes.add(question.get("code"), ("questions", i, "code"))
    problems += codes.twice()
    for code, locs in codes.places.items():
        if code in RESERVED_CODES:
            problems += [
                (loc, _("{code} is a column name of the responses file and cannot be a code").format(code=_quote(code)))
                for loc in locs
            ]

    municipalities = _Seen({})
    for i, municipality in _items(data, "municipalities"):
        municipalities.add(_code_text(municipality.get("code")), ("municipalities", i, "code"))
    problems += municipalities.twice()

    invited = _Seen({})
    for i, invitation in _items(data, "invitations"):
        code = _code_text(invitation.get("municipality"))
        invited.add(code, ("invitations", i, "municipality"))
        if isinstance(code, str) and MUNICIPALITY_CODE.fullmatch(code) and code not in municipalities.places:
            problems.append(
                (
                    ("invitations", i, "municipality"),
                    _("{code} is not among the municipalities").format(code=_quote(code)),
                )
            )
    problems += invited.twice()

    values = _Seen({})
    scale = data.get("scale")
    for i, option in _items(scale, "options"):
        values.add(option.get("value"), ("scale", "options", i, "value"))
    problems += values.twice()

    problems += _comparison_checks(data)

    round_info = data.get("round") if isinstance(data.get("round"), dict) else {}
    opens_on, closes_on = _date_or_none(round_info.get("opens_on")), _date_or_none(round_info.get("closes_on"))
    if opens_on and closes_on and closes_on < opens_on:
        problems.append(
            (
                ("round", "closes_on"),
                _("{closes_on} is before opens_on {opens_on}").format(
                    closes_on=closes_on.isoformat(), opens_on=opens_on.isoformat()
                ),
            )
        )
    for i, invitation in _items(data, "invitations"):
        extended_to = _date_or_none(invitation.get("deadline_extended_to"))
        if extended_to and closes_on and extended_to < closes_on:
            problems.append(
                (
                    ("invitations", i, "deadline_extended_to"),
                    _("{extended_to} is before the round closes ({closes_on})").format(
                        extended_to=extended_to.isoformat(), closes_on=closes_on.isoformat()
                    ),
                )
            )
    return problems


def rated_codes(data: dict) -> set:
    """The codes of the file's rated goals: the nodes without children."""
    return {
        node.get("code")
        for _loc, key, node in _walk_nodes(data)
        if not any(node.get(child) for child in CHILD_KEYS[key])
    }


def _comparison_checks(data: dict) -> list[tuple[Loc, str]]:
    comparison = data.get("comparison")
    if not isinstance(comparison, dict):
        return []
    problems = []
    round_info = data.get("round") if isinstance(data.get("round"), dict) else {}
    if comparison.get("baseline") is not None and comparison.get("baseline") == round_info.get("code"):
        problems.append((("comparison", "baseline"), _("a round cannot be compared with itself")))
    if comparison.get("baseline") == NO_BASELINE and comparison.get("mapping"):
        problems.append((("comparison", "mapping"), _('a mapping needs a baseline round, not "none"')))
    rated = rated_codes(data)
    pairs = _Seen({})
    for i, row in _items(comparison, "mapping"):
        goals = _codes(row.get("goals"))
        if not isinstance(goals, list):
            continue
        for j, code in enumerate(goals):
            loc = ("comparison", "mapping", i, "goals", j)
            if isinstance(code, str) and SLUG.fullmatch(code):
                pairs.add(f"{row.get('baseline_goal')} → {code}", loc)
                if code not in rated:
                    problems.append((loc, _("{code} is not a rated goal of this round").format(code=_quote(code))))
    problems += pairs.twice()
    return problems


def _code_text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _date_or_none(value: Any) -> date | None:
    try:
        return _date(value)
    except PydanticCustomError:
        return None


def part_problems(schema: type[Schema], data: dict) -> dict[str, list[str]]:
    """The problems of `data` as one part of a survey file (`Contact` …), by its key: the file's own checks and
    messages, text rule included, for a form that edits that part, so that what a form saves always exports."""
    problems: dict[str, list[str]] = {}
    try:
        schema.model_validate(data)
    except PydanticValidationError as error:
        for loc, message in (_describe(e) for e in error.errors(include_url=False)):
            problems.setdefault(str(loc[0]) if loc else "", []).append(message)
    for loc, message in _text_problems(data):
        key = str(loc[0]) if loc else ""
        if message not in problems.get(key, []):
            problems.setdefault(key, []).append(message)
    return problems
