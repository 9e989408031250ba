"""Which figures of a fact the other reports also give.

A corroborated fact vouches only for what its reports share. Reports of one happening are grouped
by what they say, and one outlet's sentence often carries a figure the others do not give: "at least
247 were dead ... a 6.2-magnitude earthquake" beside "6.2 Magnitude Earthquake ... Kills 37 People"
and "the magnitude-6.2 earthquake". Printing the first sentence as the fact would show 247 dead as
corroborated by three outlets. So the fact is worded by the member whose figures the other reports
share (the first in the group's order among equals), and the figures only some reports give are
named with the article that gives them. (Whether two figures are one measure reported differently,
a conflict, is the figure rules' question, not this module's.)
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from newsprism.claims.model import Claim, Quantity
from newsprism.verdicts.figures import compatible, interval

Report = Callable[[str], str]  # article id -> its independent report


@dataclass(frozen=True)
class FigureSupport:
    """The group's members with the wording member first, and the figures only some reports give,
    as (article id, figure text)."""

    members: list[Claim]
    unshared: list[tuple[str, str]]


_VAGUE = re.compile(r"\b(?:dozens|hundreds|thousands|millions|scores|several|many|multiple|numerous|few)\b",
                    re.IGNORECASE)


def _worded(q: Quantity) -> bool:
    """A vague figure ("dozens", "hundreds", "several"): it fits many numbers and backs none."""
    return not any(ch.isdigit() for ch in q.text) and bool(_VAGUE.search(q.text))


def supports(other: Quantity, q: Quantity) -> bool:
    """Another report's figure backs ``q``: the two fit each other, and where either is a bound the
    other's says at least as much as ``q`` ("250" backs "at least 247"; "at least 120" does not, nor
    does "at least 35" back "37")."""
    if not compatible(q, other) or (_worded(other) and not _worded(q)):
        return False  # "dozens" fits 37 but does not back it
    lo, hi = interval(q)
    bound = any(math.isinf(v) for v in (q.low, q.high, other.low, other.high))
    return not bound or lo <= other.si_low <= other.si_high <= hi


def _shared(q: Quantity, c: Claim, members: Sequence[Claim], report_of: Report) -> bool:
    """Another report of the group gives the figure: by value in base units, whatever the words it is
    read with ("At Least 42 Dead" and "at least 42 people"; "7.3 Earthquake" and "7.3-magnitude"),
    since a headline's figure is often read with no head noun or the wrong one. Vague figures
    ("dozens") are not figures to vouch for: never listed."""
    mine = report_of(c.article_id)
    return any(
        report_of(o.article_id) != mine and supports(o_q, q)
        for o in members
        for o_q in o.quantities
    )


def figure_support(members: Sequence[Claim], report_of: Report) -> FigureSupport:
    """Members reordered so the one with the fewest figures no other report gives comes first."""
    unshared = {
        c.id: [q for q in c.quantities if not _worded(q) and not _shared(q, c, members, report_of)]
        for c in members
    }
    order = sorted(range(len(members)), key=lambda i: (len(unshared[members[i].id]), i))
    ordered = [members[i] for i in order]
    named, seen = [], set()
    for c in ordered:  # each figure once per independent report (copies print it alike)
        for q in unshared[c.id]:
            key = (report_of(c.article_id), q.si_low, q.si_high, q.dimension)
            if key not in seen:
                seen.add(key)
                named.append((c.article_id, q.text))
    return FigureSupport(ordered, named)


def describe(support: FigureSupport, limit: int = 4) -> str | None:
    """What the reason says of the figures only some reports give, if any."""
    if not support.unshared:
        return None
    shown = [f"{text} ({article[:12]})" for article, text in support.unshared[:limit]]
    more = len(support.unshared) - len(shown)
    return "figures only some reports give: " + ", ".join(shown) + (f" and {more} more" if more > 0 else "")
