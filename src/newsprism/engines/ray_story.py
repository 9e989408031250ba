"""Per-story alignment and verdicts on Ray: ``groupby(story).map_groups`` over an actor pool.

Alignment groups claims within one story and verdicts judge one group (or two groups of one
story) at a time, and every later merge (conflicts, disputes, single-source items) keys on the
story or on one article, so each story is analysed alone and the results are concatenated in the
local stage's order: stories of two or more articles by story id, then one-article stories in
article order, then each list sorted as the local stage sorts it.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np

from newsprism.backends import Backends, Models
from newsprism.pipeline import Batch


@dataclass(frozen=True)
class StorySpec:
    """What a story actor builds its stages from (options and model names travel; models load on
    the actor). Options None: the stage's defaults."""

    align: Any
    run_verdicts: bool
    verdicts: Any | None
    models: Models


class _StoryActor:
    def __init__(self, spec: StorySpec):
        from newsprism.align.stage import AlignStage
        from newsprism.verdicts.stage import VerdictsStage

        backends = Backends(spec.models)
        self.align = AlignStage(spec.align, embedder=backends.embedder)
        self.verdicts = (
            VerdictsStage(spec.verdicts, judge=backends.judge, parser=lambda: backends.parser)
            if spec.run_verdicts
            else None
        )

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, Any]:
        results = [pickle.dumps(self._story(str(sid), pickle.loads(blob)))
                   for sid, blob in zip(batch["story"], batch["rows"], strict=True)]
        return {"story": batch["story"], "result": results}

    def _story(self, story: str, members: list[tuple[int, bytes]]) -> tuple:
        from newsprism.claims.model import ClaimsResult

        rows = [pickle.loads(row) for _, row in sorted(members, key=lambda m: m[0])]
        articles = [r["article"] for r in rows]
        claims = ClaimsResult(claims={r["article"].id: r["claims"] for r in rows})
        sub = Batch.of(articles).with_layer("claims", claims)
        sub = sub.with_layer("stories", SimpleNamespace(story_of={a.id: story for a in articles}))
        if rows[0]["reuse_group"] is not None:
            # The batch's whole-copy reports and its articles' partial pairs: verdicts count copies
            # per passage as they would over the whole batch.
            group_of = {r["article"].id: r["reuse_group"] for r in rows}
            pairs = list({(p.a, p.b): p for r in rows for p in r["reuse_pairs"]}.values())
            sub = sub.with_layer("reuse", SimpleNamespace(group_of=group_of, pairs=pairs, reports=group_of))
        sub = self.align.run(sub)
        verdicts = self.verdicts.run(sub).layer("verdicts") if self.verdicts else None
        return (min(i for i, _ in members), len(articles), sub.layer("alignment"), verdicts)


def _pack_story(group: dict[str, np.ndarray]) -> dict[str, Any]:
    """One story's rows as one row: the grouped shuffle ends here, before any model is loaded."""
    members = [(int(i), bytes(blob)) for i, blob in zip(group["i"], group["row"], strict=True)]
    return {"story": group["story"][:1], "rows": [pickle.dumps(members)]}


def story_rows(batch: Batch) -> list[dict[str, Any]]:
    from newsprism.align.stage import story_membership

    claims = batch.layer("claims")
    story_of = story_membership(batch.layer("stories"), list(claims.claims))
    from newsprism.verdicts.independence import independence_of, partial_pairs

    found = independence_of(batch.layers.get("reuse"), batch.articles)
    partial = partial_pairs(getattr(batch.layers.get("reuse"), "pairs", None) or ())
    rows = []
    for i, a in enumerate(batch.articles):
        if a.id not in claims.claims:
            continue
        row = {
            "article": a,
            "claims": claims.claims[a.id],
            "reuse_group": found.report_of(a.id) if found else None,
            "reuse_pairs": tuple(partial.get(a.id, ())),
        }
        rows.append({"story": story_of[a.id], "i": i, "row": pickle.dumps(row)})
    return rows


def run_story_stages(batch: Batch, spec: StorySpec, cpus: int) -> list[tuple[int, int, str, Any, Any]]:
    """Each story's (first article index, size, id, alignment, verdicts), in no particular order."""
    import ray.data

    from newsprism.engines.ray_stages import pool

    rows = story_rows(batch)
    if not rows:
        return []
    # The shuffle runs to the end before the actor pool starts: an actor holding a CPU while the
    # shuffle's tasks wait for one deadlocked a cluster of two one-CPU nodes.
    grouped = ray.data.from_items(rows).groupby("story", num_partitions=max(1, 2 * cpus))
    stories = grouped.map_groups(_pack_story, batch_format="numpy").materialize()
    ds = stories.map_batches(
        _StoryActor, fn_constructor_args=(spec,), batch_size=8, batch_format="numpy", compute=pool(cpus)
    )
    out = []
    for r in ds.iter_rows():
        first, size, alignment, verdicts = pickle.loads(r["result"])
        out.append((first, size, str(r["story"]), alignment, verdicts))
    return out


def _local_order(parts: list[tuple[int, int, str, Any, Any]]) -> list[tuple[int, int, str, Any, Any]]:
    """Stories as the local align stage walks them: multi-article by id, then the rest by article."""
    multi = sorted((p for p in parts if p[1] >= 2), key=lambda p: p[2])
    single = sorted((p for p in parts if p[1] < 2), key=lambda p: p[0])
    return multi + single


def merge_alignment(batch: Batch, parts: list[tuple[int, int, str, Any, Any]]) -> Any:
    from newsprism.align.model import AlignmentResult
    from newsprism.align.stage import story_membership

    claims = batch.layer("claims")
    merged = AlignmentResult(
        claims=claims.by_id(),
        story_of=story_membership(batch.layer("stories"), list(claims.claims)),
        article_meta={k: v for p in parts for k, v in p[3].article_meta.items()},
    )
    for _, _, _, part, _ in _local_order(parts):
        merged.groups.extend(part.groups)
        merged.near.extend(part.near)
        merged.errors.update(part.errors)
        merged.notes.extend(n for n in part.notes if n not in merged.notes)
        for k, v in part.timings.items():
            merged.timings[k] = merged.timings.get(k, 0.0) + v
    return merged


def merge_verdicts(parts: list[tuple[int, int, str, Any, Any]]) -> Any:
    from newsprism.verdicts.model import VerdictsResult

    ordered = [p[4] for p in _local_order(parts) if p[4] is not None]
    merged = VerdictsResult()
    if ordered:
        merged.independence, merged.independence_note = ordered[0].independence, ordered[0].independence_note
    for part in ordered:
        for name in ("fact_sheet", "conflicts", "actor_disputes", "single_source", "dismissed", "wording"):
            getattr(merged, name).extend(getattr(part, name))
        merged.errors.update(part.errors)
        for k, v in part.timings.items():
            merged.timings[k] = merged.timings.get(k, 0.0) + v
    # The local stage's final orders (its keys end in the verdict id, so the order is total).
    merged.fact_sheet.sort(key=lambda v: (-v.n_independent_sources, -len(v.article_ids), -v.confidence, v.id))
    for found in (merged.conflicts, merged.actor_disputes, merged.single_source):
        found.sort(key=lambda v: (-v.confidence, v.id))
    return merged
