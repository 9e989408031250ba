"""Updated figures: one count given at two moments, which a report itself marks as changed.

A death toll moves while a story is told: "death toll mounts to 288" on Saturday, "the death toll has
been revised down to 275 after some bodies were counted twice" on Sunday. The two reports were grouped
as one fact, and no figure rule compared them: the figures have no head noun (what they count is the
"death toll" before them), and a report that gives both values ("revised to 275 from 288") takes no side
in a conflict. Shown as a fact, 288 read as confirmed by the two reports whose own figure is 275.

So a group whose members give different values of one measure, where a report marks its value as a
change ("revised to", "rose to", "climbed to", "from 288"), is an *update*: both values, the words that
mark the change, each side's reports, and a confidence; not a fact, and not a dispute between outlets.
A figure is read as a measure only where the words say what it counts: the head noun of a counted
figure, or a toll named before a bare one ("the death toll ... has reached 294").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsprism.align.model import ClaimGroup
from newsprism.claims.model import Claim, Quantity
from newsprism.model import Span
from newsprism.verdicts import figure_scope, figures
from newsprism.verdicts.compare import Difference
from newsprism.verdicts.decide import GroupContext, VerdictOptions, revision_pair
from newsprism.verdicts.model import Evidence, Side, Verdict

# A toll named before its figure, joined by a verb or preposition: "death toll mounts to 288", "the
# death toll in the crash on Friday was revised to 275", "a toll of 12". No figure, sentence end or
# other toll between them; "toll" alone is the deaths (news writes it so).
_TOLL = re.compile(
    r"\b(?:(death|casualty|injury|fatality)\s+)?(toll)\b[^.;:\d]{0,160}?"
    r"\b(?:to|at|of|reached|hit|crossed|is|was|stands|stood|now)\s*$",
    re.IGNORECASE,
)
# Words right before a figure that mark it as changed: "revised down to", "has risen to", "mounts to",
# "revised from 288 to".
_MARKED = re.compile(
    r"\b(?:(?:revised|adjusted)(?:\s+(?:up|down)(?:wards?)?)?|raised|lowered|rose|risen|rises|climbed|climbs"
    r"|jumped|jumps|increased|decreased|fell|dropped|mount(?:s|ed)|updated|gone up|went up)"
    r"(?:\s+from\s+\S+(?:\s+[a-z]+)?)?\s+to\s*$",
    re.IGNORECASE,
)
# The old value named after the new: "to 275 from 288", "275, down from 288" (which alone marks a change).
_FROM_AFTER = re.compile(r"^\s*,?\s*((?:up|down)\s+)?from\s+", re.IGNORECASE)

UPDATE_PRIOR = 0.6  # the change is printed; that both values count one thing is inferred


@dataclass(frozen=True)
class _Value:
    """One member's value of a measure, with the words that mark it as changed and the old value the
    same report names, if any."""

    claim: Claim
    quantity: Quantity
    measure: str
    marker: Span | None = None
    old: Quantity | None = None


def measure(c: Claim, q: Quantity) -> str | None:
    """What a figure counts, where the words say: a toll named before a bare figure, or a counted
    figure's kind ("count:people")."""
    if q.dimension == "count" and not (q.head or q.unit):
        return toll_named_before(c, q)
    return figures.kind_in(c, q) if q.head else None


def toll_named_before(c: Claim, q: Quantity) -> str | None:
    """The toll named before the figure ("death toll mounts to 288" -> "death toll"), if any."""
    m = _TOLL.search(c.text[: q.span.start - c.span.start])
    return f"{(m.group(1) or 'death').lower()} toll" if m else None


def _quantity_at(c: Claim, start: int) -> Quantity | None:
    return next((q for q in c.quantities if q.span.start == start), None)


