"""How long building the results, the report and each format takes, and how much memory, against floors.

    .venv/bin/python bench/report.py                                  # SQLite in a temporary folder
    .venv/bin/python bench/report.py --postgres URL                   # an empty scratch database on PostgreSQL
    .venv/bin/python bench/report.py --respondents 100000 --goals 40  # a bigger round
    .venv/bin/python bench/report.py --formats xlsx,csv,json          # only these formats
    .venv/bin/python bench/report.py --results-only                   # only the grouped query and round_results

Two rounds: the demo's kuntakysely-2024, and a generated round of --goals
rated goals (default 200) answered by --respondents municipalities (default
5,000). The generated tree has documents, themes, goals and sub-goals: each
theme holds two rated goals and a main goal with three rated sub-goals, four
themes to a document. Statistics Finland's codes have three digits, so
thousands of them cannot exist: the generated municipalities get
three-character codes starting with a letter ("a0z", "Bq7"), which the model
allows and which never clash with real ones.

Every step runs in a child process of its own (started fresh, not forked),
--runs times (once when a run takes over SLOW seconds); the best time counts.
Its memory is the child's resident set: the high-water mark is reset
(/proc/self/clear_refs) once the step's input is ready, so "peak MiB" is what
the step itself added at its worst, C libraries (WeasyPrint, lxml, the
database driver) included. Each step is printed beside a floor measured the
same way: the results, the report, HTML, CSV and JSON beside the bare grouped
SQL query (the one query the results rest on, run through a cursor); the PDF
beside WeasyPrint printing as many pages with as many table cells from
constants; PPTX beside python-pptx writing a deck of the same number of
slides and table cells from constants; XLSX beside openpyxl (write-only)
writing the same cells from constants. docs/performance.md records the
figures.
"""

import argparse
import concurrent.futures
import gc
import io
import math
import multiprocessing
import os
import pickle
import platform
import random
import string
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROUND_CODE = "bench-generated"
THEMES_PER_DOCUMENT = 4
# Per theme: two rated goals and a main goal with three rated sub-goals.
PLAIN_GOALS, SUBGOALS = 2, 3
BATCH = 10_000
# A step slower than this is run once: repeating it would add minutes and change the ratio little.
SLOW = 10
SCALE = [
    (5, "Erinomaisesti", "Utmärkt"),
    (4, "Hyvin", "Väl"),
    (3, "Kohtalaisesti", "Någorlunda"),
    (2, "Heikosti", "Dåligt"),
    (1, "Ei lainkaan", "Inte alls"),
]
# Three characters, the first a letter: never one of Statistics Finland's all-digit codes.
CODES = [
    first + second + third
    for first in string.ascii_letters
    for second in string.digits + string.ascii_letters
    for third in string.digits + string.ascii_letters
]
MIB = 1024 * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", metavar="URL", help="run on this PostgreSQL database (its tables are created)")
    parser.add_argument("--respondents", type=int, default=5000, help="municipalities that answered (default 5000)")
    parser.add_argument("--goals", type=int, default=200, help="rated goals of the generated round (default 200)")
    parser.add_argument("--runs", type=int, default=3, help="best of how many runs (default 3)")
    parser.add_argument("--skip-demo", action="store_true", help="measure the generated round only")
    parser.add_argument(
        "--formats", default="", help="measure only these formats, comma-separated (default: every format)"
    )
    parser.add_argument(
        "--results-only",
        action="store_true",
        help="measure only the grouped query and round_results: no report is built, no format rendered",
    )
    arguments = parser.parse_args()
    if not 1 <= arguments.respondents <= len(CODES):
        parser.error(f"--respondents must be from 1 to {len(CODES)}")
    if arguments.goals < 1:
        parser.error("--goals must be at least 1")
    formats = [name for name in arguments.formats.split(",") if name]

    folder = tempfile.TemporaryDirectory(prefix="arvio-bench-")
    os.environ["ARVIO_VAR_DIR"] = folder.name
    os.environ["DATABASE_URL"] = arguments.postgres or f"sqlite:///{folder.name}/bench.sqlite3"
    os.environ["DEBUG"] = "false"  # no query log growing through millions of rows
    os.environ["ARVIO_BENCH_FOLDER"] = folder.name
    setup()
    from django.core.management import call_command

    print(machine())
    call_command("migrate", verbosity=0)
    call_command("demo", stdout=io.StringIO())

    started = time.perf_counter()
    generate(arguments.respondents, arguments.goals)
    print(f"Generated {ROUND_CODE} in {time.perf_counter() - started:.1f} s\n")
    from django.db import connection

    if connection.vendor == "postgresql":
        # Autovacuum would gather the new tables' statistics within a minute; without them the
        # planner's guesses make loading the answers ten times slower than in any real database.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    connection.close()

    rounds = ([] if arguments.skip_demo else ["kuntakysely-2024"]) + [ROUND_CODE]
    for code in rounds:
        measure(code, arguments.runs, Path(folder.name), formats, arguments.results_only)
    folder.cleanup()


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arvio.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()


