"""Rounds compared, as pure arithmetic: matching goals, pooling the baseline, the change, the flags."""

from collections import Counter
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from arvio.results.comparison import (
    DIFFERENT_MUNICIPALITIES,
    LOW_N,
    RoundSide,
    compare,
    goal_matches,
    rated_under,
    trend,
)
from arvio.results.numbers import display_change
from arvio.results.rollup import TreeNode, roll_up


def side(tree, counts, respondents=("235", "710", "927")):
    respondents = frozenset(respondents)
    return RoundSide(tuple(tree), roll_up(tree, counts, respondents=len(respondents)), respondents)


TREE = [TreeNode("theme", None), TreeNode("a", "theme"), TreeNode("b", "theme")]


def test_it_compares_goals_by_code_and_derived_nodes_by_their_pooled_answers():
    now = side(TREE, {("a", 4): 3, ("b", 2): 3})
    then = side(TREE, {("a", 3): 3, ("b", 1): 2, ("b", 2): 1})

    result = compare(now, then, [], min_n=3)

    assert result.nodes["a"].change == Fraction(1)
    assert result.nodes["b"].change == Fraction(2) - Fraction(4, 3)
    # Pooled: (12 + 6) / 6 − (9 + 4) / 6, never a difference of rounded means.
    assert result.nodes["theme"].change == Fraction(18, 6) - Fraction(13, 6)
    assert result.nodes["theme"].baseline.n == 6
    assert result.nodes["theme"].flags == ()
    assert result.new_goals == () and result.dropped_goals == ()


def test_it_compares_a_split_goal_with_the_one_old_goal_and_a_merged_goal_with_the_pool():
    then_tree = [TreeNode("theme", None), TreeNode("old", "theme"), TreeNode("x", "theme"), TreeNode("y", "theme")]
    now_tree = [TreeNode("theme", None), TreeNode("new1", "theme"), TreeNode("new2", "theme"), TreeNode("xy", "theme")]
    mapping = [("old", "new1"), ("old", "new2"), ("x", "xy"), ("y", "xy")]
    then = side(then_tree, {("old", 2): 3, ("x", 5): 3, ("y", 1): 3})
    now = side(now_tree, {("new1", 3): 3, ("new2", 4): 3, ("xy", 3): 3})

    result = compare(now, then, mapping, min_n=3)

    assert result.nodes["new1"].baseline_goals == ("old",) and result.nodes["new1"].change == 1
    assert result.nodes["new2"].change == 2
    assert result.nodes["xy"].baseline_goals == ("x", "y") and result.nodes["xy"].baseline.mean == 3
    # The theme pools the old goal once, though two new goals trace back to it.
    assert result.nodes["theme"].baseline.n == 9


def test_it_lists_new_and_dropped_goals_and_leaves_them_out_of_a_parents_baseline():
    then = side(
        [TreeNode("theme", None), TreeNode("a", "theme"), TreeNode("gone", "theme")], {("a", 2): 3, ("gone", 5): 3}
    )
    now = side(
        [TreeNode("theme", None), TreeNode("a", "theme"), TreeNode("fresh", "theme")], {("a", 3): 3, ("fresh", 1): 3}
    )

    result = compare(now, then, [], min_n=3)

    assert result.new_goals == ("fresh",)
    assert result.dropped_goals == ("gone",)
    assert result.nodes["fresh"].baseline is None and result.nodes["fresh"].change is None
    assert result.nodes["theme"].baseline_goals == ("a",)
    assert result.nodes["theme"].unmatched_goals == ("fresh",)
    assert result.nodes["theme"].baseline.mean == 2


def test_it_matches_a_mapped_goal_only_to_the_goals_the_mapping_names():
    matches = goal_matches(["a", "b"], ["a", "b"], [("a", "b")])
    assert matches == {"a": (), "b": ("a",)}


def test_it_flags_a_change_resting_on_too_few_answers_in_either_round():
    now = side(TREE, {("a", 4): 3, ("b", 2): 3})
    then = side(TREE, {("a", 3): 2, ("b", 2): 3})
    result = compare(now, then, [], min_n=3)
    assert result.nodes["a"].flags == (LOW_N,)
    assert result.nodes["b"].flags == ()


def test_it_flags_every_change_when_other_municipalities_responded_and_names_them():
    now = side(TREE, {("a", 4): 3, ("b", 2): 3}, respondents=("235", "710", "927"))
    then = side(TREE, {("a", 3): 3, ("b", 2): 3}, respondents=("235", "710", "049"))
    result = compare(now, then, [], min_n=3)
    assert result.only_now == ("927",) and result.only_baseline == ("049",)
    assert all(item.flags == (DIFFERENT_MUNICIPALITIES,) for item in result.nodes.values())


