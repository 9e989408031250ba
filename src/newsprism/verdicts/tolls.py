"""A story's death, injury and missing tolls compared across its reports, not within one group.

Outlets rarely word a toll alike ("the crash killed 294 people", "the death toll has reached 288",
"at least 275 dead"), so the sentences that give it often do not align as one statement, and a toll
that differs between reports was never compared. A story's event has one toll at a time: where two
independent reports print incompatible totals of the same outcome, the reader must see both.

Only a figure that surely is the story's total is read: people (or deaths, lives, a bare number)
tied by the words next to it to an outcome ("killed 12", "12 people died", "the death toll stood at
12"); not a subgroup ("two children", "two of the three victims"), not a part ("in hospital", "and
two more"), not located in one place when the other is not, not another event, a period's total or
one more incident ("also"), not hedged ("could rise"), not negated, and given in the headline or
first sentences unless the words name the toll (further down, a count is as often one incident's).
A report printing two different totals takes no side (an older value it names as replaced is not its
own). Tolls move: a value a report marks as changed ("rose to"), or the higher toll of a report
published half a day later, is shown as an update; where the times are unknown, the reason says so.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations

from newsprism.align.apart import _ANY_NEGATION
from newsprism.align.model import AlignmentResult
from newsprism.claims.model import Claim, Quantity
from newsprism.verdicts import figure_scope, figures, updates
from newsprism.verdicts.decide import GroupContext, VerdictOptions, same_article
from newsprism.verdicts.model import Evidence, Side, Verdict
from newsprism.verdicts.story_wide import Finding, conflict_verdict, story_claims

# Words that name each outcome, by stem; "hospital" or "treated" name a part of the injured.
_OUTCOME_STEMS = {
    "dead": ("kill", "die", "died", "dead", "death", "fatal", "perish"),
    "injured": ("injur", "wound", "hurt"),
    "missing": ("missing", "unaccounted"),
}
# Heads a total is counted in; "children", "soldiers", "passengers" are subgroups of it, "victims"
# count the hurt with the dead.
_TOTAL_HEADS = frozenset({"people", "person", "death", "live", "individual"})
# Words between a figure and its outcome: "12 people were killed", "five have since died".
_BRIDGE = frozenset(
    "people persons were was are is have has had been being reported confirmed since now all".split()
)
# After the figure: a subgroup ("five of the dead", "12 among them") or a part of a larger count.
_SUBGROUP_AFTER = frozenset({"of", "among", "including", "more", "others", "other"})
# Before the figure: "including five", "another 12", "a further 12", "additional".
_SUBGROUP_BEFORE = frozenset({"including", "another", "further", "additional", "other", "those"})
# A claim that is not a report of the present total: hedged or forecast, a period's total, one more
# incident ("They also attacked a crew's truck, injuring two"), a part bound to a place or a family.
_NOT_A_TOTAL = re.compile(
    r"\b(?:could|may|might|would|feared|fears?|expect\w*|predict\w*|project\w*|estimat\w*|likely|if"
    r"|this (?:week|month|year|season)|also|separate(?:ly)?|elsewhere|in addition"
    r"|in hospitals?|at the scene|on the way|en route|(?:from|in|of) (?:one|the same|a single) family)\b",
    re.IGNORECASE,
)
# Another event named: a year ("a tsunami that killed 61 people in 1960"), a dated event ("The April
# 25 quake, which killed more than 8,150"), a comparison ("since the", "in history"), one of several
# ("in the first blast").
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_EVENT = r"(?:quake|earthquake|tremor|attack|blast|explosion|storm|flood|fire|crash|disaster|tsunami|bombing)"
_ANOTHER_EVENT = re.compile(
    rf"\b(?:(?:19|20)\d\d|(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}\s+{_MONTH})(?:'s)?\s+(?:\w+\s+)?"
    rf"{_EVENT}s?\b|in {_MONTH}|since (?:the|a|an|its)\b|previous|earlier|ago|history|record"
    rf"|(?:first|second|third|initial|later)\s+(?:\w+\s+)?(?:{_EVENT}|wave|strike|day)s?\b|aftershock|foreshock)",
    re.IGNORECASE,
)
# A comparison after the toll that sets it beside other events: "..., making it the deadliest US
# wildfire since 1918", "surpassing the total killed during the 2018 Camp Fire". The words after it
# name the other events, not the figure's.
_COMPARISON = re.compile(
    r"\b(?:making|made|surpass\w*|exceed\w*|eclips\w*|overtak\w*|topping|deadliest|worst|highest|most)\b",
    re.IGNORECASE,
)
_VAGUE = re.compile(r"\b(?:dozens|hundreds|thousands|scores|several|many|numerous|few)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z’'-]+|\d[\d,.]*|[^\sa-z]", re.IGNORECASE)

# A story's toll is given in its headline and first sentences (news puts the total first); a figure
# further down counts as the total only where the words name the toll ("the death toll rose to 93").
LEAD_SENTENCES = 4
TOLL_PRIOR = 0.6  # the values are read exactly; that they count one total is inferred
UPDATE_HOURS = 12  # reports this far apart may print a toll that moved in between


@dataclass(frozen=True)
class _Toll:
    claim: Claim
    quantity: Quantity
    kind: str
    place: frozenset[str] | None
    marked: bool


def _outcome_word(word: str) -> str | None:
    w = word.lower()
    return next((k for k, stems in _OUTCOME_STEMS.items() if w.startswith(stems)), None)


def _kind(c: Claim, q: Quantity) -> str | None:
    """The outcome the words right next to the figure tie it to, or None for a subgroup, a part or
    an untied figure ("killed 12 and injured 30": 12 dead, 30 injured)."""
    if q.dimension != "count" or q.unit or (q.head and q.head not in _TOTAL_HEADS) or "up to" in q.qualifiers:
        return None
    if not any(ch.isdigit() for ch in q.text) and _VAGUE.search(q.text):
        return None  # "dozens", "hundreds": too loose to set against another report's count
    toll = updates.toll_named_before(c, q)  # "the death toll ... stood at 288", "a toll of 12 people"
    if q.head == "death" or toll in ("death toll", "fatality toll"):
        return "dead"
    if toll:
        return "injured" if toll == "injury toll" else None  # a "casualty toll" mixes dead and hurt
    after = _WORD.findall(c.text[q.span.end - c.span.start :])[:5]
    before = _WORD.findall(c.text[: q.span.start - c.span.start])[-2:]
    if [w.lower() for w in before] in (["of", "the"], ["among", "the"]):
        return None  # "two of the three victims died": the three are not the dead
    before = before[-1:]
    if (after and after[0].lower() in _SUBGROUP_AFTER) or (before and before[0].lower() in _SUBGROUP_BEFORE):
        return None
    first = next((w for w in after if w.lower() not in _BRIDGE), "")
    # The first word past "were", "have been" ("12 people were killed"), else the verb before the
    # figure ("killing four people, injuring dozens").
    return _outcome_word(first) or (_outcome_word(before[0]) if before else None)


def _another_event(c: Claim, q: Quantity) -> bool:
    """The claim, up to a comparison that follows the figure, names another event: a year that is
    not the figure itself ("2000 people died" is a toll), a dated event, "the other crash", a part
    of a period ("during", "so far")."""
    end = q.span.end - c.span.start
    cut = _COMPARISON.search(c.text, end)
    context = c.text[: cut.start() if cut else len(c.text)]
    if figure_scope.OTHER_EVENT.search(context) or figure_scope.PART.search(context):
        return True
    return any(m.group(0) not in q.text for m in _ANOTHER_EVENT.finditer(context))


def _tolls(c: Claim) -> list[_Toll]:
    if c.response_to or _NOT_A_TOTAL.search(c.text) or _ANY_NEGATION.search(c.text):
        return []
    found, olds = [], set()
    for q in c.quantities:
        kind = _kind(c, q)
        if kind is None or figure_scope.part_of_total(c, q) or _another_event(c, q):
            continue
        if c.sentence_index >= LEAD_SENTENCES and not updates.toll_named_before(c, q):
            continue  # further down, a count is as often one incident's as the event's
        marker = updates.change_marker(c, q)
        if marker and marker[1] is not None:
            olds.add(marker[1].span)  # "revised to 275 from 288": 288 is no longer the report's toll
        found.append(_Toll(c, q, kind, figure_scope.figure_place(c, q), marker is not None))
    return [t for t in found if t.quantity.span not in olds]


def _own_totals(claims: list[Claim]) -> list[_Toll]:
    """The totals each article prints, where all it prints of one outcome in one place are one value;
    an article printing two incompatible totals (a count before and after, a total and a part) takes
    no side on that outcome."""
    by: dict[tuple[str, str, frozenset[str] | None], list[_Toll]] = defaultdict(list)
    for c in claims:
        for t in _tolls(c):
            by[(c.article_id, t.kind, t.place)].append(t)
    return [
        t
        for _, ts in sorted(by.items(), key=lambda kv: (kv[0][0], kv[0][1], sorted(kv[0][2] or ())))
        if all(figures.compatible(x.quantity, y.quantity) for x, y in combinations(ts, 2))
        for t in ts
    ]


def _published(ctx: GroupContext, article: str) -> datetime | None:
    raw = ctx.article_meta.get(article, {}).get("published")
    try:
        return datetime.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _hours_apart(ctx: GroupContext, x: _Toll, y: _Toll) -> float | None:
    a, b = _published(ctx, x.claim.article_id), _published(ctx, y.claim.article_id)
    if a is None or b is None or (a.tzinfo is None) != (b.tzinfo is None):
        return None
    return abs((a - b).total_seconds()) / 3600


def _rises_later(ctx: GroupContext, x: _Toll, y: _Toll) -> bool:
    """The later of two reports published far apart prints the higher toll: a toll that moved."""
    hours = _hours_apart(ctx, x, y)
    if hours is None or hours < UPDATE_HOURS:
        return False
    earlier, later = sorted((x, y), key=lambda t: _published(ctx, t.claim.article_id))
    return later.quantity.low > earlier.quantity.high


def _differ(ctx: GroupContext, x: _Toll, y: _Toll) -> bool:
    a, b = x.claim.article_id, y.claim.article_id
    if ctx.report_of(a) == ctx.report_of(b) or same_article(ctx, a, b):
        return False  # copies or versions of one report: the reuse section shows their differences
    if x.place != y.place:
        # "12 in Amatrice" beside a total, or totals of two places. Places the claim names elsewhere
        # are not the toll's ("the Maui wildfires ... the deadliest in the US").
        return False
    return not figures.compatible(x.quantity, y.quantity)


_SLOT = {"dead": "deaths", "injured": "injured", "missing": "missing"}


def _sides(ctx: GroupContext, tolls: list[_Toll]) -> list[Side]:
    """The compared values in sides whose values are all compatible, each with its reports' words."""
    groups: list[list[_Toll]] = []
    for t in sorted(tolls, key=lambda t: (t.quantity.low, t.claim.id)):
        home = next((g for g in groups if all(figures.compatible(t.quantity, o.quantity) for o in g)), None)
        if home is None:
            groups.append([t])
        else:
            home.append(t)
    out = []
    for g in groups:
        evidence = []
        for t in g:
            q, c = t.quantity, t.claim
            evidence.append(Evidence(c.article_id, (q.span.start, q.span.end), q.text, c.id, "value"))
            evidence.append(Evidence(c.article_id, (c.span.start, c.span.end), c.text, c.id, "claim"))
        key = figures.quantity_value(g[0].claim, g[0].quantity).key
        shown = "; ".join(dict.fromkeys(t.quantity.text for t in g))  # "at least 120 people; nearly 250"
        out.append(Side(shown, sorted({t.claim.article_id for t in g}), evidence, key=key))
    return out


