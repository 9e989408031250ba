"""PostgreSQL specifics: the advisory write lock, session time zones, values SQLite would accept.

The shared store contract (tests/test_store.py, tests/test_migrations.py, tests/test_stress.py)
also runs on PostgreSQL through the ``db_url`` fixture; these are the PostgreSQL-only parts.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

import newsprism.store.migrations as migrations
from newsprism.model import Article, article_id, content_hash
from newsprism.store import AddStatus, Store

pytestmark = pytest.mark.postgres


def make(body: str, **meta) -> Article:
    art = Article(id="", text=body, content_hash=content_hash(body), source_format="text", **meta)
    art.id = article_id(art.identity_key, art.outlet, art.content_hash)
    return art


def with_timezone(url: str, zone: str) -> str:
    return f"{url}%20-cTimeZone%3D{zone}"


def waiting_for_advisory_lock(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).scalar_one()


def test_second_writer_waits_for_the_first_while_readers_do_not(pg_url):
    with Store.open(pg_url) as first, Store.open(pg_url) as second:
        done: list[object] = []
        with first.transaction() as tx:
            first.add_articles([make("One.")], tx)
            worker = threading.Thread(target=lambda: done.append(second.add_articles([make("Two.")])))
            worker.start()
            deadline = time.monotonic() + 30
            while waiting_for_advisory_lock(first) == 0 and time.monotonic() < deadline:
                time.sleep(0.02)
            assert waiting_for_advisory_lock(first) == 1 and not done
            assert second.count_articles() == 0  # a reader neither waits nor sees uncommitted rows
        worker.join(30)
        assert done and done[0].count(AddStatus.NEW) == 1
        assert [a.text for a in first.iter_articles()] == ["One.", "Two."]


def test_a_writer_gives_up_after_the_lock_timeout(pg_url, monkeypatch):
    monkeypatch.setattr(migrations, "LOCK_TIMEOUT_MS", 200)
    with Store.open(pg_url) as first, Store.open(pg_url) as second, first.transaction() as tx:
        first.add_articles([make("One.")], tx)
        with pytest.raises(OperationalError, match="lock timeout"):
            second.add_articles([make("Two.")])


def test_times_do_not_depend_on_the_session_time_zone(pg_url):
    aware = datetime(2025, 4, 26, 17, 5, tzinfo=timezone(timedelta(hours=3)))
    naive = datetime(2025, 4, 26, 9, 5)
    with Store.open(with_timezone(pg_url, "Pacific/Chatham")) as writer:
        writer.add_articles([make("Aware.", published=aware), make("Naive.", published=naive)])
    with Store.open(with_timezone(pg_url, "America/St_Johns")) as reader:
        got = {a.text: a for a in reader.iter_articles()}
    assert got["Aware."].published == aware and got["Aware."].published.utcoffset() == timedelta(hours=3)
    # A date given without a zone is taken as UTC, whatever the session's zone.
    assert got["Naive."].published == naive.replace(tzinfo=UTC)
    assert got["Naive."].published.utcoffset() == timedelta(0)
    assert got["Naive."].ingested_at.tzinfo is not None
    assert got["Naive."].ingested_at.utcoffset() == timedelta(0)
    assert abs(got["Naive."].ingested_at - datetime.now(UTC)) < timedelta(hours=1)


def test_values_longer_than_any_varchar_are_stored(pg_url):
    url = "https://example.org/story?" + "&".join(f"utm_param_{i}=value_{i}" for i in range(400))
    assert len(url) > 8000
    first = make("Long URL text.", url=url, dateline="A" * 1000, outlet="O" * 400, language="en-GB-x-long")
    second = make("Long URL text, corrected.", url=url, outlet="O" * 400)
    with Store.open(pg_url) as store:
        statuses = [s for s, _ in store.add_articles([first, second]).statuses]
        assert statuses == [AddStatus.NEW, AddStatus.REVISION]
        assert store.get_article(second.id).revision_of == first.id
        assert store.get_article(first.id).url == url


def test_every_store_query_can_use_an_index(pg_url):
    """With full scans and sorts priced out (the table is small here, so the planner would
    rightly prefer them), every query still has an index path that needs no sort: what keeps
    listings fast at 100k articles."""
    with Store.open(pg_url) as store:
        store.add_articles([make(f"Body {i}.", url=f"https://ex.org/{i % 50}", outlet="W")
                            for i in range(200)])
        seen: list[tuple[str, object]] = []
        event.listen(store.engine, "before_cursor_execute",
                     lambda _c, _cur, stmt, params, _ctx, _many: seen.append((stmt, params)))
        store.add_articles([make(f"Body {i}.", url=f"https://ex.org/{i}", outlet="W")
                            for i in range(190, 210)])
        first = store.list_articles(limit=1)[0]
        store.get_article(first.id[:6])
        store.get_articles([first.id])
        store.list_articles(limit=10, outlet="W")
        list(store.iter_articles(batch_size=64))
        store.count_articles()
        selects = [(s, p) for s, p in seen if s.lstrip().upper().startswith("SELECT") and "articles" in s]
        assert len(selects) >= 8
        with store.engine.connect() as conn:
            for setting in ("enable_seqscan", "enable_sort"):
                conn.exec_driver_sql(f"SET {setting} = off")
            for stmt, params in selects:
                plan = " | ".join(conn.exec_driver_sql(f"EXPLAIN {stmt}", params).scalars())
                assert "Seq Scan" not in plan and "Sort" not in plan, (stmt, plan)
