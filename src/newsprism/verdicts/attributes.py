"""Conflicts on what a named person *is* rather than on one aligned statement: an age.

A person's age is one fact however each outlet phrases the sentence it sits in ("Robert Buckley, 32,
fell about 600 metres" vs "the 31-year-old Briton Robert Buckley died"), so the two sentences need
not align as one statement for their ages to be compared. The figure must be given for a named
person (the nearest name to it), the same person in both reports (same surname, and no different
first names), and the values must differ as printed.
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
    # Every claim of the story, grouped or not: the two sentences need not state one fact.
    by_story: dict[str, list[Claim]] = defaultdict(list)
    for c in ctx.claims.values():
        if c.article_id in alignment.story_of and not c.response_to:
            by_story[alignment.story_of[c.article_id]].append(c)
    out = []
    for story, claims in sorted(by_story.items()):
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
            ids = sorted({a for s in sides for a in s.article_ids})
            shown = " vs ".join(f'"{s.value}" in {", ".join(s.article_ids)}' for s in sides)
            members = [ctx.claims[e.claim_id] for s in sides for e in s.evidence if e.role == "claim"]
            out.append(
                Verdict(
                    f"conflict:{story}:age:{surname}",
                    f"age:{surname}",
                    story,
                    "conflicting",
                    members[0].text,
                    ids,
                    ctx.sources(members).sources,
                    [e for s in sides for e in s.evidence][: opts.max_evidence * 2],
                    type="numeric",
                    slot="age",
                    sides=sides,
                    reason=f"the age of {surname.title()} differs: {shown}",
                    confidence=AGE_CONFIDENCE,
                    confidence_reason="ages printed for one named person (same surname, no other first name)",
                )
            )
    return out
