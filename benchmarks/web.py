"""Web benchmark: story page and API latency on a 100k-article store, and 50 concurrent clients.

Build the store once (slow), then measure:

    .venv/bin/python benchmarks/web.py build --db /tmp/newsprism-web-bench.db \
        --ecbplus ../shared/data/ecbplus/ecbplus_docs.jsonl --articles 100000
    .venv/bin/python benchmarks/web.py measure --db /tmp/newsprism-web-bench.db

Articles are ECB+ texts, each copy made unique by outlet, URL, date and a closing line. Stories
and their stored findings are *synthesised* (stories of 50 articles each, with reuse links, a
conflict and facts whose spans point into the real texts) and written with
``save_story_findings``, so that the web layer is measured, not the analysis stages. The server
listens on 127.0.0.1 only.
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
from sqlalchemy import select

from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.model import Article
from newsprism.store import Store
from newsprism.store.findings import StoryFindings, save_story_findings
from newsprism.stories.tables import stories, story_members

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


def _verdict(
    vid: str, section: str, label: str, members: list[Article], extra: dict[str, Any]
) -> dict[str, Any]:
    ids = [a.id for a in members]
    detail = {"id": vid, "label": label, "text": members[0].title or "", "article_ids": ids,
              "n_independent_sources": 2, "evidence": [_ev(a, 1) for a in members], **extra}
    return {"id": vid, "section": section, "label": label, "type": extra.get("type"), "text": detail["text"],
            "n_independent_sources": 2, "confidence": 0.8, "article_ids": ids, "detail": detail}


def synth_findings(story_id: str, members: list[Article], conflict: bool) -> StoryFindings:
    """Stored findings for one synthetic story, every span pointing into the real article texts."""
    first, ids = members[0], [a.id for a in members]
    links = [{"id": f"r{story_id}{k}", "a": first.id, "b": b.id, "type": "copy", "direction": "a->b",
              "confidence": 0.9, "detail": {"a": first.id, "b": b.id, "type": "copy", "direction": "a->b",
                                            "confidence": 0.9, "reason": "synthetic", "coverage_a": 0.9,
                                            "coverage_b": 0.9,
                                            "passages": [{"a": _ev(first)["span"], "b": _ev(b)["span"]}]}}
             for k, b in enumerate(members[1:6])]
    verdicts = [_verdict(f"f{story_id}{k}", "fact_sheet", "corroborated", members[k : k + 3], {})
                for k in range(0, 30, 3)]
    verdicts.append(_verdict(f"s{story_id}", "single_source", "single-source", members[-1:], {}))
    if conflict:
        values = [{"value": "1", "article_ids": ids[:2], "evidence": [_ev(members[0])]},
                  {"value": "2", "article_ids": ids[10:12], "evidence": [_ev(members[10])]}]
        verdicts.append(_verdict(f"c{story_id}", "conflicts", "conflicting", [members[0], members[10]],
                                 {"type": "number", "values": values}))
    story = {"id": story_id, "label": f"{first.title} ({story_id})", "article_ids": ids,
             "outlets": sorted({a.outlet for a in members}), "n_articles": len(ids),
             "time_span": {"start": members[0].published.isoformat(),
                           "end": members[-1].published.isoformat()},
             "n_independent_sources": len(ids) - 5, "independent_basis": "reuse"}
    records = [{"name": n, "layer": n, "status": "ran"} for n in ("reuse", "stories", "verdicts")]
    summary = {
        "newsprism_version": "bench", "article_ids": ids, "outlets": story["outlets"], "n_articles": len(ids),
        "n_independent_sources": len(ids) - 5, "independent_basis": "reuse", "n_claims": 0,
        "n_fact_groups": 0, "n_corroborated": 10, "n_conflicts": int(conflict), "n_disputes": 0,
        "n_single_source": 1,
        "detail": {"stages": records, "story": story, "claims": None, "alignment": None,
                   "reuse": {"groups": [{"id": f"{story_id}:g0", "members": ids[:6], "origin": first.id}],
                             "notes": []},
                   "verdicts": {"independence": "reuse", "independence_note": "", "errors": {}}},
    }
    return StoryFindings(story_id, summary, [], [], verdicts, links)


def _store_story(conn: Any, story_id: str, members: list[Article], conflict: bool) -> None:
    now = datetime.now(UTC)
    conn.execute(stories.insert().values(
        id=story_id, label=f"{members[0].title} ({story_id})", n_articles=len(members), status="active",
        first_published=members[0].published, last_published=members[-1].published, created_at=now,
        updated_at=now))
    conn.execute(story_members.insert(), [{"article_id": a.id, "story_id": story_id, "added_at": now,
                                           "how": "batch"} for a in members])
    save_story_findings(conn, synth_findings(story_id, members, conflict))


def build(args: argparse.Namespace) -> None:
    docs = [json.loads(line) for line in Path(args.ecbplus).read_text("utf-8").splitlines() if line.strip()]
    store = Store.open(args.db)
    t0 = time.perf_counter()
    batch = 5000
    for start in range(0, args.articles, batch):
        arts = _articles(docs, start, min(args.articles, start + batch))
        store.add_articles(arts)
        with store.transaction() as conn:
            for k in range(0, len(arts), STORY_SIZE):
                story_no = (start + k) // STORY_SIZE
                _store_story(conn, f"bench{story_no:06d}", arts[k : k + STORY_SIZE], bool(story_no % 2))
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
        ids = list(conn.execute(select(stories.c.id)).scalars())
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
            story_paths = [f"/stories/{rng.choice(ids)}" for _ in range(args.requests)]
            results = {
                "articles": n_articles,
                "stories": len(ids),
                "index_build_s": round(warm, 2),
                "story_page": _latency(client, story_paths),
                "api_story": _latency(
                    client, [f"/api/v1/stories/{rng.choice(ids)}" for _ in range(args.requests)]
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
