"""``ReuseStage``: requires {"articles"}, provides {"reuse"}."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from newsprism.model import Article
from newsprism.pipeline import Batch
from newsprism.reuse.diff import revision_diff
from newsprism.reuse.engine import EvidenceFinder, detect, find_evidence
from newsprism.reuse.graph import build_groups
from newsprism.reuse.options import ReuseOptions
from newsprism.reuse.result import ReuseResult
from newsprism.reuse.rewrite import detect_rewrites


def analyze(
    articles: Sequence[Article],
    options: ReuseOptions | None = None,
    embedder: Any = None,
    finder: EvidenceFinder = find_evidence,
) -> ReuseResult:
    """Reuse over a set of articles. Rewrite detection (``options.rewrite``) needs ``embedder``;
    without it rewrites are not looked for and a note says so. ``finder`` verifies candidate pairs
    (the Ray engine passes its distributed one)."""
    options = options or ReuseOptions()
    if options.rewrite and embedder is None:
        raise ValueError("rewrite detection needs an embedder (or ReuseOptions(rewrite=False))")
    result, evidence = detect(articles, options, finder=finder)
    by_id = {a.id: a for a in articles}
    # Diffs run from the older version (the pair's source when known) to the newer.
    pairs = [
        replace(p, diff=revision_diff(by_id[p.source or p.a], by_id[p.derived or p.b]))
        if p.type == "revision"
        else p
        for p in result.pairs
    ]
    notes = list(result.notes)
    if options.rewrite:
        related = {frozenset((p.a, p.b)) for p in pairs}
        exact = {
            frozenset((ev.a.id, ev.b.id)): max(ev.alignment.coverage_a, ev.alignment.coverage_b)
            for ev in evidence
        }
        pairs += detect_rewrites(articles, embedder, options, related, exact)
    else:
        notes.append("rewrite detection off: paraphrased copies are not detected")
    groups, group_of = build_groups(articles, pairs)
    return ReuseResult(tuple(pairs), tuple(groups), group_of, tuple(notes), result.stats)


@dataclass
class ReuseStage:
    options: ReuseOptions = field(default_factory=ReuseOptions)
    embedder: Any = None
    name: str = "reuse"
    requires: frozenset[str] = frozenset({"articles"})
    provides: frozenset[str] = frozenset({"reuse"})

    def run(self, batch: Batch) -> Batch:
        return batch.with_layer("reuse", analyze(batch.articles, self.options, self.embedder))
