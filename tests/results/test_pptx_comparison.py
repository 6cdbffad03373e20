"""The council deck compared with the baseline: the demo's 2024 round against 2022, with the trend from 2020,
opened back with python-pptx in Finnish and Swedish.

The numbers are read from the Report; a few are also computed here by hand from the demo's data files
(src/arvio/demo/kuntakysely-20xx-responses.csv), so that the Report and the deck cannot agree on a wrong one.
"""

import io
from dataclasses import replace
from fractions import Fraction

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from arvio.results.formats.pptx_format import exporter
from arvio.results.report import Goal, report_build
from arvio.surveys.models import Round
from tests.results.test_pptx import normalised, paragraphs_of, rows_of, tables, title_of, without_n
from tests.results.test_pptx_fit import REGULAR, overflows

pytestmark = pytest.mark.django_db

HEADERS = {
    "fi": ["Tavoite tai teema", "Arvo 2024", "Arvo 2022", "Muutos"],
    "sv": ["Mål eller tema", "Värdet 2024", "Värdet 2022", "Förändring"],
}
# Every change of the demo is flagged: Hanko answered 2024 only, Espoo and Vihti 2022 only.
DIFFERENT = {
    "fi": "¹ Vastaajat eri kunnat (vain 2024: Hanko; vain 2022: Espoo, Vihti)",
    "sv": "¹ Svarande olika kommuner (endast 2024: Hangö; endast 2022: Esbo, Vichtis)",
}
# The rescue services' new goal (pelastus-ymparistovahingot) stays out of the document's baseline value.
PARTIAL = {
    "fi": "² Vain molemmilla kierroksilla kysytyt tavoitteet",
    "sv": "² Endast de mål som ställdes i båda omgångarna",
}


def render(report) -> Presentation:
    return Presentation(io.BytesIO(exporter.render(report)[2]))


def summary_slide(deck, language: str):
    with translation.override(language):
        title = _("Summary of the municipalities' answers")
    (slide,) = [slide for slide in deck.slides if title_of(slide).startswith(title) and tables(slide)]
    return slide


def charts(deck, chart_type) -> list:
    return [
        shape.chart
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_chart and shape.chart.chart_type == chart_type
    ]


def short(node) -> str:
    label = node.label or node.text
    return label[:1].upper() + label[1:]


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_summary_table_holds_the_baseline_and_the_change_the_report_computes(demo_round, language):
    report = report_build(demo_round, language=language)
    deck = render(report)

    slide = summary_slide(deck, language)
    header, *rows = rows_of(slide)
    assert header == HEADERS[language]
    assert len(rows) == len(report.summary)
    for row, node in zip(rows, report.summary):
        change = node.comparison
        assert row[:2] == [normalised(f"{node.text} {node.pooled_note}"), node.value.display]
        assert row[2] == change.baseline.display
        marks = "¹,²" if change.partial else "¹"
        assert row[3] == change.display + marks
    # The n of the baseline's value stands beside it, as this round's does.
    cells = [[normalised(cell.text) for cell in row.cells] for row in tables(slide)[0].table.rows][1:]
    assert [row[2] for row in cells] == [
        f"{node.comparison.baseline.display} (n = {node.comparison.baseline.n})" for node in report.summary
    ]
    footnotes = " ".join(paragraphs_of(slide))
    assert DIFFERENT[language] in footnotes and PARTIAL[language] in footnotes


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_first_rows_change_is_the_one_computed_by_hand_from_the_demos_answers(demo_round, language):
    report = report_build(demo_round, language=language)
    first = report.summary[0]
    assert first.code == "yhteistyomallit"
    # kuntakysely-2024-responses.csv: 2, 3, 1, 2, 3, 2; kuntakysely-2022-responses.csv: 3, 2, 3, 1, 2, 2, 4.
    assert first.comparison.change == Fraction(13, 6) - Fraction(17, 7) == Fraction(-11, 42)

    row = rows_of(summary_slide(render(report), language))[1]
    assert row[1:] == ["2,2", "2,4", "−0,3¹"]
    assert normalised(tables(summary_slide(render(report), language))[0].table.cell(1, 2).text) == "2,4 (n = 7)"


