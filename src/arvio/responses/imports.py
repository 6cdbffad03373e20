"""Importing the answers of a round run in another form tool (docs/responses-format.md).

Two steps, so that a page can show what a file would do before it is confirmed:

- `responses_parse(round=, path=, replace=)` reads the file row by row and checks every cell; it
  writes nothing and returns a `ParsedImport`, or raises ResponsesFileError listing every problem.
- `responses_write(parsed=)` writes a `ParsedImport` in one transaction, in bulk, a batch of
  invitations at a time, each batch locked as the answer form locks one.

`responses_import` does both. A file with any problem changes nothing, and its every problem is
listed at once.
"""

import csv
import gc
import operator
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property
from itertools import compress, count, islice, repeat
from pathlib import Path
from typing import NamedTuple
from zipfile import BadZipFile, ZipFile

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arvio.invitations.models import Invitation
from arvio.lib.bulk import insert_rows, tables_analyze
from arvio.lib.dates import HELSINKI, end_of_day
from arvio.lib.text import UNSTORABLE, ascii_int, text_problem
from arvio.records.models import AuditEntry
from arvio.records.services import audit_entry, record_many
from arvio.responses.models import Answer, Comment, Response
from arvio.responses.services import SUBMISSION_FIELDS, submission_rows
from arvio.surveys.models import Node, Question, Round

MUNICIPALITY_COLUMNS = ("municipality", "kunta")
SUBMITTED_AT, SUBMITTED_BY = "submitted_at", "submitted_by"
# "Can't say" as the form tools and people write it; the round's own label is accepted too.
DONT_KNOW_WORDS = {"eos", "en osaa sanoa", "kan inte säga"}
# A rating in ASCII digits, with an optional decimal part ("3,0"): never "٣", "５" or "³".
RATING = re.compile(r"([0-9]+)(?:[.,]([0-9]+))?", re.ASCII)
# A file with more problems than this lists the first ones and counts the rest.
MAX_LISTED_PROBLEMS = 1000
# A date without a time counts as submitted at noon, Helsinki time: safely inside that day.
NOON = time(12, 0)
# Rows read and checked per batch: a batch whose every row is as files are made of is checked a column at a
# time (_Parser.whole_batch), and holds this many rows of text at once.
READ_BATCH = 2000
# Invitations written per batch: each batch is locked, read and written with a constant number of queries.
WRITE_BATCH = 1000
# An import of this many rows or more brings PostgreSQL's statistics of the tables it wrote up to date
# (lib/bulk.tables_analyze), so that the queries after it are not planned for the tables as they were before.
ANALYZE_AFTER_ROWS = 1000
# A goal left blank on a row (None is "can't say").
_BLANK = -1


