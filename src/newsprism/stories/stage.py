"""StoriesStage: ``articles`` (+ optional ``reuse``) -> ``stories``."""

from __future__ import annotations

import time
from typing import Any

from newsprism.pipeline import Batch
from newsprism.stories.engine import build_result, cluster_articles, lead_embeddings
from newsprism.stories.score import StoryOptions


class StoriesStage:
    """Groups a batch's articles into stories (one event each).

    The embedder is used (and required) only when ``options.w_embedding`` > 0; the configuration
    chosen on ECB+ gives lead embeddings no weight (they pull two similar events of one topic
    together), so by default no model is needed.
    """

    name = "stories"
    requires = frozenset({"articles"})
    provides = frozenset({"stories"})

    def __init__(self, options: StoryOptions | None = None, embedder: Any = None):
        self.options = options or StoryOptions()
        if embedder is None and self.options.w_embedding > 0:
            raise ValueError("stories with w_embedding > 0 need an embedder")
        self.embedder = embedder

    def run(self, batch: Batch) -> Batch:
        t0 = time.perf_counter()
        articles = list(batch.articles)
        reuse = batch.layers.get("reuse")
        embeddings = lead_embeddings(articles, self.embedder, self.options)
        clustering = cluster_articles(articles, embeddings, self.options, reuse)
        result = build_result(articles, clustering, reuse)
        result.stats["seconds"] = round(time.perf_counter() - t0, 4)
        return batch.with_layer("stories", result)
