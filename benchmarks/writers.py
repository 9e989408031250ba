"""Concurrent writers on one store: linked `newsprism ingest` processes, then HTTP API clients.

    .venv/bin/python benchmarks/writers.py --db /tmp/np-writers.db --processes 8 --per-process 450
    .venv/bin/python benchmarks/writers.py --db postgresql://USER@HOST:PORT/DB --processes 8

Each process ingests its own range of generated text files, overlapping its neighbours' by a
quarter (the same files: the same articles); then ``--clients`` threads post JSON articles to the
API at once (FastAPI's TestClient over the same store), neighbours sharing two articles. Prints
JSON: inputs, what was stored, how many were lost or stored twice, how many stored articles lack
a reuse signature (or exact-copy pair) or a story, failed writers, and wall times. The database
must be new.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import text

from newsprism.store import Store

WORDS = ("minister said troops border talks officials reported village attack drone city council vote "
         "market river bridge convoy statement ceasefire governor harbour ferry strike union").split()
CLI = [sys.executable, "-m", "newsprism.cli"]


def body(i: int) -> str:
    rng = random.Random(i)
    paras = [" ".join(rng.choice(WORDS) for _ in range(16)) + f" Report {i}." for _ in range(3)]
    return f"Dispatch {i}\n\n" + "\n\n".join(p.capitalize() for p in paras) + "\n"


def gaps(store: Store) -> dict[str, int]:
    """Counts that must all be 0 (duplicates, unindexed, storyless) plus what is stored."""
    queries = {
        "stored": "SELECT count(*) FROM articles",
        "stored_twice": "SELECT count(*) - count(DISTINCT content_hash) FROM articles",
        "without_signature_or_copy_pair": (
            "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM reuse_signatures s "
            "WHERE s.article_id = a.id) AND NOT EXISTS (SELECT 1 FROM reuse_pairs p "
            "WHERE p.a = a.id OR p.b = a.id)"),
        "without_story": ("SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM "
                          "story_members m JOIN stories s ON s.id = m.story_id "
                          "WHERE m.article_id = a.id AND s.status = 'active')"),
        "stories_with_wrong_size": (
            "SELECT count(*) FROM stories s WHERE s.status = 'active' AND s.n_articles != "
            "(SELECT count(*) FROM story_members m WHERE m.story_id = s.id)"),
    }
    with store.engine.connect() as conn:
        return {name: conn.execute(text(q)).scalar_one() for name, q in queries.items()}


def run_processes(db: str, folder: Path, processes: int, per: int) -> dict:
    step = per * 3 // 4
    total = step * (processes - 1) + per
    folder.mkdir()
    for i in range(total):
        (folder / f"{i:05d}.txt").write_text(body(i), encoding="utf-8")
    t0 = time.perf_counter()
    procs = [subprocess.Popen(
        [*CLI, "ingest", *[str(folder / f"{i:05d}.txt") for i in range(k * step, k * step + per)],
         "--db", db, "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for k in range(processes)]
    failures = []  # why each failing writer failed: its exit status and last stderr line
    for p in procs:
        out, err = p.communicate()
        link_errors = json.loads(out or "{}").get("link_errors")
        if p.returncode != 0 or link_errors:
            last = (err.strip().splitlines() or [""])[-1]
            failures.append(f"exit {p.returncode}: {link_errors or last}"[:300])
    wall = time.perf_counter() - t0
    with Store.open(db) as store:
        found = gaps(store)
    return {"processes": processes, "inputs": total, "given": processes * per,
            "failed_writers": len(failures), "failures": failures, "lost": total - found["stored"], **found,
            "wall_s": round(wall, 1)}


def run_clients(db: str, clients: int, per: int, first: int) -> dict:
    from fastapi.testclient import TestClient

    from newsprism.web.app import create_app
    from newsprism.web.tokens import create_token

    with Store.open(db) as store:
        token, _ = create_token(store, "bench")
        before = store.count_articles()
    auth = {"Authorization": f"Bearer {token}"}
    step = per - 2
    batches = [range(first + k * step, first + k * step + per) for k in range(clients)]
    payloads = [{"articles": [{"text": body(i), "url": f"https://wire.example/{i}"} for i in r]}
                for r in batches]
    t0 = time.perf_counter()
    with TestClient(create_app(db)) as client, ThreadPoolExecutor(clients) as pool:
        codes = [r.status_code for r in pool.map(
            lambda p: client.post("/api/v1/articles", json=p, headers=auth), payloads)]
    wall = time.perf_counter() - t0
    with Store.open(db) as store:
        found = gaps(store)
    distinct = step * (clients - 1) + per
    return {"clients": clients, "articles_posted": clients * per, "distinct": distinct,
            "non_2xx": sum(c // 100 != 2 for c in codes), "lost": distinct - (found["stored"] - before),
            **found, "wall_s": round(wall, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--processes", type=int, default=8)
    ap.add_argument("--per-process", type=int, default=450)
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--per-client", type=int, default=25)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="np-writers-") as tmp:
        cli = run_processes(args.db, Path(tmp) / "in", args.processes, args.per_process)
    api = run_clients(args.db, args.clients, args.per_client, first=100_000)
    print(json.dumps({"cli": cli, "api": api}, indent=2))


if __name__ == "__main__":
    main()
