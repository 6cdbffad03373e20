"""The report (raportti) as one plain data object.

`report_build()` reads everything the report needs through selectors.py, in a
constant number of queries, and `report_assemble()` makes the Report of it,
every text resolved into one language, without a query of its own. Each output
format (HTML, PDF, PPTX, XLSX, CSV, JSON) renders a `Report` and never touches
the database.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from arvio.lib.dates import format_date, format_range
from arvio.lib.i18n import localized
from arvio.results import comparison as compared
from arvio.results import narrative as narrative_text
from arvio.results.numbers import display, display_change, percent
from arvio.results.rollup import NodeResult, pool
from arvio.results.selectors import BaselineSources, ReportSources, RoundResults, SubmittedAnswers, report_sources
from arvio.surveys.models import Municipality, Node, Round
from arvio.surveys.pages import heading_parts


@dataclass(frozen=True)
class Value:
    """A node's value: the unrounded mean, its display, and what it rests on."""

    mean: Fraction | None
    display: str
    n: int
    dont_know: int
    blank: int
    distribution: tuple[tuple[int, int], ...]  # (scale value, count), highest value first, every value present
    median: Fraction | None
    median_display: str
    low_n: bool  # fewer numeric answers than the minimum n: flag it wherever it is shown


@dataclass(frozen=True)
class Change:
    """A node compared with the baseline round (docs/domain.md, "Rounds compared").

    `baseline` pools the answers of the baseline's goals that this node's rated goals match
    (`baseline_goals`); `change` is this round's mean minus the baseline's, exact. A flagged change
    (`flags`: "low_n", "different_municipalities") is shown with its `reasons` and never named in the
    narrative. `partial`: some of the node's rated goals were not asked in the baseline and stay out.
    """

    baseline: Value | None  # None where nothing of the baseline matches: the node is new
    change: Fraction | None
    display: str  # "+0,4", "−0,2", "±0,0"; "–" without a change
    flags: tuple[str, ...]
    reasons: tuple[str, ...]  # one text per flag, in the report's language
    baseline_goals: tuple[str, ...]  # codes in the baseline round
    partial: bool

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


@dataclass(frozen=True)
class TrendPoint:
    """A summary row's value in one round of the chain of baselines; None where the row has no match there."""

    round_code: str
    label: str  # "2022"
    value: Value | None


@dataclass(frozen=True)
class ReportNode:
    code: str
    kind: str  # document, theme, goal, subgoal
    text: str
    label: str
    heading: str
    depth: int
    rated: bool
    rated_goals: int  # how many rated goals the value pools
    summary_row: bool
    detail_page: bool
    value: Value
    pooled_note: str  # "(4 alatavoitetta)" / "(4 tavoitetta)" where the value pools more than one rated goal, else ""
    children: tuple["ReportNode", ...] = ()
    comparison: Change | None = None  # None when the round has no baseline
    trend: tuple[TrendPoint, ...] = ()  # summary rows, oldest round first, when three or more rounds chain


def _pooled_note(rated_goals: int, leaf_kinds: set[str]) -> str:
    """How many rated goals a value pools, named by what they are: sub-goals only where every one is a
    sub-goal ("(4 alatavoitetta)"), else goals ("(4 tavoitetta)" / "(4 mål)")."""
    if rated_goals <= 1:
        return ""
    if leaf_kinds == {Node.Kind.SUBGOAL.value}:
        return ngettext("(%(count)d sub-goal)", "(%(count)d sub-goals)", rated_goals) % {"count": rated_goals}
    return ngettext("(%(count)d goal)", "(%(count)d goals)", rated_goals) % {"count": rated_goals}


@dataclass(frozen=True)
class Section:
    """A detail page: a main goal with its sub-goals, or a theme's or document's goals."""

    node: ReportNode
    heading: str
    part: str  # "1/4" where several sections share a heading, else "" (surveys/pages.py)
    main: ReportNode | None  # the main goal, when the section is one goal with sub-goals
    rows: tuple[ReportNode, ...]


