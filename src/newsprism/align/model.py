"""The ``alignment`` layer: groups of claims (from different articles of one story) stating one fact."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newsprism.align.pairs import StoryPairs
from newsprism.claims.model import Claim


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    """Claims of different articles that state the same fact or answer the same question.

    ``responses`` are anaphoric denials ("Ukrainian officials denied the claim") attached to the
    group whose claim they answer; ``link_scores`` the pair scores that joined the members.
    """

    id: str
    story_id: str
    claim_ids: tuple[str, ...]
    article_ids: tuple[str, ...]
    responses: tuple[str, ...] = ()
    score: float = 1.0
    link_scores: tuple[tuple[str, str, float], ...] = ()

    def to_dict(self, claims: dict[str, Claim] | None = None) -> dict[str, Any]:
        def member(cid: str) -> dict[str, Any]:
            c = claims.get(cid) if claims else None
            if c is None:
                return {"claim_id": cid}
            return {
                "claim_id": cid,
                "article_id": c.article_id,
                "span": c.span.to_list(),
                "content_span": c.content_span.to_list(),
                "text": c.text,
            }

        return {
            "id": self.id,
            "story_id": self.story_id,
            "score": round(self.score, 4),
            "article_ids": list(self.article_ids),
            "members": [member(c) for c in self.claim_ids],
            "responses": [member(c) for c in self.responses],
            "links": [{"a": a, "b": b, "score": round(s, 4)} for a, b, s in self.link_scores],
        }


@dataclass
class AlignmentResult:
    """Groups per story, plus the claims they index (so verdicts need only this layer)."""

    groups: list[ClaimGroup] = field(default_factory=list)
    claims: dict[str, Claim] = field(default_factory=dict)
    story_of: dict[str, str] = field(default_factory=dict)
    article_meta: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    # Claim pairs of different articles left in different groups that still scored as likely the
    # same fact: (claim a, claim b, P(same fact)). Verdicts compare their values too, so a figure one
    # outlet gives differently is found even where the two claims differ too much to be grouped.
    near: list[tuple[str, str, float]] = field(default_factory=list)
    # Per story, its aligned claim ids (in row order) and the vectors and features they were scored
    # with: verdicts look for a would-be single-source claim in every other report of its story, not
    # only among the nearest neighbours the grouping scored. Not serialised.
    story_pairs: dict[str, tuple[tuple[str, ...], StoryPairs]] = field(default_factory=dict)

    def pair_prob(self) -> dict[tuple[str, str], float]:
        """P(same fact) of every scored pair, both orders."""
        out: dict[tuple[str, str], float] = {}
        for a, b, p in [*(x for g in self.groups for x in g.link_scores), *self.near]:
            out[(a, b)] = out[(b, a)] = p
        return out

    def group_of(self) -> dict[str, str]:
        return {cid: g.id for g in self.groups for cid in g.claim_ids + g.responses}

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_groups": len(self.groups),
            "n_multi_article_groups": sum(1 for g in self.groups if len(set(g.article_ids)) > 1),
            "groups": [g.to_dict(self.claims) for g in self.groups],
            "notes": list(self.notes),
            "errors": dict(self.errors),
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
        }
