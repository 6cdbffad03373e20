"""How long building the results, the report and each format takes, against floors measured in the same run.

    .venv/bin/python bench/report.py                       # SQLite in a temporary folder
    .venv/bin/python bench/report.py --postgres URL        # an empty scratch database on PostgreSQL

Two rounds: the demo's kuntakysely-2024, and a generated round of 200 rated
goals (10 documents × 4 themes × 5 goals) answered by 5,000 municipalities.
Statistics Finland's codes have three digits, so 5,000 cannot exist: the
generated municipalities get three-character codes starting with a letter
("a0z"), which the model allows and which never clash with real ones.

Every step runs --runs times (once when a run takes over SLOW seconds) and
the best time counts. Each is printed beside
a floor: the results and the report and the non-PPTX formats beside the bare
grouped SQL query (the one query the results rest on, run through a cursor);
PPTX beside python-pptx writing a deck of the same number of slides and table
cells from constants. docs/performance.md records the figures.
"""

import argparse
import io
import os
import platform
import random
import string
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROUND_CODE = "bench-200-goals"
DOCUMENTS, THEMES, GOALS = 10, 4, 5
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
    for first in string.ascii_lowercase
    for second in string.digits + string.ascii_lowercase
    for third in string.digits + string.ascii_lowercase
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", metavar="URL", help="run on this PostgreSQL database (its tables are created)")
    parser.add_argument("--respondents", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3, help="best of how many runs (default 3)")
    arguments = parser.parse_args()
    if not 1 <= arguments.respondents <= len(CODES):
        parser.error(f"--respondents must be from 1 to {len(CODES)}")

    folder = tempfile.TemporaryDirectory(prefix="arvio-bench-")
    os.environ["ARVIO_VAR_DIR"] = folder.name
    os.environ["DATABASE_URL"] = arguments.postgres or f"sqlite:///{folder.name}/bench.sqlite3"
    os.environ["DEBUG"] = "false"  # no query log growing through a million rows
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arvio.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    print(machine())
    call_command("migrate", verbosity=0)
    call_command("demo", stdout=io.StringIO())
    from arvio.surveys.models import Round

    started = time.perf_counter()
    generated = generate(arguments.respondents)
    print(f"Generated {ROUND_CODE} in {time.perf_counter() - started:.1f} s\n")
    from django.db import connection

    if connection.vendor == "postgresql":
        # Autovacuum would gather the new tables' statistics within a minute; without them the
        # planner's guesses make loading the answers ten times slower than in any real database.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    for round in (Round.objects.get(code="kuntakysely-2024"), generated):
        measure(round, arguments.runs)
    folder.cleanup()


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
    return (
        f"{date.today().isoformat()} · {os.cpu_count()} CPUs: {cpu} · {memory:.1f} GiB · "
        f"Python {platform.python_version()} · {database.split(' on ')[0]}"
    )


def generate(respondents: int):
    """The big round, inserted with bulk_create: the goal tree, the municipalities, every answer."""
    from django.db import transaction

    from arvio.invitations.models import Invitation
    from arvio.responses.models import Answer, Comment, Response
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

        documents = Node.objects.bulk_create(
            Node(
                round=round,
                kind=Node.Kind.DOCUMENT,
                code=f"d{d}",
                order=d,
                text_fi=f"Asiakirja {d}",
                text_sv=f"Dokument {d}",
            )
            for d in range(DOCUMENTS)
        )
        themes = Node.objects.bulk_create(
            Node(
                round=round,
                parent=document,
                kind=Node.Kind.THEME,
                code=f"{document.code}t{t}",
                order=t,
                text_fi=f"Teema {document.code}t{t}",
                text_sv=f"Tema {document.code}t{t}",
                label_fi=f"teema {document.code}t{t}",
                label_sv=f"tema {document.code}t{t}",
                summary_row=True,
                detail_page=True,
            )
            for document in documents
            for t in range(THEMES)
        )
        goals = Node.objects.bulk_create(
            Node(
                round=round,
                parent=theme,
                kind=Node.Kind.GOAL,
                code=f"{theme.code}g{g}",
                order=g,
                text_fi=f"Tavoite {theme.code}g{g}: yhteistyö kuntien kanssa on toimivaa ja tavoitteellista.",
                text_sv=f"Mål {theme.code}g{g}: samarbetet med kommunerna fungerar och är målinriktat.",
            )
            for theme in themes
            for g in range(GOALS)
        )

        municipalities = Municipality.objects.bulk_create(
            Municipality(code=code, name_fi=f"Kunta {code}", name_sv=f"Kommun {code}", language="fi") for code in codes
        )
        invitations = Invitation.objects.bulk_create(
            Invitation(round=round, municipality=municipality, order=index)
            for index, municipality in enumerate(municipalities)
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
        weights = {goal.pk: [randomness.random() + 0.2 for _ in range(5)] for goal in goals}
        choices = [1, 2, 3, 4, 5]
        batch = []
        for response in responses:
            for goal in goals:
                draw = randomness.random()
                if draw < 0.02:
                    continue
                value = None if draw < 0.07 else randomness.choices(choices, weights[goal.pk])[0]
                batch.append(Answer(response=response, node=goal, value=value))
            if len(batch) >= BATCH:
                Answer.objects.bulk_create(batch)
                batch = []
        Answer.objects.bulk_create(batch)
        for order, response in enumerate(responses[:3]):
            Excerpt.objects.create(round=round, response=response, text="Yhteistyö on edennyt - - hyvin.", order=order)
    return round


def best(runs: int, step):
    """The best time of `runs` runs (of one, when that alone takes over SLOW seconds), and the last result."""
    times = []
    while len(times) < runs and sum(times) < SLOW:
        started = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - started)
    return min(times), result


