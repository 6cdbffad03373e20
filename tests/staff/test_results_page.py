import re
from html.parser import HTMLParser
from io import StringIO
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from arvio.results import selectors
from arvio.results.formats import exporters
from arvio.results.models import Excerpt, Narrative
from arvio.results.report import report_build
from arvio.surveys.models import Round
from tests.factories import make_round
from tests.invitations.helpers import AFTER_ROUND, submit

URL = "/staff/rounds/kuntakysely-2024/results/"
SMALL_URL = "/staff/rounds/testikierros/results/"

# The seed's summary page: the start of each row's text, its pooled note, and its value.
# The seed's notes, except that a row pooling goals (a theme's, a document's) says goals, not sub-goals.
SEED_SUMMARY = [
    ("Rakennetaan kuntien kanssa vaikuttavat", "", "2,2"),
    ("Teemme saumatonta yhteistyötä", "", "2,7"),
    ("Kuntien ja muiden keskeisten toimijoiden", "(4 sub-goals)", "2,7"),
    ("Hyvinvointialueen asukkaat, henkilöstö", "", "2,2"),
    ("Vahvistamme perustason palveluihin", "", "2,3"),
    ("Turvaamme väestöllemme", "", "2,8"),
    ("Aikuisten sosiaalipalvelut", "(2 goals)", "2,3"),
    ("Ikääntyneiden palvelut", "", "2,7"),
    ("Lasten, nuorten ja perheiden palvelut", "(3 goals)", "2,1"),
    ("Vammaispalvelut", "(2 goals)", "2,1"),
    ("Pelastustoimen palvelutasopäätös", "(9 goals)", "3,4"),
]


class _Tables(HTMLParser):
    """Every table of a page as rows of cell texts, keyed by its caption."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption = None
        self._rows = None
        self._cell = None
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self._rows is not None:
            self.tables.setdefault(self._caption, []).extend(self._rows)
            self._rows = None
        elif tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._in_caption:
            self._caption += data.strip()
        elif self._cell is not None:
            self._cell.append(data)


def tables(content: bytes) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(content.decode())
    return parser.tables


def section(content: bytes, heading_id: str) -> str:
    """The text of the page's <section> whose heading has this id, up to the next <h2>."""
    html = content.decode()
    start = html.index(f'id="{heading_id}"')
    end = html.find("<h2", start)
    return html[start : end if end != -1 else len(html)]


@pytest.fixture
def demo(db):
    call_command("demo", "--no-publish", stdout=StringIO())
    return Round.objects.get(code="kuntakysely-2024")


