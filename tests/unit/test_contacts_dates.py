"""Dates, times and year ranges are not phone numbers; real numbers beside them still are."""

from __future__ import annotations

import pytest

from recur_desktop.extraction.contacts import find_phone


@pytest.mark.parametrize(
    "text",
    [
        "2025-03-14 08",  # a date and an hour in a log line
        "2025-03-14 08:15:02 INFO started",
        "2025-03-14T08:15:02 worker 12",
        "Phone: 2025-03-14 08",  # a label does not make a date a number
        "14/03/2025 10:30",
        "14.03.2025 10",
        "on 03/14/2025 09 people",
        "10:30 12 45",
        "08:15:02.123 07",
        "2019 - 2022",
        "2019–2022",
        "2019 — 2022 2023",
        "Experience 2019 - 2022 12 people",
        "Acme 2019–2022 12 projects",
    ],
)
def test_dates_and_times_are_not_phones(text: str) -> None:
    assert find_phone(text) is None


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("+44 20 7946 0958", "+44 20 7946 0958"),
        ("(555) 123-4567", "(555) 123-4567"),
        ("+33 1 23 45 67 89", "+33 1 23 45 67 89"),
        ("555.123.4567", "555.123.4567"),
        ("2025-03-14 Phone: +44 20 7946 0958", "+44 20 7946 0958"),
        ("Available 9:00-17:00, call (555) 123-4567", "(555) 123-4567"),
        ("2019 - 2022 Engineer · Tel. 030/1234567", "030/1234567"),
        ("10:30 555 1234", "555 1234"),
        ("(555) 2019-2020", "(555) 2019-2020"),  # a year-range look-alike inside a number
    ],
)
def test_real_numbers_next_to_dates_are_still_found(text: str, phone: str) -> None:
    assert find_phone(text) == phone