def measure(round, runs: int) -> None:
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from arvio.responses.models import Answer
    from arvio.results.formats import exporters
    from arvio.results.report import report_build
    from arvio.results.selectors import round_results

    submitted = Answer.objects.filter(response__invitation__round=round, response__submitted_at__isnull=False)
    print(
        f"{round.code}: {len(round.rated_goals())} rated goals, {round.invitations.count():,} invited, "
        f"{submitted.count():,} answers"
    )

    # The query of selectors.answer_counts(), without the ORM turning rows into a dict.
    grouped = submitted.values_list("node_id", "value").annotate(count=Count("id")).order_by()
    sql, params = grouped.query.sql_with_params()

    def bare_query():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    sql_floor, _ = best(runs, bare_query)
    rows = [("floor: the grouped SQL query", sql_floor, None, "")]

    def queries(run) -> int:
        with CaptureQueriesContext(connection) as captured:
            run()
        return len(captured)

    built = {}
    for name, run in (
        ("round_results", lambda: round_results(round)),
        ("report_build", lambda: report_build(round, language="fi")),
        ("report_build, with answers", lambda: report_build(round, language="fi", include_answers=True)),
    ):
        seconds, built[name] = best(runs, run)
        rows.append((name, seconds, sql_floor, f"{queries(run)} queries"))
    report, with_answers = built["report_build"], built["report_build, with answers"]

    deck = None
    for name, exporter in exporters().items():
        source = with_answers if exporter.needs_answers else report
        seconds, (_, _, content) = best(runs, lambda exporter=exporter, source=source: exporter.render(source))
        if name == "pptx":
            deck = seconds, content
            continue
        rows.append((name, seconds, sql_floor, f"{len(content):,} bytes"))
        if name == "csv":
            seconds, (_, _, content) = best(
                runs, lambda exporter=exporter: exporter.render(with_answers, table="answers")
            )
            rows.append(("csv, answers table", seconds, sql_floor, f"{len(content):,} bytes"))
    if deck is not None:
        seconds, content = deck
        shape = deck_shape(content)
        pptx_floor, _ = best(runs, lambda: constant_deck(shape))
        cells = sum(table_rows * columns for tables in shape for table_rows, columns in tables)
        rows.append((f"floor: python-pptx, {len(shape)} slides, {cells} cells", pptx_floor, None, ""))
        rows.append(("pptx", seconds, pptx_floor, f"{len(content):,} bytes"))

    print(f"{'step':44} {'seconds':>9} {'× floor':>8}")
    for name, seconds, floor, note in rows:
        ratio = f"{seconds / floor:8.1f}" if floor else f"{'':8}"
        print(f"{name:44} {seconds:9.4f} {ratio}  {note}")
    print()


def deck_shape(content: bytes) -> list[list[tuple[int, int]]]:
    """Per slide, the (rows, columns) of each table."""
    from pptx import Presentation

    return [
        [(len(shape.table.rows), len(shape.table.columns)) for shape in slide.shapes if shape.has_table]
        for slide in Presentation(io.BytesIO(content)).slides
    ]


def constant_deck(shape: list[list[tuple[int, int]]]) -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Inches(13.333), Inches(7.5)
    layout = presentation.slide_layouts[6]
    for tables in shape:
        slide = presentation.slides.add_slide(layout)
        for rows, columns in tables:
            table = slide.shapes.add_table(rows, columns, Inches(0.5), Inches(1), Inches(12), Inches(6)).table
            for row in table.rows:
                for cell in row.cells:
                    cell.text = "Tavoite 2,3"
    content = io.BytesIO()
    presentation.save(content)
    return content.getvalue()


if __name__ == "__main__":
    main()
