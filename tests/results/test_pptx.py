"""The council deck (PPTX): opened back with python-pptx, it has every number of the 2024 deck next to its goal.

The expected values are the seed's (tests/data/kuntakysely-2024-report.txt), page by page; goal texts come
from the report, so that the same table checks the Finnish and the Swedish deck. Interface words are compared
with the Report's own strings or gettext, since the catalogues are translated separately.
"""

import io
import re
import shutil
import subprocess
from dataclasses import replace

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Inches

from arvio.responses.models import Response
from arvio.results.formats.pptx_format import exporter
from arvio.results.models import Excerpt
from arvio.results.report import report_build
from arvio.surveys.models import Node, Round
from tests.seed import DECK as SEED

pytestmark = pytest.mark.django_db

# The seed's summary page, row by row: the start of the goal's or theme's Finnish text, and its value.
SUMMARY = [
    ("Rakennetaan kuntien kanssa vaikuttavat", "2,2"),
    ("Teemme saumatonta yhteistyötä", "2,7"),
    ("Kuntien ja muiden keskeisten toimijoiden", "2,7"),
    ("Hyvinvointialueen asukkaat, henkilöstö", "2,2"),
    ("Vahvistamme perustason palveluihin", "2,3"),
    ("Turvaamme väestöllemme", "2,8"),
    ("Aikuisten sosiaalipalvelut", "2,3"),
    ("Ikääntyneiden palvelut", "2,7"),
    ("Lasten, nuorten ja perheiden palvelut", "2,1"),
    ("Vammaispalvelut", "2,1"),
    ("Pelastustoimen palvelutasopäätös", "3,4"),
]
# The seed's detail pages: each page's rows, the main goal first where the page has one.
DETAILS = [
    [("Rakennetaan kuntien kanssa vaikuttavat", "2,2"), ("Teemme saumatonta yhteistyötä", "2,7")],
    [
        ("Kuntien ja muiden keskeisten toimijoiden", "2,7"),
        ("Luomme selkeän yhdyspintarakenteen", "2,3"),
        ("Kehitämme yhteistä tietopohjaa", "2,8"),
        ("Käymme avointa vuoropuhelua", "2,5"),
        ("Hyvinvointialueen hyvinvointikertomus", "3,2"),
    ],
    [("Hyvinvointialueen asukkaat, henkilöstö", "2,2"), ("Hyvinvointialueella asuvat", "2,2")],
    [("Vahvistamme perustason palveluihin", "2,3"), ("Sovimme kuntien ja järjestöjen", "2,3")],
    [("Turvaamme väestöllemme", "2,8"), ("Valmiussuunnittelu perustuu", "2,8")],
    [("Palvelujen järjestämisessä", "2,2"), ("Maahanmuuttajien kotoutumista", "2,3")],
    [("Ikäihmisten toimintakykyä", "2,7")],
    [
        ("Perheiden arjen sujuvuutta", "2,7"),
        ("Yhteistyötä sijaishuollon", "1,5"),
        ("Hyvinvointialue tekee tiivistä", "2,2"),
    ],
    [("Hyvinvointialueen kuntien kanssa tehdään", "2,3"), ("Vammaispalvelujen asiantuntemusta", "1,8")],
    [
        ("Länsi-Uudenmaan pelastuslaitoksen palvelut", "3,3"),
        ("Länsi-Uudenmaan pelastuslaitos on toiminut", "3,8"),
        ("Olemme ottaneet kaksikielisyyden", "3,8"),
        ("Yhteistyö kunnan ja pelastuslaitoksen", "3,7"),
        ("Yhteistyö kuntalaisten turvallisuuden", "3,2"),
        ("Paloriskikohteiden moniviranomaisyhteistyön", "3,0"),
        ("Länsi-Uudenmaan pelastuslaitoksen tuki rakentamisen", "3,2"),
        ("Yhteistyö ympäristövahinkojen", "3,3"),
        ("Länsi-Uudenmaan pelastuslaitoksen tuki kunnan omalle", "3,3"),
    ],
]
NOT_ANSWERED = ["Espoo", "Siuntio", "Vihti", "Inkoo"]
EXCERPT_MUNICIPALITIES = ["Lohja", "Karkkila", "Kauniainen"]


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def seed_quotes() -> list[tuple[str, str]]:
    """The quoted open answers of the seed's last page, with their municipalities, paragraphs kept."""
    tail = SEED[SEED.index("Poimintoja kuntien avoimista vastauksista") :]
    return [
        ("\n\n".join(normalised(paragraph) for paragraph in re.split(r"\n\s*\n", quote)), municipality)
        for quote, municipality in re.findall(r"[”“]([^”“]+)[”“]\s+(Lohja|Karkkila|Kauniainen)\b", tail)
    ]