@dataclass(frozen=True)
class Respondent:
    code: str
    name: str
    status: str  # a Status value
    status_label: str
    answered: bool
    answered_label: str  # the seed's column: "Kyllä" / "Ei vastausta määräajassa"


@dataclass(frozen=True)
class StatusCount:
    """How many invited municipalities are in one status: what a deck shows in place of a list too long."""

    status: str  # a Status value
    label: str
    count: int


# A council reads a list of municipalities up to this many; past it, the PDF, HTML and PPTX show the counts
# per status and refer to the XLSX, CSV and JSON for the list (docs/report-formats.md, "The response status").
RESPONDENTS_LISTED = 60


@dataclass(frozen=True)
class Excerpt:
    text: str
    municipality: str
    goals: tuple[str, ...] = ()  # codes
    language: str = ""  # the language the passage is written in ("fi", "sv"); "" where unknown
    translation: str = ""  # into the report's language, where the passage is in another and staff wrote one


@dataclass(frozen=True)
class Question:
    code: str
    text: str


@dataclass(frozen=True)
class MunicipalityAnswers:
    """One submitted response: the value per rated goal's code (None = can't say; absent = blank)."""

    code: str
    name: str
    submitted_at: datetime | None
    values: dict[str, int | None]
    comments: dict[str, str]


@dataclass(frozen=True)
class ReportAnswers:
    """Each municipality's answers in the report's language, one at a time: iterating reads them from the
    source, which for a built report is the database (selectors.SubmittedAnswersStream), a batch at a time,
    so that a report of a hundred thousand respondents never holds their answers. Each iteration reads them
    afresh; len() is how many had submitted when the report was built."""

    source: Iterable[SubmittedAnswers]
    language: str

    def __iter__(self) -> Iterator[MunicipalityAnswers]:
        for item in self.source:
            municipality = item.response.invitation.municipality
            yield MunicipalityAnswers(
                code=municipality.code,
                name=localized(municipality, "name", self.language),
                submitted_at=item.response.submitted_at,
                values=item.values,
                comments=item.comments,
            )

    def __len__(self) -> int:
        return len(self.source)


@dataclass(frozen=True)
class Goal:
    """A goal asked in only one of the compared rounds; `value` is its value in that round."""

    code: str
    text: str
    value: Value | None = None


@dataclass(frozen=True)
class Baseline:
    """The round this report is compared with, and what differs between the two."""

    round_code: str
    title: str
    label: str  # how a table's column and a reason name it: its year, "2022"
    window: str
    invited: int
    responded: int
    rate: str
    municipalities: tuple[str, ...]  # the baseline's responding municipalities, by name
    only_now: tuple[str, ...]  # responded to this round only, by name
    only_baseline: tuple[str, ...]  # responded to the baseline only, by name
    new_goals: tuple[Goal, ...]  # this round's rated goals matching nothing in the baseline
    dropped_goals: tuple[Goal, ...]  # the baseline's rated goals no goal of this round matches (its texts)
    overall: Value  # the baseline's pooled value on the goals compared (the whole round's where none match)
    overall_change: Change
    label_now: str  # this round's label, "2024"