class ResponsesFileError(Exception):
    """A responses file that cannot be imported; `errors` holds one line per problem."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class ImportResult:
    """What an import wrote: the municipalities (codes) whose responses were created or replaced."""

    created: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.created) + len(self.replaced)


class Invitee(NamedTuple):
    """An invitation of the round as the importer needs it: a tuple, not a model object, so that a round
    of 100,000 municipalities fits in memory."""

    pk: int
    code: str
    name: str
    deadline_extended_to: date | None
    submitted: bool

    def __str__(self):
        return f"{self.name} ({self.code})"


class ImportRow(NamedTuple):
    """One row that will be written. `ratings` follows `ParsedImport.goals` (None: can't say, -1: blank);
    `comments` follows `ParsedImport.questions` ("" for none)."""

    number: int
    invitee: Invitee
    ratings: tuple
    comments: tuple
    submitted_at: datetime
    submitted_by: str


@dataclass
class ParsedImport:
    """A checked responses file, ready to write: what `responses_parse` returns."""

    round: Round
    replace: bool
    goals: list[Node]
    questions: list[Question]
    rows: list[ImportRow]

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def replacing(self) -> list[Invitee]:
        """The municipalities whose submitted responses the import would overwrite."""
        return [row.invitee for row in self.rows if row.invitee.submitted]


@dataclass(frozen=True)
class PreviewRow:
    """What an import would store for one municipality (`responses_preview`)."""

    row: int
    code: str
    name: str
    submitted_by: str
    submitted_at: datetime
    ratings: int
    dont_know: int
    open_answers: int
    replaces: bool


def responses_import(*, round: Round, path: Path, replace: bool = False, by=None) -> ImportResult:
    """Writes one submitted response per row of a CSV or XLSX file, for the municipality it names.

    A municipality that has already submitted is refused unless `replace`; then its response is
    overwritten. Raises ResponsesFileError listing every problem; nothing is written then.
    `by`: the staff member who uploaded the file (staff/responses_upload.py), recorded with each response.
    """
    return responses_write(parsed=responses_parse(round=round, path=path, replace=replace), by=by)


def responses_preview(*, round: Round, path: Path, replace: bool = False) -> list[PreviewRow]:
    """What `responses_import` would write from the file, per municipality, writing nothing; raises
    ResponsesFileError for the same problems it would."""
    return [
        PreviewRow(
            row=row.number,
            code=row.invitee.code,
            name=row.invitee.name,
            submitted_by=row.submitted_by,
            submitted_at=row.submitted_at,
            ratings=sum(value is not None and value != _BLANK for value in row.ratings),
            dont_know=sum(value is None for value in row.ratings),
            open_answers=sum(bool(text) for text in row.comments),
            replaces=row.invitee.submitted,
        )
        for row in responses_parse(round=round, path=path, replace=replace).rows
    ]


def responses_parse(*, round: Round, path: Path, replace: bool = False) -> ParsedImport:
    """Reads and checks the whole file, a batch of rows at a time (docs/performance.md), writing nothing;
    raises ResponsesFileError listing every problem. Only the rows that will be written are kept."""
    # The check makes a few tuples a row and frees none of them until it ends: the cyclic collector's
    # passes over them cost a third of its time at 100,000 rows (docs/performance.md).
    with _collector_paused():
        parser = _Parser(round, replace)
        parsed, errors = parser.parse(_read_rows(Path(path)))
    if errors:
        raise ResponsesFileError(errors)
    return ParsedImport(
        round=round, replace=replace, goals=parser.goal_list, questions=parser.question_list, rows=parsed
    )


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector paused while the block runs (reference counting still frees).

    What the block made and kept is then moved to the collector's oldest generation without a pass over
    it (gc.freeze and gc.unfreeze, each a move of a list): the first young collection afterwards would
    otherwise walk every tuple of the check, a tenth of a second at 100,000 rows, only to find them all
    alive. They are walked with the rest of the heap at the next full collection (and a cycle the check
    left as garbage waits for it too). Not where something else has frozen objects (a server that forks
    may), which unfreeze would undo."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


# Reading the file into rows of text


def _read_rows(path: Path) -> Iterator[tuple[Sequence[int], list]]:
    """The file's rows a batch at a time (READ_BATCH): (the rows' numbers as a spreadsheet shows them, the
    rows' cells as text).

    A row the reader cannot take whole comes in a batch of its own as ([row number], [the problem]): the
    file is refused, but the rows read before it are still checked, so that their problems are listed too.
    """
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ResponsesFileError([_("the file must be a .csv or .xlsx file, not {name}").format(name=path.name)])
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ResponsesFileError(
            [_("{path}: cannot read the file ({reason})").format(path=path, reason=error.strerror)]
        ) from None
    limit = settings.ARVIO_IMPORT_MAX_BYTES
    if size > limit:
        raise ResponsesFileError(
            [
                _("the file is {size} MB; at most {limit} MB can be imported (ARVIO_IMPORT_MAX_BYTES)").format(
                    size=_megabytes(size), limit=_megabytes(limit)
                )
            ]
        )
    batches = _read_csv(path) if suffix == ".csv" else _batched(_read_xlsx(path))
    # The header row and up to max_rows responses.
    last = settings.ARVIO_IMPORT_MAX_ROWS + 1
    for numbers, rows in batches:
        if numbers[-1] > last:
            kept = sum(number <= last for number in numbers)
            if kept:
                yield numbers[:kept], rows[:kept]
            yield (
                [numbers[kept]],
                [
                    _(
                        "the file has more than {limit} rows of responses; at most {limit} can be imported "
                        "(ARVIO_IMPORT_MAX_ROWS)"
                    ).format(limit=last - 1)
                ],
            )
            return
        yield numbers, rows


def _batched(rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[list[int], list]]:
    while batch := list(islice(rows, READ_BATCH)):
        numbers, cells = zip(*batch, strict=True)
        yield list(numbers), list(cells)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".")


def _read_csv(path: Path) -> Iterator[tuple[Sequence[int], list]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            header = file.readline()
            # Spreadsheets in Finnish and Swedish write CSV with semicolons; codes never hold either.
            delimiter = ";" if header.count(";") > header.count(",") else ","
            file.seek(0)
            reader = csv.reader(file, delimiter=delimiter)
            number = 0
            while True:
                rows: list = []
                problem = None
                try:
                    # extend() keeps the rows read before a row the reader cannot take.
                    rows.extend(islice(reader, READ_BATCH))
                except csv.Error as error:
                    problem = (reader.line_num, _("the CSV cannot be read ({reason})").format(reason=error))
                except UnicodeDecodeError:
                    problem = (number + len(rows) + 1, _("the file is not UTF-8 text; save it as CSV UTF-8"))
                if rows:
                    yield range(number + 1, number + 1 + len(rows)), rows
                    number += len(rows)
                if problem is not None:
                    yield [problem[0]], [problem[1]]
                    return
                if not rows:
                    return
    except UnicodeDecodeError:
        raise ResponsesFileError([_("the file is not UTF-8 text; save it as CSV UTF-8")]) from None
    except OSError as error:
        raise ResponsesFileError(
            [_("{path}: cannot read the file ({reason})").format(path=path, reason=error.strerror)]
        ) from None


def _read_xlsx(path: Path) -> Iterator[tuple[int, list[str] | str]]:
    import openpyxl

    _check_inflation(path)
    try:
        # Not data_only: a formula must be seen as one, not read as its cached value (or as blank).
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (BadZipFile, KeyError, ValueError, OSError):
        raise ResponsesFileError([_("the file is not an Excel workbook (.xlsx)")]) from None
    try:
        sheet = workbook.worksheets[0]
        # Row numbers as the sheet names them: a sheet whose first rows are empty starts lower down.
        for number, row in enumerate(sheet.iter_rows(), start=1):
            number = next((cell.row for cell in row if getattr(cell, "row", None)), number)
            yield number, [_cell_text(cell) for cell in row]
    except (BadZipFile, KeyError, ValueError, OSError, EOFError):
        raise ResponsesFileError([_("the file is not an Excel workbook (.xlsx)")]) from None
    finally:
        workbook.close()


def _check_inflation(path: Path) -> None:
    """Refuses a workbook whose parts would inflate to more than the limit (a zip bomb), before inflating them.

    The sizes are those the zip declares; Python's zipfile stops reading a part at its declared size and
    fails its checksum, so a part cannot inflate beyond what it declares.
    """
    try:
        with ZipFile(path) as archive:
            members = archive.infolist()
    except (BadZipFile, OSError, ValueError):
        raise ResponsesFileError([_("the file is not an Excel workbook (.xlsx)")]) from None
    total = sum(member.file_size for member in members)
    ratio = max(
        (member.file_size / max(member.compress_size, 1) for member in members if member.file_size > 1024 * 1024),
        default=0,
    )
    if total > settings.ARVIO_IMPORT_MAX_INFLATED_BYTES or ratio > settings.ARVIO_IMPORT_MAX_COMPRESSION_RATIO:
        raise ResponsesFileError(
            [
                _(
                    "the workbook would unpack to {size} MB, too much for a responses file; "
                    "save only the responses' sheet, without images or other sheets"
                ).format(size=_megabytes(total))
            ]
        )


def _cell_name(index: int, row: int) -> str:
    """The cell's name as a spreadsheet shows it: C3."""
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(index + 1)}{row}"


