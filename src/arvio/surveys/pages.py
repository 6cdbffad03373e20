"""How detail pages that share a heading are numbered: "1/4" … "4/4".

One rule for the report (results/report.py, every format of it) and the answer form (responses/forms.py), so
that a municipality answers in the sections that the council later reads under the same numbers. It sits in
surveys, below both, and is pure: it takes the headings in the active language, in the order of the tree.
"""

from collections.abc import Sequence


def heading_parts(headings: Sequence[str]) -> list[str]:
    """For each detail page's heading, its part among the pages of the same heading, else "".

    ["Palvelut", "Osallisuus", "Palvelut"] → ["1/2", "", "2/2"].
    """
    totals: dict[str, int] = {}
    for heading in headings:
        totals[heading] = totals.get(heading, 0) + 1
    seen: dict[str, int] = {}
    parts = []
    for heading in headings:
        seen[heading] = seen.get(heading, 0) + 1
        parts.append(f"{seen[heading]}/{totals[heading]}" if totals[heading] > 1 else "")
    return parts
