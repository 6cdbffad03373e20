"""The feedback object (results/feedback.py): one municipality's own ratings beside the pooled values."""

from datetime import timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arvio.results.feedback import feedback_assemble, feedback_build, round_results_final, signed_change
from arvio.results.report import Report, ReportNode, Value, report_build
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


def test_it_gives_its_own_change_against_a_baseline(answered):
    report = report_build(answered, language="fi", now=AFTER_ROUND)
    feedback = feedback_assemble(
        report,
        municipality_code="235",
        municipality="Kauniainen",
        submitted_at=DURING_ROUND,
        answers={"yhteistyo-1": 4, "yhteistyo-2": None, "osallisuus": 2},
        baseline_answers={"yhteistyo-1": 3, "yhteistyo-2": 5, "osallisuus": 2},
        baseline_report=report,
    )
    rows = rows_by_code(feedback)
    assert feedback.has_baseline
    assert rows["yhteistyo-1"].own_change == "+1,0"
    assert rows["osallisuus"].own_change == "±0,0"
    assert rows["yhteistyo"].own_change == "±0,0"  # 4 against the mean of 3 and 5
    assert rows["yhteistyo-2"].own_change == ""  # can't say now: no change to give
    assert rows["palvelustrategia"].own_change == "−0,3"  # 3 against 10/3


def test_it_writes_a_change_with_its_sign():
    assert signed_change(Fraction(2, 5), "fi") == "+0,4"
    assert signed_change(Fraction(-1, 5), "sv") == "−0,2"
    assert signed_change(Fraction(1, 100), "fi") == "±0,0"
    assert signed_change(Fraction(-1, 20), "en") == "−0.1"


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
    report = _pure_report()
    feedback = feedback_assemble(
        report,
        municipality_code="235",
        municipality="Kauniainen",
        submitted_at=None,
        answers=answers,
        baseline_answers=before,
        baseline_report=report,
    )
    rows = rows_by_code(feedback)

    def mean(values, goals):
        numeric = [values[goal] for goal in goals if values.get(goal) is not None]
        return (Fraction(sum(numeric), len(numeric)) if numeric else None), len(numeric)

    for code, under in {"yhteistyo": ["yhteistyo-1", "yhteistyo-2"], "palvelustrategia": RATED}.items():
        now, n = mean(answers, under)
        earlier, _ = mean(before, under)
        assert rows[code].own.mean == now
        assert rows[code].own.n == n
        expected = signed_change(now - earlier, "fi") if now is not None and earlier is not None else ""
        assert rows[code].own_change == expected


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