def _cell_problem(cell: str, name: str = "") -> str:
    where = _("the cell {cell}").format(cell=name) if name else _("the cell")
    if isinstance(cell, FormulaCell):
        return _("{where} holds a formula ({formula}), not a value; write the value itself").format(
            where=where, formula=str(cell)
        )
    return _("{where} holds a spreadsheet error ({error}), not a value").format(where=where, error=str(cell))


class FormulaCell(str):
    """A cell holding a formula: its text is the formula; the parser refuses it with its place."""


class ErrorCell(str):
    """A cell holding a spreadsheet error such as #DIV/0!."""


def _cell_text(cell) -> str:
    value = getattr(cell, "value", None)
    data_type = getattr(cell, "data_type", None)
    if data_type == "f" or (isinstance(value, str) and data_type != "s" and value.startswith("=")):
        formula = value if isinstance(value, str) else str(value)
        return FormulaCell(formula if formula.startswith("=") else f"={formula}")
    if data_type == "e":
        error = str(value)
        return ErrorCell(error if error.startswith("#") else f"#{error}")
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != time(0, 0) else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# Checking


class _Parser:
    def __init__(self, round: Round, replace: bool):
        self.round = round
        self.replace = replace
        self.errors: list[str] = []
        tree = round.tree()
        self.goals = {node.code: node for node in tree}
        self.questions = {question.code: question for question in round.questions.all()}
        self.scale = sorted(option.value for option in round.scale.all())
        self.dont_know = DONT_KNOW_WORDS | {
            _words(round.tr("dont_know_label", language)) for language in ("fi", "sv", "en")
        } - {""}
        # The goals and questions of the file, in the order of its columns: each row's values follow them.
        self.goal_list: list[Node] = []
        self.question_list: list[Question] = []
        self.invitations = _Invited(round)
        self.deadlines: dict[date | None, datetime] = {}
        self.moments: dict[str, datetime | None] = {}
        self.ratings_read: dict[str, tuple[int | None, str | None]] = {}

    def error(self, number: int, column: str | None, message: str):
        self.problem_count += 1
        if len(self.errors) >= MAX_LISTED_PROBLEMS:
            return
        if column is None:
            self.errors.append(_("row {row}: {message}").format(row=number, message=message))
        else:
            self.errors.append(
                _('row {row}, column "{column}": {message}').format(row=number, column=column, message=message)
            )

    def parse(self, batches) -> tuple[list[ImportRow], list[str]]:
        """Checks the rows a batch at a time as they are read; only those that will be written are kept."""
        self.problem_count = 0
        # One moment for the whole check: a row without a date counts as submitted at it (default_submitted_at).
        self.now = timezone.now()
        self.header = None
        self.unnamed_with_values: set[int] = set()
        parsed: list[ImportRow] = []
        seen: dict[int, int] = {}
        for numbers, rows in batches:
            if self.header is None:
                # The header is the first row that is not blank; the rest of its batch is read as any other.
                for at, (number, cells) in enumerate(zip(numbers, rows)):
                    if isinstance(cells, str):
                        self.error(number, None, cells)
                        return [], self.errors
                    if not _is_blank(cells):
                        self.read_header(number, cells)
                        numbers, rows = numbers[at + 1 :], rows[at + 1 :]
                        break
                else:
                    continue
            if not self.read_batch(numbers, rows, seen, parsed):
                break
        if self.header is None:
            return [], [_("the file is empty")]
        unnamed = [
            _('row {row}, column "{column}": {message}').format(
                row=self.header_row,
                column=_("column {number}").format(number=index + 1),
                message=_("the column has values but no name"),
            )
            for index in sorted(self.unnamed_with_values)
        ]
        self.problem_count += len(unnamed)
        self.errors[self.header_problems : self.header_problems] = unnamed
        del self.errors[MAX_LISTED_PROBLEMS:]
        if self.problem_count > len(self.errors):
            self.errors.append(
                _("… and {count} more problems not listed").format(count=self.problem_count - len(self.errors))
            )
        return parsed, self.errors

    def read_header(self, number: int, header: list[str]) -> None:
        self.header_row = number
        self.header = [name.strip() for name in header]
        self.columns = self.parse_header(header)
        self.header_problems = len(self.errors)
        self.width = len(self.header)
        self.unnamed_indexes = tuple(index for index, name in enumerate(self.header) if not name)
        # The ratings as files write them most ("3", "EOS"), each as parse_rating reads it.
        self.known_ratings = {str(value): value for value in self.scale}
        for word in self.dont_know:
            self.known_ratings.update(dict.fromkeys((word, word.upper(), word.capitalize()), None))
        # No key a formula or an error could be (they begin with "=" or "#", _cell_text): such a cell
        # is never taken for a rating by the lookup, whatever its text.
        self.known_cells = {
            text: value for text, value in {**self.known_ratings, "": _BLANK}.items() if not text.startswith(("=", "#"))
        }
        # The fast path (whole_batch) reads each kind of column by its indexes, in the header's order
        # (goal_list and question_list follow it); only for a header without problems.
        by_kind: dict[str, list[int]] = {}
        for index, kind in self.columns.items():
            by_kind.setdefault(kind[0], []).append(index)
        self.fast = not self.errors and bool(by_kind.get("goal"))
        if self.fast:
            self.goal_indexes = by_kind["goal"]
            self.question_indexes = by_kind.get("question", [])
            self.other_indexes = [index for index, kind in self.columns.items() if kind[0] != "goal"]
            (self.municipality_index,) = by_kind["municipality"]
            self.submitted_at_index = by_kind.get(SUBMITTED_AT, [None])[0]
            self.submitted_by_index = by_kind.get(SUBMITTED_BY, [None])[0]

    def read_batch(self, numbers: Sequence[int], rows: list, seen, parsed: list[ImportRow]) -> bool:
        """A batch of rows after the header, into parsed, in the file's order: whole (whole_batch) but for the
        rows whole_batch would not take, each of which is read cell by cell (read_cells) between the runs
        of rows before and after it, those runs whole again. False when a row the reader could not take
        ends the file."""
        if not self.fast:
            return self.read_cells(numbers, rows, seen, parsed)
        if not rows:
            return True
        taken, refused = self.whole_batch(numbers, rows, seen)
        if not refused:
            parsed.extend(taken)
            return True
        start = 0
        for at in refused:
            # The run before the refused row is taken whole unless a refused row read cell by cell in it
            # saw one of its municipalities first: then that row is refused too, in a shorter run.
            if not (
                self.read_batch(numbers[start:at], rows[start:at], seen, parsed)
                and self.read_cells(numbers[at : at + 1], rows[at : at + 1], seen, parsed)
            ):
                return False
            start = at + 1
        return self.read_batch(numbers[start:], rows[start:], seen, parsed)

    def read_cells(self, numbers: Sequence[int], rows: list, seen, parsed: list[ImportRow]) -> bool:
        """Rows cell by cell (parse_row), blank ones skipped; False at a row the reader could not take."""
        for number, cells in zip(numbers, rows, strict=True):
            if isinstance(cells, str):
                self.error(number, None, cells)
                return False
            if not _is_blank(cells):
                row = self.parse_row(number, self.fitted(cells), self.columns, seen)
                if row is not None:
                    parsed.append(row)
        return True

    def fitted(self, cells: list[str]) -> list[str]:
        """The row padded (or cut) to the header's width, noting the columns without a name that hold a
        value (reported once, at the header): a row's named cells are checked by the caller."""
        if len(cells) == self.width and not self.unnamed_indexes:
            return cells
        self.unnamed_with_values.update(
            index
            for index in (*self.unnamed_indexes, *range(self.width, len(cells)))
            if index < len(cells) and cells[index].strip()
        )
        return cells[: self.width] + [""] * (self.width - len(cells))

    def parse_header(self, header: list[str]) -> dict:
        """What each column holds, by its index: ("municipality",), ("goal", node), ("question", question),
        ("submitted_at",) or ("submitted_by",). Columns that hold nothing of the round are left out."""
        columns = {}
        names = {}
        for index, raw in enumerate(header):
            name = raw.strip().lower()
            if isinstance(raw, FormulaCell | ErrorCell):
                self.error(self.header_row, _cell_name(index, self.header_row), _cell_problem(raw))
                continue
            if not name:
                continue
            if name in names:
                self.error(self.header_row, name, _("the column appears twice"))
                continue
            names[name] = index
            if name in MUNICIPALITY_COLUMNS:
                if "municipality" in {kind[0] for kind in columns.values()}:
                    self.error(self.header_row, name, _("the municipality is given in two columns"))
                columns[index] = ("municipality",)
            elif name in (SUBMITTED_AT, SUBMITTED_BY):
                columns[index] = (name,)
            elif name in self.questions:
                columns[index] = ("question", self.questions[name], len(self.question_list))
                self.question_list.append(self.questions[name])
            elif name in self.goals:
                node = self.goals[name]
                if not node.is_rated:
                    self.error(
                        self.header_row,
                        name,
                        _("{code} has sub-goals; its value is derived from them, not rated").format(
                            code=f'"{node.code}"'
                        ),
                    )
                columns[index] = ("goal", node, len(self.goal_list))
                self.goal_list.append(node)
            else:
                self.error(
                    self.header_row,
                    name,
                    _("is not a rated goal or an open question of the round {round}").format(round=self.round.code),
                )
        if "municipality" not in {kind[0] for kind in columns.values()}:
            self.error(self.header_row, None, _('there is no "municipality" column'))
        for code, node in self.goals.items():
            if node.is_rated and code not in names:
                self.error(self.header_row, None, _('the rated goal "{code}" has no column').format(code=code))
        for code in self.questions:
            if code not in names:
                self.error(self.header_row, None, _('the open question "{code}" has no column').format(code=code))
        return columns

    def whole_batch(self, numbers: Sequence[int], rows: list, seen) -> tuple[list[ImportRow], list[int]]:
        """The fast path, for rows as files are made of, a batch at a time: (the rows read, []), or, if some
        rows are not such, ([], the indexes of those rows, in order), having changed nothing but what
        fitted notes. A row is taken if every cell is plain text, every goal cell a rating (as files write
        most, "3", "EOS" or blank, looked up; any other read once, ratings_of), no other cell holds a
        character text_problem refuses, its municipality is
        invited, not yet seen (nor on an earlier row of the batch) and not submitted unless replacing, its
        date is readable and its name short enough; it is then read as parse_row would read it. Each check
        is made a column at a time at C speed (each column's cells looked up through map, their distinct
        dates read once); a row the checks refuse (blank, or a problem of the reader, too) is read cell by
        cell, which names its problems: no check is skipped, only the order of the work."""
        refused: set[int] = set(compress(count(), map(operator.is_not, map(type, rows), repeat(list))))
        if refused:  # a problem of the reader, in a batch of its own
            return [], sorted(refused)
        if self.unnamed_indexes or set(map(len, rows)) != {self.width}:
            rows = list(map(self.fitted, rows))
        columns = list(zip(*rows, strict=True))
        ratings = []
        for index in self.goal_indexes:
            values = tuple(map(self.known_cells.get, columns[index], repeat(_MISSING)))
            if _MISSING in values:
                values = self.ratings_of(columns[index], values)
                if _MISSING in values:
                    refused.update(compress(count(), map(operator.is_, values, repeat(_MISSING))))
            ratings.append(values)
        for index in self.other_indexes:
            column = columns[index]
            # A formula or an error cell (a str subclass) never takes the fast path.
            if set(map(type, column)) != {str}:
                refused.update(compress(count(), map(operator.is_not, map(type, column), repeat(str))))
            if UNSTORABLE.search("".join(column)) is not None:
                refused.update(compress(count(), map(UNSTORABLE.search, column)))
        cells = columns[self.municipality_index]
        keys = _words_all(cells)
        # _municipality_key is _words but for a code of one or two digits, which it pads; blank is none.
        for at in list(compress(count(), map((3).__gt__, map(len, keys)))):
            if keys[at]:
                keys[at] = _municipality_key(cells[at].strip())
            else:
                refused.add(at)
        invitees = self.invitations.get_all(keys)
        if None in invitees:
            refused.update(compress(count(), map(operator.is_, invitees, repeat(None))))
            invitees = [_NOBODY if invitee is None else invitee for invitee in invitees]
        pks = list(map(_PK, invitees))
        if len(set(pks)) != len(pks):  # a municipality's second row in the batch (or nobody's, refused above)
            first: dict[int | None, int] = {}
            refused.update(at for at, pk in enumerate(pks) if first.setdefault(pk, at) != at)
        if not seen.keys().isdisjoint(pks):
            refused.update(compress(count(), map(seen.__contains__, pks)))
        if not self.replace:
            refused.update(compress(count(), map(_SUBMITTED, invitees)))
        if self.submitted_at_index is None:
            submitted_at = [None] * len(rows)
        else:
            moments, unreadable = {}, set()
            for value in set(columns[self.submitted_at_index]):
                text = value.strip()
                moments[value] = self.moment(text) if text else None
                if text and moments[value] is None:
                    unreadable.add(value)
            if unreadable:
                refused.update(compress(count(), map(unreadable.__contains__, columns[self.submitted_at_index])))
            submitted_at = list(map(moments.__getitem__, columns[self.submitted_at_index]))
        if self.submitted_by_index is None:
            submitted_by = repeat("")
        else:
            submitted_by = list(map(str.strip, columns[self.submitted_by_index]))
            if max(map(len, submitted_by)) > 300:
                refused.update(compress(count(), map((300).__lt__, map(len, submitted_by))))
        if refused:
            return [], sorted(refused)
        if None in submitted_at:
            submitted_at = [
                moment if moment is not None else self.default_submitted_at(invitee)
                for moment, invitee in zip(submitted_at, invitees, strict=True)
            ]
        if self.question_indexes:
            comments = zip(*(map(str.strip, columns[index]) for index in self.question_indexes), strict=True)
        else:
            comments = repeat(())
        seen.update(zip(pks, numbers, strict=True))
        # ImportRow's own tuple.__new__, as NamedTuple._make calls it, without a Python call per row.
        taken = map(
            tuple.__new__,
            repeat(ImportRow),
            zip(numbers, invitees, zip(*ratings, strict=True), comments, submitted_at, submitted_by),
        )
        return list(taken), []

    def parse_row(self, number, cells, columns, seen) -> ImportRow | None:
        """A row cell by cell, in the columns' order, each problem reported with its row and column."""
        errors_before = len(self.errors)
        invitation, submitted_at, submitted_by = None, None, ""
        comments = [""] * len(self.question_list)
        known = self.known_ratings
        ratings = [_BLANK] * len(self.goal_list)
        for index, kind in columns.items():
            cell = cells[index]
            # Goal columns are most of the cells: a rating as files write it most is one lookup.
            if kind[0] == "goal" and type(cell) is str:
                value = cell.strip()
                if value:
                    rating = known.get(value, _BLANK)
                    if rating == _BLANK:
                        rating = self.parse_rating(number, self.header[index], value)
                    ratings[kind[2]] = rating
                continue
            value = cells[index].strip()
            column = self.header[index]
            if isinstance(cells[index], FormulaCell | ErrorCell):
                self.error(number, column, _cell_problem(cells[index], _cell_name(index, number)))
                continue
            if kind[0] in ("question", SUBMITTED_BY) and (problem := text_problem(value)) is not None:
                self.error(number, column, problem)
                continue
            if kind[0] == "municipality":
                invitation = self.parse_municipality(number, column, value, seen)
            elif kind[0] == "goal" and value:
                ratings[kind[2]] = self.parse_rating(number, column, value)
            elif kind[0] == "question" and value:
                comments[kind[2]] = value
            elif kind[0] == SUBMITTED_AT and value:
                submitted_at = self.parse_moment(number, column, value)
            elif kind[0] == SUBMITTED_BY:
                submitted_by = value
                if len(value) > 300:
                    self.error(number, column, _("must be at most 300 characters"))
        if len(self.errors) > errors_before or invitation is None:
            return None
        if submitted_at is None:
            submitted_at = self.default_submitted_at(invitation)
        return ImportRow(number, invitation, tuple(ratings), tuple(comments), submitted_at, submitted_by)

    def default_submitted_at(self, invitee: Invitee) -> datetime:
        """Without a date a response counts as submitted at its deadline's end (or now, if sooner)."""
        extended_to = invitee.deadline_extended_to
        if extended_to not in self.deadlines:
            # Invitation.deadline is the rule; an unsaved invitation asks it for each extension met.
            deadline = Invitation(round=self.round, deadline_extended_to=extended_to).deadline
            self.deadlines[extended_to] = end_of_day(deadline)
        return min(self.now, self.deadlines[extended_to])

    def parse_municipality(self, number, column, value, seen) -> Invitee | None:
        if not value:
            self.error(number, column, _("the municipality is missing"))
            return None
        invitation, sharing = self.invitations.find(_municipality_key(value))
        if sharing is not None:
            self.error(
                number,
                column,
                _(
                    '"{value}" is the name of more than one invited municipality ({municipalities}); give its code'
                ).format(value=value, municipalities=", ".join(sorted(map(_municipality, sharing)))),
            )
            return None
        if invitation is None:
            self.error(
                number,
                column,
                _('"{value}" is not invited to the round {round}').format(value=value, round=self.round.code),
            )
            return None
        if invitation.pk in seen:
            self.error(
                number,
                column,
                _("{municipality} appears twice (also on row {row})").format(
                    municipality=_municipality(invitation), row=seen[invitation.pk]
                ),
            )
            return None
        seen[invitation.pk] = number
        if invitation.submitted and not self.replace:
            self.error(number, column, _already_submitted(invitation))
            return None
        return invitation

    def parse_rating(self, number, column, value) -> int | None:
        """A value of the scale in ASCII digits ("3", or "3,0" / "3.0" as spreadsheets write it), or can't say."""
        rating, problem = self.read_rating(value)
        if problem is not None:
            self.error(number, column, problem)
        return rating

    def read_rating(self, value: str) -> tuple[int | None, str | None]:
        """(the rating a stripped cell holds, None) or (None, what is wrong with it); each value read once."""
        if value in self.ratings_read:
            return self.ratings_read[value]
        scale = f"{self.scale[0]}–{self.scale[-1]}" if self.scale else "–"
        if _words(value) in self.dont_know:
            read = None, None
        elif (match := RATING.fullmatch(value)) is None:
            read = None, _('"{value}" is not a number on the scale {scale} or EOS').format(value=value, scale=scale)
        else:
            whole, fraction = match.group(1).lstrip("0") or "0", match.group(2) or ""
            # A number longer than any scale value is off the scale; int() of it would only cost time.
            if fraction.strip("0") or len(whole) > 6 or int(whole) not in self.scale:
                read = None, _("{value} is not on the scale {scale}").format(value=value, scale=scale)
            else:
                read = int(whole), None
        self.ratings_read[value] = read
        return read

    def ratings_of(self, cells: Sequence[str], ratings: tuple) -> tuple:
        """The ratings of a goal column whose cells known_cells does not all know (_MISSING at those): each
        such cell read once as parse_row reads it ("3,0", " 4 ", "en osaa sanoa"), _MISSING where it
        has a problem or is not plain text."""
        more = {}
        for cell in set(compress(cells, map(operator.is_, ratings, repeat(_MISSING)))):
            text = cell.strip() if type(cell) is str else None
            if text == "":
                more[cell] = _BLANK
            elif text is not None:
                rating, problem = self.read_rating(text)
                more[cell] = _MISSING if problem is not None else rating
            else:
                more[cell] = _MISSING
        return tuple(map(more.get, cells, ratings))

    def moment(self, value: str) -> datetime | None:
        # Files repeat a few dates many times over; each is read once.
        if value not in self.moments:
            if len(self.moments) > 10_000:
                self.moments.clear()
            self.moments[value] = _parse_moment(value)
        return self.moments[value]

    def parse_moment(self, number, column, value) -> datetime | None:
        moment = self.moment(value)
        if moment is None:
            self.error(number, column, _('"{value}" is not a date like 2024-12-03 or 3.12.2024').format(value=value))
        return moment


