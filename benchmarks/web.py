"""Web benchmark: story page and API latency on a 100k-article store, and 50 concurrent clients.

Build the store once (slow), then measure:

    .venv/bin/python benchmarks/web.py build --db /tmp/newsprism-web-bench.db \
        --ecbplus ../shared/data/ecbplus/ecbplus_docs.jsonl --articles 100000
    .venv/bin/python benchmarks/web.py measure --db /tmp/newsprism-web-bench.db

Articles are ECB+ texts, each copy made unique by outlet, URL, date and a closing line. Analyses
are *synthesised* (one story of 50 articles each, with reuse pairs, a conflict and facts whose
spans point into the real texts) so that the web layer is measured, not the analysis stages; the
report shape is the one ``report/json_report.py`` writes. The server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.model import Article
from newsprism.report.json_report import article_summary
from newsprism.store import Store
from newsprism.store.analyses import analyses

STORY_SIZE = 50
BASE = datetime(2024, 1, 1, tzinfo=UTC)


def _articles(docs: list[dict[str, Any]], start: int, end: int) -> list[Article]:
    out = []
    for i in range(start, end):
        doc = docs[i % len(docs)]
        outlet = f"Outlet {i % 250:03d}"
        raw = RawDocument(
            text=f"{doc['text']}\n\nFiled by {outlet} desk, item {i}.",
            source=f"bench:{i}",
            format="json",
            title=(doc.get("sentences") or [doc["text"][:80]])[0][:120],
            url=f"https://o{i % 250}.example/{i}",
            outlet=outlet,
            published=BASE + timedelta(minutes=7 * i),
        )
        out.append(build_article(raw))
    return out


def _ev(a: Article, k: int = 0) -> dict[str, Any]:
    s = a.sentences[min(k, len(a.sentences) - 1)]
    return {"article_id": a.id, "span": [s.start, s.end]}


def synth_report(story_no: int, members: list[Article]) -> dict[str, Any]:
    """A report for one synthetic story, every span pointing into the real article texts."""
    first = members[0]
    pairs = [
        {
            "a": first.id,
            "b": b.id,
            "type": "copy",
            "direction": "a->b",
            "confidence": 0.9,
            "reason": "synthetic",
            "coverage_a": 0.9,
            "coverage_b": 0.9,
            "passages": [{"a": _ev(first)["span"], "b": _ev(b)["span"]}],
        }
        for b in members[1:6]
    ]
    ids = [a.id for a in members]
    return {
        "schema_version": "1.0.0",
        "generated_at": datetime.now(UTC).isoformat(),
        "newsprism_version": "bench",
        "analysis_id": f"bench{story_no:06d}",
        "inputs": {"synthetic": True},
        "articles": [article_summary(a) for a in members],
        "stages": {
            "ran": ["reuse", "stories", "verdicts"],
            "timings": {},
            "absent": {"claims": "synthetic benchmark report", "alignment": "synthetic benchmark report"},
        },
        "reuse": {"pairs": pairs, "groups": [{"id": "g0", "members": ids[:6], "origin": first.id}]},
        "stories": {
            "stories": [
                {
                    "id": "s0",
                    "label": f"{first.title} ({story_no})",
                    "article_ids": ids,
                    "outlets": sorted({a.outlet for a in members}),
                    "time_span": [members[0].published.isoformat(), members[-1].published.isoformat()],
                    "n_articles": len(ids),
                    "n_independent_sources": len(ids) - 5,
                }
            ]
        },
        "verdicts": {
            "fact_sheet": [
                {
                    "id": f"f{k}",
                    "article_ids": ids[k : k + 3],
                    "n_independent_sources": 2,
                    "evidence": [_ev(a, 1) for a in members[k : k + 3]],
                }
                for k in range(0, 30, 3)
            ],
            "conflicts": [
                {
                    "id": "c0",
                    "article_ids": ids[:2] + ids[10:12],
                    "evidence": [_ev(members[0]), _ev(members[10])],
                    "type": "number",
                    "topic": "synthetic",
                    "values": [
                        {"value": "1", "article_ids": ids[:2], "evidence": [_ev(members[0])]},
                        {"value": "2", "article_ids": ids[10:12], "evidence": [_ev(members[10])]},
                    ],
                }
            ]
            if story_no % 2
            else [],
            "actor_disputes": [],
            "single_source": [
                {"id": "s0", "article_ids": [members[-1].id], "evidence": [_ev(members[-1], 2)]}
            ],
        },
    }


def build(args: argparse.Namespace) -> None:
    docs = [json.loads(line) for line in Path(args.ecbplus).read_text("utf-8").splitlines() if line.strip()]
    store = Store.open(args.db)
    t0 = time.perf_counter()
    batch = 5000
    for start in range(0, args.articles, batch):
        arts = _articles(docs, start, min(args.articles, start + batch))
        store.add_articles(arts)
        rows = []
        for k in range(0, len(arts), STORY_SIZE):
            members = arts[k : k + STORY_SIZE]
            report = synth_report((start + k) // STORY_SIZE, members)
            rows.append(
                {
                    "id": report["analysis_id"],
                    "created_at": datetime.now(UTC),
                    "newsprism_version": "bench",
                    "schema_version": "1.0.0",
                    "n_articles": len(members),
                    "article_ids": [a.id for a in members],
                    "title": None,
                    "report": report,
                }
            )
        with store.transaction() as conn:
            conn.execute(analyses.insert(), rows)
        print(f"{start + len(arts)} articles, {time.perf_counter() - t0:.0f} s", flush=True)
    print(
        json.dumps({"articles": store.count_articles(), "build_seconds": round(time.perf_counter() - t0, 1)})
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000


def _latency(client: httpx.Client, paths: list[str]) -> dict[str, Any]:
    times, errors = [], 0
    for path in paths:
        t0 = time.perf_counter()
        r = client.get(path)
        times.append(time.perf_counter() - t0)
        errors += r.status_code >= 400
    return {
        "n": len(times),
        "p50_ms": round(_pct(times, 0.5), 1),
        "p95_ms": round(_pct(times, 0.95), 1),
        "mean_ms": round(statistics.fmean(times) * 1000, 1),
        "errors": errors,
    }


async def _load(base: str, paths: list[str], clients: int, seconds: float) -> dict[str, Any]:
    done = 0
    failures: dict[str, int] = {}
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients)

    async def worker(k: int, client: httpx.AsyncClient) -> None:
        nonlocal done
        rng = random.Random(k)
        while time.perf_counter() < deadline:
            path = rng.choice(paths)
            try:
                r = await client.get(path)
                if r.status_code >= 400:
                    key = f"{r.status_code} {path.split('/')[1]}"
                    failures[key] = failures.get(key, 0) + 1
            except httpx.HTTPError as exc:
                key = f"{type(exc).__name__} {path.split('/')[1]}"
                failures[key] = failures.get(key, 0) + 1
            done += 1

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(k, client) for k in range(clients)))
        elapsed = time.perf_counter() - t0
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": done,
        "requests_per_s": round(done / elapsed, 1),
        "errors": sum(failures.values()),
        "failures": failures,
    }


def measure(args: argparse.Namespace) -> None:
    store = Store.open(args.db)
    with store.engine.connect() as conn:
        ids = [r[0] for r in conn.execute(analyses.select().with_only_columns(analyses.c.id))]
    arts = [a.id for a in store.list_articles(limit=2000, offset=store.count_articles() // 2)]
    n_articles = store.count_articles()
    store.close()
    rng = random.Random(0)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "newsprism.web.app:app_from_env",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--timeout-keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        env={**os.environ, "NEWSPRISM_DB": args.db},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            for _ in range(600):
                try:
                    if client.get("/api/v1/health").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.5)
            t0 = time.perf_counter()
            client.get("/stories")  # first request builds the story index
            warm = time.perf_counter() - t0
            story_paths = [f"/stories/{rng.choice(ids)}/s0" for _ in range(args.requests)]
            results = {
                "articles": n_articles,
                "analyses": len(ids),
                "index_build_s": round(warm, 2),
                "story_page": _latency(client, story_paths),
                "api_story": _latency(
                    client, [f"/api/v1/stories/{rng.choice(ids)}/s0" for _ in range(args.requests)]
                ),
                "api_article": _latency(
                    client, [f"/api/v1/articles/{rng.choice(arts)}" for _ in range(args.requests)]
                ),
                "stories_list": _latency(
                    client, [f"/stories?page={rng.randint(1, 50)}&q=the" for _ in range(args.requests // 2)]
                ),
                "api_articles_page": _latency(
                    client,
                    [f"/api/v1/articles?offset={rng.randint(0, 90000)}" for _ in range(args.requests // 2)],
                ),
            }
        mix = (
            story_paths[:100]
            + [f"/api/v1/articles/{a}" for a in arts[:100]]
            + ["/api/v1/stories?limit=20"] * 20
        )
        results["load"] = asyncio.run(_load(base, mix, args.clients, args.seconds))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(json.dumps(results, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--db", required=True)
    b.add_argument("--ecbplus", required=True, help="path to ecbplus_docs.jsonl")
    b.add_argument("--articles", type=int, default=100_000)
    m = sub.add_parser("measure")
    m.add_argument("--db", required=True)
    m.add_argument("--requests", type=int, default=200)
    m.add_argument("--clients", type=int, default=50)
    m.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    build(args) if args.cmd == "build" else measure(args)


if __name__ == "__main__":
    main()