@pytest.fixture
def past_round() -> Round:
    call_command("demo", "--no-publish", stdout=io.StringIO())
    round = Round.objects.get(code="kuntakysely-2024")
    if not round.excerpts.exists():  # until the demo carries the seed's excerpts itself
        for order, (text, municipality) in enumerate(seed_quotes()):
            response = Response.objects.get(invitation__round=round, invitation__municipality__name_fi=municipality)
            Excerpt.objects.create(round=round, response=response, text=text, order=order)
    return round


def render(report) -> Presentation:
    filename, content_type, content = exporter.render(report)
    assert filename == f"kuntakysely-2024-{report.language}.pptx"
    assert content_type == "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    return Presentation(io.BytesIO(content))


def tables(slide):
    return [shape for shape in slide.shapes if shape.has_table]


def without_n(text: str) -> str:
    """A value cell without the n beside its value ("2,2 (n = 6)" → "2,2"): tests/results/test_report_as_read.py
    checks the n, these the values the seed printed."""
    return re.sub(r" \(n = \d+\)$", "", text)


def rows_of(slide) -> list[list[str]]:
    return [
        [without_n(normalised(cell.text)) for cell in row.cells] for shape in tables(slide) for row in shape.table.rows
    ]


def title_of(slide) -> str:
    return normalised(slide.shapes.title.text) if slide.shapes.title is not None else ""


def texts_of(slide) -> list[str]:
    return [normalised(shape.text_frame.text) for shape in slide.shapes if shape.has_text_frame]


def paragraphs_of(slide) -> list[str]:
    return [
        normalised(paragraph.text)
        for shape in slide.shapes
        if shape.has_text_frame
        for paragraph in shape.text_frame.paragraphs
    ]


def translated(language: str, message: str) -> str:
    with translation.override(language):
        return _(message)


def node_starting_with(report, prefix: str):
    """The report's node whose Finnish text starts with `prefix` (looked up in Finnish, whatever the report's
    language, so that one table serves both decks)."""
    codes = [node.code for node in Node.objects.filter(round__code=report.round_code, text_fi__startswith=prefix)]
    assert len(codes) == 1, prefix
    return next(node for node in report.nodes if node.code == codes[0])


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_it_puts_every_value_of_the_seeds_summary_next_to_its_goal_in_order(past_round, language):
    report = report_build(past_round, language=language)
    deck = render(report)

    title = translated(language, "Summary of the municipalities' answers")
    table_slides = [slide for slide in deck.slides if title_of(slide).startswith(title) and tables(slide)]
    assert len(table_slides) == 1
    # The demo's round is compared with 2022: the seed's value is this round's column, before the baseline's
    # and the change's (tests/results/test_pptx_comparison.py checks those).
    assert report.baseline is not None
    rows = [row[:2] for row in rows_of(table_slides[0])[1:]]
    expected = []
    for prefix, value in SUMMARY:
        node = node_starting_with(report, prefix)
        expected.append([normalised(f"{node.text} {node.pooled_note}"), value])
    assert node_starting_with(report, "Kuntien ja muiden").pooled_note in rows[2][0]
    assert rows == expected


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_it_gives_each_detail_section_a_slide_with_the_seeds_values_next_to_their_goals(past_round, language):
    report = report_build(past_round, language=language)
    deck = render(report)
    assert len(report.sections) == len(DETAILS)
    scale = "; ".join(f"{value} = {label}" for value, label in report.scale)
    scale_line = translated(language, "Rating scale. %(scale)s") % {"scale": scale}
    if language == "fi":
        assert scale_line.endswith("5 = Erinomaisesti; 4 = Hyvin; 3 = Kohtalaisesti; 2 = Heikosti; 1 = Ei lainkaan")

    for section, page in zip(report.sections, DETAILS):
        title = normalised(f"{section.heading} {section.part}")
        slides = [slide for slide in deck.slides if title_of(slide) == title]
        assert len(slides) == 1, title
        texts = paragraphs_of(slides[0])
        assert normalised(report.instructions) in texts
        assert scale_line in texts
        value_rows = [row for row in rows_of(slides[0]) if row[1] and re.fullmatch(r"\d,\d", row[1])]
        assert value_rows == [[normalised(node_starting_with(report, prefix).text), value] for prefix, value in page]


