"""The importer's fast path (responses/imports.py): a batch of rows as files are made of is checked a
column at a time (_Parser.whole_batch); a row it would not take is read cell by cell (_Parser.parse_row),
between the runs of rows before and after it, with the same results and the same problems in the columns'
order."""

import csv
import gc
from types import SimpleNamespace

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from arvio.invitations.models import Invitation
from arvio.responses import imports
from arvio.responses.imports import (
    ResponsesFileError,
    _cell_text,
    _words,
    _words_all,
    responses_import,
    responses_parse,
)
from arvio.surveys.models import Municipality
from tests.responses.test_import_bulk import HEADER, invite, stored, write_csv, write_xlsx


def _REFUSE_ALL(self, numbers, rows, seen):
    """whole_batch as if it took no row: every row read cell by cell."""
    return [], list(range(len(rows)))


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_it_reads_rows_off_the_fast_path_as_the_fast_path_would(round, tmp_path):
    codes = invite(round, 4)
    rows = [
        [codes[0], "3", "", "EOS", "a", "", "3.12.2024"],  # every goal cell a common one
        [codes[1], " 3 ", "4,0", "eos", "b", "", "3.12.2024"],  # padded, a decimal, lower case
        [codes[2], "5", "En osaa sanoa", "1.0", "c", "", "3.12.2024"],
        [codes[3], "", "", "", "d", "", "3.12.2024"],
    ]

    responses_import(round=round, path=write_csv(tmp_path / "vastaukset.csv", rows))

    answers, _comments = stored(round)
    assert answers == {
        codes[0]: {"yhteistyo-1": 3, "osallisuus": None},
        codes[1]: {"yhteistyo-1": 3, "yhteistyo-2": 4, "osallisuus": None},
        codes[2]: {"yhteistyo-1": 5, "yhteistyo-2": None, "osallisuus": 1},
    }


def test_a_row_off_the_fast_path_lists_its_problems_in_the_columns_order(round, tmp_path):
    codes = invite(round, 2)
    rows = [
        [codes[0], "3", "4", "5", "a", "", "3.12.2024"],
        ["zzz", "7", "4", "kolme", "b", "", "3.12.2024"],
    ]

    with pytest.raises(ResponsesFileError) as caught:
        responses_import(round=round, path=write_csv(tmp_path / "vastaukset.csv", rows))

    assert caught.value.errors == [
        'row 3, column "municipality": "zzz" is not invited to the round testikierros',
        'row 3, column "yhteistyo-1": 7 is not on the scale 1–5',
        'row 3, column "osallisuus": "kolme" is not a number on the scale 1–5 or EOS',
    ]


def test_a_formula_cell_never_reads_as_a_rating(round, tmp_path):
    formula = _cell_text(SimpleNamespace(value=3, data_type="f"))
    error = _cell_text(SimpleNamespace(value="N/A", data_type="e"))

    assert (str(formula), str(error)) == ("=3", "#N/A")
    codes = invite(round, 1)
    path = write_xlsx(tmp_path / "vastaukset.xlsx", [[codes[0], "=1+2", "4", "5", "a", "", "3.12.2024"]])
    with pytest.raises(ResponsesFileError) as caught:
        responses_import(round=round, path=path)
    assert caught.value.errors == [
        'row 2, column "yhteistyo-1": the cell B2 holds a formula (=1+2), not a value; write the value itself'
    ]
    assert HEADER[1] == "yhteistyo-1"


def test_it_reads_the_same_rows_with_and_without_the_fast_path(round, tmp_path, monkeypatch):
    codes = invite(round, 6)
    rows = [
        [codes[0], "3", "", "EOS", "  teksti  ", "", "3.12.2024"],  # all on the fast path
        [codes[1].upper(), "5", "4", "1", "", "muuta", ""],  # a code in capitals, no date: the deadline
        [f"  Kunta {codes[2]} ", "2", "2", "2", "a", "b", "2024-12-03 14:05"],  # a name, padded; a time
        [f"Kommun {codes[3]}", " 3 ", "4,0", "eos", "b", "", "3.12.2024"],  # off the fast path: cell by cell
        [codes[4], "3", "3", "3", "c\x1f", "", "3.12.2024"],  # a control character that strip() takes away
        [codes[5], "1", "1", "1", "d", "", "3.12.2024"],
    ]
    path = write_csv(tmp_path / "vastaukset.csv", rows)
    fast = responses_parse(round=round, path=path).rows
    monkeypatch.setattr(imports._Parser, "whole_batch", _REFUSE_ALL)
    assert responses_parse(round=round, path=path).rows == fast
    assert [row.invitee.code for row in fast] == codes
    assert fast[2].comments == ("a", "b") and fast[2].submitted_at.hour == 14


