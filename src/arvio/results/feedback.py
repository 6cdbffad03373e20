"""Each municipality's feedback (palaute): its own rating of every goal beside the county's pooled value.

`feedback_assemble()` is pure: it takes the round's Report and one municipality's submitted answers
(and, where the report is compared with a baseline round, its answers there) and returns a Feedback;
the page and the PDF render that object and never query. A derived node's own value pools the
municipality's own numeric answers under it with the same arithmetic as the county's
(`rollup.roll_up`), so that both columns mean the same thing. Its own change is the county's comparison
(`comparison.compare`) with the municipality as the one respondent of both rounds: the same baseline
round as the report's, the same mapping of renamed, split and merged goals. Nobody else's individual
answers are in it: only the distribution counts the report already holds, and those only where the
report's low-n rule (`Value.low_n`) lets them show.
"""

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from django.db.models import Max
from django.utils import timezone, translation

from arvio.lib.dates import end_of_day
from arvio.lib.i18n import localized
from arvio.results import comparison as compared
from arvio.results.numbers import NO_VALUE, display, display_change
from arvio.results.report import Report, ReportNode, report_assemble
from arvio.results.rollup import NodeResult, TreeNode, roll_up
from arvio.results.selectors import invitation_answers, report_sources
from arvio.surveys.models import Round
from arvio.surveys.window import WindowState

# The municipality's own answers: the value per rated goal's code, None for "can't say", absent when blank.
Answers = dict[str, int | None]


@dataclass(frozen=True)
class Own:
    """The municipality's own rating of one node."""

    mean: Fraction | None  # its answer (a rated goal) or the mean of its numeric answers under the node
    display: str  # "4", "3,5", the round's can't-say label, or "–"
    n: int  # its numeric answers the value rests on
    dont_know: bool  # a rated goal answered "can't say"
    blank: bool  # nothing answered (a rated goal left blank, or every goal under the node)
    answer: int | None  # a rated goal's numeric answer: the value marked in its chart


@dataclass(frozen=True)
class FeedbackRow:
    node: ReportNode  # the county's pooled value, n and distribution
    own: Own
    own_change: Fraction | None  # its own value minus its own baseline value, exact; None where either is missing
    own_change_display: str  # "+0,4", "−0,2", "±0,0"; "–" without a change (numbers.display_change)
    distribution_shown: bool  # the report's low-n rule: the spread shows only where the value is not low-n


@dataclass(frozen=True)
class Feedback:
    report: Report
    municipality_code: str
    municipality: str
    answered: bool  # whether the municipality submitted
    submitted_at: datetime | None
    rows: tuple[FeedbackRow, ...]  # every node, depth first, as in the report
    has_baseline: bool  # the own change is given: the report is compared and the municipality answered both
    baseline_missing: bool = False  # the report is compared, but the municipality did not answer the baseline


@dataclass(frozen=True)
class OwnBaseline:
    """The round the report is compared with, as the municipality's own change needs it."""

    nodes: tuple[TreeNode, ...]  # the baseline round's goal tree
    mapping: tuple[tuple[str, str], ...]  # (baseline goal, this round's goal): the report's mapping
    answers: Answers | None  # the municipality's submitted answers there; None: it did not submit


def _tree(report: Report) -> tuple[TreeNode, ...]:
    parents = {child.code: node.code for node in report.nodes for child in node.children}
    return tuple(TreeNode(node.code, parents.get(node.code)) for node in report.nodes)


def _own_side(nodes: tuple[TreeNode, ...], answers: Answers, municipality_code: str) -> compared.RoundSide:
    """The municipality's answers rolled up the tree as one respondent's: one side of a comparison."""
    parents = {node.parent for node in nodes}
    rated = {node.code for node in nodes if node.code not in parents}
    counts = {(code, value): 1 for code, value in answers.items() if code in rated}
    return compared.RoundSide(
        nodes=nodes, results=roll_up(nodes, counts, respondents=1), respondents=frozenset({municipality_code})
    )


def _own(node: ReportNode, result: NodeResult, report: Report) -> Own:
    if node.rated:
        answer = next(iter(result.distribution), None) if result.n else None
        dont_know = result.dont_know > 0
        shown = report.dont_know_label if dont_know else (str(answer) if answer is not None else NO_VALUE)
        return Own(result.mean, shown, result.n, dont_know, result.blank > 0, answer)
    blank = result.n == 0 and result.dont_know == 0
    return Own(result.mean, display(result.mean, report.language), result.n, False, blank, None)


def feedback_assemble(
    report: Report,
    *,
    municipality_code: str,
    municipality: str,
    submitted_at: datetime | None,
    answers: Answers | None,
    baseline: OwnBaseline | None = None,
) -> Feedback:
    """The feedback of one municipality. `answers` None: it did not submit. `baseline`: the round the report
    is compared with (None: it is compared with none); where the municipality answered both rounds, each
    node gets its own change, compared as the report compares the county's."""
    now = _own_side(_tree(report), answers or {}, municipality_code)
    changes: dict[str, Fraction | None] = {}
    compared_both = baseline is not None and baseline.answers is not None and answers is not None
    if compared_both:
        then = _own_side(baseline.nodes, baseline.answers, municipality_code)
        comparison = compared.compare(now, then, baseline.mapping, min_n=report.min_n)
        changes = {code: item.change for code, item in comparison.nodes.items()}
    rows = []
    for node in report.nodes:
        change = changes.get(node.code)
        rows.append(
            FeedbackRow(
                node=node,
                own=_own(node, now.results[node.code], report),
                own_change=change,
                own_change_display=display_change(change, report.language),
                distribution_shown=not node.value.low_n,
            )
        )
    return Feedback(
        report=report,
        municipality_code=municipality_code,
        municipality=municipality,
        answered=answers is not None,
        submitted_at=submitted_at,
        rows=tuple(rows),
        has_baseline=compared_both,
        baseline_missing=baseline is not None and baseline.answers is None,
    )


def round_results_final(round: Round, *, now: datetime | None = None) -> bool:
    """Whether the round's results are final: staff closed it, or every municipality's answering time
    (its extension included) has ended. Until then the pooled values may still change."""
    now = now or timezone.now()
    if round.window_state(now) is not WindowState.CLOSED:
        return False
    if round.closed_at is not None and now >= round.closed_at:
        return True
    latest = round.invitations.aggregate(latest=Max("deadline_extended_to"))["latest"]
    return latest is None or now > end_of_day(latest)


def feedback_build(invitation, *, language: str, now: datetime | None = None) -> Feedback:
    """The feedback of the invitation's municipality, from the round's report and its own answers: in the
    baseline round the report reads (the first of its chain, `selectors.baseline_chain`), its own there."""
    now = now or timezone.now()
    round = invitation.round
    sources = report_sources(round, language=language, now=now)
    report = report_assemble(sources, language=language, now=now)
    response = getattr(invitation, "response", None)
    submitted = response is not None and response.submitted_at is not None
    baseline = None
    if sources.baselines:
        first = sources.baselines[0]
        earlier = first.results.round.invitations.filter(
            municipality=invitation.municipality, response__submitted_at__isnull=False
        ).first()
        baseline = OwnBaseline(
            nodes=first.results.tree,
            mapping=tuple(first.mapping),
            answers=invitation_answers(earlier) if earlier is not None else None,
        )
    with translation.override(language):
        return feedback_assemble(
            report,
            municipality_code=invitation.municipality.code,
            municipality=localized(invitation.municipality, "name", language),
            submitted_at=response.submitted_at if submitted else None,
            answers=invitation_answers(invitation) if submitted else None,
            baseline=baseline,
        )
