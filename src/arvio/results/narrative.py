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
  minimum n is never named, and no row is named in both lists. Each list names
  at most half of the rows (before ties), so that with three rows and the
  default counts (3 and 3) the draft names the highest as strongest and the
  lowest as weakest; a list that ties would stretch over every row keeps only
  the rows strictly beyond the tie, and every weakest row is rated below every
  strongest one.
- Where the round has a baseline, the largest improvements and declines are the
  summary rows ordered by their change as displayed ("+0,4"), by the same tie
  rules, as many as the strongest and the weakest; only rows whose change is not
  flagged (too few answers, other municipalities answering) are named, a row
  with no change shown ("±0,0") is neither. Where rows were compared but every
  change is flagged, the draft says that changes are not named.
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from arvio.results.numbers import round_change, round_half_up


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
        "improved": "Edelliseen kierrokseen ({baseline}) verrattuna edistyminen on parantunut eniten {areas} saralla.",
        "declined": "Edelliseen kierrokseen ({baseline}) verrattuna edistyminen on heikentynyt eniten {areas} saralla.",
        "changes_not_named": "Muutoksia edelliseen kierrokseen ({baseline}) ei nimetä, koska ne eivät ole vertailukelpoisia (esimerkiksi vastaajat eri kunnat).",
        "or": "tai",
        "and": "sekä",
    },
    "sv": {
        "level": "De svarande kommunerna bedömde att de strategiska samarbetsmålen i genomsnitt har framskridit {level}.",
        "strongest": "Framstegen har varit störst inom {areas}.",
        "weakest": "Svagast bedömdes framstegen inom {areas}.",
        "none": "Kommunerna har ännu inte bedömt målen.",
        "improved": "Jämfört med föregående omgång ({baseline}) har framstegen förbättrats mest inom {areas}.",
        "declined": "Jämfört med föregående omgång ({baseline}) har framstegen försämrats mest inom {areas}.",
        "changes_not_named": "Förändringarna sedan föregående omgång ({baseline}) nämns inte, eftersom de inte är jämförbara (till exempel svarande olika kommuner).",
        "or": "eller",
        "and": "och",
    },
    "en": {
        "level": "The responding municipalities rated progress in the strategic cooperation goals as {level} on average.",
        "strongest": "Progress has been strongest in {areas}.",
        "weakest": "Progress was rated weakest in {areas}.",
        "none": "The municipalities have not rated the goals yet.",
        "improved": "Compared with the previous round ({baseline}), progress has improved most in {areas}.",
        "declined": "Compared with the previous round ({baseline}), progress has declined most in {areas}.",
        "changes_not_named": "Changes since the previous round ({baseline}) are not named, as they are not comparable (for instance, different municipalities answered).",
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
    """The strongest and weakest areas, ties with the last one named included.

    Each list names at most half of the rows that may be named, so that with few rows the strongest never
    reach down to the lowest-rated one; a list that ties would stretch over every such row keeps only the
    rows strictly beyond the tie (it says nothing otherwise). Every weakest row is below every strongest."""
    rated = [area for area in areas if area.mean is not None and area.n >= min_n]
    half = len(rated) // 2
    # Stable sorts keep the tree's order among equal values.
    high = sorted(rated, key=lambda area: area.shown, reverse=True)
    top = _take_fewer_than(high, min(strongest, half), len(rated))
    below = [area for area in rated if not top or area.shown < top[-1].shown]
    low = sorted(below, key=lambda area: area.shown)
    return top, _take_fewer_than(low, min(weakest, half), len(rated))


def _take_fewer_than(ordered: list[Area], count: int, everyone: int) -> list[Area]:
    taken = _take_by(ordered, count, lambda area: area.shown)
    if taken and len(taken) >= everyone:
        taken = [area for area in taken if area.shown != taken[-1].shown]
    return taken


def changes_named(changes: list[Area], *, improvements: int, declines: int) -> tuple[list[Area], list[Area]]:
    """The largest improvements and declines (`mean` holds the change), ties with the last one named included."""
    up = sorted(
        (area for area in changes if round_change(area.mean) > 0),
        key=lambda area: round_change(area.mean),
        reverse=True,
    )
    down = sorted((area for area in changes if round_change(area.mean) < 0), key=lambda area: round_change(area.mean))
    return _take_by(up, improvements, lambda area: round_change(area.mean)), _take_by(
        down, declines, lambda area: round_change(area.mean)
    )


def _take_by(ordered: list[Area], count: int, key) -> list[Area]:
    if count <= 0 or not ordered:
        return []
    taken = ordered[:count]
    while len(taken) < len(ordered) and key(ordered[len(taken)]) == key(taken[-1]):
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
    changes: list[Area] | None = None,
    baseline_label: str = "",
    changes_flagged: bool = False,
) -> str:
    """The narrative in one language, paragraphs separated by a blank line.

    `changes` (None without a baseline) are the summary rows whose change may be named; `changes_flagged`
    says that rows were compared but their changes were flagged."""
    sentences = SENTENCES[language]
    if overall is None:
        return sentences["none"]
    top, bottom = extremes(areas, strongest=strongest, weakest=weakest, min_n=min_n)
    paragraphs = [sentences["level"].format(level=level_phrase(overall, levels, language))]
    if top:
        paragraphs.append(sentences["strongest"].format(areas=join([area.label for area in top], language)))
    if bottom:
        paragraphs.append(sentences["weakest"].format(areas=join([area.label for area in bottom], language)))
    if changes is not None:
        improved, declined = changes_named(changes, improvements=strongest, declines=weakest)
        if improved:
            paragraphs.append(
                sentences["improved"].format(
                    baseline=baseline_label, areas=join([area.label for area in improved], language)
                )
            )
        if declined:
            paragraphs.append(
                sentences["declined"].format(
                    baseline=baseline_label, areas=join([area.label for area in declined], language)
                )
            )
        if not changes and changes_flagged:
            paragraphs.append(sentences["changes_not_named"].format(baseline=baseline_label))
    return "\n\n".join(paragraphs)


def fingerprint(values: list[tuple[str, str, int]]) -> str:
    """Identifies the numbers a narrative was written against: (code, display, n) per row."""
    return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()
