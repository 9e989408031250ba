"""Topics: a looser grouping of stories (one celebrity's rehab, one country's elections).

A story says which happening; a topic gathers the stories about one subject for browsing. Each story
enters as one row: its centroid, i.e. its summed member profiles (``index.Profile``, what the store
keeps per story) scaled to unit length, so a story of fifty reports weighs as much as one of two.
Topics are then the same average linkage that makes stories (``cluster.cluster``), run over those
rows with the topic configuration below, and the same centroid index (``index.StoryIndex``) places a
new story incrementally, so batch and incremental paths score with one function and one threshold.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize

from newsprism.stories.cluster import cluster
from newsprism.stories.features import N_NAME_FEATURES, N_TEXT_FEATURES, DocFeatures
from newsprism.stories.index import Profile, group_profiles
from newsprism.stories.score import StoryOptions


@dataclass(frozen=True, slots=True)
class TopicOptions:
    """One configuration, chosen on ECB+ odd topics only (BENCHMARKS.md, "Topics")."""

    # Vocabulary carries a topic ("rehab", "earthquake", "escaped"); names tie the stories about one
    # person or place. Two stories of one ECB+ topic often share neither protagonist nor place
    # (two celebrities in rehab), so names weigh less than for stories (0 and 0.6 also tried).
    w_text: float = 1.0
    w_names: float = 0.2
    w_embedding: float = 0.0
    # Mean story-to-story score above which topics merge (and a new story joins a topic); the
    # story threshold is 0.2 on a scale where words count 1.5, so this is about a third as strict.
    threshold: float = 0.1
    # As for stories: a merge must reach this fraction of the cohesion of each side. One ratio for
    # every size: the large-cluster ratio (0.4-0.8 tried) never changed an ECB+ odd-topic figure.
    cohesion_ratio: float = 0.5
    cohesion_ratio_large: float = 0.5
    cohesion_min_size: int = 7

    def story_options(self) -> StoryOptions:
        """The clustering parameters that place story rows: no time term (a topic spans months)."""
        return StoryOptions(
            w_embedding=self.w_embedding,
            w_text=self.w_text,
            w_names=self.w_names,
            w_time=0.0,
            threshold=self.threshold,
            cohesion_ratio=self.cohesion_ratio,
            cohesion_ratio_large=self.cohesion_ratio_large,
            cohesion_min_size=self.cohesion_min_size,
        )


def topic_id(first_story_id: str, attempt: int = 0) -> str:
    """A topic is named after the story that opened it (as a story after its first article), so the
    id survives re-runs; ``attempt`` > 0 when that name is taken."""
    basis = f"topic\x1f{first_story_id}" + (f"\x1f{attempt}" if attempt else "")
    return "t" + hashlib.sha256(basis.encode()).hexdigest()[:12]


def _unit_rows(parts: Sequence[tuple[np.ndarray, np.ndarray]], width: int) -> sparse.csr_matrix:
    indptr = np.cumsum([0, *(len(idx) for idx, _ in parts)])
    indices = np.concatenate([idx for idx, _ in parts]) if parts else np.zeros(0, np.int32)
    data = np.concatenate([val for _, val in parts]) if parts else np.zeros(0, np.float32)
    m = sparse.csr_matrix((data.astype(np.float32), indices, indptr), shape=(len(parts), width))
    return normalize(m, norm="l2", copy=False).astype(np.float32)


def story_rows(profiles: Sequence[tuple[Profile, np.ndarray]], emb_dims: int) -> DocFeatures:
    """One unit-length row per story from its stored centroid (profile + summed sketch)."""
    text = _unit_rows([(p.text_idx, p.text_val) for p, _ in profiles], N_TEXT_FEATURES)
    names = _unit_rows([(p.name_idx, p.name_val) for p, _ in profiles], N_NAME_FEATURES)
    # The sketch's first ``emb_dims`` columns are sqrt(w_embedding) x the summed lead embeddings:
    # after scaling to unit length, the mean lead embedding's direction.
    emb = np.array([s[:emb_dims] for _, s in profiles], dtype=np.float32).reshape(len(profiles), emb_dims)
    emb = normalize(emb, norm="l2").astype(np.float32)
    return DocFeatures(emb, text, names, np.full(len(profiles), np.nan))


def cluster_topics(
    profiles: Sequence[tuple[Profile, np.ndarray]], emb_dims: int, options: TopicOptions
) -> np.ndarray:
    """Topic labels (0..k-1), one per story profile; independent of the stories' order."""
    if not profiles:
        return np.zeros(0, dtype=np.int64)
    return cluster(story_rows(profiles, emb_dims), options.story_options())


def topics_of_articles(
    feats: DocFeatures, story_labels: np.ndarray, story_options: StoryOptions, options: TopicOptions
) -> np.ndarray:
    """A topic label per article: its story's topic, stories profiled as a batch build stores them."""
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(np.asarray(story_labels).tolist()):
        groups.setdefault(label, []).append(i)
    rows = list(groups.values())
    labels = cluster_topics(group_profiles(story_options, feats, rows), feats.embeddings.shape[1], options)
    out = np.zeros(len(feats), dtype=np.int64)
    for members, topic in zip(rows, labels.tolist(), strict=True):
        out[members] = topic
    return out