def machine() -> str:
    from django.db import connection

    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    memory = next((int(line.split()[1]) / 1024**2 for line in meminfo if line.startswith("MemTotal")), 0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        database = cursor.fetchone()[0]
    if connection.vendor == "sqlite":
        database = f"SQLite {database}"
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{date.today().isoformat()} · {os.cpu_count()} CPUs: {cpu} · {memory:.1f} GiB · load {load} · "
        f"Python {platform.python_version()} · {database.split(' on ')[0]}"
    )


def tree_shape(goals: int) -> list[tuple[int, int, list[int]]]:
    """(document, theme, [sub-goals per goal: 0 for a rated goal]) per theme, `goals` rated goals in all."""
    themes = []
    left = goals
    index = 0
    while left:
        per_theme = []
        for _ in range(PLAIN_GOALS):
            if left:
                per_theme.append(0)
                left -= 1
        if left:
            take = min(SUBGOALS, left) if left > 1 else 1
            per_theme.append(take if take > 1 else 0)
            left -= take
        themes.append((index // THEMES_PER_DOCUMENT, index % THEMES_PER_DOCUMENT, per_theme))
        index += 1
    return themes


def generate(respondents: int, goal_count: int):
    """The big round, inserted with bulk_create: the goal tree, the municipalities, every answer."""
    from django.db import transaction

    from arvio.invitations.models import Invitation
    from arvio.responses.models import Comment, Response
    from arvio.results.models import Excerpt
    from arvio.surveys.models import Municipality, Node, Organizer, Question, Round, ScaleOption

    randomness = random.Random(2024)
    codes = CODES[:respondents]
    with transaction.atomic():
        Round.objects.filter(code=ROUND_CODE).delete()
        Municipality.objects.filter(code__in=codes).delete()
        round = Round.objects.create(
            organizer=Organizer.objects.first(),
            code=ROUND_CODE,
            title_fi="Suuri kysely",
            title_sv="Stor enkät",
            purpose_fi="Suorituskyvyn mittaus.",
            purpose_sv="Prestandamätning.",
            target_group_fi="kunnanjohto",
            target_group_sv="kommunledningen",
            dont_know_label_fi="En osaa sanoa",
            dont_know_label_sv="Kan inte säga",
            opens_on=date(2024, 11, 6),
            closes_on=date(2024, 12, 5),
            closed_at=datetime(2024, 12, 5, 22, tzinfo=UTC),
        )
        for value, fi, sv in SCALE:
            ScaleOption.objects.create(
                round=round, value=value, label_fi=fi, label_sv=sv, level_fi=fi.lower(), level_sv=sv.lower()
            )
        question = Question.objects.create(round=round, code="palaute", text_fi="Palaute", text_sv="Respons")

        shape = tree_shape(goal_count)
        documents = {}
        rated = []
        for document, theme_index, goals in shape:
            if document not in documents:
                documents[document] = Node.objects.create(
                    round=round,
                    kind=Node.Kind.DOCUMENT,
                    code=f"d{document}",
                    order=document,
                    text_fi=f"Asiakirja {document}",
                    text_sv=f"Dokument {document}",
                )
            parent = documents[document]
            code = f"{parent.code}t{theme_index}"
            theme = Node.objects.create(
                round=round,
                parent=parent,
                kind=Node.Kind.THEME,
                code=code,
                order=theme_index,
                text_fi=f"Teema {code}",
                text_sv=f"Tema {code}",
                label_fi=f"teema {code}",
                label_sv=f"tema {code}",
                summary_row=True,
                detail_page=True,
            )
            for order, subgoals in enumerate(goals):
                goal = Node.objects.create(
                    round=round,
                    parent=theme,
                    kind=Node.Kind.GOAL,
                    code=f"{code}g{order}",
                    order=order,
                    text_fi=f"Tavoite {code}g{order}: yhteistyö kuntien kanssa on toimivaa ja tavoitteellista.",
                    text_sv=f"Mål {code}g{order}: samarbetet med kommunerna fungerar och är målinriktat.",
                    detail_page=bool(subgoals),
                )
                if not subgoals:
                    rated.append(goal)
                for sub in range(subgoals):
                    rated.append(
                        Node.objects.create(
                            round=round,
                            parent=goal,
                            kind=Node.Kind.SUBGOAL,
                            code=f"{goal.code}s{sub}",
                            order=sub,
                            text_fi=f"Alatavoite {goal.code}s{sub}: palvelut ovat saatavilla ajoissa.",
                            text_sv=f"Delmål {goal.code}s{sub}: tjänsterna finns tillgängliga i tid.",
                        )
                    )

        municipalities = Municipality.objects.bulk_create(
            (
                Municipality(code=code, name_fi=f"Kunta {code}", name_sv=f"Kommun {code}", language="fi")
                for code in codes
            ),
            batch_size=BATCH,
        )
        invitations = Invitation.objects.bulk_create(
            (
                Invitation(round=round, municipality=municipality, order=index)
                for index, municipality in enumerate(municipalities)
            ),
            batch_size=BATCH,
        )
        submitted = datetime(2024, 12, 1, 10, tzinfo=UTC)
        responses = Response.objects.bulk_create(
            (
                Response(
                    invitation=invitation,
                    submitted_at=submitted + timedelta(seconds=index),
                    version=1,
                    submitted_version=1,
                    submission_count=1,
                )
                for index, invitation in enumerate(invitations)
            ),
            batch_size=BATCH,
        )
        Comment.objects.bulk_create(
            (
                Comment(response=response, question=question, text=f"Yhteistyö on edennyt. Kunta {code}.")
                for response, code in zip(responses, codes, strict=True)
            ),
            batch_size=BATCH,
        )
        # Each goal leans its own way so that the means differ; 1 in 20 answers is "can't say", 1 in 50 blank.
        # The answers (millions) go in as plain tuples: COPY on PostgreSQL, executemany on SQLite. Building
        # a model object for each made the setup take longer than everything it sets up to measure.
        weights = {goal.pk: [randomness.random() + 0.2 for _ in range(5)] for goal in rated}
        write_answers(_answer_rows(randomness, [response.pk for response in responses], rated, weights))
        for order, response in enumerate(responses[:3]):
            Excerpt.objects.create(round=round, response=response, text="Yhteistyö on edennyt - - hyvin.", order=order)
    return round


def _answer_rows(randomness, response_ids, rated, weights):
    """(response_id, node_id, value) of every generated answer, one response after another."""
    choices = [1, 2, 3, 4, 5]
    goal_ids = [goal.pk for goal in rated]
    for response_id in response_ids:
        draws = [randomness.random() for _ in goal_ids]
        for goal_id, draw in zip(goal_ids, draws, strict=True):
            if draw < 0.02:
                continue
            value = None if draw < 0.07 else randomness.choices(choices, weights[goal_id])[0]
            yield (response_id, goal_id, value)


def write_answers(rows) -> None:
    """Inserts (response_id, node_id, value) rows: COPY on PostgreSQL, executemany batches on SQLite."""
    import itertools

    from django.db import connection

    from arvio.responses.models import Answer

    table = connection.ops.quote_name(Answer._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} (response_id, node_id, value) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} (response_id, node_id, value) VALUES (%s, %s, %s)"
        while batch := list(itertools.islice(rows, 100_000)):
            cursor.executemany(sql, batch)


# Each step runs in a fresh child process: prepare() makes its input, then run() is timed and its memory measured.


def _reset_peak() -> int:
    """Resets the resident set's high-water mark; returns the resident set now, in bytes."""
    Path("/proc/self/clear_refs").write_text("5")
    return _status("VmRSS")


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(field)


def best(runs: int, step):
    """The best time of `runs` runs (fewer once they add up to SLOW seconds), the last result, and the runs."""
    times = []
    while len(times) < runs and sum(times) < SLOW:
        started = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - started)
    return min(times), result, len(times)


