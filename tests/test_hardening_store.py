"""Hardening of the store (issue #15): concurrent linked writers, one aware instant type end to end
(and the repair of stores poisoned by naive dates), and setup errors that exit 2 in one line."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from hostile_corpus import write_mixed_zone_inputs
from newsprism.api import ingest
from newsprism.cli import main as cli_main
from newsprism.store import Store, make_engine
from newsprism.store.migrations import discover, migrate
from newsprism.stories.repo import StoryStore

CLI = [sys.executable, "-m", "newsprism.cli"]
WORDS = ("minister said troops border talks officials reported village attack drone city council vote "
         "market river bridge convoy statement ceasefire governor harbour ferry strike union").split()


def dispatch(i: int) -> str:
    """A text of its own per ``i`` (so each article keeps a reuse signature of its own)."""
    rng = random.Random(i)
    paras = [" ".join(rng.choice(WORDS) for _ in range(16)) + f" Report {i}." for _ in range(3)]
    return f"Dispatch {i}\n\n" + "\n\n".join(p.capitalize() for p in paras) + "\n"


def write_inputs(folder: Path, numbers: range, bad: bool = True) -> set[str]:
    """Text files for ``numbers`` (and one unreadable input); returns the good files' paths."""
    folder.mkdir(parents=True, exist_ok=True)
    good = set()
    for i in numbers:
        path = folder / f"{i:05d}.txt"
        path.write_text(dispatch(i), encoding="utf-8")
        good.add(str(path))
    if bad:
        (folder / "broken.json").write_text("{not json", encoding="utf-8")
    return good


def assert_stored_and_linked_once(store: Store, sources: set[str] | int) -> None:
    """Every good input stored once, every stored article indexed for reuse (a signature of its
    own, or an exact-copy pair with the article holding it) and in exactly one active story."""
    with store.engine.connect() as conn:
        n, ids, hashes, seqs = conn.execute(text(
            "SELECT count(*), count(DISTINCT id), count(DISTINCT content_hash), count(DISTINCT seq) "
            "FROM articles")).one()
        assert n == ids == seqs == (sources if isinstance(sources, int) else len(sources))
        signatures = conn.execute(text("SELECT count(*), count(DISTINCT doc) FROM reuse_signatures")).one()
        assert tuple(signatures) == (hashes, hashes)
        unsigned_without_copy_pair = conn.execute(text(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM reuse_signatures s "
            "WHERE s.article_id = a.id) AND NOT EXISTS (SELECT 1 FROM reuse_signatures s "
            "JOIN reuse_pairs p ON (p.a = s.article_id AND p.b = a.id) OR (p.b = s.article_id "
            "AND p.a = a.id) WHERE s.content_hash = a.content_hash)")).scalar()
        assert unsigned_without_copy_pair == 0
        members = conn.execute(text("SELECT count(*), count(DISTINCT article_id) FROM story_members")).one()
        assert tuple(members) == (n, n)
        in_retired = conn.execute(text(
            "SELECT count(*) FROM story_members m JOIN stories s ON s.id = m.story_id "
            "WHERE s.status != 'active'")).scalar()
        assert in_retired == 0
        wrong_size = conn.execute(text(
            "SELECT count(*) FROM stories s WHERE s.status = 'active' AND s.n_articles != "
            "(SELECT count(*) FROM story_members m WHERE m.story_id = s.id)")).scalar()
        assert wrong_size == 0
    if not isinstance(sources, int):
        assert {a.source_path for a in store.iter_articles()} == sources


# -- 3: concurrent writers (the multi-process runs are in test_stress.py) ---------------------

def test_a_writer_keeps_waiting_while_other_writers_get_through(tmp_path, monkeypatch):
    """The lock timeout is for a stuck holder, not for a long queue of writers that all finish."""
    import threading

    import newsprism.store.store as store_module
    from newsprism.store.tables import ingest_errors

    monkeypatch.setattr(store_module, "LOCK_TIMEOUT_MS", 200)
    with Store.open(tmp_path / "q.db") as store:
        started = threading.Event()

        def busy_writers() -> None:  # back to back, 1.2 s in all: six lock timeouts' worth
            for n in range(12):
                with store.transaction() as conn:
                    started.set()
                    row = {"source": f"w{n}", "reason": "x", "at": datetime.now(UTC)}
                    conn.execute(ingest_errors.insert().values(**row))
                    time.sleep(0.1)

        queue = threading.Thread(target=busy_writers)
        queue.start()
        started.wait()
        try:
            store.add_articles([ingest_article(1)])  # before the fix: "database is locked" after 0.2 s
        finally:
            queue.join()
        assert store.count_articles() == 1
        with store.transaction():  # a holder that never finishes: the waiter gives up
            with Store.open(tmp_path / "q.db") as other, pytest.raises(OperationalError, match="locked"):
                other.add_articles([ingest_article(2)])


