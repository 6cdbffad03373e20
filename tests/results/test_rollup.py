"""The roll-up against the seed's numbers and against a naive computation."""

from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arvio.results.rollup import NodeResult, TreeNode, pool, roll_up


def test_it_pools_answers_rather_than_averaging_means():
    tree = [TreeNode("theme", None), TreeNode("a", "theme"), TreeNode("b", "theme")]
    # a: 1, 1 (mean 1); b: 5 (mean 5). Pooled: 7/3, not (1 + 5) / 2.
    counts = {("a", 1): 2, ("b", 5): 1, ("b", None): 1}
    results = roll_up(tree, counts, respondents=2)
    assert results["theme"].mean == Fraction(7, 3)
    assert results["theme"].n == 3
    assert results["theme"].dont_know == 1
    assert results["theme"].rated_goals == 2
    assert results["b"].blank == 0
    assert results["a"].blank == 0


def test_it_counts_blanks_and_cant_say_apart_from_the_mean():
    tree = [TreeNode("g", None)]
    results = roll_up(tree, {("g", 4): 2, ("g", None): 1}, respondents=6)
    g = results["g"]
    assert (g.n, g.dont_know, g.blank, g.mean) == (2, 1, 3, Fraction(4))
    assert dict(g.distribution) == {4: 2}


def test_it_has_no_mean_without_numeric_answers():
    results = roll_up([TreeNode("g", None)], {("g", None): 2}, respondents=2)
    assert results["g"].mean is None
    assert results["g"].median is None


def test_it_takes_the_median_of_the_pooled_answers():
    assert NodeResult("x", 1, {1: 1, 2: 1, 5: 1}).median == 2
    assert NodeResult("x", 1, {1: 1, 2: 1, 4: 1, 5: 1}).median == 3
    assert NodeResult("x", 1, {2: 1, 3: 1}).median == Fraction(5, 2)


def test_it_pools_the_whole_round_from_its_roots():
    a = NodeResult("a", 2, {1: 2, 3: 1}, dont_know=1, blank=2)
    b = NodeResult("b", 1, {3: 1, 5: 1}, dont_know=0, blank=1)
    overall = pool([a, b])
    assert (overall.code, overall.rated_goals, overall.dont_know, overall.blank) == ("", 3, 1, 3)
    assert dict(overall.distribution) == {1: 2, 3: 2, 5: 1}
    assert overall.mean == Fraction(13, 5)
    assert pool([]).mean is None


def test_it_refuses_answers_for_goals_outside_the_tree():
    with pytest.raises(ValueError, match="not in the tree"):
        roll_up([TreeNode("g", None)], {("elsewhere", 3): 1}, respondents=1)


def test_it_refuses_more_answers_than_respondents():
    with pytest.raises(ValueError):
        roll_up([TreeNode("g", None)], {("g", 3): 2}, respondents=1)


@st.composite
def trees_and_answers(draw):
    """A random tree of up to four levels and random answers by up to 12 respondents."""
    nodes = [TreeNode("root-0", None)]
    frontier = ["root-0"]
    for _depth in range(draw(st.integers(0, 3))):
        next_frontier = []
        for parent in frontier:
            for i in range(draw(st.integers(0, 3))):
                code = f"{parent}.{i}"
                nodes.append(TreeNode(code, parent))
                next_frontier.append(code)
        frontier = next_frontier or frontier
    if draw(st.booleans()):
        nodes.append(TreeNode("root-1", None))
    parents = {node.parent for node in nodes}
    leaves = [node.code for node in nodes if node.code not in parents]
    respondents = draw(st.integers(0, 12))
    answers = {
        (leaf, person): draw(st.sampled_from([None, "blank", 1, 2, 3, 4, 5]))
        for leaf in leaves
        for person in range(respondents)
    }
    return nodes, leaves, respondents, answers


@settings(max_examples=200, deadline=None)
@given(trees_and_answers())
def test_it_agrees_with_a_naive_computation(case):
    nodes, leaves, respondents, answers = case
    counts = Counter((leaf, value) for (leaf, _), value in answers.items() if value != "blank")
    results = roll_up(nodes, counts, respondents=respondents)

    parent_of = {node.code: node.parent for node in nodes}

    def leaves_under(code):
        found = []
        for leaf in leaves:
            at = leaf
            while at is not None:
                if at == code:
                    found.append(leaf)
                    break
                at = parent_of[at]
        return found

    for node in nodes:
        under = leaves_under(node.code)
        values = [value for (leaf, _), value in answers.items() if leaf in under and isinstance(value, int)]
        result = results[node.code]
        assert result.rated_goals == len(under)
        assert result.n == len(values)
        assert result.dont_know == sum(1 for (leaf, _), v in answers.items() if leaf in under and v is None)
        assert result.blank == sum(1 for (leaf, _), v in answers.items() if leaf in under and v == "blank")
        assert result.mean == (Fraction(sum(values), len(values)) if values else None)
        assert sorted(v for v, c in result.distribution.items() for _ in range(c)) == sorted(values)


@settings(max_examples=200, deadline=None)
@given(trees_and_answers())
def test_it_pools_the_roots_as_rolling_up_their_union_would(case):
    nodes, _leaves, respondents, answers = case
    counts = Counter((leaf, value) for (leaf, _), value in answers.items() if value != "blank")
    roots = [node.code for node in nodes if node.parent is None]
    results = roll_up(nodes, counts, respondents=respondents)

    # The union: the same tree with every root put under one more node.
    union = [TreeNode("", None)] + [TreeNode(node.code, "" if node.parent is None else node.parent) for node in nodes]
    assert pool(results[root] for root in roots) == roll_up(union, counts, respondents=respondents)[""]
