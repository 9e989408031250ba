"""The store contract, run on SQLite and (with NEWSPRISM_TEST_PG_URL) on PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import event, text

from newsprism.model import Article, Span, article_id, content_hash, utc_instant
from newsprism.store import AddStatus, Store, database_url
from newsprism.store.tables import articles


def make(body: str, *, url: str | None = None, outlet: str | None = "Wire Service", **meta) -> Article:
    """An article as ingest builds one (the store does not care how): id from source + text."""
    paragraphs, start = [], 0
    for para in body.split("\n\n"):
        paragraphs.append(Span(start, start + len(para)))
        start += len(para) + 2
    art = Article(id="", text=body, content_hash=content_hash(body), source_format="text", url=url,
                  outlet=outlet, paragraphs=paragraphs, sentences=list(paragraphs),
                  origins={"outlet": "read"} if outlet else {}, **meta)
    art.id = article_id(art.identity_key, outlet, art.content_hash)
    return art


def body(i: int) -> str:
    return f"Story number {i} was reported on Monday.\n\nOfficials said the count was {i * 7}."


@pytest.fixture
def store(db_url):
    s = Store.open(db_url)
    yield s
    s.close()


def test_sqlite_runs_in_wal_with_foreign_keys_and_busy_timeout(tmp_path):
    with Store.open(tmp_path / "a.db") as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_database_urls():
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("data/news.db") == "sqlite:///data/news.db"
    assert database_url("sqlite:///:memory:") == "sqlite:///:memory:"


def test_every_store_query_uses_an_index(tmp_path):
    """No full-table scan or sort in what the store asks SQLite, so 100k articles stay fast."""
    with Store.open(tmp_path / "plan.db") as store:
        store.add_articles([make(body(i), url=f"https://ex.org/{i % 50}") for i in range(200)])
        seen: list[tuple[str, tuple]] = []
        event.listen(store.engine, "before_cursor_execute",
                     lambda _c, _cur, stmt, params, _ctx, _many: seen.append((stmt, params)))
        store.add_articles([make(body(i), url=f"https://ex.org/{i}") for i in range(190, 210)])
        first = store.list_articles(limit=1)[0]
        store.get_article(first.id)
        store.get_article(first.id[:6])
        store.get_articles([first.id])
        store.list_articles(limit=10, offset=20)
        store.list_articles(limit=10, outlet="Wire Service")
        list(store.iter_articles(batch_size=64))
        store.count_articles()
        selects = [(s, p) for s, p in seen if s.lstrip().upper().startswith("SELECT")]
        assert len(selects) >= 9
        with store.engine.connect() as conn:
            for stmt, params in selects:
                plan = " | ".join(r[-1] for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {stmt}", params))
                assert "TEMP B-TREE" not in plan, (stmt, plan)
                assert "SCAN articles" not in plan or "INDEX" in plan, (stmt, plan)


def test_foreign_key_on_revision_of_is_enforced(store):
    orphan = make(body(1), url="https://example.org/a").with_updates(revision_of="0" * 16)
    row = {c.name: None for c in articles.columns}
    row.update(id=orphan.id, content_hash=orphan.content_hash, text=orphan.text, source_format="text",
               ingested_at=datetime.now(UTC), paragraphs=[], sentences=[], origins={}, extra={},
               revision_of="0" * 16, revision=2, seq=1)
    with pytest.raises(Exception, match="(?i)foreign key"), store.transaction() as tx:
        tx.execute(articles.insert().values(**row))
    assert store.count_articles() == 0


def test_new_then_duplicate_is_counted_not_stored(store):
    batch = [make(body(i)) for i in range(3)]
    first = store.add_articles(batch)
    assert first.count(AddStatus.NEW) == 3
    again = store.add_articles(batch + [batch[0]])
    assert again.count(AddStatus.DUPLICATE) == 4 and again.count(AddStatus.NEW) == 0
    assert store.count_articles() == 3
    assert [a.id for _, a in again.statuses] == [a.id for a in batch + [batch[0]]]


def test_duplicate_inside_one_batch(store):
    a = make(body(1))
    result = store.add_articles([a, a])
    assert [s for s, _ in result.statuses] == [AddStatus.NEW, AddStatus.DUPLICATE]
    assert store.count_articles() == 1


def test_same_text_from_two_outlets_stays_two_articles(store):
    a, b = make(body(1), outlet="Outlet A"), make(body(1), outlet="Outlet B")
    result = store.add_articles([a, b])
    assert result.count(AddStatus.NEW) == 2 and a.content_hash == b.content_hash
    assert store.count_articles() == 2


def test_revisions_chain_by_url_and_by_external_id(store):
    url = "https://news.example.com/2025/04/26/kursk"
    versions = [make(f"Version {n} of the story.\n\nIt changed {n} times.", url=url) for n in range(1, 4)]
    store.add_articles(versions[:1])
    store.add_articles(versions[1:])  # two revisions in one batch chain onto each other
    stored = [store.get_article(v.id) for v in versions]
    assert [(a.revision, a.revision_of) for a in stored] == [
        (1, None), (2, versions[0].id), (3, versions[1].id)]
    result = store.add_articles([versions[1]])  # an old version again is a duplicate, not revision 4
    assert result.count(AddStatus.DUPLICATE) == 1 and store.count_articles() == 3

    ext = [make(f"Feed item text {n}.", external_id="feed-42", outlet="Feed") for n in (1, 2)]
    statuses = [s for s, _ in store.add_articles(ext).statuses]
    assert statuses == [AddStatus.NEW, AddStatus.REVISION]
    assert store.get_article(ext[1].id).revision_of == ext[0].id


def test_failure_mid_batch_leaves_nothing(store):
    good = [make(body(i)) for i in range(4)]
    broken = make(body(99)).with_updates(text=None)  # NOT NULL violation on the third row
    with pytest.raises(Exception, match="(?i)null"):
        store.add_articles(good[:2] + [broken] + good[2:])
    assert store.count_articles() == 0
    with pytest.raises(RuntimeError), store.transaction() as tx:
        store.add_articles(good, tx)
        raise RuntimeError("caller failed after the batch")
    assert store.count_articles() == 0
    assert store.add_articles(good).count(AddStatus.NEW) == 4  # the store is still usable


def test_id_prefix_lookup(store):
    batch = [make(body(i)) for i in range(40)]
    store.add_articles(batch)
    target = batch[7]
    assert store.get_article(target.id).text == target.text
    assert store.get_article(target.id[:10]).id == target.id
    assert store.get_article(target.id[:10].upper()).id == target.id
    shared = next(a.id[0] for a in batch if sum(b.id[0] == a.id[0] for b in batch) > 1)
    assert store.get_article(shared) is None  # ambiguous prefix
    assert store.get_article("zz") is None and store.get_article("") is None
    assert store.get_articles([batch[3].id, "missing", batch[1].id]) == [
        store.get_article(batch[3].id), store.get_article(batch[1].id)]


def test_iteration_listing_and_count_follow_insertion_order(store):
    batch = [make(body(i), outlet="Odd" if i % 2 else "Even") for i in range(23)]
    store.add_articles(batch[:10])
    store.add_articles(batch[10:])
    ids = [a.id for a in batch]
    assert [a.id for a in store.iter_articles(batch_size=4)] == ids
    assert [a.id for a in store.list_articles(limit=5, offset=3)] == ids[3:8]
    assert [a.outlet for a in store.list_articles(limit=100, outlet="Odd")] == ["Odd"] * 11
    assert store.count_articles() == 23


def test_article_round_trips_with_json_columns(store):
    a = make("Київ said “no” — 10,000 troops.\n\nSecond paragraph here.", url="https://ex.org/ü",
             byline="By Анна Ли", extra={"feed": {"tags": ["war", "ü"], "n": 3}})
    store.add_articles([a])
    back = store.get_article(a.id)
    expected = a.with_updates(ingested_at=back.ingested_at)
    assert back == expected
    assert back.sentences and back.sentence_texts() == a.sentence_texts()


@pytest.mark.parametrize("published", [
    datetime(2025, 4, 26, 14, 5, 9, 123000, tzinfo=UTC),
    datetime(2025, 4, 26, 17, 5, tzinfo=timezone(timedelta(hours=3))),
    datetime(2025, 4, 26, 9, 5, tzinfo=timezone(timedelta(hours=-5, minutes=-30))),
    datetime(2025, 4, 26, 9, 5),  # naive: no zone given, so taken as UTC
    None,
])
def test_published_round_trips_identically(store, published):
    a = make(body(1)).with_updates(published=published)
    store.add_articles([a])
    back = store.get_article(a.id).published
    published = utc_instant(published)
    assert back == published
    if published is not None:
        assert back.utcoffset() == published.utcoffset() and back.replace(tzinfo=None) == published.replace(
            tzinfo=None)
    assert store.get_article(a.id).ingested_at.utcoffset() == timedelta(0)


def test_published_sorts_by_instant(store):
    plus5 = timezone(timedelta(hours=5))
    early = make(body(1)).with_updates(published=datetime(2025, 4, 26, 12, 0, tzinfo=plus5))
    late = make(body(2)).with_updates(published=datetime(2025, 4, 26, 8, 0, tzinfo=UTC))
    store.add_articles([late, early])
    with store.engine.connect() as conn:
        ordered = conn.execute(articles.select().order_by(articles.c.published)).all()
    assert [r.id for r in ordered] == [early.id, late.id]


def test_errors_are_recorded(store):
    store.record_errors([("a.html", "no article text found"), ("b.warc", "truncated record")])
    store.record_errors([])
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM ingest_errors")).scalar() == 2


_WORKER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from newsprism.model import Article, article_id, content_hash
    from newsprism.store import AddStatus, Store, database_url

    url, go, lo, hi, step = sys.argv[1], Path(sys.argv[2]), *map(int, sys.argv[3:6])
    def make(i):
        # Every tenth is a version of one URL, so revision numbering is raced too.
        url = "https://ex.org/live" if i % 10 == 0 else None
        body = f"Shared page, version {i}." if url else f"Story {i} text."
        art = Article(id="", text=body, content_hash=content_hash(body), source_format="text", url=url)
        art.id = article_id(art.identity_key, None, art.content_hash)
        return art
    batch_ids = list(range(lo, hi))[::step]
    arts = [make(i) for i in batch_ids]
    store = Store.open(url)
    while not go.exists():
        time.sleep(0.005)
    counts = {s.value: 0 for s in AddStatus}
    for k in range(0, len(arts), 25):
        for status, _ in store.add_articles(arts[k:k + 25]).statuses:
            counts[status.value] += 1
    print(json.dumps(counts))
""")


