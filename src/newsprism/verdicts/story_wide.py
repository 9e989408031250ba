"""Conflicts read across all claims of a story, not within one aligned group: an age, an
earthquake's magnitude, a date or a clock time. Each finder picks the differing values; this module
gathers a story's claims and builds the finding with its sides, evidence and reason alike for all."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from newsprism.align.model import AlignmentResult
from newsprism.claims.model import Claim
from newsprism.verdicts.decide import GroupContext, VerdictOptions
from newsprism.verdicts.model import Side, Verdict


def story_claims(alignment: AlignmentResult, ctx: GroupContext) -> dict[str, list[Claim]]:
    """Every claim of each story, grouped or not (the two sentences need not state one fact);
    responses to another claim are its denials, not values of their own."""
    by_story: dict[str, list[Claim]] = defaultdict(list)
    for c in ctx.claims.values():
        if c.article_id in alignment.story_of and not c.response_to:
            by_story[alignment.story_of[c.article_id]].append(c)
    return by_story


@dataclass(frozen=True)
class Finding:
    """What one story-wide conflict is: ``key`` (unique in the story, also its group id), its type
    and slot, the reason's lead ("the age of Buckley differs") and its confidence with why."""

    key: str
    type: str
    slot: str
    lead: str
    confidence: float
    why: str


def conflict_verdict(
    story: str, sides: list[Side], ctx: GroupContext, opts: VerdictOptions, f: Finding
) -> Verdict:
    """The conflict between ``sides``, shown with every side's values and claims."""
    shown = " vs ".join(f'"{s.value}" in {", ".join(s.article_ids)}' for s in sides)
    members = [ctx.claims[e.claim_id] for s in sides for e in s.evidence if e.role == "claim"]
    return Verdict(
        f"conflict:{story}:{f.key}",
        f.key,
        story,
        "conflicting",
        members[0].text,
        sorted({a for s in sides for a in s.article_ids}),
        ctx.sources(members).sources,
        [e for s in sides for e in s.evidence][: opts.max_evidence * 2],
        type=f.type,
        slot=f.slot,
        sides=sides,
        reason=f"{f.lead}: {shown}",
        confidence=f.confidence,
        confidence_reason=f.why,
    )
