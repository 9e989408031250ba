"""``newsprism eval verdicts``: run reuse, claims, alignment and verdicts on gold stories and score them.

All stories are analysed in one batch (one model load, claims tagged together); the stories layer is
the gold's own grouping, so the figures measure verdicts, not story clustering.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from newsprism.analysis import PipelineOptions, build_pipeline, run_stages
from newsprism.evaluation.verdict_corpus import GoldArticle, read_ecbplus, story_articles
from newsprism.evaluation.verdict_gold import GoldStory, load_gold
from newsprism.evaluation.verdict_score import (
    MentionMap,
    Tally,
    score_conflicts,
    score_disputes,
    score_facts,
    score_groups,
    score_single,
)
from newsprism.pipeline import Batch

STAGES = ("reuse", "claims", "align", "verdicts")
METRICS = (
    "conflict_precision",
    "conflict_recall",
    "dispute_precision",
    "dispute_recall",
    "group_pair_precision",
    "group_pair_recall",
    "fact_sheet_purity",
    "independent_count_accuracy",
    "single_source_precision",
)


@dataclass(frozen=True)
class GoldStoriesLayer:
    """The stories layer of an evaluation batch: article id -> gold story."""

    story_of: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {"n_stories": len(set(self.story_of.values()))}


def _analyse(articles: list[Any], story_of: dict[str, str], options: PipelineOptions) -> Batch:
    assembled = build_pipeline(replace(options, stages=STAGES), provided=("stories",))
    batch = Batch.of(articles).with_layer("stories", GoldStoriesLayer(story_of))
    batch, records = run_stages(assembled, batch)
    for r in records:
        if r.status != "ran":
            raise RuntimeError(f"stage {r.name} {r.status}: {r.reason}")
    return batch


def _story_verdicts(verdicts: Any, story_id: str) -> Any:
    from newsprism.verdicts.model import VerdictsResult

    def keep(vs: list[Any]) -> list[Any]:
        return [v for v in vs if v.story_id == story_id]

    return VerdictsResult(
        fact_sheet=keep(verdicts.fact_sheet),
        conflicts=keep(verdicts.conflicts),
        actor_disputes=keep(verdicts.actor_disputes),
        single_source=keep(verdicts.single_source),
        dismissed=keep(verdicts.dismissed),
    )


def _score_story(story: GoldStory, arts: dict[str, GoldArticle], batch: Batch) -> dict[str, Tally]:
    mm = MentionMap(arts)
    res = _story_verdicts(batch.layer("verdicts"), story.story)
    out: dict[str, Tally] = {}
    out["conflict_precision"], out["conflict_recall"] = score_conflicts(story, res, mm)
    out["dispute_precision"], out["dispute_recall"] = score_disputes(story, res, mm)
    out["group_pair_precision"], out["group_pair_recall"] = score_groups(
        story, batch.layer("alignment"), mm, story.story
    )
    out["fact_sheet_purity"], out["independent_count_accuracy"] = score_facts(story, res, mm)
    out["single_source_precision"] = score_single(story, res, mm)
    return out


def evaluate(
    gold: Path, ecbplus: Path | None, split: str | None = None, options: PipelineOptions | None = None
) -> dict[str, Any]:
    """Scores per story and over all stories (micro-averaged), with every finding for reading."""
    stories = load_gold(gold, None if split in (None, "all") else split)
    if not stories:
        raise ValueError(f"{gold}: no gold stories{f' in split {split}' if split else ''}")
    docs = read_ecbplus(ecbplus) if ecbplus and any(s.corpus == "ecbplus" for s in stories) else None
    per_story = {s.story: story_articles(s, docs) for s in stories}
    articles, story_of = [], {}
    for s in stories:
        for ga in per_story[s.story].values():
            articles.append(ga.article)
            story_of[ga.article.id] = s.story
    t0 = time.perf_counter()
    batch = _analyse(articles, story_of, options or PipelineOptions())
    seconds = time.perf_counter() - t0
    totals = {k: Tally() for k in METRICS}
    rows = []
    for s in stories:
        tallies = _score_story(s, per_story[s.story], batch)
        for k, t in tallies.items():
            totals[k].right += t.right
            totals[k].total += t.total
        rows.append(
            {
                "story": s.story,
                "split": s.split,
                "articles": len(per_story[s.story]),
                **{k: {"right": t.right, "total": t.total} for k, t in tallies.items()},
                "findings": {k: t.items for k, t in tallies.items() if t.items},
            }
        )
    return {
        "gold": str(gold),
        "split": split or "all",
        "stories": len(stories),
        "articles": len(articles),
        "seconds": round(seconds, 2),
        "articles_per_second": round(len(articles) / seconds, 2) if seconds else None,
        "metrics": {k: {"value": t.rate(), "right": t.right, "total": t.total} for k, t in totals.items()},
        "per_story": rows,
    }
