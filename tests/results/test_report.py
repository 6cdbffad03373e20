"""The report object (results/report.py) for the demo round, against the seed deck it must reproduce.

The expectations are read from the seed's text (tests/data/kuntakysely-2024-report.txt): the summary
page's rows with their "(N alatavoitetta)" notes, and each detail page under its heading.
"""

import csv
import re
from fractions import Fraction
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from arvio.invitations.status import Status
from arvio.responses.imports import responses_import
from arvio.results.formats import exporters
from arvio.results.models import Narrative
from arvio.results.report import Report, report_assemble, report_build
from arvio.results.selectors import report_sources
from arvio.results.services import excerpt_create, narrative_save
from arvio.surveys.models import Round
from tests.factories import make_round
from tests.invitations.helpers import DURING_ROUND, submit
from tests.seed import DECK as SEED

pytestmark = pytest.mark.django_db

RESPONSES = Path(__file__).parents[2] / "src" / "arvio" / "demo" / "kuntakysely-2024-responses.csv"
INSTRUCTIONS = (
    "Arvioikaa, miten hyvin tavoitteissa on edustamanne kunnan näkökulmasta edistytty tähänastisessa yhteistyössä."
)
NUMBER = re.compile(r"\b\d,\d\b")
ANSWERED = ["Kauniainen", "Kirkkonummi", "Karkkila", "Lohja", "Hanko", "Raasepori"]


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


DECK = normalised(SEED)


def summary_page() -> str:
    return DECK[DECK.index("Yhteenveto kuntien vastauksista") : DECK.index("Vastaajakunnat arvioivat")]


def detail_pages() -> list[tuple[str, str]]:
    """(what precedes the page's instructions, ending with its heading; the page's body) per detail page."""
    chunks = [chunk.strip() for chunk in DECK.split(INSTRUCTIONS)]
    return list(zip(chunks[:-1], chunks[1:], strict=True))


def value_after(text: str, page: str) -> str:
    """The first number after `text` on the page: the value the seed prints for it."""
    return NUMBER.search(page, page.index(text) + len(text)).group()


def pooled_count_after(text: str, page: str) -> int:
    match = re.match(r" \((\d+) alatavoitetta\)", page[page.index(text) + len(text) :])
    return int(match.group(1)) if match else 0


def seed_quotes() -> dict[str, str]:
    return {
        municipality: quote
        for quote, municipality in re.findall(r"[”“]([^”“]+)[”“]\s+(Lohja|Karkkila|Kauniainen)\b", SEED)
    }


@pytest.fixture
def demo() -> Round:
    call_command("demo", "--no-publish", stdout=StringIO())
    return Round.objects.get(code="kuntakysely-2024")


@pytest.fixture
def report(demo) -> Report:
    return report_build(demo, language="fi")


def test_it_shows_every_value_of_the_seeds_summary_page_with_its_pooled_note(report):
    page = summary_page()

    assert len(report.summary) == 11
    for row in report.summary:
        assert row.text in page, row.code
        assert row.value.display == value_after(row.text, page), row.code
        assert row.rated_goals == max(1, pooled_count_after(row.text, page)), row.code
        # The seed's words, "(4 alatavoitetta)", where the pooled items are sub-goals; "(2 tavoitetta)" where
        # they are goals (a theme's or a document's), which the seed got wrong.
        pooled = "alatavoitetta" if row.code == "yhteistyo" else "tavoitetta"
        expected = f"({row.rated_goals} {pooled})" if row.rated_goals > 1 else ""
        assert row.pooled_note == expected, row.code
    notes = {row.code: row.rated_goals for row in report.summary if row.rated_goals > 1}
    assert notes == {
        "yhteistyo": 4,
        "aikuisten-sosiaalipalvelut": 2,
        "lasten-nuorten-ja-perheiden-palvelut": 3,
        "vammaispalvelut": 2,
        "pelastustoimen-palvelutasopaatos": 9,
    }


