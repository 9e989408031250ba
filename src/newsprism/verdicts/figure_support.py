"""Which figures of a fact the other reports also give.

A corroborated fact vouches only for what its reports share. Reports of one happening are grouped
by what they say, and one outlet's sentence often carries a figure the others do not give: "at least
247 were dead ... a 6.2-magnitude earthquake" beside "6.2 Magnitude Earthquake ... Kills 37 People"
and "the magnitude-6.2 earthquake". Printing the first sentence as the fact would show 247 dead as
corroborated by three outlets. So the fact is worded by the member whose figures the other reports
share (among equals, the one whose words the other reports most share: the fact, not one outlet's
extra details), and the figures only some reports give are
named with the article that gives them. (Whether two figures are one measure reported differently,
a conflict, is the figure rules' question, not this module's.)
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from newsprism.align.score import content_tokens
from newsprism.claims.figure_names import NAME
from newsprism.claims.model import Claim, Quantity
from newsprism.verdicts.figure_scope import different_wholes, toll_outcome
from newsprism.verdicts.figures import compatible, interval, kind_in, outcome, outcome_of_word

Report = Callable[[str], str]  # article id -> its independent report


@dataclass(frozen=True)
class FigureSupport:
    """The group's members with the wording member first, and the figures only some reports give,
    as (article id, figure text); of those, the ones another report gives only a bound of ("over 900"
    injured beside "1,170 people were injured"), as (article id, figure text) -> (article id, bound)."""

    members: list[Claim]
    unshared: list[tuple[str, str]]
    bounded: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)


_VAGUE = re.compile(
    r"\b(?:dozens|hundreds|thousands|millions|scores|several|many|multiple|numerous|few)\b", re.IGNORECASE
)


def _worded(q: Quantity) -> bool:
    """A vague figure ("dozens", "hundreds", "several"): it fits many numbers and backs none."""
    return not any(ch.isdigit() for ch in q.text) and bool(_VAGUE.search(q.text))


def _vouchable(q: Quantity) -> bool:
    """A figure a fact may vouch for: not vague, and no part of a name ("Boeing 737 Max 9")."""
    return not _worded(q) and NAME not in q.qualifiers


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
    since a headline's figure is often read with no head noun or the wrong one; but not where the
    words of both say different things happened (killed, injured). Vague figures ("dozens") are not figures to
    vouch for: never listed."""
    mine, happened = report_of(c.article_id), outcome(c, q)
    return any(
        report_of(o.article_id) != mine and supports(o_q, q) and not _other_outcome(happened, outcome(o, o_q))
        for o in members
        for o_q in o.quantities
    )


def _other_outcome(a: str | None, b: str | None) -> bool:
    """Two figures whose words say different things happened: 1,170 people injured does not back "at
    least 233 people were killed", though the value fits the bound."""
    return a is not None and b is not None and a != b


def figure_support(members: Sequence[Claim], report_of: Report) -> FigureSupport:
    """Members reordered so the one with the fewest figures no other report gives comes first."""
    unshared = {
        c.id: [q for q in c.quantities if _vouchable(q) and not _shared(q, c, members, report_of)]
        for c in members
    }
    shared = [_words_shared(c, members, report_of) for c in members]
    # Among equals, not the member whose exact figure others give only a bound of ("1,170 injured"
    # beside "over 900 injured"): the fact would print one report's figure as everyone's.
    bounds = [sum(1 for q in unshared[c.id] if _bound_of(q, c, members, report_of)) for c in members]
    order = sorted(
        range(len(members)), key=lambda i: (len(unshared[members[i].id]), bounds[i], -shared[i], i)
    )
    ordered = [members[i] for i in order]
    named, seen, bounded = [], set(), {}
    for c in ordered:  # each figure once per independent report (copies print it alike)
        for q in unshared[c.id]:
            key = (report_of(c.article_id), q.si_low, q.si_high, q.dimension)
            if key not in seen:
                seen.add(key)
                named.append((c.article_id, q.text))
                bound = _bound_of(q, c, members, report_of)
                if bound:
                    bounded[named[-1]] = bound
    return FigureSupport(ordered, named, bounded)


def _bound_of(q: Quantity, c: Claim, members: Sequence[Claim], report_of: Report) -> tuple[str, str] | None:
    """(article, figure) of another report that gives only a bound of the measure ``q`` reports, a
    bound ``q`` fits ("over 900" injured for 1,170 injured): the two agree, but the exact figure is
    one report's, and the gap between them (often an earlier count) is the reader's to see."""
    kind = measure(c, q)
    if kind is None or math.isinf(q.high) or math.isinf(q.low):
        return None
    for o in members:
        if report_of(o.article_id) == report_of(c.article_id):
            continue
        for oq in o.quantities:
            if math.isinf(oq.high) and measure(o, oq) == kind and compatible(q, oq):
                return o.article_id, oq.text
    return None


# A member with fewer content words than this is a fragment ("they had reached a verdict"): its
# words are all shared, and it says too little to stand for the fact.
_MIN_WORDING_WORDS = 4


def _words_shared(c: Claim, members: Sequence[Claim], report_of: Report) -> float:
    """Mean share of ``c``'s content words that each other report's member also has: the member that
    says least beyond what the others say states the group's fact best."""
    mine = content_tokens(c.text)
    others = [content_tokens(o.text) for o in members if report_of(o.article_id) != report_of(c.article_id)]
    if len(mine) < _MIN_WORDING_WORDS or not others:
        return 0.0
    return sum(len(mine & o) / len(mine) for o in others) / len(others)


