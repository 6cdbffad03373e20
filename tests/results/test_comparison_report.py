"""The Report compared with its baseline: the demo's 2024 round against its constructed 2022 round."""

from fractions import Fraction

import pytest
from django.core.management import call_command

from arvio.results.report import report_build
from arvio.surveys.models import Round

pytestmark = pytest.mark.django_db

MINUS = "\u2212"


@pytest.fixture
def demo():
    call_command("demo", "--no-publish", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Round.objects.get(code="kuntakysely-2024")


def pooled(round_code, goals):
    """The pooled mean of the submitted answers of `goals`, straight from the rows."""
    from arvio.responses.models import Answer

    values = list(
        Answer.objects.filter(
            response__invitation__round__code=round_code,
            response__submitted_at__isnull=False,
            node__code__in=goals,
            value__isnull=False,
        ).values_list("value", flat=True)
    )
    return Fraction(sum(values), len(values)), len(values)


def test_it_names_the_baseline_and_what_differs(demo):
    report = report_build(demo, language="fi")

    baseline = report.baseline
    assert baseline.round_code == "kuntakysely-2022"
    assert (baseline.label, baseline.label_now, baseline.rate) == ("2022", "2024", "7/10")
    assert baseline.only_baseline == ("Espoo", "Vihti")
    assert baseline.only_now == ("Hanko",)
    assert [goal.code for goal in baseline.new_goals] == ["pelastus-ymparistovahingot"]
    assert baseline.dropped_goals == ()


def test_it_compares_each_node_exactly_from_the_pooled_answers(demo):
    report = report_build(demo, language="fi")
    nodes = {node.code: node for node in report.nodes}

    home = nodes["kotona-asuminen"].comparison
    assert home.baseline_goals == ("kotihoito",)
    then, n = pooled("kuntakysely-2022", ["kotihoito"])
    now, _n = pooled("kuntakysely-2024", ["kotona-asuminen"])
    assert home.baseline.mean == then and home.baseline.n == n
    assert home.change == now - then

    for split in ("perhekeskus", "sijaishuolto"):
        assert nodes[split].comparison.baseline_goals == ("perhepalvelut",)

    rescue = nodes["pelastustoimen-palvelutasopaatos"]
    goals = [child.code for child in rescue.children if child.code != "pelastus-ymparistovahingot"]
    then, n = pooled("kuntakysely-2022", goals)
    assert rescue.comparison.baseline.mean == then and rescue.comparison.baseline.n == n
    assert rescue.comparison.change == rescue.value.mean - then
    assert rescue.comparison.partial
    assert nodes["pelastus-ymparistovahingot"].comparison.baseline is None


def test_it_flags_every_change_as_other_municipalities_answered_and_says_who(demo):
    fi = report_build(demo, language="fi")
    sv = report_build(demo, language="sv")
    row = fi.summary[0].comparison
    assert row.flagged and "different_municipalities" in row.flags
    assert "vastaajat eri kunnat (vain 2024: Hanko; vain 2022: Espoo, Vihti)" in row.reasons
    assert (
        "svarande olika kommuner (endast 2024: Hangö; endast 2022: Esbo, Vichtis)" in sv.summary[0].comparison.reasons
    )


def test_it_shows_the_change_with_a_sign_and_a_decimal_comma(demo):
    report = report_build(demo, language="fi")
    for node in report.nodes:
        change = node.comparison
        if change.change is None:
            assert change.display == "–"
        else:
            assert change.display[0] in ("+", MINUS, "±") and "," in change.display


def test_it_keeps_the_2024_rounds_own_numbers(demo):
    compared = report_build(demo, language="fi")
    demo.no_baseline = True
    demo.save()
    alone = report_build(demo, language="fi")
    assert alone.baseline is None
    assert [node.value for node in compared.nodes] == [node.value for node in alone.nodes]
    assert compared.overall == alone.overall and compared.rate == alone.rate == "6/10"


def test_it_carries_a_trend_across_2020_2022_and_2024_on_each_summary_row(demo):
    report = report_build(demo, language="sv")
    assert report.trend_rounds == ("2020", "2022", "2024")
    for row in report.summary:
        assert [point.label for point in row.trend] == ["2020", "2022", "2024"]
        assert row.trend[-1].value == row.value
        assert row.trend[1].value.mean == row.comparison.baseline.mean


def test_it_says_in_the_narrative_that_flagged_changes_are_not_named(demo):
    report = report_build(demo, language="fi")
    assert report.narrative.split("\n\n")[-1].startswith("Muutoksia edelliseen kierrokseen (2022) ei nimetä")


def test_a_round_without_a_baseline_has_no_comparison(demo):
    report = report_build(Round.objects.get(code="kuntakysely-demo"), language="fi")
    assert report.baseline is None and report.trend_rounds == ()
    assert all(node.comparison is None and node.trend == () for node in report.nodes)
