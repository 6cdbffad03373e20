"""Reading a round's results: a constant number of queries, whatever the number of respondents."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count
from django.utils import timezone

from arvio.invitations.models import Invitation
from arvio.invitations.status import Status
from arvio.responses.models import Answer
from arvio.results.rollup import NodeResult, TreeNode, roll_up
from arvio.surveys.models import Node, Round


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
