"""Stress suite (issue #15): hostile inputs, concurrent writers and kill -9, through the real command.

What every run must leave behind: each good input stored once, linked (a reuse signature or an
exact-copy pair, and exactly one active story) and counted (what the writers report adds up to what
the store holds); each bad input one ``INPUT: reason`` line; a killed run leaves nothing half
written, and a rerun completes the work.

- the generated hostile corpus (``hostile_corpus``: bombs of every format, truncated archives, bad
  names, FIFOs, symlinks, mixed encodings, mixed time zones, huge lines) through ``ingest``;
- concurrent linked ``ingest`` processes, alone, and together with the hostile corpus and HTTP API
  clients (article posts and file uploads) on one store;
- kill -9 during ingest, during linking and during ``analyze``.

The fast runs go in CI; the long ones (8 writers, peak RSS per input, kill sweeps) are marked slow.
Store tests run on SQLite, and on PostgreSQL too when ``NEWSPRISM_TEST_PG_URL`` is set.
BENCHMARKS.md ("Hardening (issue #15)") records the figures these runs and the benchmarks give.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from hostile_corpus import HostileCorpus, MiB, check_run, input_name, run_cli, write_hostile_corpus
from newsprism.report.schema import validate_report
from newsprism.store import Store
from newsprism.store.findings import story_analyses, story_claims, story_verdicts
from newsprism.stories.tables import story_members
from test_hardening_store import CLI, api_client, assert_stored_and_linked_once, payload, write_inputs


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileCorpus:
    return write_hostile_corpus(tmp_path_factory.mktemp("hostile") / "corpus")


def sources_of(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return conn.execute(text("SELECT source_path FROM articles")).scalars().all()


def wait_for(ready: Callable[[], bool], proc: subprocess.Popen, what: str, timeout: float = 180) -> None:
    """Poll until ``ready()``; fail if ``proc`` exits first or it takes longer than ``timeout``."""
    deadline = time.monotonic() + timeout
    while not ready():
        if proc.poll() is not None:
            pytest.fail(f"exited ({proc.returncode}) before {what}: {proc.stderr.read()}")
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} within {timeout:.0f}s")
        time.sleep(0.01)


def sigkill(proc: subprocess.Popen) -> None:
    assert proc.poll() is None, "the run ended before the kill"
    proc.kill()
    assert proc.wait() == -9


def assert_sqlite_intact(store: Store) -> None:
    if store.dialect == "sqlite":
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalars().all() == ["ok"]
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []


# -- hostile inputs -------------------------------------------------------------------------------


def test_hostile_corpus_through_the_cli(hostile: HostileCorpus, tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    args = ["ingest", str(hostile.root), "--db", f"sqlite:///{db}", "--json", "--no-link"]
    code, out, err, rss = run_cli(args)
    assert code == 1, err
    report = json.loads(out)
    assert report["duplicate"] == 0  # nothing read twice: no loop, no second error for one input
    with Store.open(db) as store:
        stored = check_run(hostile, err, sources_of(store))
    assert set(stored) <= {c.name for c in hostile.cases}
    assert rss < 600 * MiB, f"peak RSS {rss / MiB:.0f} MiB"


@pytest.mark.slow
def test_each_hostile_input_alone_stays_small(hostile: HostileCorpus, tmp_path: Path) -> None:
    """Peak RSS per bad input, each as the only input (printed with -s; BENCHMARKS.md quotes it)."""
    peaks = {}
    for case in (c for c in hostile.bad if not c.folder_only):
        db = f"sqlite:///{tmp_path / 'one.db'}"
        code, _, err, rss = run_cli(["ingest", hostile.path(case), "--db", db, "--no-link"])
        assert code == 1 and len(err.strip().splitlines()) == 1, (case, err)
        peaks[case.name] = rss
    print(json.dumps({name: round(rss / MiB) for name, rss in peaks.items()}, indent=1))
    assert max(peaks.values()) < 600 * MiB


# -- concurrent writers ---------------------------------------------------------------------------


def start_ingests(db_url: str, folder: Path, writers: int, per_writer: int,
                  extra: Callable[[int], list[str]]) -> list[subprocess.Popen]:
    """``writers`` linked ``ingest`` processes at once: writer k reads ``extra(k)`` and its own
    ``per_writer`` files of ``folder``, sharing a quarter with each neighbour (the same file is
    the same article)."""
    step = per_writer * 3 // 4
    procs = []
    for k in range(writers):
        files = [str(folder / f"{i:05d}.txt") for i in range(k * step, k * step + per_writer)]
        procs.append(subprocess.Popen([*CLI, "ingest", *extra(k), *files, "--db", db_url, "--json"],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    return procs


def finish(procs: list[subprocess.Popen]) -> list[tuple[dict, str]]:
    """Each writer's JSON report and stderr. Each exits 1 (its bad inputs) and linked what it stored."""
    done = []
    for p in procs:
        out, err = p.communicate(timeout=900)
        assert p.returncode == 1 and "Traceback" not in err, err
        report = json.loads(out)
        assert not report["link_errors"] and {a["link"] for a in report["articles"]} == {"linked"}
        done.append((report, err))
    return done


