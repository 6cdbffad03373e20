"""The feedback object (results/feedback.py): one municipality's own ratings beside the pooled values."""

from datetime import timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arvio.responses.models import Answer, Response
from arvio.results.feedback import OwnBaseline, feedback_assemble, feedback_build, round_results_final
from arvio.results.numbers import display_change
from arvio.results.report import Report, ReportNode, Value
from arvio.results.rollup import TreeNode
from arvio.surveys.models import Round
from tests.invitations.helpers import AFTER_ROUND, DURING_ROUND, submit

pytestmark = pytest.mark.django_db

RATED = ["yhteistyo-1", "yhteistyo-2", "osallisuus"]


@pytest.fixture
def answered(round):
    values = {
        "235": {"yhteistyo-1": 4, "yhteistyo-2": None, "osallisuus": 2},
        "710": {"yhteistyo-1": 2, "yhteistyo-2": 3, "osallisuus": 5},
        "927": {"yhteistyo-1": 3, "yhteistyo-2": 3},
    }
    for code, answers in values.items():
        submit(round.invitations.get(municipality__code=code), at=DURING_ROUND, values=answers)
    return round


def rows_by_code(feedback):
    return {row.node.code: row for row in feedback.rows}


def test_it_puts_the_municipalitys_own_answers_beside_the_pooled_values(answered):
    feedback = feedback_build(answered.invitations.get(municipality__code="235"), language="fi", now=AFTER_ROUND)
    rows = rows_by_code(feedback)

    assert feedback.municipality == "Kauniainen"
    assert feedback.answered
    assert rows["yhteistyo-1"].own.display == "4"
    assert rows["yhteistyo-1"].own.answer == 4
    assert rows["yhteistyo-1"].node.value.display == "3,0"
    assert rows["yhteistyo-1"].node.value.n == 3
    assert rows["yhteistyo-2"].own.display == "En osaa sanoa"
    assert rows["yhteistyo-2"].own.dont_know
    assert rows["yhteistyo-2"].own.answer is None
    # A derived node pools the municipality's own numeric answers under it: here only the 4.
    assert rows["yhteistyo"].own.mean == 4
    assert rows["yhteistyo"].own.display == "4,0"
    assert rows["palvelustrategia"].own.mean == Fraction(6, 2)
    assert rows["palvelustrategia"].node.value.mean == Fraction(4 + 2 + 3 + 3 + 3 + 2 + 5, 7)


def test_it_shows_a_goal_left_blank_as_blank(answered):
    feedback = feedback_build(answered.invitations.get(municipality__code="927"), language="sv", now=AFTER_ROUND)
    osallisuus = rows_by_code(feedback)["osallisuus"]
    assert osallisuus.own.blank
    assert osallisuus.own.display == "–"
    assert osallisuus.own.mean is None


def test_it_holds_no_other_municipalitys_own_answers(answered):
    feedback = feedback_build(answered.invitations.get(municipality__code="235"), language="fi", now=AFTER_ROUND)
    assert feedback.report.answers is None
    assert {row.own.answer for row in feedback.rows if row.node.rated} == {4, 2, None}


def test_it_hides_the_spread_where_the_value_rests_on_too_few_answers(answered, settings):
    settings.ARVIO_MIN_N = 3
    feedback = feedback_build(answered.invitations.get(municipality__code="235"), language="fi", now=AFTER_ROUND)
    rows = rows_by_code(feedback)
    assert rows["yhteistyo-1"].distribution_shown  # n = 3
    assert not rows["yhteistyo-2"].distribution_shown  # n = 2
    assert not rows["osallisuus"].distribution_shown  # n = 2


def test_it_says_when_the_municipality_did_not_answer(round):
    submit(round.invitations.get(municipality__code="710"), at=DURING_ROUND, values={"osallisuus": 4})
    feedback = feedback_build(round.invitations.get(municipality__code="235"), language="fi", now=AFTER_ROUND)
    assert not feedback.answered
    assert all(row.own.blank for row in feedback.rows)


