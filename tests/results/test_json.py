"""The JSON export: the seed's numbers, statuses and excerpts, as data that keeps to docs/report.schema.json."""

import json
import re
from datetime import datetime
from fractions import Fraction
from pathlib import Path

import pytest

from arvio.results.formats.json_format import exporter
from arvio.results.report import report_build
from arvio.surveys.models import Round
from tests.seed import seed_values

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "report.schema.json").read_text(encoding="utf-8"))
NOT_ANSWERED = {"fi": ["Espoo", "Siuntio", "Vihti", "Inkoo"], "sv": ["Esbo", "Sjundeå", "Vichtis", "Ingå"]}


def exported(report) -> dict:
    filename, content_type, content = exporter.render(report)
    assert (filename, content_type) == (f"{report.round_code}-{report.language}.json", "application/json")
    return json.loads(content.decode("utf-8"))


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_it_puts_every_seed_value_next_to_its_goal(demo_round, language):
    expected = seed_values(demo_round)
    texts = {node.code: node.tr("text", language) for node in demo_round.nodes.all()}

    data = exported(report_build(demo_round, language=language))

    nodes = {node["code"]: node for node in data["nodes"]}
    for code, value in expected.items():
        assert (nodes[code]["text"], nodes[code]["display"]) == (texts[code], value), code
    summary = [(row["code"], row["display"]) for row in data["summary"]]
    assert summary == [(code, expected[code]) for code, _display in summary]
    assert len(summary) == 11
    assert data["language"] == language


def test_it_gives_the_unrounded_mean_as_a_number(demo_round):
    data = exported(report_build(demo_round, language="fi"))

    nodes = {node["code"]: node for node in data["nodes"]}
    # The seed's half-up case: 2.25 shows as 2,3.
    assert nodes["aikuisten-sosiaalipalvelut"]["mean"] == 2.25
    assert nodes["aikuisten-sosiaalipalvelut"]["display"] == "2,3"
    assert nodes["yhteistyomallit"]["mean"] == float(Fraction(13, 6))
    assert nodes["yhteistyomallit"]["median"] == 2.0
    assert nodes["yhteistyomallit"]["distribution"] == {"5": 0, "4": 0, "3": 2, "2": 3, "1": 1}
    summary = {row["code"]: row for row in data["summary"]}
    assert summary["lasten-nuorten-ja-perheiden-palvelut"]["rated_goals"] == 3
    assert summary["pelastustoimen-palvelutasopaatos"]["n"] == 54


def test_it_writes_every_node_of_the_tree_with_its_parent(demo_round):
    data = exported(report_build(demo_round, language="fi"))

    nodes = {node["code"]: node for node in data["nodes"]}
    assert len(data["nodes"]) == demo_round.nodes.count() == 38
    assert nodes["palvelustrategia"]["parent"] is None
    assert nodes["yhteistyo"]["parent"] == "yhteiset-tavoitteet"
    assert nodes["yhdyspintarakenne"]["parent"] == "yhteistyo"
    assert (nodes["yhdyspintarakenne"]["rated"], nodes["yhteistyo"]["rated"]) == (True, False)
    assert sum(node["rated"] for node in data["nodes"]) == 26
    for node in data["nodes"]:
        assert sum(node["distribution"].values()) == node["n"], node["code"]


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_it_gives_the_response_rate_and_every_municipalitys_status(demo_round, language):
    report = report_build(demo_round, language=language)

    data = exported(report)

    assert data["response_rate"] == {"invited": 10, "responded": 6, "display": "6/10", "percent": "60\xa0%"}
    no_answer = [r for r in data["respondents"] if r["status"] == "no_answer"]
    assert [r["name"] for r in no_answer] == NOT_ANSWERED[language]
    label = next(r.status_label for r in report.respondents if r.status == "no_answer")
    assert {(r["answered"], r["status_label"]) for r in no_answer} == {(False, label)}
    assert len(data["respondents"]) == 10
    assert sum(r["answered"] for r in data["respondents"]) == 6


def test_it_quotes_the_excerpts_with_their_municipalities(demo_round):
    excerpts = list(demo_round.excerpts.order_by("order"))
    excerpts[0].goals.set(demo_round.nodes.filter(code__in=["yhteistyo", "osallisuus"]))

    data = exported(report_build(demo_round, language="sv"))

    assert [(e["municipality"], e["text"]) for e in data["excerpts"]] == [
        ("Lojo", excerpts[0].text),
        ("Högfors", excerpts[1].text),
        ("Grankulla", excerpts[2].text),
    ]
    assert sorted(data["excerpts"][0]["goals"]) == ["osallisuus", "yhteistyo"]
    assert data["excerpts"][1]["goals"] == []