@dataclass(frozen=True)
class Report:
    language: str
    round_code: str
    title: str
    organizer: str
    purpose: str
    instructions: str
    target_group: str
    opens_on: str
    closes_on: str
    window: str  # "6.11.–5.12.2024"
    scale: tuple[tuple[int, str], ...]  # highest first
    dont_know_label: str
    min_n: int
    respondents: tuple[Respondent, ...]
    invited: int
    responded: int
    rate: str  # "6/10"
    rate_percent: str  # "60 %"
    overall: Value
    nodes: tuple[ReportNode, ...]  # every node, depth first
    roots: tuple[ReportNode, ...]
    summary: tuple[ReportNode, ...]
    sections: tuple[Section, ...]
    narrative: str
    narrative_drafted: str  # the draft from the numbers, whatever staff wrote
    narrative_edited: bool
    narrative_outdated: bool  # edited against other numbers than these
    excerpts: tuple[Excerpt, ...]
    questions: tuple[Question, ...]
    # None unless the reader may see each municipality's answers; read as they are iterated (ReportAnswers)
    answers: ReportAnswers | None
    generated_at: datetime = field(default_factory=timezone.now)
    narrative_numbers: str = ""  # the fingerprint of these numbers, stored with an edited narrative
    status_counts: tuple[StatusCount, ...] = ()  # every status, in order, with how many invitations are in it
    respondents_listed: bool = True  # whether `respondents` holds every invitation (else it is empty)

    @property
    def respondents_shown(self) -> bool:
        """Whether the decks (PDF, HTML, PPTX) list the municipalities, or show the counts per status."""
        return self.invited <= RESPONDENTS_LISTED

    report_title: str = ""  # the report's own title (Round.report_title); "" where the round has none

    @property
    def cover_title(self) -> str:
        """What the title slide and page say: the report's title, else the survey's."""
        return self.report_title or self.title

    baseline: Baseline | None = None  # None when the round is compared with no earlier round
    trend_rounds: tuple[str, ...] = ()  # the labels of the trend's rounds, oldest first; () below three rounds

    @property
    def rated_goals(self) -> tuple[ReportNode, ...]:
        return tuple(node for node in self.nodes if node.rated)

    @property
    def scale_range(self) -> tuple[int, int]:
        """The scale's lowest and highest value: the ends of a chart's axis."""
        values = [value for value, _label in self.scale]
        return min(values), max(values)

    def answer_rows(self) -> list[tuple[MunicipalityAnswers, list[int | str | None]]]:
        """Each municipality with its answer to each rated goal as the answers tables show it:
        the value, the round's can't-say label, or None where it left the goal blank."""
        return list(self.iter_answer_rows())

    def iter_answer_rows(self) -> Iterator[tuple[MunicipalityAnswers, list[int | str | None]]]:
        """answer_rows one at a time, for the files that write them as they go."""
        codes = [goal.code for goal in self.rated_goals]
        for answers in self.answers or ():
            yield (
                answers,
                [
                    (self.dont_know_label if answers.values[code] is None else answers.values[code])
                    if code in answers.values
                    else None
                    for code in codes
                ],
            )


def report_build(
    round: Round,
    *,
    language: str,
    include_answers: bool = False,
    include_respondents: bool = True,
    now: datetime | None = None,
) -> Report:
    """`include_respondents=False`: the list of invitations with their statuses only where the decks show it
    (at most RESPONDENTS_LISTED), so that a report for a deck does not grow with the respondents."""
    now = now or timezone.now()
    sources = report_sources(
        round,
        language=language,
        include_answers=include_answers,
        respondents_up_to=None if include_respondents else RESPONDENTS_LISTED,
        now=now,
    )
    return report_assemble(sources, language=language, now=now)


def report_assemble(sources: ReportSources, *, language: str, now: datetime) -> Report:
    """The Report of rows already read: arithmetic and texts, no query."""
    with translation.override(language):
        return _assemble(sources, language, now)


def _value(result: NodeResult, scale_values: list[int], language: str, min_n: int) -> Value:
    median = result.median
    return Value(
        mean=result.mean,
        display=display(result.mean, language),
        n=result.n,
        dont_know=result.dont_know,
        blank=result.blank,
        distribution=tuple((value, result.distribution.get(value, 0)) for value in scale_values),
        median=median,
        median_display=display(median, language),
        low_n=result.n < min_n,
    )