def _verdict(
    story: str, kind: str, pairs: list[tuple[_Toll, _Toll]], ctx: GroupContext, opts: VerdictOptions
) -> Verdict | None:
    """The conflict (or update) of one story's outcome over its pairs of differing totals."""
    tolls = list({id(t): t for pair in pairs for t in pair}.values())
    sides = _sides(ctx, tolls)
    if len(sides) < 2:
        return None
    score = TOLL_PRIOR
    why = ["totals of one outcome printed for the story's event (no place, part or other event named)"]
    if min(len({ctx.report_of(a) for a in s.article_ids}) for s in sides) >= 2:
        score += 0.1
        why.append("each value is printed by 2+ independent reports")
    moved = any(x.marked or y.marked or _rises_later(ctx, x, y) for x, y in pairs)
    if moved:
        why.append(
            "a report marks its value as changed, or the later report gives the higher toll: an update"
        )
    elif any(_hours_apart(ctx, x, y) is None for x, y in pairs):
        why.append("when each report was published is not known: the toll may have moved between them")
    what = "death toll" if kind == "dead" else f"number {_SLOT[kind]}"
    place = pairs[0][0].place
    where = f" in {' '.join(sorted(place)).title()}" if place else ""
    lead = f"the {what}{where} differs between reports"
    finding = Finding(f"toll:{kind}", "numeric", _SLOT[kind], lead, round(score, 2), "; ".join(why))
    verdict = conflict_verdict(story, sides, ctx, opts, finding)
    verdict.update = moved
    return verdict


