"""Batch story detection over a list of articles: features, reuse evidence, clustering, summaries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from newsprism.model import Article
from newsprism.stories.cluster import cluster
from newsprism.stories.features import DocFeatures, Idf, featurize, lead_of
from newsprism.stories.result import StoriesResult, summarize
from newsprism.stories.score import StoryOptions


@dataclass(slots=True)
class Clustering:
    """Labels per article (same order as the input) with the features they were computed from."""

    labels: np.ndarray
    feats: DocFeatures
    idf: Idf


def lead_embeddings(articles: Sequence[Article], embedder: Any, options: StoryOptions) -> np.ndarray:
    """Lead embeddings when the configuration weighs them; a zero column otherwise (no model run)."""
    if options.w_embedding <= 0 or embedder is None or not articles:
        return np.zeros((len(articles), 1), dtype=np.float32)
    return np.asarray(embedder.encode([lead_of(a) or " " for a in articles]), dtype=np.float32)


def reuse_links(reuse: Any, articles: Sequence[Article]) -> list[tuple[int, int]]:
    """Index pairs that the reuse layer (any typed pair) or a revision link says share one text."""
    index = {a.id: i for i, a in enumerate(articles)}
    links = [(index[a.id], index[a.revision_of]) for a in articles if a.revision_of in index]
    for pair in getattr(reuse, "pairs", None) or ():
        a, b = getattr(pair, "a", None), getattr(pair, "b", None)
        if a in index and b in index:
            links.append((index[a], index[b]))
    return links


def cluster_articles(
    articles: Sequence[Article], embeddings: np.ndarray, options: StoryOptions, reuse: Any = None
) -> Clustering:
    feats, idf = featurize(list(articles), embeddings)
    labels = cluster(feats, options, reuse_links(reuse, articles))
    return Clustering(labels, feats, idf)


def build_result(articles: Sequence[Article], clustering: Clustering, reuse: Any = None) -> StoriesResult:
    """Stories ordered by size (largest first), each summarised from its members."""
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(clustering.labels.tolist()):
        groups.setdefault(label, []).append(i)
    independent_of = getattr(reuse, "independent_groups", None)
    stories = []
    for rows in groups.values():
        members = [articles[i] for i in rows]
        independent = independent_of([a.id for a in members]) if callable(independent_of) else None
        stories.append(summarize(members, clustering.feats.text[rows], independent))
    stories.sort(key=lambda s: (-s.n_articles, s.id))
    story_of = {aid: s.id for s in stories for aid in s.article_ids}
    notes = []
    if not callable(independent_of):
        notes.append("no reuse layer: each article counts as one independent source")
    return StoriesResult(
        tuple(stories), story_of, tuple(notes), {"n_articles": len(articles), "n_stories": len(stories)}
    )
