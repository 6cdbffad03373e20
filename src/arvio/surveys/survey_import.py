"""Importing a survey definition file (docs/survey-format.md, checked by `definition`) into a round.

The file also lists the municipalities invited and their contact people: they are written through the
round's reverse relations (`round.invitations`, `invitation.contacts`), as surveys sits below invitations.
"""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arvio.lib.i18n import LANGUAGES
from arvio.records.models import AuditEntry
from arvio.records.services import record
from arvio.surveys.definition import (
    CHILD_KEYS,
    NO_BASELINE,
    Loc,
    SurveyDefinition,
    SurveyFileError,
    place,
    survey_definition_load,
)
from arvio.surveys.models import BaselineMapping, Municipality, Node, Organizer, Question, Round, ScaleOption
from arvio.surveys.survey_export import node_positions


def survey_import(*, source: str | Path | dict, by=None) -> Round:
    """Creates the round of a survey definition file, or updates the round with its code.

    `source` is a path, YAML text (a str of several lines) or the parsed data. All or nothing:
    a file with any problem raises SurveyFileError listing every problem, and changes nothing.
    Once the round has answers, what was asked must stay as it was asked (see `_frozen_changes`);
    the report's layout may still change. `by` is the staff user who imports it (None: a command).
    """
    definition = survey_definition_load(source)
    with transaction.atomic():
        round = survey_definition_write(definition=definition)
        record(
            action=AuditEntry.Action.SURVEY_IMPORT, by=by, round_code=round.code, detail={"file": _file_name(source)}
        )
    return round


def survey_definition_write(*, definition: SurveyDefinition, invitations: bool = True) -> Round:
    """Writes a checked definition to the round with its code, in the caller's transaction; records nothing.

    The file's import and the round's editors (round_editing.py) both write through here. An editor
    changes no invitation, so it passes `invitations=False`: the round's invitations and contact
    people are then neither compared nor rewritten, and the organizer and municipalities stay as stored.
    """
    if invitations:
        organizer, _created = Organizer.objects.update_or_create(
            code=definition.organizer.code, defaults=_texts(name=definition.organizer.name)
        )
        municipalities = {}
        for municipality in definition.municipalities:
            municipalities[municipality.code], _created = Municipality.objects.update_or_create(
                code=municipality.code, defaults={**_texts(name=municipality.name), "language": municipality.language}
            )
    round = Round.objects.select_for_update().filter(code=definition.round.code).first()
    round = round or Round(code=definition.round.code)
    if round.pk is None and not invitations:
        raise SurveyFileError([_("the round {code} does not exist").format(code=f'"{definition.round.code}"')])
    frozen = round.pk is not None and round.tree_is_frozen
    problems = _frozen_changes(round, definition) if frozen else []
    if invitations:
        problems += [((), line) for line in _invitations_kept(round, definition)]
    baseline, baseline_problems = _baseline(round, definition, organizer if invitations else round.organizer)
    problems += [((), line) for line in baseline_problems]
    if problems:
        raise SurveyFileError([_line(loc, message) for loc, message in problems], problems)

    if invitations:
        round.organizer = organizer
    info = definition.round
    for field, value in _texts(
        title=info.title,
        report_title=info.report_title,
        purpose=info.purpose,
        instructions=info.instructions,
        target_group=info.target_group,
    ).items():
        setattr(round, field, value)
    round.opens_on, round.closes_on = info.opens_on, info.closes_on
    round.allow_changes_after_submit = info.allow_changes_after_submit
    round.reminder_interval_days = info.reminder_interval_days
    round.translations_unofficial = info.translations_unofficial
    round.narrative_strongest = info.narrative.strongest
    round.narrative_weakest = info.narrative.weakest
    comparison = definition.comparison
    round.no_baseline = comparison is not None and comparison.baseline == NO_BASELINE
    round.baseline = baseline if comparison is not None and comparison.baseline not in (None, NO_BASELINE) else None
    if not frozen:
        for field, value in _texts(dont_know_label=definition.scale.dont_know).items():
            setattr(round, field, value)
    round.save()
    if frozen:
        _write_layout(round, definition)
    else:
        _write_tree(round, definition)
        _write_scale(round, definition)
        _write_questions(round, definition)
    if invitations:
        _write_invitations(round, definition, municipalities)
    _write_mapping(round, definition)
    return round


def _file_name(source) -> str:
    """What the audit log names an imported source by: a file's name, else what it was."""
    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source):
        return Path(source).name
    return "(text)" if isinstance(source, str) else "(data)"


# The desired state of the goal tree, flat


@dataclass
class _NodeSpec:
    loc: tuple
    code: str
    kind: str
    parent_code: str | None
    order: int
    asked: dict  # what the municipalities answered to: frozen once the round has answers
    layout: dict  # how the report names and arranges the node: may change after answers


