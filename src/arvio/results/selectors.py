"""Reading a round's results and everything its report shows: a constant number of queries, whatever the
number of respondents. report.py assembles the Report from what these return and runs no query of its own.
"""

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count
from django.utils import timezone

from arvio.invitations.models import Invitation
from arvio.invitations.status import Status
from arvio.responses.models import Answer, Comment, Response
from arvio.results.models import Excerpt, Narrative
from arvio.results.rollup import NodeResult, TreeNode, roll_up
from arvio.surveys.models import Municipality, Node, Organizer, Question, Round, ScaleOption

# Submitted responses read at a time where each municipality's answers are streamed: each batch's answers
# and comments are one query each.
RESPONSES_PER_BATCH = 1_000


@dataclass(frozen=True)
class RespondentStatus:
    invitation: Invitation  # with its municipality's code and names only
    status: Status


@dataclass(frozen=True)
class RoundResults:
    """The numbers of a round: every node's result and how many invitations are in each status."""

    round: Round
    nodes: list[Node]  # depth first, with `depth` and `child_nodes`
    results: dict[str, NodeResult]
    status_counts: dict[Status, int]  # every status, in Status's order

    @property
    def invited(self) -> int:
        return sum(self.status_counts.values())

    @property
    def responded(self) -> int:
        return self.status_counts[Status.SUBMITTED]

    def of(self, node: Node) -> NodeResult:
        return self.results[node.code]

    @property
    def tree(self) -> tuple[TreeNode, ...]:
        """The goal tree by codes, as the pure functions (rollup, comparison) take it."""
        code_of = {node.pk: node.code for node in self.nodes}
        return tuple(TreeNode(node.code, code_of.get(node.parent_id)) for node in self.nodes)


def answer_counts(round: Round) -> dict[tuple[int, int | None], int]:
    """The one grouped query: submitted answers counted per (rated goal id, value)."""
    rows = (
        Answer.objects.filter(response__invitation__round=round, response__submitted_at__isnull=False)
        .values_list("node_id", "value")
        .annotate(count=Count("id"))
        .order_by()
    )
    return {(node_id, value): count for node_id, value, count in rows}


def round_results(round: Round, *, now: datetime | None = None) -> RoundResults:
    """Three queries (the tree, the invitations counted per status, the answers counted per goal and value)
    and arithmetic on counts: nothing here grows with the number of respondents."""
    now = now or timezone.now()
    nodes = round.tree()
    code_of = {node.pk: node.code for node in nodes}
    status_counts = Invitation.objects.filter(round=round).status_counts(now)
    counts = {(code_of[node_id], value): count for (node_id, value), count in answer_counts(round).items()}
    results = roll_up(
        [TreeNode(node.code, code_of.get(node.parent_id)) for node in nodes],
        counts,
        respondents=status_counts[Status.SUBMITTED],
    )
    return RoundResults(round=round, nodes=nodes, results=results, status_counts=status_counts)


def answered_municipalities(round: Round) -> list[Municipality]:
    """The municipalities that submitted, with their codes and names only: one query, for a comparison, which
    names the municipalities that answered one round and not the other."""
    return list(
        Municipality.objects.filter(invitations__round=round, invitations__response__submitted_at__isnull=False)
        .only("code", "name_fi", "name_sv", "name_en")
        .order_by("invitations__order", "name_fi")
    )


def respondent_statuses(round: Round, *, now: datetime) -> list[RespondentStatus]:
    """Every invitation of the round with its status, in the invitations' order: one query, for the pages and
    files that list the municipalities."""
    invitations = (
        Invitation.objects.filter(round=round)
        .with_status(now)
        .select_related("municipality")
        .only("pk", "municipality__code", "municipality__name_fi", "municipality__name_sv", "municipality__name_en")
        .order_by("order", "municipality__name_fi")
    )
    return [RespondentStatus(invitation, Status(invitation.status_value)) for invitation in invitations]


@dataclass(frozen=True)
class SubmittedAnswers:
    """One submitted response: the value per rated goal's code (None = can't say; absent = blank), the text per
    open question's code."""

    response: Response  # with its submission time, its invitation and its municipality's code and names only
    values: dict[str, int | None]
    comments: dict[str, str]


@dataclass(frozen=True)
class SubmittedAnswersStream:
    """Each submitted response of a round with its answers and comments, read from the database each time it
    is iterated, RESPONSES_PER_BATCH responses at a time, so that what is held in memory is one batch, however
    many municipalities answered. `count` is how many had submitted when the report was built.

    The report carries it in place of a list (docs/decisions.md, "Each municipality's answers are streamed"):
    an exporter iterating it reads the rows as it writes them, and never writes a query of its own."""

    round: Round
    count: int

    def __iter__(self) -> Iterator[SubmittedAnswers]:
        return submitted_answers(self.round)

    def __len__(self) -> int:
        return self.count