def test_two_processes_ingesting_overlapping_batches_store_each_once(db_url, tmp_path):
    Store.open(db_url).close()  # schema first, so the race is about articles
    go = tmp_path / "go"
    procs = [
        subprocess.Popen([sys.executable, "-c", _WORKER, db_url, str(go), "0", "400", "1"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
        subprocess.Popen([sys.executable, "-c", _WORKER, db_url, str(go), "200", "600", "-1"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
    ]
    go.touch()
    outputs = [p.communicate(timeout=120) for p in procs]
    for p, (_, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
    counts = [json.loads(out) for out, _ in outputs]
    stored = sum(c["new"] + c["revision"] for c in counts)
    with Store.open(db_url) as store, store.engine.connect() as conn:
        assert store.count_articles() == 600 == stored
        assert sum(c["duplicate"] for c in counts) == 200
        assert conn.execute(text("SELECT count(DISTINCT seq) FROM articles")).scalar() == 600
        revisions = conn.execute(text(
            "SELECT revision FROM articles WHERE identity_key = 'url:https://ex.org/live' ORDER BY revision"
        )).scalars().all()
        assert revisions == list(range(1, 61))


def test_concurrent_reader_is_not_blocked_by_a_writer(tmp_path):
    path = Path(tmp_path / "r.db")
    with Store.open(path) as writer, Store.open(path) as reader:
        writer.add_articles([make(body(0))])
        with writer.transaction() as tx:
            writer.add_articles([make(body(1))], tx)
            # A plain read neither waits for the open write transaction nor sees it uncommitted.
            assert reader.count_articles() == 1
            assert [a.id for a in reader.iter_articles()] == [make(body(0)).id]
        assert reader.count_articles() == 2


def test_utc_columns_refuse_naive_datetimes(store):
    # Which zone a naive value is in is the caller's decision; the column must not guess.
    from newsprism.store.tables import UTCDateTime

    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(datetime(2025, 4, 26, 9, 0), store.engine.dialect)
    aware = datetime(2025, 4, 26, 9, 0, tzinfo=timezone(timedelta(hours=2)))
    bound = UTCDateTime().process_bind_param(aware, store.engine.dialect)
    assert UTCDateTime().process_result_value(bound, store.engine.dialect) == aware
