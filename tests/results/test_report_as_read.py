"""The report as councils read it (issue 9, part G): each point checked in the files opened back, fi and sv.

The demo's 2024 round (`demo_round`); the HTML read back as text (tags dropped, or the section's own
markup), the PPTX opened with python-pptx, the JSON as the exporter's data.
"""

import io
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from pptx import Presentation

from arvio.responses.models import Answer
from arvio.results.formats.html_format import report_html
from arvio.results.formats.json_format import report_data
from arvio.results.formats.pptx_format import exporter as pptx
from arvio.results.models import Excerpt
from arvio.results.report import report_build
from arvio.surveys.models import Node
from arvio.surveys.survey_export import survey_export

pytestmark = pytest.mark.django_db

REPORT_TITLE = {
    "fi": "Hyvinvointialueen ja kuntien välisen yhteistyön arviointi",
    "sv": "Utvärdering av samarbetet mellan välfärdsområdet och kommunerna",
}


def deck(report) -> Presentation:
    return Presentation(io.BytesIO(pptx.render(report)[2]))


def cells(presentation) -> list[list[str]]:
    return [
        [" ".join(cell.text.split()) for cell in row.cells]
        for slide in presentation.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
    ]


def slide_texts(presentation) -> list[str]:
    return [
        " ".join(shape.text_frame.text.split())
        for slide in presentation.slides
        for shape in slide.shapes
        if shape.has_text_frame
    ]


def flat(html: str) -> str:
    """The HTML's text, tags dropped and white space (no-break spaces too) made single spaces."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ").replace("\u00a0", " ").split())


def section_html(html: str, code: str) -> str:
    start = html.index(f'aria-labelledby="section-{code}"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize(
    ("language", "goals", "subgoals"), [("fi", "tavoitetta", "alatavoitetta"), ("sv", "mål", "delmål")]
)
def test_it_says_goals_when_the_pooled_items_are_goals_and_sub_goals_when_they_are(
    demo_round, language, goals, subgoals
):
    report = report_build(demo_round, language=language)
    nodes = {node.code: node for node in report.nodes}

    document = nodes["hyvinvointialuestrategia"]  # pools two goals rated themselves
    assert [child.kind for child in document.children] == [Node.Kind.GOAL, Node.Kind.GOAL]
    assert document.pooled_note == f"(2 {goals})"
    main = next(node for node in report.nodes if node.kind == Node.Kind.GOAL and node.children)
    assert main.pooled_note == f"({len(main.children)} {subgoals})"
    assert nodes["palvelustrategia"].pooled_note.endswith(f" {goals})")  # goals and sub-goals mixed


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_a_themes_detail_page_lists_its_main_goals_sub_goals_with_their_values(demo_round, language):
    Node.objects.filter(round=demo_round, code="yhteiset-tavoitteet").update(detail_page=True)
    report = report_build(demo_round, language=language)
    section = next(section for section in report.sections if section.node.code == "yhteiset-tavoitteet")
    subgoals = [sub for row in section.rows for sub in row.children]
    assert section.main is None and subgoals

    page = flat(section_html(report_html(report), "yhteiset-tavoitteet"))
    for row in section.rows:
        assert f"{' '.join(row.text.split())}" in page
    for sub in subgoals:
        assert f"– {' '.join(sub.text.split())} {sub.value.display}" in page

    slides = [
        slide
        for slide in deck(report).slides
        if slide.shapes.title is not None and slide.shapes.title.text.startswith(section.heading[:40])
    ]
    rows = [
        [" ".join(cell.text.split()) for cell in row.cells]
        for slide in slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
    ]
    for sub in subgoals:
        assert [f"– {' '.join(sub.text.split())}", f"{sub.value.display} (n = {sub.value.n})"] in rows


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_it_puts_the_n_of_each_value_on_the_slides_and_pages(demo_round, language):
    report = report_build(demo_round, language=language)
    presentation = deck(report)

    # The summary's rows go on with the baseline's value and the change: the first two cells are this round's.
    table = [row[:2] for row in cells(presentation)]
    for node in report.summary:
        assert [
            " ".join(f"{node.text} {node.pooled_note}".split()),
            f"{node.value.display} (n = {node.value.n})",
        ] in table
    labels = [
        point.data_label.text_frame.text.replace("\u00a0", " ")
        for slide in presentation.slides
        for shape in slide.shapes
        if shape.has_chart
        for point in shape.chart.plots[0].series[0].points
    ]
    assert labels[: len(report.summary)] == [f"{node.value.display} (n = {node.value.n})" for node in report.summary]
    page = flat(report_html(report))
    for section in report.sections:
        for row in section.rows:
            assert f"{row.value.display} (n = {row.value.n})" in page


@pytest.mark.parametrize(("language", "words"), [("fi", "ei vastauksia"), ("sv", "inga svar")])
def test_a_value_with_no_answers_reads_a_dash_and_no_answers_without_an_asterisk(demo_round, language, words):
    goal = Node.objects.get(round=demo_round, code="yhteistyomallit")
    Answer.objects.filter(node=goal).delete()
    report = report_build(demo_round, language=language)
    node = next(node for node in report.nodes if node.code == "yhteistyomallit")
    assert node.value.n == 0 and node.value.display == "–"

    assert [" ".join(node.text.split()), f"– {words}"] in cells(deck(report))
    html = report_html(report)
    summary_row = next(line for line in html.splitlines() if "<tr><th" in line and node.text[:40] in line)
    assert f"– {words}" in flat(summary_row)
    assert "low-n-marker" not in summary_row


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_title_page_and_slide_carry_the_reports_title_beside_the_surveys(demo_round, language):
    report = report_build(demo_round, language=language)

    assert report.cover_title == REPORT_TITLE[language]
    assert report.title != report.cover_title
    first = deck(report).slides[0]
    assert first.shapes.title.text == REPORT_TITLE[language]
    html = report_html(report)
    assert f'<h1 id="report-title" class="report-title">{REPORT_TITLE[language]}</h1>' in html
    assert f'<p class="survey-title">{report.title}</p>' in html
    assert report_data(report)["round"]["report_title"] == REPORT_TITLE[language]


def test_the_report_title_is_in_the_survey_file(demo_round):
    assert survey_export(round=demo_round)["round"]["report_title"]["fi"] == REPORT_TITLE["fi"]


def test_an_excerpt_keeps_its_language_and_shows_its_translation_in_the_other_languages_report(demo_round):
    excerpt = Excerpt.objects.filter(round=demo_round).order_by("order").first()
    excerpt.language = "fi"
    excerpt.translation = "Samarbetet har blivit smidigare."
    excerpt.save()

    finnish = report_html(report_build(demo_round, language="fi"))
    swedish_report = report_build(demo_round, language="sv")
    swedish = report_html(swedish_report)

    first_passage = " ".join(excerpt.text.split()[:4])
    for html in (finnish, swedish):
        quote = next(part for part in html.split("<blockquote")[1:] if first_passage in " ".join(part.split()))
        assert quote.startswith(' lang="fi">')
    assert "Samarbetet har blivit smidigare." in swedish
    assert "Samarbetet har blivit smidigare." not in finnish
    with translation.override("sv"):
        assert f"{_('Translation:')} Samarbetet har blivit smidigare." in " ".join(slide_texts(deck(swedish_report)))
    assert report_data(swedish_report)["excerpts"][0] | {"text": ""} == {
        "text": "",
        "municipality": swedish_report.excerpts[0].municipality,
        "goals": list(swedish_report.excerpts[0].goals),
        "language": "fi",
        "translation": "Samarbetet har blivit smidigare.",
    }