def child(step: str, code: str, runs: int, folder: str, argument) -> dict:
    setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from arvio.surveys.models import Round

    round = Round.objects.get(code=code)
    run, note = STEPS[step](round, Path(folder), argument)
    gc.collect()
    start = _reset_peak()
    cpu = time.process_time()
    with CaptureQueriesContext(connection) as captured:
        seconds, result, done = best(runs, run)
    # This process's CPU time, per run: SQLite's work included, PostgreSQL's server not.
    cpu = (time.process_time() - cpu) / done
    peak = _status("VmHWM") - start
    queries = len(captured) // done
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak": peak,
        "note": note(result) if note else "",
        "queries": queries,
        "load": os.getloadavg()[0],
    }


def _grouped_sql(round):
    from django.db.models import Count

    from arvio.responses.models import Answer

    submitted = Answer.objects.filter(response__invitation__round=round, response__submitted_at__isnull=False)
    # The query of selectors.answer_counts(), without the ORM turning rows into a dict.
    return submitted.values_list("node_id", "value").annotate(count=Count("id")).order_by().query.sql_with_params()


def step_floor_sql(round, folder, argument):
    from django.db import connection

    sql, params = _grouped_sql(round)

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run, None


def step_round_results(round, folder, argument):
    from arvio.results.selectors import round_results

    return lambda: round_results(round), None