# The test round's tree, by codes: palvelustrategia > yhteistyo (yhteistyo-1, yhteistyo-2), osallisuus.
TREE = (
    TreeNode("palvelustrategia", None),
    TreeNode("yhteistyo", "palvelustrategia"),
    TreeNode("yhteistyo-1", "yhteistyo"),
    TreeNode("yhteistyo-2", "yhteistyo"),
    TreeNode("osallisuus", "palvelustrategia"),
)


def assembled(answers, baseline, report=None):
    return feedback_assemble(
        report or _pure_report(),
        municipality_code="235",
        municipality="Kauniainen",
        submitted_at=DURING_ROUND,
        answers=answers,
        baseline=baseline,
    )


def test_it_gives_its_own_change_against_a_baseline_with_the_same_goals():
    feedback = assembled(
        {"yhteistyo-1": 4, "yhteistyo-2": None, "osallisuus": 2},
        OwnBaseline(TREE, (), {"yhteistyo-1": 3, "yhteistyo-2": 5, "osallisuus": 2}),
    )
    rows = rows_by_code(feedback)
    assert feedback.has_baseline and not feedback.baseline_missing
    assert rows["yhteistyo-1"].own_change == 1
    assert rows["yhteistyo-1"].own_change_display == "+1,0"
    assert rows["osallisuus"].own_change_display == "±0,0"
    # Like the county's comparison, a node compares on its rated goals: the can't-say of yhteistyo-2 now
    # leaves 4 against the pool of 3 and 5.
    assert rows["yhteistyo"].own_change == 0
    assert rows["yhteistyo-2"].own_change is None  # can't say now: no change to give
    assert rows["yhteistyo-2"].own_change_display == "–"
    assert rows["palvelustrategia"].own_change == Fraction(6, 2) - Fraction(10, 3)
    assert rows["palvelustrategia"].own_change_display == "−0,3"


def test_a_split_goals_parts_each_compare_with_the_one_old_goal():
    # In the baseline yhteistyo was one rated goal; it was split into yhteistyo-1 and yhteistyo-2.
    before = (TreeNode("palvelustrategia", None), TreeNode("yhteistyo", "palvelustrategia"))
    before += (TreeNode("osallisuus", "palvelustrategia"),)
    mapping = (("yhteistyo", "yhteistyo-1"), ("yhteistyo", "yhteistyo-2"))
    feedback = assembled(
        {"yhteistyo-1": 4, "yhteistyo-2": 2, "osallisuus": 3},
        OwnBaseline(before, mapping, {"yhteistyo": 3, "osallisuus": 5}),
    )
    rows = rows_by_code(feedback)
    assert rows["yhteistyo-1"].own_change == 1
    assert rows["yhteistyo-2"].own_change == -1
    assert rows["yhteistyo-2"].own_change_display == "−1,0"
    assert rows["yhteistyo"].own_change == 0  # the mean of 4 and 2 against the one old 3
    assert rows["yhteistyo"].own_change_display == "±0,0"
    assert rows["osallisuus"].own_change == -2
    # 9/3 against the old goal once and osallisuus: (3 + 5) / 2.
    assert rows["palvelustrategia"].own_change == -1
    assert rows["palvelustrategia"].own_change_display == "−1,0"


def test_a_merged_goal_compares_with_the_pool_of_the_old_goals():
    # In the baseline yhteistyo-1 was asked as two goals, yhteistyo-1a and yhteistyo-1b, merged since.
    before = (
        TreeNode("palvelustrategia", None),
        TreeNode("yhteistyo", "palvelustrategia"),
        TreeNode("yhteistyo-1a", "yhteistyo"),
        TreeNode("yhteistyo-1b", "yhteistyo"),
        TreeNode("yhteistyo-2", "yhteistyo"),
        TreeNode("osallisuus", "palvelustrategia"),
    )
    mapping = (("yhteistyo-1a", "yhteistyo-1"), ("yhteistyo-1b", "yhteistyo-1"))
    feedback = assembled(
        {"yhteistyo-1": 4, "yhteistyo-2": 3, "osallisuus": 2},
        OwnBaseline(before, mapping, {"yhteistyo-1a": 2, "yhteistyo-1b": 5, "yhteistyo-2": 4, "osallisuus": None}),
    )
    rows = rows_by_code(feedback)
    assert rows["yhteistyo-1"].own_change == Fraction(1, 2)  # 4 against the mean of 2 and 5
    assert rows["yhteistyo-1"].own_change_display == "+0,5"
    assert rows["yhteistyo-2"].own_change == -1
    assert rows["osallisuus"].own_change is None  # "can't say" in the baseline
    assert rows["yhteistyo"].own_change == Fraction(7, 2) - Fraction(11, 3)
    assert rows["yhteistyo"].own_change_display == "−0,2"
    assert rows["palvelustrategia"].own_change == 3 - Fraction(11, 3)
    assert rows["palvelustrategia"].own_change_display == "−0,7"