@pytest.mark.parametrize("writers,per_writer", [
    (3, 120),  # one batch each: every writer opened its index before another linked anything
    pytest.param(8, 450, marks=pytest.mark.slow),  # three batches each, eight at once
])
def test_concurrent_linked_cli_ingests_store_and_link_every_article_once(db_url, tmp_path, writers,
                                                                        per_writer):
    total = per_writer * 3 // 4 * (writers - 1) + per_writer
    sources = write_inputs(tmp_path / "all", range(total), bad=False)
    for k in range(writers):
        (tmp_path / f"broken{k}.json").write_text("{not json", encoding="utf-8")
    procs = start_ingests(db_url, tmp_path / "all", writers, per_writer,
                          lambda k: [str(tmp_path / f"broken{k}.json")])
    for report, err in finish(procs):
        assert report["failed"] == 1 and err.count("broken") == 1, err
    with Store.open(db_url) as store:
        assert_stored_and_linked_once(store, sources)


# Uploaded through the API while the writers run: bombs, a truncated archive, and copies of good
# corpus inputs (the same articles: duplicates, never stored twice).
UPLOADS = ("bomb.jsonl.gz", "bomb.csv.gz", "truncated.warc.gz", "good.jsonl.gz", "good.warc.gz")
UPLOAD_ERRORS = ["bomb.csv.gz", "bomb.jsonl.gz", "truncated.warc.gz"]


def post_while_writers_run(db_url: str, hostile: HostileCorpus, clients: int, per_client: int) -> list[dict]:
    """``clients`` API clients posting articles at once (neighbours share two) and one uploading
    ``UPLOADS``; returns the answers, uploads last."""
    client, auth = api_client(db_url)
    step = per_client - 2
    batches = [range(100_000 + k * step, 100_000 + k * step + per_client) for k in range(clients)]
    files = [("files", (name, (hostile.root / name).read_bytes(), "application/octet-stream"))
             for name in UPLOADS]

    def post(numbers: range):
        return client.post("/api/v1/articles", json=payload(numbers), headers=auth)

    with client, ThreadPoolExecutor(clients + 1) as pool:
        upload = pool.submit(client.post, "/api/v1/ingest/files", files=files, headers=auth)
        answers = list(pool.map(post, batches))
        answers.append(upload.result())
    assert [r.status_code for r in answers] == [201] * (clients + 1), [r.text[:300] for r in answers]
    out = [r.json() for r in answers]
    for answer in out:
        assert not answer["link_errors"] and {a["link"] for a in answer["articles"]} <= {"linked"}
    assert sorted(input_name(e["source"], hostile.root) for e in out[-1]["errors"]) == UPLOAD_ERRORS
    return out


def assert_zones_kept(store: Store, hostile: HostileCorpus) -> None:
    """Every dated input of the corpus stored with its instant, aware, whatever zone it was given in."""
    dated = {c.name: sorted(c.published) for c in hostile.cases if c.published}
    got: dict[str, list] = {}
    for art in store.iter_articles():
        name = input_name(art.source_path or "", hostile.root)
        if name in dated:
            assert art.published is not None and art.published.utcoffset() is not None, art
            got.setdefault(name, []).append(art.published.astimezone(UTC))
    assert {name: sorted(v) for name, v in got.items()} == dated