def _assemble(sources: ReportSources, language: str, now: datetime) -> Report:
    round, results, scale = sources.round, sources.results, sources.scale
    scale_values = [option.value for option in scale]
    min_n = settings.ARVIO_MIN_N

    chain = _chain(sources, scale_values, language, min_n)
    report_nodes: dict[int, ReportNode] = {}
    leaf_kinds: dict[int, set[str]] = {}
    for node in reversed(results.nodes):  # children before parents
        leaf_kinds[node.pk] = (
            set().union(*(leaf_kinds[child.pk] for child in node.child_nodes)) if node.child_nodes else {node.kind}
        )
        report_nodes[node.pk] = ReportNode(
            code=node.code,
            kind=node.kind,
            text=localized(node, "text", language),
            label=localized(node, "label", language),
            heading=localized(node, "heading", language) or localized(node, "text", language),
            depth=node.depth,
            rated=not node.child_nodes,
            rated_goals=results.of(node).rated_goals,
            pooled_note=_pooled_note(results.of(node).rated_goals, leaf_kinds[node.pk]),
            summary_row=node.summary_row,
            detail_page=node.detail_page,
            value=_value(results.of(node), scale_values, language, min_n),
            children=tuple(report_nodes[child.pk] for child in node.child_nodes),
            comparison=chain.changes.get(node.code) if chain else None,
            trend=chain.trends.get(node.code, ()) if chain and node.summary_row else (),
        )
    nodes = tuple(report_nodes[node.pk] for node in results.nodes)
    summary = tuple(node for node in nodes if node.summary_row)

    overall = _value(pool(results.of(node) for node in results.nodes if node.depth == 0), scale_values, language, min_n)

    respondents = tuple(
        Respondent(
            code=item.invitation.municipality.code,
            name=localized(item.invitation.municipality, "name", language),
            status=item.status.value,
            status_label=str(item.status.label),
            answered=item.status.answered,
            answered_label=item.status.answered_label(),
        )
        for item in sources.respondents or ()
    )
    status_counts = tuple(
        StatusCount(status=status.value, label=str(status.label), count=count)
        for status, count in results.status_counts.items()
    )

    node_by_code = {node.code: node for node in results.nodes}
    genitive_areas = [
        narrative_text.Area(
            label=localized(node_by_code[row.code], "label_genitive", language) or row.label or row.text,
            mean=row.value.mean,
            n=row.value.n,
        )
        for row in summary
    ]
    levels = {
        option.value: (localized(option, "level", language) or localized(option, "label", language).lower())
        for option in scale
    }
    drafted = narrative_text.draft(
        language=language,
        overall=overall.mean,
        levels=levels,
        areas=genitive_areas,
        strongest=round.narrative_strongest,
        weakest=round.narrative_weakest,
        min_n=min_n,
        changes=_narrative_changes(summary, genitive_areas) if chain else None,
        baseline_label=chain.baseline.label if chain else "",
        changes_flagged=bool(chain) and any(row.comparison and row.comparison.flagged for row in summary),
    )
    numbers = numbers_fingerprint(summary, overall, results.responded)
    if chain:
        numbers = narrative_text.fingerprint(
            [("", numbers, 0), (chain.baseline.round_code, chain.baseline.overall.display, chain.baseline.responded)]
            + [(row.code, row.comparison.display, len(row.comparison.flags)) for row in summary if row.comparison]
        )
    edited = sources.narrative

    excerpts = tuple(
        Excerpt(
            text=excerpt.text,
            municipality=localized(excerpt.response.invitation.municipality, "name", language),
            goals=tuple(goal.code for goal in excerpt.goals.all()),
            language=excerpt.written_in,
            translation=excerpt.translation if excerpt.written_in != language else "",
        )
        for excerpt in sources.excerpts
    )
    questions = tuple(Question(q.code, localized(q, "text", language)) for q in sources.questions)
    answers = ReportAnswers(sources.answers, language) if sources.answers is not None else None

    return Report(
        language=language,
        round_code=round.code,
        title=localized(round, "title", language),
        report_title=localized(round, "report_title", language),
        organizer=localized(sources.organizer, "name", language),
        purpose=localized(round, "purpose", language),
        instructions=localized(round, "instructions", language),
        target_group=localized(round, "target_group", language),
        opens_on=format_date(round.opens_on),
        closes_on=format_date(round.closes_on),
        window=format_range(round.opens_on, round.closes_on),
        scale=tuple((option.value, localized(option, "label", language)) for option in scale),
        dont_know_label=localized(round, "dont_know_label", language),
        min_n=min_n,
        respondents=respondents,
        invited=results.invited,
        responded=results.responded,
        rate=f"{results.responded}/{results.invited}",
        rate_percent=percent(results.responded, results.invited, language),
        overall=overall,
        nodes=nodes,
        roots=tuple(node for node in nodes if node.depth == 0),
        summary=summary,
        sections=_sections(nodes),
        narrative=edited.text if edited else drafted,
        narrative_drafted=drafted,
        narrative_edited=edited is not None,
        narrative_outdated=edited is not None and edited.numbers != numbers,
        excerpts=excerpts,
        questions=questions,
        answers=answers,
        generated_at=now,
        narrative_numbers=numbers,
        status_counts=status_counts,
        respondents_listed=sources.respondents is not None,
        baseline=chain.baseline if chain else None,
        trend_rounds=chain.trend_rounds if chain else (),
    )


