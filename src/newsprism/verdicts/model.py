"""The ``verdicts`` layer: fact sheet, outlet conflicts, actor disputes and single-source claims."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

INDEPENDENCE_REUSE = "reuse"
INDEPENDENCE_ARTICLES = "articles"


@dataclass(frozen=True, slots=True)
class Evidence:
    """A cited passage: which article, which characters, and what they say."""

    article_id: str
    span: tuple[int, int]
    text: str
    claim_id: str | None = None
    role: str = "claim"  # claim | value | source | response

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "span": list(self.span),
            "text": self.text,
            "claim_id": self.claim_id,
            "role": self.role,
        }


@dataclass
class Side:
    """One value (or one actor's position) and the outlets that print it."""

    value: str
    article_ids: list[str]
    evidence: list[Evidence]
    actor: str | None = None
    stance: str | None = None
    key: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value": self.value,
            "article_ids": list(self.article_ids),
            "evidence": [e.to_dict() for e in self.evidence],
        }
        if self.actor is not None or self.stance is not None:
            out.update({"actor": self.actor, "stance": self.stance})
        if self.key is not None:
            out["normalized"] = self.key
        return out


@dataclass
class Verdict:
    """One claim group's verdict. ``label``: corroborated | single-origin (many reports, one original
    source) | conflicting | disputed | single-source | wording."""

    id: str
    group_id: str
    story_id: str
    label: str
    text: str
    article_ids: list[str]
    n_independent_sources: int
    evidence: list[Evidence]
    type: str | None = None
    slot: str | None = None
    sides: list[Side] = field(default_factory=list)
    reason: str = ""
    note: str | None = None
    # How sure the finding is (0-1) and why: the strength of the grouping, how the values were
    # compared, how many independent reports stand on each side.
    confidence: float = 0.5
    confidence_reason: str = ""
    # Facts: independent reports (copies counted once) and the one primary source all of them cite.
    n_reports: int | None = None
    origin: str | None = None
    update: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "group_id": self.group_id,
            "story_id": self.story_id,
            "label": self.label,
            "text": self.text,
            "article_ids": list(self.article_ids),
            "n_independent_sources": self.n_independent_sources,
            "evidence": [e.to_dict() for e in self.evidence],
            "reason": self.reason,
            "confidence": round(self.confidence, 3),
            "confidence_reason": self.confidence_reason,
        }
        if self.n_reports is not None:
            out["n_reports"] = self.n_reports
        if self.origin:
            out["origin"] = self.origin
        if self.update:
            out["update"] = True
        if self.type:
            out["type"] = self.type
        if self.slot:
            out["slot"] = self.slot
        if self.sides:
            out["values" if self.label == "conflicting" else "sides"] = [s.to_dict() for s in self.sides]
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class VerdictsResult:
    fact_sheet: list[Verdict] = field(default_factory=list)
    conflicts: list[Verdict] = field(default_factory=list)
    actor_disputes: list[Verdict] = field(default_factory=list)
    single_source: list[Verdict] = field(default_factory=list)
    # Conflicts a pair judge set aside: it found one claim entailed by the other.
    dismissed: list[Verdict] = field(default_factory=list)
    # Meaning-preserving wording variants of one statement (two translations of a quote): a low-key
    # note for the reader, never a conflict.
    wording: list[Verdict] = field(default_factory=list)
    independence: str = INDEPENDENCE_ARTICLES
    independence_note: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "independence": self.independence,
            "independence_note": self.independence_note,
            "fact_sheet": [v.to_dict() for v in self.fact_sheet],
            "conflicts": [v.to_dict() for v in self.conflicts],
            "actor_disputes": [v.to_dict() for v in self.actor_disputes],
            "single_source": [v.to_dict() for v in self.single_source],
            "dismissed": [v.to_dict() for v in self.dismissed],
            "wording": [v.to_dict() for v in self.wording],
            "counts": {
                "fact_sheet": len(self.fact_sheet),
                "conflicts": len(self.conflicts),
                "actor_disputes": len(self.actor_disputes),
                "single_source": len(self.single_source),
                "dismissed": len(self.dismissed),
                "wording": len(self.wording),
            },
            "errors": dict(self.errors),
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
        }
