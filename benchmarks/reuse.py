"""Reuse benchmark: newsprism's passage-level MinHash LSH + verification vs datasketch's
document-level MinHashLSH (threshold 0.8), on synthetic articles built from ECB+ sentences.

    .venv/bin/python benchmarks/reuse.py --ecb ../shared/data/ecbplus/ecbplus_docs.jsonl \
        --bench ../shared/data/reuse-bench --sizes 1000,10000,100000

Each size runs in a fresh subprocess so its peak RSS is its own. Articles: 8-16 sentences sampled
from the ECB+ pool, every sentence perturbed (one word in four replaced from the corpus vocabulary)
so unrelated articles do not share 5-grams by accident; 10% are derived from an earlier article
(copy with a credit line, truncation, edit, lifted passage), so the amount of reuse per article
stays constant as N grows, as it does in a news stream.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

from newsprism.model import Article, Span, article_id, content_hash

DERIVED_SHARE = 0.10


def _article(sentences: list[str], i: int) -> Article:
    text = " ".join(sentences)
    spans, pos = [], 0
    for s in sentences:
        spans.append(Span(pos, pos + len(s)))
        pos += len(s) + 1
    art = Article(
        id="",
        text=text,
        content_hash=content_hash(text),
        source_format="text",
        paragraphs=[Span(0, len(text))],
        sentences=spans,
        outlet=f"outlet{i % 50}",
    )
    art.id = article_id(f"bench:{i}", art.outlet, art.content_hash)
    return art


def _perturb(sentence: str, vocab: list[str], rng: random.Random) -> str:
    words = sentence.split()
    off = rng.randrange(4)
    return " ".join(rng.choice(vocab) if (k + off) % 4 == 0 else w for k, w in enumerate(words))


def build_articles(ecb: Path, n: int, seed: int = 7) -> list[Article]:
    rng = random.Random(seed)
    pool = [
        s
        for line in ecb.read_text().splitlines()
        for s in json.loads(line)["sentences"]
        if len(s.split()) >= 6
    ]
    vocab = sorted({w for s in pool[:5000] for w in s.split() if w.isalpha()})
    bodies: list[list[str]] = []
    for _ in range(n):
        if bodies and rng.random() < DERIVED_SHARE:
            src = bodies[rng.randrange(len(bodies))]
            kind = rng.randrange(4)
            if kind == 0:
                body = src + ["With wire services."]
            elif kind == 1:
                body = src[: max(2, len(src) // 2)]
            elif kind == 2:
                body = [s for j, s in enumerate(src) if j != 2] + [_perturb(rng.choice(pool), vocab, rng)]
            else:
                own = [_perturb(rng.choice(pool), vocab, rng) for _ in range(rng.randint(8, 14))]
                lift = src[1:4]
                body = own[:4] + lift + own[4:]
        else:
            body = [_perturb(rng.choice(pool), vocab, rng) for _ in range(rng.randint(8, 16))]
        bodies.append(body)
    return [_article(b, i) for i, b in enumerate(bodies)]


def run_newsprism(articles: list[Article]) -> dict:
    from newsprism.reuse.engine import detect
    from newsprism.reuse.options import ReuseOptions

    t0, c0 = time.perf_counter(), time.process_time()
    result, _ = detect(articles, ReuseOptions(rewrite=False))
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "cpu_s": round(cpu, 2),
        "docs_per_cpu_s": round(len(articles) / cpu),
        "seconds": round(seconds, 2),
        "docs_per_s": round(len(articles) / seconds),
        "pairs": len(result.pairs),
        "groups": len(result.groups),
        "stages": result.stats["seconds"],
    }


def _shingles(text: str) -> set[bytes]:
    w = text.lower().split()
    return {" ".join(w[i : i + 5]).encode() for i in range(max(1, len(w) - 4))}


def run_datasketch(texts: list[str]) -> tuple[dict, list[set[int]]]:
    from datasketch import MinHash, MinHashLSH

    t0, c0 = time.perf_counter(), time.process_time()
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    found: list[set[int]] = []
    for i, t in enumerate(texts):
        m = MinHash(num_perm=128)
        m.update_batch(list(_shingles(t)))
        found.append(set(lsh.query(m)))
        lsh.insert(i, m)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    stats = {
        "seconds": round(seconds, 2),
        "docs_per_s": round(len(texts) / seconds),
        "cpu_s": round(cpu, 2),
        "docs_per_cpu_s": round(len(texts) / cpu),
    }
    return stats, found


def one_size(ecb: Path, n: int, baseline: bool) -> dict:
    articles = build_articles(ecb, n)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = {"n": n, "newsprism": run_newsprism(articles)}
    out["newsprism"]["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out["newsprism"]["rss_before_mb"] = round(rss0 / 1024)
    if baseline:
        out["datasketch"], _ = run_datasketch([a.text for a in articles])
    return out


def baseline_recall(bench: Path) -> dict:
    """Share of reuse-bench partial/edited gold pairs that datasketch's LSH proposes at all."""
    rows = [json.loads(line) for line in (bench / "articles.jsonl").read_text().splitlines()]
    index = {r["id"]: i for i, r in enumerate(rows)}
    stats, found = run_datasketch([r["text"] for r in rows])
    pairs = {frozenset((i, j)) for i, hits in enumerate(found) for j in hits}
    out = {"docs_per_s": stats["docs_per_s"]}
    gold = [json.loads(line) for line in (bench / "gold.jsonl").read_text().splitlines() if '"type"' in line]
    for kind in ("partial", "edited", "merged", "copy", "truncated"):
        rows_k = [g for g in gold if g["type"] == kind]
        hit = sum(frozenset((index[g["a"]], index[g["b"]])) in pairs for g in rows_k)
        out[f"recall_{kind}"] = round(hit / len(rows_k), 4) if rows_k else None
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ecb", type=Path, default=Path("../shared/data/ecbplus/ecbplus_docs.jsonl"))
    parser.add_argument("--bench", type=Path, default=Path("../shared/data/reuse-bench"))
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--baseline-max", type=int, default=100_000, help="Largest N to run datasketch on.")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_size(args.ecb, args.one, args.baseline)))
        return
    results = []
    for n in (int(s) for s in args.sizes.split(",")):
        cmd = [sys.executable, __file__, "--ecb", str(args.ecb), "--one", str(n)]
        if n <= args.baseline_max:
            cmd.append("--baseline")
        res = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        results.append(res)
        print(json.dumps(res), flush=True)
    for clock in ("seconds", "cpu_s"):
        by_n = {r["n"]: r["newsprism"][clock] / r["n"] for r in results}
        if 10_000 in by_n and 100_000 in by_n:
            print(json.dumps({f"per_article_{clock}_100k_over_10k": round(by_n[100_000] / by_n[10_000], 3)}))
    if args.bench.is_dir():
        print(json.dumps({"datasketch_on_reuse_bench": baseline_recall(args.bench)}))


if __name__ == "__main__":
    main()