@pytest.mark.parametrize(
    "cells, problem",
    [
        (["zzz", "3", "3", "3", "", "", ""], '"zzz" is not invited to the round testikierros'),
        (["", "3", "3", "3", "", "", ""], "the municipality is missing"),
        (["{code}", "3", "3", "3", "a\x00", "", ""], "cannot be saved (U+0000, character 2)"),
        (["{code}", "3", "3", "3", "", "", "3.13.2024"], "is not a date like 2024-12-03"),
        (["{first}", "3", "3", "3", "", "", ""], "appears twice (also on row 2)"),
    ],
)
def test_a_row_that_would_fail_leaves_the_fast_path_for_the_check_that_names_its_problem(
    round, tmp_path, cells, problem
):
    first, code = invite(round, 2)
    rows = [[first, "3", "3", "3", "", "", ""], [cell.format(first=first, code=code) for cell in cells]]

    with pytest.raises(ResponsesFileError) as caught:
        responses_parse(round=round, path=write_csv(tmp_path / "vastaukset.csv", rows))

    (error,) = caught.value.errors
    assert error.startswith("row 3, column") and problem in error


def _parse_each_way(round, path, monkeypatch) -> list:
    """What responses_parse gives (its rows, or its problems) a batch at a time and cell by cell."""

    def outcome():
        try:
            return responses_parse(round=round, path=path).rows
        except ResponsesFileError as error:
            return error.errors

    outcomes = [outcome()]
    with monkeypatch.context() as patched:
        patched.setattr(imports._Parser, "whole_batch", _REFUSE_ALL)
        outcomes.append(outcome())
    return outcomes


def test_a_batch_of_ordinary_rows_is_read_a_column_at_a_time_as_row_by_row(round, tmp_path, monkeypatch):
    codes = invite(round, 5)
    rows = [
        [codes[0], "3", "", "EOS", "  teksti  ", "", "3.12.2024"],
        [codes[1].upper(), "5", "4", "1", "", "muuta", ""],  # a code in capitals, no date: the deadline
        [f"  Kunta {codes[2]} ", "2", "2", "2", "a", "b", "2024-12-03 14:05"],  # a name, padded; a time
        [f"kommun   {codes[3].upper()}", "eos", "1", "", " c ", "", " 3.12.2024 "],  # Swedish, spaced, lower case
        [codes[4], "1", "1", "1", "d", "", "3.12.2024"],
    ]
    path = write_csv(tmp_path / "vastaukset.csv", rows)
    with monkeypatch.context() as patched:
        # Every row is the batch's: none is left to be read cell by cell.
        patched.setattr(imports._Parser, "parse_row", lambda *arguments: pytest.fail("read cell by cell"))
        batch = responses_parse(round=round, path=path).rows

    assert [row.invitee.code for row in batch] == codes
    assert batch[2].comments == ("a", "b") and batch[2].submitted_at.hour == 14
    assert batch[3].ratings == (None, 1, imports._BLANK) and batch[3].comments == ("c", "")
    assert _parse_each_way(round, path, monkeypatch) == [batch] * 2


@pytest.mark.parametrize("size", [1, 2, 3, 2000])
def test_batches_of_any_size_read_a_file_as_one(round, tmp_path, monkeypatch, size):
    codes = invite(round, 6)
    rows = [
        [codes[0], "3", "", "EOS", "a", "", "3.12.2024"],
        [codes[1], "5", "4", "1", "", "", ""],
        ["", "", "", "", "", "", ""],  # blank: skipped
        [codes[2], "2", "2", "2", "b", "", "2024-12-03"],
        [codes[3], "7", "2", "2", "", "", ""],  # off the scale
        [codes[0], "1", "1", "1", "", "", ""],  # twice
        [codes[4], "1", "1", "1", "", "", "3.13.2024"],  # no such date
        [codes[5], "1", "1", "1", "", "", ""],
    ]
    monkeypatch.setattr(imports, "READ_BATCH", size)
    bad = write_csv(tmp_path / "huono.csv", rows)
    good = write_csv(tmp_path / "hyva.csv", [*rows[:4], rows[-1]])

    assert (
        _parse_each_way(round, bad, monkeypatch)
        == [
            [
                'row 6, column "yhteistyo-1": 7 is not on the scale 1–5',
                f'row 7, column "municipality": Kunta {codes[0]} ({codes[0]}) appears twice (also on row 2)',
                'row 8, column "submitted_at": "3.13.2024" is not a date like 2024-12-03 or 3.12.2024',
            ]
        ]
        * 2
    )
    read = _parse_each_way(round, good, monkeypatch)
    assert [[row.number for row in rows] for rows in read] == [[2, 3, 5, 6]] * 2
    assert read[0] == read[1]