def test_it_holds_the_narrative_and_what_the_report_is(demo_round):
    report = report_build(demo_round, language="fi")

    data = exported(report)

    assert data["narrative"] == report.narrative != ""
    assert data["round"]["code"] == "kuntakysely-2024"
    assert data["round"]["title"] == demo_round.title_fi
    assert data["round"]["window"] == "6.11.–5.12.2024"
    assert data["scale"][0] == {"value": 5, "label": "Erinomaisesti"}
    assert data["minimum_n"] == 3
    generated_at = datetime.fromisoformat(data["generated_at"])
    assert generated_at == report.generated_at
    assert generated_at.utcoffset() is not None


def test_it_gives_no_mean_where_nothing_was_answered(demo_round):
    open_round = Round.objects.get(code="kuntakysely-demo")

    data = exported(report_build(open_round, language="fi"))

    assert {(node["mean"], node["median"], node["display"], node["n"]) for node in data["nodes"]} == {
        (None, None, "–", 0)
    }
    assert data["response_rate"]["responded"] == 0
    assert all(node["low_n"] for node in data["nodes"])


def test_it_flags_values_resting_on_fewer_answers_than_the_minimum(demo_round, settings):
    settings.ARVIO_MIN_N = 7

    data = exported(report_build(demo_round, language="fi"))

    nodes = {node["code"]: node for node in data["nodes"]}
    assert data["minimum_n"] == 7
    assert nodes["sijaishuolto"]["low_n"] is True  # n = 6
    assert nodes["vammaispalvelut"]["low_n"] is False  # n = 12
    assert {row["code"] for row in data["summary"] if row["low_n"]} == {
        "yhteistyomallit",
        "hyte-yhteistyo",
        "osallisuus",
        "perustason-palvelut",
        "valmius",
        "ikaantyneiden-palvelut",
    }


# A validator for the part of JSON Schema (2020-12) that docs/report.schema.json uses; the `jsonschema`
# library would do the same, and more, as a test dependency.
TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
    "integer": int,
    "number": (int, float),
}


def schema_errors(value, schema, path="$") -> list[str]:
    if "$ref" in schema:
        schema = SCHEMA["$defs"][schema["$ref"].removeprefix("#/$defs/")]
    errors = []
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if isinstance(value, bool) and "boolean" not in types or not isinstance(value, tuple(TYPES[t] for t in types)):
            return [f"{path}: {value!r} is not {schema['type']}"]
    if "const" in schema and value != schema["const"]:
        errors.append(f"{path}: {value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} is not one of {schema['enum']}")
    if "minimum" in schema and value < schema["minimum"]:
        errors.append(f"{path}: {value!r} is below {schema['minimum']}")
    if isinstance(value, dict):
        errors += [f"{path}: {key} is missing" for key in schema.get("required", []) if key not in value]
        for key, item in value.items():
            if "propertyNames" in schema and not re.search(schema["propertyNames"]["pattern"], key):
                errors.append(f"{path}: {key!r} is not a valid name")
            if key in schema.get("properties", {}):
                errors += schema_errors(item, schema["properties"][key], f"{path}.{key}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{path}: {key} is not allowed")
            elif isinstance(schema.get("additionalProperties"), dict):
                errors += schema_errors(item, schema["additionalProperties"], f"{path}.{key}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            errors += schema_errors(item, schema["items"], f"{path}[{index}]")
    return errors


def test_it_keeps_to_its_schema(demo_round):
    data = exported(report_build(demo_round, language="sv"))
    empty = exported(report_build(Round.objects.get(code="kuntakysely-demo"), language="fi"))

    assert schema_errors(data, SCHEMA) == []
    assert schema_errors(empty, SCHEMA) == []
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    # The check itself catches what a reader of the schema would rely on.
    del data["nodes"][0]["mean"]
    data["nodes"][1]["n"] = 2.5
    data["respondents"][0]["status"] = "late"
    data["extra"] = True
    assert set(schema_errors(data, SCHEMA)) == {
        "$: extra is not allowed",
        "$.respondents[0].status: 'late' is not one of ['not_opened', 'opened', 'draft', 'submitted', 'no_answer']",
        "$.nodes[0]: mean is missing",
        "$.nodes[1].n: 2.5 is not integer",
    }
