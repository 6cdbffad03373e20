"""The narrative's largest improvements and declines since the baseline: by the change as displayed, with the
tie rules of the strongest and weakest, never a flagged change."""

from fractions import Fraction

from arvio.results.narrative import Area, changes_named, draft

LEVELS = {5: "erinomaiseksi", 4: "hyvaksi", 3: "kohtalaiseksi", 2: "heikoksi", 1: "ei lainkaan"}


def area(label, change):
    return Area(label=label, mean=Fraction(change), n=5)


def test_it_names_the_largest_improvements_and_declines_in_order():
    changes = [area("a", "0.4"), area("b", "-0.2"), area("c", "0.1"), area("d", "-0.5"), area("e", "0.01")]
    improved, declined = changes_named(changes, improvements=2, declines=1)
    assert [x.label for x in improved] == ["a", "c"]
    assert [x.label for x in declined] == ["d"]


def test_it_names_a_tie_with_the_last_one_named_by_the_displayed_change():
    # 0.26 and 0.34 both show "+0,3"; −0.25 shows "−0,3" like −0.3 (the magnitude rounds half up).
    changes = [area("a", "0.5"), area("b", "0.26"), area("c", "0.34"), area("d", "-0.25"), area("e", "-0.3")]
    improved, declined = changes_named(changes, improvements=2, declines=1)
    assert [x.label for x in improved] == ["a", "b", "c"]
    assert [x.label for x in declined] == ["d", "e"]


def test_it_names_no_change_that_shows_as_none():
    improved, declined = changes_named([area("a", "0.04"), area("b", "-0.04")], improvements=3, declines=3)
    assert improved == [] and declined == []


def test_it_adds_the_sentences_only_with_a_baseline():
    kwargs = {"language": "fi", "overall": Fraction(3), "levels": LEVELS, "areas": [], "strongest": 3, "weakest": 3}
    kwargs["min_n"] = 3
    assert "Edelliseen" not in draft(**kwargs)
    text = draft(**kwargs, changes=[area("osallisuuden", "0.4"), area("valmiuden", "-0.3")], baseline_label="2022")
    assert text.split("\n\n")[1:] == [
        "Edelliseen kierrokseen (2022) verrattuna edistyminen on parantunut eniten osallisuuden saralla.",
        "Edelliseen kierrokseen (2022) verrattuna edistyminen on heikentynyt eniten valmiuden saralla.",
    ]
    swedish = draft(**kwargs | {"language": "sv"}, changes=[area("delaktigheten", "0.4")], baseline_label="2022")
    assert swedish.endswith("Jämfört med föregående omgång (2022) har framstegen förbättrats mest inom delaktigheten.")


def test_it_says_changes_are_not_named_when_every_compared_row_is_flagged():
    kwargs = {"language": "fi", "overall": Fraction(3), "levels": LEVELS, "areas": [], "strongest": 3, "weakest": 3}
    kwargs["min_n"] = 3
    text = draft(**kwargs, changes=[], baseline_label="2022", changes_flagged=True)
    assert text.split("\n\n")[-1].startswith("Muutoksia edelliseen kierrokseen (2022) ei nimetä")
    assert "ei nimetä" not in draft(**kwargs, changes=[], baseline_label="2022")
