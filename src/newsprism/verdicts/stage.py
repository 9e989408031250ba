"""VerdictsStage: ``alignment`` (+ ``reuse`` when present) -> ``verdicts``."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from newsprism.align.model import AlignmentResult
from newsprism.model import Article
from newsprism.pipeline import Batch
from newsprism.progress import step
from newsprism.verdicts import attributes, clock, dates, disputes, single, tolls, updates
from newsprism.verdicts.decide import GroupContext, VerdictOptions, decide, decide_near
from newsprism.verdicts.independence import Independence, independence_of
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


def _independence(
    reuse: Any, articles: Sequence[Article] = ()
) -> tuple[Callable[[str], str], str, str, Independence | None]:
    """Each article's independent report (its whole-copy group), how independence was established,
    and the passage-level independence (None without a reuse layer)."""
    found = independence_of(reuse, articles)
    if found is not None:
        return (
            found.report_of,
            INDEPENDENCE_REUSE,
            "independent reports counted by reuse pairs (copies count once; text an article shares "
            "only in part counts once where a fact is stated in the shared passages) and by the wire an "
            "article credits as its publisher; claims attributed to one primary source count once together",
            found,
        )
    return (
        lambda a: a,
        INDEPENDENCE_ARTICLES,
        (
            "no reuse layer: each article counts as one independent report, so reprints of one wire story "
            "are over-counted"
        ),
        None,
    )


def _distinct(conflicts: list[Verdict]) -> list[Verdict]:
    """One conflict per story, kind and set of values: the same two figures found through two
    pairs of groups (a headline and a lead apart) are one finding."""
    seen: set[tuple[str, str | None, frozenset[str]]] = set()
    out = []
    for v in sorted(conflicts, key=lambda v: -v.confidence):
        key = (v.story_id, v.type, frozenset((s.key or s.value).lower() for s in v.sides))
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


class VerdictsStage:
    name = "verdicts"
    requires = frozenset({"alignment"})
    provides = frozenset({"verdicts"})

    def __init__(
        self,
        options: VerdictsOptions | None = None,
        judge: Any | None = None,
        parser: Callable[[], Any] | None = None,
    ):
        """``parser``: gives a spaCy pipeline with a dependency parser when first called; without
        one no date conflict is looked for (which word a date hangs on cannot be read)."""
        self.options = options or VerdictsOptions()
        self.judge = judge
        self.parser = parser

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

    def _near_conflicts(
        self, alignment: AlignmentResult, ctx: GroupContext, errors: dict[str, str]
    ) -> list[Verdict]:
        """Conflicts across groups the aligner kept apart, found on their strong pairs."""
        by_id = {g.id: g for g in alignment.groups}
        home = {c: g.id for g in alignment.groups for c in g.claim_ids}
        out: list[Verdict] = []
        for a, b, p in sorted(alignment.near, key=lambda x: -x[2]):
            if p < self.options.decide.strong_pair or a not in home or b not in home:
                continue
            ga, gb = by_id[home[a]], by_id[home[b]]
            try:
                found = decide_near(ga, gb, ctx.claims[a], ctx.claims[b], ctx, self.options.decide)
            except Exception as exc:  # noqa: BLE001 - one odd pair must not lose the rest
                errors[f"{a}+{b}"] = f"verdict failed for pair {a}, {b}: {exc!r}"
                continue
            out += found  # the same values found through several pairs are merged by ``_distinct``
        return out

    def _story_wide(
        self, alignment: AlignmentResult, ctx: GroupContext, found: list[Verdict]
    ) -> list[Verdict]:
        """Conflicts read across a story's claims, not within one group: tolls (unless a group's
        conflict already sets the same values apart), ages, magnitudes, dates and clock times."""
        opts = self.options.decide
        story_tolls = tolls.toll_conflicts(alignment, ctx, opts)
        return (
            [v for v in story_tolls if not tolls.already_found(v, found)]
            + attributes.age_conflicts(alignment, ctx, opts)
            + attributes.magnitude_conflicts(alignment, ctx, opts)
            + (dates.date_conflicts(alignment, ctx, opts, self.parser) if self.parser else [])
            + (clock.clock_conflicts(alignment, ctx, opts, self.parser) if self.parser else [])
        )

    def run(self, batch: Batch) -> Batch:
        t0 = time.perf_counter()
        alignment: AlignmentResult = batch.layer("alignment")
        report_of, mode, note, passages = _independence(batch.layers.get("reuse"), batch.articles)
        result = VerdictsResult(independence=mode, independence_note=note)
        ctx = GroupContext(
            alignment.claims,
            {a.id: a.text for a in batch.articles},
            report_of,
            alignment.article_meta,
            alignment.pair_prob(),
            alignment.story_of,
            passages.claim_reports if passages else None,
        )
        counters = disputes.counter_responses(list(alignment.claims.values()), alignment.group_of())
        for n, aligned in enumerate(alignment.groups, 1):
            step(n, len(alignment.groups), "claim groups")
            extra = tuple(counters.get(aligned.id, ()))
            group = replace(aligned, responses=aligned.responses + extra) if extra else aligned
            try:
                verdicts = decide(group, ctx, self.options.decide)
                verdicts = updates.replace_facts(group, ctx, self.options.decide, verdicts)
            except Exception as exc:  # noqa: BLE001 - one odd group must not lose the rest
                result.errors[group.id] = f"verdict failed for group {group.id}: {exc!r}"
                continue
            for v in verdicts:
                if mode == INDEPENDENCE_ARTICLES:
                    v.note = "; ".join(x for x in (v.note, "each article counted as one source") if x)
                {
                    "corroborated": result.fact_sheet,
                    "single-origin": result.fact_sheet,
                    "conflicting": result.conflicts,
                    "disputed": result.actor_disputes,
                    "single-source": result.single_source,
                    "wording": result.wording,
                }[v.label].append(v)
        found = result.conflicts + self._near_conflicts(alignment, ctx, result.errors)
        result.conflicts = _distinct(found + self._story_wide(alignment, ctx, found))
        opts = self.options.decide
        result.actor_disputes = disputes.merge(result.actor_disputes, ctx.pair_prob, opts.dispute_merge)
        result.single_source = single.select(
            result.single_source, alignment, report_of, opts, passages.reports_of if passages else None
        )
        if self.judge is not None:
            try:
                result.conflicts, result.dismissed = self._review(result.conflicts)
            except Exception as exc:  # noqa: BLE001 - a failing judge leaves the slot verdicts as they are
                result.errors["judge"] = f"judge review failed: {exc!r}"
        result.fact_sheet.sort(
            key=lambda v: (-v.n_independent_sources, -len(v.article_ids), -v.confidence, v.id)
        )
        for found in (result.conflicts, result.actor_disputes):
            found.sort(key=lambda v: (-v.confidence, v.id))
        result.timings["verdict_seconds"] = time.perf_counter() - t0
        return batch.with_layer("verdicts", result)
