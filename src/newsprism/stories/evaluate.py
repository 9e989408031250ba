"""Clustering evaluation: B-cubed precision/recall/F1 against gold labels in a JSONL file.

The rows' ids and gold labels are read only to score; clustering sees articles built from text, title and
date alone.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

from newsprism.ingest.meta import parse_datetime
from newsprism.model import Article, Span, content_hash
from newsprism.sentences import split_sentences
from newsprism.text import normalize, paragraph_spans


@dataclass(frozen=True, slots=True)
class BCubed:
    precision: float
    recall: float
    f1: float
    n_items: int
    n_clusters: int
    n_gold: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "n_items": self.n_items,
            "n_clusters": self.n_clusters,
            "n_gold_clusters": self.n_gold,
        }


def bcubed(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> BCubed:
    """B-cubed (Bagga & Baldwin 1998): per-item precision/recall of its cluster, averaged over items."""
    if len(predicted) != len(gold):
        raise ValueError(f"{len(predicted)} predictions for {len(gold)} gold labels")
    n = len(gold)
    if n == 0:
        return BCubed(0.0, 0.0, 0.0, 0, 0, 0)
    joint = Counter(zip(predicted, gold, strict=True))
    pred_size, gold_size = Counter(predicted), Counter(gold)
    # Each (p, g) cell of c items contributes c items with precision c/|p| and recall c/|g|.
    precision = sum(c * c / pred_size[p] for (p, _), c in joint.items()) / n
    recall = sum(c * c / gold_size[g] for (_, g), c in joint.items()) / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BCubed(precision, recall, f1, n, len(pred_size), len(gold_size))


def article_from_row(row: dict[str, Any], index: int) -> Article:
    """An ``Article`` from an evaluation row's text, optional title and date; its id is its position."""
    sentences = row.get("sentences")
    raw = "\n".join(sentences) if isinstance(sentences, list) and sentences else str(row.get("text") or "")
    text = normalize(raw)
    paragraphs = paragraph_spans(text)
    published = row.get("published")
    if isinstance(published, str):
        published = parse_datetime(published)
        if published is not None and published.tzinfo is None:
            published = published.replace(tzinfo=UTC)
    title = row.get("title")
    return Article(
        id=f"row{index}",
        text=text,
        content_hash=content_hash(text),
        source_format="eval",
        title=str(title) if title else None,
        published=published if published else None,
        paragraphs=paragraphs,
        sentences=split_sentences(text, paragraphs) if text else [Span(0, 0)],
    )


def load_rows(path: Path, label_key: str) -> tuple[list[dict[str, Any]], list[Hashable]]:
    rows, gold = [], []
    with path.open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if label_key not in row:
                raise ValueError(f"{path}:{line_no}: row has no {label_key!r} field")
            gold.append(row[label_key])
            rows.append(row)
    return rows, gold


def _scores(predicted: list[Any], gold: list[Hashable]) -> dict[str, Any]:
    from sklearn.metrics import adjusted_rand_score

    out = bcubed(predicted, gold).to_dict()
    out["ari"] = round(float(adjusted_rand_score([str(g) for g in gold], predicted)), 4)
    return out


def evaluate_file(
    path: Path,
    label_key: str,
    options: Any = None,
    embedder: Any = None,
    no_dates: bool = False,
    topic_key: str | None = "topic",
) -> dict[str, Any]:
    """Cluster the rows of ``path`` from their text alone and score against ``label_key``.

    ``no_dates`` first removes every absolute date from the rows' text and title and drops their date
    fields (``stories.undate``), to measure clustering where dates cannot help. When every row carries
    ``topic_key``, the stories' topics (``stories.topics``, grouped as a batch build stores them) are
    scored against it too, under ``"topics"``.
    """
    import time

    from newsprism.stories.engine import cluster_articles, lead_embeddings
    from newsprism.stories.score import StoryOptions

    options = options or StoryOptions()
    rows, gold = load_rows(path, label_key)
    if no_dates:
        from newsprism.stories.undate import scrub_rows

        rows = scrub_rows(rows)
    t0 = time.perf_counter()
    arts = [article_from_row(row, i) for i, row in enumerate(rows)]
    embeddings = lead_embeddings(arts, embedder, options)
    t1 = time.perf_counter()
    clustering = cluster_articles(arts, embeddings, options)
    labels = clustering.labels
    t2 = time.perf_counter()
    report = _scores(labels.tolist(), gold)
    topic_gold = [row.get(topic_key) for row in rows] if topic_key else []
    if topic_key and all(g is not None for g in topic_gold):
        from newsprism.stories.topics import TopicOptions, topics_of_articles

        topics = topics_of_articles(clustering.feats, labels, options, TopicOptions())
        report["topics"] = {**_scores(topics.tolist(), topic_gold), "label": topic_key}
    t3 = time.perf_counter()
    report.update(
        {
            "data": str(path),
            "label": label_key,
            "dates_removed": no_dates,
            "embedding_seconds": round(t1 - t0, 3),
            "clustering_seconds": round(t2 - t1, 3),
            "topic_seconds": round(t3 - t2, 3),
        }
    )
    return report
