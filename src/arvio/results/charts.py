"""The summary rows as a bar chart, drawn on the server as SVG.

A pure function of the report's rows: the same markup whatever page or file
carries it, and no JavaScript. The bars run on the scale's own range (1–5):
a mean can never lie below the lowest value, so the axis starts there.
"""

import textwrap
from fractions import Fraction
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from arvio.results.report import Report, ReportNode

WIDTH = 800
LABEL_WIDTH = 290  # the row labels, right-aligned against the plot
VALUE_WIDTH = 110  # room after the longest bar for its value and a low-n note
ROW_HEIGHT = 44
BAR_HEIGHT = 24
TOP = 8
AXIS_HEIGHT = 28
LABEL_CHARACTERS = 36  # wrap longer labels onto a second line
FONT_SIZE = 14
BAR = "#005a8c"
GRID = "#767676"
TEXT = "#1a1a1a"

PLOT_LEFT = LABEL_WIDTH + 10
PLOT_WIDTH = WIDTH - PLOT_LEFT - VALUE_WIDTH


def _svg_open(
    *,
    height: int,
    title: str,
    description: str,
    id_prefix: str,
    css_class: str = "chart",
    width: int = WIDTH,
    font_size: int = FONT_SIZE,
) -> list[str]:
    """The opening of every chart: an image named by its title and described by its description, both escaped.
    The summary chart's class, width and font size unless a chart has its own."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{id_prefix}-title" aria-describedby="{id_prefix}-desc" '
        f'font-size="{font_size}" fill="{TEXT}">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>',
    ]


def bar_width(mean: Fraction, low: int, high: int) -> float:
    """The bar's length in the SVG's units: from the scale's lowest value to the mean."""
    return float((mean - low) / (high - low) * PLOT_WIDTH)


def summary_chart_title(low: int, high: int) -> str:
    """The chart's accessible name, the same on the results page and in the HTML report."""
    return gettext("The summary rows' means on the scale from %(low)s to %(high)s") % {"low": low, "high": high}


def summary_chart(
    rows: tuple[ReportNode, ...],
    *,
    low: int,
    high: int,
    title: str,
    description: str,
    low_n_note: str,
    id_prefix: str = "summary-chart",
) -> str:
    """SVG markup of one horizontal bar per row, with gridlines at every scale value.

    `low_n_note` is shown after the value of a row resting on too few answers, e.g. "(n = 2)",
    with "%(n)s" replaced by the row's n: the flag is text, never colour alone.
    """
    height = TOP + len(rows) * ROW_HEIGHT + AXIS_HEIGHT
    plot_bottom = TOP + len(rows) * ROW_HEIGHT
    parts = _svg_open(height=height, title=title, description=description, id_prefix=id_prefix)
    for value in range(low, high + 1):
        x = PLOT_LEFT + (value - low) / (high - low) * PLOT_WIDTH
        # The axis solid, the other gridlines dashed: they guide the eye without reading as bars' ends.
        dashes = "" if value == low else ' stroke-dasharray="3 3"'
        parts.append(
            f'<line class="chart__grid" x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{plot_bottom}" '
            f'stroke="{GRID}" stroke-width="1"{dashes}/>'
        )
        parts.append(
            f'<text class="chart__tick" x="{x:.1f}" y="{plot_bottom + AXIS_HEIGHT - 8}" '
            f'text-anchor="middle">{value}</text>'
        )
    for index, row in enumerate(rows):
        parts.append(_row(row, TOP + index * ROW_HEIGHT, low, high, low_n_note))
    parts.append("</svg>")
    return "".join(parts)


def _row(row: ReportNode, top: int, low: int, high: int, low_n_note: str) -> str:
    middle = top + ROW_HEIGHT / 2
    label = row.label or row.text
    lines = textwrap.wrap(label[:1].upper() + label[1:], LABEL_CHARACTERS, max_lines=2, placeholder=" …")
    first_line = middle - (len(lines) - 1) * FONT_SIZE * 0.6
    tspans = "".join(
        f'<tspan x="{LABEL_WIDTH}" y="{first_line + i * FONT_SIZE * 1.2:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    parts = [
        f'<g class="chart__row" data-code={quoteattr(row.code)}>',
        f'<text class="chart__label" text-anchor="end" dominant-baseline="middle">{tspans}</text>',
    ]
    value = row.value
    end = PLOT_LEFT
    if value.mean is not None:
        width = bar_width(value.mean, low, high)
        end = PLOT_LEFT + width
        style = (
            f'fill="#ffffff" stroke="{BAR}" stroke-width="2" stroke-dasharray="4 2"' if value.low_n else f'fill="{BAR}"'
        )
        parts.append(
            f'<rect class="chart__bar" x="{PLOT_LEFT}" y="{middle - BAR_HEIGHT / 2:.1f}" '
            f'width="{width:.2f}" height="{BAR_HEIGHT}" {style}/>'
        )
    shown = value.display
    if value.n == 0:
        shown += " " + gettext("no answers")
    elif value.low_n:
        shown += " " + low_n_note % {"n": value.n}
    parts.append(
        f'<text class="chart__value" x="{end + 6:.1f}" y="{middle:.1f}" dominant-baseline="middle" '
        f'font-weight="bold">{escape(shown)}</text>'
    )
    parts.append("</g>")
    return "".join(parts)


