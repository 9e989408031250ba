"""VerdictsStage: ``alignment`` (+ ``reuse`` when present) -> ``verdicts``."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsprism.align.model import AlignmentResult
from newsprism.pipeline import Batch
from newsprism.verdicts.decide import GroupContext, VerdictOptions, decide
from newsprism.verdicts.model import INDEPENDENCE_ARTICLES, INDEPENDENCE_REUSE, Side, Verdict, VerdictsResult


def _claim_text(side: Side) -> str:
    claim = next((e for e in side.evidence if e.role == "claim"), side.evidence[0] if side.evidence else None)
    return claim.text if claim else side.value


@dataclass
class VerdictsOptions:
    decide: VerdictOptions = field(default_factory=VerdictOptions)
    # With a pair judge injected, conflicts of these types are re-checked on the two claim texts and
    # dropped when the judge finds that one entails the other (numeric and quote conflicts rest on
    # compared values and are never overruled).
    judge_types: tuple[str, ...] = ("polarity", "entity", "place", "time", "attribution")
    judge_min_score: float = 0.5


def _independence(reuse: Any) -> tuple[Any, str, str]:
    """A counter of independent sources over article ids, and how independence was established."""
    group_of = getattr(reuse, "group_of", None) if reuse is not None else None
    if isinstance(group_of, dict):

        def count(ids: Sequence[str]) -> int:
            return len({group_of.get(a, f"solo:{a}") for a in ids})

        return count, INDEPENDENCE_REUSE, "independent sources counted by reuse groups (copies count once)"

    def per_article(ids: Sequence[str]) -> int:
        return len(set(ids))

    return (
        per_article,
        INDEPENDENCE_ARTICLES,
        (
            "no reuse layer: each article counts as one independent source, so reprints of one wire story "
            "are over-counted"
        ),
    )


class VerdictsStage:
    name = "verdicts"
    requires = frozenset({"alignment"})
    provides = frozenset({"verdicts"})

    def __init__(self, options: VerdictsOptions | None = None, judge: Any | None = None):
        self.options = options or VerdictsOptions()
        self.judge = judge

    def _review(self, conflicts: list[Verdict]) -> tuple[list[Verdict], list[Verdict]]:
        """Ask the judge about slot-light conflicts: one whose claims it finds entailed is dismissed.
        Returns the conflicts kept and those dismissed, each with the judge's reading in its reason."""
        todo = [v for v in conflicts if v.type in self.options.judge_types and len(v.sides) >= 2]
        pairs = [(_claim_text(v.sides[0]), _claim_text(v.sides[1])) for v in todo]
        judged = dict(zip((v.id for v in todo), self.judge.judge(pairs) if pairs else [], strict=True))
        kept, dismissed = [], []
        for v in conflicts:
            j = judged.get(v.id)
            if j is None:
                kept.append(v)
                continue
            v.reason += f" (judge: {j.label} {j.score:.2f})"
            entailed = j.label == "entails" and j.score >= self.options.judge_min_score
            (dismissed if entailed else kept).append(v)
        return kept, dismissed

    def run(self, batch: Batch) -> Batch:
        t0 = time.perf_counter()
        alignment: AlignmentResult = batch.layer("alignment")
        count, mode, note = _independence(batch.layers.get("reuse"))
        result = VerdictsResult(independence=mode, independence_note=note)
        ctx = GroupContext(
            alignment.claims, {a.id: a.text for a in batch.articles}, count, alignment.article_meta
        )
        for group in alignment.groups:
            try:
                verdicts = decide(group, ctx, self.options.decide)
            except Exception as exc:  # noqa: BLE001 - one odd group must not lose the rest
                result.errors[group.id] = f"verdict failed for group {group.id}: {exc!r}"
                continue
            for v in verdicts:
                if mode == INDEPENDENCE_ARTICLES:
                    v.note = "; ".join(x for x in (v.note, "each article counted as one source") if x)
                {
                    "corroborated": result.fact_sheet,
                    "conflicting": result.conflicts,
                    "disputed": result.actor_disputes,
                    "single-source": result.single_source,
                }[v.label].append(v)
        if self.judge is not None:
            try:
                result.conflicts, result.dismissed = self._review(result.conflicts)
            except Exception as exc:  # noqa: BLE001 - a failing judge leaves the slot verdicts as they are
                result.errors["judge"] = f"judge review failed: {exc!r}"
        result.fact_sheet.sort(key=lambda v: (-v.n_independent_sources, -len(v.article_ids), v.id))
        result.timings["verdict_seconds"] = time.perf_counter() - t0
        return batch.with_layer("verdicts", result)