def step_report_build(round, folder, argument):
    from arvio.results.report import report_build

    answers, respondents = argument
    return (
        lambda: report_build(round, language="fi", include_answers=answers, include_respondents=respondents),
        None,
    )


def _report(folder: Path, name: str):
    return pickle.loads((folder / f"{name}.pickle").read_bytes())


def step_render(round, folder, argument):
    """An exporter's stream() read to its end, each piece dropped: what the web download and `arvio export` do."""
    from arvio.results.formats import exporters

    format, options, source = argument
    exporter = exporters()[format]
    report = _report(folder, source)

    def run():
        _name, _type, chunks = exporter.stream(report, **options)
        return sum(len(chunk) for chunk in chunks)

    return run, lambda size: f"{size / MIB:,.2f} MiB"


def step_floor_pdf(round, folder, argument):
    """WeasyPrint printing `pages` A4 landscape pages holding `cells` table cells of constant text."""
    from weasyprint import HTML

    pages, cells = argument
    per_page = max(1, math.ceil(cells / 2 / pages))
    row = "<tr><th>Tavoite d0t0g0: yhteistyö kuntien kanssa</th><td>2,3</td></tr>"
    page = f"<section style='break-after: page'><h2>Otsikko</h2><table>{row * per_page}</table></section>"
    html = f"<html lang='fi'><style>@page {{ size: A4 landscape }}</style><body>{page * pages}</body></html>"
    return lambda: HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"), None


def step_floor_pptx(round, folder, argument):
    return lambda: constant_deck(argument), None


