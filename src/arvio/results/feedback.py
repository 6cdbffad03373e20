"""Each municipality's feedback (palaute): its own rating of every goal beside the county's pooled value.

`feedback_assemble()` is pure: it takes the round's Report and one municipality's submitted answers
(and, where a baseline round exists, its answers there) and returns a Feedback; the page and the PDF
render that object and never query. A derived node's own value pools the municipality's own numeric
answers under it with the same arithmetic as the county's (`rollup.roll_up`), so that both columns
mean the same thing. Nobody else's individual answers are in it: only the distribution counts the
report already holds, and those only where the report's low-n rule (`Value.low_n`) lets them show.
"""

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from django.db.models import Max
from django.utils import timezone, translation

from arvio.lib.dates import end_of_day
from arvio.lib.i18n import localized
from arvio.results.numbers import NO_VALUE, display
from arvio.results.report import Report, ReportNode, report_build
from arvio.results.rollup import NodeResult, TreeNode, roll_up
from arvio.results.selectors import invitation_answers
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
    own_change: str  # "+0,4" beside its own baseline rating, "" where there is none
    distribution_shown: bool  # the report's low-n rule: the spread shows only where the value is not low-n


@dataclass(frozen=True)
class Feedback:
    report: Report
    municipality_code: str
    municipality: str
    answered: bool  # whether the municipality submitted
    submitted_at: datetime | None
    rows: tuple[FeedbackRow, ...]  # every node, depth first, as in the report
    has_baseline: bool


def _tree(report: Report) -> list[TreeNode]:
    parents = {child.code: node.code for node in report.nodes for child in node.children}
    return [TreeNode(node.code, parents.get(node.code)) for node in report.nodes]


def _own_results(report: Report, answers: Answers) -> dict[str, NodeResult]:
    """The municipality's answers rolled up the tree as one respondent's."""
    known = {node.code for node in report.rated_goals}
    counts = {(code, value): 1 for code, value in answers.items() if code in known}
    return roll_up(_tree(report), counts, respondents=1)


def signed_change(change: Fraction, language: str) -> str:
    """+0,4, −0,2 (a minus sign, not a hyphen) or ±0,0: the change as the report prints it, rounded only
    here. The magnitude is rounded as every value is (half up), so a change reads the same either way."""
    shown = display(abs(change), language)
    if shown == display(Fraction(0), language):
        return "±" + shown
    return ("+" if change > 0 else "−") + shown


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
    baseline_answers: Answers | None = None,
    baseline_report: Report | None = None,
) -> Feedback:
    """The feedback of one municipality. `answers` None: it did not submit. A baseline (its answers and the
    baseline round's report, for the tree) gives each node its own change, matched by code."""
    own = _own_results(report, answers or {})
    before: dict[str, NodeResult] = {}
    if baseline_report is not None and baseline_answers is not None:
        before = _own_results(baseline_report, baseline_answers)
    rows = []
    for node in report.nodes:
        result = own[node.code]
        earlier = before.get(node.code)
        change = ""
        if earlier is not None and earlier.mean is not None and result.mean is not None:
            change = signed_change(result.mean - earlier.mean, report.language)
        rows.append(
            FeedbackRow(
                node=node,
                own=_own(node, result, report),
                own_change=change,
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
        has_baseline=bool(before),
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
    """The feedback of the invitation's municipality, from the round's report and its own answers."""
    round = invitation.round
    report = report_build(round, language=language, now=now)
    response = getattr(invitation, "response", None)
    submitted = response is not None and response.submitted_at is not None
    answers = invitation_answers(invitation) if submitted else None
    baseline_answers = baseline_report = None
    # The comparison of rounds (Round.baseline) plugs in here where it exists.
    baseline = getattr(round, "baseline", None)
    if isinstance(baseline, Round):
        earlier = baseline.invitations.filter(municipality=invitation.municipality).select_related("response").first()
        earlier_response = getattr(earlier, "response", None) if earlier else None
        if earlier_response is not None and earlier_response.submitted_at is not None:
            baseline_answers = invitation_answers(earlier)
            baseline_report = report_build(baseline, language=language, now=now)
    with translation.override(language):
        return feedback_assemble(
            report,
            municipality_code=invitation.municipality.code,
            municipality=localized(invitation.municipality, "name", language),
            submitted_at=response.submitted_at if submitted else None,
            answers=answers,
            baseline_answers=baseline_answers,
            baseline_report=baseline_report,
        )