def test_rows_read_before_a_row_the_reader_cannot_take_are_still_checked(round, tmp_path, monkeypatch):
    (code,) = invite(round, 1)
    monkeypatch.setattr(imports, "READ_BATCH", 2)
    path = tmp_path / "vastaukset.csv"
    # A cell longer than csv's field limit (131,072 characters) is a row the reader cannot take.
    lines = [",".join(HEADER), f"{code},3,3,3,,,", "zzz,3,3,3,,,", "x" * 200_000, "zzz,3,3,3,,,"]
    path.write_text("\n".join(lines), encoding="utf-8")

    assert (
        _parse_each_way(round, path, monkeypatch)
        == [
            [
                'row 3, column "municipality": "zzz" is not invited to the round testikierros',
                "row 4: the CSV cannot be read (field larger than field limit (131072))",
            ]
        ]
        * 2
    )


def _cell_by_cell(monkeypatch) -> list[int]:
    """The numbers of the rows parse_row reads, as it reads them."""
    numbers = []
    parse_row = imports._Parser.parse_row

    def counted(self, number, cells, columns, seen):
        numbers.append(number)
        return parse_row(self, number, cells, columns, seen)

    monkeypatch.setattr(imports._Parser, "parse_row", counted)
    return numbers


def test_a_batch_with_bad_rows_reads_only_them_cell_by_cell(round, tmp_path, monkeypatch):
    codes = invite(round, 8)
    rows = [[code, "3", "4", "5", "a", "", "3.12.2024"] for code in codes]
    rows[5][1] = "7"  # off the scale, on row 7
    rows[2][1] = "3,0"  # a decimal: not a rating as files write most, but a good one (row 4)
    rows[3][6] = "3.13.2024"  # no such date (row 5)
    path = write_csv(tmp_path / "vastaukset.csv", rows)
    numbers = _cell_by_cell(monkeypatch)

    with pytest.raises(ResponsesFileError) as caught:
        responses_parse(round=round, path=path)

    assert caught.value.errors == [
        'row 5, column "submitted_at": "3.13.2024" is not a date like 2024-12-03 or 3.12.2024',
        'row 7, column "yhteistyo-1": 7 is not on the scale 1–5',
    ]
    assert numbers == [5, 7]
    numbers.clear()
    rows[5][1], rows[3][6] = "1", ""
    parsed = responses_parse(round=round, path=write_csv(path, rows)).rows
    assert [row.ratings[0] for row in parsed] == [3, 3, 3, 3, 3, 1, 3, 3]
    assert numbers == []


def test_a_municipality_first_on_a_row_read_cell_by_cell_is_seen_by_the_rows_read_whole(round, tmp_path, monkeypatch):
    codes = invite(round, 3)
    rows = [
        [codes[0], "8", "4", "5", "a", "", "3.12.2024"],  # cell by cell: off the scale
        [codes[1], "3", "4", "5", "a", "", "3.12.2024"],
        [codes[0], "3", "4", "5", "a", "", "3.12.2024"],  # an ordinary row, but its municipality's second
        [codes[2], "3", "4", "5", "a", "", "3.12.2024"],
        [codes[1], "7", "4", "5", "a", "", "3.12.2024"],  # off the scale and its municipality's second
    ]
    path = write_csv(tmp_path / "vastaukset.csv", rows)
    numbers = _cell_by_cell(monkeypatch)

    outcomes = _parse_each_way(round, path, monkeypatch)

    assert outcomes[0] == [
        'row 2, column "yhteistyo-1": 8 is not on the scale 1–5',
        f'row 4, column "municipality": Kunta {codes[0]} ({codes[0]}) appears twice (also on row 2)',
        f'row 6, column "municipality": Kunta {codes[1]} ({codes[1]}) appears twice (also on row 3)',
        'row 6, column "yhteistyo-1": 7 is not on the scale 1–5',
    ]
    assert outcomes[1] == outcomes[0]
    assert numbers[:3] == [2, 4, 6]