def _node_specs(definition: SurveyDefinition) -> list[_NodeSpec]:
    """Every node, parents before children; `order` counts siblings, a document's goals before its themes."""
    specs = []

    def walk(nodes_by_key, parent_loc, parent_code):
        order = 0
        for key, nodes in nodes_by_key:
            for i, node in enumerate(nodes):
                order += 1
                loc = (*parent_loc, key, i)
                specs.append(
                    _NodeSpec(
                        loc=loc,
                        code=node.code,
                        kind=_KIND[key],
                        parent_code=parent_code,
                        order=order,
                        asked=_texts(text=node.text),
                        layout={
                            **_texts(label=node.label, label_genitive=node.label_genitive, heading=node.heading),
                            "summary_row": node.summary_row,
                            "detail_page": node.detail_page,
                        },
                    )
                )
                walk(_children(node, key), loc, node.code)

    walk([("documents", definition.documents)], (), None)
    return specs


_KIND = {
    "documents": Node.Kind.DOCUMENT,
    "themes": Node.Kind.THEME,
    "goals": Node.Kind.GOAL,
    "subgoals": Node.Kind.SUBGOAL,
}


def _children(node, key) -> list[tuple[str, list]]:
    return [(child_key, getattr(node, child_key)) for child_key in CHILD_KEYS[key]]


def _texts(**texts) -> dict:
    """{"title_fi": …, "title_sv": …, "title_en": …} for title=Text; a missing text is empty."""
    return {
        f"{name}_{language}": (getattr(text, language) if text is not None else "")
        for name, text in texts.items()
        for language in LANGUAGES
    }


# Frozen rounds


def _frozen_changes(round: Round, definition: SurveyDefinition) -> list[tuple[Loc, str]]:
    """Every place where the file would change what a round with answers asked, as (place, message).

    Frozen: the goal tree's codes, kinds, places and texts, the scale's values and labels, "can't say",
    and the questions. Labels, headings, the summary and detail flags, the scale's levels and the
    narrative's counts are the report's layout: they change no answer, so they may still change.
    """
    frozen = _("cannot change once the round has answers")
    problems: list[tuple[Loc, str]] = []

    tree = round.tree()
    existing = {node.code: node for node in tree}
    codes = {node.pk: node.code for node in tree}
    positions = node_positions(tree)
    specs = _node_specs(definition)
    for spec in specs:
        node = existing.get(spec.code)
        if node is None:
            problems.append(
                (spec.loc, _("{code} cannot be added once the round has answers").format(code=f'"{spec.code}"'))
            )
            continue
        stored_place = (node.kind, codes.get(node.parent_id), positions.get(node.code))
        if stored_place != (spec.kind, spec.parent_code, spec.order):
            problems.append((spec.loc, _("cannot move in the goal tree once the round has answers")))
        for field, value in spec.asked.items():
            if getattr(node, field) != value:
                problems.append(((*spec.loc, *_key(field)), frozen))
    listed = {spec.code for spec in specs}
    for node in tree:
        if node.code not in listed:
            problems.append(
                (("documents",), _("{code} cannot be removed once the round has answers").format(code=f'"{node.code}"'))
            )

    options = {option.value: option for option in round.scale.all()}
    for i, option in enumerate(definition.scale.options):
        where = ("scale", "options", i)
        if option.value not in options:
            problems.append(
                (where, _("the value {value} cannot be added once the round has answers").format(value=option.value))
            )
            continue
        for field, value in _texts(label=option.label).items():
            if getattr(options[option.value], field) != value:
                problems.append(((*where, *_key(field)), frozen))
    for value in sorted(options.keys() - {option.value for option in definition.scale.options}):
        problems.append(
            (
                ("scale", "options"),
                _("the value {value} cannot be removed once the round has answers").format(value=value),
            )
        )
    for field, value in _texts(dont_know_label=definition.scale.dont_know).items():
        if getattr(round, field) != value:
            problems.append((("scale", "dont_know", field[-2:]), frozen))

    questions = list(round.questions.all())
    by_code = {question.code: (position, question) for position, question in enumerate(questions)}
    for i, question in enumerate(definition.questions):
        where = ("questions", i)
        if question.code not in by_code:
            problems.append(
                (where, _("{code} cannot be added once the round has answers").format(code=f'"{question.code}"'))
            )
            continue
        position, existing_question = by_code[question.code]
        if position != i:
            problems.append((where, _("cannot move once the round has answers")))
        for field, value in _texts(text=question.text).items():
            if getattr(existing_question, field) != value:
                problems.append(((*where, *_key(field)), frozen))
    listed = {question.code for question in definition.questions}
    for existing_question in questions:
        if existing_question.code not in listed:
            problems.append(
                (
                    ("questions",),
                    _("{code} cannot be removed once the round has answers").format(code=f'"{existing_question.code}"'),
                )
            )
    return problems


def _line(loc: Loc, message: str) -> str:
    return f"{place(loc)}: {message}" if loc else message


def _key(field: str) -> tuple[str, ...]:
    """text_fi → ("text", "fi"), the way the file places it."""
    name, _sep, language = field.rpartition("_")
    return (name, language) if language in LANGUAGES else (field,)


