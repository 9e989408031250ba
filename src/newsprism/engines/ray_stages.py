"""Stage runners for the Ray engine: each runs one stage's code partitioned as its algorithm allows.

- claims: per article, ``map_batches`` over an actor pool (spaCy loaded once per actor);
- reuse: keys, bucketed candidates and verification on Ray (``ray_reuse``), sentence embeddings for
  rewrites on an actor pool; pruning, typing and groups centrally (they need every pair);
- stories: neighbour search row blocks in parallel, the linkage centrally (it needs every edge);
- align and verdicts: per story, ``groupby(story).map_groups`` over an actor pool (one embedder
  per actor), merged back in the order the local stages produce.

Rows carry pickled objects: articles, claims and results are plain dataclasses, and a pickle
column keeps Ray Data from inferring (and re-typing) their nested fields.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from newsprism.backends import Backends, Models
from newsprism.model import Article
from newsprism.pipeline import Batch


def pool(cpus: int) -> Any:
    import ray.data

    return ray.data.ActorPoolStrategy(min_size=1, max_size=max(1, cpus))


def _article_rows(articles: Sequence[Article]) -> list[dict[str, Any]]:
    return [{"i": i, "article": pickle.dumps(a)} for i, a in enumerate(articles)]


def _ordered(ds: Any, column: str) -> list[Any]:
    """A dataset's pickled ``column`` back in row order (``i``), whatever order tasks finished in."""
    rows = sorted(ds.iter_rows(), key=lambda r: int(r["i"]))
    return [pickle.loads(r[column]) for r in rows]


# -- claims ---------------------------------------------------------------------------------------


class _ClaimsActor:
    def __init__(self, options: Any, models: Models):
        from newsprism.claims.stage import ClaimsStage

        self.stage = ClaimsStage(options, nlp=Backends(models).nlp)  # spaCy loads once per actor

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, Any]:
        articles = [pickle.loads(b) for b in batch["article"]]
        result = self.stage.run(Batch.of(articles)).layer("claims")
        # The batch's timings ride on its first article, so they are summed once.
        timings = [result.timings] + [{}] * (len(articles) - 1)
        out = [
            pickle.dumps((result.claims.get(a.id, []), result.errors.get(a.id), t))
            for a, t in zip(articles, timings, strict=True)
        ]
        return {"i": batch["i"], "claims": out}


def run_claims(options: Any, batch: Batch, cpus: int, models: Models) -> Batch:
    """``options``: the claims stage's (None: its defaults); ``models``: what the actors load."""
    import ray.data

    from newsprism.claims.model import ClaimsResult

    ds = ray.data.from_items(_article_rows(batch.articles)).map_batches(
        _ClaimsActor, fn_constructor_args=(options, models), batch_size=32, batch_format="numpy",
        compute=pool(cpus),
    )
    result = ClaimsResult()
    for article, (claims, error, timings) in zip(batch.articles, _ordered(ds, "claims"), strict=True):
        result.claims[article.id] = claims
        if error:
            result.errors[article.id] = error
        for k, v in timings.items():
            result.timings[k] = result.timings.get(k, 0.0) + v
    return batch.with_layer("claims", result)


# -- reuse ----------------------------------------------------------------------------------------


class _EmbedActor:
    def __init__(self, models: Models):
        self.embedder = Backends(models).embedder

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, Any]:
        vecs = np.asarray(self.embedder.encode(list(batch["text"])), dtype=np.float32)
        return {"i": batch["i"], "vec": [pickle.dumps(v) for v in vecs]}


@dataclass
class Precomputed:
    """An embedder answering from vectors computed on the cluster, the rest from the embedder of
    ``fallback`` (loaded here only if some text was not computed there)."""

    vectors: dict[str, np.ndarray]
    fallback: Backends

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            more = np.asarray(self.fallback.embedder.encode(missing))
            self.vectors.update(zip(missing, more, strict=True))
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self.vectors[t] for t in texts]).astype(np.float32, copy=False)