def test_it_heads_a_main_goals_section_with_the_main_goal_and_its_sub_goals(past_round):
    report = report_build(past_round, language="fi")
    section = report.sections[1]
    deck = render(report)

    slide = next(slide for slide in deck.slides if title_of(slide) == normalised(f"{section.heading} {section.part}"))
    rows = rows_of(slide)

    with translation.override("fi"):
        assert rows[0] == [_("Main goal"), normalised(_("Mean of the municipalities' answers (1–5)"))]
        assert rows[1] == [normalised(section.main.text), section.main.value.display]
        assert rows[2][0] == _("Sub-goals")
    assert [row[0] for row in rows[3:]] == [normalised(node.text) for node in section.rows]


def test_it_writes_the_swedish_deck_in_swedish_with_the_same_numbers(past_round):
    finnish = render(report_build(past_round, language="fi"))
    swedish = render(report_build(past_round, language="sv"))

    def cells(deck):
        return [cell for slide in deck.slides for row in rows_of(slide) for cell in row]

    swedish_cells = cells(swedish)
    for node in Node.objects.filter(round=past_round, kind__in=["goal", "subgoal"]):
        assert node.text_sv and node.text_sv != node.text_fi
        assert normalised(node.text_sv) in swedish_cells, node.code
        assert normalised(node.text_fi) not in swedish_cells, node.code
    numbers = [cell for cell in cells(finnish) if re.fullmatch(r"\d,\d", cell)]
    assert numbers == [cell for cell in swedish_cells if re.fullmatch(r"\d,\d", cell)]
    # The summary's values twice, this round's and the baseline's (2022), and the detail pages' values.
    assert len(numbers) == 2 * len(SUMMARY) + sum(len(page) for page in DETAILS)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_it_shows_the_response_status_in_the_invitation_order(past_round, language):
    report = report_build(past_round, language=language)
    deck = render(report)
    slide = deck.slides[1]

    rows = rows_of(slide)
    assert rows[1:] == [[respondent.name, respondent.answered_label] for respondent in report.respondents]
    not_answered = [respondent for respondent in report.respondents if not respondent.answered]
    assert [respondent.code for respondent in not_answered] == ["049", "755", "927", "149"]
    if language == "fi":
        assert [respondent.name for respondent in not_answered] == NOT_ANSWERED
    texts = " ".join(texts_of(slide))
    assert "6/10" in texts
    with translation.override(language):
        assert (
            _("%(responded)s/%(invited)s of the area's municipalities answered the survey")
            % {
                "responded": 6,
                "invited": 10,
            }
            in texts
        )
    assert normalised(report.purpose) in texts
    assert report.target_group in texts and report.window in texts


def test_it_opens_with_the_title_the_county_and_the_window_and_names_the_county_on_every_slide(past_round):
    report = report_build(past_round, language="fi")
    deck = render(report)

    first = deck.slides[0]
    # The report's own title ("Hyvinvointialueen ja kuntien välisen yhteistyön arviointi"), not the survey's.
    assert (
        title_of(first) == normalised(report.cover_title) == "Hyvinvointialueen ja kuntien välisen yhteistyön arviointi"
    )
    assert report.organizer in texts_of(first)
    assert any(report.window in text for text in texts_of(first))
    for slide in deck.slides:
        assert report.organizer in texts_of(slide)
    for slide in list(deck.slides)[1:]:
        assert "KUNTAKYSELY: HYVINVOINTIALUEEN JA KUNTIEN VÄLISTEN STRATEGISTEN" in " ".join(texts_of(slide))


