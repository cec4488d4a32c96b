"""Date ranges in resume text, counted in months.

Recruiters read "2015-2019" as four years and "Jan 2018 - Dec 2018" as one: a range that names
months includes its end month, a range of bare years runs from the start year to the end year.
"Present", "current", "now" and "today" end at the analysis date, which callers pass in so that a
result can be reproduced (and tests do not age).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
#: A season names its first month; a lone season is taken as a three-month stint.
_SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
_MONTH_WORD = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_SEASON_WORD = r"spring|summer|fall|autumn|winter"


def _point(p: str) -> str:
    return (
        rf"(?:(?P<{p}mon>{_MONTH_WORD})\.?,?\s*(?:(?P<{p}my>(?:19|20)\d\d)|'(?P<{p}myy>\d\d))"
        rf"|(?P<{p}sea>{_SEASON_WORD})\s*(?P<{p}sy>(?:19|20)\d\d)"
        rf"|(?P<{p}nm>\d{{1,2}})\s?[/.]\s?(?P<{p}ny>(?:19|20)\d\d)"
        rf"|(?P<{p}iy>(?:19|20)\d\d)[-/.](?P<{p}im>\d{{1,2}})(?![\d])"
        rf"|(?P<{p}y>(?:19|20)\d\d))"
    )


_OPEN_END = r"(?P<open>present|current(?:ly)?|now|today|ongoing|till\s+date|to\s+date|date)"
_SEPARATOR = r"\s*(?:-{1,2}|\u2013|\u2014|\u2012|\u2015|~|\u2192|to|until|till|through|thru)\s*"
_RANGE = re.compile(
    rf"(?<![\w/.]){_point('s_')}{_SEPARATOR}(?:{_point('e_')}|{_OPEN_END})(?![\w/])",
    re.IGNORECASE,
)
#: "Since 2018", "From March 2020": a start with an implied "present" end.
_SINCE = re.compile(rf"\b(?:since|from)\s+{_point('s_')}(?![\w/\-\u2013])", re.IGNORECASE)
#: "Jan - Mar 2018": a start month borrowing the end's year.
_SAME_YEAR = re.compile(
    rf"(?<![\w/.])(?P<smon>{_MONTH_WORD})\.?{_SEPARATOR}(?P<emon>{_MONTH_WORD})\.?,?\s*"
    r"(?P<year>(?:19|20)\d\d)(?![\w/])",
    re.IGNORECASE,
)
#: "Summer 2020" on its own: an internship season.
_LONE_SEASON = re.compile(
    rf"(?<![\w\-\u2013])(?P<sea>{_SEASON_WORD})\s+(?P<year>(?:19|20)\d\d)(?!\s*(?:-|\u2013|\u2014|to\b))",
    re.IGNORECASE,
)
EARLIEST_YEAR = 1950
#: Every range names a year; only the lines around one are searched (much faster on long text).
_YEARISH = re.compile(r"(?:19|20)\d\d|'\d\d")


def _windows(text: str) -> list[tuple[int, int]]:
    """Spans from the start of each line naming a year to the end of the second line after it
    (the end of a range may sit there: "June 2020 -" / "Present"), overlapping spans merged."""
    spans: list[tuple[int, int]] = []
    for match in _YEARISH.finditer(text):
        start = text.rfind("\n", 0, match.start()) + 1
        if spans and start <= spans[-1][1]:
            if match.end() <= spans[-1][1]:
                continue
            start = spans[-1][0]
            spans.pop()
        end = match.end()
        for _ in range(3):
            end = text.find("\n", end + 1)
            if end < 0:
                end = len(text)
                break
        spans.append((start, end))
    return spans


@dataclass(frozen=True)
class DateRange:
    """A span of months ``[start, end)`` counted as ``year * 12 + month - 1``."""

    start: int
    end: int
    text_start: int
    text_end: int
    current: bool = False
    shown: str = ""

    @property
    def months(self) -> int:
        return self.end - self.start

    @property
    def start_year(self) -> int:
        return self.start // 12

    @property
    def end_year(self) -> int:
        return (self.end - 1) // 12

    def label(self) -> str:
        """ "2019–present", "2015–2019" or "2020": how the evidence cites a role."""
        if self.shown:
            return self.shown
        if self.current:
            return f"{self.start_year}\u2013present"
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}\u2013{self.end_year}"


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_of(word: str) -> int:
    return _MONTHS[word[:3].lower()]


def _parse_point(match: re.Match[str], p: str) -> tuple[int, int | None] | None:
    """(year, month or None) of one side of a range."""
    g = match.group
    if g(f"{p}mon"):
        year = g(f"{p}my")
        if year is None:
            yy = int(g(f"{p}myy"))
            year = (2000 + yy) if yy < 50 else (1900 + yy)
        return int(year), _month_of(g(f"{p}mon"))
    if g(f"{p}sea"):
        return int(g(f"{p}sy")), _SEASONS[g(f"{p}sea").lower()]
    if g(f"{p}nm"):
        month = int(g(f"{p}nm"))
        return (int(g(f"{p}ny")), month) if 1 <= month <= 12 else None
    if g(f"{p}iy"):
        month = int(g(f"{p}im"))
        return (int(g(f"{p}iy")), month) if 1 <= month <= 12 else None
    if g(f"{p}y"):
        return int(g(f"{p}y")), None
    return None


def _make(
    start: tuple[int, int | None],
    end: tuple[int, int | None] | None,
    today: int,
    span: tuple[int, int],
) -> DateRange | None:
    s_year, s_month = start
    if s_year < EARLIEST_YEAR:
        return None
    first = s_year * 12 + (s_month or 1) - 1
    if end is None:  # present
        last = today + 1
        current = True
    else:
        current = False
        e_year, e_month = end
        if e_month is None:
            # Bare end year: "2015-2019" is four years; "Mar 2015 - 2019" runs to Jan 2019.
            last = e_year * 12 if s_month is None else e_year * 12 + 1
            if e_year == s_year:
                last = first + 6  # "2019-2019": half a year, the best guess without months
        else:
            last = e_year * 12 + e_month  # the end month is included
    if last <= first or first > today:
        return None
    last = min(last, today + 1)
    shown_end = "present" if end is None else str(end[0])
    shown = str(s_year) if shown_end == str(s_year) else f"{s_year}\u2013{shown_end}"
    return DateRange(first, last, span[0], span[1], current, shown)


def find_date_ranges(text: str, today: date) -> list[DateRange]:
    """Every date range in ``text``, in text order; impossible ranges are dropped."""
    now = month_index(today)
    found: list[DateRange] = []
    taken: list[tuple[int, int]] = []

    def overlaps(a: int, b: int) -> bool:
        return any(a < e and s < b for s, e in taken)

    windows = _windows(text)
    if not windows:
        return []

    def each(pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        for window_start, window_end in windows:
            yield from pattern.finditer(text, window_start, window_end)

    for match in each(_RANGE):
        start = _parse_point(match, "s_")
        end = None if match.group("open") else _parse_point(match, "e_")
        if start is None or (end is None and not match.group("open")):
            continue
        made = _make(start, end, now, match.span())
        if made:
            found.append(made)
            taken.append(match.span())
    for match in each(_SAME_YEAR):
        if overlaps(*match.span()):
            continue
        year = int(match.group("year"))
        made = _make(
            (year, _month_of(match.group("smon"))),
            (year, _month_of(match.group("emon"))),
            now,
            match.span(),
        )
        if made:
            found.append(made)
            taken.append(match.span())
    lower = text.lower()
    since = "since" in lower or "from" in lower
    for match in each(_SINCE) if since else ():
        if overlaps(*match.span()):
            continue
        start = _parse_point(match, "s_")
        made = _make(start, None, now, match.span()) if start else None
        if made:
            found.append(made)
            taken.append(match.span())
    seasons = any(word in lower for word in _SEASONS)
    for match in each(_LONE_SEASON) if seasons else ():
        if overlaps(*match.span()):
            continue
        year, first_month = int(match.group("year")), _SEASONS[match.group("sea").lower()]
        first = year * 12 + first_month - 1
        if year >= EARLIEST_YEAR and first <= now:
            found.append(DateRange(first, min(first + 3, now + 1), *match.span()))
            taken.append(match.span())
    found.sort(key=lambda r: r.text_start)
    return found


def merged_months(ranges: Iterable[DateRange]) -> int:
    """Months covered by ``ranges`` with overlaps counted once (two jobs at once is one year)."""
    total = 0
    current_start = current_end = None
    for start, end in sorted((r.start, r.end) for r in ranges):
        if current_end is not None and start <= current_end:
            current_end = max(current_end, end)
            continue
        if current_end is not None and current_start is not None:
            total += current_end - current_start
        current_start, current_end = start, end
    if current_end is not None and current_start is not None:
        total += current_end - current_start
    return total
