"""Stories benchmark: batch clustering at 1k/10k/100k articles and incremental add at 100k.

    .venv/bin/python benchmarks/stories.py --ecb ../shared/data/ecbplus/ecbplus_docs.jsonl \
        --sizes 1000 10000 100000 --adds 200 --store-size 100000 --out /tmp/stories_bench.json
    .venv/bin/python benchmarks/stories.py --ecb ../shared/data/ecbplus/ecbplus_docs.jsonl --model-leads 500

Synthetic articles come from ECB+ texts: a synthetic story draws 8 sentences at random from all ECB+
sentences, swaps their mid-sentence names and numbers for made-up ones of its own, and gets an event marker
(made-up names, a number) and a date; each of its articles keeps each of those sentences with p = 0.75.
Stories have 1-6 articles (mean ~3.3), so 100k articles make ~30k stories. The chosen configuration gives lead
embeddings no weight, so clustering runs no model; ``--model-leads N`` measures MiniLM lead inference
per article on its own (what an embedding-weighted configuration would add).

Incremental add: the largest size's articles are stored in a SQLite file with their synthetic stories
(the gold grouping; the batch clustering at that size is timed above), a fresh ``StoryStore`` loads the
centroids once, then ``--adds`` held-out articles are added one at a time; p50/p95 are per
article, featurisation + nearest-story search + the database write included. Prints JSON; peak RSS in MiB.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from newsprism.model import Article, Span, content_hash
from newsprism.sentences import split_sentences
from newsprism.store import Store
from newsprism.stories.engine import Clustering, cluster_articles, lead_embeddings
from newsprism.stories.evaluate import bcubed
from newsprism.stories.features import featurize
from newsprism.stories.repo import StoryStore
from newsprism.stories.score import StoryOptions
from newsprism.text import paragraph_spans

_SYLLABLES = "ka lo mi ra ten vos dur pel an shi ko bre ul tam zor ved".split()


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(3)).title()


_CAPITALISED = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]+|\d+")


def _recast(sentence: str, rng: random.Random, cast: dict[str, str]) -> str:
    """The sentence with its names (mid-sentence capitalised words) and numbers swapped for the story's own.

    A pool of 15k sentences cannot make 30k distinct stories; two stories that draw the same sentence
    keep its wording but not its names and numbers, as two real reports of different events would.
    """

    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        if word not in cast:
            cast[word] = str(rng.randint(2, 99999)) if word.isdigit() else _name(rng)
        return cast[word]

    return _CAPITALISED.sub(swap, sentence)


def synth(docs: list[dict], n: int, seed: int = 7) -> tuple[list[Article], list[int]]:
    """``n`` articles in synthetic stories with their gold story numbers."""
    rng = random.Random(seed)
    pool = [s for d in docs for s in d["sentences"] if len(s) > 40]
    base_day = datetime(2015, 1, 1, tzinfo=UTC)
    articles: list[Article] = []
    gold: list[int] = []
    story = 0
    while len(articles) < n:
        cast: dict[str, str] = {}
        sents = [_recast(s, rng, cast) for s in rng.sample(pool, 8)]
        marker = f"{_name(rng)} {_name(rng)} of {_name(rng)}, {rng.randint(2, 9999)} people"
        day = base_day + timedelta(days=rng.randint(0, 3000))
        for _ in range(min(rng.randint(1, 6), n - len(articles))):
            keep = [s for s in sents if rng.random() < 0.75] or sents[:1]
            text = f"{keep[0]} {marker}.\n" + "\n".join(keep[1:])
            paragraphs = paragraph_spans(text)
            articles.append(
                Article(
                    id=f"syn{len(articles):07d}",
                    text=text,
                    content_hash=content_hash(text),
                    source_format="synthetic",
                    title=None,
                    published=day + timedelta(hours=rng.randint(0, 72)),
                    paragraphs=paragraphs,
                    sentences=split_sentences(text, paragraphs) or [Span(0, len(text))],
                )
            )
            gold.append(story)
        story += 1
    return articles, gold


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def batch_run(articles: list[Article], gold: list[int], options: StoryOptions) -> dict:
    t0, c0 = time.perf_counter(), time.process_time()
    emb = lead_embeddings(articles, None, options)
    clustering = cluster_articles(articles, emb, options)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    score = bcubed(clustering.labels.tolist(), gold)
    return {
        "n": len(articles),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "articles_per_s": round(len(articles) / seconds, 1),
        "n_stories": score.n_clusters,
        "gold_stories": score.n_gold,
        "bcubed_f1_synthetic": round(score.f1, 4),
        "peak_rss_mib": round(peak_mib(), 1),
    }


def incremental_run(articles: list[Article], gold: list[int], adds: int, options: StoryOptions) -> dict:
    """Store all but ``adds`` articles with their stories, then add the rest one by one.

    The stored stories are the synthetic gold grouping (a 100k batch clustering is timed separately
    above); what is measured is the add path against a store of that size.
    """
    held, base = articles[-adds:], articles[:-adds]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bench.db")
        for start in range(0, len(base), 5000):
            store.add_articles(base[start : start + 5000])
        t0 = time.perf_counter()
        feats, idf = featurize(base, lead_embeddings(base, None, options))
        clustering = Clustering(np.asarray(gold[: len(base)]), feats, idf)
        StoryStore(store, options).save_clustering(base, clustering)
        save_s = time.perf_counter() - t0
        stories = StoryStore(store, options)
        t0 = time.perf_counter()
        index = stories.load_index()
        load_s = time.perf_counter() - t0
        store.add_articles(held)
        times = []
        opened = 0
        cpu = []
        for article in held:
            t, c = time.perf_counter(), time.process_time()
            opened += stories.add([article])[0].opened
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        ms, cpu_ms = np.array(times) * 1000, np.array(cpu) * 1000
        store.close()
    return {
        "store_articles": len(base),
        "stories_in_index": len(index),
        "store_stories_seconds": round(save_s, 2),
        "index_load_seconds": round(load_s, 2),
        "adds": adds,
        "opened_new": opened,
        "add_ms_p50": round(float(np.percentile(ms, 50)), 2),
        "add_ms_p95": round(float(np.percentile(ms, 95)), 2),
        "add_ms_max": round(float(ms.max()), 2),
        "add_cpu_ms_p50": round(float(np.percentile(cpu_ms, 50)), 2),
        "add_cpu_ms_p95": round(float(np.percentile(cpu_ms, 95)), 2),
        "peak_rss_mib": round(peak_mib(), 1),
    }


def model_leads(articles: list[Article], n: int) -> dict:
    from newsprism.engines.embedder import get_embedder
    from newsprism.stories.features import lead_of

    embedder = get_embedder()
    leads = [lead_of(a) for a in articles[:n]]
    embedder.encode(leads[:8])
    t0 = time.perf_counter()
    embedder.encode(leads[8:])
    seconds = time.perf_counter() - t0
    return {
        "leads": len(leads) - 8,
        "seconds": round(seconds, 2),
        "ms_per_article": round(1000 * seconds / max(1, len(leads) - 8), 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ecb", type=Path, required=True, help="ecbplus_docs.jsonl")
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000])
    ap.add_argument("--adds", type=int, default=200, help="incremental adds (0: skip)")
    ap.add_argument("--store-size", type=int, default=100_000, help="stored articles for the incremental run")
    ap.add_argument("--model-leads", type=int, default=0, help="also time MiniLM on this many leads")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    docs = [json.loads(line) for line in args.ecb.open(encoding="utf-8") if line.strip()]
    options = StoryOptions()
    report: dict = {"options": {k: getattr(options, k) for k in options.__dataclass_fields__}, "batch": []}
    for n in args.sizes:
        articles, gold = synth(docs, n)
        report["batch"].append(batch_run(articles, gold, options))
        print(json.dumps(report["batch"][-1]), flush=True)
    if args.adds:
        articles, gold = synth(docs, args.store_size + args.adds)
        report["incremental"] = incremental_run(articles, gold, args.adds, options)
        print(json.dumps(report["incremental"]), flush=True)
    if args.model_leads:
        articles, _ = synth(docs, args.model_leads)
        report["model_leads"] = model_leads(articles, args.model_leads)
    report["peak_rss_mib"] = round(peak_mib(), 1)
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
