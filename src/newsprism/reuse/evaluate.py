"""Scoring reuse detection on a reuse-bench style directory (``articles.jsonl`` + ``gold.jsonl``).

Articles are built from their text alone; ids and story labels are read only to score. Pairs are
undirected; gold rows marked ``ignore`` are left out of both precision and recall.
"""

from __future__ import annotations

import json
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsprism.ingest.base import RawDocument, ReaderError
from newsprism.ingest.build import build_article
from newsprism.model import Article
from newsprism.reuse.options import ReuseOptions
from newsprism.reuse.result import ReuseResult


@dataclass
class Bench:
    articles: list[Article]
    bench_id: dict[str, str]  # article id -> bench id
    story: dict[str, str]  # bench id -> story label (scoring/splits only)
    gold: dict[frozenset[str], dict[str, Any]]
    ignore: set[frozenset[str]]
    errors: list[str]


def load_bench(data_dir: Path, limit_stories: int | None = None) -> Bench:
    rows = [
        json.loads(line) for line in (data_dir / "articles.jsonl").read_text().splitlines() if line.strip()
    ]
    if limit_stories is not None:
        keep = sorted({r.get("story", "") for r in rows})[:limit_stories]
        rows = [r for r in rows if r.get("story", "") in keep]
    articles, bench_id, story, errors = [], {}, {}, []
    for n, row in enumerate(rows, 1):
        # The source name is a line number: it must not carry the bench id into the system.
        raw = RawDocument(
            text=row.get("text") or "",
            source=f"{data_dir.name}/articles.jsonl:{n}",
            format="text",
            external_id=f"line:{n}",
        )
        try:
            art = build_article(raw)
        except ReaderError as exc:
            errors.append(str(exc))
            continue
        articles.append(art)
        bench_id[art.id] = row["id"]
        story[row["id"]] = row.get("story", "")
    gold, ignore = {}, set()
    known = set(story)
    for line in (data_dir / "gold.jsonl").read_text().splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        if "ignore" in r:
            ignore.add(frozenset(r["ignore"]))
        elif r["a"] in known and r["b"] in known:
            gold[frozenset((r["a"], r["b"]))] = r
    return Bench(articles, bench_id, story, gold, ignore, errors)


def split_of(story_label: str) -> str:
    """A fixed split by story: 'dev' (thresholds were chosen looking at it) or 'test'."""
    return "dev" if zlib.crc32(story_label.encode()) % 2 == 0 else "test"


def score(bench: Bench, result: ReuseResult, subset: str | None = None) -> dict[str, Any]:
    def keep(ids: frozenset[str]) -> bool:
        return subset is None or all(split_of(bench.story[i]) == subset for i in ids)

    predicted = {}
    for p in result.pairs:
        a, b = bench.bench_id.get(p.a), bench.bench_id.get(p.b)
        if a and b and a != b:
            predicted[frozenset((a, b))] = (a, b, p)
    gold = {k: v for k, v in bench.gold.items() if keep(k)}
    scored = {k: v for k, v in predicted.items() if k not in bench.ignore and keep(k)}
    tp = [k for k in scored if k in gold]
    fp = len(scored) - len(tp)
    precision = len(tp) / len(scored) if scored else 0.0
    recall = len(tp) / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    per_type_total, per_type_hit = (
        Counter(g["type"] for g in gold.values()),
        Counter(gold[k]["type"] for k in tp),
    )
    type_ok = sum(1 for k in tp if scored[k][2].type == gold[k]["type"])
    dir_total = dir_ok = unknown = 0
    for k in tp:
        g = gold[k]
        if not g.get("direction"):
            continue
        dir_total += 1
        gold_source = g["b"] if g["direction"] == "b->a" else g["a"]
        src = scored[k][2].source
        unknown += src is None
        dir_ok += src is not None and bench.bench_id.get(src) == gold_source
    confusion = Counter(
        f"{gold[k]['type']}->{scored[k][2].type}" for k in tp if scored[k][2].type != gold[k]["type"]
    )
    return {
        "pairs_gold": len(gold),
        "pairs_predicted": len(scored),
        "true_positives": len(tp),
        "false_positives": fp,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "recall_by_type": {t: round(per_type_hit[t] / n, 4) for t, n in sorted(per_type_total.items())},
        "type_accuracy": round(type_ok / len(tp), 4) if tp else 0.0,
        "direction_accuracy": round(dir_ok / dir_total, 4) if dir_total else 0.0,
        "direction_unknown": unknown,
        "type_confusion": dict(confusion.most_common(8)),
    }


def evaluate(
    data_dir: Path,
    options: ReuseOptions | None = None,
    embedder: Any = None,
    limit_stories: int | None = None,
) -> dict[str, Any]:
    from newsprism.reuse.stage import analyze

    bench = load_bench(data_dir, limit_stories)
    t0 = time.perf_counter()
    result = analyze(bench.articles, options or ReuseOptions(rewrite=embedder is not None), embedder)
    seconds = time.perf_counter() - t0
    out = score(bench, result)
    out["splits"] = {
        name: {k: v for k, v in score(bench, result, name).items() if k != "type_confusion"}
        for name in ("dev", "test")
    }
    out.update(
        {
            "articles": len(bench.articles),
            "build_errors": bench.errors,
            "seconds": round(seconds, 2),
            "rewrites": embedder is not None,
        }
    )
    return out