def test_it_shows_every_value_of_the_seeds_detail_pages_under_their_headings(report):
    pages = detail_pages()

    assert len(report.sections) == len(pages) == 10
    for section, (before, page) in zip(report.sections, pages, strict=True):
        heading = f"{section.heading} {section.part}" if section.part else section.heading
        assert before.endswith(heading), heading
        shown = ((section.main,) if section.main else ()) + section.rows
        for node in shown:
            assert node.value.display == value_after(node.text, page), node.code
        # Nothing more on the page, nothing less, in the same order.
        assert [node.value.display for node in shown] == NUMBER.findall(page), heading


def test_it_numbers_the_sections_that_share_a_heading(report):
    parts = [(section.node.code, section.part) for section in report.sections]

    assert parts == [
        ("hyvinvointialuestrategia", ""),
        ("yhteistyo", "1/4"),
        ("osallisuus", "2/4"),
        ("perustason-palvelut", "3/4"),
        ("valmius", "4/4"),
        ("aikuisten-sosiaalipalvelut", ""),
        ("ikaantyneiden-palvelut", ""),
        ("lasten-nuorten-ja-perheiden-palvelut", ""),
        ("vammaispalvelut", ""),
        ("pelastustoimen-palvelutasopaatos", ""),
    ]
    yhteistyo = report.sections[1]
    assert yhteistyo.main.code == "yhteistyo" and len(yhteistyo.rows) == 4
    assert report.sections[0].main is None and len(report.sections[0].rows) == 2


def test_it_lists_the_respondents_in_the_seeds_order_with_their_answers(report):
    seed_table = re.findall(r"^(\w+) (Kyllä|Ei vastausta määräajassa)$", SEED, re.M)

    assert [respondent.name for respondent in report.respondents] == [name for name, _answer in seed_table]
    with translation.override("fi"):  # the report's language
        yes, no_answer = translation.gettext("Yes"), str(Status.NO_ANSWER.label)
    for respondent, (name, answer) in zip(report.respondents, seed_table, strict=True):
        assert respondent.answered is (answer == "Kyllä"), name
        if respondent.answered:
            assert (respondent.status, respondent.answered_label) == (Status.SUBMITTED, yes)
        else:
            assert respondent.status == Status.NO_ANSWER
            assert respondent.answered_label == respondent.status_label == no_answer
    assert [r.name for r in report.respondents if r.answered] == ANSWERED


def test_it_gives_the_response_rate_and_the_overall_level(demo, report):
    assert (report.invited, report.responded, report.rate) == (10, 6, "6/10")
    assert "6/10 alueen kuntaa vastasi" in DECK
    assert report.rate_percent == "60\u00a0%"
    assert report_build(demo, language="sv").rate_percent == "60\u00a0%"
    assert report.overall.mean == Fraction(107, 39)
    assert report.overall.display == "2,7"
    assert report_build(demo, language="en").overall.display == "2.7"


def test_it_drafts_the_seeds_first_sentence(report):
    first = report.narrative.split("\n\n")[0]

    assert first in DECK
    assert first == (
        "Vastaajakunnat arvioivat strategisissa yhteistyötavoitteissa etenemisen keskimäärin kohtalaiseksi tai "
        "heikoksi."
    )
    assert (report.narrative_edited, report.narrative_outdated) == (False, False)
    assert report.narrative == report.narrative_drafted


def test_it_quotes_the_seeds_three_excerpts_with_their_municipalities(report):
    quotes = seed_quotes()

    assert [excerpt.municipality for excerpt in report.excerpts] == ["Lohja", "Karkkila", "Kauniainen"]
    for excerpt in report.excerpts:
        assert normalised(excerpt.text) == normalised(quotes[excerpt.municipality])


def test_it_names_the_municipalities_and_texts_in_swedish(demo):
    report = report_build(demo, language="sv")

    assert [excerpt.municipality for excerpt in report.excerpts] == ["Lojo", "Högfors", "Grankulla"]
    assert report.summary[-1].label == "räddningsväsendet"
    assert report.summary[-1].value.display == "3,4"