def test_it_gives_no_own_change_where_the_municipality_did_not_answer_the_baseline():
    feedback = assembled({"yhteistyo-1": 4}, OwnBaseline(TREE, (), None))
    assert feedback.baseline_missing and not feedback.has_baseline
    assert all(row.own_change is None and row.own_change_display == "–" for row in feedback.rows)
    uncompared = assembled({"yhteistyo-1": 4}, None)
    assert not uncompared.baseline_missing and not uncompared.has_baseline


def _node(code, kind, depth, children=()):
    value = Value(None, "–", 0, 0, 0, ((5, 0), (4, 0), (3, 0), (2, 0), (1, 0)), None, "–", True)
    return ReportNode(
        code=code,
        kind=kind,
        text=code,
        label=code,
        heading=code,
        depth=depth,
        rated=not children,
        rated_goals=1,
        summary_row=False,
        detail_page=False,
        value=value,
        pooled_note="",
        children=tuple(children),
    )


def _pure_report() -> Report:
    """The test round's tree as a Report with no answers: the feedback needs only the tree and the texts."""
    subgoals = [_node("yhteistyo-1", "subgoal", 2), _node("yhteistyo-2", "subgoal", 2)]
    main = _node("yhteistyo", "goal", 1, subgoals)
    osallisuus = _node("osallisuus", "goal", 1)
    document = _node("palvelustrategia", "document", 0, [main, osallisuus])
    nodes = (document, main, *subgoals, osallisuus)
    empty = nodes[-1].value
    return Report(
        language="fi",
        round_code="t",
        title="",
        organizer="",
        purpose="",
        instructions="",
        target_group="",
        opens_on="",
        closes_on="",
        window="",
        scale=((5, "5"), (4, "4"), (3, "3"), (2, "2"), (1, "1")),
        dont_know_label="En osaa sanoa",
        min_n=3,
        respondents=(),
        invited=0,
        responded=0,
        rate="",
        rate_percent="",
        overall=empty,
        nodes=nodes,
        roots=(document,),
        summary=(),
        sections=(),
        narrative="",
        narrative_drafted="",
        narrative_edited=False,
        narrative_outdated=False,
        excerpts=(),
        questions=(),
        answers=None,
    )


@settings(max_examples=60, deadline=None)
@given(
    answers=st.fixed_dictionaries(
        {}, optional={code: st.one_of(st.none(), st.integers(min_value=1, max_value=5)) for code in RATED}
    ),
    before=st.fixed_dictionaries({}, optional={code: st.integers(min_value=1, max_value=5) for code in RATED}),
)
def test_a_nodes_own_value_and_change_are_exact(answers, before):
    feedback = assembled(answers, OwnBaseline(TREE, (), before))
    rows = rows_by_code(feedback)

    def mean(values, goals):
        numeric = [values[goal] for goal in goals if values.get(goal) is not None]
        return (Fraction(sum(numeric), len(numeric)) if numeric else None), len(numeric)

    for code, under in {"yhteistyo": ["yhteistyo-1", "yhteistyo-2"], "palvelustrategia": RATED}.items():
        now, n = mean(answers, under)
        earlier, _ = mean(before, under)
        assert rows[code].own.mean == now
        assert rows[code].own.n == n
        expected = now - earlier if now is not None and earlier is not None else None
        assert rows[code].own_change == expected
        assert rows[code].own_change_display == display_change(expected, "fi")