def _invitations_kept(round: Round, definition: SurveyDefinition) -> list[str]:
    if round.pk is None:
        return []
    listed = {invitation.municipality for invitation in definition.invitations}
    return [
        "invitations: "
        + _("{municipality} has answered, so its invitation cannot be removed").format(
            municipality=f'"{invitation.municipality.code}" ({invitation.municipality.name_fi})'
        )
        for invitation in round.invitations.filter(response__isnull=False).select_related("municipality")
        if invitation.municipality.code not in listed
    ]


# Writing


def _write_tree(round: Round, definition: SurveyDefinition):
    existing = {node.code: node for node in round.nodes.all()}
    written: dict[str, Node] = {}
    for spec in _node_specs(definition):
        node = existing.get(spec.code) or Node(round=round, code=spec.code)
        node.kind, node.order = spec.kind, spec.order
        node.parent = written[spec.parent_code] if spec.parent_code else None
        for field, value in (spec.asked | spec.layout).items():
            setattr(node, field, value)
        node.save()
        written[spec.code] = node
    # Nodes kept have been moved to their new parents already, so deleting the rest takes only what went away.
    round.nodes.exclude(code__in=written).delete()


def _write_layout(round: Round, definition: SurveyDefinition):
    """The report's layout of a round with answers; `_frozen_changes` has made sure nothing else differs."""
    nodes = {node.code: node for node in round.nodes.all()}
    for spec in _node_specs(definition):
        node = nodes[spec.code]
        if any(getattr(node, field) != value for field, value in spec.layout.items()):
            for field, value in spec.layout.items():
                setattr(node, field, value)
            node.save(update_fields=list(spec.layout))
    for option in definition.scale.options:
        ScaleOption.objects.filter(round=round, value=option.value).update(**_texts(level=option.level))


def _write_scale(round: Round, definition: SurveyDefinition):
    for option in definition.scale.options:
        ScaleOption.objects.update_or_create(
            round=round, value=option.value, defaults=_texts(label=option.label, level=option.level)
        )
    round.scale.exclude(value__in=[option.value for option in definition.scale.options]).delete()


def _write_questions(round: Round, definition: SurveyDefinition):
    for order, question in enumerate(definition.questions, start=1):
        Question.objects.update_or_create(
            round=round, code=question.code, defaults={"order": order, **_texts(text=question.text)}
        )
    round.questions.exclude(code__in=[question.code for question in definition.questions]).delete()


def _write_invitations(round: Round, definition: SurveyDefinition, municipalities: dict):
    for order, listed in enumerate(definition.invitations, start=1):
        invitation, _created = round.invitations.update_or_create(
            municipality=municipalities[listed.municipality],
            defaults={"order": order, "deadline_extended_to": listed.deadline_extended_to},
        )
        contacts = invitation.contacts
        contacts.all().delete()
        contacts.bulk_create(
            contacts.model(invitation=invitation, name=contact.name, email=contact.email, role=contact.role, order=i)
            for i, contact in enumerate(listed.contacts, start=1)
        )
    listed = [invitation.municipality for invitation in definition.invitations]
    round.invitations.exclude(municipality__code__in=listed).delete()


def _baseline(round: Round, definition: SurveyDefinition, organizer: Organizer) -> tuple[Round | None, list[str]]:
    """The baseline the file names (or the default rule's, for checking a mapping), with the problems found.

    The baseline must be a round of the same organizer that opened before this one (so that a chain of
    baselines never runs in a circle); each mapped goal must be a rated goal of it.
    """
    comparison = definition.comparison
    if comparison is None or comparison.baseline == NO_BASELINE:
        return None, []
    opens_on = definition.round.opens_on
    if comparison.baseline is not None:
        baseline = Round.objects.filter(code=comparison.baseline).first()
        if baseline is None:
            return None, [
                "comparison.baseline: " + _("there is no round {code}").format(code=f'"{comparison.baseline}"')
            ]
        if baseline.organizer_id != organizer.pk or baseline.opens_on >= opens_on:
            return None, [
                "comparison.baseline: "
                + _("{code} is not an earlier round of the same organizer").format(code=f'"{comparison.baseline}"')
            ]
    else:
        probe = Round(pk=round.pk, organizer=organizer, opens_on=opens_on)
        baseline = probe.compared_round(timezone.now(), codes={spec.code for spec in _node_specs(definition)})
    if not comparison.mapping:
        return baseline, []
    if baseline is None:
        return None, ["comparison.mapping: " + _("a mapping needs a baseline round (comparison.baseline)")]
    rated = {node.code for node in baseline.rated_goals()}
    return baseline, [
        place(("comparison", "mapping", i, "baseline_goal"))
        + ": "
        + _("{code} is not a rated goal of the baseline round {round}").format(
            code=f'"{row.baseline_goal}"', round=f'"{baseline.code}"'
        )
        for i, row in enumerate(comparison.mapping)
        if row.baseline_goal not in rated
    ]


def _write_mapping(round: Round, definition: SurveyDefinition):
    round.baseline_mapping.all().delete()
    rows = definition.comparison.mapping if definition.comparison else []
    BaselineMapping.objects.bulk_create(
        BaselineMapping(round=round, baseline_code=row.baseline_goal, code=code) for row in rows for code in row.goals
    )
