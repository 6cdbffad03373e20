"""`arvio import_survey` and `arvio export_survey`."""

import os
import subprocess
import sys

import pytest
import yaml
from django.core.management import CommandError, call_command

from arvio.surveys.models import Round
from tests.surveys.survey_files import valid_definition, write_yaml

pytestmark = pytest.mark.django_db


def test_it_imports_a_file_and_says_what_it_created(tmp_path, capsys):
    path = write_yaml(tmp_path, valid_definition())

    call_command("import_survey", str(path))

    assert capsys.readouterr().out == (
        "Created round kuntakysely-2024: goal tree nodes: 11 (rated: 5), scale options: 5, open questions: 1, "
        "invitations: 3, contact people: 4.\n"
    )
    assert Round.objects.filter(code="kuntakysely-2024").exists()


def test_it_says_when_it_updated_a_round(tmp_path, capsys):
    path = write_yaml(tmp_path, valid_definition())
    call_command("import_survey", str(path))

    call_command("import_survey", str(path))

    assert capsys.readouterr().out.splitlines()[-1].startswith("Updated round kuntakysely-2024: goal tree nodes: 11")


def test_it_prints_every_error_and_fails(tmp_path, capsys):
    data = valid_definition()
    del data["documents"][0]["themes"][0]["goals"][0]["text"]["sv"]
    data["invitations"][0]["municipality"] = "999"
    path = write_yaml(tmp_path, data)

    with pytest.raises(CommandError, match=r"survey.yaml was not imported \(problems: 2\)"):
        call_command("import_survey", str(path))

    assert capsys.readouterr().err.splitlines() == [
        "documents[0].themes[0].goals[0]: text.sv is missing",
        'invitations[0].municipality: "999" is not among the municipalities',
    ]
    assert not Round.objects.exists()


def test_it_exits_non_zero_from_the_command_line(tmp_path):
    path = tmp_path / "survey.yaml"
    path.write_text("format: [\n")

    done = subprocess.run(
        [sys.executable, "-m", "arvio", "import_survey", path],
        capture_output=True,
        text=True,
        env={**os.environ, "ARVIO_VAR_DIR": str(tmp_path)},
    )

    # The messages are in the site's language here (Finnish): only the file's name is sure to show.
    assert done.returncode == 1
    assert str(path) in done.stderr.splitlines()[-1]


def test_it_exports_a_round_to_standard_output(tmp_path, capsys):
    call_command("import_survey", str(write_yaml(tmp_path, valid_definition())))
    capsys.readouterr()

    call_command("export_survey", "kuntakysely-2024")

    exported = yaml.safe_load(capsys.readouterr().out)
    assert exported["round"]["code"] == "kuntakysely-2024"
    assert [document["code"] for document in exported["documents"]] == [
        "palvelustrategia",
        "hyvinvointialuestrategia",
    ]


def test_it_exports_a_round_to_a_file_that_imports_back(tmp_path, capsys):
    call_command("import_survey", str(write_yaml(tmp_path, valid_definition())))
    out = tmp_path / "exported.yaml"

    call_command("export_survey", "kuntakysely-2024", "-o", str(out))
    call_command("import_survey", str(out))

    assert capsys.readouterr().out.splitlines()[-1].startswith("Updated round kuntakysely-2024")
    assert yaml.safe_load(out.read_text())["municipalities"][2]["code"] == "049"


def test_it_refuses_to_export_an_unknown_round():
    with pytest.raises(CommandError, match="There is no round kuntakysely-2099."):
        call_command("export_survey", "kuntakysely-2099")
