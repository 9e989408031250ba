"""The ``reuse`` layer value: typed, directed pairs with passages, and independent-source groups."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

RELATION_TYPES = ("copy", "revision", "truncated", "edited", "merged", "partial", "partial-host", "rewrite")


@dataclass(frozen=True)
class ReusePair:
    """One derivation edge. ``direction`` is ``"a->b"`` (a is the source), ``"b->a"`` or ``"unknown"``.

    ``passages`` are char offsets into each article's ``text``; ``coverage_a`` is the share of a's
    words lying in text shared with b. ``diff`` is filled for revisions.
    """

    a: str
    b: str
    type: str
    direction: str
    confidence: float
    reason: str
    coverage_a: float
    coverage_b: float
    passages: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = ()
    direction_reason: str = ""
    diff: dict[str, Any] | None = None

    @property
    def source(self) -> str | None:
        return {"a->b": self.a, "b->a": self.b}.get(self.direction)

    @property
    def derived(self) -> str | None:
        return {"a->b": self.b, "b->a": self.a}.get(self.direction)

    def to_dict(self) -> dict[str, Any]:
        d = {
            "a": self.a,
            "b": self.b,
            "type": self.type,
            "direction": self.direction,
            "confidence": round(self.confidence, 3),
            "reason": self.reason,
            "direction_reason": self.direction_reason,
            "coverage_a": round(self.coverage_a, 4),
            "coverage_b": round(self.coverage_b, 4),
            "passages": [{"a": list(pa), "b": list(pb)} for pa, pb in self.passages],
        }
        if self.diff is not None:
            d["diff"] = self.diff
        return d


@dataclass(frozen=True)
class ReuseGroup:
    id: str
    members: tuple[str, ...]
    origin: str | None
    origin_reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "members": list(self.members),
            "origin": self.origin,
            "origin_reason": self.origin_reason,
        }


@dataclass(frozen=True)
class ReuseResult:
    pairs: tuple[ReusePair, ...]
    groups: tuple[ReuseGroup, ...]
    group_of: dict[str, str]
    notes: tuple[str, ...] = ()
    stats: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "pairs": [p.to_dict() for p in self.pairs],
            "groups": [g.to_dict() for g in self.groups],
            "group_of": dict(self.group_of),
            "notes": list(self.notes),
            "stats": dict(self.stats),
        }

    def independent_groups(self, article_ids: list[str] | tuple[str, ...] | set[str]) -> list[set[str]]:
        """Partition ``article_ids`` by independent source: articles of one copy group count once.

        Ids the reuse stage never saw count as their own group, so callers can always count.
        """
        by_group: dict[str, set[str]] = {}
        for aid in article_ids:
            by_group.setdefault(self.group_of.get(aid, f"solo:{aid}"), set()).add(aid)
        return list(by_group.values())

    def pairs_of(self, article_id: str) -> list[ReusePair]:
        return [p for p in self.pairs if article_id in (p.a, p.b)]


def independent_groups(
    result: ReuseResult | None, article_ids: list[str] | tuple[str, ...] | set[str]
) -> list[set[str]]:
    """Module-level helper for stages holding an optional reuse layer: without one, each article is
    its own independent source."""
    if result is None:
        return [{aid} for aid in dict.fromkeys(article_ids)]
    return result.independent_groups(article_ids)