def api_client(db: Path | str):
    """A TestClient of the web app over ``db`` and the headers of a fresh write token."""
    from fastapi.testclient import TestClient

    from newsprism.web.app import create_app
    from newsprism.web.tokens import create_token

    with Store.open(db) as store:
        token, _ = create_token(store, "tests")
    return TestClient(create_app(db)), {"Authorization": f"Bearer {token}"}


def payload(numbers: range) -> dict:
    return {"articles": [{"text": dispatch(i), "url": f"https://wire.example/{i}", "outlet": "Wire"}
                         for i in numbers]}


def test_concurrent_api_clients_all_succeed_and_every_article_is_stored_once(tmp_path):
    db = tmp_path / "api.db"
    client, auth = api_client(db)
    # Six clients at once; neighbours share two articles.
    batches = [range(6 * k, 6 * k + 8) for k in range(6)]
    with client, ThreadPoolExecutor(len(batches)) as pool:
        responses = list(pool.map(lambda r: client.post("/api/v1/articles", json=payload(r), headers=auth),
                                  batches))
    assert [r.status_code for r in responses] == [201] * len(batches), [r.text[:300] for r in responses]
    for r in responses:
        assert {a["link"] for a in r.json()["articles"]} == {"linked"} and r.json()["link_errors"] == []
    with Store.open(db) as store:
        assert_stored_and_linked_once(store, 38)


def test_committed_articles_are_reported_stored_when_linking_fails(tmp_path, monkeypatch):
    db = tmp_path / "api.db"
    client, auth = api_client(db)

    def broken(self, articles):  # noqa: ANN001
        raise RuntimeError("story index unavailable")

    with client:
        monkeypatch.setattr(StoryStore, "add", broken)
        r = client.post("/api/v1/articles", json=payload(range(3)), headers=auth)
        assert r.status_code == 201, r.text  # committed: never "failed" to the client
        body = r.json()
        assert body["new"] == 3 and {a["link"] for a in body["articles"]} == {"pending"}
        assert "story index unavailable" in body["link_errors"][0]["reason"]
        monkeypatch.undo()
        again = client.post("/api/v1/articles", json=payload(range(3)), headers=auth).json()
    assert again["duplicate"] == 3 and {a["link"] for a in again["articles"]} == {"linked"}
    with Store.open(db) as store:
        assert_stored_and_linked_once(store, 3)


def test_an_ingest_with_pending_links_exits_1_and_says_so(tmp_path, monkeypatch, capsys):
    write_inputs(tmp_path / "in", range(2), bad=False)
    monkeypatch.setattr(StoryStore, "add", lambda self, arts: (_ for _ in ()).throw(RuntimeError("boom")))
    db = str(tmp_path / "p.db")
    code, _, err = run_cli(monkeypatch, capsys, "ingest", str(tmp_path / "in"), "--db", db)
    assert code == 1 and "2 articles stored but not linked (RuntimeError: boom)" in err


def test_reuse_doc_numbers_come_from_the_store_not_the_process(tmp_path):
    """Two indexes opened on one store before either writes: the second must not reuse doc ids."""
    from newsprism.reuse.index import ReuseIndex

    with Store.open(tmp_path / "r.db") as store:
        first, second = ReuseIndex(store), ReuseIndex(store)
        arts = [ingest_article(i) for i in range(4)]
        first.add(arts[:2])
        second.add(arts[2:])  # before the fix: IntegrityError on reuse_signatures.doc
        copy = ingest_article(0, outlet="Other Wire")  # an exact copy, seen by the other index
        assert len(second.add([copy])) == 1
        with store.engine.connect() as conn:
            docs = conn.execute(text("SELECT doc FROM reuse_signatures ORDER BY doc")).scalars().all()
        assert docs == [0, 1, 2, 3]


def ingest_article(i: int, outlet: str = "Wire"):
    from newsprism.ingest.base import RawDocument
    from newsprism.ingest.build import build_article

    raw = RawDocument(text=dispatch(i), source=f"mem:{outlet}:{i}", format="text", outlet=outlet)
    return build_article(raw)


def _clustering(articles, labels):
    import dataclasses

    import numpy as np

    from newsprism.stories.engine import cluster_articles, lead_embeddings
    from newsprism.stories.score import StoryOptions

    base = cluster_articles(articles, lead_embeddings(articles, None, StoryOptions()), StoryOptions())
    return dataclasses.replace(base, labels=np.array(labels))


