"""The drafted narrative's rules (results/narrative.py), without the database."""

from fractions import Fraction

import pytest

from arvio.results.narrative import Area, draft, extremes, fingerprint, join, level_phrase

FI = {5: "erinomaiseksi", 4: "hyväksi", 3: "kohtalaiseksi", 2: "heikoksi", 1: "olemattomaksi"}
SV = {5: "utmärkt", 4: "väl", 3: "någorlunda", 2: "dåligt", 1: "inte alls"}


def area(label: str, mean: str | None, n: int = 6) -> Area:
    return Area(label=label, mean=None if mean is None else Fraction(mean), n=n)


def labels(areas: list[Area]) -> list[str]:
    return [a.label for a in areas]


@pytest.mark.parametrize(
    ("overall", "phrase"),
    [
        (Fraction(3), "kohtalaiseksi"),
        (Fraction("3.24"), "kohtalaiseksi"),  # within a quarter step of 3
        (Fraction("2.76"), "kohtalaiseksi"),
        (Fraction(107, 39), "kohtalaiseksi tai heikoksi"),  # the seed: 2.74…, nearer 3 than 2
        (Fraction("3.25"), "kohtalaiseksi tai hyväksi"),  # a quarter step away is between two
        (Fraction("3.3"), "kohtalaiseksi tai hyväksi"),
        (Fraction("3.7"), "hyväksi tai kohtalaiseksi"),  # the nearer value first
        (Fraction("2.3"), "heikoksi tai kohtalaiseksi"),
        (Fraction("1.1"), "olemattomaksi"),
        (Fraction("4.9"), "erinomaiseksi"),
    ],
)
def test_it_places_the_overall_level_on_the_scale_in_its_words(overall, phrase):
    assert level_phrase(overall, FI, "fi") == phrase


def test_it_joins_two_levels_with_the_languages_or():
    assert level_phrase(Fraction(107, 39), SV, "sv") == "någorlunda eller dåligt"
    assert level_phrase(Fraction(107, 39), {3: "moderate", 2: "poor"}, "en") == "moderate or poor"


def test_it_names_the_nearest_level_the_scale_has_when_it_skips_values():
    levels = {5: "erinomaiseksi", 3: "kohtalaiseksi", 1: "olemattomaksi"}

    assert level_phrase(Fraction("3.6"), levels, "fi") == "kohtalaiseksi"
    assert level_phrase(Fraction("4.4"), levels, "fi") == "erinomaiseksi"


@pytest.mark.parametrize(
    ("language", "words", "joined"),
    [
        ("fi", ["a"], "a"),
        ("fi", ["a", "b"], "a sekä b"),
        ("fi", ["a", "b", "c"], "a, b sekä c"),
        ("sv", ["a", "b", "c"], "a, b och c"),
        ("en", ["a", "b", "c"], "a, b and c"),
        ("fi", [], ""),
    ],
)
def test_it_joins_labels_as_a_sentence_does(language, words, joined):
    assert join(words, language) == joined


def test_it_names_the_strongest_and_weakest_by_their_values_as_shown():
    areas = [area("a", "3.4"), area("b", "2.8"), area("c", "2.1"), area("d", "1.5"), area("e", "2.5")]

    top, bottom = extremes(areas, strongest=2, weakest=2, min_n=3)

    assert labels(top) == ["a", "b"]
    assert labels(bottom) == ["d", "c"]


def test_it_names_every_row_tied_with_the_last_one_named():
    # 2.66… and 2.7 both show as 2,7: a reader sees equal numbers, so both are named, in the tree's order.
    areas = [
        area("pelastus", "3.4"),
        area("hyte", Fraction(8, 3)),
        area("yhteistyo", "2.7"),
        area("ikaantyneet", Fraction(8, 3)),
        area("muu", "2.5"),
        area("heikko", "1.5"),
    ]

    top, bottom = extremes(areas, strongest=2, weakest=1, min_n=3)

    assert labels(top) == ["pelastus", "hyte", "yhteistyo", "ikaantyneet"]
    assert labels(bottom) == ["heikko"]


def test_it_extends_the_weakest_with_ties_at_the_boundary():
    areas = [area("a", "3.0"), area("osallisuus", "2.2"), area("lapset", "2.1"), area("malli", Fraction(13, 6))]

    _top, bottom = extremes(areas, strongest=1, weakest=2, min_n=3)

    assert labels(bottom) == ["lapset", "osallisuus", "malli"]


def test_it_never_names_a_row_resting_on_fewer_answers_than_the_minimum():
    areas = [area("few", "4.9", n=2), area("a", "3.0"), area("b", "2.0"), area("fewer", "1.0", n=1)]

    top, bottom = extremes(areas, strongest=1, weakest=1, min_n=3)

    assert (labels(top), labels(bottom)) == (["a"], ["b"])


