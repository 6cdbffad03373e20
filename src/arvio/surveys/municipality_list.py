"""Finland's municipalities as Statistics Finland lists them (data/municipalities-2025.csv, docs/municipalities.md).

Pure: reads the file shipped with Arvio, never the database. Staff choose a round's municipalities from it;
the Municipality row is made from the listed one when a round first invites it.
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LIST_FILE = Path(__file__).parent / "data" / "municipalities-2025.csv"
LIST_YEAR = 2025


@dataclass(frozen=True)
class ListedMunicipality:
    code: str
    name_fi: str
    name_sv: str
    # As Municipality.Language has it: fi, sv, fi-sv (bilingual, Finnish majority), sv-fi.
    language: str


@cache
def municipality_list() -> tuple[ListedMunicipality, ...]:
    """Every municipality of the list, by code."""
    with LIST_FILE.open(encoding="utf-8", newline="") as file:
        lines = (line for line in file if not line.startswith("#"))
        return tuple(ListedMunicipality(**row) for row in csv.DictReader(lines))


def municipality_listed(code: str) -> ListedMunicipality | None:
    return _by_code().get(code)


@cache
def _by_code() -> dict[str, ListedMunicipality]:
    return {municipality.code: municipality for municipality in municipality_list()}


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def municipality_search(query: str) -> list[ListedMunicipality]:
    """The listed municipalities whose Finnish or Swedish name holds `query`, or whose code starts with it;
    those whose name starts with it first, then in the order of their Finnish names."""
    query = _folded(query)
    if not query:
        return []
    found = []
    for municipality in municipality_list():
        names = (_folded(municipality.name_fi), _folded(municipality.name_sv))
        if municipality.code.startswith(query) or any(query in name for name in names):
            starts = municipality.code.startswith(query) or any(name.startswith(query) for name in names)
            found.append((not starts, _folded(municipality.name_fi), municipality))
    return [municipality for *_key, municipality in sorted(found, key=lambda item: item[:2])]