def toll_conflicts(alignment: AlignmentResult, ctx: GroupContext, opts: VerdictOptions) -> list[Verdict]:
    """One conflict (or update) per story and outcome whose independent reports print incompatible totals."""
    out = []
    for story, claims in sorted(story_claims(alignment, ctx).items()):
        totals = _own_totals(claims)
        for kind in _OUTCOME_STEMS:
            mine = [t for t in totals if t.kind == kind]
            pairs = [(x, y) for x, y in combinations(mine, 2) if _differ(ctx, x, y)]
            found = _verdict(story, kind, pairs, ctx, opts) if pairs else None
            if found is not None and found.confidence >= opts.min_conflict_confidence:
                out.append(found)
    return out


def _values_at(v: Verdict) -> list[set[tuple[str, tuple[int, int]]]]:
    return [{(e.article_id, e.span) for e in s.evidence if e.role == "value"} for s in v.sides]


def already_found(toll: Verdict, found: list[Verdict]) -> bool:
    """Another conflict of the story already sets two of the toll's values against each other."""
    mine = _values_at(toll)
    for v in found:
        if v.story_id != toll.story_id or v is toll:
            continue
        theirs = set().union(*_values_at(v)) if v.sides else set()
        if sum(1 for side in mine if side & theirs) >= 2:
            return True
    return False
