"""Peak memory of reading a 100,000-row responses file, CSV and XLSX, row by row (docs/performance.md).

    .venv/bin/python bench/imports.py [--rows 100000]

Writes each file in a temporary folder (40 columns: a municipality, 36 ratings, an open answer, a date
and a name), then reads it with the import's reader (`responses/imports.py`, `_read_rows`) and, for
comparison, into a list as the import did before. tracemalloc's peak counts what Python allocates;
the process's maximum resident size (ru_maxrss) is printed too. No database is used.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arvio.settings")

import django

django.setup()

import openpyxl  # noqa: E402
from django.conf import settings  # noqa: E402

from arvio.responses.imports import _read_rows  # noqa: E402

RATINGS = 36


def header() -> list[str]:
    return ["municipality", *[f"goal-{i}" for i in range(RATINGS)], "comment", "submitted_at", "submitted_by"]


def row(number: int) -> list:
    return [
        f"{number % 1000:03d}",
        *[(number + i) % 5 + 1 for i in range(RATINGS)],
        "Yhteistyö toimii hyvin.",
        "2024-12-03",
        "Kaisa",
    ]


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as file:
        file.write(",".join(header()) + "\n")
        for number in range(rows):
            file.write(",".join(str(cell) for cell in row(number)) + "\n")


def write_xlsx(path: Path, rows: int) -> None:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header())
    for number in range(rows):
        sheet.append(row(number))
    workbook.save(path)


def measure(label: str, read) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    count = read()
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  {label:<34} {count:>7} rows  peak {peak / 1024 / 1024:7.1f} MiB  {elapsed:6.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    settings.ARVIO_IMPORT_MAX_ROWS = args.rows
    settings.ARVIO_IMPORT_MAX_BYTES = 1 << 40
    settings.ARVIO_IMPORT_MAX_INFLATED_BYTES = 1 << 40
    with tempfile.TemporaryDirectory() as folder:
        for kind, write in (("csv", write_csv), ("xlsx", write_xlsx)):
            path = Path(folder) / f"responses.{kind}"
            write(path, args.rows)
            print(f"{kind}: {args.rows} rows, {path.stat().st_size / 1024 / 1024:.1f} MiB on disk")
            measure("streaming (the import's reader)", lambda path=path: sum(1 for _ in _read_rows(path)))
            measure("kept in a list (as before)", lambda path=path: len(list(_read_rows(path))))
    print(f"max resident size of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
