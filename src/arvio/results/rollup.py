"""Rolling answers up the goal tree with exact arithmetic.

Pure functions, no database: the input is the tree's shape and the counts of
answers per (rated goal, value); the output is, for every node, the pooled
numbers. A derived node pools all numeric answers of the rated goals under it —
the mean of the pooled answers, never a mean of rounded means (docs/domain.md,
"How the numbers are computed"). Only the display rounds (numbers.py).
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction


@dataclass(frozen=True)
class TreeNode:
    code: str
    parent: str | None


@dataclass(frozen=True)
class NodeResult:
    """The pooled answers of one node.

    `distribution` counts numeric answers per scale value; `dont_know` counts
    "can't say"; `blank` counts respondents who left every pooled goal's slot
    empty, summed over the pooled goals (a respondent may be blank on one goal
    and answer another).
    """

    code: str
    rated_goals: int
    distribution: Mapping[int, int] = field(default_factory=dict)
    dont_know: int = 0
    blank: int = 0

    @property
    def n(self) -> int:
        return sum(self.distribution.values())

    @property
    def total(self) -> int:
        return sum(value * count for value, count in self.distribution.items())

    @property
    def mean(self) -> Fraction | None:
        return Fraction(self.total, self.n) if self.n else None

    @property
    def median(self) -> Fraction | None:
        """The middle answer (the mean of the two middle ones for an even n), read off the distribution's
        cumulative counts: no list of answers is made, however many there are."""
        n = self.n
        if not n:
            return None
        lower, upper = (n - 1) // 2, n // 2  # the middle answers' places, counting from 0 in ascending order
        below = 0
        low_value = None
        for value in sorted(self.distribution):
            below += self.distribution[value]
            if low_value is None and below > lower:
                low_value = value
            if below > upper:
                return Fraction(low_value + value, 2)
        raise AssertionError("unreachable: the counts add up to n")


def roll_up(
    nodes: Iterable[TreeNode],
    counts: Mapping[tuple[str, int | None], int],
    *,
    respondents: int,
) -> dict[str, NodeResult]:
    """Results for every node of the tree.

    `counts[(goal_code, value)]` is how many respondents gave `value` to a rated
    goal, `value` None meaning "can't say". `respondents` is the number of
    submitted responses: whoever of them has no answer for a goal left it blank.
    """
    nodes = list(nodes)
    children: dict[str | None, list[str]] = {}
    for node in nodes:
        children.setdefault(node.parent, []).append(node.code)

    per_goal: dict[str, tuple[Counter, int]] = {}
    for (code, value), count in counts.items():
        if count < 0:
            raise ValueError(f"negative count for {code}")
        distribution, dont_know = per_goal.get(code, (Counter(), 0))
        if value is None:
            dont_know += count
        else:
            distribution[value] += count
        per_goal[code] = (distribution, dont_know)

    results: dict[str, NodeResult] = {}

    def visit(code: str) -> NodeResult:
        kids = children.get(code, [])
        if not kids:
            distribution, dont_know = per_goal.get(code, (Counter(), 0))
            answered = sum(distribution.values()) + dont_know
            if answered > respondents:
                raise ValueError(f"{code} has {answered} answers from {respondents} respondents")
            result = NodeResult(code, 1, Counter(distribution), dont_know, respondents - answered)
        else:
            result = pool([visit(kid) for kid in kids], code=code)
        results[code] = result
        return result

    for root in children.get(None, []):
        visit(root)
    unknown = {code for code, _ in counts} - results.keys()
    if unknown:
        raise ValueError(f"answers for goals not in the tree: {sorted(unknown)}")
    return results


def pool(parts: Iterable[NodeResult], *, code: str = "") -> NodeResult:
    """One result of all the answers of `parts`: a parent's from its children's, the round's from its roots'.

    The parts must not overlap (no part under another), or their answers would count twice.
    """
    parts = list(parts)
    distribution = Counter()
    for part in parts:
        distribution.update(part.distribution)
    return NodeResult(
        code,
        sum(part.rated_goals for part in parts),
        distribution,
        sum(part.dont_know for part in parts),
        sum(part.blank for part in parts),
    )