def describe(support: FigureSupport, limit: int = 4) -> str | None:
    """What the reason says of the figures only some reports give, if any."""
    if not support.unshared:
        return None
    shown = [_shown(support, article, text) for article, text in support.unshared[:limit]]
    more = len(support.unshared) - len(shown)
    return "figures only some reports give: " + ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _shown(support: FigureSupport, article: str, text: str) -> str:
    bound = support.bounded.get((article, text))
    if bound is None:
        return f"{text} ({article[:12]})"
    return f"{text} ({article[:12]}; within the bound another report gives: {bound[1]} ({bound[0][:12]}))"


_ANYONE = frozenset({"people", "person", "resident", "victim", "casualty", "life", "other"})


def measure(c: Claim, q: Quantity, vague: bool = False) -> str | None:
    """What a figure reports, for telling a member that gives another value of it: for a count of a
    named thing, the outcome its words name ("300 people were killed" and "3,000 people have died"
    are both deaths), else its kind. Ages and bare numbers report nothing comparable here, nor vague
    ones unless asked (``vague``: "dozens of homes" backs no count, but is in conflict with "two")."""
    kind = kind_in(c, q)
    if kind != "age" and (toll := toll_outcome(c, q)):
        return f"people:{toll}"  # "death toll hits 93": a bare figure the toll before it names
    if _elided_people(c, q):
        return f"people:{outcome(c, q)}"
    if kind is None or kind == "age" or (_worded(q) and not vague) or (q.dimension == "count" and not q.head):
        return None
    if q.dimension != "count":
        return kind
    # A count of people in general is read by what happened to them, which the counted noun itself
    # may name ("at least 35 dead", "296 fatalities"); two women and three bank workers stay apart.
    found = outcome(c, q) or outcome_of_word(q.head or "")
    if q.head in _ANYONE or (found and outcome_of_word(q.head or "") == found):
        return f"people:{found}" if found else "people"
    return f"{kind}:{found}" if found else kind


# What happened to people, read from the word right after a bare figure: "over 900 injured".
_PEOPLE_OUTCOMES = frozenset({"dead", "hurt", "held", "missing", "shot"})


def conflict_measure(c: Claim, q: Quantity) -> str | None:
    """The measure the conflict rules compare figures by: the fact sheet's, vague figures included,
    and a count of a named thing (children, passengers) by that thing alone, whatever outcome the
    words near it name ("Mother of 13 killed" beside "mother of 12": the mother was killed; the frame
    rules tell apart two outcomes both name)."""
    found = measure(c, q, vague=True)
    if found and q.dimension == "count" and not found.startswith("people"):
        return kind_in(c, q)
    return found


def _elided_people(c: Claim, q: Quantity) -> bool:
    """A bare figure whose next word says what happened to them, beside a count of people in the same
    claim: "At least 233 people were killed and over 900 injured" counts 900 injured people."""
    if q.dimension != "count" or q.head or q.unit or _worded(q):
        return False
    after = c.text[q.span.end - c.span.start :].split()[:1]
    if not after or outcome_of_word(after[0].strip(".,;:")) not in _PEOPLE_OUTCOMES:
        return False
    return any(o.head in _ANYONE for o in c.quantities if o is not q)


def _agrees(c: Claim, q: Quantity, o: Claim, oq: Quantity) -> bool:
    return compatible(q, oq) and not different_wholes(c, q, o, oq)


def contradicts(head: Claim, other: Claim) -> bool:
    """``other`` gives the measure one of ``head``'s figures reports, and none of its values of that
    measure fits the figure, nor counts the same whole: "300 people were killed" against "at least
    3,000 people have died since ...", or "two killed in Pescara" against "35 dead in Amatrice, 11 in
    Accumoli". Such a member does not state the fact the head words."""
    kinds = [measure(head, q) for q in head.quantities]
    for q, kind in zip(head.quantities, kinds, strict=True):
        if kind is None or kinds.count(kind) > 1:
            continue  # which of two figures of one measure the other answers is unknown
        theirs = [oq for oq in other.quantities if measure(other, oq) == kind]
        if not theirs or any(_agrees(head, q, other, oq) for oq in theirs):
            continue
        # The same value printed bare still backs it ("178 of 369 punches" beside "178 punches").
        if not any(_same_value(q, oq) for oq in other.quantities):
            return True
    return False


def _same_value(q: Quantity, other: Quantity) -> bool:
    bounded = any(math.isinf(v) for v in (q.low, q.high, other.low, other.high))
    return not bounded and not _worded(other) and compatible(q, other)


def split_contradicting(members: Sequence[Claim], report_of: Report) -> tuple[list[Claim], list[Claim]]:
    """(the members that state the fact, those that give another value of its figures), the fact
    worded by the member whose figures the others back. Copies of the wording member's report stay."""
    ordered = figure_support(members, report_of).members
    head = ordered[0]
    mine = report_of(head.article_id)
    apart = [c for c in ordered[1:] if report_of(c.article_id) != mine and contradicts(head, c)]
    return [c for c in ordered if c not in apart], apart