def test_ratings_written_otherwise_stay_on_the_fast_path(round, tmp_path, monkeypatch):
    codes = invite(round, 6)
    rows = [[code, "3,0", "4.0", " 5 ", "a", "", "3.12.2024"] for code in codes]
    rows[1][2:4] = ["  ", "en osaa SANOA"]
    numbers = _cell_by_cell(monkeypatch)

    parsed = responses_parse(round=round, path=write_csv(tmp_path / "vastaukset.csv", rows)).rows

    assert [row.ratings for row in parsed] == [(3, 4, 5), (3, imports._BLANK, None), *[(3, 4, 5)] * 4]
    assert numbers == []
    assert _parse_each_way(round, tmp_path / "vastaukset.csv", monkeypatch)[1] == parsed


def test_short_rows_and_the_blank_rows_at_a_files_end_stay_on_the_fast_path(round, tmp_path, monkeypatch):
    codes = invite(round, 3)
    # A spreadsheet's CSV may end its rows at their last value, and the file with rows of nothing.
    lines = [",".join(HEADER), f"{codes[0]},3,4,5", f"{codes[1]},3,4,5,a,,3.12.2024", f"{codes[2]},1,1"]
    lines += [",,,,,,"] * 5 + [""] * 3
    path = tmp_path / "vastaukset.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    numbers = _cell_by_cell(monkeypatch)

    rows = responses_parse(round=round, path=path).rows

    assert [(row.invitee.code, row.ratings) for row in rows] == [
        (codes[0], (3, 4, 5)),
        (codes[1], (3, 4, 5)),
        (codes[2], (1, 1, imports._BLANK)),
    ]
    assert numbers == []


@given(st.lists(st.text(alphabet=st.sampled_from("aZ ÅäΣσς’'\t\n\x1c\u2028\xa0İ-1\x00"), max_size=8), max_size=6))
def test_words_of_all_values_at_once_are_the_words_of_each(values):
    assert _words_all(values) == [_words(value) for value in values]


def test_what_the_check_keeps_skips_the_young_collections_and_the_collector_runs_again():
    assert gc.isenabled()
    with imports._collector_paused():
        assert not gc.isenabled()
        kept = [(number, str(number)) for number in range(10_000)]
        assert gc.get_count()[0] >= 10_000
    assert gc.isenabled()
    # Moved to the oldest generation without a pass: the next young collection does not walk them.
    assert gc.get_count()[0] < 100
    assert gc.get_freeze_count() == 0
    assert len(kept) == 10_000


def test_objects_something_else_froze_stay_frozen(monkeypatch):
    # As if a server had frozen its objects before forking: neither frozen again nor unfrozen. (The count
    # is pretended: a real freeze's count falls whenever a frozen object is freed.)
    calls = []
    monkeypatch.setattr(gc, "get_freeze_count", lambda: 1)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(gc, "unfreeze", lambda: calls.append("unfreeze"))

    with imports._collector_paused():
        assert not gc.isenabled()

    assert calls == []
    assert gc.isenabled()


def _invited(round, *municipalities):
    for order, (code, fi, sv) in enumerate(municipalities):
        municipality = Municipality.objects.create(code=code, name_fi=fi, name_sv=sv, language="fi")
        Invitation.objects.create(round=round, municipality=municipality, order=100 + order)
    return imports._Invited(round)


def test_a_file_of_names_needs_no_index_of_codes_and_one_of_codes_none_of_names(round):
    by_name = _invited(round, ("a01", "Ylä-Kunta", "Övre kommun"))
    assert [invitee.code for invitee in by_name.get_all(["ylä-kunta", "övre kommun", "kauniainen"])] == [
        "a01",
        "a01",
        "235",
    ]
    assert "names" in vars(by_name) and "codes" not in vars(by_name)

    by_code = imports._Invited(round)
    assert [invitee.code for invitee in by_code.get_all(["235", "927"])] == ["235", "927"]
    assert "codes" in vars(by_code) and "names" not in vars(by_code)