def test_a_rebuild_never_gives_two_clusters_one_story_id(tmp_path):
    # A story named after its first article X; a rebuild leaves X alone and gives the story's id to
    # the cluster holding most of it: X's new cluster must not be named after X again.
    with Store.open(tmp_path / "n.db") as store:
        store.add_articles([ingest_article(i) for i in range(3)])
        arts = sorted(store.iter_articles(), key=lambda a: a.id)
        stories_ = StoryStore(store)
        stories_.save_clustering(arts, _clustering(arts, [0, 0, 0]))
        stories_.save_clustering(arts, _clustering(arts, [1, 0, 0]))
        with store.engine.connect() as conn:
            owners = dict(conn.execute(text("SELECT article_id, story_id FROM story_members")).all())
        assert owners[arts[0].id] != owners[arts[1].id] == owners[arts[2].id]
        with store.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, n_articles FROM stories WHERE status = 'active'")).all()
        sizes = dict(rows)
        assert sizes == {owners[arts[0].id]: 1, owners[arts[1].id]: 2}


def test_a_rebuild_beside_an_ingest_leaves_every_article_in_a_story(tmp_path):
    """Articles stored after a rebuild read its snapshot get their stories in its transaction."""
    with Store.open(tmp_path / "b.db") as store:
        first = [ingest_article(i) for i in range(4)]
        store.add_articles(first)
        StoryStore(store).add(first)
        snapshot = list(store.iter_articles())
        late = [ingest_article(i) for i in range(4, 8)]
        store.add_articles(late)
        StoryStore(store).add(late)  # another writer places them...
        builder = StoryStore(store)  # ...while this rebuild clusters the older snapshot
        builder.save_clustering(snapshot, _clustering(snapshot, list(range(len(snapshot)))))
        with store.engine.connect() as conn:
            placed = conn.execute(text("SELECT count(DISTINCT article_id) FROM story_members")).scalar()
        assert placed == 8
        again = StoryStore(store).add(late)  # a later add finds them placed and changes nothing
        assert len(again) == 4 and not any(a.opened or a.score is not None for a in again)


# -- 4: one aware instant type ------------------------------------------------------------------

