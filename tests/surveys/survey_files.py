"""A small valid survey definition, for tests to break in one place at a time."""

from datetime import date
from pathlib import Path

import yaml


def text(fi, sv, en=None) -> dict:
    return {"fi": fi, "sv": sv} | ({"en": en} if en else {})


def valid_definition() -> dict:
    """Two documents: one holding a goal with sub-goals and a theme, one holding a theme only."""
    return {
        "format": "arvio-survey/1",
        "organizer": {
            "code": "luvn",
            "name": text("Länsi-Uudenmaan hyvinvointialue", "Västra Nylands välfärdsområde"),
        },
        "municipalities": [
            {"code": "235", "name": text("Kauniainen", "Grankulla"), "language": "fi-sv"},
            {"code": "224", "name": text("Karkkila", "Högfors"), "language": "fi"},
            {"code": "049", "name": text("Espoo", "Esbo", "Espoo"), "language": "fi-sv"},
        ],
        "round": {
            "code": "kuntakysely-2024",
            "title": text("Kuntakysely", "Kommunenkät", "Municipal survey"),
            "purpose": text("Kyselyn tarkoituksena on koota kuntien näkemyksiä.", "Syftet är att samla synpunkter."),
            "target_group": text("kunnanjohto", "kommunledningen"),
            "opens_on": date(2024, 11, 6),
            "closes_on": date(2024, 12, 5),
            "narrative": {"strongest": 2, "weakest": 1},
        },
        "scale": {
            "options": [
                {
                    "value": 5,
                    "label": text("Erinomaisesti", "Utmärkt", "Excellent"),
                    "level": text("erinomaiseksi", "utmärkt", "excellent"),
                },
                {"value": 4, "label": text("Hyvin", "Väl")},
                {
                    "value": 3,
                    "label": text("Kohtalaisesti", "Någorlunda"),
                    "level": text("kohtalaiseksi", "någorlunda"),
                },
                {"value": 2, "label": text("Heikosti", "Dåligt")},
                {"value": 1, "label": text("Ei lainkaan", "Inte alls")},
            ],
            "dont_know": text("En osaa sanoa", "Kan inte säga"),
        },
        "documents": [
            {
                "code": "palvelustrategia",
                "text": text("Palvelustrategia", "Servicestrategin"),
                "goals": [
                    {
                        "code": "yhteistyo",
                        "text": text("Yhteistyö on toimivaa.", "Samarbetet fungerar."),
                        "label": text("yhteistyö", "samarbetet"),
                        "label_genitive": text("yhteistyön", "samarbetet", "cooperation"),
                        "summary_row": True,
                        "detail_page": True,
                        "subgoals": [
                            {"code": "yhteistyo-rakenne", "text": text("Selkeä rakenne.", "En tydlig struktur.")},
                            {"code": "yhteistyo-tietopohja", "text": text("Yhteinen tietopohja.", "Gemensam kunskap.")},
                        ],
                    },
                ],
                "themes": [
                    {
                        "code": "vammaispalvelut",
                        "text": text("Vammaispalvelut", "Funktionshinderservice"),
                        "label": text("vammaispalvelut", "funktionshinderservice"),
                        "summary_row": True,
                        "goals": [
                            {"code": "vammais-esteettomyys", "text": text("Esteettömyys.", "Tillgänglighet.")},
                        ],
                    },
                ],
            },
            {
                "code": "hyvinvointialuestrategia",
                "text": text("Hyvinvointialuestrategia", "Välfärdsområdesstrategin"),
                "themes": [
                    {
                        "code": "osallisuus-teema",
                        "text": text("Osallisuus", "Delaktighet"),
                        "goals": [
                            {
                                "code": "osallisuus",
                                "text": text("Asukkaat osallistuvat.", "Invånarna deltar."),
                                "heading": text("Osallisuus ja vaikuttaminen", "Delaktighet och påverkan"),
                                "subgoals": [
                                    {"code": "osallisuus-kanavat", "text": text("Kanavat.", "Kanaler.")},
                                    {"code": "osallisuus-palaute", "text": text("Palaute.", "Respons.")},
                                ],
                            },
                        ],
                    },
                ],
            },
        ],
        "questions": [
            {"code": "kehittaminen", "text": text("Mitä pitäisi kehittää?", "Vad borde utvecklas?")},
        ],
        "invitations": [
            {
                "municipality": "235",
                "contacts": [
                    {"name": "Kaisa Kunnanjohtaja", "email": "kaisa@kauniainen.example", "role": "kaupunginjohtaja"},
                    {"name": "Kalle Kirjaaja", "email": "kalle@kauniainen.example"},
                ],
            },
            {
                "municipality": "224",
                "deadline_extended_to": date(2024, 12, 12),
                "contacts": [{"name": "Karin Karkkila", "email": "karin@karkkila.example"}],
            },
            {"municipality": "049", "contacts": [{"name": "Eero Espoo", "email": "eero@espoo.example"}]},
        ],
    }


def write_yaml(tmp_path: Path, data: dict, name="survey.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
