"""A submitted response as people read it: the goal tree with the answer given to each rated goal.

Used by the receipt mail (receipt.py) and by the staff's invitation page, so that both show the same thing.
"""

from dataclasses import dataclass

from arvio.responses.models import Response
from arvio.surveys.models import Node, Question, ScaleOption


@dataclass(frozen=True)
class GoalRow:
    node: Node
    rated: bool
    answered: bool = False
    value: int | None = None  # None with `answered`: "can't say"
    option: ScaleOption | None = None

    @property
    def dont_know(self) -> bool:
        return self.answered and self.value is None


@dataclass(frozen=True)
class OpenAnswer:
    question: Question
    text: str  # "" when left unanswered


@dataclass(frozen=True)
class Readout:
    goals: list[GoalRow]
    open_answers: list[OpenAnswer]


def response_readout(response: Response) -> Readout:
    """What was submitted (the Answer and Comment rows, never the draft), in the order it was asked."""
    round = response.invitation.round
    scale = {option.value: option for option in round.scale.all()}
    values = {answer.node_id: answer.value for answer in response.answers.all()}
    goals = []
    for node in round.tree():
        if not node.is_rated:
            goals.append(GoalRow(node=node, rated=False))
        elif node.pk in values:
            value = values[node.pk]
            goals.append(GoalRow(node=node, rated=True, answered=True, value=value, option=scale.get(value)))
        else:
            goals.append(GoalRow(node=node, rated=True))
    texts = {comment.question_id: comment.text for comment in response.comments.all()}
    return Readout(
        goals=goals,
        open_answers=[OpenAnswer(question=q, text=texts.get(q.pk, "")) for q in round.questions.all()],
    )