def change_marker(c: Claim, q: Quantity) -> tuple[Span, Quantity | None] | None:
    """(the words marking ``q`` as changed, through the old value where named; the old value) or None."""
    base = c.span.start
    m = _MARKED.search(c.text[: q.span.start - base])
    after = _FROM_AFTER.match(c.text[q.span.end - base :])
    old = _quantity_at(c, start=q.span.end + after.end()) if after else None
    if m is None and not (old and after and after.group(1)):
        return None
    start = base + m.start() if m else q.span.start
    inside = next((o for o in c.quantities if start <= o.span.start and o.span.end <= q.span.start), None)
    if inside is not None:
        return Span(start, q.span.end), inside
    return Span(start, old.span.end if old else q.span.end), old


def _values(c: Claim) -> list[_Value]:
    """The claim's values, one per measure it gives once (an old value it names is not one of them)."""
    olds: set[Span] = set()
    found = []
    for q in c.quantities:
        m = measure(c, q)
        if m is None:
            continue
        marked = change_marker(c, q)
        if marked and marked[1] is not None:
            olds.add(marked[1].span)
        found.append(_Value(c, q, m, *(marked or (None, None))))
    found = [v for v in found if v.quantity.span not in olds]
    return [v for v in found if sum(1 for x in found if x.measure == v.measure) == 1]


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _years(c: Claim) -> frozenset[str]:
    """The years a claim names: a toll dated to another year is another event's."""
    return frozenset(_YEAR.findall(c.text))


def _one_measure(x: _Value, y: _Value) -> bool:
    """Two values that count one thing: a toll named alike, or counted figures of one frame and
    subject; neither located apart from the other ("12 in Amatrice" vs "30 across the region")."""
    if x.measure != y.measure or figure_scope.different_wholes(x.claim, x.quantity, y.claim, y.quantity):
        return False
    if figures.different_places(x.claim, y.claim) or _years(x.claim) != _years(y.claim):
        return False  # "the toll in Amatrice", "the 2016 quake's toll": another place or event
    if figure_scope.about_other_event(x.claim) != figure_scope.about_other_event(y.claim):
        return False
    return x.measure.endswith("toll") or figures.same_measure(x.claim, x.quantity, y.claim, y.quantity)


def _linked(x: _Value, y: _Value, ctx: GroupContext, opts: VerdictOptions) -> bool:
    """Two reports' values of one measure, one marked as a change, that differ. Counted figures need
    the claims to surely state one fact, or the marked report to name the other's value as the old
    one; a toll named alike in one group is one toll."""
    if x.claim.article_id == y.claim.article_id or not (x.marker or y.marker):
        return False
    if figures.compatible(x.quantity, y.quantity) or not _one_measure(x, y):
        return False
    diff = Difference(
        "numeric",
        x.measure,
        figures.quantity_value(x.claim, x.quantity),
        figures.quantity_value(y.claim, y.quantity),
    )
    if revision_pair(ctx, diff):
        return False  # two versions of one article: the reuse section shows their diff
    strong = ctx.pair_prob.get((x.claim.id, y.claim.id), 0.0) >= opts.strong_pair
    return strong or _names_old(x, y) or _names_old(y, x) or x.measure.endswith("toll")


def _names_old(v: _Value, other: _Value) -> bool:
    """``v``'s report names ``other``'s value as the one it replaces ("revised to 275 from 288")."""
    return v.old is not None and figures.compatible(v.old, other.quantity)


def _sides(values: list[_Value]) -> list[list[_Value]]:
    """Values compatible with each other share a side; the side a report names as the old value first."""
    sides: list[list[_Value]] = []
    for v in values:
        home = next((s for s in sides if all(figures.compatible(v.quantity, o.quantity) for o in s)), None)
        if home is None:
            sides.append([v])
        else:
            home.append(v)
    older = {id(s) for s in sides for v in values for o in s if _names_old(v, o)}
    return sorted(sides, key=lambda s: id(s) not in older)


