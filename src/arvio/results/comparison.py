"""Rounds compared (vertailu): the baseline's pooled answers beside this round's, and the change, exactly.

Pure functions, no database, like rollup.py. The rules (docs/domain.md, "Rounds compared"):

- Goals match by code. A mapping row (baseline goal → this round's goal) covers a goal renamed, split
  (one baseline goal → several) or merged (several → one); a baseline goal named in the mapping matches
  only the goals it names. Both ends of a row are rated goals.
- Every node, rated or derived, is compared on its rated goals: its baseline value pools the answers of
  every baseline goal that one of its rated goals matches, each baseline goal once (rollup.pool). A split
  goal's parts each compare with the one old goal; a merged goal compares with the pool of the old goals.
  A derived node therefore compares like with like: goals asked only in one of the rounds stay out of its
  baseline value, and are listed (`new_goals`, `dropped_goals`).
- The change is this round's pooled mean minus the baseline's pooled mean, both exact fractions; only
  the display rounds (numbers.display_change).
- A change is flagged where either side rests on fewer numeric answers than the minimum n, or where the
  municipalities that responded differ between the rounds (then the reason names them).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from arvio.results.rollup import NodeResult, TreeNode, pool

LOW_N = "low_n"
DIFFERENT_MUNICIPALITIES = "different_municipalities"


@dataclass(frozen=True)
class RoundSide:
    """One round as the comparison sees it: its tree, its roll-up and who responded (municipality codes)."""

    nodes: tuple[TreeNode, ...]
    results: Mapping[str, NodeResult]
    respondents: frozenset[str]


@dataclass(frozen=True)
class NodeComparison:
    code: str
    baseline: NodeResult | None  # the pooled answers of the matched baseline goals; None where nothing matches
    change: Fraction | None  # None unless both rounds have a mean
    baseline_goals: tuple[str, ...]  # the baseline's rated goals compared, in the baseline's order
    unmatched_goals: tuple[str, ...]  # this node's rated goals that match nothing in the baseline
    flags: tuple[str, ...]  # LOW_N, DIFFERENT_MUNICIPALITIES

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


@dataclass(frozen=True)
class Comparison:
    nodes: Mapping[str, NodeComparison]
    new_goals: tuple[str, ...]  # this round's rated goals matching no baseline goal
    dropped_goals: tuple[str, ...]  # the baseline's rated goals no goal of this round matches
    only_now: tuple[str, ...]  # municipalities that responded to this round only, sorted
    only_baseline: tuple[str, ...]  # municipalities that responded to the baseline only, sorted


def rated_under(nodes: Iterable[TreeNode]) -> dict[str, tuple[str, ...]]:
    """Each node's rated goals (its leaves, itself for a leaf), in the tree's order."""
    nodes = list(nodes)
    children: dict[str | None, list[str]] = {}
    for node in nodes:
        children.setdefault(node.parent, []).append(node.code)
    under: dict[str, tuple[str, ...]] = {}

    def visit(code: str) -> tuple[str, ...]:
        kids = children.get(code, [])
        under[code] = (code,) if not kids else tuple(leaf for kid in kids for leaf in visit(kid))
        return under[code]

    for root in children.get(None, []):
        visit(root)
    return under


def goal_matches(
    rated: Iterable[str], baseline_rated: Iterable[str], mapping: Iterable[tuple[str, str]]
) -> dict[str, tuple[str, ...]]:
    """For each rated goal of this round, the baseline's rated goals it compares with (maybe none).

    `mapping` holds (baseline goal, this round's goal) pairs; rows naming a goal missing from either
    round are left out.
    """
    rated, baseline_rated = list(rated), list(baseline_rated)
    in_baseline = set(baseline_rated)
    position = {code: i for i, code in enumerate(baseline_rated)}
    targets: dict[str, set[str]] = {}
    sources = set()
    for baseline_code, code in mapping:
        if baseline_code in in_baseline:
            targets.setdefault(code, set()).add(baseline_code)
            sources.add(baseline_code)
    matches = {}
    for code in rated:
        if code in targets:
            matches[code] = tuple(sorted(targets[code], key=position.__getitem__))
        elif code in in_baseline and code not in sources:
            matches[code] = (code,)
        else:
            matches[code] = ()
    return matches


def compare(current: RoundSide, baseline: RoundSide, mapping: Iterable[tuple[str, str]], *, min_n: int) -> Comparison:
    """Every node of `current` compared with `baseline`."""
    under = rated_under(current.nodes)
    baseline_under = rated_under(baseline.nodes)
    baseline_rated = [code for code, leaves in baseline_under.items() if leaves == (code,)]
    rated = [code for code, leaves in under.items() if leaves == (code,)]
    matches = goal_matches(rated, baseline_rated, list(mapping))
    position = {code: i for i, code in enumerate(baseline_rated)}
    only_now = tuple(sorted(current.respondents - baseline.respondents))
    only_baseline = tuple(sorted(baseline.respondents - current.respondents))

    nodes = {}
    for node in current.nodes:
        leaves = under[node.code]
        matched = tuple(sorted({b for leaf in leaves for b in matches[leaf]}, key=position.__getitem__))
        unmatched = tuple(leaf for leaf in leaves if not matches[leaf])
        result = current.results[node.code]
        then = pool((baseline.results[code] for code in matched), code=node.code) if matched else None
        change = None
        if then is not None and then.mean is not None and result.mean is not None:
            change = result.mean - then.mean
        flags = []
        if then is not None and (result.n < min_n or then.n < min_n):
            flags.append(LOW_N)
        if then is not None and (only_now or only_baseline):
            flags.append(DIFFERENT_MUNICIPALITIES)
        nodes[node.code] = NodeComparison(node.code, then, change, matched, unmatched, tuple(flags))

    compared = {b for found in matches.values() for b in found}
    return Comparison(
        nodes=nodes,
        new_goals=tuple(code for code in rated if not matches[code]),
        dropped_goals=tuple(code for code in baseline_rated if code not in compared),
        only_now=only_now,
        only_baseline=only_baseline,
    )


def trend(code: str, sides: list[RoundSide], mappings: list[list[tuple[str, str]]]) -> tuple[NodeResult | None, ...]:
    """One node's value in each round of a chain, this round first: `sides[0]` is this round, `sides[i + 1]`
    the baseline of `sides[i]`, `mappings[i]` the mapping of `sides[i]` to it. Each earlier point pools the
    goals that the node's rated goals trace back to, round by round; None where nothing traces back."""
    points: list[NodeResult | None] = [sides[0].results.get(code)]
    leaves = rated_under(sides[0].nodes).get(code, ())
    for side, later, mapping in zip(sides[1:], sides, mappings):
        later_rated = [c for c, under in rated_under(later.nodes).items() if under == (c,)]
        side_rated = [c for c, under in rated_under(side.nodes).items() if under == (c,)]
        matches = goal_matches(later_rated, side_rated, mapping)
        position = {c: i for i, c in enumerate(side_rated)}
        leaves = tuple(sorted({b for leaf in leaves for b in matches.get(leaf, ())}, key=position.__getitem__))
        points.append(pool((side.results[leaf] for leaf in leaves), code=code) if leaves else None)
    return tuple(points)