@dataclass(frozen=True)
class _Chain:
    baseline: Baseline
    changes: dict[str, Change]
    trends: dict[str, tuple[TrendPoint, ...]]
    trend_rounds: tuple[str, ...]


def round_label(round: Round, others: list[Round]) -> str:
    """A round's short name in a comparison: the year it closed, or its window where two rounds share a year."""
    if any(other.pk != round.pk and other.closes_on.year == round.closes_on.year for other in others):
        return format_range(round.opens_on, round.closes_on)
    return str(round.closes_on.year)


def _side(results: RoundResults, answered: list[Municipality]) -> compared.RoundSide:
    return compared.RoundSide(
        nodes=results.tree,
        results=results.results,
        respondents=frozenset(municipality.code for municipality in answered),
    )


def _names(answered_lists: list[list[Municipality]], language: str) -> dict[str, str]:
    return {
        municipality.code: localized(municipality, "name", language)
        for answered in answered_lists
        for municipality in answered
    }


def _chain(sources: ReportSources, scale_values: list[int], language: str, min_n: int) -> _Chain | None:
    """The comparison with the baseline and the trend across the chain of baselines, or None without one."""
    if not sources.baselines:
        return None
    first: BaselineSources = sources.baselines[0]
    rounds = [sources.round] + [item.results.round for item in sources.baselines]
    labels = [round_label(round, rounds) for round in rounds]
    now_side, then_side = _side(sources.results, sources.answered), _side(first.results, first.answered)
    result = compared.compare(now_side, then_side, first.mapping, min_n=min_n)
    names = _names([sources.answered, first.answered], language)
    baseline_scale = [option.value for option in first.scale]

    def reasons(flags) -> tuple[str, ...]:
        texts = []
        for flag in flags:
            if flag == compared.LOW_N:
                texts.append(_("fewer than %(min_n)s answers in either round") % {"min_n": min_n})
            else:
                parts = [
                    _("only in %(round)s: %(municipalities)s")
                    % {"round": label, "municipalities": ", ".join(names[code] for code in codes)}
                    for label, codes in ((labels[0], result.only_now), (labels[1], result.only_baseline))
                    if codes
                ]
                texts.append(_("different municipalities answered") + " (" + "; ".join(parts) + ")")
        return tuple(texts)

    def change(item: compared.NodeComparison) -> Change:
        return Change(
            baseline=_value(item.baseline, baseline_scale, language, min_n) if item.baseline else None,
            change=item.change,
            display=display_change(item.change, language),
            flags=item.flags,
            reasons=reasons(item.flags),
            baseline_goals=item.baseline_goals,
            partial=bool(item.unmatched_goals) and item.baseline is not None,
        )

    changes = {code: change(item) for code, item in result.nodes.items()}
    roots = [node.code for node in sources.results.nodes if node.depth == 0]
    overall_now = pool(sources.results.of(node) for node in sources.results.nodes if node.depth == 0)
    overall_parts = [result.nodes[code] for code in roots if result.nodes[code].baseline is not None]
    overall_then = pool(part.baseline for part in overall_parts) if overall_parts else None
    overall_item = compared.NodeComparison(
        code="",
        baseline=overall_then,
        change=(overall_now.mean - overall_then.mean)
        if overall_then is not None and overall_then.mean is not None and overall_now.mean is not None
        else None,
        baseline_goals=tuple(code for part in overall_parts for code in part.baseline_goals),
        unmatched_goals=tuple(code for code in roots if result.nodes[code].unmatched_goals),
        flags=tuple(
            flag
            for flag in (compared.LOW_N, compared.DIFFERENT_MUNICIPALITIES)
            if overall_then is not None
            and (
                (flag == compared.LOW_N and (overall_now.n < min_n or overall_then.n < min_n))
                or (flag == compared.DIFFERENT_MUNICIPALITIES and (result.only_now or result.only_baseline))
            )
        ),
    )
    baseline_round = first.results.round
    baseline_text = {node.code: localized(node, "text", language) for node in first.results.nodes}
    now_text = {node.code: localized(node, "text", language) for node in sources.results.nodes}
    whole_baseline = pool(first.results.of(node) for node in first.results.nodes if node.depth == 0)
    baseline = Baseline(
        round_code=baseline_round.code,
        title=localized(baseline_round, "title", language),
        label=labels[1],
        label_now=labels[0],
        window=format_range(baseline_round.opens_on, baseline_round.closes_on),
        invited=first.results.invited,
        responded=first.results.responded,
        rate=f"{first.results.responded}/{first.results.invited}",
        municipalities=tuple(localized(municipality, "name", language) for municipality in first.answered),
        only_now=tuple(names[code] for code in result.only_now),
        only_baseline=tuple(names[code] for code in result.only_baseline),
        new_goals=tuple(Goal(code, now_text[code]) for code in result.new_goals),
        dropped_goals=tuple(
            Goal(code, baseline_text[code], _value(first.results.results[code], baseline_scale, language, min_n))
            for code in result.dropped_goals
        ),
        # The level the overall change rests on, like every row's baseline value: the goals asked in both rounds.
        overall=_value(overall_then or whole_baseline, baseline_scale, language, min_n),
        overall_change=change(overall_item),
    )

    trends: dict[str, tuple[TrendPoint, ...]] = {}
    trend_rounds: tuple[str, ...] = ()
    if len(rounds) >= 3:
        sides = [now_side] + [_side(item.results, item.answered) for item in sources.baselines]
        mappings = [item.mapping for item in sources.baselines]
        scales = [scale_values] + [[option.value for option in item.scale] for item in sources.baselines]
        trend_rounds = tuple(reversed(labels))
        for node in sources.results.nodes:
            if not node.summary_row:
                continue
            points = compared.trend(node.code, sides, mappings)
            trends[node.code] = tuple(
                reversed(
                    [
                        TrendPoint(
                            round.code, label, _value(point, scale, language, min_n) if point is not None else None
                        )
                        for round, label, point, scale in zip(rounds, labels, points, scales)
                    ]
                )
            )
    return _Chain(baseline=baseline, changes=changes, trends=trends, trend_rounds=trend_rounds)


def _narrative_changes(summary, genitive_areas) -> list[narrative_text.Area]:
    """The summary rows whose change may be named: compared, and not flagged; `mean` holds the change."""
    return [
        narrative_text.Area(label=area.label, mean=row.comparison.change, n=row.value.n)
        for row, area in zip(summary, genitive_areas)
        if row.comparison and row.comparison.change is not None and not row.comparison.flagged
    ]


def numbers_fingerprint(summary, overall: Value, responded: int) -> str:
    return narrative_text.fingerprint(
        [(row.code, row.value.display, row.value.n) for row in summary] + [("", overall.display, responded)]
    )


def _sections(nodes: tuple[ReportNode, ...]) -> tuple[Section, ...]:
    pages = []
    for node in nodes:
        if not node.detail_page:
            continue
        main = node if node.kind in (Node.Kind.GOAL, Node.Kind.SUBGOAL) and node.children else None
        rows = node.children if node.children else (node,)
        pages.append((node, main, rows))
    parts = heading_parts([node.heading for node, _main, _rows in pages])
    return tuple(
        Section(node=node, heading=node.heading, part=part, main=main, rows=rows)
        for (node, main, rows), part in zip(pages, parts)
    )