def _side(ctx: GroupContext, values: list[_Value]) -> Side:
    evidence = []
    for v in values:
        span = v.marker or v.quantity.span
        text = ctx.texts.get(v.claim.article_id, "")[span.start : span.end] or v.quantity.text
        evidence.append(Evidence(v.claim.article_id, (span.start, span.end), text, v.claim.id, "value"))
        c = v.claim
        evidence.append(Evidence(c.article_id, (c.span.start, c.span.end), c.text, c.id, "claim"))
    first = min(values, key=lambda v: v.marker is not None)
    return Side(
        first.quantity.text,
        sorted({v.claim.article_id for v in values}),
        evidence,
        key=figures.quantity_value(first.claim, first.quantity).key,
    )


def _confidence(
    pairs: list[tuple[_Value, _Value]], sides: list[Side], ctx: GroupContext, opts: VerdictOptions
) -> tuple[float, str]:
    score, why = UPDATE_PRIOR, ["a report marks its figure as changed"]
    if any(_names_old(x, y) or _names_old(y, x) for x, y in pairs):
        score += 0.1
        why.append("it names the other figure as the earlier one")
    if any(ctx.pair_prob.get((x.claim.id, y.claim.id), 0.0) >= opts.strong_pair for x, y in pairs):
        score += 0.1
        why.append("the claims state one fact")
    if min(len({ctx.report_of(a) for a in s.article_ids}) for s in sides) >= 2:
        score += 0.1
        why.append("each figure is printed by 2+ independent reports")
    return round(min(score, 0.9), 2), "; ".join(why)


def _describe(sides: list[Side], measure: str) -> str:
    shown = " then ".join(
        f"{s.value} ({', '.join(s.article_ids)}: "
        + "; ".join(f'"{e.text}"' for e in s.evidence if e.role == "value")
        + ")"
        for s in sides
    )
    return f"an updated figure ({measure.split(':', 1)[-1]}), which a report marks as changed: {shown}"


def updates(
    group: ClaimGroup, ctx: GroupContext, members: list[Claim], opts: VerdictOptions
) -> list[Verdict]:
    """The group's updated figures, one verdict per measure (see the module's rules)."""
    values = [v for c in members for v in _values(c)]
    out = []
    for name in sorted({v.measure for v in values}):
        mine = [v for v in values if v.measure == name]
        pairs = [(x, y) for i, x in enumerate(mine) for y in mine[i + 1 :] if _linked(x, y, ctx, opts)]
        if not pairs:
            continue
        linked = {id(v) for p in pairs for v in p}
        # Members that print one side's value join it (their evidence counts), never left out.
        shown = [
            v for v in mine if id(v) in linked or any(_one_measure(v, o) for o in mine if id(o) in linked)
        ]
        sides = [_side(ctx, s) for s in _sides(shown)]
        if len(sides) < 2:
            continue
        confidence, why = _confidence(pairs, sides, ctx, opts)
        marked = next(v for p in pairs for v in p if v.marker)
        out.append(
            Verdict(
                f"conflict:{group.id}:numeric:{name}",
                group.id,
                group.story_id,
                "conflicting",
                marked.claim.text,
                sorted({a for s in sides for a in s.article_ids}),
                ctx.sources(members).sources,
                [e for s in sides for e in s.evidence][: opts.max_evidence * 2],
                type="numeric",
                slot=name.split(":", 1)[-1],
                sides=sides,
                reason=_describe(sides, name),
                confidence=confidence,
                confidence_reason=why,
                update=True,
            )
        )
    return [v for v in out if v.confidence >= opts.min_conflict_confidence]


def replace_facts(
    group: ClaimGroup, ctx: GroupContext, opts: VerdictOptions, found: list[Verdict]
) -> list[Verdict]:
    """The group's verdicts with its fact replaced by its updated figures, where it has any: a fact
    must not show a figure as confirmed by reports whose own figure replaces it."""
    if "numeric" not in opts.conflict_types or any(v.label in ("conflicting", "disputed") for v in found):
        return found
    members = [ctx.claims[c] for c in group.claim_ids if c in ctx.claims]
    changed = updates(group, ctx, members, opts)
    return changed + [v for v in found if v.label == "wording"] if changed else found
