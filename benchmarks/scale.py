"""Scale-out: the analyze pipeline on the local engine and on Ray with 1 and 2 worker CPUs.

    .venv/bin/python benchmarks/scale.py --n 10000 [--configs local-1,ray-1,ray-2]
        [--stages reuse,stories,claims,align,verdicts] [--ecb ../shared/data/ecbplus/ecbplus_docs.jsonl]

The corpus is the 982 ECB+ documents repeated until there are N, each repeat made unique: in repeat
r every word of four letters or more gets a suffix of its own (``police`` -> ``policeqb``), so the
repeats share no shingles, names or terms with each other. Every repeat is then an independent
corpus of ECB+'s shape (the same reuse density, story sizes and claims per article), and the work
per article stays ECB+'s while N grows.

Each configuration runs in a fresh process pinned to its CPUs (``taskset``), with one thread per
model (``OMP_NUM_THREADS=1``): ``local-1`` is the local engine on one CPU, ``ray-K`` a private
local Ray with K CPUs. Per stage it reports wall seconds and CPU seconds of the whole process tree
(driver, raylet, workers: read from /proc between stage boundaries), and each process's peak
resident memory (VmHWM). Then: the Ray overhead at one CPU (ray-1 / local-1 wall, per stage) and
the scaling efficiency (ray-1 / ray-2 wall, per stage; 2.0 is linear).

``--stored`` measures stored-story analysis instead (``analyze --db``): the corpus is ingested once
into a SQLite store (not timed), and each configuration analyses a copy of it, the Ray engine as
story tasks that read and write the store themselves (``engines/ray_stored.py``). Those stages run
inside the tasks, so only the whole run's wall and CPU seconds are reported.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_ECB = REPO.parent / "shared" / "data" / "ecbplus" / "ecbplus_docs.jsonl"
TICK = os.sysconf("SC_CLK_TCK")
_LONG_WORD = re.compile(r"\b([A-Za-z]{4,})\b")


def _suffix(r: int) -> str:
    return "" if r == 0 else "q" + "".join(chr(97 + int(d)) for d in str(r))


def corpus(ecb: Path, n: int) -> list:
    from newsprism.evaluation.verdict_corpus import _ecb_article, read_ecbplus

    docs = list(read_ecbplus(ecb).values())
    out = []
    for i in range(n):
        r, doc = divmod(i, len(docs))
        doc = docs[doc]
        suffix = _suffix(r)
        sentences = [_LONG_WORD.sub(lambda m, s=suffix: m.group(1) + s, x) for x in doc["sentences"]]
        made = dict(doc, id=f"{doc['id']}{suffix}", url=None, sentences=sentences)
        out.append(_ecb_article(made))
    return out


# -- the process tree, from /proc ------------------------------------------------------------------


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def _cpu_and_peak(pid: int) -> tuple[float, int, str] | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        status = Path(f"/proc/{pid}/status").read_text()
        name = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode("utf-8", "replace")
    except OSError:
        return None
    cpu = (int(fields[11]) + int(fields[12])) / TICK
    peak = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)
    return cpu, peak, name


class TreeMeter:
    """CPU seconds and peak memory of this process and its descendants, sampled every 0.2 s (a
    process's last sample stands for it after it exits)."""

    def __init__(self) -> None:
        self.last: dict[int, tuple[float, int, str]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def sample(self) -> float:
        for pid in _tree(os.getpid()):
            got = _cpu_and_peak(pid)
            if got is not None:
                old = self.last.get(pid)
                self.last[pid] = (got[0], max(got[1], old[1] if old else 0), got[2])
        return sum(v[0] for v in self.last.values())

    def _loop(self) -> None:
        while not self._stop.wait(0.2):
            self.sample()

    def __enter__(self) -> TreeMeter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_one(engine: str, cpus: int, n: int, stages: list[str], ecb: Path) -> dict:
    from newsprism.analysis import PipelineOptions
    from newsprism.api import AnalyzeOptions, analyze_articles
    from newsprism.engines.base import EngineOptions

    articles = corpus(ecb, n)
    marks: list[tuple[str, float, float]] = []
    with TreeMeter() as meter:
        def progress(stage: str, done: int, total: int | None) -> None:
            marks.append((stage, time.perf_counter(), meter.sample()))

        options = AnalyzeOptions(
            engine=EngineOptions(engine, num_cpus=cpus, object_store_mb=500),
            pipeline=PipelineOptions(stages=stages),
            include_text=False,
        )
        t0, c0 = time.perf_counter(), meter.sample()
        report = analyze_articles(articles, options, progress=progress)
        wall, cpu = time.perf_counter() - t0, meter.sample() - c0
    per_stage = {}
    for (name, t, c), (_, t1, c1) in zip(marks, marks[1:], strict=False):
        per_stage[name] = {"wall_s": round(t1 - t, 2), "cpu_s": round(c1 - c, 2)}
    peaks = sorted(((v[1] / 1024, v[2]) for v in meter.last.values()), reverse=True)
    workers = [p for p, name in peaks if name.startswith("ray::")]
    return {
        "engine": engine, "cpus": cpus, "articles": n, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
        "stages": per_stage,
        "status": {r["name"]: r["status"] for r in report["stages"]["records"]},
        "driver_peak_mb": round(meter.last[os.getpid()][1] / 1024, 1),
        "worker_peak_mb_max": round(max(workers), 1) if workers else None,
        "workers": len(workers),
        "counts": {
            "reuse_pairs": len(report.get("reuse", {}).get("pairs", [])),
            "stories": len(report.get("stories", {}).get("stories", [])),
            "verdicts": report.get("verdicts", {}).get("counts"),
        },
    }


def stored_template(ecb: Path, n: int) -> Path:
    """A SQLite store holding the corpus, ingested and linked once for every configuration."""
    import tempfile

    from newsprism.api import IngestOptions, ingest

    folder = Path(tempfile.mkdtemp(prefix="np-scale-"))
    rows = folder / "corpus.jsonl"
    with rows.open("w", encoding="utf-8") as out:
        for a in corpus(ecb, n):
            row = {"text": a.text, "title": a.title, "url": a.url or f"https://ex.org/{a.id}"}
            out.write(json.dumps(row) + "\n")
    db = folder / "template.db"
    ingest([rows], db, IngestOptions())
    return db


def run_stored(engine: str, cpus: int, template: Path) -> dict:
    import shutil
    import tempfile

    from newsprism.analysis import PipelineOptions
    from newsprism.engines.base import EngineOptions
    from newsprism.findings.run import analyze_stories
    from newsprism.store import Store

    db = Path(tempfile.mkdtemp(prefix="np-scale-run-")) / "store.db"
    shutil.copy(template, db)
    with TreeMeter() as meter, Store.open(db) as store:
        t0, c0 = time.perf_counter(), meter.sample()
        done = analyze_stories(store, None, PipelineOptions(),
                               engine=EngineOptions(engine, num_cpus=cpus, object_store_mb=500))
        wall, cpu = time.perf_counter() - t0, meter.sample() - c0
    peaks = sorted(((v[1] / 1024, v[2]) for v in meter.last.values()), reverse=True)
    workers = [p for p, name in peaks if name.startswith("ray::")]
    return {
        "engine": engine, "cpus": cpus, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
        "stages": {"stored": {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2)}},
        "stories": len(done.story_ids), "rows": done.rows,
        "driver_peak_mb": round(meter.last[os.getpid()][1] / 1024, 1),
        "worker_peak_mb_max": round(max(workers), 1) if workers else None,
        "workers": len(workers),
    }


def _child(config: str, args: argparse.Namespace) -> dict:
    engine, cpus = config.split("-")
    cores = ",".join(str(c) for c in range(int(cpus)))
    cmd = ["taskset", "-c", cores, sys.executable, __file__, "--child", config, "--n", str(args.n),
           "--stages", args.stages, "--ecb", str(args.ecb)]
    if args.template:
        cmd += ["--template", str(args.template)]
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", TOKENIZERS_PARALLELISM="false")
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{config} failed ({proc.returncode}): {proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def ratios(results: dict[str, dict]) -> dict:
    def per_stage(a: str, b: str) -> dict:
        if a not in results or b not in results:
            return {}
        sa, sb = results[a]["stages"], results[b]["stages"]
        out = {s: round(sa[s]["wall_s"] / sb[s]["wall_s"], 2) for s in sa if sb.get(s, {}).get("wall_s")}
        out["total"] = round(results[a]["wall_s"] / results[b]["wall_s"], 2)
        return out

    return {
        "ray_overhead_1cpu": per_stage("ray-1", "local-1"),
        "scaling_ray_2_vs_1": per_stage("ray-1", "ray-2"),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--configs", default="local-1,ray-1,ray-2")
    ap.add_argument("--stages", default="reuse,stories,claims,align,verdicts")
    ap.add_argument("--ecb", type=Path, default=DEFAULT_ECB)
    ap.add_argument("--stored", action="store_true", help="time analyze --db on a stored corpus")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--template", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        engine, cpus = args.child.split("-")
        if args.template:
            print(json.dumps(run_stored(engine, int(cpus), args.template)))
        else:
            print(json.dumps(run_one(engine, int(cpus), args.n, args.stages.split(","), args.ecb)))
        return 0
    if args.stored:
        args.template = stored_template(args.ecb, args.n)
    results = {}
    for config in args.configs.split(","):
        results[config] = _child(config, args)
        print(json.dumps({config: results[config]}), file=sys.stderr, flush=True)
    print(json.dumps({"results": results, **ratios(results)}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
