"""Checking survey definition files: every problem, with its place in the file."""

import re
from pathlib import Path

import pytest

from arvio.surveys.definition import SurveyFileError, survey_definition_load
from tests.surveys.survey_files import text, valid_definition, write_yaml

DOCS = Path(__file__).resolve().parents[2] / "docs" / "survey-format.md"


def errors_of(source) -> list[str]:
    with pytest.raises(SurveyFileError) as caught:
        survey_definition_load(source)
    return caught.value.errors


def test_it_accepts_a_valid_file(tmp_path):
    definition = survey_definition_load(write_yaml(tmp_path, valid_definition()))

    assert definition.round.code == "kuntakysely-2024"
    assert [goal.code for goal in definition.documents[0].goals[0].subgoals] == [
        "yhteistyo-rakenne",
        "yhteistyo-tietopohja",
    ]


def test_it_accepts_the_complete_example_of_the_docs():
    example = re.search(r"## A complete example\n\n```yaml\n(.*?)```", DOCS.read_text(), re.S).group(1)

    definition = survey_definition_load(example)

    assert definition.round.code == "esimerkki-2024"


def test_it_names_the_place_of_a_missing_swedish_text_deep_in_the_tree(tmp_path):
    data = valid_definition()
    del data["documents"][1]["themes"][0]["goals"][0]["subgoals"][1]["text"]["sv"]

    assert errors_of(write_yaml(tmp_path, data)) == ["documents[1].themes[0].goals[0].subgoals[1]: text.sv is missing"]


def test_it_names_both_places_of_a_code_used_twice():
    data = valid_definition()
    data["documents"][1]["themes"][0]["goals"][0]["subgoals"][0]["code"] = "yhteistyo"

    assert errors_of(data) == [
        'documents[0].goals[0].code: "yhteistyo" is used more than once '
        "(also at documents[1].themes[0].goals[0].subgoals[0].code)"
    ]


def test_it_refuses_a_question_code_used_by_a_goal():
    data = valid_definition()
    data["questions"][0]["code"] = "osallisuus"

    assert errors_of(data) == [
        'documents[1].themes[0].goals[0].code: "osallisuus" is used more than once (also at questions[0].code)'
    ]


def test_it_refuses_a_code_that_is_a_column_of_the_responses_file():
    data = valid_definition()
    data["questions"][0]["code"] = "kunta"

    assert errors_of(data) == ['questions[0].code: "kunta" is a column name of the responses file and cannot be a code']


def test_it_refuses_a_code_that_is_not_a_slug():
    data = valid_definition()
    data["documents"][0]["goals"][0]["code"] = "Yhteistyö"

    assert errors_of(data) == [
        'documents[0].goals[0].code: must be a slug (lower-case letters, digits, - and _), not "Yhteistyö"'
    ]


def test_it_refuses_an_invitation_of_an_unknown_municipality():
    data = valid_definition()
    data["invitations"][2]["municipality"] = "999"

    assert errors_of(data) == ['invitations[2].municipality: "999" is not among the municipalities']


def test_it_refuses_a_municipality_invited_twice():
    data = valid_definition()
    data["invitations"][2]["municipality"] = "235"

    assert errors_of(data) == [
        'invitations[0].municipality: "235" is used more than once (also at invitations[2].municipality)'
    ]


def test_it_explains_a_municipality_code_that_yaml_read_as_a_number(tmp_path):
    path = tmp_path / "survey.yaml"
    path.write_text(write_yaml(tmp_path, valid_definition()).read_text().replace("code: '224'", "code: 49"))

    assert 'municipalities[1].code: must be three digits, not "49" (quote codes in the file: "049")' in errors_of(path)


def test_it_refuses_an_impossible_date_with_its_place(tmp_path):
    path = write_yaml(tmp_path, valid_definition())
    path.write_text(path.read_text().replace("closes_on: 2024-12-05", "closes_on: 2024-02-30"))

    assert errors_of(path) == ['round.closes_on: must be a date like 2024-11-06, not "2024-02-30"']


def test_it_refuses_a_date_in_another_form():
    data = valid_definition()
    data["round"]["opens_on"] = "6.11.2024"

    assert errors_of(data) == ['round.opens_on: must be a date like 2024-11-06, not "6.11.2024"']


def test_it_refuses_a_round_that_closes_before_it_opens():
    data = valid_definition()
    data["round"]["closes_on"] = "2024-11-01"

    assert errors_of(data) == ["round.closes_on: 2024-11-01 is before opens_on 2024-11-06"]


def test_it_refuses_a_deadline_extension_before_the_close():
    data = valid_definition()
    data["invitations"][1]["deadline_extended_to"] = "2024-12-01"

    assert errors_of(data) == [
        "invitations[1].deadline_extended_to: 2024-12-01 is before the round closes (2024-12-05)"
    ]


def test_it_gives_the_line_and_column_of_a_yaml_syntax_error(tmp_path):
    path = tmp_path / "survey.yaml"
    path.write_text("format: arvio-survey/1\norganizer:\n  code: luvn\n  name: {fi: Länsi, sv: Västra\n")

    [error] = errors_of(path)

    assert error.startswith("line 5, column 1: the file is not valid YAML: ")


def test_it_refuses_a_key_given_twice(tmp_path):
    path = tmp_path / "survey.yaml"
    path.write_text("format: arvio-survey/1\nround: {}\nround: {}\n")

    assert errors_of(path) == ['line 3, column 1: the file is not valid YAML: the key "round" is given twice']