_PK = operator.itemgetter(Invitee._fields.index("pk"))
# What whole_batch has for a row whose municipality is not found: it is refused, and no other row is it.
_NOBODY = Invitee(pk=None, code="", name="", deadline_extended_to=None, submitted=False)
# What whole_batch has for a goal cell that is not a rating as files write most.
_MISSING = object()
_SUBMITTED = operator.itemgetter(Invitee._fields.index("submitted"))


def _is_blank(cells: list[str]) -> bool:
    """A row of blank cells, which is skipped; joining them tests that at C speed, and a first cell that
    is not blank (the municipality, on most rows) spares even that."""
    return not ((cells and cells[0].strip()) or "".join(cells).strip())


class _Invited:
    """The round's invitations by the keys a file names them with, as _municipality_key makes them: a key
    of digits is a code, any other a name (a municipality's Finnish, Swedish or English name) or, where
    no name is it, a code of other characters (as tests and generated rounds make them). Codes and names
    are indexed apart, each a column at a time when first asked for: a round may invite 100,000, and a
    file that names them by name needs no index of codes.

    A name that more than one invited municipality has (one's Swedish name another's Finnish one) is in
    no index but apart (find): a row naming it is refused, not given to either, nor looked up further
    (docs/decisions.md). So the invitations are read in no order."""

    def __init__(self, round: Round):
        rows = list(
            round.invitations.order_by().values_list(
                "pk", "municipality__code", "municipality__name_fi", "municipality__name_sv", "municipality__name_en"
            )
        )
        if not rows:
            self.invitees, self.codes_written, self.names_written = [], (), ((), (), ())
            return
        pks, codes, names_fi, names_sv, names_en = zip(*rows, strict=True)
        del rows
        extended = dict(
            round.invitations.filter(deadline_extended_to__isnull=False).values_list("pk", "deadline_extended_to")
        )
        submitted = set(round.invitations.filter(response__submitted_at__isnull=False).values_list("pk", flat=True))
        self.invitees = list(
            map(
                tuple.__new__,
                repeat(Invitee),
                zip(pks, codes, names_fi, map(extended.get, pks), map(submitted.__contains__, pks), strict=True),
            )
        )
        self.codes_written, self.names_written = codes, (names_fi, names_sv, names_en)

    @cached_property
    def codes(self) -> tuple[dict[str, Invitee], dict[str, tuple[Invitee, ...]]]:
        """The invitations by code, and the codes more than one has (alike but for case)."""
        return _index(_words_all(self.codes_written), self.invitees)

    @cached_property
    def names(self) -> tuple[dict[str, Invitee], dict[str, tuple[Invitee, ...]]]:
        """The invitations by name, and the names more than one has."""
        names_fi, names_sv, names_en = self.names_written
        keys: list[str] = []
        owners: list[Invitee] = []
        # Each kind of name but the empty ones and those written as an earlier kind of the same
        # municipality (a Swedish or English name is most often the Finnish one).
        for names, kept in (
            (names_fi, names_fi),
            (names_sv, map(all, zip(names_sv, map(operator.ne, names_sv, names_fi)))),
            (
                names_en,
                map(all, zip(names_en, map(operator.ne, names_en, names_fi), map(operator.ne, names_en, names_sv))),
            ),
        ):
            kept = tuple(kept)
            keys += _words_all(tuple(compress(names, kept)))
            owners += compress(self.invitees, kept)
        return _index(keys, owners)

    def find(self, key: str) -> tuple[Invitee | None, tuple[Invitee, ...] | None]:
        """(the municipality of this key, the municipalities that share it), at most one of them: a key of
        digits is looked up among the codes, then the names, any other the other way round, and the first
        index to know the key, as one's or as shared, decides."""
        for kind in ("codes", "names") if key.isdigit() else ("names", "codes"):
            index, shared = getattr(self, kind)
            if key in shared:
                return None, shared[key]
            if (invitee := index.get(key)) is not None:
                return invitee, None
        return None, None

    def get(self, key: str) -> Invitee | None:
        return self.find(key)[0]

    def get_all(self, keys: list[str]) -> list[Invitee | None]:
        """[self.get(key) for key in keys], at C speed where the keys are all codes or all names and each
        is found in the first index it is looked up in."""
        is_code = list(map(str.isdigit, keys))
        if all(is_code):
            found = list(map(self.codes[0].get, keys))
        elif not any(is_code):
            found = list(map(self.names[0].get, keys))
        else:
            return list(map(self.get, keys))
        if None in found:
            return [invitee or self.get(key) for invitee, key in zip(found, keys, strict=True)]
        return found


