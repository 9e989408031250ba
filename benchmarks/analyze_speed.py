"""End-to-end ``newsprism analyze`` on N ECB+ articles, model loading included, in a fresh process.

    .venv/bin/python benchmarks/analyze_speed.py --n 300 [--ecb ../shared/data/ecbplus/ecbplus_docs.jsonl]
        [--src OTHER_CHECKOUT/src]   # time another version of newsprism on the same input

The first N documents of the ECB+ corpus (whole stories, in corpus order) are written as plain-text
files, one sentence a line, each from an outlet of its own, and analysed by
``python -m newsprism.cli analyze`` with the reuse, stories, claims, alignment and verdict stages.
Prints wall seconds, articles per second, CPU seconds, stage seconds and the child's peak RSS as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_ECB = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus" / "ecbplus_docs.jsonl"


def write_corpus(ecb: Path, n: int, folder: Path, older_half: bool) -> int:
    docs = [json.loads(line) for line in ecb.read_text(encoding="utf-8").splitlines() if line.strip()]
    if older_half:
        # The ECB half carries no date lines, which newsprism before 0.1's hardening could not mix.
        docs = [d for d in docs if d["id"].endswith("ecb")]
    for i, doc in enumerate(docs[:n]):
        # An outlet of its own and no URL: dates read off some URLs would make the input differ
        # between versions that infer them and versions that do not.
        body = "\n".join(doc["sentences"])
        (folder / f"{i:04d}.txt").write_text(f"Outlet: ecb-{doc['id']}\n\n{body}\n", encoding="utf-8")
    return min(n, len(docs))


def run(folder: Path, src: Path | None) -> dict:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    out = folder.parent / "report.json"
    cmd = [sys.executable, "-m", "newsprism.cli", "analyze", str(folder), "-o", str(out), "--json"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"analyze failed ({proc.returncode}): {proc.stderr[-2000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    counts = report.get("verdicts", {}).get("counts", {})
    stages = report.get("stages", {})
    records = stages.get("records") or stages.get("ran") or []
    seconds = {r["name"]: r.get("seconds") for r in records if isinstance(r, dict) and "name" in r}
    return {
        "stage_seconds": seconds,
        "wall_s": round(wall, 2),
        "cpu_s": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2),
        "peak_rss_mb": round(after.ru_maxrss / 1024, 1),
        "verdict_counts": counts,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--ecb", type=Path, default=DEFAULT_ECB)
    ap.add_argument("--src", type=Path, default=None, help="a newsprism src/ folder to time instead")
    ap.add_argument("--older-half", action="store_true", help="only the ECB half (no date lines)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        n = write_corpus(args.ecb, args.n, folder, args.older_half)
        result = run(folder, args.src)
    result.update(articles=n, articles_per_s=round(n / result["wall_s"], 2), src=str(args.src or "installed"))
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
