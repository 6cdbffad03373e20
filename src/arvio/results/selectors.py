"""Reading a round's results and everything its report shows: a constant number of queries, whatever the
number of respondents. report.py assembles the Report from what these return and runs no query of its own.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count
from django.utils import timezone

from arvio.invitations.models import Invitation
from arvio.invitations.status import Status
from arvio.responses.models import Answer, Comment, Response
from arvio.results.models import Excerpt, Narrative
from arvio.results.rollup import NodeResult, TreeNode, roll_up
from arvio.surveys.models import Node, Organizer, Question, Round, ScaleOption


@dataclass(frozen=True)
class RespondentStatus:
    invitation: Invitation
    status: Status


@dataclass(frozen=True)
class RoundResults:
    round: Round
    nodes: list[Node]  # depth first, with `depth` and `child_nodes`
    results: dict[str, NodeResult]
    respondents: list[RespondentStatus]

    @property
    def invited(self) -> int:
        return len(self.respondents)

    @property
    def responded(self) -> int:
        return sum(1 for respondent in self.respondents if respondent.status.answered)

    def of(self, node: Node) -> NodeResult:
        return self.results[node.code]


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
    now = now or timezone.now()
    nodes = round.tree()
    code_of = {node.pk: node.code for node in nodes}
    invitations = list(
        Invitation.objects.filter(round=round)
        .select_related("municipality", "response", "round")
        .order_by("order", "municipality__name_fi")
    )
    respondents = [RespondentStatus(invitation, invitation.status(now)) for invitation in invitations]
    submitted = sum(1 for respondent in respondents if respondent.status.answered)
    counts = {(code_of[node_id], value): count for (node_id, value), count in answer_counts(round).items()}
    results = roll_up(
        [TreeNode(node.code, code_of.get(node.parent_id)) for node in nodes], counts, respondents=submitted
    )
    return RoundResults(round=round, nodes=nodes, results=results, respondents=respondents)


@dataclass(frozen=True)
class SubmittedAnswers:
    """One submitted response: the value per rated goal's code (None = can't say; absent = blank), the text per
    open question's code."""

    response: Response  # with its invitation and municipality
    values: dict[str, int | None]
    comments: dict[str, str]


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
    answers: list[SubmittedAnswers] | None  # None unless asked for


def report_sources(round: Round, *, language: str, include_answers: bool = False, now: datetime) -> ReportSources:
    return ReportSources(
        round=round,
        organizer=round.organizer,
        results=round_results(round, now=now),
        scale=list(round.scale.all()),
        questions=list(round.questions.all()),
        narrative=Narrative.objects.filter(round=round, language=language).first(),
        excerpts=list(round.excerpts.select_related("response__invitation__municipality").prefetch_related("goals")),
        answers=submitted_answers(round) if include_answers else None,
    )


def submitted_answers(round: Round) -> list[SubmittedAnswers]:
    """Each submitted response with its answers and comments, in the order of the invitations: three queries."""
    responses = list(
        Response.objects.filter(invitation__round=round, submitted_at__isnull=False)
        .select_related("invitation__municipality")
        .order_by("invitation__order", "invitation__municipality__name_fi")
    )
    values: dict[int, dict[str, int | None]] = {response.pk: {} for response in responses}
    for response_id, code, value in Answer.objects.filter(response__in=responses).values_list(
        "response_id", "node__code", "value"
    ):
        values[response_id][code] = value
    comments: dict[int, dict[str, str]] = {response.pk: {} for response in responses}
    for response_id, code, text in Comment.objects.filter(response__in=responses).values_list(
        "response_id", "question__code", "text"
    ):
        comments[response_id][code] = text
    return [SubmittedAnswers(response, values[response.pk], comments[response.pk]) for response in responses]


def invitation_answers(invitation: Invitation) -> dict[str, int | None]:
    """One municipality's submitted answers: the value per rated goal's code (None = can't say; absent = blank)."""
    return dict(
        Answer.objects.filter(response__invitation=invitation, response__submitted_at__isnull=False).values_list(
            "node__code", "value"
        )
    )