def test_it_refuses_a_wrong_format_key():
    data = valid_definition()
    data["format"] = "arvio-survey/2"

    assert errors_of(data) == ['format: must be "arvio-survey/1", not "arvio-survey/2"']


def test_it_refuses_a_file_without_the_format_key():
    data = valid_definition()
    del data["format"]

    assert errors_of(data) == ["format is missing"]


def test_it_refuses_a_summary_row_without_a_label():
    data = valid_definition()
    del data["documents"][0]["themes"][0]["label"]

    assert errors_of(data) == ["documents[0].themes[0]: a summary row needs a label (the short name used in sentences)"]


def test_it_refuses_an_empty_theme():
    data = valid_definition()
    data["documents"][0]["themes"][0]["goals"] = []

    assert errors_of(data) == ["documents[0].themes[0]: a theme must hold at least one goal"]


def test_it_refuses_an_empty_document():
    data = valid_definition()
    del data["documents"][1]["themes"]

    assert errors_of(data) == ["documents[1]: a document must hold at least one goal"]


def test_it_refuses_a_scale_value_given_twice():
    data = valid_definition()
    data["scale"]["options"][4]["value"] = 2

    assert errors_of(data) == ["scale.options[3].value: 2 is used more than once (also at scale.options[4].value)"]


def test_it_refuses_an_invalid_email():
    data = valid_definition()
    data["invitations"][0]["contacts"][1]["email"] = "kalle.kauniainen.example"

    assert errors_of(data) == [
        'invitations[0].contacts[1].email: must be an email address, not "kalle.kauniainen.example"'
    ]


def test_it_refuses_an_unknown_key_rather_than_dropping_what_it_holds():
    data = valid_definition()
    goal = data["documents"][0]["goals"][0]
    goal["subgoal"] = goal.pop("subgoals")

    assert errors_of(data) == ["documents[0].goals[0]: subgoal is not a known key"]


def test_it_refuses_an_unknown_language():
    data = valid_definition()
    data["municipalities"][0]["language"] = "swe"

    assert errors_of(data) == ['municipalities[0].language: must be one of fi, sv, fi-sv, sv-fi, not "swe"']


def test_it_refuses_an_empty_text():
    data = valid_definition()
    data["round"]["title"] = text("Kuntakysely", "  ")

    assert errors_of(data) == ["round.title.sv: must not be empty"]


def test_it_reports_every_problem_in_the_order_of_the_file():
    data = valid_definition()
    data["format"] = "arvio-survey/0"
    del data["documents"][0]["goals"][0]["subgoals"][0]["text"]["fi"]
    data["documents"][0]["themes"][0]["goals"] = []
    data["invitations"][1]["municipality"] = "999"
    data["municipalities"][2]["code"] = "49"

    assert errors_of(data) == [
        'format: must be "arvio-survey/1", not "arvio-survey/0"',
        'municipalities[2].code: must be three digits, not "49" (quote codes in the file: "049")',
        "documents[0].goals[0].subgoals[0]: text.fi is missing",
        "documents[0].themes[0]: a theme must hold at least one goal",
        'invitations[1].municipality: "999" is not among the municipalities',
        'invitations[2].municipality: "049" is not among the municipalities',
    ]


def test_it_refuses_a_file_that_is_not_a_mapping(tmp_path):
    path = tmp_path / "survey.yaml"
    path.write_text("- just\n- a list\n")

    assert errors_of(path) == ["the file does not hold a survey definition (a mapping of keys and values)"]


def test_it_says_when_the_file_cannot_be_read(tmp_path):
    [error] = errors_of(tmp_path / "missing.yaml")

    assert error.endswith("missing.yaml: cannot read the file (No such file or directory)")


def test_it_explains_a_text_given_in_one_language_only():
    data = valid_definition()
    data["documents"][0]["text"] = "Palvelustrategia"

    assert errors_of(data) == ["documents[0].text: must be a text in each language, like {fi: …, sv: …}"]


def test_it_refuses_a_scale_value_that_is_not_a_whole_number():
    data = valid_definition()
    data["scale"]["options"][0]["value"] = "viisi"

    assert errors_of(data) == ['scale.options[0].value: must be a whole number, not "viisi"']


def test_it_refuses_narrative_counts_that_are_not_whole_numbers_from_zero():
    data = valid_definition()
    data["round"]["narrative"] = {"strongest": -1, "weakest": "kolme"}

    assert errors_of(data) == [
        "round.narrative.strongest: must be at least 0",
        'round.narrative.weakest: must be a whole number, not "kolme"',
    ]


def test_it_refuses_an_unknown_key_under_narrative():
    data = valid_definition()
    data["round"]["narrative"] = {"strongest": 5, "weakest": 3, "middle": 1}

    assert errors_of(data) == ["round: narrative.middle is not a known key"]


def test_it_explains_a_genitive_label_or_level_given_in_one_language_only():
    data = valid_definition()
    data["documents"][0]["goals"][0]["label_genitive"] = "yhteistyön"
    data["scale"]["options"][1]["level"] = {"fi": "hyväksi"}

    assert errors_of(data) == [
        "scale.options[1]: level.sv is missing",
        "documents[0].goals[0].label_genitive: must be a text in each language, like {fi: …, sv: …}",
    ]