def step_floor_xlsx(round, folder, argument):
    """openpyxl, write-only, writing sheets of the same rows and columns from constants."""
    from openpyxl import Workbook

    def run():
        workbook = Workbook(write_only=True)
        for rows, columns in argument:
            sheet = workbook.create_sheet()
            for _ in range(rows):
                sheet.append(["Kunta a0z"] * 2 + [3] * (columns - 2))
        with tempfile.TemporaryFile() as file:
            workbook.save(file)
            return file.tell()

    return run, None


STEPS = {
    "floor_sql": step_floor_sql,
    "round_results": step_round_results,
    "report_build": step_report_build,
    "render": step_render,
    "floor_pdf": step_floor_pdf,
    "floor_pptx": step_floor_pptx,
    "floor_xlsx": step_floor_xlsx,
}


def in_child(step: str, code: str, runs: int, folder: Path, argument=None) -> dict:
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        return pool.submit(child, step, code, runs, str(folder), argument).result()


def measure(code: str, runs: int, folder: Path, formats: list[str], results_only: bool = False) -> None:
    from arvio.results.formats import exporters
    from arvio.results.report import report_build
    from arvio.surveys.models import Round

    round = Round.objects.get(code=code)
    print(f"{code}: {len(round.rated_goals())} rated goals, {round.invitations.count():,} invited")
    rows = []

    def add(name, result, floor=None):
        rows.append((name, result, floor))
        ratio = f"{result['seconds'] / floor['seconds']:6.1f}×" if floor else ""
        print(
            f"  {name:48} {result['seconds']:9.3f} s {ratio:>8} {result['cpu']:9.3f} s CPU "
            f"{result['peak'] / MIB:9.1f} MiB  load {result['load']:4.1f}  {result['note']}",
            flush=True,
        )

    sql = in_child("floor_sql", code, runs, folder)
    add("floor: the grouped SQL query", sql)
    results = in_child("round_results", code, runs, folder)
    results["note"] = f"{results['queries']} queries"
    add("round_results", results, sql)
    if results_only:
        print()
        return

    answers = sum(len(item.values) for item in report_build(round, language="fi", include_answers=True).answers)
    print(f"  {answers:,} answers")
    # The reports the formats render, built once here and handed to each child as a pickle.
    deck = report_build(round, language="fi", include_respondents=False)
    full = report_build(round, language="fi", include_answers=True)
    (folder / "deck.pickle").write_bytes(pickle.dumps(deck))
    (folder / "full.pickle").write_bytes(pickle.dumps(full))

    for name, argument in (
        ("report_build, for a deck", (False, False)),
        ("report_build", (False, True)),
        ("report_build, with answers", (True, True)),
    ):
        result = in_child("report_build", code, runs, folder, argument)
        result["note"] = f"{result['queries']} queries"
        add(name, result, sql)

    for format, exporter in exporters().items():
        if formats and format not in formats:
            continue
        variants = [{"table": table} for table in ("results", "answers", "respondents")] if format == "csv" else [{}]
        for options in variants:
            needs_full = exporter.needs_answers_for(**options) or exporter.needs_respondents_for(**options)
            source = "full" if needs_full else "deck"
            label = format + (f", {options['table']}" if options else "")
            result = in_child("render", code, runs, folder, (format, options, source))
            result["note"] += f", {result['queries']} queries"
            floor = sql
            if format == "pdf":
                pages, cells = pdf_shape(deck)
                floor = in_child("floor_pdf", code, runs, folder, (pages, cells))
                add(f"floor: WeasyPrint, {pages} pages, {cells:,} cells", floor)
            elif format == "pptx":
                _name, _type, content = exporter.render(deck)
                shape = deck_shape(content)
                cells = sum(rows * columns for slide in shape for rows, columns in slide["tables"])
                floor = in_child("floor_pptx", code, runs, folder, shape)
                add(f"floor: python-pptx, {len(shape)} slides, {cells:,} cells", floor)
            elif format == "xlsx":
                shape = xlsx_shape(full)
                floor = in_child("floor_xlsx", code, runs, folder, shape)
                cells = sum(sheet_rows * columns for sheet_rows, columns in shape)
                add(f"floor: openpyxl write-only, {cells:,} cells", floor)
            add(label, result, floor)
    print()