def sentence_vectors(articles: Sequence[Article], models: Models, cpus: int) -> dict[str, np.ndarray]:
    """Embeddings of every sentence that rewrite detection reads, computed on an actor pool."""
    import ray.data

    from newsprism.reuse.rewrite import MIN_SENTENCES

    usable = [a for a in articles if len(a.sentences) >= MIN_SENTENCES]
    texts = list(dict.fromkeys(s for a in usable for s in a.sentence_texts()))
    if not texts:
        return {}
    ds = ray.data.from_items([{"i": i, "text": t} for i, t in enumerate(texts)]).map_batches(
        _EmbedActor, fn_constructor_args=(models,), batch_size=256, batch_format="numpy",
        compute=pool(cpus),
    )
    return dict(zip(texts, _ordered(ds, "vec"), strict=True))


def run_reuse(options: Any, batch: Batch, cpus: int, backends: Backends) -> Batch:
    """``options``: the reuse stage's (None: its defaults); ``backends``: the pipeline's."""
    from newsprism.engines.ray_reuse import ray_evidence
    from newsprism.reuse.options import ReuseOptions
    from newsprism.reuse.stage import analyze

    options = options or ReuseOptions()
    embedder = None
    if options.rewrite:
        embedder = Precomputed(sentence_vectors(batch.articles, backends.models, cpus), backends)

    def finder(reps: Sequence[Article], options: Any, stats: Any) -> list:
        return ray_evidence(reps, options, stats, cpus)

    return batch.with_layer("reuse", analyze(batch.articles, options, embedder, finder))


# -- stories --------------------------------------------------------------------------------------


def _neighbour_block(batch: dict[str, np.ndarray], prof: Any, feats: Any, options: Any) -> dict[str, Any]:
    import ray

    from newsprism.stories.cluster import block_neighbours

    prof, feats = ray.get(prof), ray.get(feats)
    out = [
        pickle.dumps(block_neighbours(prof, feats, options, int(a), int(b)))
        for a, b in zip(batch["start"], batch["stop"], strict=True)
    ]
    return {"i": batch["i"], "pairs": out}


def ray_candidate_pairs(feats: Any, options: Any, cpus: int) -> tuple[np.ndarray, np.ndarray]:
    """``candidate_pairs`` with its row blocks computed on Ray (the same blocks, so the same pairs)."""
    import ray
    import ray.data

    from newsprism.stories.cluster import Profiles, merge_neighbours, neighbour_blocks

    n = len(feats)
    if min(options.neighbours, n - 1) <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    prof_ref, feats_ref = ray.put(Profiles.of(feats, options)), ray.put(feats)
    rows = [{"i": i, "start": a, "stop": b} for i, (a, b) in enumerate(neighbour_blocks(n, options))]
    ds = ray.data.from_items(rows).map_batches(
        _neighbour_block, fn_kwargs={"prof": prof_ref, "feats": feats_ref, "options": options},
        batch_size=1, batch_format="numpy",
    )
    blocks = _ordered(ds, "pairs")
    return merge_neighbours(n, [b[0] for b in blocks], [b[1] for b in blocks])


def run_stories(stage: Any, batch: Batch, cpus: int) -> Batch:
    """``StoriesStage.run`` with the neighbour search on Ray; the linkage runs here."""
    import time

    from newsprism.stories.cluster import cluster
    from newsprism.stories.engine import Clustering, build_result, lead_embeddings, reuse_links
    from newsprism.stories.features import featurize

    t0 = time.perf_counter()
    articles = list(batch.articles)
    reuse = batch.layers.get("reuse")
    embeddings = lead_embeddings(articles, stage.embedder, stage.options)
    feats, idf = featurize(articles, embeddings)

    def candidates(f: Any, o: Any) -> tuple[np.ndarray, np.ndarray]:
        return ray_candidate_pairs(f, o, cpus)

    labels = cluster(feats, stage.options, reuse_links(reuse, articles), candidates)
    result = build_result(articles, Clustering(labels, feats, idf), reuse)
    result.stats["seconds"] = round(time.perf_counter() - t0, 4)
    return batch.with_layer("stories", result)
