"""Date ranges: formats, "present", impossible ranges, and merging overlaps."""

from __future__ import annotations

from datetime import date

import pytest

from recur_desktop.analysis.dates import find_date_ranges, merged_months

TODAY = date(2026, 1, 15)


def spans(text: str) -> list[tuple[str, int]]:
    return [(r.label(), r.months) for r in find_date_ranges(text, TODAY)]


@pytest.mark.parametrize(
    ("text", "label", "months"),
    [
        ("Jan 2018 \u2013 Present", "2018\u2013present", 97),
        ("January 2018 - Current", "2018\u2013present", 97),
        ("Jan. 2018 - Dec 2018", "2018", 12),
        ("2015-2019", "2015\u20132019", 48),
        ("2015 \u2013 2019", "2015\u20132019", 48),
        ("2015 to 2019", "2015\u20132019", 48),
        ("03/2016 to 08/2019", "2016\u20132019", 42),
        ("3/2016 - 8/2019", "2016\u20132019", 42),
        ("2016-03 \u2013 2019-08", "2016\u20132019", 42),
        ("03.2016 - 08.2019", "2016\u20132019", 42),
        ("Summer 2020", "2020", 3),
        ("Summer 2019 \u2013 Fall 2020", "2019\u20132020", 16),
        ("Sept 2017 to now", "2017\u2013present", 101),
        ("Jan '18 - Mar '20", "2018\u20132020", 27),
        ("Jan \u2013 Mar 2018", "2018", 3),
        ("Since 2019", "2019\u2013present", 85),
        ("June 2020 \u2013\nPresent", "2020\u2013present", 68),
        ("12/2019 - present", "2019\u2013present", 74),
    ],
)
def test_common_formats(text, label, months):
    assert spans(text) == [(label, months)]


def test_present_ends_at_the_given_day():
    [later] = find_date_ranges("Jan 2018 - Present", date(2027, 1, 1))
    assert later.months == 109 and later.current


@pytest.mark.parametrize(
    "text",
    [
        "Graduated May 2016",  # a single date is not a range
        "Call 2000-2500 times",  # not years
        "2019 - 2017",  # ends before it starts
        "Mar 2027 - Present",  # starts in the future
        "Team of 1900 - 2100 people",
        "Phone +44 20 7946 0958",
    ],
)
def test_things_that_are_not_ranges(text):
    assert spans(text) == []


def test_a_range_ending_in_the_future_is_cut_at_today():
    [r] = find_date_ranges("Jan 2025 - Dec 2027", TODAY)
    assert r.months == 13


def test_overlapping_ranges_count_once():
    ranges = find_date_ranges(
        "Jan 2015 - Dec 2018 Engineer\nJun 2017 - Jun 2019 Consultant\n2021 - 2022 Lead",
        TODAY,
    )
    assert len(ranges) == 3
    # 2015-01..2019-06 is 54 months, plus 12 for 2021-2022.
    assert merged_months(ranges) == 54 + 12


def test_adjacent_and_nested_ranges():
    ranges = find_date_ranges("2010 - 2020\n2012 - 2014\n2020 - 2022", TODAY)
    assert merged_months(ranges) == 12 * 12


def test_no_ranges_is_zero():
    assert merged_months([]) == 0