def test_it_gives_each_municipalitys_answer_to_each_rated_goal_as_the_tables_show_it():
    round = make_round()
    submit(
        round.invitations.order_by("order", "pk").first(),
        at=DURING_ROUND,
        values={"yhteistyo-1": 4, "yhteistyo-2": None},
    )
    report = report_build(round, language="fi", include_answers=True)

    ((answers, cells),) = report.answer_rows()
    assert dict(zip([goal.code for goal in report.rated_goals], cells)) == {
        "yhteistyo-1": 4,
        "yhteistyo-2": "En osaa sanoa",
        "osallisuus": None,
    }
    assert report.scale_range == (1, 5)
    assert report_build(round, language="fi").answer_rows() == []


# Queries


def round_with(code: str, count: int) -> Round:
    """A round of `count` municipalities that have all answered, with an excerpt and an edited narrative."""
    municipalities = [(f"{100 + i:03d}", f"Kunta {i}", f"Kommun {i}", "fi") for i in range(count)]
    round = make_round(code, municipalities=municipalities)
    responses = [
        submit(
            invitation,
            at=DURING_ROUND,
            values={"yhteistyo-1": 1 + i % 5, "yhteistyo-2": None if i % 4 == 0 else 3, "osallisuus": 2},
            comments={"kehittaminen": f"Yhteistyötä pitää kehittää, sanoo kunta {i}."},
        )
        for i, invitation in enumerate(round.invitations.all())
    ]
    excerpt_create(
        round=round,
        response=responses[0],
        question=round.questions.get(code="kehittaminen"),
        text="Yhteistyötä pitää kehittää",
        by=None,
        goals=round.nodes.filter(code="yhteistyo"),
    )
    narrative_save(round=round, language="fi", text="Kunnat arvioivat yhteistyön kohtalaiseksi.", by=None)
    return round


def test_it_builds_the_report_in_the_same_number_of_queries_for_3_and_30_respondents(django_assert_num_queries):
    small, large = round_with("pieni", 3), round_with("suuri", 30)
    assert len(report_build(large, language="fi", include_answers=True).answers) == 30

    with CaptureQueriesContext(connection) as queries:
        report_build(small, language="fi", include_answers=True)
    with django_assert_num_queries(len(queries)):
        report_build(large, language="fi", include_answers=True)
    with CaptureQueriesContext(connection) as without_answers:
        report_build(small, language="sv")
    with django_assert_num_queries(len(without_answers)):
        report_build(large, language="sv")


def test_it_assembles_the_report_from_the_selectors_rows_without_a_query_of_its_own(django_assert_num_queries):
    round = round_with("pieni", 3)
    now = timezone.now()
    sources = report_sources(round, language="fi", include_answers=True, now=now)

    with django_assert_num_queries(0):
        report = report_assemble(sources, language="fi", now=now)
    assert report == report_build(round, language="fi", include_answers=True, now=now)
    assert len(report.answers) == 3
    assert report.excerpts[0].goals == ("yhteistyo",)


