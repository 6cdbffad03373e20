"""Importing the answers of a round run in another form tool, from CSV or XLSX."""

import re
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import translation

from arvio.invitations.models import Invitation
from arvio.lib.dates import HELSINKI
from arvio.responses.imports import ResponsesFileError, responses_import
from arvio.responses.models import Answer, Comment, Response
from arvio.surveys.models import Municipality
from arvio.surveys.survey_import import survey_import

HEADER = "municipality,yhteistyo-1,yhteistyo-2,osallisuus,kehittaminen,muuta,submitted_at,submitted_by"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def write_csv(tmp_path, *lines, name="vastaukset.csv", bom=False, delimiter=","):
    path = tmp_path / name
    text = "\n".join(line.replace(",", delimiter) for line in lines) + "\n"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def errors_of(round, path, **kwargs) -> list[str]:
    with pytest.raises(ResponsesFileError) as caught:
        responses_import(round=round, path=path, **kwargs)
    return caught.value.errors


def answers_of(round, code) -> dict:
    response = Response.objects.get(invitation__round=round, invitation__municipality__code=code)
    return dict(response.answers.values_list("node__code", "value"))


def test_it_imports_a_comma_separated_file(round, tmp_path):
    path = write_csv(
        tmp_path,
        HEADER,
        "235,4,3,EOS,Enemmän yhteisiä kokouksia.,,3.12.2024,Kaisa Kunnanjohtaja",
        "927,2,,1,,Kiitos,2024-12-01,",
    )

    result = responses_import(round=round, path=path)

    assert (result.created, result.replaced) == (["235", "927"], [])
    assert answers_of(round, "235") == {"yhteistyo-1": 4, "yhteistyo-2": 3, "osallisuus": None}
    assert answers_of(round, "927") == {"yhteistyo-1": 2, "osallisuus": 1}
    kauniainen = Response.objects.get(invitation__municipality__code="235")
    assert list(kauniainen.comments.values_list("question__code", "text")) == [
        ("kehittaminen", "Enemmän yhteisiä kokouksia.")
    ]
    assert (kauniainen.source, kauniainen.submitted_by) == (Response.Source.IMPORT, "Kaisa Kunnanjohtaja")
    assert kauniainen.submitted_at == datetime(2024, 12, 3, 12, 0, tzinfo=HELSINKI)
    assert kauniainen.draft_saved_at == kauniainen.submitted_at
    assert (kauniainen.version, kauniainen.submitted_version, kauniainen.submission_count) == (1, 1, 1)
    assert not Response.objects.filter(invitation__municipality__code="710").exists()


def test_it_writes_the_draft_in_the_shape_the_answer_form_uses(round, tmp_path):
    path = write_csv(tmp_path, HEADER, "235,4,,eos,,Kiitos,,")

    responses_import(round=round, path=path)

    response = Response.objects.get(invitation__municipality__code="235")
    assert response.draft == {"ratings": {"yhteistyo-1": 4, "osallisuus": "eos"}, "comments": {"muuta": "Kiitos"}}


def test_it_imports_a_semicolon_separated_file_with_a_byte_order_mark(round, tmp_path):
    path = write_csv(
        tmp_path,
        "kunta,yhteistyo-1,yhteistyo-2,osallisuus,kehittaminen,muuta",
        'Raasepori,5,En osaa sanoa,3,"Yhteistyö, myös ruotsiksi",',
        "235,1,kan inte säga,2,,",
        bom=True,
        delimiter=";",
    )

    responses_import(round=round, path=path)

    assert answers_of(round, "710") == {"yhteistyo-1": 5, "yhteistyo-2": None, "osallisuus": 3}
    assert answers_of(round, "235") == {"yhteistyo-1": 1, "yhteistyo-2": None, "osallisuus": 2}
    assert Comment.objects.get().text == "Yhteistyö; myös ruotsiksi"


