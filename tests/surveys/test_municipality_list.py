import yaml

from arvio.demo.load import SURVEY_FILE
from arvio.surveys.municipality_list import (
    LIST_YEAR,
    ListedMunicipality,
    municipality_list,
    municipality_listed,
    municipality_search,
)


def test_it_holds_every_municipality_of_its_year():
    # Statistics Finland, Kunnat 2025: 308 municipalities (Pertunmaa joined Mäntyharju on 1 January 2025).
    assert LIST_YEAR == 2025
    assert len(municipality_list()) == 308


def test_it_has_each_code_once_and_of_three_digits():
    codes = [municipality.code for municipality in municipality_list()]
    assert len(set(codes)) == len(codes)
    assert all(len(code) == 3 and code.isdigit() for code in codes)


def test_it_has_a_name_in_each_language_and_a_known_language_status():
    for municipality in municipality_list():
        assert municipality.name_fi and municipality.name_sv
        assert municipality.language in {"fi", "sv", "fi-sv", "sv-fi"}


def test_it_knows_these_municipalities():
    assert municipality_listed("049") == ListedMunicipality("049", "Espoo", "Esbo", "fi-sv")
    assert municipality_listed("710") == ListedMunicipality("710", "Raasepori", "Raseborg", "sv-fi")
    # Bilingual with a Swedish majority since 2016 (Statistics Finland, Kielisuhde).
    assert municipality_listed("545") == ListedMunicipality("545", "Närpiö", "Närpes", "sv-fi")
    assert municipality_listed("927") == ListedMunicipality("927", "Vihti", "Vichtis", "fi")
    assert municipality_listed("478") == ListedMunicipality("478", "Maarianhamina", "Mariehamn", "sv")
    assert municipality_listed("588") is None
    assert municipality_listed("") is None


def test_it_agrees_with_the_demo():
    demo = yaml.safe_load(SURVEY_FILE.read_text(encoding="utf-8"))["municipalities"]
    for municipality in demo:
        assert municipality_listed(municipality["code"]) == ListedMunicipality(
            municipality["code"], municipality["name"]["fi"], municipality["name"]["sv"], municipality["language"]
        )


def test_it_finds_by_either_name_or_by_code():
    assert [m.code for m in municipality_search("esbo")] == ["049"]
    assert [m.code for m in municipality_search("  ESPOO ")] == ["049"]
    assert "710" in [m.code for m in municipality_search("rase")]
    assert [m.code for m in municipality_search("927")] == ["927"]
    assert municipality_search("") == []
    assert municipality_search("zzz") == []


def test_it_lists_names_that_start_with_the_query_first():
    found = [m.name_fi for m in municipality_search("salo")]
    assert found[0] == "Salo"
