"""Hardening benchmarks (issue #15): peak RSS of ingest/analyze on huge one-line articles, and how
long a server keeps connections that trickle their request headers.

    .venv/bin/python benchmarks/hardening.py rss --work /tmp/np-hardening
    .venv/bin/python benchmarks/hardening.py slowloris --connections 500 --seconds 15

``rss`` writes a 3 KB article and three ~19 MB one-line articles of news-like sentences (the second
and third near-copies of the first), then runs each case as its own ``newsprism`` process under
``/usr/bin/time -v`` and prints wall time, peak RSS and (for analyze) the report's size.
``slowloris`` starts ``newsprism serve`` on a free loopback port, opens ``--connections`` sockets
that send a header line every second, and counts how many the server still holds after
``--seconds``, and whether a normal request is answered meanwhile.
"""

from __future__ import annotations

import argparse
import random
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

WORDS = ("the minister said on Tuesday that troops had moved into the region while officials denied any "
         "attack and residents reported explosions near the bridge in Kursk").split()


def one_line(path: Path, n_chars: int, seed: int) -> None:
    rng = random.Random(seed)
    out, n = [], 0
    while n < n_chars:
        s = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 25))).capitalize() + ". "
        out.append(s)
        n += len(s)
    path.write_text("".join(out).strip() + "\n", "utf-8")


def timed(args: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one ``newsprism`` run."""
    cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "newsprism.cli", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", done.stderr).group(1)
    seconds = sum(float(x) * 60**i for i, x in enumerate(reversed(wall.split(":"))))
    return seconds, rss


def rss(work: Path) -> None:
    work.mkdir(parents=True, exist_ok=True)
    one_line(work / "small.txt", 3_000, 1)
    one_line(work / "big1.txt", 19_000_000, 1)
    big = (work / "big1.txt").read_text("utf-8")
    for i in (2, 3):  # near-copies (one word changed throughout): reuse verifies them pairwise
        (work / f"big{i}.txt").write_text(big.replace("minister", f"minister{i}"), "utf-8")
    cases = {
        "ingest small": ["ingest", "small.txt"],
        "ingest 1 x 19 MB": ["ingest", "big1.txt"],
        "ingest 3 x 19 MB": ["ingest", "big1.txt", "big2.txt", "big3.txt"],
        "analyze small": ["analyze", "small.txt", "-o", "small.json"],
        "analyze 1 x 19 MB": ["analyze", "big1.txt", "-o", "big1.json"],
    }
    print("| case | wall s | peak RSS MB | report bytes |\n|---|---|---|---|")
    for name, args in cases.items():
        for db in work.glob("*.db"):
            db.unlink()
        paths = [str(work / a) if a.endswith((".txt", ".json")) else a for a in args]
        seconds, kib = timed([*paths, "--db", str(work / "bench.db")] if args[0] == "ingest" else paths)
        out = work / args[-1] if args[0] == "analyze" else None
        size = f"{out.stat().st_size:,}" if out else ""
        print(f"| {name} | {seconds:.1f} | {kib / 1024:.0f} | {size} |", flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _open(sock: socket.socket) -> bool:
    try:
        sock.sendall(b"X-Slow: 1\r\n")
        return True
    except OSError:
        return False


def slowloris(connections: int, seconds: float, db: Path) -> None:
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "newsprism.cli", "serve", "--db", str(db), "--port",
                               str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/api/v1/health", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        socks = []
        for _ in range(connections):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            socks.append(s)
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            time.sleep(1)
            held = sum(_open(s) for s in socks)
            status = httpx.get(f"{base}/api/v1/health", timeout=10).status_code
            print(f"t={time.monotonic() - start:4.1f}s held={held}/{connections} health={status}", flush=True)
        for s in socks:
            s.close()
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    sub = parser.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("rss")
    r.add_argument("--work", type=Path, default=Path("/tmp/np-hardening"))
    s = sub.add_parser("slowloris")
    s.add_argument("--connections", type=int, default=500)
    s.add_argument("--seconds", type=float, default=15.0)
    s.add_argument("--db", type=Path, default=Path("/tmp/np-slowloris.db"))
    args = parser.parse_args()
    if args.cmd == "rss":
        rss(args.work)
    else:
        slowloris(args.connections, args.seconds, args.db)


if __name__ == "__main__":
    main()