def test_it_never_names_a_row_in_both_lists():
    areas = [area("a", "3.0"), area("b", "2.0"), area("c", "2.0")]

    top, bottom = extremes(areas, strongest=2, weakest=3, min_n=3)

    assert labels(top) == ["a"]
    assert labels(bottom) == ["b", "c"]


@pytest.mark.parametrize(
    ("values", "top_expected", "bottom_expected"),
    [
        # The round: three rows, the default counts 3 and 3.
        (["3.4", "2.8", "2.1"], ["r0"], ["r2"]),
        (["3.0", "2.0"], ["r0"], ["r1"]),
        (["3.0"], [], []),
        (["3.0", "3.0", "3.0"], [], []),  # all equal: none is strongest or weakest
        (["4.0", "3.0", "3.0", "3.0"], ["r0"], ["r1", "r2", "r3"]),
        (["3.0", "3.0", "3.0", "2.0"], ["r0", "r1", "r2"], ["r3"]),
        (["4.0", "3.5", "3.0", "2.5", "2.0", "1.5"], ["r0", "r1", "r2"], ["r5", "r4", "r3"]),
    ],
)
def test_it_keeps_both_lists_true_whatever_the_number_of_rows(values, top_expected, bottom_expected):
    areas = [area(f"r{index}", value) for index, value in enumerate(values)]

    top, bottom = extremes(areas, strongest=3, weakest=3, min_n=3)

    assert (labels(top), labels(bottom)) == (top_expected, bottom_expected)
    assert not set(labels(top)) & set(labels(bottom))
    if top and bottom:
        assert min(a.shown for a in top) > max(a.shown for a in bottom)


def test_it_drafts_a_weakest_sentence_for_three_rows_with_the_default_counts():
    areas = [area("pelastustoimen", "3.4"), area("osallisuuden", "2.8"), area("vammaispalvelujen", "2.1")]

    for language, levels in (("fi", FI), ("sv", SV)):
        text = draft(
            language=language, overall=Fraction("2.8"), levels=levels, areas=areas, strongest=3, weakest=3, min_n=3
        )
        paragraphs = text.split("\n\n")
        assert len(paragraphs) == 3
        assert "pelastustoimen" in paragraphs[1] and "vammaispalvelujen" not in paragraphs[1]
        assert "vammaispalvelujen" in paragraphs[2] and "pelastustoimen" not in paragraphs[2]


def test_it_names_nothing_when_asked_for_none_and_skips_rows_without_a_value():
    areas = [area("a", "3.0"), area("none", None, n=0), area("b", "2.0")]

    assert extremes(areas, strongest=0, weakest=0, min_n=3) == ([], [])
    assert extremes(areas, strongest=5, weakest=5, min_n=0) == ([areas[0]], [areas[2]])


def test_it_drafts_the_seeds_three_paragraphs():
    areas = [
        area("yhteistyömallien", Fraction(13, 6)),
        area("pelastustoimen", "3.4"),
        area("valmiuden ja varautumisen", "2.8"),
        area("osallisuuden", "2.2"),
        area("vammaispalvelujen", "2.1"),
    ]

    text = draft(language="fi", overall=Fraction(107, 39), levels=FI, areas=areas, strongest=2, weakest=1, min_n=3)

    assert text.split("\n\n") == [
        "Vastaajakunnat arvioivat strategisissa yhteistyötavoitteissa etenemisen keskimäärin "
        "kohtalaiseksi tai heikoksi.",
        "Edistyminen on ollut vahvinta pelastustoimen sekä valmiuden ja varautumisen saralla.",
        "Heikoimmaksi arvioitiin edistyminen vammaispalvelujen yhteistyötavoitteissa.",
    ]


def test_it_says_so_when_there_are_no_answers():
    areas = [area("osallisuuden", None, n=0)]

    assert draft(language="fi", overall=None, levels=FI, areas=areas, strongest=3, weakest=3, min_n=3) == (
        "Kunnat eivät ole vielä arvioineet tavoitteita."
    )
    assert draft(language="sv", overall=None, levels=SV, areas=areas, strongest=3, weakest=3, min_n=3) == (
        "Kommunerna har ännu inte bedömt målen."
    )


def test_it_leaves_out_a_list_with_nobody_in_it():
    areas = [area("vähän", "4.0", n=1)]

    text = draft(language="fi", overall=Fraction(4), levels=FI, areas=areas, strongest=3, weakest=3, min_n=3)

    assert text == "Vastaajakunnat arvioivat strategisissa yhteistyötavoitteissa etenemisen keskimäärin hyväksi."


def test_its_fingerprint_changes_with_any_number_shown():
    numbers = [("osallisuus", "2,2", 6), ("", "2,7", 6)]

    assert fingerprint(numbers) == fingerprint(list(numbers))
    assert fingerprint(numbers) != fingerprint([("osallisuus", "2,3", 6), ("", "2,7", 6)])
    assert fingerprint(numbers) != fingerprint([("osallisuus", "2,2", 7), ("", "2,7", 6)])
