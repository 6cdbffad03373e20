"""A survey file that cannot be read whole gives an error with its place, never a traceback: deep nesting,
aliases that expand to billions of values, files too big or too long, texts no column can hold."""

import time

import pytest
import yaml
from django.utils import translation

from arvio.surveys.definition import SurveyFileError, survey_definition_load
from tests.surveys.survey_files import valid_definition, write_yaml


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def errors_of(source) -> list[str]:
    with pytest.raises(SurveyFileError) as caught:
        survey_definition_load(source)
    return caught.value.errors


def test_it_names_the_place_where_ten_thousand_brackets_nest_too_deep(tmp_path):
    path = tmp_path / "survey.yaml"
    path.write_text("format: arvio-survey/1\ndocuments: " + "[" * 10_000 + "\n")
    # The file's own mapping is the first level, so the 50th "[" (after "documents: ") is the 51st.
    assert errors_of(path) == ["line 2, column 61: lists and mappings are nested deeper than 50 levels"]


def test_it_names_the_place_of_deeply_nested_mappings(tmp_path):
    text = "".join(f"{'  ' * depth}k{depth}:\n" for depth in range(60))
    # k0 holds the mapping of line 2, and so on: the 51st mapping starts on line 51, after 50 indents.
    assert errors_of(text) == ["line 51, column 101: lists and mappings are nested deeper than 50 levels"]


def test_it_refuses_aliases_that_expand_to_billions_of_values():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 10)}]")
    started = time.monotonic()
    assert errors_of("\n".join(lines) + "\n") == [
        "the file holds more than 500000 values once its aliases (*) are expanded"
    ]
    assert time.monotonic() - started < 5


def test_it_still_takes_an_alias_or_two(tmp_path):
    data = valid_definition()
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    assert survey_definition_load(text).round.code == data["round"]["code"]


def test_it_refuses_a_file_larger_than_the_limit(tmp_path, settings):
    settings.ARVIO_SURVEY_FILE_MAX_BYTES = 1024
    path = write_yaml(tmp_path, valid_definition())
    assert errors_of(path) == [
        "the file is larger than 0 MB, the most a survey file may be (ARVIO_SURVEY_FILE_MAX_BYTES)"
    ]


def test_it_refuses_a_file_with_more_lines_than_the_limit(tmp_path, settings):
    settings.ARVIO_SURVEY_FILE_MAX_LINES = 10
    path = write_yaml(tmp_path, valid_definition())
    (error,) = errors_of(path)
    assert error.startswith("the file has ") and error.endswith(
        "a survey file may have at most 10 (ARVIO_SURVEY_FILE_MAX_LINES)"
    )


@pytest.mark.parametrize("character", ["\x00", "\x07", "\ud800", "\uffff"], ids=["nul", "bell", "surrogate", "ffff"])
def test_it_names_the_place_of_a_text_no_column_can_hold(tmp_path, character):
    data = valid_definition()
    data["documents"][0]["goals"][0]["text"]["sv"] = f"Samarbete{character}"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    errors = errors_of(text)
    assert len(errors) == 1
    assert errors[0].startswith("documents[0].goals[0].text.sv: The text holds a character that cannot be saved (U+")
