"""The 2024 council deck made by hand (a copy of shared/seed/kuntakysely-2024-report.txt) and what the tests
read from it: the values, the municipalities, the quotes. Arvio must reproduce all of it from data."""

import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

DECK = (Path(__file__).parent / "data" / "kuntakysely-2024-report.txt").read_text(encoding="utf-8")

MUNICIPALITIES_IN_DECK_ORDER = [
    ("049", "Espoo", "Esbo", "fi-sv"),
    ("235", "Kauniainen", "Grankulla", "fi-sv"),
    ("257", "Kirkkonummi", "Kyrkslätt", "fi-sv"),
    ("755", "Siuntio", "Sjundeå", "fi-sv"),
    ("927", "Vihti", "Vichtis", "fi"),
    ("224", "Karkkila", "Högfors", "fi"),
    ("444", "Lohja", "Lojo", "fi-sv"),
    ("149", "Inkoo", "Ingå", "sv-fi"),
    ("078", "Hanko", "Hangö", "fi-sv"),
    ("710", "Raasepori", "Raseborg", "sv-fi"),
]
ANSWERED = ["Kauniainen", "Kirkkonummi", "Karkkila", "Lohja", "Hanko", "Raasepori"]
NOT_ANSWERED = ["Espoo", "Siuntio", "Vihti", "Inkoo"]

# The deck's value of every goal and of every row it derives, keyed by the start of the Finnish text.
DECK_VALUES = {
    # Hyvinvointialuestrategia
    "Rakennetaan kuntien kanssa vaikuttavat": "2,2",
    "Teemme saumatonta yhteistyötä": "2,7",
    # Palvelustrategia: the four main goals and their sub-goals
    "Kuntien ja muiden keskeisten toimijoiden": "2,7",
    "Luomme selkeän yhdyspintarakenteen": "2,3",
    "Kehitämme yhteistä tietopohjaa": "2,8",
    "Käymme avointa vuoropuhelua": "2,5",
    "Hyvinvointialueen hyvinvointikertomus": "3,2",
    "Hyvinvointialueen asukkaat, henkilöstö": "2,2",
    "Hyvinvointialueella asuvat": "2,2",
    "Vahvistamme perustason palveluihin": "2,3",
    "Sovimme kuntien ja järjestöjen": "2,3",
    "Turvaamme väestöllemme": "2,8",
    "Valmiussuunnittelu perustuu": "2,8",
    # Palvelustrategia: the themes and their goals
    "Aikuisten sosiaalipalvelut": "2,3",
    "Palvelujen järjestämisessä": "2,2",
    "Maahanmuuttajien kotoutumista": "2,3",
    "Ikääntyneiden palvelut": "2,7",
    "Ikäihmisten toimintakykyä": "2,7",
    "Lasten, nuorten ja perheiden palvelut": "2,1",
    "Perheiden arjen sujuvuutta": "2,7",
    "Yhteistyötä sijaishuollon": "1,5",
    "Hyvinvointialue tekee tiivistä": "2,2",
    "Vammaispalvelut": "2,1",
    "Hyvinvointialueen kuntien kanssa tehdään": "2,3",
    "Vammaispalvelujen asiantuntemusta": "1,8",
    # Pelastustoimen palvelutasopäätös
    "Pelastustoimen palvelutasopäätös": "3,4",
    "Länsi-Uudenmaan pelastuslaitoksen palvelut": "3,3",
    "Länsi-Uudenmaan pelastuslaitos on toiminut": "3,8",
    "Olemme ottaneet kaksikielisyyden": "3,8",
    "Yhteistyö kunnan ja pelastuslaitoksen": "3,7",
    "Yhteistyö kuntalaisten turvallisuuden": "3,2",
    "Paloriskikohteiden moniviranomaisyhteistyön": "3,0",
    "Länsi-Uudenmaan pelastuslaitoksen tuki rakentamisen": "3,2",
    "Yhteistyö ympäristövahinkojen": "3,3",
    "Länsi-Uudenmaan pelastuslaitoksen tuki kunnan omalle": "3,3",
}


# How the narrative names each summary row: the genitive in Finnish, the form after "inom" in Swedish.
GENITIVES = {
    "yhteistyomallit": ("yhteistyömallien", "samarbetsmodellerna"),
    "hyte-yhteistyo": ("hyvinvoinnin ja terveyden edistämisen", "främjandet av välfärd och hälsa"),
    "yhteistyo": ("yhteistyön tavoitteellisuuden", "samarbetets målinriktning"),
    "osallisuus": ("osallisuuden", "delaktigheten"),
    "perustason-palvelut": ("perustason palvelujen", "tjänsterna på basnivå"),
    "valmius": ("valmiuden ja varautumisen", "beredskapen och förberedelserna"),
    "aikuisten-sosiaalipalvelut": ("aikuisten sosiaalipalvelujen", "socialservicen för vuxna"),
    "ikaantyneiden-palvelut": ("ikääntyneiden palvelujen", "tjänsterna för äldre"),
    "lasten-nuorten-ja-perheiden-palvelut": (
        "lasten, nuorten ja perheiden palvelujen",
        "tjänsterna för barn, unga och familjer",
    ),
    "vammaispalvelut": ("vammaispalvelujen", "funktionshinderservicen"),
    "pelastustoimen-palvelutasopaatos": ("pelastustoimen", "räddningsväsendet"),
}
LEVELS = [
    (5, "erinomaiseksi", "utmärkt", "excellent"),
    (4, "hyväksi", "väl", "good"),
    (3, "kohtalaiseksi", "någorlunda", "moderate"),
    (2, "heikoksi", "dåligt", "poor"),
    (1, "olemattomaksi", "inte alls", "non-existent"),
]
# The deck's order of the excerpts.


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def shown(mean: Fraction) -> str:
    """One decimal, half up, with a decimal comma: the way the deck prints a mean."""
    rounded = (Decimal(mean.numerator) / Decimal(mean.denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return str(rounded).replace(".", ",")


def deck_paragraphs(text: str) -> list[str]:
    """The deck's paragraphs (separated by blank lines), each with the lines the PDF broke joined."""
    return [normalised(paragraph) for paragraph in re.split(r"\n\s*\n", text) if paragraph.strip()]


def deck_sentence(start: str) -> str:
    """The deck's sentence that begins with `start`, its broken lines joined."""
    return re.search(re.escape(start) + r"[^.]*\.", normalised(DECK)).group()


def deck_quotes() -> dict[str, str]:
    """The quoted open answers of the deck's last page, by municipality."""
    return {
        municipality: quote
        for quote, municipality in re.findall(r"[”“]([^”“]+)[”“]\s+(Lohja|Karkkila|Kauniainen)\b", DECK)
    }


def seed_values(round) -> dict[str, str]:
    """The deck's value of each node of a round, by code: the number printed right after the node's Finnish
    text (and its "(N alatavoitetta)")."""
    deck = normalised(DECK)
    values = {}
    for node in round.nodes.all():
        found = set(re.findall(re.escape(normalised(node.text_fi)) + r" (?:\(\d+ alatavoitetta\) )?(\d,\d)\b", deck))
        if found:
            assert len(found) == 1, node.code
            values[node.code] = found.pop()
    # Every goal and every summary row; only the two documents and one theme that the deck never values are left out.
    assert len(values) == 35
    return values
