"""Conflicts on what a named person or the story's event *is* rather than on one aligned
statement: an age, an earthquake's magnitude.

A person's age is one fact however each outlet phrases the sentence it sits in ("Robert Buckley, 32,
fell about 600 metres" vs "the 31-year-old Briton Robert Buckley died"), so the two sentences need
not align as one statement for their ages to be compared. The figure must be given for a named
person (the nearest name to it), the same person in both reports (same surname, and no different
first names), and the values must differ as printed.

A story's earthquake has one magnitude, however incidental the sentence that gives it ("the coast
guard plane was to deliver aid after the magnitude-7.6 earthquake" vs "a 7.5-magnitude earthquake on
New Year's Day"). Only a claim giving one magnitude and naming no other quake (an aftershock, a
second quake, "since", "previous", a year) is read as the story's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from newsprism.align.model import AlignmentResult
from newsprism.claims.model import Claim, Quantity
from newsprism.verdicts import figures
from newsprism.verdicts.compare import Difference
from newsprism.verdicts.decide import GroupContext, VerdictOptions, revision_pair, sides_for
from newsprism.verdicts.model import Verdict
from newsprism.verdicts.story_wide import Finding, conflict_verdict, story_claims

AGE_HOLDER_CHARS = 30  # "32-year-old British climber Robert Buckley"
AGE_CONFIDENCE = 0.7  # a printed age of a named person is read exactly; which person is inferred
_WORDS_ONLY = re.compile(r"[\sA-Za-z-]*")  # "-old Englishman " but no comma, verb phrase or clause
_APPOSITION = re.compile(r"\s*,\s*(?:aged\s+)?")


@dataclass(frozen=True)
class _Age:
    claim: Claim
    quantity: Quantity
    surname: str
    first: str | None


def _holder(c: Claim, q: Quantity) -> tuple[str, str | None] | None:
    """(surname key, first name) of the named person an age figure is printed for, read from the
    two shapes news uses: "the 32-year-old (Englishman) Robert Buckley" (the name follows the figure
    with nothing but words between) and "Robert Buckley, (aged) 32," (the name just before it).
    Nearness alone is not enough: "an 11-year-old girl was wounded by sniper Andrew Lopez"."""
    text = c.text
    for e in c.entities:
        if e.label != "PERSON":
            continue
        if e.span.start >= q.span.end:
            between = text[q.span.end - c.span.start : e.span.start - c.span.start]
            ok = len(between) <= AGE_HOLDER_CHARS and _WORDS_ONLY.fullmatch(between)
        else:
            between = text[e.span.end - c.span.start : q.span.start - c.span.start]
            ok = _APPOSITION.fullmatch(between)
        if ok:
            words = e.text.split()
            return e.key, words[0].lower() if len(words) > 1 else None
    return None


def _ages(claims: Iterable[Claim]) -> dict[str, list[_Age]]:
    by_name: dict[str, list[_Age]] = defaultdict(list)
    for c in claims:
        ages = [q for q in c.quantities if figures.kind_in(c, q) == "age"]
        if len(ages) != 1:
            continue  # two ages in one claim: which is whose is too easily misread
        holder = _holder(c, ages[0])
        if holder:
            by_name[holder[0]].append(_Age(c, ages[0], *holder))
    return by_name


def _differ(x: _Age, y: _Age) -> bool:
    if x.claim.article_id == y.claim.article_id:
        return False
    if x.first and y.first and x.first != y.first:
        return False  # two people of one surname
    return not (x.quantity.low <= y.quantity.high and y.quantity.low <= x.quantity.high)


def age_conflicts(alignment: AlignmentResult, ctx: GroupContext, opts: VerdictOptions) -> list[Verdict]:
    """One conflict per story and named person whose printed ages differ between reports."""
    out = []
    for story, claims in sorted(story_claims(alignment, ctx).items()):
        for surname, ages in sorted(_ages(claims).items()):
            diffs = [
                Difference(
                    "numeric",
                    "age",
                    figures.quantity_value(x.claim, x.quantity),
                    figures.quantity_value(y.claim, y.quantity),
                )
                for x, y in combinations(ages, 2)
                if _differ(x, y)
            ]
            diffs = [d for d in diffs if not revision_pair(ctx, d)]
            if not diffs:
                continue
            sides = sides_for(diffs, ctx)
            if len(sides) < 2:
                continue
            why = "ages printed for one named person (same surname, no other first name)"
            lead = f"the age of {surname.title()} differs"
            finding = Finding(f"age:{surname}", "numeric", "age", lead, AGE_CONFIDENCE, why)
            out.append(conflict_verdict(story, sides, ctx, opts, finding))
    return out


# A magnitude of another quake than the story's: an aftershock, an earlier or larger one, a year's
# or a month's ("a 6.4-magnitude quake hit Zarand in February"), or any quake ("a magnitude 6 quake
# can cause severe damage").
_OTHER_QUAKE = re.compile(
    r"aftershock|foreshock|\b(?:second|another|earlier|previous|last|since|than|strongest|largest|"
    r"deadliest|biggest|worst|similar|can|could|may|might|would|(?:19|20)\d\d|in (?:January|February|"
    r"March|April|May|June|July|August|September|October|November|December))\b",
    re.IGNORECASE,
)
# Agencies measuring one quake differ by a few tenths (7.3 and 7.4; 5.2, 5.4 and 5.6); values further
# apart are of different quakes.
MAGNITUDE_MAX_SPREAD = 0.4
MAGNITUDE_CONFIDENCE = 0.7  # one quake per story is inferred; the printed values are read exactly


def _magnitude(c: Claim) -> Quantity | None:
    """The one exact magnitude a claim gives the story's quake ("about 7" fits 7.2 too loosely to
    contradict it)."""
    found = [q for q in c.quantities if figures.kind_in(c, q) == "magnitude"]
    if len(found) != 1 or found[0].approx or _OTHER_QUAKE.search(c.text):
        return None
    return found[0]


def _both_printed(claims: list[Claim], article: str, value: Quantity) -> bool:
    """The article prints the other value too, as a magnitude or a bare number ("Morocco's center
    marking it at 7.2 and the US Geological Survey noting a magnitude of 6.8"): it takes no side."""
    return any(c.article_id == article and any(_fits(q, value) for q in c.quantities) for c in claims)


def _fits(q: Quantity, value: Quantity) -> bool:
    if q.dimension == "magnitude":
        return figures.compatible(q, value)
    return q.head is None and q.low == q.high == value.low


def magnitude_conflicts(alignment: AlignmentResult, ctx: GroupContext, opts: VerdictOptions) -> list[Verdict]:
    """One conflict per story whose reports print different magnitudes for its one earthquake."""
    out = []
    for story, claims in sorted(story_claims(alignment, ctx).items()):
        given = [(c, q) for c in claims if (q := _magnitude(c)) is not None]
        diffs = [
            Difference("numeric", "magnitude", figures.quantity_value(a, qa), figures.quantity_value(b, qb))
            for (a, qa), (b, qb) in combinations(given, 2)
            if a.article_id != b.article_id
            and not figures.compatible(qa, qb)
            and abs(qa.low - qb.low) <= MAGNITUDE_MAX_SPREAD + 1e-9
            and not _both_printed(claims, a.article_id, qb)
            and not _both_printed(claims, b.article_id, qa)
        ]
        diffs = [d for d in diffs if not revision_pair(ctx, d)]
        sides = sides_for(diffs, ctx) if diffs else []
        if len(sides) < 2:
            continue
        why = "magnitudes printed for the story's one earthquake (no other quake named)"
        lead = "the earthquake's magnitude differs"
        finding = Finding("magnitude", "numeric", "magnitude", lead, MAGNITUDE_CONFIDENCE, why)
        out.append(conflict_verdict(story, sides, ctx, opts, finding))
    return out
