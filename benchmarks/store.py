"""Store benchmark: add N synthetic articles in batches, then time the listing and lookup queries.

    .venv/bin/python benchmarks/store.py --db /tmp/np-bench.db --n 100000
    .venv/bin/python benchmarks/store.py --db postgresql://USER@HOST:PORT/DB --n 100000

The database must be new (or the same benchmark's): the articles are generated deterministically.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from newsprism.model import Article, Span, article_id, content_hash
from newsprism.store import Store

WORDS = ("the minister said troops border talks officials reported village attack drone city council vote "
         "market river bridge convoy statement ceasefire governor").split()


def synthetic(i: int, rng: random.Random) -> Article:
    paras = [" ".join(rng.choice(WORDS) for _ in range(30)).capitalize() + f" Item {i}." for _ in range(3)]
    text = "\n\n".join(paras)
    spans, start = [], 0
    for p in paras:
        spans.append(Span(start, start + len(p)))
        start += len(p) + 2
    outlet = f"Outlet {i % 20}"
    # One in ten is a new version of an earlier URL, so revisions are part of the load.
    url = f"https://outlet{i % 20}.example/{i // 10 if i % 10 == 0 else i}"
    art = Article(id="", text=text, content_hash=content_hash(text), source_format="text", url=url,
                  outlet=outlet, paragraphs=spans, sentences=list(spans))
    art.id = article_id(art.identity_key, outlet, art.content_hash)
    return art


def timed(fn: Callable[[], object], repeat: int = 20) -> float:
    """Median wall time of ``fn`` in milliseconds."""
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(1)
    store = Store.open(args.db)
    t0 = time.perf_counter()
    first: list[Article] = []
    for start in range(0, args.n, args.batch):
        batch = [synthetic(i, rng) for i in range(start, min(args.n, start + args.batch))]
        store.add_articles(batch)
        first = first or batch
    load_s = time.perf_counter() - t0
    total = store.count_articles()
    some = store.list_articles(limit=100, offset=total // 2)
    probe = some[0].id
    print(f"backend={store.dialect} articles={total} add_articles: {load_s:.1f} s "
          f"({total / load_s:.0f} articles/s, batches of {args.batch}, article generation included)")
    results = {
        "count_articles": timed(store.count_articles),
        "list_articles first page (50)": timed(lambda: store.list_articles(limit=50)),
        f"list_articles page at offset {total // 2}": timed(
            lambda: store.list_articles(limit=50, offset=total // 2)),
        "list_articles one outlet (50)": timed(lambda: store.list_articles(limit=50, outlet="Outlet 7")),
        "get_article by id": timed(lambda: store.get_article(probe)),
        "get_article by 8-char prefix": timed(lambda: store.get_article(probe[:8])),
        "get_articles 100 ids": timed(lambda: store.get_articles([a.id for a in some])),
        f"re-adding a batch of {len(first)} (all duplicates)": timed(
            lambda: store.add_articles(first), repeat=5),
    }
    for name, ms in results.items():
        print(f"  {name}: {ms:.2f} ms (median)")
    t0 = time.perf_counter()
    n = sum(1 for _ in store.iter_articles())
    print(f"  iter_articles over all {n}: {time.perf_counter() - t0:.1f} s")
    store.close()


if __name__ == "__main__":
    main()