def _index(keys: Sequence[str], owners: Sequence[Invitee]) -> tuple[dict[str, Invitee], dict[str, tuple[Invitee, ...]]]:
    """The owner of each key, and apart the keys of more than one owner with their owners."""
    index = dict(zip(keys, owners, strict=True))
    if len(index) == len(keys):
        return index, {}
    # Some key is had twice: by one municipality (names alike but for case or spacing), or by two.
    owned: dict[str, dict[Invitee, None]] = {}
    for key, owner in zip(keys, owners, strict=True):
        owned.setdefault(key, {})[owner] = None
    shared = {key: tuple(of) for key, of in owned.items() if len(of) > 1}
    for key in shared:
        del index[key]
    return index, shared


def _parse_moment(value: str) -> datetime | None:
    """2024-12-03 or 3.12.2024, optionally with a time (14:05 or 14.05); a date alone is noon."""
    match = re.fullmatch(
        r"(?:(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})|(?P<d2>\d{1,2})\.(?P<m2>\d{1,2})\.(?P<y2>\d{4}))"
        r"(?:[ T](?P<hh>\d{1,2})[:.](?P<mm>\d{2})(?:[:.]\d{2})?)?",
        value,
        re.ASCII,
    )
    if not match:
        return None
    parts = match.groupdict()
    try:
        day = date(int(parts["y"] or parts["y2"]), int(parts["m"] or parts["m2"]), int(parts["d"] or parts["d2"]))
        moment = time(int(parts["hh"]), int(parts["mm"])) if parts["hh"] else NOON
    except ValueError:
        return None
    return datetime.combine(day, moment, tzinfo=HELSINKI)