@dataclass(frozen=True)
class BaselineSources:
    """A round earlier in the chain of baselines, and how the round after it maps its goals to it."""

    results: RoundResults
    scale: list[ScaleOption]  # highest first
    mapping: list[tuple[str, str]]  # (this baseline's goal, the later round's goal): the later round's mapping
    answered: list[Municipality]  # the municipalities that submitted, in the invitations' order


# A chain of baselines longer than this is cut: the trend shows at most this many earlier rounds.
BASELINE_CHAIN_MAX = 10


def baseline_chain(round: Round, *, now: datetime) -> list[BaselineSources]:
    """The round's baseline, the baseline's baseline and so on, nearest first: a few queries per round.

    A baseline opens before the round that names it (survey_import, staff/comparison.py), so the chain
    ends; it is cut at BASELINE_CHAIN_MAX all the same.
    """
    chain = []
    seen = {round.pk}
    later = round
    while len(chain) < BASELINE_CHAIN_MAX:
        baseline = later.compared_round(now)
        if baseline is None or baseline.pk in seen:
            break
        seen.add(baseline.pk)
        mapping = list(later.baseline_mapping.values_list("baseline_code", "code"))
        chain.append(
            BaselineSources(
                results=round_results(baseline, now=now),
                scale=list(baseline.scale.all()),
                mapping=mapping,
                answered=answered_municipalities(baseline),
            )
        )
        later = baseline
    return chain


@dataclass(frozen=True)
class ReportSources:
    """Every row the report of a round in one language is made from."""

    round: Round
    organizer: Organizer
    results: RoundResults
    scale: list[ScaleOption]  # highest first
    questions: list[Question]
    narrative: Narrative | None  # staff's text in the language, if they edited it
    excerpts: list[Excerpt]  # with their municipality and goals
    answers: Iterable[SubmittedAnswers] | None  # None unless asked for; a SubmittedAnswersStream from the database
    respondents: list[RespondentStatus] | None  # None when not asked for and more than the limit
    baselines: tuple[BaselineSources, ...] = ()  # the chain of baselines, nearest first (baseline_chain)
    answered: list[Municipality] = ()  # the municipalities that submitted; read only where there is a baseline


def report_sources(
    round: Round,
    *,
    language: str,
    include_answers: bool = False,
    respondents_up_to: int | None = None,
    now: datetime,
) -> ReportSources:
    """`respondents_up_to`: list the invitations only when there are at most this many (None: always)."""
    results = round_results(round, now=now)
    listed = respondents_up_to is None or results.invited <= respondents_up_to
    baselines = tuple(baseline_chain(round, now=now))
    return ReportSources(
        round=round,
        organizer=round.organizer,
        results=results,
        scale=list(round.scale.all()),
        questions=list(round.questions.all()),
        narrative=Narrative.objects.filter(round=round, language=language).first(),
        excerpts=list(round.excerpts.select_related("response__invitation__municipality").prefetch_related("goals")),
        answers=SubmittedAnswersStream(round, results.responded) if include_answers else None,
        respondents=respondent_statuses(round, now=now) if listed else None,
        baselines=baselines,
        answered=answered_municipalities(round) if baselines else [],
    )


def submitted_answers(round: Round) -> Iterator[SubmittedAnswers]:
    """Each submitted response with its answers and comments, in the order of the invitations: the goals' and
    questions' codes and the responses in one query each, then each batch of RESPONSES_PER_BATCH responses'
    answers and comments in one query each. The answers are keyed by the goals' and questions' own code
    strings; only the batch being handed on is in memory."""
    goal_codes = dict(round.nodes.values_list("pk", "code"))
    question_codes = dict(round.questions.values_list("pk", "code"))
    responses = (
        Response.objects.filter(invitation__round=round, submitted_at__isnull=False)
        .select_related("invitation__municipality")
        .only(
            "submitted_at",
            "invitation__municipality__code",
            "invitation__municipality__name_fi",
            "invitation__municipality__name_sv",
            "invitation__municipality__name_en",
        )
        .order_by("invitation__order", "invitation__municipality__name_fi")
        .iterator(RESPONSES_PER_BATCH)
    )
    while batch := list(itertools.islice(responses, RESPONSES_PER_BATCH)):
        ids = [response.pk for response in batch]
        values: dict[int, dict[str, int | None]] = {pk: {} for pk in ids}
        for response_id, node_id, value in Answer.objects.filter(response_id__in=ids).values_list(
            "response_id", "node_id", "value"
        ):
            values[response_id][goal_codes[node_id]] = value
        comments: dict[int, dict[str, str]] = {pk: {} for pk in ids}
        for response_id, question_id, text in Comment.objects.filter(response_id__in=ids).values_list(
            "response_id", "question_id", "text"
        ):
            comments[response_id][question_codes[question_id]] = text
        yield from (SubmittedAnswers(response, values[response.pk], comments[response.pk]) for response in batch)


def invitation_answers(invitation: Invitation) -> dict[str, int | None]:
    """One municipality's submitted answers: the value per rated goal's code (None = can't say; absent = blank)."""
    return dict(
        Answer.objects.filter(response__invitation=invitation, response__submitted_at__isnull=False).values_list(
            "node__code", "value"
        )
    )