def test_it_shows_the_scale_and_says_that_cant_say_is_not_averaged(past_round):
    report = report_build(past_round, language="fi")
    deck = render(report)

    slide = deck.slides[2]
    texts = texts_of(slide)
    for line in ["5 = Erinomaisesti", "4 = Hyvin", "3 = Kohtalaisesti", "2 = Heikosti", "1 = Ei lainkaan"]:
        assert line in " ".join(texts)
    assert any(report.dont_know_label in text for text in texts)


def test_it_quotes_the_excerpts_with_their_municipalities_under_them(past_round):
    report = report_build(past_round, language="fi")
    deck = render(report)

    assert [excerpt.municipality for excerpt in report.excerpts] == EXCERPT_MUNICIPALITIES
    boxes = [text for slide in list(deck.slides)[-1:] for text in texts_of(slide)]
    for excerpt in report.excerpts:
        assert f"”{normalised(excerpt.text)}” {excerpt.municipality}" in boxes
    assert "- -" in normalised(report.excerpts[-1].text)


def test_it_flows_long_excerpts_over_more_slides_without_going_below_12_points(past_round):
    report = report_build(past_round, language="fi")
    long = replace(report, excerpts=report.excerpts * 4)
    deck = render(long)

    title = translated("fi", "Excerpts from the municipalities' open answers")
    slides = [slide for slide in deck.slides if title_of(slide).startswith(title)]
    assert len(slides) > 1
    assert title_of(slides[0]) == f"{title} (1/{len(slides)})"
    boxes = excerpt_boxes(deck, long)
    assert [normalised(box.text) for box in boxes] == [
        f"”{normalised(excerpt.text)}” {excerpt.municipality}" for excerpt in long.excerpts
    ]
    for box in boxes:
        assert min(run.font.size.pt for paragraph in box.paragraphs for run in paragraph.runs) >= 12


def excerpt_boxes(deck, report) -> list:
    """The text boxes of the excerpt slides, without the title, the header line and the footer."""
    title = translated(report.language, "Excerpts from the municipalities' open answers")
    return [
        shape.text_frame
        for slide in deck.slides
        if title_of(slide).startswith(title)
        for shape in slide.shapes
        if shape.has_text_frame
        and not shape.is_placeholder
        and shape.text_frame.text not in {report.title.upper(), report.organizer}
        and not shape.text_frame.text.isdigit()
    ]


def test_it_splits_an_excerpt_longer_than_a_column_between_words(past_round):
    report = report_build(past_round, language="fi")
    excerpt = replace(report.excerpts[0], text=" ".join([report.excerpts[0].text] * 12))
    deck = render(replace(report, excerpts=(excerpt,)))

    boxes = excerpt_boxes(deck, report)
    assert len(boxes) > 1
    paragraphs = [paragraph.text for box in boxes for paragraph in box.paragraphs]
    assert paragraphs[-1] == excerpt.municipality and paragraphs.count(excerpt.municipality) == 1
    assert " ".join(paragraphs[:-1]).split() == f"”{excerpt.text}”".split()
    for box in boxes:
        assert min(run.font.size.pt for paragraph in box.paragraphs for run in paragraph.runs) >= 12