def test_the_speaker_notes_give_each_rows_baseline_and_change_and_the_footnotes(demo_round):
    report = report_build(demo_round, language="fi")
    notes = summary_slide(render(report), "fi").notes_slide.notes_text_frame.text.split("\n")

    assert notes[0].endswith("— 2022: 2,4 (n = 7); Muutos vuodesta 2022 −0,3")
    assert notes[-2:] == [DIFFERENT["fi"], PARTIAL["fi"]]


def test_a_summary_row_new_in_this_round_reads_new_without_a_baseline_value(demo_round):
    report = report_build(demo_round, language="fi")
    first = report.summary[0]
    new = replace(first, comparison=replace(first.comparison, baseline=None, change=None, display="–", flags=()))
    report = replace(report, summary=(new,) + report.summary[1:])
    deck = render(report)

    assert rows_of(summary_slide(deck, "fi"))[1][1:] == ["2,2", "–", "uusi"]
    (chart,) = charts(deck, XL_CHART_TYPE.BAR_CLUSTERED)
    then = chart.plots[0].series[1]
    assert then.values[0] is None
    assert normalised(then.points[0].data_label.text_frame.text) == "uusi"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_bar_chart_has_both_rounds_as_series_with_a_legend(demo_round, language):
    report = report_build(demo_round, language=language)
    (chart,) = charts(render(report), XL_CHART_TYPE.BAR_CLUSTERED)

    assert chart.has_legend
    now, then = chart.plots[0].series
    assert (now.name, then.name) == ("2024", "2022")
    assert now.values == pytest.approx([float(node.value.mean) for node in report.summary])
    assert then.values == pytest.approx([float(node.comparison.baseline.mean) for node in report.summary])
    assert then.values[0] == pytest.approx(17 / 7)
    labels = [normalised(point.data_label.text_frame.text) for point in then.points]
    assert labels == [
        f"{node.comparison.baseline.display} (n = {node.comparison.baseline.n})" for node in report.summary
    ]


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_trend_is_a_native_line_chart_per_summary_row_across_the_three_rounds(demo_round, language):
    report = report_build(demo_round, language=language)
    deck = render(report)

    assert report.trend_rounds == ("2020", "2022", "2024")
    lines = charts(deck, XL_CHART_TYPE.LINE_MARKERS)
    assert len(lines) == len(report.summary)
    for chart, node in zip(lines, report.summary):
        assert chart.has_title and chart.chart_title.text_frame.text == short(node)
        (series,) = chart.plots[0].series
        assert list(chart.plots[0].categories) == list(report.trend_rounds)
        assert series.values == pytest.approx([float(point.value.mean) for point in node.trend])
    # The first row by hand: 2020 answered 2, EOS, 1, 1, 1, 1 (six municipalities, one can't say).
    assert lines[0].plots[0].series[0].values == pytest.approx([6 / 5, 17 / 7, 13 / 6])

    with translation.override(language):
        title = _("The summary rows across the rounds")
    slides = [slide for slide in deck.slides if title_of(slide).startswith(title)]
    assert [title_of(slide) for slide in slides] == [f"{title} (1/2)", f"{title} (2/2)"]
    notes = [line for slide in slides for line in slide.notes_slide.notes_text_frame.text.split("\n")]
    first = report.summary[0]
    assert notes[0] == f"{short(first)}: " + "; ".join(
        f"{point.label} {point.value.display} (n\u00a0=\u00a0{point.value.n})" for point in first.trend
    )
    assert len(notes) == len(report.summary)