def _municipality_key(value: str) -> str:
    """How a municipality cell is looked up among the invitations: a code in digits padded to three
    ("49" is "049"), any name as _words has it."""
    return _words(value.zfill(3) if ascii_int(value) is not None else value)


def _words(value: str) -> str:
    return " ".join(value.replace("’", "'").split()).lower()


def _words_all(values: Sequence[str]) -> list[str]:
    """[_words(value) for value in values], at C speed: each value lower-cased and its whitespace runs made
    one space and none at its ends (no character's lower case is whitespace, nor a whitespace's anything
    else), ’ made ' first where any value holds one."""
    if "’" in "".join(values):
        values = list(map(operator.methodcaller("replace", "’", "'"), values))
    return list(map(" ".join, map(str.split, map(str.lower, values))))


def _municipality(invitee: Invitee) -> str:
    return str(invitee)


def _already_submitted(invitee: Invitee) -> str:
    return _("{municipality} has already submitted a response; import with replace to overwrite it").format(
        municipality=_municipality(invitee)
    )


# Writing


def responses_write(*, parsed: ParsedImport, by=None) -> ImportResult:
    """Writes every row of `parsed` as a submitted response, in one transaction, in bulk.

    Each batch of invitations is locked as the answer form locks one, and its responses are read
    again under the lock: a municipality that submitted after the file was checked is refused
    (unless `replace`) and nothing is written. The rows are those of `submission_rows`, the rule the
    form's submissions follow too.
    """
    result = ImportResult()
    # The goals as plain (pk, code) pairs: submission_rows reads a goal's code, the write its id, and a
    # tuple hashes far faster than a model object, once for each of a million answers.
    goals = [_Goal(node.pk, node.code) for node in parsed.goals]
    with transaction.atomic():
        for start in range(0, len(parsed.rows), WRITE_BATCH):
            _write_batch(parsed, goals, parsed.rows[start : start + WRITE_BATCH], result, by=by)
        if len(parsed.rows) >= ANALYZE_AFTER_ROWS:
            tables_analyze(Response, Answer, Comment, AuditEntry)
    return result


