"""Per-group verdicts: actor disputes first, then outlet conflicts by slot, then corroboration.

An *actor dispute* is two sides of a story (one actor asserts X, another denies it) that outlets
report; it is not a disagreement between outlets and is listed apart. An *outlet conflict* is two
outlets printing incompatible values for the same fact. What remains is corroborated (two or more
independent sources) or single-source.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from newsprism.align.model import ClaimGroup
from newsprism.claims.model import Claim
from newsprism.verdicts import compare
from newsprism.verdicts.compare import Difference, SlotValue, polarity
from newsprism.verdicts.model import Evidence, Side, Verdict

ALL_TYPES = ("numeric", "entity", "place", "time", "polarity", "attribution", "quote wording")
_UPDATE_MARKERS = (
    "rose to",
    "risen to",
    "has risen",
    "climbed to",
    "updated",
    "revised",
    "now stands",
    "up from",
    "down from",
    "increased to",
    "jumped to",
    "latest figure",
)


@dataclass
class VerdictOptions:
    conflict_types: tuple[str, ...] = ALL_TYPES
    min_independent: int = 2  # independent sources for "corroborated"
    # entity/place/time/attribution differences are only trusted in confidently aligned groups
    min_group_score_for_slots: float = 0.6
    quote_similarity: float = 0.5
    max_evidence: int = 12


@dataclass
class GroupContext:
    claims: dict[str, Claim]
    texts: dict[str, str]
    independent: Callable[[Sequence[str]], int]
    article_meta: dict[str, dict[str, Any]] = field(default_factory=dict)


def _content(ctx: GroupContext, c: Claim) -> str:
    return ctx.texts.get(c.article_id, "")[c.content_span.start : c.content_span.end] or c.text


def _claim_evidence(ctx: GroupContext, c: Claim, role: str = "claim") -> Evidence:
    return Evidence(c.article_id, (c.span.start, c.span.end), c.text, c.id, role)


def _actor(c: Claim) -> str | None:
    """The side a source speaks for: its country when known, else the person or body itself, so a
    governor's accusation and a company's denial are two sides even where no country is named."""
    a = c.attribution
    if a.is_outlet:
        return None
    return a.actor or a.person or (a.source.strip().lower() or None)


def _actor_name(c: Claim) -> str:
    return c.attribution.actor or c.attribution.source


def _dispute(
    group: ClaimGroup, ctx: GroupContext, members: list[Claim], responses: list[Claim]
) -> Verdict | None:
    positions = [(c, _actor(c), polarity(c)) for c in members + responses]
    pos = {a for _, a, s in positions if a and s > 0}
    neg = {a for _, a, s in positions if a and s < 0}
    if not (pos - neg and neg - pos):
        return None
    sides: dict[tuple[str, int], Side] = {}
    for c, actor, sign in positions:
        if not actor or (sign > 0 and actor in neg and actor not in pos - neg):
            continue
        side = sides.setdefault(
            (actor, sign),
            Side(
                value=_content(ctx, c),
                article_ids=[],
                evidence=[],
                actor=_actor_name(c),
                stance=c.attribution.stance if sign > 0 else "denies",
            ),
        )
        if c.article_id not in side.article_ids:
            side.article_ids.append(c.article_id)
        side.evidence.append(_claim_evidence(ctx, c, "claim" if sign > 0 else "response"))
    if len({s for _, s in sides}) < 2:
        return None
    ordered = sorted(sides.values(), key=lambda s: (s.stance == "denies", s.actor or ""))
    outlets = [set(s.article_ids) for s in ordered]
    consistent = all(o == outlets[0] for o in outlets)
    reason = "; ".join(f"{s.actor} {s.stance} (reported by {len(s.article_ids)} article(s))" for s in ordered)
    reason += (
        ". Every outlet reports both sides." if consistent else ". Outlets differ in which sides they report."
    )
    all_ids = sorted({a for s in ordered for a in s.article_ids})
    return Verdict(
        f"dispute:{group.id}",
        group.id,
        group.story_id,
        "disputed",
        ordered[0].value,
        all_ids,
        ctx.independent(all_ids),
        [e for s in ordered for e in s.evidence],
        type="actor dispute",
        sides=ordered,
        reason=reason,
        note="reported consistently" if consistent else "reported unevenly",
    )


def _pair_differences(a: Claim, b: Claim, group: ClaimGroup, opts: VerdictOptions) -> list[Difference]:
    out = compare.numeric_differences(a, b) + compare.quote_differences(a, b, opts.quote_similarity)
    confident = group.score >= opts.min_group_score_for_slots
    if confident:
        out += compare.entity_differences(a, b) + compare.time_differences(a, b)
    same_side = _actor(a) == _actor(b) or _actor(a) is None or _actor(b) is None
    if same_side and confident:
        out += compare.polarity_difference(a, b)
    if confident and polarity(a) == polarity(b):
        out += compare.attribution_difference(a, b)
    return [d for d in out if d.type in opts.conflict_types]


def _lineage(ctx: GroupContext, article_id: str) -> str:
    """The first version of an article: revisions of one article share it."""
    seen = {article_id}
    while (parent := ctx.article_meta.get(article_id, {}).get("revision_of")) and parent not in seen:
        seen.add(parent)
        article_id = parent
    return article_id


def _is_update(ctx: GroupContext, d: Difference) -> bool:
    """A difference explained as an update: two versions of one article, or a value the later
    report marks as an update ("rose to", "revised"). Other pairs in the group still count."""
    if _lineage(ctx, d.a.article_id) == _lineage(ctx, d.b.article_id):
        return True
    return any(m in ctx.claims[v.claim_id].text.lower() for v in (d.a, d.b) for m in _UPDATE_MARKERS)


def _sides_for(diffs: list[Difference], ctx: GroupContext) -> list[Side]:
    """Cluster the compared values into sides (values compatible with each other share a side)."""
    values: dict[str, SlotValue] = {}
    linked: set[tuple[str, str]] = set()
    for d in diffs:
        values.setdefault(d.a.claim_id, d.a)
        values.setdefault(d.b.claim_id, d.b)
        linked.add((d.a.claim_id, d.b.claim_id))
        linked.add((d.b.claim_id, d.a.claim_id))
    sides: list[list[SlotValue]] = []
    for cid, v in values.items():
        home = next((s for s in sides if all((cid, o.claim_id) not in linked for o in s)), None)
        if home is None:
            sides.append([v])
        else:
            home.append(v)
    out = []
    for members in sides:
        ev = []
        for v in members:
            ev.append(Evidence(v.article_id, (v.span.start, v.span.end), v.text, v.claim_id, "value"))
            ev.append(_claim_evidence(ctx, ctx.claims[v.claim_id]))
        out.append(
            Side(
                members[0].text,
                sorted({v.article_id for v in members}),
                ev,
                key=members[0].key,
                actor=None,
                stance=None,
            )
        )
    return sorted(out, key=lambda s: len(s.article_ids))


def _numeric_members(diffs: list[Difference], members: list[Claim]) -> list[Difference]:
    """Pseudo-differences placing every other member's value of the disputed measure on a side:
    a member compatible with one side is listed with it (its evidence counts), never left out."""
    kind = compare.quantity_kind
    seen = {v.claim_id for d in diffs for v in (d.a, d.b)}
    target = next(
        q for d in diffs for c in members if c.id == d.a.claim_id for q in c.quantities if q.span == d.a.span
    )
    out = []
    for c in members:
        if c.id in seen:
            continue
        mine = [q for q in c.quantities if kind(q) == kind(target)]
        if len(mine) != 1:
            continue
        for d in diffs:
            for v in (d.a, d.b):
                other = next(
                    q for m in members if m.id == v.claim_id for q in m.quantities if q.span == v.span
                )
                if not compare.compatible(mine[0], other):
                    out.append(Difference("numeric", d.slot, compare.quantity_value(c, mine[0]), v))
    return out


def _conflicts(
    group: ClaimGroup, ctx: GroupContext, members: list[Claim], opts: VerdictOptions
) -> list[Verdict]:
    by_kind: dict[tuple[str, str], list[Difference]] = {}
    for a, b in combinations(members, 2):
        if a.article_id == b.article_id:
            continue
        for d in _pair_differences(a, b, group, opts):
            if not _is_update(ctx, d):
                by_kind.setdefault((d.type, d.slot), []).append(d)
    out = []
    for (kind, slot), diffs in sorted(by_kind.items()):
        if kind == "numeric":
            diffs = diffs + _numeric_members(diffs, members)
        sides = _sides_for(diffs, ctx)
        if len(sides) < 2:
            continue
        ids = sorted({a for s in sides for a in s.article_ids})
        shown = " vs ".join(f'"{s.value}" in {", ".join(s.article_ids)}' for s in sides)
        out.append(
            Verdict(
                f"conflict:{group.id}:{kind}:{slot}",
                group.id,
                group.story_id,
                "conflicting",
                _content(ctx, members[0]),
                ids,
                ctx.independent(ids),
                [e for s in sides for e in s.evidence][: opts.max_evidence * 2],
                type=kind,
                slot=slot,
                sides=sides,
                reason=f"{kind} values differ on {slot}: {shown}",
            )
        )
    return out


def decide(group: ClaimGroup, ctx: GroupContext, opts: VerdictOptions) -> list[Verdict]:
    """All verdicts for one group (a dispute and/or conflicts, else corroborated / single-source)."""
    members = [ctx.claims[c] for c in group.claim_ids if c in ctx.claims]
    responses = [ctx.claims[c] for c in group.responses if c in ctx.claims]
    if not members:
        return []
    out: list[Verdict] = []
    dispute = _dispute(group, ctx, members, responses)
    if dispute:
        out.append(dispute)
    out += _conflicts(group, ctx, members, opts)
    if out:
        return out
    ids = sorted({c.article_id for c in members})
    n_ind = ctx.independent(ids)
    label = "corroborated" if n_ind >= opts.min_independent else "single-source"
    ev = [_claim_evidence(ctx, c) for c in members][: opts.max_evidence]
    reason = (
        f"stated by {len(ids)} article(s) from {n_ind} independent source(s)"
        if label == "corroborated"
        else f"only one independent source ({len(ids)} article(s)) reports this"
    )
    return [
        Verdict(
            f"{label}:{group.id}",
            group.id,
            group.story_id,
            label,
            _content(ctx, members[0]),
            ids,
            n_ind,
            ev,
            reason=reason,
        )
    ]
