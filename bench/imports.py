"""Importing a responses file of many rows, CSV and XLSX, against the floor of reading it (docs/performance.md).

    .venv/bin/python bench/imports.py [--rows 100000] [--goals 36]                # SQLite in a temporary folder
    .venv/bin/python bench/imports.py --postgres URL [--rows 100000]             # an empty scratch database
    .venv/bin/python bench/imports.py --check-only --formats csv --repeat 5      # the floors and the check

Makes a round of --goals rated goals and one open question, invites --rows generated municipalities
(three-character codes; the file names each by its name, "Kunta 12345"), writes a file with one row
per municipality (a municipality, the ratings, an open answer, a date and a name), then measures,
each step in a process of its own so that its peak resident memory is its own:

- the floor: csv.reader over the CSV, and openpyxl's read-only mode over the XLSX, touching every cell;
- the invitations' floor: the round's invitations with their municipalities' codes and names read
  through a bare cursor, the least a check must read besides the file;
- the check (`responses_parse`): reading and checking every cell, nothing written, against reading the
  file and against reading the file and the invitations;
- the write's floor: the same responses, answers and comments written as plain tuples through the
  bare driver (COPY on PostgreSQL, executemany on SQLite), no checks, rolled back;
- the write (`responses_write`) alone, after an untimed check, against the write's floor;
- the whole import (`responses_import`): the check, then the bulk write in one transaction (rolled
  back afterwards, so that each format starts from the same empty round), against both floors added.

With --repeat N the floors of reading and the check (steps of a second or two, where one run can
land in a slow moment of a shared machine) each run N times, and the fastest run of each is compared.
Memory is the growth of the process's peak resident size during the step (ru_maxrss less the size
the step started with). Each step also prints its own process's CPU time (SQLite's work included,
PostgreSQL's server's not) and the load average as it ended. No test runs this.
"""

import argparse
import csv
import itertools
import os
import platform
import resource
import string
import sys
import tempfile
import time
from datetime import date
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

ROUND_CODE = "bench-import"


def codes(count: int) -> list[str]:
    """Three characters, not all digits (never one of Statistics Finland's codes), and different in lower
    case too, as the import looks a code up (so no two municipalities share a key)."""
    alphabet = string.ascii_lowercase + string.digits + "åäöæøéèüõñç"
    chosen = ("".join(chars) for chars in itertools.product(alphabet, repeat=3))
    return list(itertools.islice((code for code in chosen if not code.isdigit()), count))


def header(goals: int) -> list[str]:
    return ["municipality", *[f"goal-{i}" for i in range(goals)], "comment", "submitted_at", "submitted_by"]


def row(number: int, goals: int) -> list:
    return [
        f"Kunta {number}",
        *[("EOS" if (number + i) % 20 == 0 else (number + i) % 5 + 1) for i in range(goals)],
        "Yhteistyö toimii hyvin.",
        "2024-12-03",
        "Kaisa",
    ]


def write_csv(path: Path, rows: int, goals: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header(goals))
        for number in range(rows):
            writer.writerow(row(number, goals))


def write_xlsx(path: Path, rows: int, goals: int) -> None:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header(goals))
    for number in range(rows):
        sheet.append(row(number, goals))
    workbook.save(path)


def generate(rows: int, goals: int):
    from arvio.invitations.models import Invitation
    from arvio.surveys.models import Municipality, Node, Organizer, Question, Round, ScaleOption

    organizer, _ = Organizer.objects.get_or_create(code="bench", defaults={"name_fi": "Bench"})
    round = Round.objects.create(
        organizer=organizer,
        code=ROUND_CODE,
        title_fi="Tuontikysely",
        opens_on=date(2024, 11, 1),
        closes_on=date(2024, 12, 31),
    )
    for value in range(1, 6):
        ScaleOption.objects.create(round=round, value=value, label_fi=str(value))
    document = Node.objects.create(round=round, kind=Node.Kind.DOCUMENT, code="asiakirja", order=0, text_fi="Asiakirja")
    Node.objects.bulk_create(
        Node(round=round, parent=document, kind=Node.Kind.GOAL, code=f"goal-{i}", order=i, text_fi=f"Tavoite {i}")
        for i in range(goals)
    )
    Question.objects.create(round=round, code="comment", order=1, text_fi="Muuta")
    municipalities = Municipality.objects.bulk_create(
        (
            Municipality(code=code, name_fi=f"Kunta {number}", name_sv=f"Kommun {number}", language="fi")
            for number, code in enumerate(codes(rows))
        ),
        batch_size=5000,
    )
    Invitation.objects.bulk_create(
        (Invitation(round=round, municipality=m, order=i) for i, m in enumerate(municipalities)), batch_size=5000
    )
    return round