def pdf_shape(report) -> tuple[int, int]:
    """The PDF's pages and the table cells of its HTML."""
    from pypdf import PdfReader

    from arvio.results.formats.html_format import report_html
    from arvio.results.formats.pdf_format import report_pdf

    html = report_html(report)
    cells = html.count("<td") + html.count("<th")
    return len(PdfReader(io.BytesIO(report_pdf(report))).pages), cells


def xlsx_shape(report) -> list[tuple[int, int]]:
    """(rows, columns) of each sheet of the XLSX export."""
    comments = sum(1 for answers in report.answers for text in answers.comments.values() if text)
    return [
        (len(report.nodes) + 1, 12 + len(report.scale)),
        (len(report.answers) + 1, 3 + len(report.rated_goals)),
        (comments + 1, 4),
        (18, 2),
        (len(report.respondents) + 1, 5),
    ]


def deck_shape(content: bytes) -> list[dict]:
    """What each slide of a deck holds: its text boxes (runs per box), tables (rows, columns), charts
    (categories) and lines of notes."""
    from pptx import Presentation

    slides = []
    for slide in Presentation(io.BytesIO(content)).slides:
        boxes, tables, charts = [], [], []
        for shape in slide.shapes:
            if shape.has_chart:
                charts.append(len(shape.chart.plots[0].categories))
            elif shape.has_table:
                tables.append((len(shape.table.rows), len(shape.table.columns)))
            elif shape.has_text_frame:
                boxes.append(sum(len(paragraph.runs) for paragraph in shape.text_frame.paragraphs))
        notes = slide.notes_slide.notes_text_frame.text.count("\n") + 1 if slide.has_notes_slide else 0
        slides.append({"boxes": boxes, "tables": tables, "charts": charts, "notes": notes})
    return slides


def constant_deck(shape: list[dict]) -> bytes:
    """The same slides written by python-pptx from constants: as many text boxes and runs, tables and cells
    (each filled and its run styled), charts with as many bars, and notes, with no data and no measuring."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.enum.lang import MSO_LANGUAGE_ID
    from pptx.util import Inches, Pt

    color = RGBColor(0x1F, 0x4E, 0x79)

    def run(paragraph, text):
        styled = paragraph.add_run()
        styled.text = text
        styled.font.size = Pt(14)
        styled.font.bold = False
        styled.font.color.rgb = color
        styled.font.language_id = MSO_LANGUAGE_ID.FINNISH

    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Inches(13.333), Inches(7.5)
    layout = presentation.slide_layouts[6]
    for slide_shape in shape:
        slide = presentation.slides.add_slide(layout)
        for runs in slide_shape["boxes"]:
            frame = slide.shapes.add_textbox(Inches(0.5), Inches(0.5), Inches(12), Inches(1)).text_frame
            frame.word_wrap = True
            for index in range(runs):
                run(frame.paragraphs[0] if index == 0 else frame.add_paragraph(), "Tavoite d0t0g0 2,3")
        for rows, columns in slide_shape["tables"]:
            table = slide.shapes.add_table(rows, columns, Inches(0.5), Inches(1), Inches(12), Inches(6)).table
            for row in table.rows:
                for cell in row.cells:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = color
                    cell.margin_left = cell.margin_right = Pt(4)
                    run(cell.text_frame.paragraphs[0], "Tavoite 2,3")
        for categories in slide_shape["charts"]:
            data = CategoryChartData(number_format="0.0")
            data.categories = [f"teema {index}" for index in range(categories)]
            data.add_series("Keskiarvo", [2.3] * categories)
            slide.shapes.add_chart(
                XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.5), Inches(1), Inches(12), Inches(6), data
            ).chart.plots[0].has_data_labels = True
        if slide_shape["notes"]:
            slide.notes_slide.notes_text_frame.text = "\n".join(["Tavoite 2,3 — n = 6"] * slide_shape["notes"])
    content = io.BytesIO()
    presentation.save(content)
    return content.getvalue()


if __name__ == "__main__":
    main()