def test_it_draws_a_native_bar_chart_of_the_summary_rows(past_round):
    report = report_build(past_round, language="fi")
    deck = render(report)

    charts = [shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    bar_charts = [chart for chart in charts if chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED]
    assert len(bar_charts) == 1  # the others are the trend's line charts (tests/results/test_pptx_comparison.py)
    chart = bar_charts[0]
    plot = chart.plots[0]
    assert len(plot.categories) == 11
    assert list(plot.categories) == [(node.label[:1].upper() + node.label[1:]) for node in report.summary]
    values = plot.series[0].values
    assert values == pytest.approx([float(node.value.mean) for node in report.summary])
    labels = [normalised(point.data_label.text_frame.text) for point in plot.series[0].points]
    assert labels == [f"{v} (n = {node.value.n})" for (_p, v), node in zip(SUMMARY, report.summary)]
    assert chart.value_axis.minimum_scale == 1 and chart.value_axis.maximum_scale == 5


def test_it_keeps_every_table_and_text_box_within_its_slide(past_round):
    for language in ("fi", "sv"):
        deck = render(report_build(past_round, language=language))

        assert deck.slide_width * 9 == deck.slide_height * 16
        assert abs(deck.slide_width - Inches(13.333)) < Inches(0.01)
        for number, slide in enumerate(deck.slides, start=1):
            for shape in slide.shapes:
                height = sum(row.height for row in shape.table.rows) if shape.has_table else shape.height
                assert shape.left >= 0 and shape.left + shape.width <= deck.slide_width, (number, shape.name)
                assert shape.top >= 0 and shape.top + height <= deck.slide_height, (number, shape.name)


def test_it_splits_a_table_too_long_for_one_slide_and_repeats_its_header(past_round):
    report = report_build(past_round, language="fi")
    rescue = report.sections[-1]
    long = replace(report, summary=report.summary * 3, sections=(replace(rescue, rows=rescue.rows * 5),))
    deck = render(long)

    goal_or_theme = translated("fi", "Goal or theme")
    summary_slides = [slide for slide in deck.slides if tables(slide) and rows_of(slide)[0][0] == goal_or_theme]
    assert len(summary_slides) > 1
    assert sum(len(rows_of(slide)) - 1 for slide in summary_slides) == 33
    section_slides = [slide for slide in deck.slides if title_of(slide).startswith(normalised(rescue.heading))]
    assert len(section_slides) > 1
    assert title_of(section_slides[0]).endswith(f"(1/{len(section_slides)})")
    assert sum(len(rows_of(slide)) - 1 for slide in section_slides) == 45
    for slide in summary_slides + section_slides:
        table = tables(slide)[0]
        assert table.top + sum(row.height for row in table.table.rows) <= deck.slide_height


def test_it_marks_values_resting_on_fewer_answers_than_the_minimum(past_round, settings):
    settings.ARVIO_MIN_N = 7
    report = report_build(past_round, language="fi")
    deck = render(report)

    summary = next(slide for slide in deck.slides if tables(slide) and len(rows_of(slide)) == 12)
    rows = rows_of(summary)
    assert rows[1][1] == "2,2*"  # six answers
    assert rows[3][1] == "2,7"  # four sub-goals, 24 answers
    with translation.override("fi"):
        assert _("* fewer than %(min_n)s answers") % {"min_n": 7} in " ".join(texts_of(summary))


def test_it_puts_each_slides_numbers_in_its_speaker_notes(past_round):
    report = report_build(past_round, language="fi")
    deck = render(report)

    summary = next(slide for slide in deck.slides if tables(slide) and len(rows_of(slide)) == 12)
    notes = summary.notes_slide.notes_text_frame.text.split("\n")
    # A line per row, then the comparison's footnotes (tests/results/test_pptx_comparison.py).
    assert len(notes) == 11 + 2
    for line, node in zip(notes, report.summary):
        assert line.startswith(node.text)
        assert node.value.display in line and re.search(rf"\b{node.value.n}\b", line.removeprefix(node.text))
        assert ", ".join(f"{value}: {count}" for value, count in node.value.distribution) in line


def test_it_shows_the_logo_when_one_is_configured(past_round, settings, tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGB", (200, 80), "navy").save(logo)
    settings.ARVIO_LOGO_PATH = str(logo)

    deck = render(report_build(past_round, language="fi"))

    assert [shape for shape in deck.slides[0].shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]


def test_it_renders_without_the_logo_when_the_file_is_missing(past_round, settings, tmp_path):
    settings.ARVIO_LOGO_PATH = str(tmp_path / "missing.png")

    deck = render(report_build(past_round, language="fi"))

    assert not [shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) or poppler-utils (pdftotext) is not installed",
)
def test_it_converts_to_pdf_in_libreoffice_with_nothing_lost(past_round, tmp_path):
    report = report_build(past_round, language="fi")
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(exporter.render(report)[2])

    # A profile of its own, so that a LibreOffice already open elsewhere does not take the conversion over.
    profile = f"-env:UserInstallation=file://{tmp_path}/profile"
    command = ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "deck.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout

    # pdftotext joins a line ending in a dash to the next one ("tuki -" / "yhteistyön"): compare without dashes.
    def loose(text):
        return re.sub(r"[\s-]+", " ", text).strip()

    assert text.count("\f") == len(Presentation(io.BytesIO(deck.read_bytes())).slides)
    assert loose(report.sections[-1].rows[-1].text) in loose(text)
    assert loose(report.excerpts[-1].text) + "” " + report.excerpts[-1].municipality in loose(text)
