"""Exporting survey definition files, and the round trip through an import."""

import pytest
import yaml

from arvio.invitations.models import Contact
from arvio.surveys.models import Municipality, Organizer, Round
from arvio.surveys.survey_export import survey_export, survey_export_yaml
from arvio.surveys.survey_import import survey_import
from tests.factories import make_round
from tests.surveys.survey_files import text, valid_definition

pytestmark = pytest.mark.django_db


def test_it_exports_what_it_imported(tmp_path):
    data = valid_definition()

    exported = survey_export(round=survey_import(source=data))

    assert exported == data | {
        "round": data["round"]
        | {
            "allow_changes_after_submit": False,
            "reminder_interval_days": 7,
            "translations_unofficial": False,
        },
    }


def test_it_writes_english_only_where_it_exists():
    round = survey_import(source=valid_definition())

    exported = survey_export(round=round)

    assert exported["scale"]["options"][0]["label"] == {"fi": "Erinomaisesti", "sv": "Utmärkt", "en": "Excellent"}
    assert exported["scale"]["options"][1]["label"] == {"fi": "Hyvin", "sv": "Väl"}


def test_the_exported_file_imports_into_an_empty_database_as_the_same_round(tmp_path):
    first = survey_export_yaml(round=survey_import(source=valid_definition()))
    Round.objects.all().delete()
    Municipality.objects.all().delete()
    Organizer.objects.all().delete()
    path = tmp_path / "exported.yaml"
    path.write_text(first, encoding="utf-8")

    second = survey_export_yaml(round=survey_import(source=path))

    assert second == first


def test_a_round_built_elsewhere_survives_the_round_trip(tmp_path):
    original = make_round(code="rakennettu")
    first = survey_export(round=original)
    original.delete()

    copy = survey_import(source=first)

    assert survey_export(round=copy) == first
    assert [node.code for node in copy.rated_goals()] == ["yhteistyo-1", "yhteistyo-2", "osallisuus"]
    assert Contact.objects.filter(invitation__round=copy).count() == 3


def test_it_writes_multi_line_texts_as_blocks_that_read_back():
    data = valid_definition()
    data["round"]["purpose"] = text("Ensimmäinen rivi.\nToinen rivi.", "Första raden.\nAndra raden.")
    round = survey_import(source=data)

    exported = survey_export_yaml(round=round)

    assert "fi: |-\n      Ensimmäinen rivi.\n      Toinen rivi." in exported
    assert yaml.safe_load(exported)["round"]["purpose"]["sv"] == "Första raden.\nAndra raden."
