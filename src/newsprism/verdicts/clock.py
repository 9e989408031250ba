"""Clock-time conflicts: one event timed differently by two reports.

"it collided with the JAL plane around 5:47 p.m." vs "The collision occurred shortly after landing at
5:40 p.m.". The guards of ``verdicts.dates`` hold here too (one explicit time per claim, a pair likely
one fact, the happenings the times hang on sharing a word by the dependency parse and naming no
different actors), plus what clock times need:

- one moment printed in two zones ("5:47 p.m. local time (0847 GMT)", "(3:47 a.m. EST)") is one time,
  and only times of one zone are compared (no zone and "local time" are one);
- a hedge reaches as far as the printed precision suggests: "around 6 p.m." may be 5:30, "around
  5:47 p.m." not 5:40; "shortly after"/"just before" reach one way. A bound ("after 3 p.m.", "by
  noon") or a range dates no moment. Hedges are read next to the time only: "shortly after landing at
  5:40 p.m." prints 5:40 exactly;
- times of two printed days ("Thursday 11 p.m." / "Friday 1 a.m.") are not compared, and an article
  that prints both times takes no side (it tells two moments apart, or converts one).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from newsprism.align.model import AlignmentResult
from newsprism.align.score import stem
from newsprism.claims.model import Claim, TimeRef
from newsprism.model import Span
from newsprism.verdicts.compare import Difference, SlotValue
from newsprism.verdicts.dates import DATE_TYPE, _Dated, _parts, event_of, story_conflicts
from newsprism.verdicts.decide import GroupContext, VerdictOptions, revision_pair
from newsprism.verdicts.model import Verdict

# Two claims must be this likely one fact before their times are compared: the aligner's strong pairs,
# as for two days (``dates.DAY_MIN_PAIR``).
CLOCK_MIN_PAIR = 0.8
_DAY = 24 * 60

_TIME = re.compile(r"(?P<h>\d{1,2})(?:\s*:\s*(?P<m>\d{2}))?\s*(?:(?P<ap>[ap])\.?\s?m\b\.?)?", re.I)
# What a zone label looks like after a time: "local time", "GMT", "ET", "(0847 GMT)" is handled apart.
_ZONE = re.compile(
    r"^\s*,?\s*(?P<z>local\s+time|(?:GMT|UTC|Z|[ECMP][SD]?T|[A-Z]{2,4}[SD]T|JST|IST|BST|CET|CEST|MSK|AEST|AEDT|HKT|SGT|KST|WIB))\b"
)
_ZONE_FAMILY = {
    "GMT": "UTC",
    "Z": "UTC",
    "EST": "ET",
    "EDT": "ET",
    "PST": "PT",
    "PDT": "PT",
    "CST": "CT",
    "CDT": "CT",
    "MST": "MT",
    "MDT": "MT",
}
# How a time is hedged or bounded, read in the words just before it.
_AROUND = re.compile(
    r"\b(?:around|about|approximately|approx\.|roughly|some|circa|nearly|almost|close\s+to)\s+(?:at\s+)?$",
    re.I,
)
_AFTER = re.compile(r"\b(?:shortly|just|soon|a\s+little|moments?|minutes|right)\s+(?:after|past)\s+$", re.I)
_BEFORE = re.compile(r"\b(?:shortly|just|soon|a\s+little|moments?|minutes|right)\s+before\s+$", re.I)
_BOUND = re.compile(
    r"\b(?:by|until|till|since|before|after|past|from|through|between|to|within|as\s+of|no\s+later\s+than"
    r"|ahead\s+of|starting|beginning|deadline|later\s+than|earlier\s+than)\s+(?:about\s+|around\s+)?$",
    re.I,
)
_RANGE_AFTER = re.compile(r"^\s*(?:-|–|—|to\b|through\b|and\b|or\b|until\b|till\b)\s*\d", re.I)
# A second printed time that renders the first in another zone: "(3:47 a.m. EST)", "or 0847 GMT".
_CONVERSION_GAP = re.compile(r"^[^.;]{0,40}?(?:\(|\bor\b|/)\s*$")
# The words of a hedge the parse may hang on the happening ("deliberating a little after 3 p.m.").
_HEDGE_STEMS = frozenset(map(stem, "little shortly just soon moments minutes right nearly almost".split()))
_SEQUENCE_WORDS = frozenset(
    "first second third fourth fifth another latest earlier later initial previous subsequent next "
    "final".split()
)


@dataclass(frozen=True)
class _Timed:
    """A claim's one printed moment: minutes after midnight, the reach of its hedge either way, its
    zone (None: local or unmarked), the printed day if any, and the words shown (hedge included)."""

    claim: Claim
    time: TimeRef
    minute: int
    below: int  # the moment lies this many minutes before the printed time at most ...
    above: int  # ... and this many after it
    zone: str | None
    day: tuple[int | None, int | None, int | None, int | None] | None
    shown: Span
    shown_text: str


def minutes(text: str) -> int | None:
    """Minutes after midnight of a printed clock time: "5:47 p.m." 1067, "17:06 pm" 1026 (a 24-hour
    figure wins over its stray "pm"), "08:47" 527. None for a bare "5:40", which could be either half
    of the day, and for what is no time ("25:10")."""
    m = _TIME.fullmatch(text.strip())
    if m is None:
        return None
    h, mm, ap = int(m["h"]), int(m["m"] or 0), (m["ap"] or "").lower()
    if h > 23 or mm > 59:
        return None
    if h > 12 or (h == 0 and not ap) or (not ap and m["h"].startswith("0")):
        return h * 60 + mm
    if not ap:
        return None
    return ((h % 12) + (12 if ap == "p" else 0)) * 60 + mm


def _precision(minute: int) -> int:
    """How far a writer rounding to this figure may be off: "6 p.m." is a round figure, "5:47" is not."""
    m = minute % 60
    return 30 if m == 0 else 15 if m % 15 == 0 else 5 if m % 5 == 0 else 2


def _zone(after: str) -> str | None:
    m = _ZONE.match(after)
    if m is None or m["z"].lower().startswith("local"):
        return None
    return _ZONE_FAMILY.get(m["z"], m["z"])


def _reach(before: str, minute: int) -> tuple[int, int, int] | None:
    """(characters of hedge before the time, minutes the moment may lie before it, minutes after it)
    from the words before the time; None for a bound. An unhedged round figure is a little rounded."""
    p = _precision(minute)
    if m := _AROUND.search(before):
        return len(before) - m.start(), p, p
    if m := _AFTER.search(before):
        return len(before) - m.start(), 0, max(p, 15)
    if m := _BEFORE.search(before):
        return len(before) - m.start(), max(p, 15), 0
    if _BOUND.search(before):
        return None
    return 0, p // 3, p // 3


def _clocks(c: Claim) -> list[TimeRef]:
    lo, hi = c.content_span.start, c.content_span.end
    return [t for t in c.times if t.kind == "clock" and lo <= t.span.start and t.span.end <= hi]


def _one_moment(c: Claim, clocks: list[TimeRef], text: str) -> TimeRef | None:
    """The claim's one printed moment: its only clock time, or the first of several when each later
    one renders it in another zone ("5:47 p.m. local time on Tuesday (3:47 a.m. EST)")."""
    if not clocks:
        return None
    zones = [_zone(text[t.span.end :]) for t in clocks]
    for prev, t, z in zip(clocks, clocks[1:], zones[1:], strict=False):
        if z is None or z == zones[0] or not _CONVERSION_GAP.match(text[prev.span.end : t.span.start]):
            return None
    return clocks[0]


def _moment(c: Claim, t: TimeRef, text: str) -> _Timed | None:
    """What one printed time says, or None for a bound, a range or a bare "5:40"."""
    minute = minutes(t.text)
    if minute is None or _RANGE_AFTER.match(text[t.span.end :]):
        return None
    reach = _reach(text[max(c.span.start, t.span.start - 40) : t.span.start], minute)
    if reach is None:
        return None
    lo, hi = c.content_span.start, c.content_span.end
    days = [
        p
        for x in c.times
        if x.kind in ("mdy", "dmy", "iso", "weekday") and lo <= x.span.start < hi
        if (p := _parts(x)) is not None
    ]
    shown = Span(t.span.start - reach[0], t.span.end)
    zone = _zone(text[t.span.end :])
    return _Timed(
        c,
        t,
        minute,
        reach[1],
        reach[2],
        zone,
        days[0] if days else None,
        shown,
        text[shown.start : shown.end],
    )


def timed(c: Claim, text: str) -> _Timed | None:
    """The one moment a claim times, or None (no time, several, a bound, a range, a bare "5:40")."""
    t = _one_moment(c, _clocks(c), text)
    return _moment(c, t, text) if t is not None else None


def _same_day(x: _Timed, y: _Timed) -> bool:
    """Not two printed days: a weekday against a weekday, a month and day against a month and day."""
    if x.day is None or y.day is None:
        return True
    (wx, mx, dx, _), (wy, my, dy, _) = x.day, y.day
    if wx is not None and wy is not None:
        return wx == wy
    if mx is not None and my is not None:
        return (mx, dx) == (my, dy)
    return True


def _apart(x: _Timed, y: _Timed) -> bool:
    """Each printed time stands for [minute - below, minute + above]; on the clock's circle two such
    arcs are apart when both gaps between them are, by more than a minute."""
    gap = (y.minute - x.minute) % _DAY
    forward = gap - x.above - y.below
    backward = (_DAY - gap) - y.above - x.below
    return min(forward, backward) > 1


def differ(x: _Timed, y: _Timed) -> bool:
    """Two moments of one zone and day that no hedge or rounding of either can make one."""
    return x.zone == y.zone and _same_day(x, y) and _apart(x, y)


def _moments(c: Claim, text: str) -> list[_Timed]:
    return [m for t in _clocks(c) if (m := _moment(c, t, text)) is not None]


def _prints(moments: list[_Timed], other: _Timed) -> bool:
    """Does an article print the other report's time too: the same figure in any zone (a
    conversion), or a time of its zone it may be ("about 9:30 a.m." for "9:27 a.m.")?"""
    return any(m.minute == other.minute or (m.zone == other.zone and not _apart(m, other)) for m in moments)


def _sequence(parse: Callable[[str], Any], c: Claim) -> frozenset[str]:
    """Words that place the happening among several of its kind: "The first quake ... struck at 4:43"."""
    return frozenset(
        w.lower_ for w in parse(c.text) if w.dep_ in ("amod", "advmod") and w.lower_ in _SEQUENCE_WORDS
    )


def same_event(x: _Timed, y: _Timed, p_same: float, parse: Callable[[str], Any]) -> bool:
    """Likely one fact, and the times hung on one happening (as ``dates.same_event`` reads it), of
    which the claims do not tell one of several apart ("the first quake" against "the quake")."""
    if p_same < CLOCK_MIN_PAIR:
        return False
    ex = event_of(parse, _Dated(x.claim, x.time, None, None, None, None))
    ey = event_of(parse, _Dated(y.claim, y.time, None, None, None, None))
    if not (ex.words & ey.words) - _HEDGE_STEMS or (ex.actor and ey.actor and ex.actor != ey.actor):
        return False
    return _sequence(parse, x.claim) == _sequence(parse, y.claim)


def _value(t: _Timed) -> SlotValue:
    key = f"clock:{t.minute // 60:02d}:{t.minute % 60:02d}{' ' + t.zone if t.zone else ''}"
    return SlotValue(t.claim.id, t.claim.article_id, t.shown_text, t.shown, key)


def _differences(claims: list[Claim], ctx: GroupContext, parse: Callable[[str], Any]) -> list[Difference]:
    found = [t for c in claims if (t := timed(c, ctx.texts[c.article_id])) is not None]
    printed: dict[str, list[_Timed]] = defaultdict(list)
    for c in claims:
        printed[c.article_id] += _moments(c, ctx.texts[c.article_id])
    out = []
    for x, y in combinations(found, 2):
        if x.claim.article_id == y.claim.article_id or not differ(x, y):
            continue
        # An article printing both times tells two moments apart ("The earthquake struck at about
        # 9:30 a.m." and "at about 7:30 a.m." of two quakes), or converts one: it takes no side.
        if _prints(printed[x.claim.article_id], y) or _prints(printed[y.claim.article_id], x):
            continue
        if same_event(x, y, ctx.pair_prob.get((x.claim.id, y.claim.id), 0.0), parse):
            diff = Difference(DATE_TYPE, "clock", _value(x), _value(y))
            if not revision_pair(ctx, diff):
                out.append(diff)
    return out


def clock_conflicts(
    alignment: AlignmentResult, ctx: GroupContext, opts: VerdictOptions, parser: Callable[[], Any]
) -> list[Verdict]:
    """Per story, each event two reports time differently (see the module's rules): type
    "date/time", slot "clock"."""
    return story_conflicts(alignment, ctx, opts, parser, _differences)