def test_dates_with_and_without_a_zone_link_into_one_story_and_rebuild(tmp_path):
    write_mixed_zone_inputs(tmp_path / "in")
    db = tmp_path / "tz.db"
    report = ingest([tmp_path / "in"], db)  # before the fix: TypeError comparing naive and aware
    assert report.ok and report.new == 2 and len(report.story_ids) == 1
    with Store.open(db) as store:
        published = sorted(a.published for a in store.iter_articles())
        assert published == [datetime(2024, 5, 1, tzinfo=UTC), datetime(2024, 5, 2, 10, tzinfo=UTC)]
        assert StoryStore(store).rebuild().n_stories == 1
    done = subprocess.run([*CLI, "stories", "build", "--db", str(db)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_migration_repairs_a_store_poisoned_by_naive_dates(tmp_path):
    db = tmp_path / "old.db"
    engine = make_engine(db)
    # The schema older versions made, plus the topic tables today's ``StoryStore`` writes beside the
    # stories (created in name order after these by ``m0010``; they hold nothing this repair reads).
    migrate(engine, [m for m in discover() if m.name < "0006" or m.name.startswith("0010_")])
    old = Store(engine)
    old.add_articles([ingest_article(i) for i in range(3)])
    ids = [a.id for a in old.iter_articles()]
    StoryStore(old).rebuild()
    with old.transaction() as conn:
        # Stories as older versions laid them out: no ``rev``, timestamps written by hand.
        conn.execute(text("DROP INDEX ix_stories_rev"))
        conn.execute(text("ALTER TABLE stories DROP COLUMN rev"))
        conn.execute(text("UPDATE stories SET updated_at = '2024-05-02T10:00:00+02:00'"))
        # What older versions (or another tool) left: a naive date with no offset, an ISO text with
        # its own zone (sorts after every canonical value), a bare date.
        for art_id, value in zip(ids, ("2024-05-01 00:00:00.000000", "2024-05-02T10:00:00+02:00",
                                       "2024-05-03"), strict=True):
            conn.execute(text("UPDATE articles SET published = :v, published_utcoffset = NULL WHERE id = :i"),
                         {"v": value, "i": art_id})
    engine.dispose()

    with Store.open(db) as store:  # runs the repair
        with store.engine.connect() as conn:
            raw = dict(conn.execute(text("SELECT id, published || '|' || published_utcoffset "
                                         "FROM articles")).all())
            ordered = conn.execute(text("SELECT id FROM articles ORDER BY published")).scalars().all()
        assert [raw[i] for i in ids] == ["2024-05-01 00:00:00.000000|0", "2024-05-02 08:00:00.000000|7200",
                                         "2024-05-03 00:00:00.000000|0"]
        assert ordered == ids
        got = {a.id: a.published for a in store.iter_articles()}
        assert got[ids[1]] == datetime(2024, 5, 2, 10, tzinfo=timezone(timedelta(hours=2)))
        assert got[ids[1]].utcoffset() == timedelta(hours=2) and got[ids[0]].tzinfo is not None
        with store.engine.connect() as conn:
            stamps = conn.execute(text("SELECT DISTINCT updated_at || '|' || rev FROM stories")).scalars()
            stamps = stamps.all()
        assert stamps == ["2024-05-02 08:00:00.000000|0"]
    write_mixed_zone_inputs(tmp_path / "in")
    assert ingest([tmp_path / "in"], db).ok
    done = subprocess.run([*CLI, "stories", "build", "--db", str(db)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.postgres
def test_migration_makes_postgresql_timestamps_aware(pg_url):
    engine = make_engine(pg_url)
    try:
        migrate(engine, [m for m in discover() if m.name < "0006"])
        Store(engine).add_articles([ingest_article(1)])
        with engine.begin() as conn:  # a column as a hand-made or older schema might have it
            conn.execute(text("ALTER TABLE articles ALTER COLUMN ingested_at TYPE timestamp "
                              "USING ingested_at AT TIME ZONE 'UTC'"))
            conn.execute(text("UPDATE articles SET ingested_at = '2024-05-02 10:00:00'"))
        migrate(engine)
        with engine.connect() as conn:
            kind = conn.execute(text("SELECT data_type FROM information_schema.columns WHERE "
                                     "table_schema = current_schema() AND table_name = 'articles' "
                                     "AND column_name = 'ingested_at'")).scalar()
        assert kind == "timestamp with time zone"
        [art] = Store(engine).iter_articles()
        assert art.ingested_at == datetime(2024, 5, 2, 10, tzinfo=UTC)
    finally:
        engine.dispose()


# -- 12: exit codes -----------------------------------------------------------------------------

def run_cli(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """The real entry point (``newsprism.cli.main.run``) in this process."""
    monkeypatch.setattr(sys, "argv", ["newsprism", *args])
    with pytest.raises(SystemExit) as stop:
        cli_main.run()
    out, err = capsys.readouterr()
    code = stop.value.code
    return (0 if code is None else code), out, err


def test_an_unknown_field_is_a_usage_error(tmp_path, monkeypatch, capsys):
    src = tmp_path / "a.json"
    src.write_text(json.dumps([{"body": "Some text long enough to be an article body."}]), "utf-8")
    code, _, err = run_cli(monkeypatch, capsys, "ingest", "--field", "bogus=body", str(src), "--db",
                           str(tmp_path / "f.db"))
    assert code == 2 and "bogus" in err
    assert not (tmp_path / "f.db").exists() or Store.open(tmp_path / "f.db").count_articles() == 0


def bad_databases(tmp_path: Path) -> dict[str, str]:
    not_db = tmp_path / "notes.txt"
    not_db.write_text("plain text, not SQLite " * 20, "utf-8")
    (tmp_path / "folder").mkdir()
    bad = {
        "not a database": str(not_db),
        "a directory": str(tmp_path / "folder"),
        "under a file": str(not_db / "inner.db"),
        "unreachable PostgreSQL": "postgresql://newsprism:s3cret-pw@127.0.0.1:1/news",
        "unknown dialect": "nosuchdb://user:s3cret-pw@host/db",
    }
    if os.geteuid() != 0:  # root reads any file
        unreadable = tmp_path / "locked.db"
        Store.open(unreadable).close()
        unreadable.chmod(0)
        bad["unreadable"] = str(unreadable)
    return bad


COMMANDS = [["ingest", "IN"], ["analyze", "IN"], ["articles", "list"], ["stories", "list"],
            ["stories", "build"], ["serve"], ["tokens", "list"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_a_bad_db_is_one_line_naming_it_and_exit_2(command, tmp_path, monkeypatch, capsys):
    write_inputs(tmp_path / "in", range(1), bad=False)
    args = [str(tmp_path / "in") if a == "IN" else a for a in command]
    for why, db in bad_databases(tmp_path).items():
        code, _, err = run_cli(monkeypatch, capsys, *args, "--db", db)
        lines = [line for line in err.splitlines() if line.strip()]
        assert code == 2, (why, err)
        assert len(lines) == 1 and lines[0].startswith("Error: --db "), (why, err)
        assert "s3cret" not in err and "Traceback" not in err, (why, err)
        shown = "***" if "s3cret" in db else Path(db).name
        assert shown in lines[0], (why, err)


def test_a_bad_db_from_the_real_command_is_one_line(tmp_path):
    done = subprocess.run([*CLI, "articles", "list", "--db", "postgresql://u:pw-123@127.0.0.1:1/x"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [done.stderr.strip()] and "pw-123" not in done.stderr
    assert "127.0.0.1:1/x" in done.stderr and "refused" in done.stderr.lower()
