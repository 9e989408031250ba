"""Crash safety: SIGKILL a real ``newsprism ingest`` mid-run, run it again, and nothing is lost or doubled."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from newsprism.store import Store

N_FILES = 3000
WORDS = ("the minister said troops border talks officials reported village attack drone city council "
         "vote market river bridge convoy statement ceasefire governor").split()
# The CLI, exactly as a user runs it, without depending on where the console script was installed.
CLI = [sys.executable, "-c",
       "import sys; sys.argv[0] = 'newsprism'; from newsprism.cli.main import run; run()"]


def write_corpus(folder: Path, n: int) -> None:
    rng = random.Random(9)
    folder.mkdir()
    for i in range(n):
        paras = [" ".join(rng.choice(WORDS) for _ in range(14)) + f" Report {i}." for _ in range(3)]
        body = f"Dispatch {i}\n\n" + "\n\n".join(p.capitalize() for p in paras) + "\n"
        (folder / f"{i:05d}.txt").write_text(body, encoding="utf-8")


def ingest(folder: Path, db_url: str) -> subprocess.Popen:
    return subprocess.Popen([*CLI, "ingest", str(folder), "--db", db_url],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def kill_mid_run(proc: subprocess.Popen, store: Store, at_least: int) -> int:
    """SIGKILL ``proc`` once ``at_least`` articles are committed; returns the count seen after."""
    deadline = time.monotonic() + 120
    while store.count_articles() < at_least:
        if proc.poll() is not None:
            pytest.fail(f"ingest exited ({proc.returncode}) before it could be killed: {proc.stderr.read()}")
        if time.monotonic() > deadline:
            pytest.fail("ingest committed nothing within 120 s")
        time.sleep(0.01)
    proc.kill()
    proc.wait()
    return store.count_articles()


def test_sigkill_mid_ingest_then_rerun_stores_every_article_once(db_url, tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, N_FILES)
    Store.open(db_url).close()  # the schema exists before the reader below polls it
    with Store.open(db_url) as store:
        first = ingest(corpus, db_url)
        committed = kill_mid_run(first, store, at_least=N_FILES // 10)
        assert first.returncode == -9
        assert 0 < committed < N_FILES, "the kill did not land mid-run"

        second = ingest(corpus, db_url)
        _, err = second.communicate(timeout=300)
        assert second.returncode == 0, err

        with store.engine.connect() as conn:
            row = conn.execute(text(
                "SELECT count(*), count(DISTINCT content_hash), count(DISTINCT id), count(DISTINCT seq) "
                "FROM articles")).one()
            assert tuple(row) == (N_FILES,) * 4
            # Linking (reuse signatures, story membership) finished for every article, once.
            members = conn.execute(text(
                "SELECT count(*), count(DISTINCT article_id) FROM story_members")).one()
            assert tuple(members) == (N_FILES, N_FILES)
            indexed = conn.execute(text("SELECT count(DISTINCT article_id) FROM reuse_signatures")).scalar()
            assert 0 < indexed <= N_FILES
            if store.dialect == "sqlite":
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalars().all() == ["ok"]
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        stored = {a.source_path for a in store.iter_articles()}
        assert stored == {str(p) for p in corpus.iterdir()}