def _queries(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


def test_it_reads_each_municipalitys_answers_as_they_are_iterated_in_queries_that_grow_with_the_batches(
    monkeypatch,
):
    small, large = round_with("pieni", 3), round_with("suuri", 30)
    small_report = report_build(small, language="fi", include_answers=True)
    large_report = report_build(large, language="fi", include_answers=True)

    # Built, the report holds none of them: they are read each time they are iterated, a batch at a time.
    read = _queries(lambda: list(large_report.answers))
    assert read == _queries(lambda: list(small_report.answers)) == 5  # goal and question codes, responses, 1 batch
    monkeypatch.setattr("arvio.results.selectors.RESPONSES_PER_BATCH", 10)
    assert _queries(lambda: list(large_report.answers)) == read + 2 * 2
    streamed = list(large_report.answers)
    monkeypatch.setattr("arvio.results.selectors.RESPONSES_PER_BATCH", 1000)
    assert streamed == list(large_report.answers)
    # In the invitations' order, then by name, as the answers tables list them.
    assert [item.name for item in streamed] == sorted(f"Kunta {i}" for i in range(30))
    # Each with its own answers and comment: round_with gave the i-th submission these.
    for item in streamed:
        i = int(item.comments["kehittaminen"].removesuffix(".").rsplit(" ", 1)[1])
        assert item.values == {"yhteistyo-1": 1 + i % 5, "yhteistyo-2": None if i % 4 == 0 else 3, "osallisuus": 2}
    assert len({item.comments["kehittaminen"] for item in streamed}) == 30


@pytest.mark.parametrize("format, options", [("xlsx", {}), ("csv", {"table": "answers"})])
def test_it_writes_the_answers_files_in_the_same_number_of_queries_for_3_and_30_respondents(format, options):
    small, large = round_with("pieni", 3), round_with("suuri", 30)
    exporter = exporters()[format]

    def written(round):
        report = report_build(round, language="fi", include_answers=True)
        return lambda: b"".join(exporter.stream(report, **options)[2])

    assert _queries(written(small)) == _queries(written(large)) == 5


# The narrative's freshness


def responses_file(tmp_path, rows: list[dict]) -> Path:
    with RESPONSES.open(encoding="utf-8", newline="") as source:
        header = next(csv.reader(source))
    path = tmp_path / "late.csv"
    with path.open("w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def demo_row(municipality: str) -> dict:
    with RESPONSES.open(encoding="utf-8", newline="") as source:
        return next(row for row in csv.DictReader(source) if row["municipality"] == municipality)


def test_it_uses_the_edited_narrative_while_the_numbers_stay_the_same(demo, tmp_path):
    narrative_save(round=demo, language="fi", text="Kunnat arvioivat yhteistyön kohtalaiseksi.", by=None)
    # Karkkila's answers imported again as they were: the numbers do not change.
    responses_import(round=demo, path=responses_file(tmp_path, [demo_row("224")]), replace=True)

    report = report_build(demo, language="fi")

    assert report.narrative == "Kunnat arvioivat yhteistyön kohtalaiseksi."
    assert report.narrative_drafted.startswith("Vastaajakunnat arvioivat")
    assert (report.narrative_edited, report.narrative_outdated) == (True, False)
    assert report_build(demo, language="sv").narrative_edited is False


def test_it_says_the_narrative_may_be_out_of_date_after_a_late_import(demo, tmp_path):
    narrative_save(round=demo, language="fi", text="Kunnat arvioivat yhteistyön kohtalaiseksi.", by=None)
    espoo = demo_row("224") | {"municipality": "049", "submitted_by": "Eero Salminen"}

    responses_import(round=demo, path=responses_file(tmp_path, [espoo]))

    report = report_build(demo, language="fi")
    assert report.rate == "7/10"
    assert (report.narrative_edited, report.narrative_outdated) == (True, True)
    assert report.narrative == "Kunnat arvioivat yhteistyön kohtalaiseksi."


def test_it_says_the_narrative_may_be_out_of_date_after_an_answer_changes_a_value(demo, tmp_path):
    narrative_save(round=demo, language="sv", text="Kommunerna bedömde samarbetet som någorlunda.", by=None)
    before = report_build(demo, language="sv")
    karkkila = demo_row("224") | {"sijaishuolto": "5"}  # Lasten, nuorten ja perheiden palvelut: 2,1 → 2,3

    responses_import(round=demo, path=responses_file(tmp_path, [karkkila]), replace=True)

    after = report_build(demo, language="sv")
    assert before.narrative_outdated is False
    assert after.narrative_outdated is True
    assert after.rate == "6/10"
    changed = {row.code for row, old in zip(after.summary, before.summary, strict=True) if row.value != old.value}
    assert changed == {"lasten-nuorten-ja-perheiden-palvelut"}


def test_it_is_current_again_once_the_text_is_saved_against_the_new_numbers(demo, tmp_path):
    narrative_save(round=demo, language="fi", text="Vanha teksti.", by=None)
    responses_import(round=demo, path=responses_file(tmp_path, [demo_row("224") | {"municipality": "049"}]))
    assert report_build(demo, language="fi").narrative_outdated is True

    narrative_save(round=demo, language="fi", text="Uusi teksti.", by=None)

    report = report_build(demo, language="fi")
    assert (report.narrative, report.narrative_outdated) == ("Uusi teksti.", False)
    assert Narrative.objects.get(round=demo, language="fi").numbers == report.narrative_numbers