def test_it_opens_once_the_round_has_closed_for_everybody(round):
    assert not round_results_final(round, now=DURING_ROUND)
    assert round_results_final(round, now=AFTER_ROUND)
    extended = round.invitations.get(municipality__code="235")
    extended.deadline_extended_to = AFTER_ROUND.date()
    extended.save()
    assert not round_results_final(round, now=AFTER_ROUND - timedelta(hours=1))
    assert round_results_final(round, now=AFTER_ROUND + timedelta(days=1))
    round.closed_at = DURING_ROUND
    round.save()
    assert round_results_final(round, now=DURING_ROUND + timedelta(minutes=1))


def own_answers(round_code: str, municipality_code: str) -> dict[str, int | None]:
    return dict(
        Answer.objects.filter(
            response__invitation__round__code=round_code,
            response__invitation__municipality__code=municipality_code,
            response__submitted_at__isnull=False,
        ).values_list("node__code", "value")
    )


def answered_in(round_code: str) -> set[str]:
    return set(
        Response.objects.filter(invitation__round__code=round_code, submitted_at__isnull=False).values_list(
            "invitation__municipality__code", flat=True
        )
    )


def test_the_demos_feedback_compares_a_renamed_and_a_split_goal_with_its_own_2022_answers(demo_round):
    both = sorted(answered_in("kuntakysely-2024") & answered_in("kuntakysely-2022"))
    code = next(
        code
        for code in both
        if own_answers("kuntakysely-2022", code).get("kotihoito") is not None
        and own_answers("kuntakysely-2024", code).get("kotona-asuminen") is not None
    )
    now, then = own_answers("kuntakysely-2024", code), own_answers("kuntakysely-2022", code)
    feedback = feedback_build(demo_round.invitations.get(municipality__code=code), language="sv")
    rows = rows_by_code(feedback)

    assert feedback.report.baseline.round_code == "kuntakysely-2022"
    assert feedback.has_baseline
    # kotihoito was renamed kotona-asuminen: the mapping matches them, as in the county's comparison.
    renamed = rows["kotona-asuminen"]
    assert renamed.own_change == now["kotona-asuminen"] - then["kotihoito"]
    assert renamed.own_change_display == display_change(Fraction(renamed.own_change), "sv")
    # perhepalvelut was split into perhekeskus and sijaishuolto: each part compares with the one old goal.
    for part in ("perhekeskus", "sijaishuolto"):
        expected = None
        if now.get(part) is not None and then.get("perhepalvelut") is not None:
            expected = now[part] - then["perhepalvelut"]
        assert rows[part].own_change == expected
    # The same goals are compared for the municipality as for the county.
    county = {node.code: node.comparison for node in feedback.report.nodes}
    assert county["kotona-asuminen"].baseline_goals == ("kotihoito",)


def test_the_demos_feedback_says_the_municipality_did_not_answer_the_baseline(demo_round):
    (code,) = answered_in("kuntakysely-2024") - answered_in("kuntakysely-2022")
    feedback = feedback_build(demo_round.invitations.get(municipality__code=code), language="fi")
    assert feedback.answered and feedback.baseline_missing and not feedback.has_baseline
    assert all(row.own_change is None for row in feedback.rows)


def test_the_feedback_is_compared_with_the_reports_default_baseline(demo_round):
    # Without a baseline named, the report compares with the organizer's latest earlier closed round
    # sharing goal codes (2022): so does the feedback, through the same mapping.
    both = sorted(answered_in("kuntakysely-2024") & answered_in("kuntakysely-2022"))
    invitation = demo_round.invitations.get(municipality__code=both[0])
    named = [row.own_change for row in feedback_build(invitation, language="fi").rows]
    Round.objects.filter(pk=demo_round.pk).update(baseline=None)
    invitation.round.refresh_from_db()
    feedback = feedback_build(invitation, language="fi")
    assert invitation.round.baseline is None
    assert feedback.report.baseline.round_code == "kuntakysely-2022"
    assert feedback.has_baseline
    assert [row.own_change for row in feedback.rows] == named
    assert any(change is not None for change in named)