@pytest.fixture
def finnish(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _submit_all(round, values_by_municipality: dict[str, dict], comments=None):
    for invitation in round.invitations.select_related("municipality"):
        code = invitation.municipality.code
        if code in values_by_municipality:
            submit(invitation, at=AFTER_ROUND, values=values_by_municipality[code], comments=(comments or {}).get(code))


@pytest.fixture
def small_round(db):
    """The test round with two answers: every value rests on fewer than three."""
    round = make_round()
    _submit_all(
        round,
        {
            "235": {"yhteistyo-1": 2, "yhteistyo-2": 3, "osallisuus": 4},
            "710": {"yhteistyo-1": 3, "yhteistyo-2": None, "osallisuus": 2},
        },
        comments={"235": {"kehittaminen": "Yhteiset kokoukset kerran kuussa."}},
    )
    return round


def test_it_sends_anonymous_to_login(client, demo):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith("/staff/login/?next=")


def test_it_forbids_an_outsider(client, outsider, demo):
    client.force_login(outsider)
    assert client.get(URL).status_code == 403


def test_it_says_404_for_an_unknown_round(client, staff, demo):
    client.force_login(staff)
    assert client.get("/staff/rounds/no-such-round/results/").status_code == 404


def test_it_is_linked_from_the_rounds_page(client, viewer, demo):
    client.force_login(viewer)
    assert f'href="{URL}"' in client.get("/staff/rounds/kuntakysely-2024/").content.decode()


def test_it_shows_every_summary_value_of_the_seed_next_to_its_text(client, viewer, demo, english):
    client.force_login(viewer)
    rows = tables(client.get(URL).content)["Summary of the municipalities' answers"]
    header, *rows = rows
    # The demo's round is compared with its 2022 round: the change follows (tests/staff/test_results_comparison.py).
    assert header == [
        "Goal or theme",
        "Mean of the municipalities' answers (1–5)",
        "Answers (n)",
        "Can't say",
        "Change since 2022",
    ]
    assert len(rows) == len(SEED_SUMMARY)
    for row, (text, note, value) in zip(rows, SEED_SUMMARY, strict=True):
        assert row[0].startswith(text)
        assert row[0].endswith(note)
        assert row[1] == value.replace(",", ".")


def test_it_shows_the_values_with_a_decimal_comma_in_finnish(client, viewer, demo, finnish):
    client.force_login(viewer)
    content = client.get(URL).content
    (summary,) = tables(section(content, "summary").encode()).values()
    for row, (text, _note, value) in zip(summary[1:], SEED_SUMMARY, strict=True):
        assert row[0].startswith(text)
        assert row[1] == value
    assert 'lang="fi"' in content.decode()
    assert "6/10" in section(content, "status")
    assert "(60\xa0%)" in section(content, "status")


def test_it_shows_the_response_status(client, viewer, demo, english):
    client.force_login(viewer)
    content = client.get(URL).content
    report = report_build(demo, language="en")
    rows = tables(content)["Who answered"]
    assert rows[0] == ["Municipality", "Did it answer the survey?"]
    assert rows[1:] == [[respondent.name, respondent.answered_label] for respondent in report.respondents]
    assert [row[0] for row in rows[1:] if row[1] != "Yes"] == ["Espoo", "Siuntio", "Vihti", "Inkoo"]
    assert report.rate_percent == "60%"
    assert "6/10 of the area's municipalities answered the survey (60%)" in content.decode()


def test_it_shows_the_overall_level(client, viewer, demo, english):
    client.force_login(viewer)
    text = " ".join(section(client.get(URL).content, "summary").split())
    assert re.search(r"Overall level: <strong><span class=\"value\">2\.7</span></strong> – the mean of all 156", text)


def test_it_draws_the_chart_with_the_same_numbers_as_its_table(client, viewer, demo, finnish):
    client.force_login(viewer)
    content = client.get(URL).content
    svg_markup = re.search(rb"<svg.*?</svg>", content, re.S).group()
    svg = ElementTree.fromstring(svg_markup)
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.get("role") == "img"
    title = svg.find(f"{ns}title")
    assert svg.get("aria-labelledby") == title.get("id")
    assert title.text
    chart_values = [text.text for text in svg.iter(f"{ns}text") if text.get("class") == "chart__value"]
    assert len(svg.findall(f".//{ns}rect[@class='chart__bar']")) == 11

    chart = section(content, "chart")
    assert chart.index("</svg>") < chart.index("<table")  # the table follows the chart
    table = next(rows for rows in tables(chart.encode()).values())
    assert [row[1] for row in table[1:]] == chart_values == [value for _text, _note, value in SEED_SUMMARY]
    assert [row[2] for row in table[1:]] == ["6", "6", "24", "6", "6", "6", "12", "6", "18", "12", "54"]
    assert table[1][0] == "Yhteistyömallit"


def test_it_shows_each_detail_section(client, viewer, demo, finnish):
    client.force_login(viewer)
    details = section(client.get(URL).content, "details")
    report = report_build(demo, language="fi")
    headings = re.findall(r"<h3 id=\"section-\d+\">(.*?)</h3>", details, re.S)
    assert len(headings) == len(report.sections) == 10
    assert headings[1].endswith('<span class="part">1/4</span>')
    assert headings[4].endswith('<span class="part">4/4</span>')
    assert "part" not in headings[0]

    first_part = details[details.index('id="section-2"') : details.index('id="section-3"')]
    main, sub_goals = tables(first_part.encode()).values()
    assert main[1][0].startswith("Kuntien ja muiden keskeisten toimijoiden")
    assert main[1][1] == "2,7"
    assert [(row[0][:20], row[1]) for row in sub_goals[1:]] == [
        ("Luomme selkeän yhdys", "2,3"),
        ("Kehitämme yhteistä t", "2,8"),
        ("Käymme avointa vuoro", "2,5"),
        ("Hyvinvointialueen hy", "3,2"),
    ]

    rescue = details[details.index('id="section-10"') :]
    (goals,) = tables(rescue.encode()).values()
    assert [row[1] for row in goals[1:]] == ["3,3", "3,8", "3,8", "3,7", "3,2", "3,0", "3,2", "3,3", "3,3"]


def test_it_shows_the_distribution_of_every_rated_goal(client, viewer, demo, finnish):
    client.force_login(viewer)
    report = report_build(demo, language="fi")
    (rows,) = tables(section(client.get(URL).content, "distribution").encode()).values()
    header, *rows = rows
    assert header[1:6] == [f"{value} {label}" for value, label in report.scale]
    assert len(rows) == len(report.rated_goals) == 26
    sijaishuolto = next(row for row in rows if row[0].startswith("Yhteistyötä sijaishuollon"))
    # 5, 4, 3, 2, 1, can't say, not answered, median, mean
    assert sijaishuolto[1:] == ["0", "0", "0", "3", "3", "0", "0", "1,5", "1,5"]


def test_it_flags_a_value_resting_on_too_few_answers(client, viewer, small_round, english):
    client.force_login(viewer)
    content = client.get(SMALL_URL).content
    yhteistyo, osallisuus = tables(content)["Summary of the municipalities' answers"][1:]
    # yhteistyo pools 2, 3 and 3 (and one can't say): three answers are enough; osallisuus rests on two.
    assert yhteistyo == ["Yhteistyö on toimivaa ja tavoitteellista. (2 sub-goals)", "2.7", "3", "1"]
    assert osallisuus == ["Asukkaat ovat mukana suunnittelussa.", "3.0 ⚠ (n = 2, fewer than 3 answers)", "2", "0"]
    assert 'aria-hidden="true">⚠' in content.decode()


def test_it_shows_the_answers_and_open_answers_to_staff(client, staff, small_round, english):
    client.force_login(staff)
    content = client.get(SMALL_URL).content
    answers = tables(content)["Each municipality's answers"]
    assert answers == [
        ["Municipality", "yhteistyo-1", "yhteistyo-2", "osallisuus"],
        ["Kauniainen", "2", "3", "4"],
        ["Raasepori", "3", "En osaa sanoa", "2"],
    ]
    assert '<abbr title="Luomme selkeän yhdyspintarakenteen.">yhteistyo-1</abbr>' in content.decode()
    open_answers = section(content, "open-answers")
    assert "Mitä yhteistyössä pitäisi kehittää?" in open_answers
    assert "Yhteiset kokoukset kerran kuussa." in open_answers
    assert "<figcaption>Kauniainen</figcaption>" in open_answers


def test_it_reads_each_municipalitys_answers_once_for_the_table_and_the_open_answers(
    client, staff, small_round, english, monkeypatch
):
    reads = []
    read = selectors.submitted_answers
    monkeypatch.setattr(selectors, "submitted_answers", lambda round: reads.append(round.code) or read(round))
    client.force_login(staff)

    content = client.get(SMALL_URL).content

    assert reads == [small_round.code]
    assert "Yhteiset kokoukset kerran kuussa." in section(content, "open-answers")


def test_it_shows_a_viewer_aggregates_only(client, viewer, small_round, english):
    client.force_login(viewer)
    content = client.get(SMALL_URL).content.decode()
    assert "Each municipality's answers" not in content
    assert "answers-table" not in content
    assert 'id="open-answers"' not in content
    assert "Yhteiset kokoukset kerran kuussa." not in content
    assert "Summary of the municipalities' answers" in content


def test_it_offers_a_viewer_only_the_downloads_without_answers(client, viewer, staff, demo, english):
    def offered(user) -> tuple[list[str], list[str]]:
        client.force_login(user)
        download = section(client.get(URL).content, "download")
        formats = download[download.index('name="format"') : download.index("</select>")]
        tables = download[download.index('name="table"') :].split("</select>")[0]
        return re.findall(r'<option value="(\w+)"', formats), re.findall(r'<option value="(\w+)"', tables)

    everything = exporters()
    assert offered(viewer) == (
        [name for name in everything if not everything[name].needs_answers],
        ["results", "respondents"],
    )
    assert offered(staff) == (list(everything), ["results", "answers", "respondents"])
    download = section(client.get(URL).content, "download")
    assert 'action="/staff/rounds/kuntakysely-2024/results/download/"' in download
    assert 'method="get"' in download


def test_it_preselects_the_interface_language_for_the_download(client, viewer, demo, finnish):
    client.force_login(viewer)
    download = section(client.get(URL).content, "download")
    assert '<option value="fi" lang="fi" selected>' in download


def test_it_shows_the_drafted_narrative(client, viewer, demo, english):
    client.force_login(viewer)
    narrative = section(client.get(URL).content, "narrative")
    report = report_build(demo, language="en")
    assert report.narrative.split("\n")[0] in narrative
    assert "Drafted from the numbers" in narrative
    assert "Out of date?" not in narrative


def test_it_warns_that_an_edited_narrative_may_be_out_of_date(client, staff, demo, english):
    Narrative.objects.create(round=demo, language="en", text="Our own words.", numbers="numbers of yesterday")
    client.force_login(staff)
    narrative = section(client.get(URL).content, "narrative")
    assert "<p>Our own words.</p>" in narrative
    assert "Out of date?" in narrative
    assert "Edited by the evaluation staff." in narrative


def test_it_links_staff_to_the_curation_pages(client, staff, viewer, demo, english):
    client.force_login(staff)
    content = client.get(URL).content.decode()
    assert 'href="/staff/rounds/kuntakysely-2024/curation/excerpts/"' in content
    for language in ("fi", "sv", "en"):
        assert f'href="{reverse("curation:narrative", kwargs={"code": demo.code, "language": language})}"' in content

    client.force_login(viewer)
    assert "/curation/" not in client.get(URL).content.decode()


def test_it_lists_the_excerpts_with_their_municipalities(client, viewer, small_round, english):
    response = small_round.invitations.get(municipality__code="235").response
    Excerpt.objects.create(round=small_round, response=response, text="Yhteiset kokoukset - - kuussa.", order=1)
    client.force_login(viewer)
    excerpts = section(client.get(SMALL_URL).content, "excerpts")
    # Marked with the language it was written in: the municipality's (WCAG 3.1.2).
    assert '<blockquote lang="fi"><p>Yhteiset kokoukset - - kuussa.</p></blockquote>' in excerpts
    assert "<figcaption>Kauniainen</figcaption>" in excerpts


def test_it_follows_the_interface_language(client, viewer, demo, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    client.force_login(viewer)
    content = client.get(URL).content.decode()
    assert 'lang="sv"' in content
    (summary,) = tables(section(content.encode(), "summary").encode()).values()
    assert summary[1][0].startswith("Tillsammans med kommunerna bygger vi upp")
    assert summary[-1][0].startswith("Räddningsväsendets servicenivåbeslut")
    assert [row[1] for row in summary[1:]] == [value for _text, _note, value in SEED_SUMMARY]


def _round_with_respondents(code: str, count: int) -> Round:
    municipalities = [(f"{900 + i}", f"Kunta {i}", f"Kommun {i}", "fi") for i in range(count)]
    round = make_round(code, municipalities=municipalities)
    _submit_all(
        round,
        {m[0]: {"yhteistyo-1": 1 + i % 5, "yhteistyo-2": None, "osallisuus": 3} for i, m in enumerate(municipalities)},
        comments={m[0]: {"kehittaminen": f"Vastaus {i}"} for i, m in enumerate(municipalities)},
    )
    return round


def test_it_takes_the_same_number_of_queries_whatever_the_number_of_respondents(
    client, staff, django_assert_num_queries, english
):
    _round_with_respondents("kolme", 3)
    _round_with_respondents("kaksikymmenta", 20)
    client.force_login(staff)
    client.get("/staff/rounds/kolme/results/")  # the session and permissions, read once
    with CaptureQueriesContext(connection) as three:
        assert client.get("/staff/rounds/kolme/results/").status_code == 200
    with django_assert_num_queries(len(three)):
        response = client.get("/staff/rounds/kaksikymmenta/results/")
    assert response.status_code == 200
    assert "Kunta 19" in response.content.decode()