@pytest.mark.parametrize("writers,per_writer,clients,per_client", [
    (3, 60, 4, 10),
    pytest.param(8, 450, 10, 25, marks=pytest.mark.slow),
])
def test_hostile_corpus_beside_concurrent_writers_and_api_clients(db_url, hostile, tmp_path, writers,
                                                                  per_writer, clients, per_client):
    """Linked ``ingest`` processes each reading the whole hostile corpus and their own files, while
    API clients post articles and upload bombs and copies: one store, every writer at once."""
    total = per_writer * 3 // 4 * (writers - 1) + per_writer
    write_inputs(tmp_path / "all", range(total), bad=False)
    Store.open(db_url).close()  # migrated before the writers race to open it
    procs = start_ingests(db_url, tmp_path / "all", writers, per_writer, lambda k: [str(hostile.root)])
    answers = post_while_writers_run(db_url, hostile, clients, per_client)
    runs = finish(procs)
    with Store.open(db_url) as store:
        sources = sources_of(store)
        for _, err in runs:  # every writer: one line per bad input; every good input stored once
            stored = check_run(hostile, err, sources)
        from_corpus = sum(stored.get(c.name, 0) for c in hostile.cases)
        distinct = from_corpus + total + (per_client - 2) * (clients - 1) + per_client
        assert_stored_and_linked_once(store, distinct)
        assert sum(s.startswith(f"{tmp_path / 'all'}/") for s in sources) == total
        # Counted: each article is new to exactly one writer; each writer saw all it read.
        reports = [r for r, _ in runs]
        assert sum(r["new"] + r["revision"] for r in reports + answers) == distinct
        for r in reports:
            assert r["failed"] == len(hostile.bad) and len(r["articles"]) == from_corpus + per_writer
        with store.engine.connect() as conn:
            recorded = conn.execute(text("SELECT count(*) FROM ingest_errors")).scalar()
        assert recorded == writers * len(hostile.bad) + len(UPLOAD_ERRORS)
        assert_zones_kept(store, hostile)
        assert_sqlite_intact(store)


# -- kill -9 --------------------------------------------------------------------------------------


