"""The median read off the distribution's counts is the median of the list of every answer."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from arvio.results.rollup import NodeResult


def median_of_every_answer(distribution: dict[int, int]) -> Fraction | None:
    """The definition the counts replace: every answer in a sorted list, the middle one or the middle two's mean."""
    values = sorted(value for value, count in distribution.items() for _ in range(count))
    if not values:
        return None
    middle = len(values) // 2
    if len(values) % 2:
        return Fraction(values[middle])
    return Fraction(values[middle - 1] + values[middle], 2)


@given(st.dictionaries(st.integers(min_value=-3, max_value=10), st.integers(min_value=0, max_value=40), max_size=8))
def test_it_takes_the_same_median_from_the_counts_as_from_every_answer(distribution):
    median = NodeResult("g", 1, distribution).median
    assert median == median_of_every_answer(distribution)
    assert median is None or isinstance(median, Fraction)


def test_it_takes_the_median_of_millions_of_answers_without_listing_them():
    # Listing 6 million answers would take far longer and half a gigabyte; the counts give it at once.
    result = NodeResult("g", 1, {1: 1_000_000, 2: 1_999_999, 4: 1, 5: 3_000_000})
    assert result.median == Fraction(9, 2)
    assert NodeResult("g", 1, {1: 2, 3: 0, 5: 2}).median == 3
    assert NodeResult("g", 1, {}).median is None
