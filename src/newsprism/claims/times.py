"""Time expressions, resolved against the article's date when it has one.

"Saturday" in a report dated Saturday 2025-04-26 is that day; "last Friday" the Friday before;
"earlier this week" the Monday..date range; "in the fall" the most recent autumn. Without a date the
expression keeps a comparable key ("weekday:4", "season:autumn") and no interval.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from newsprism.claims.model import TimeRef
from newsprism.model import Span

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_ABBR = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
# Words that name a day or a month, not a thing: "Monday 30 people ..." is no "Monday 30".
CALENDAR_WORDS = frozenset((*_WEEKDAYS, *_MONTHS, *_MONTH_ABBR))
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11), "winter": (12, 2)}
_WD = "|".join(w.capitalize() for w in _WEEKDAYS)
_MO = "|".join([m.capitalize() for m in _MONTHS] + [a.capitalize() + r"\.?" for a in _MONTH_ABBR])
_PART = r"(?:\s+(?:night|morning|afternoon|evening))?"

# Clock times are times, never counts: "4:00 p.m.", "6: 00 p.m.", "23: 51".
CLOCK_TIME = re.compile(
    r"\b\d{1,2}(?:\s*:\s*\d{2})?\s*(?:[ap]\.\s?m\.?|[ap]m\b)|\b\d{1,2}\s?:\s?\d{2}\b", re.IGNORECASE
)

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    ("clock", CLOCK_TIME),
    ("mdy", re.compile(rf"\b(?P<mo>{_MO})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?\b")),
    # "28 March 2024" and "28 March, 2024": the year after a comma is still the date's.
    ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<mo>{_MO})(?:,?\s+(?P<y>\d{{4}}))?\b")),
    (
        "month_year",
        re.compile(rf"\b(?:(?P<edge>early|late|mid-?)\s*)?(?P<mo>{_MO})\s+(?P<y>\d{{4}})\b", re.I),
    ),
    (
        "year",
        re.compile(
            r"\b(?:(?:in|since|throughout|during|by|until|of|early|late|mid-?)\s+)(?P<y>(?:19|20)\d\d)\b",
            re.I,
        ),
    ),
    (
        "month",
        re.compile(rf"\b(?:in|since|during|by|until|last|this|next|early|late|mid-?)\s+(?P<mo>{_MO})\b"),
    ),
    (
        "weekday",
        re.compile(
            rf"\b(?:(?P<rel>last|this|next|earlier|later|on|late|early)\s+)?(?P<wd>{_WD}){_PART}\b", re.I
        ),
    ),
    (
        "season",
        re.compile(
            r"\b(?:in\s+the|last|this|next|in)\s+(?P<season>spring|summer|fall|autumn|winter)\b", re.I
        ),
    ),
    (
        "relative",
        re.compile(
            r"\b(?:(?:earlier|later)\s+this\s+(?:week|month|year)|(?:last|this|next)\s+(?:week|month|year)"
            r"|today|tonight|yesterday|overnight|this\s+(?:morning|afternoon|evening)|in\s+recent\s+days"
            r"|in\s+(?:the\s+)?coming\s+days)\b",
            re.I,
        ),
    ),
)
# Words ahead of a weekday that are not temporal ("Black Friday", "Good Friday") are left to NER.


def _month_number(text: str) -> int:
    t = text.lower().rstrip(".")
    return _MONTHS.index(t) + 1 if t in _MONTHS else _MONTH_ABBR[t]


def _month_range(year: int, month: int) -> tuple[date, date]:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, 1), nxt - timedelta(days=1)


def _recent_month(ref: date, month: int) -> int:
    return ref.year if month <= ref.month else ref.year - 1


def _weekday(ref: date, wd: int, rel: str) -> tuple[date, date]:
    back = (ref.weekday() - wd) % 7
    if rel == "next":
        ahead = (wd - ref.weekday()) % 7 or 7
        day = ref + timedelta(days=ahead)
    elif rel == "last" and back == 0:
        day = ref - timedelta(days=7)
    else:
        day = ref - timedelta(days=back)
    return day, day


def _relative(text: str, ref: date) -> tuple[date, date] | None:
    t = " ".join(text.lower().split())
    monday = ref - timedelta(days=ref.weekday())
    table = {
        "today": (ref, ref),
        "tonight": (ref, ref),
        "yesterday": (ref - timedelta(days=1),) * 2,
        "overnight": (ref - timedelta(days=1), ref),
        "this week": (monday, ref),
        "earlier this week": (monday, ref),
        "later this week": (ref, monday + timedelta(days=6)),
        "last week": (monday - timedelta(days=7), monday - timedelta(days=1)),
        "this year": (date(ref.year, 1, 1), date(ref.year, 12, 31)),
        "earlier this year": (date(ref.year, 1, 1), ref),
        "last year": (date(ref.year - 1, 1, 1), date(ref.year - 1, 12, 31)),
        "this month": _month_range(ref.year, ref.month),
        "earlier this month": (ref.replace(day=1), ref),
        "in recent days": (ref - timedelta(days=7), ref),
    }
    if t == "last month":
        prev = ref.replace(day=1) - timedelta(days=1)
        return _month_range(prev.year, prev.month)
    if t.startswith(("this morning", "this afternoon", "this evening")):
        return ref, ref
    return table.get(t)


def _season(name: str, ref: date, rel: str) -> tuple[date, date]:
    first, last = _SEASONS[name]
    year = ref.year if ref.month >= first or (name == "winter" and ref.month <= 2) else ref.year - 1
    if rel == "last" and ref.month >= first and name != "winter":
        year -= 1
    if name == "winter":
        start_year = year - 1 if ref.month <= 2 else year
        return date(start_year, 12, 1), _month_range(start_year + 1, 2)[1]
    return date(year, first, 1), _month_range(year, last)[1]


def _resolve(kind: str, m: re.Match[str], ref: date | None) -> tuple[tuple[date, date] | None, str | None]:
    """(interval, key) for one match."""
    g = m.groupdict()
    if kind == "iso":
        day = date(int(g["y"]), int(g["m"]), int(g["d"]))
        return (day, day), None
    if kind in ("mdy", "dmy"):
        month = _month_number(g["mo"])
        year = int(g["y"]) if g.get("y") else (_recent_month(ref, month) if ref else None)
        if year is None:
            return None, f"date:{month}-{int(g['d'])}"
        day = date(year, month, int(g["d"]))
        return (day, day), None
    if kind == "month_year":
        return _month_range(int(g["y"]), _month_number(g["mo"])), None
    if kind == "year":
        return (date(int(g["y"]), 1, 1), date(int(g["y"]), 12, 31)), None
    if kind == "month":
        month = _month_number(g["mo"])
        return (_month_range(_recent_month(ref, month), month) if ref else None), f"month:{month}"
    if kind == "weekday":
        wd = _WEEKDAYS.index(g["wd"].lower())
        rel = (g.get("rel") or "").lower()
        return (_weekday(ref, wd, rel) if ref else None), f"weekday:{wd}"
    if kind == "season":
        name = g["season"].lower()
        key = "autumn" if name == "fall" else name
        rel = m.group(0).split()[0].lower()
        return (_season(name, ref, rel) if ref else None), f"season:{key}"
    if kind == "clock":
        return None, f"clock:{''.join(m.group(0).lower().split())}"
    return (_relative(m.group(0), ref) if ref else None), f"rel:{' '.join(m.group(0).lower().split())}"


_ANY = re.compile(
    r"\d|day|night|week|month|year|spring|summer|fall|autumn|winter|"
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec",
    re.IGNORECASE,
)


def extract_times(text: str, offset: int = 0, ref: date | None = None) -> list[TimeRef]:
    """Time expressions in ``text`` (starting at ``offset`` in the article), longest match first."""
    found: list[TimeRef] = []
    if not _ANY.search(text):
        return found
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            a, b = m.span()
            if any(a < y and x < b for x, y in taken):
                continue
            try:
                interval, key = _resolve(kind, m, ref)
            except (ValueError, KeyError):
                continue  # "February 30": not a date
            taken.append((a, b))
            found.append(
                TimeRef(
                    span=Span(offset + a, offset + b),
                    text=m.group(0),
                    kind=kind,
                    start=interval[0].isoformat() if interval else None,
                    end=interval[1].isoformat() if interval else None,
                    key=key,
                )
            )
    return sorted(found, key=lambda t: t.span.start)