def test_a_round_where_a_row_has_no_value_leaves_a_gap_in_its_line(demo_round):
    report = report_build(demo_round, language="fi")
    first = report.summary[0]
    gap = replace(first.trend[0], value=None)
    report = replace(report, summary=(replace(first, trend=(gap,) + first.trend[1:]),) + report.summary[1:])

    chart = charts(render(report), XL_CHART_TYPE.LINE_MARKERS)[0]

    assert chart.plots[0].series[0].values == (None, pytest.approx(17 / 7), pytest.approx(13 / 6))
    assert (
        chart._chartSpace.chart.find("{http://schemas.openxmlformats.org/drawingml/2006/chart}dispBlanksAs").get("val")
        == "gap"
    )


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_goals_new_and_dropped_are_listed_on_a_slide(demo_round, language):
    report = report_build(demo_round, language=language)
    baseline = report.baseline
    assert [goal.code for goal in baseline.new_goals] == ["pelastus-ymparistovahingot"] and not baseline.dropped_goals
    dropped = Goal("kotoutuminen-vanha", "Vanha tavoite", report.summary[0].comparison.baseline)
    deck = render(replace(report, baseline=replace(baseline, dropped_goals=(dropped,))))

    with translation.override(language):
        title = _("Compared with the previous round")
        new_heading, dropped_heading = _("Goals new in this round"), _("Goals dropped since the baseline")
    (slide,) = [slide for slide in deck.slides if title_of(slide) == title]
    rows = rows_of(slide)
    new = next(node for node in report.nodes if node.code == "pelastus-ymparistovahingot")
    assert rows[0][0] == new_heading
    assert rows[1] == [normalised(new.text), f"2024: {new.value.display}"]
    assert rows[2][0] == dropped_heading
    assert rows[3] == ["Vanha tavoite", f"2022: {dropped.value.display}"]
    facts = " ".join(paragraphs_of(slide))
    assert baseline.title in facts and baseline.rate in facts
    assert f"2022: {baseline.overall.display}; 2024: {report.overall.display}" in facts


def test_the_comparison_slide_says_none_where_no_goal_is_dropped(demo_round):
    report = report_build(demo_round, language="fi")
    deck = render(report)

    (slide,) = [slide for slide in deck.slides if title_of(slide) == "Vertailu edelliseen kierrokseen"]
    assert rows_of(slide)[-2:] == [["Vertailukierroksen jälkeen poistuneet tavoitteet", ""], ["Ei yhtään.", ""]]


def test_a_round_without_a_baseline_gives_the_deck_as_before(demo_round):
    report = report_build(demo_round, language="fi")
    plain = replace(report, baseline=None, trend_rounds=())
    compared, alone = render(report), render(plain)

    titles = [title_of(slide) for slide in alone.slides]
    extra = [
        "Yhteenvedon rivit kierroksittain (1/2)",
        "Yhteenvedon rivit kierroksittain (2/2)",
        "Vertailu edelliseen kierrokseen",
    ]
    assert not set(extra) & set(titles)
    assert [title for title in (title_of(slide) for slide in compared.slides) if title not in extra] == titles
    assert len(compared.slides) == len(alone.slides) + len(extra)
    header, *rows = rows_of(summary_slide(alone, "fi"))
    assert header == ["Tavoite tai teema", "Kuntien vastausten keskiarvo"]
    assert all(len(row) == 2 for row in rows)
    (chart,) = charts(alone, XL_CHART_TYPE.BAR_CLUSTERED)
    assert len(chart.plots[0].series) == 1 and not chart.has_legend
    assert charts(alone, XL_CHART_TYPE.LINE_MARKERS) == []
    notes = summary_slide(alone, "fi").notes_slide.notes_text_frame.text
    assert "2022" not in notes


def test_the_first_round_of_the_chain_has_no_comparison_and_the_second_no_trend(demo_round):
    first = render(report_build(Round.objects.get(code="kuntakysely-2020"), language="fi"))
    second = render(report_build(Round.objects.get(code="kuntakysely-2022"), language="fi"))

    assert "Vertailu edelliseen kierrokseen" not in [title_of(slide) for slide in first.slides]
    assert len(rows_of(summary_slide(first, "fi"))[0]) == 2
    assert "Vertailu edelliseen kierrokseen" in [title_of(slide) for slide in second.slides]
    assert rows_of(summary_slide(second, "fi"))[0] == ["Tavoite tai teema", "Arvo 2022", "Arvo 2020", "Muutos"]
    assert charts(second, XL_CHART_TYPE.LINE_MARKERS) == []


@pytest.mark.skipif(not REGULAR.is_file(), reason="Carlito is not installed (fonts-crosextra-carlito, in TEST_DEBS)")
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_wider_table_fits_one_slide_with_every_footnote(demo_round, language, settings):
    settings.ARVIO_MIN_N = 7  # values and changes flagged for few answers too: the most footnotes
    report = report_build(demo_round, language=language)
    deck = render(report)

    slide = summary_slide(deck, language)
    assert len(rows_of(slide)) == len(report.summary) + 1
    assert "\n".join(overflows(deck)) == ""
    assert any(without_n(cell).endswith("*") for row in rows_of(slide) for cell in row)