def test_a_key_of_digits_is_a_code_and_a_code_of_letters_is_found_where_no_name_is(round):
    invited = _invited(round, ("a01", "Kunta", "Kommun"), ("a02", "a01", "a01"))

    # "a01" is the name of one and the code of another: the name is taken.
    assert [getattr(invitee, "code", None) for invitee in invited.get_all(["a01", "a02", "kunta", "zzz"])] == [
        "a02",
        "a02",
        "a01",
        None,
    ]
    # Names and codes mixed in one batch, as get() has each.
    keys = ["235", "a02", "kommun", "999"]
    assert invited.get_all(keys) == [invited.get(key) for key in keys]
    assert [getattr(invitee, "code", None) for invitee in invited.get_all(keys)] == ["235", "a02", "a01", None]


def test_codes_alike_but_for_case_are_shared_not_given_to_either(round):
    invited = _invited(round, ("Abc", "Yksi", "Ett"), ("abc", "Kaksi", "Två"))

    assert invited.get("abc") is None
    assert sorted(invitee.code for invitee in invited.find("abc")[1]) == ["Abc", "abc"]
    assert invited.find("yksi")[1] is None and invited.get("yksi").code == "Abc"


def test_a_shared_name_is_not_looked_up_further_among_the_codes(round, tmp_path):
    invited = _invited(round, ("a01", "X1", "Ett"), ("a02", "Kaksi", "x1"), ("x1", "Kolme", "Tre"))
    keys = ["x1", "235", "kolme", "a01", "ett", "zzz"]

    assert invited.get("x1") is None
    assert sorted(invitee.code for invitee in invited.find("x1")[1]) == ["a01", "a02"]
    assert invited.get_all(keys) == [invited.get(key) for key in keys]
    assert invited.get_all(["x1", "kolme"]) == [None, invited.get("kolme")]
    # The same refusal whether the row takes a fast path or is read cell by cell ("3,0").
    for rating in ("3", "3,0"):
        path = write_csv(tmp_path / "vastaukset.csv", [["X1", rating, "4", "5", "a", "", "3.12.2024"]])
        with pytest.raises(ResponsesFileError) as caught:
            responses_import(round=round, path=path)
        assert caught.value.errors == [
            'row 2, column "municipality": "X1" is the name of more than one invited municipality '
            "(Kaksi (a02), X1 (a01)); give its code"
        ]


def test_a_name_of_digits_is_found_where_no_code_is(round):
    invited = _invited(round, ("a01", "123", "Ett"))

    assert invited.get("123").code == "a01"
    assert invited.get_all(["123", "235"]) == [invited.get("123"), invited.get("235")]


def test_random_files_read_the_same_on_the_fast_path_and_cell_by_cell(round, tmp_path, monkeypatch):
    """Files drawn from cells good and bad, rows short, long, blank and repeated, read in batches of a few
    rows: the fast path gives the rows (or the problems, in their order) that reading every row cell by
    cell gives."""
    import random

    codes = invite(round, 5)
    draw = random.Random(20261202)
    municipalities = [*codes, *codes, f"Kunta {codes[0]}", f" kommun {codes[1].upper()} ", "zzz", "", "Kauniainen"]
    ratings = ["3", "EOS", "", "5", "3,0", " 4 ", "  ", "eos", "en osaa sanoa", "7", "kolme", "0", "=3"]
    texts = ["", "a", "  teksti ", "b\x1f", "c\x00", "x" * 301]
    dates = ["", "3.12.2024", "2024-12-03 14:05", "3.13.2024", " 1.1.2025 "]
    for case in range(160):
        header = HEADER + ["submitted_by"] * (case % 2)
        rows = []
        for _ in range(draw.randint(1, 9)):
            cells = [
                draw.choice(municipalities),
                *(draw.choice(ratings) for _ in range(3)),
                draw.choice(texts),
                draw.choice(texts[:3]),
                draw.choice(dates),
                *(draw.choice(texts) for _ in header[7:]),
            ]
            shape = draw.random()
            if shape < 0.1:
                cells = [""] * len(header)
            elif shape < 0.2:
                cells = cells[: draw.randint(1, len(header) - 1)]
            elif shape < 0.25:
                cells += ["", draw.choice(["", "extra"])]
            rows.append(cells)
        path = tmp_path / f"vastaukset-{case}.csv"
        with path.open("w", encoding="utf-8", newline="") as file:
            csv.writer(file).writerows([header, *rows])
        with monkeypatch.context() as patched:
            patched.setattr(imports, "READ_BATCH", draw.choice([1, 2, 3, 5, 2000]))
            fast, cell_by_cell = _parse_each_way(round, path, patched)
        assert fast == cell_by_cell, rows