def test_it_traces_a_trend_back_through_each_rounds_mapping():
    r2020 = side([TreeNode("t", None), TreeNode("g", "t")], {("g", 1): 3})
    r2022 = side([TreeNode("t", None), TreeNode("h", "t")], {("h", 2): 3})
    r2024 = side([TreeNode("t", None), TreeNode("h1", "t"), TreeNode("h2", "t")], {("h1", 3): 3, ("h2", 5): 3})
    points = trend("t", [r2024, r2022, r2020], [[("h", "h1"), ("h", "h2")], [("g", "h")]])
    assert [point.mean for point in points] == [4, 2, 1]
    assert trend("h2", [r2024, r2022, r2020], [[], []])[1:] == (None, None)


def test_it_displays_a_change_with_its_sign_and_the_languages_decimal_sign():
    assert display_change(Fraction(2, 5), "fi") == "+0,4"
    assert display_change(Fraction(-1, 5), "sv") == "\u22120,2"
    assert display_change(Fraction(1, 100), "fi") == "\u00b10,0"
    assert display_change(Fraction(-1, 100), "fi") == "\u00b10,0"
    assert display_change(Fraction(0), "en") == "\u00b10.0"
    assert display_change(Fraction(2, 5), "en") == "+0.4"
    assert display_change(Fraction(-1, 4), "fi") == "\u22120,3"
    assert display_change(Fraction(1, 4), "fi") == "+0,3"
    assert display_change(None, "fi") == "–"


# Random trees, mappings and answers.


@st.composite
def trees(draw, prefix):
    """A tree of up to three levels with codes prefix0, prefix1 …"""
    nodes = [TreeNode(f"{prefix}0", None)]
    for i in range(1, draw(st.integers(1, 9))):
        parent = draw(st.sampled_from(nodes)).code
        nodes.append(TreeNode(f"{prefix}{i}", parent))
    return nodes


def leaves(tree):
    under = rated_under(tree)
    return [code for code, found in under.items() if found == (code,)]


@st.composite
def answered(draw, tree):
    counts = {}
    for leaf in leaves(tree):
        for value in draw(st.lists(st.sampled_from([1, 2, 3, 4, 5, None]), max_size=4)):
            counts[(leaf, value)] = counts.get((leaf, value), 0) + 1
    return counts


@st.composite
def compared_rounds(draw):
    shared = draw(st.booleans())
    then_tree = draw(trees("g"))
    now_tree = then_tree if shared else draw(trees("h"))
    then_counts = draw(answered(then_tree))
    now_counts = draw(answered(now_tree))
    pairs = st.tuples(st.sampled_from(leaves(then_tree)), st.sampled_from(leaves(now_tree)))
    mapping = draw(st.lists(pairs, max_size=5, unique=True))
    return then_tree, then_counts, now_tree, now_counts, mapping


def pooled_mean(counts, goals):
    values = Counter()
    for (code, value), count in counts.items():
        if code in goals and value is not None:
            values[value] += count
    n = sum(values.values())
    return Fraction(sum(value * count for value, count in values.items()), n) if n else None


@settings(max_examples=300, deadline=None)
@given(compared_rounds())
def test_the_change_of_every_node_is_the_pooled_mean_now_minus_the_pooled_mean_of_its_matched_baseline(case):
    then_tree, then_counts, now_tree, now_counts, mapping = case
    now = side(now_tree, now_counts, respondents=[str(i) for i in range(4)])
    then = side(then_tree, then_counts, respondents=[str(i) for i in range(4)])

    result = compare(now, then, mapping, min_n=3)

    matches = goal_matches(leaves(now_tree), leaves(then_tree), mapping)
    for node, leaf_codes in rated_under(now_tree).items():
        item = result.nodes[node]
        matched = {b for leaf in leaf_codes for b in matches[leaf]}
        assert set(item.baseline_goals) == matched
        now_mean = pooled_mean(now_counts, set(leaf_codes))
        then_mean = pooled_mean(then_counts, matched)
        if not matched:
            assert item.baseline is None and item.change is None
        elif now_mean is None or then_mean is None:
            assert item.change is None
        else:
            assert item.change == now_mean - then_mean
            assert item.baseline.mean == then_mean
        if matched:
            assert (LOW_N in item.flags) == (now.results[node].n < 3 or item.baseline.n < 3)
    compared = {b for found in matches.values() for b in found}
    assert set(result.dropped_goals) == set(leaves(then_tree)) - compared
    assert set(result.new_goals) == {leaf for leaf in leaves(now_tree) if not matches[leaf]}