TIMELINE_HEIGHT = 160
TIMELINE_TOP = 16
TIMELINE_LEFT = 40
TIMELINE_AXIS = 32


def timeline_chart(series: list[tuple[str, int]], *, title: str, description: str, id_prefix: str) -> str:
    """SVG markup of one vertical bar per day: `series` is (the day as shown, how many) in order. The first and
    the last day are named under the axis, with the highest count beside it; the table twin names every day."""
    days = max(len(series), 1)
    highest = max((count for _day, count in series), default=0)
    plot_width = WIDTH - TIMELINE_LEFT - 10
    step = plot_width / days
    plot_bottom = TIMELINE_TOP + TIMELINE_HEIGHT
    height = plot_bottom + TIMELINE_AXIS
    parts = _svg_open(height=height, title=title, description=description, id_prefix=id_prefix) + [
        f'<line x1="{TIMELINE_LEFT}" y1="{plot_bottom}" x2="{WIDTH - 10}" y2="{plot_bottom}" stroke="{GRID}"/>',
        f'<text x="{TIMELINE_LEFT - 6}" y="{TIMELINE_TOP + 5}" text-anchor="end">{highest}</text>',
        f'<text x="{TIMELINE_LEFT - 6}" y="{plot_bottom}" text-anchor="end">0</text>',
    ]
    for index, (_day, count) in enumerate(series):
        if count and highest:
            bar = count / highest * TIMELINE_HEIGHT
            parts.append(
                f'<rect class="chart__bar" x="{TIMELINE_LEFT + index * step + step * 0.15:.1f}" '
                f'y="{plot_bottom - bar:.1f}" width="{max(step * 0.7, 1):.1f}" height="{bar:.1f}" fill="{BAR}"/>'
            )
    if series:
        parts.append(f'<text x="{TIMELINE_LEFT}" y="{plot_bottom + TIMELINE_AXIS - 10}">{escape(series[0][0])}</text>')
        parts.append(
            f'<text x="{WIDTH - 10}" y="{plot_bottom + TIMELINE_AXIS - 10}" text-anchor="end">'
            f"{escape(series[-1][0])}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


TREND_WIDTH = 320
TREND_HEIGHT = 170
TREND_LEFT = 34
TREND_RIGHT = 24
TREND_TOP = 22
TREND_BOTTOM = 30
TREND_INSET = 24  # the first and last round stand this far inside the plot, so that their values clear the axis


def trend_chart(row: ReportNode, *, low: int, high: int, title: str, description: str, id_prefix: str) -> str:
    """SVG markup of one summary row's value in each round of the trend (`row.trend`, oldest first): a line
    through the rounds that have a value, each point labelled with its value, a gap where a round has none.

    A dashed point marks a value resting on too few answers; the table twin beside the chart says it in words.
    """
    points = row.trend
    plot_width = TREND_WIDTH - TREND_LEFT - TREND_RIGHT
    plot_height = TREND_HEIGHT - TREND_TOP - TREND_BOTTOM
    step = (plot_width - 2 * TREND_INSET) / max(len(points) - 1, 1)

    def y(mean: Fraction) -> float:
        return TREND_TOP + float((high - mean) / (high - low)) * plot_height

    parts = _svg_open(
        css_class="chart chart--trend",
        width=TREND_WIDTH,
        height=TREND_HEIGHT,
        title=title,
        description=description,
        id_prefix=id_prefix,
        font_size=FONT_SIZE - 1,
    )
    for value in range(low, high + 1):
        level = TREND_TOP + (high - value) / (high - low) * plot_height
        dashes = "" if value == low else ' stroke-dasharray="3 3"'
        parts.append(
            f'<line class="chart__grid" x1="{TREND_LEFT}" y1="{level:.1f}" x2="{TREND_WIDTH - TREND_RIGHT}" '
            f'y2="{level:.1f}" stroke="{GRID}" stroke-width="1"{dashes}/>'
        )
        parts.append(
            f'<text class="chart__tick" x="{TREND_LEFT - 8}" y="{level:.1f}" text-anchor="end" '
            f'dominant-baseline="middle">{value}</text>'
        )
    segments: list[list[str]] = [[]]
    for index, point in enumerate(points):
        x = TREND_LEFT + TREND_INSET + index * step
        parts.append(
            f'<text class="chart__tick" x="{x:.1f}" y="{TREND_HEIGHT - 8}" text-anchor="middle">'
            f"{escape(point.label)}</text>"
        )
        if point.value is None or point.value.mean is None:
            segments.append([])
            continue
        segments[-1].append(f"{x:.1f},{y(point.value.mean):.1f}")
    for segment in segments:
        if len(segment) > 1:
            parts.append(
                f'<polyline class="chart__line" points="{" ".join(segment)}" fill="none" stroke="{BAR}" '
                f'stroke-width="3"/>'
            )
    for index, point in enumerate(points):
        if point.value is None or point.value.mean is None:
            continue
        x, level = TREND_LEFT + TREND_INSET + index * step, y(point.value.mean)
        style = (
            f'fill="#ffffff" stroke="{BAR}" stroke-width="2" stroke-dasharray="2 1"'
            if point.value.low_n
            else (f'fill="{BAR}"')
        )
        parts.append(f'<circle class="chart__point" cx="{x:.1f}" cy="{level:.1f}" r="5" {style}/>')
        parts.append(
            f'<text class="chart__value" x="{x:.1f}" y="{level - 10:.1f}" text-anchor="middle" font-weight="bold">'
            f"{escape(point.value.display)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def trend_charts(report: Report) -> list[tuple[ReportNode, SafeString]]:
    """Each summary row with its trend chart, where three or more rounds chain (`report.trend_rounds`): what the
    results page, the published page and the HTML and PDF report draw. Call it with the report's language active."""
    if not report.trend_rounds:
        return []
    low, high = report.scale_range
    charts = []
    for index, row in enumerate(report.summary, start=1):
        label = row.label or row.text
        svg = trend_chart(
            row,
            low=low,
            high=high,
            title=gettext("%(row)s in the rounds %(rounds)s")
            % {"row": label[:1].upper() + label[1:], "rounds": ", ".join(report.trend_rounds)},
            description=gettext(
                "A line through the row's mean in each round; the table after the charts gives the numbers."
            ),
            id_prefix=f"trend-{index}",
        )
        # Every text in it was escaped by trend_chart.
        charts.append((row, mark_safe(svg)))
    return charts


def report_summary_chart(report: Report, *, description: str = "", low_n_note: str = "") -> SafeString:
    """The report's summary chart, "" without summary rows. By default as the results page and the published page
    draw it (the table twin after it, a low-n value with its n in words); the HTML and PDF report name their own
    description and note. Call it with the report's language active."""
    if not report.summary:
        return mark_safe("")
    low, high = report.scale_range
    svg = summary_chart(
        report.summary,
        low=low,
        high=high,
        title=summary_chart_title(low, high),
        description=description
        or gettext("One bar per row of the summary; the table after the chart gives the same numbers."),
        # Translators: shown after a value resting on too few answers; %(n)s is their number.
        low_n_note=low_n_note or gettext("(n = %(n)s)"),
    )
    # Every text in it was escaped by summary_chart.
    return mark_safe(svg)


HISTOGRAM_WIDTH = 320
HISTOGRAM_BAR_HEIGHT = 80  # the tallest bar
HISTOGRAM_TOP = 22  # room above the tallest bar for its count
HISTOGRAM_AXIS = 40  # the scale values and the own answer's mark below the bars
OWN = "#b34700"


def distribution_chart(
    distribution: tuple[tuple[int, int], ...],
    *,
    own: int | None,
    title: str,
    description: str,
    own_label: str,
    id_prefix: str,
) -> str:
    """A small SVG histogram: how many answers each scale value got, the lowest value on the left.

    The bar of `own` (the reader's own answer) is drawn in another colour and `own_label` is written under
    it: the mark is text too, never colour alone. Every text is escaped.
    """
    values = sorted(distribution)
    top = max((count for _value, count in values), default=0) or 1
    slot = HISTOGRAM_WIDTH / max(len(values), 1)
    bar = slot * 0.6
    height = HISTOGRAM_TOP + HISTOGRAM_BAR_HEIGHT + HISTOGRAM_AXIS
    base = HISTOGRAM_TOP + HISTOGRAM_BAR_HEIGHT
    parts = _svg_open(
        css_class="histogram",
        width=HISTOGRAM_WIDTH,
        height=height,
        title=title,
        description=description,
        id_prefix=id_prefix,
        font_size=13,
    ) + [
        f'<line x1="0" y1="{base}" x2="{HISTOGRAM_WIDTH}" y2="{base}" stroke="{GRID}" stroke-width="1"/>',
    ]
    for index, (value, count) in enumerate(values):
        middle = slot * index + slot / 2
        bar_height = count / top * HISTOGRAM_BAR_HEIGHT
        mine = own is not None and value == own
        colour = OWN if mine else BAR
        own_attribute = ' data-own="true"' if mine else ""
        parts.append(f'<g class="histogram__bar" data-value="{value}"{own_attribute}>')
        if count:
            parts.append(
                f'<rect x="{middle - bar / 2:.1f}" y="{base - bar_height:.1f}" width="{bar:.1f}" '
                f'height="{bar_height:.1f}" fill="{colour}"/>'
            )
        parts.append(f'<text x="{middle:.1f}" y="{base - bar_height - 5:.1f}" text-anchor="middle">{count}</text>')
        parts.append(f'<text x="{middle:.1f}" y="{base + 16}" text-anchor="middle">{value}</text>')
        if mine:
            parts.append(
                f'<text x="{middle:.1f}" y="{base + 33}" text-anchor="middle" font-weight="bold" '
                f'fill="{OWN}">▲ {escape(own_label)}</text>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
