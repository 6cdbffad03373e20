from fractions import Fraction
from io import StringIO
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.utils import translation

from arvio.results.charts import PLOT_WIDTH, summary_chart
from arvio.results.report import ReportNode, Value, report_build
from arvio.surveys.models import Round

SVG = "{http://www.w3.org/2000/svg}"


def _row(code: str, label: str, mean: Fraction | None, n: int = 6, low_n: bool = False) -> ReportNode:
    value = Value(
        mean=mean,
        display="–" if mean is None else f"{float(mean):.1f}".replace(".", ","),
        n=n,
        dont_know=0,
        blank=0,
        distribution=(),
        median=None,
        median_display="–",
        low_n=low_n,
    )
    return ReportNode(
        code=code,
        kind="goal",
        text=f"{label} (text)",
        label=label,
        heading="",
        depth=1,
        rated=True,
        rated_goals=1,
        summary_row=True,
        detail_page=False,
        value=value,
        pooled_note="",
    )


def _chart(rows, **kwargs) -> ElementTree.Element:
    svg = summary_chart(
        tuple(rows),
        low=1,
        high=5,
        title="Summary rows",
        description="One bar per row.",
        low_n_note="(n = %(n)s)",
        **kwargs,
    )
    return ElementTree.fromstring(svg)


def _bars(svg: ElementTree.Element) -> list[ElementTree.Element]:
    return svg.findall(f".//{SVG}rect[@class='chart__bar']")


def _values(svg: ElementTree.Element) -> list[str]:
    return [text.text for text in svg.iter(f"{SVG}text") if text.get("class") == "chart__value"]


ROWS = [
    _row("osallisuus", "osallisuus", Fraction(13, 6)),
    _row("pelastus", "pelastustoimi", Fraction(61, 18)),
    _row("sijaishuolto", "sijaishuolto", Fraction(3, 2)),
]


def test_it_draws_one_bar_per_row():
    svg = _chart(ROWS)
    assert len(_bars(svg)) == 3
    assert _values(svg) == ["2,2", "3,4", "1,5"]


def test_it_draws_bars_proportional_to_the_values_above_the_scales_lowest():
    widths = [float(bar.get("width")) for bar in _bars(_chart(ROWS))]
    ratios = [width / float(row.value.mean - 1) for width, row in zip(widths, ROWS, strict=True)]
    assert ratios == pytest.approx([PLOT_WIDTH / 4] * 3, abs=0.01)


def test_it_draws_a_full_bar_for_the_scales_highest_value_and_none_for_its_lowest():
    svg = _chart([_row("a", "a", Fraction(5)), _row("b", "b", Fraction(1))])
    widths = [float(bar.get("width")) for bar in _bars(svg)]
    assert widths == [pytest.approx(PLOT_WIDTH), 0]


def test_it_has_an_accessible_name_and_description():
    svg = _chart(ROWS, id_prefix="chart-x")
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "chart-x-title"
    assert svg.get("aria-describedby") == "chart-x-desc"
    title = svg.find(f"{SVG}title")
    assert (title.get("id"), title.text) == ("chart-x-title", "Summary rows")
    desc = svg.find(f"{SVG}desc")
    assert (desc.get("id"), desc.text) == ("chart-x-desc", "One bar per row.")


def test_it_draws_a_gridline_and_a_tick_at_every_scale_value():
    svg = _chart(ROWS)
    ticks = [text.text for text in svg.iter(f"{SVG}text") if text.get("class") == "chart__tick"]
    assert ticks == ["1", "2", "3", "4", "5"]
    assert len(svg.findall(f".//{SVG}line[@class='chart__grid']")) == 5


def test_it_flags_a_value_resting_on_too_few_answers_in_text():
    svg = _chart([_row("pieni", "pieni", Fraction(2), n=2, low_n=True), *ROWS])
    assert _values(svg)[0] == "2,0 (n = 2)"
    assert _bars(svg)[0].get("stroke-dasharray")
    assert all(bar.get("stroke-dasharray") is None for bar in _bars(svg)[1:])


def test_it_draws_no_bar_for_a_row_without_answers():
    with translation.override("fi"):
        svg = _chart([_row("tyhja", "tyhjä", None, n=0, low_n=True), ROWS[0]])
    assert len(_bars(svg)) == 1
    assert _values(svg)[0] == "– ei vastauksia"  # not "– (n = 0)": a value with no answers is no small n


def test_it_escapes_the_labels():
    svg = _chart([_row("x", "<b>kunnat & järjestöt</b>", Fraction(3))])
    label = "".join(svg.find(f".//{SVG}text[@class='chart__label']").itertext())
    assert label == "<b>kunnat & järjestöt</b>"


def test_it_wraps_a_long_label_onto_two_lines():
    svg = _chart([_row("x", "lasten, nuorten ja perheiden palvelut sekä muut", Fraction(3))])
    lines = [span.text for span in svg.find(f".//{SVG}text[@class='chart__label']")]
    assert lines == ["Lasten, nuorten ja perheiden", "palvelut sekä muut"]


@pytest.mark.django_db
def test_it_draws_the_demos_summary_rows():
    call_command("demo", "--no-publish", stdout=StringIO())
    report = report_build(Round.objects.get(code="kuntakysely-2024"), language="fi")
    svg = _chart(report.summary)
    assert len(_bars(svg)) == len(report.summary) == 11
    assert _values(svg) == [row.value.display for row in report.summary]
    assert [group.get("data-code") for group in svg.findall(f"{SVG}g")] == [row.code for row in report.summary]
