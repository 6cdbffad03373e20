"""The summary page's text, drafted from the numbers in Finnish, Swedish and English.

The seed says where the overall level lies on the scale ("keskimäärin
kohtalaiseksi tai heikoksi") and names the strongest and weakest summary rows
by their short labels. The rules, so that staff can predict the draft:

- The overall level is the mean of every numeric answer of the round. Within a
  quarter step of a scale value it is named by that value alone; otherwise by
  the two values it lies between, the nearer first.
- The strongest and weakest rows are the summary rows ordered by their value
  as displayed (one decimal): a reader who sees two equal numbers must not find
  only one of them named. A row tied with the last one named is named too, so
  a list may be longer than asked. A row resting on fewer answers than the
  minimum n is never named, and no row is named in both lists.
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from arvio.results.numbers import round_half_up


@dataclass(frozen=True)
class Area:
    """A summary row as the narrative sees it; `label` is already in the sentence's form."""

    label: str
    mean: Fraction | None
    n: int

    @property
    def shown(self) -> Decimal | None:
        return None if self.mean is None else round_half_up(self.mean)


SENTENCES = {
    "fi": {
        "level": "Vastaajakunnat arvioivat strategisissa yhteistyötavoitteissa etenemisen keskimäärin {level}.",
        "strongest": "Edistyminen on ollut vahvinta {areas} saralla.",
        "weakest": "Heikoimmaksi arvioitiin edistyminen {areas} yhteistyötavoitteissa.",
        "none": "Kunnat eivät ole vielä arvioineet tavoitteita.",
        "or": "tai",
        "and": "sekä",
    },
    "sv": {
        "level": "De svarande kommunerna bedömde att de strategiska samarbetsmålen i genomsnitt har framskridit {level}.",
        "strongest": "Framstegen har varit störst inom {areas}.",
        "weakest": "Svagast bedömdes framstegen inom {areas}.",
        "none": "Kommunerna har ännu inte bedömt målen.",
        "or": "eller",
        "and": "och",
    },
    "en": {
        "level": "The responding municipalities rated progress in the strategic cooperation goals as {level} on average.",
        "strongest": "Progress has been strongest in {areas}.",
        "weakest": "Progress was rated weakest in {areas}.",
        "none": "The municipalities have not rated the goals yet.",
        "or": "or",
        "and": "and",
    },
}


def level_phrase(overall: Fraction, levels: dict[int, str], language: str) -> str:
    """Where the overall mean lies on the scale, in the scale's words."""
    nearest = int(round_half_up(overall, 0))
    if abs(overall - nearest) < Fraction(1, 4) or nearest not in levels:
        return levels.get(nearest) or levels[min(levels, key=lambda value: abs(value - overall))]
    low = int(overall)  # floor: scale values are positive
    near, far = (nearest, low) if nearest != low else (low, low + 1)
    if near not in levels or far not in levels:
        return levels[near] if near in levels else levels[far]
    return f"{levels[near]} {SENTENCES[language]['or']} {levels[far]}"


def join(labels: list[str], language: str) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} {SENTENCES[language]['and']} {labels[-1]}"


def extremes(areas: list[Area], *, strongest: int, weakest: int, min_n: int) -> tuple[list[Area], list[Area]]:
    """The strongest and weakest areas, ties with the last one named included."""
    rated = [area for area in areas if area.mean is not None and area.n >= min_n]
    # Stable sorts keep the tree's order among equal values.
    high = sorted(rated, key=lambda area: area.shown, reverse=True)
    top = _take(high, strongest)
    low = [area for area in sorted(rated, key=lambda area: area.shown) if area not in top]
    return top, _take(low, weakest)


def _take(ordered: list[Area], count: int) -> list[Area]:
    if count <= 0 or not ordered:
        return []
    taken = ordered[:count]
    while len(taken) < len(ordered) and ordered[len(taken)].shown == taken[-1].shown:
        taken.append(ordered[len(taken)])
    return taken


def draft(
    *,
    language: str,
    overall: Fraction | None,
    levels: dict[int, str],
    areas: list[Area],
    strongest: int,
    weakest: int,
    min_n: int,
) -> str:
    """The narrative in one language, paragraphs separated by a blank line."""
    sentences = SENTENCES[language]
    if overall is None:
        return sentences["none"]
    top, bottom = extremes(areas, strongest=strongest, weakest=weakest, min_n=min_n)
    paragraphs = [sentences["level"].format(level=level_phrase(overall, levels, language))]
    if top:
        paragraphs.append(sentences["strongest"].format(areas=join([area.label for area in top], language)))
    if bottom:
        paragraphs.append(sentences["weakest"].format(areas=join([area.label for area in bottom], language)))
    return "\n\n".join(paragraphs)


def fingerprint(values: list[tuple[str, str, int]]) -> str:
    """Identifies the numbers a narrative was written against: (code, display, n) per row."""
    return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()