def test_sigkill_mid_ingest_then_rerun_stores_every_article_once(db_url, tmp_path):
    n = 3000
    sources = write_inputs(tmp_path / "corpus", range(n), bad=False)
    command = [*CLI, "ingest", str(tmp_path / "corpus"), "--db", db_url]
    Store.open(db_url).close()  # the schema exists before the reader below polls it
    with Store.open(db_url) as store:
        first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wait_for(lambda: store.count_articles() >= n // 10, first, "a tenth committed", 120)
        sigkill(first)
        assert 0 < store.count_articles() < n, "the kill did not land mid-run"
        again = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr
        assert_stored_and_linked_once(store, sources)
        assert_sqlite_intact(store)


@pytest.mark.slow
def test_sigkill_while_linking_then_rerun_links_every_article_once(db_url, tmp_path):
    sources = write_inputs(tmp_path / "in", range(1500), bad=False)
    command = [*CLI, "ingest", str(tmp_path / "in"), "--db", db_url]
    Store.open(db_url).close()

    def linking() -> bool:  # committed articles not yet indexed: the ingest is linking a batch
        with store.engine.connect() as conn:
            n, linked = conn.execute(text(
                "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM reuse_signatures)")).one()
        return n >= 400 and linked < n

    with Store.open(db_url) as store:
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wait_for(linking, proc, "a linking phase to kill in")
        sigkill(proc)
        again = subprocess.run(command, capture_output=True, text=True, timeout=600)
        assert again.returncode == 0, again.stderr
        assert_stored_and_linked_once(store, sources)


def analyze(folder: Path, db_url: str, out: Path) -> subprocess.Popen:
    return subprocess.Popen([*CLI, "analyze", str(folder), "--db", db_url, "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def assert_analyses_whole(store: Store, n: int) -> list[str]:
    """Every article once, and every stored story analysis whole: its rows are the ones its counts
    name, over articles of its story. Returns the analysed story ids."""
    with store.engine.connect() as conn:
        stored = conn.execute(text("SELECT count(*), count(DISTINCT content_hash) FROM articles")).one()
        rows = conn.execute(select(story_analyses)).all()
        for row in rows:
            claims = conn.execute(select(func.count()).select_from(story_claims)
                                  .where(story_claims.c.story_id == row.story_id)).scalar_one()
            sections = dict(conn.execute(select(story_verdicts.c.section, func.count())
                                         .where(story_verdicts.c.story_id == row.story_id)
                                         .group_by(story_verdicts.c.section)).all())
            members = set(conn.execute(select(story_members.c.article_id)
                                       .where(story_members.c.story_id == row.story_id)).scalars())
            assert (row.n_claims, row.n_conflicts) == (claims, sections.get("conflicts", 0))
            assert set(row.article_ids) <= members and row.n_articles == len(row.article_ids)
    assert tuple(stored) == (n, n)
    return [row.story_id for row in rows]


def assert_complete_report(out: Path, saved: list[str], n: int) -> None:
    report = json.loads(out.read_text(encoding="utf-8"))
    validate_report(report)
    assert len(report["articles"]) == n
    assert {s["id"] for s in report["stories"]["stories"]} <= set(saved)


def test_sigkill_during_analyze_then_rerun(db_url, tmp_path):
    """``analyze`` killed while its stages run (its articles stored, no report yet), then run again."""
    n = 40
    write_inputs(tmp_path / "in", range(n), bad=False)
    out = tmp_path / "out.json"
    Store.open(db_url).close()
    with Store.open(db_url) as store:
        proc = analyze(tmp_path / "in", db_url, out)
        wait_for(lambda: store.count_articles() == n, proc, "its articles were stored")
        time.sleep(1.0)  # into the stages: models loaded, reuse, stories, claims
        sigkill(proc)
        assert assert_analyses_whole(store, n) == [] and not out.exists()
        again = subprocess.run(proc.args, capture_output=True, text=True, timeout=600)
        assert again.returncode == 0, again.stderr
        saved = assert_analyses_whole(store, n)
        assert saved  # the stories of the 40 articles, each analysed
        assert_complete_report(out, saved, n)
        assert_sqlite_intact(store)


@pytest.mark.slow
def test_sigkills_swept_across_analyze_leave_nothing_half_written(db_url, tmp_path):
    """A whole run, then runs killed at every stage of one (start-up, ingest, the stages, saving the
    row, writing ``-o``): after each the rows and the report file are whole; a rerun completes."""
    n = 40
    write_inputs(tmp_path / "in", range(n), bad=False)
    out = tmp_path / "out.json"
    Store.open(db_url).close()
    with Store.open(db_url) as store:
        start = time.monotonic()
        first = analyze(tmp_path / "in", db_url, out)
        assert first.wait(600) == 0, first.stderr.read()
        whole = time.monotonic() - start
        for fraction in (0.2, 0.4, 0.55, 0.7, 0.8, 0.9, 0.95, 0.98):
            proc = analyze(tmp_path / "in", db_url, out)
            time.sleep(fraction * whole)
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            saved = assert_analyses_whole(store, n)
            assert_complete_report(out, saved, n)  # the last whole one, or this run's
        again = subprocess.run(first.args, capture_output=True, text=True, timeout=600)
        assert again.returncode == 0, again.stderr
        assert_complete_report(out, assert_analyses_whole(store, n), n)
        assert_sqlite_intact(store)


# Writes a report under a file size limit: the kernel stops the process (SIGXFSZ, like a kill) once
# the file reaches it, part way through the write.
_WRITE_CUT_SHORT = """
import resource, signal, sys
from newsprism.report import write_report
signal.signal(signal.SIGXFSZ, signal.SIG_DFL)  # Python ignores it by default
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
write_report({"analysis_id": "second", "pad": "x" * 100_000}, sys.argv[1])
"""


def test_a_report_write_cut_short_keeps_the_previous_report(tmp_path):
    out = tmp_path / "out.json"
    out.write_text('{"analysis_id": "first"}\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", _WRITE_CUT_SHORT, str(out)], capture_output=True,
                          timeout=60)
    assert done.returncode == -signal.SIGXFSZ, done.stderr
    # Before the fix: the first 4096 bytes of the second report, and the first one gone.
    assert json.loads(out.read_text(encoding="utf-8")) == {"analysis_id": "first"}