def _resident_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def _in_child(step, args, queue):
    import django
    from django.db import connections

    django.setup()
    connections.close_all()
    started_at = _resident_mib()
    started, cpu = time.perf_counter(), time.process_time()
    detail = step(*args)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    if isinstance(detail, tuple):  # the step timed its own part
        detail, elapsed, cpu = detail
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((elapsed, peak - started_at, f"{detail}; {cpu:.2f} s CPU, load {os.getloadavg()[0]:.1f}"))


def measure(step, *args, fastest: int = 1):
    """Runs `step(*args)` in a forked process: (seconds, peak resident growth in MiB, what it returned);
    with `fastest`, that many times, each in a process of its own, giving the fastest run."""
    from django.db import connections

    runs = []
    for _ in range(fastest):
        connections.close_all()
        context = get_context("fork")
        queue = context.Queue()
        process = context.Process(target=_in_child, args=(step, args, queue))
        process.start()
        runs.append(queue.get())
        process.join()
    seconds, memory, detail = min(runs)
    if fastest > 1:
        detail += f"; fastest of {fastest}: {' '.join(f'{run[0]:.2f}' for run in runs)} s"
    return seconds, memory, detail


def floor_csv(path: Path):
    cells = 0
    with path.open(encoding="utf-8-sig", newline="") as file:
        for cells_of_row in csv.reader(file):
            cells += len(cells_of_row)
    return f"{cells:,} cells"


def floor_xlsx(path: Path):
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    cells = 0
    for row_of_cells in workbook.worksheets[0].iter_rows():
        cells += len([cell.value for cell in row_of_cells])
    workbook.close()
    return f"{cells:,} cells"


def floor_invitations(path: Path):
    """The check's other floor: the round's invitations with their municipalities' codes and names, the
    least a check must read to know who a row may name, through a bare cursor."""
    from django.db import connection

    from arvio.surveys.models import Round

    round_id = Round.objects.values_list("pk", flat=True).get(code=ROUND_CODE)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.id, m.code, m.name_fi, m.name_sv, m.name_en FROM invitations_invitation i "
            "JOIN surveys_municipality m ON m.id = i.municipality_id WHERE i.round_id = %s",
            [round_id],
        )
        rows = cursor.fetchall()
    return f"{len(rows):,} invitations read"


def check(path: Path):
    from arvio.responses.imports import responses_parse
    from arvio.surveys.models import Round

    parsed = responses_parse(round=Round.objects.get(code=ROUND_CODE), path=path)
    return f"{parsed.count:,} rows checked"


class _RolledBack(Exception):
    pass


def import_all(path: Path):
    from django.db import connection, transaction

    from arvio.responses.imports import responses_import
    from arvio.surveys.models import Round

    try:
        with transaction.atomic():
            result = responses_import(round=Round.objects.get(code=ROUND_CODE), path=path)
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM responses_answer")
                answers = cursor.fetchone()[0]
            raise _RolledBack(f"{result.count:,} responses, {answers:,} answers written")
    except _RolledBack as done:
        return str(done)


def _bulk(cursor, table: str, columns: tuple[str, ...], rows) -> None:
    """Plain tuples into a table, no checks: COPY on PostgreSQL, executemany batches on SQLite."""
    from django.db import connection

    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for values in rows:
                copy.write_row(values)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    rows = iter(rows)
    while batch := list(itertools.islice(rows, 50_000)):
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", batch)


def floor_write(path: Path):
    """The write's floor: the same responses, answers and comments the import writes, as plain tuples
    from constants through the bare driver (COPY / executemany) in one transaction, no checks, no
    audit entries; rolled back afterwards."""
    import json

    from django.db import connection, transaction

    from arvio.surveys.models import Round

    round = Round.objects.get(code=ROUND_CODE)
    invitations = list(round.invitations.order_by("order").values_list("pk", flat=True))
    goals = list(round.nodes.filter(code__startswith="goal-").order_by("order").values_list("pk", flat=True))
    question = round.questions.get().pk
    draft = json.dumps({"ratings": {}, "comments": {}})
    submitted = "2024-12-03 12:00:00+02:00"
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            _bulk(
                cursor,
                "responses_response",
                (
                    "invitation_id",
                    "draft",
                    "version",
                    "submitted_at",
                    "submitted_by",
                    "submitted_version",
                    "submission_count",
                    "source",
                ),
                ((pk, draft, 1, submitted, "Kaisa", 1, 1, "import") for pk in invitations),
            )
            cursor.execute(
                "SELECT r.id FROM responses_response r JOIN invitations_invitation i ON i.id = r.invitation_id "
                'WHERE i.round_id = %s ORDER BY i."order"',
                [round.pk],
            )
            responses = [pk for (pk,) in cursor.fetchall()]
            _bulk(
                cursor,
                "responses_answer",
                ("response_id", "node_id", "value"),
                (
                    (response, goal, None if (number + i) % 20 == 0 else (number + i) % 5 + 1)
                    for number, response in enumerate(responses)
                    for i, goal in enumerate(goals)
                ),
            )
            _bulk(
                cursor,
                "responses_comment",
                ("response_id", "question_id", "text"),
                ((response, question, "Yhteistyö toimii hyvin.") for response in responses),
            )
            cursor.execute("SELECT COUNT(*) FROM responses_answer")
            answers = cursor.fetchone()[0]
            raise _RolledBack(f"{len(responses):,} responses, {answers:,} answers written")
    except _RolledBack as done:
        return str(done)