def test_it_imports_the_first_sheet_of_a_workbook(round, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(["710", 3, 4, "EOS", "Lisää resursseja", None, datetime(2024, 11, 20, 9, 30), "Rolf"])
    sheet.append([927, 2.0, None, 5, None, None, date(2024, 11, 21), None])
    sheet.append([None] * 8)
    workbook.create_sheet("muistiinpanot").append(["not", "read"])
    path = tmp_path / "vastaukset.xlsx"
    workbook.save(path)

    result = responses_import(round=round, path=path)

    assert result.created == ["710", "927"]
    assert answers_of(round, "710") == {"yhteistyo-1": 3, "yhteistyo-2": 4, "osallisuus": None}
    assert answers_of(round, "927") == {"yhteistyo-1": 2, "osallisuus": 5}
    raasepori = Response.objects.get(invitation__municipality__code="710")
    assert raasepori.submitted_at == datetime(2024, 11, 20, 9, 30, tzinfo=HELSINKI)
    assert raasepori.comments.get().text == "Lisää resursseja"


@time_machine.travel(datetime(2025, 1, 15, 10, 0, tzinfo=HELSINKI), tick=False)
def test_without_submitted_at_a_response_counts_as_submitted_at_the_close(round, tmp_path):
    path = write_csv(tmp_path, "municipality,yhteistyo-1,yhteistyo-2,osallisuus,kehittaminen,muuta", "927,1,2,3,,")

    responses_import(round=round, path=path)

    submitted_at = Response.objects.get().submitted_at.astimezone(HELSINKI)
    assert (submitted_at.date(), submitted_at.hour) == (date(2024, 12, 5), 23)


@pytest.mark.parametrize(
    ("cell", "error"),
    [
        ("7", 'row 3, column "yhteistyo-2": 7 is not on the scale 1–5'),
        ("0", 'row 3, column "yhteistyo-2": 0 is not on the scale 1–5'),
        ("3.5", 'row 3, column "yhteistyo-2": 3.5 is not on the scale 1–5'),
        ("hyvä", 'row 3, column "yhteistyo-2": "hyvä" is not a number on the scale 1–5 or EOS'),
    ],
)
def test_it_names_the_row_and_column_of_a_value_off_the_scale(round, tmp_path, cell, error):
    path = write_csv(tmp_path, HEADER, "235,4,3,2,,,,", f"927,4,{cell},2,,,,")

    assert errors_of(round, path) == [error]


def test_it_refuses_a_column_that_is_not_in_the_round(round, tmp_path):
    path = write_csv(tmp_path, HEADER + ",arvosana", "235,4,3,2,,,,,5")

    assert errors_of(round, path) == [
        'row 1, column "arvosana": is not a rated goal or an open question of the round testikierros'
    ]


def test_it_refuses_a_column_of_a_derived_goal(round, tmp_path):
    path = write_csv(tmp_path, HEADER + ",yhteistyo", "235,4,3,2,,,,,3")

    assert errors_of(round, path) == [
        'row 1, column "yhteistyo": "yhteistyo" has sub-goals; its value is derived from them, not rated'
    ]


def test_it_refuses_a_file_without_a_municipality_column(round, tmp_path):
    path = write_csv(tmp_path, HEADER.replace("municipality,", ""), "4,3,2,,,,")

    assert errors_of(round, path) == ['row 1: there is no "municipality" column']


def test_it_refuses_a_file_that_leaves_out_a_rated_goal(round, tmp_path):
    path = write_csv(tmp_path, "municipality,yhteistyo-1,osallisuus,kehittaminen,muuta", "235,4,2,,")

    assert errors_of(round, path) == ['row 1: the rated goal "yhteistyo-2" has no column']


def test_it_refuses_a_municipality_not_invited_to_the_round(round, tmp_path):
    path = write_csv(tmp_path, HEADER, "235,4,3,2,,,,", "", "049,1,1,1,,,,")

    assert errors_of(round, path) == ['row 4, column "municipality": "049" is not invited to the round testikierros']


def test_it_refuses_a_municipality_given_twice(round, tmp_path):
    path = write_csv(tmp_path, HEADER, "235,4,3,2,,,,", "Grankulla,1,1,1,,,,")

    assert errors_of(round, path) == ['row 3, column "municipality": Kauniainen (235) appears twice (also on row 2)']


def test_it_refuses_a_date_it_cannot_read(round, tmp_path):
    path = write_csv(tmp_path, HEADER, "235,4,3,2,,,12/3/2024,")

    assert errors_of(round, path) == [
        'row 2, column "submitted_at": "12/3/2024" is not a date like 2024-12-03 or 3.12.2024'
    ]


def test_it_refuses_another_kind_of_file(round, tmp_path):
    path = tmp_path / "vastaukset.xls"
    path.write_bytes(b"old excel")

    assert errors_of(round, path) == ["the file must be a .csv or .xlsx file, not vastaukset.xls"]


def test_it_refuses_a_csv_that_is_not_utf8(round, tmp_path):
    path = tmp_path / "vastaukset.csv"
    path.write_bytes(f"{HEADER}\n235,4,3,2,Hyvä,,,\n".encode("latin-1"))

    assert errors_of(round, path) == ["the file is not UTF-8 text; save it as CSV UTF-8"]


def test_a_file_with_any_error_writes_nothing(round, tmp_path):
    path = write_csv(tmp_path, HEADER, "235,4,3,2,Hyvä,,,", "710,4,3,2,,,,", "927,4,9,2,,,,")

    with pytest.raises(ResponsesFileError):
        responses_import(round=round, path=path)

    assert not Response.objects.exists()
    assert not Answer.objects.exists()
    assert not Comment.objects.exists()


def test_it_lists_every_error_of_the_file(round, tmp_path):
    path = write_csv(tmp_path, HEADER + ",arvosana", "235,4,6,2,,,,,", "999,x,3,2,,,,,")

    assert errors_of(round, path) == [
        'row 1, column "arvosana": is not a rated goal or an open question of the round testikierros',
        'row 2, column "yhteistyo-2": 6 is not on the scale 1–5',
        'row 3, column "municipality": "999" is not invited to the round testikierros',
        'row 3, column "yhteistyo-1": "x" is not a number on the scale 1–5 or EOS',
    ]


def test_it_refuses_to_overwrite_a_submitted_response(round, tmp_path):
    responses_import(round=round, path=write_csv(tmp_path, HEADER, "235,4,3,2,Eka,,,"))
    again = write_csv(tmp_path, HEADER, "235,1,1,1,Toka,,,", "710,2,2,2,,,,", name="again.csv")

    assert errors_of(round, again) == [
        'row 2, column "municipality": Kauniainen (235) has already submitted a response; '
        "import with replace to overwrite it"
    ]
    assert answers_of(round, "235") == {"yhteistyo-1": 4, "yhteistyo-2": 3, "osallisuus": 2}
    assert Response.objects.count() == 1


def test_it_replaces_a_submitted_response_when_asked(round, tmp_path):
    responses_import(round=round, path=write_csv(tmp_path, HEADER, "235,4,3,2,Eka,,,"))
    again = write_csv(tmp_path, HEADER, "235,1,,EOS,,Toka,,", "710,2,2,2,,,,", name="again.csv")

    result = responses_import(round=round, path=again, replace=True)

    assert (result.created, result.replaced) == (["710"], ["235"])
    assert answers_of(round, "235") == {"yhteistyo-1": 1, "osallisuus": None}
    response = Response.objects.get(invitation__municipality__code="235")
    assert list(response.comments.values_list("question__code", "text")) == [("muuta", "Toka")]
    assert (response.version, response.submitted_version, response.submission_count) == (2, 2, 2)


def test_it_fills_a_response_that_was_only_a_draft(round, tmp_path):
    invitation = round.invitations.get(municipality__code="927")
    Response.objects.create(invitation=invitation, draft={"ratings": {"osallisuus": "2"}, "comments": {}}, version=3)

    result = responses_import(round=round, path=write_csv(tmp_path, HEADER, "927,4,3,5,,,,"))

    assert result.created == ["927"]
    response = Response.objects.get(invitation=invitation)
    assert response.draft["ratings"] == {"yhteistyo-1": 4, "yhteistyo-2": 3, "osallisuus": 5}
    assert (response.version, response.submitted_version) == (4, 4)


def test_the_command_imports_and_reports(round, tmp_path, capsys):
    path = write_csv(tmp_path, HEADER, "235,4,3,2,,,,", "710,1,2,3,,,,")

    call_command("import_responses", "testikierros", str(path))

    assert capsys.readouterr().out == "Imported into round testikierros: new responses: 2, replaced: 0.\n"


def test_the_command_replaces_with_its_flag(round, tmp_path, capsys):
    path = write_csv(tmp_path, HEADER, "235,4,3,2,,,,")
    call_command("import_responses", "testikierros", str(path))

    call_command("import_responses", "testikierros", str(path), "--replace")

    last_line = capsys.readouterr().out.splitlines()[-1]
    assert last_line == "Imported into round testikierros: new responses: 0, replaced: 1."


def test_the_command_prints_every_error_and_fails(round, tmp_path, capsys):
    path = write_csv(tmp_path, HEADER, "235,4,8,2,,,,", "999,4,3,2,,,,")

    with pytest.raises(CommandError, match=r"was not imported \(problems: 2\)"):
        call_command("import_responses", "testikierros", str(path))

    assert capsys.readouterr().err.splitlines() == [
        'row 2, column "yhteistyo-2": 8 is not on the scale 1–5',
        'row 3, column "municipality": "999" is not invited to the round testikierros',
    ]
    assert not Response.objects.exists()


def test_the_command_refuses_an_unknown_round(db, tmp_path):
    with pytest.raises(CommandError, match="There is no round kuntakysely-2099."):
        call_command("import_responses", "kuntakysely-2099", str(tmp_path / "x.csv"))


def test_the_example_of_the_docs_imports(db, tmp_path):
    docs = Path(__file__).resolve().parents[2] / "docs"
    # The whole example file, not one of the fragments that explain a key.
    survey = re.search(r"```yaml\n(format: .*?)```", (docs / "survey-format.md").read_text(), re.S).group(1)
    responses = re.search(r"```csv\n(.*?)```", (docs / "responses-format.md").read_text(), re.S).group(1)
    example_round = survey_import(source=survey)
    path = tmp_path / "vastaukset.csv"
    path.write_text(responses, encoding="utf-8")

    result = responses_import(round=example_round, path=path)

    assert result.created == ["235", "224"]
    assert answers_of(example_round, "235") == {
        "yhteistyo-rakenne": 3,
        "yhteistyo-tietopohja": None,
        "vammais-esteettomyys": 4,
    }
    assert answers_of(example_round, "224") == {"yhteistyo-rakenne": 2, "vammais-esteettomyys": None}
    assert Comment.objects.get().text == "Yhteiset kokoukset; myös ruotsiksi."


def test_it_refuses_values_in_a_column_without_a_name(round, tmp_path):
    path = write_csv(tmp_path, HEADER, "235,4,3,2,,,,,5")

    assert errors_of(round, path) == ['row 1, column "column 9": the column has values but no name']


def _invite_another_grankulla(round):
    """A municipality whose Finnish name is Kauniainen's Swedish one (none is, in Finland; a national
    round of other organizers' municipalities could hold such a pair)."""
    other = Municipality.objects.create(code="a01", name_fi="Grankulla", name_sv="Lilla Grankulla", language="fi")
    Invitation.objects.create(round=round, municipality=other, order=99)


def test_it_refuses_a_name_two_invited_municipalities_share_and_says_to_give_the_code(round, tmp_path):
    _invite_another_grankulla(round)
    path = write_csv(tmp_path, HEADER, "927,2,,1,,,,", " grankulla ,1,1,1,,,,")

    assert errors_of(round, path) == [
        'row 3, column "municipality": "grankulla" is the name of more than one invited municipality '
        "(Grankulla (a01), Kauniainen (235)); give its code"
    ]
    assert not Response.objects.filter(invitation__round=round).exists()


def test_the_refusal_of_a_shared_name_is_in_the_users_language(round, tmp_path):
    _invite_another_grankulla(round)
    path = write_csv(tmp_path, HEADER, "Grankulla,1,1,1,,,,")

    with translation.override("fi"):
        (finnish,) = errors_of(round, path)
    with translation.override("sv"):
        (swedish,) = errors_of(round, path)

    assert finnish == (
        "rivi 2, sarake ”municipality”: ”Grankulla” on useamman kutsutun kunnan nimi "
        "(Grankulla (a01), Kauniainen (235)); anna kunnan koodi"
    )
    assert swedish == (
        "rad 2, kolumn ”municipality”: ”Grankulla” är namnet på fler än en inbjuden kommun "
        "(Grankulla (a01), Kauniainen (235)); ange kommunens kod"
    )


def test_the_municipalities_that_share_a_name_are_still_found_by_their_codes_and_other_names(round, tmp_path):
    _invite_another_grankulla(round)
    path = write_csv(tmp_path, HEADER, "235,4,3,2,,,,", "Lilla Grankulla,1,1,1,,,,", "Kauniainen,,,,,,,")

    with pytest.raises(ResponsesFileError) as caught:
        responses_import(round=round, path=path)
    # Kauniainen by its Finnish name is the same municipality as by its code: found, and found twice.
    assert caught.value.errors == ['row 4, column "municipality": Kauniainen (235) appears twice (also on row 2)']

    path = write_csv(tmp_path, HEADER, "235,4,3,2,,,,", "Lilla Grankulla,1,1,1,,,,")
    result = responses_import(round=round, path=path)
    assert result.created == ["235", "a01"]


def test_a_municipality_whose_names_are_alike_shares_nothing_with_itself(round, tmp_path):
    # Its English name is its Finnish one, its Swedish one the same but for case and spacing.
    alike = Municipality.objects.create(code="a02", name_fi="Vaala", name_sv="VAALA ", name_en="Vaala", language="fi")
    Invitation.objects.create(round=round, municipality=alike, order=98)
    path = write_csv(tmp_path, HEADER, "vaala,3,3,3,,,,")

    assert responses_import(round=round, path=path).created == ["a02"]