class _Goal(NamedTuple):
    pk: int
    code: str


# The columns of a new response the import writes: the invitation, and the fields submission_rows sets.
_RESPONSE_FIELDS = ("invitation_id", *SUBMISSION_FIELDS, "source")


def _write_batch(
    parsed: ParsedImport, goals: list[_Goal], rows: list[ImportRow], result: ImportResult, *, by=None
) -> None:
    """A batch in a constant number of queries: the invitations locked, their responses read, the new
    responses inserted and their ids read back, the replaced ones updated and their answers deleted, then
    the answers, comments and audit entries inserted (lib/bulk.py: COPY on PostgreSQL)."""
    ids = [row.invitee.pk for row in rows]
    list(Invitation.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    existing = {response.invitation_id: response for response in Response.objects.filter(invitation_id__in=ids)}
    if not parsed.replace:
        late = [
            row
            for row in rows
            if (response := existing.get(row.invitee.pk)) is not None and response.submitted_at is not None
        ]
        if late:
            raise ResponsesFileError(
                [
                    _("row {row}: {message}").format(row=row.number, message=_already_submitted(row.invitee))
                    for row in late[:MAX_LISTED_PROBLEMS]
                ]
            )
    responses, created, updated, entries = [], [], [], []
    questions = parsed.questions
    for row in rows:
        response = existing.get(row.invitee.pk)
        if response is not None and response.submitted_at is not None:
            result.replaced.append(row.invitee.code)
        else:
            result.created.append(row.invitee.code)
        if response is None:
            response = Response(invitation_id=row.invitee.pk)
            created.append(response)
        else:
            updated.append(response)
        response.source = Response.Source.IMPORT
        # A later version than any draft open in a browser, so that no stale save overwrites the import.
        row_answers, row_comments = submission_rows(
            response=response,
            ratings={goal: value for goal, value in zip(goals, row.ratings) if value != _BLANK},
            comments={question: text for question, text in zip(questions, row.comments) if text},
            submitted_at=row.submitted_at,
            submitted_by=row.submitted_by,
            new_version=True,
        )
        responses.append((response, row_answers, row_comments))
        entries.append(
            audit_entry(
                action=AuditEntry.Action.RESPONSES_IMPORT,
                by=by,
                round_code=parsed.round.code,
                municipality_code=row.invitee.code,
                detail={"row": row.number},
            )
        )
    if created:
        insert_rows(
            Response,
            _RESPONSE_FIELDS,
            ([getattr(response, name) for name in _RESPONSE_FIELDS] for response in created),
        )
        new_ids = dict(
            Response.objects.filter(invitation_id__in=[response.invitation_id for response in created]).values_list(
                "invitation_id", "pk"
            )
        )
        for response in created:
            response.pk = new_ids[response.invitation_id]
    if updated:
        Response.objects.bulk_update(updated, [*SUBMISSION_FIELDS, "source"])
        replaced = [response.pk for response in updated]
        Answer.objects.filter(response_id__in=replaced).delete()
        Comment.objects.filter(response_id__in=replaced).delete()
    insert_rows(
        Answer,
        ("response_id", "node_id", "value"),
        (
            (response_id, goal.pk, value)
            for response, row_answers, _row_comments in responses
            for response_id in (response.pk,)
            for goal, value in row_answers
        ),
    )
    insert_rows(
        Comment,
        ("response_id", "question_id", "text"),
        (
            (response.pk, question.pk, text)
            for response, _row_answers, row_comments in responses
            for question, text in row_comments
        ),
    )
    record_many(entries)