def write_only(path: Path):
    """responses_write alone, timed after the check (which is untimed); rolled back afterwards."""
    from django.db import transaction

    from arvio.responses.imports import responses_parse, responses_write
    from arvio.surveys.models import Round

    parsed = responses_parse(round=Round.objects.get(code=ROUND_CODE), path=path)
    started, cpu = time.perf_counter(), time.process_time()
    try:
        with transaction.atomic():
            result = responses_write(parsed=parsed)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            raise _RolledBack(f"{result.count:,} responses written")
    except _RolledBack as done:
        return str(done), seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--goals", type=int, default=36)
    parser.add_argument("--postgres", metavar="URL", help="run on this empty PostgreSQL database (its tables are made)")
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--check-only", action="store_true", help="the floors of reading and the check, no writes")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run the floors of reading and the check this many times, the fastest kept",
    )
    arguments = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    os.environ["DATABASE_URL"] = arguments.postgres or f"sqlite:///{folder.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arvio.settings")
    os.environ["ARVIO_IMPORT_MAX_ROWS"] = str(arguments.rows)
    os.environ["ARVIO_IMPORT_MAX_BYTES"] = str(1 << 40)
    os.environ["ARVIO_IMPORT_MAX_INFLATED_BYTES"] = str(1 << 40)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ARVIO_IMPORT_MAX_ROWS = arguments.rows
    settings.ARVIO_IMPORT_MAX_BYTES = 1 << 40
    settings.ARVIO_IMPORT_MAX_INFLATED_BYTES = 1 << 40
    call_command("migrate", verbosity=0)
    # Loaded before the steps fork, as a server has them loaded: no step pays for importing its code.
    import openpyxl  # noqa: F401

    import arvio.responses.imports  # noqa: F401

    started = time.perf_counter()
    generate(arguments.rows, arguments.goals)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    print(f"{platform.python_version()}, {connection.vendor} {version.split(' on ')[0]}, nproc {os.cpu_count()}")
    print(f"round: {arguments.goals} rated goals, {arguments.rows:,} invited ({time.perf_counter() - started:.1f} s)")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for kind in arguments.formats.split(","):
        path = Path(folder.name) / f"responses.{kind}"
        (write_csv if kind == "csv" else write_xlsx)(path, arguments.rows, arguments.goals)
        print(f"\n{kind}: {arguments.rows:,} rows, {path.stat().st_size / 1024 / 1024:.1f} MiB")
        print(f"  {'step':<34} {'s':>8} {'× floor':>8} {'peak MiB':>9}  what")
        fastest = arguments.repeat
        floor_seconds, floor_memory, detail = measure(floor_csv if kind == "csv" else floor_xlsx, path, fastest=fastest)
        label = "floor: csv.reader" if kind == "csv" else "floor: openpyxl read-only"
        print(f"  {label:<34} {floor_seconds:8.2f} {'':>8} {floor_memory:9.1f}  {detail}")
        invitations_floor, memory, detail = measure(floor_invitations, path, fastest=fastest)
        print(f"  {'floor: the invitations read':<34} {invitations_floor:8.2f} {'':>8} {memory:9.1f}  {detail}")
        seconds, memory, detail = measure(check, path, fastest=fastest)
        print(
            f"  {'check (responses_parse)':<34} {seconds:8.2f} {seconds / floor_seconds:8.1f} {memory:9.1f}  {detail}"
        )
        print(f"  {'  × reading and the invitations':<34} {'':>8} {seconds / (floor_seconds + invitations_floor):8.1f}")
        if arguments.check_only:
            continue
        write_floor, memory, detail = measure(floor_write, path)
        print(f"  {'floor: bare write, no checks':<34} {write_floor:8.2f} {'':>8} {memory:9.1f}  {detail}")
        seconds, memory, detail = measure(write_only, path)
        print(f"  {'write (responses_write)':<34} {seconds:8.2f} {seconds / write_floor:8.1f} {memory:9.1f}  {detail}")
        seconds, memory, detail = measure(import_all, path)
        both = floor_seconds + write_floor
        print(f"  {'import (check + write)':<34} {seconds:8.2f} {seconds / both:8.1f} {memory:9.1f}  {detail}")
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
