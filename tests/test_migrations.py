"""Named, ordered, recorded migrations; upgrades of older databases; two processes migrating at once."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from types import ModuleType

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, inspect, select, text

from newsprism.model import Article, article_id, content_hash
from newsprism.store import AddStatus, Store, make_engine
from newsprism.store.meta import metadata
from newsprism.store.migrations import Migration, applied, discover, migrate


def fake_migration(name: str, log: list[str], *, fail: bool = False) -> Migration:
    """A migration creating table ``t_<name>`` (and recording that it ran) on a private metadata."""
    table = Table(f"t_{name}", MetaData(), Column("id", Integer, primary_key=True),
                  Column("note", String(50)))
    module = ModuleType(f"m{name}")

    def upgrade(conn) -> None:  # noqa: ANN001
        log.append(name)
        table.create(conn)
        conn.execute(table.insert().values(note=name))
        if fail:
            raise RuntimeError(f"migration {name} failed")

    module.upgrade = upgrade
    return Migration(name, module)


def _article(i: int) -> Article:
    body = f"Article {i} body text."
    art = Article(id="", text=body, content_hash=content_hash(body), source_format="text",
                  url=f"https://ex.org/{i}")
    art.id = article_id(art.identity_key, None, art.content_hash)
    return art


def test_discovered_migrations_are_named_ordered_and_unique():
    names = [m.name for m in discover()]
    assert names and names == sorted(names) and len(set(names)) == len(names)
    assert names[0] == "0001_articles"
    assert all(n[:4].isdigit() and n[4] == "_" for n in names)
    assert len({n[:4] for n in names}) == len(names), "two migrations share a number"


def test_fresh_database_records_every_migration_once(db_url):
    engine = make_engine(db_url)
    try:
        newly = migrate(engine)
        assert newly == [m.name for m in discover()] == applied(engine)
        assert migrate(engine) == []
        tables = set(inspect(engine).get_table_names())
        assert {t.name for t in metadata.sorted_tables} <= tables
    finally:
        engine.dispose()


def test_database_from_older_migration_set_upgrades_with_its_data(db_url):
    engine = make_engine(db_url)
    try:
        everything = discover()
        assert migrate(engine, everything[:1]) == ["0001_articles"]
        old = Store(engine)
        old.add_articles([_article(i) for i in range(5)])
        log: list[str] = []
        later = fake_migration("9001_later", log)
        newly = migrate(engine, everything + [later])
        assert newly == [m.name for m in everything[1:]] + ["9001_later"]
        assert applied(engine) == [m.name for m in everything] + ["9001_later"]
        store = Store(engine)
        assert store.count_articles() == 5
        assert store.add_articles([_article(4), _article(5)]).count(AddStatus.NEW) == 1
        assert [a.id for a in store.iter_articles()] == [_article(i).id for i in range(6)]
    finally:
        engine.dispose()


def test_migrations_run_in_name_order_whatever_the_given_order(db_url):
    engine = make_engine(db_url)
    log: list[str] = []
    try:
        plan = [fake_migration(n, log) for n in ("0003_c", "0001_a", "0002_b")]
        assert migrate(engine, plan) == ["0001_a", "0002_b", "0003_c"] == log
        assert migrate(engine, plan) == [] and len(log) == 3
    finally:
        engine.dispose()


def test_failed_migration_is_rolled_back_and_not_recorded(db_url):
    engine = make_engine(db_url)
    log: list[str] = []
    try:
        good, bad = fake_migration("0001_ok", log), fake_migration("0002_bad", log, fail=True)
        with pytest.raises(RuntimeError, match="0002_bad failed"):
            migrate(engine, [good, bad])
        assert applied(engine) == ["0001_ok"]
        assert not inspect(engine).has_table("t_0002_bad")
        fixed = fake_migration("0002_bad", log)
        assert migrate(engine, [good, fixed]) == ["0002_bad"]
        with engine.connect() as conn:
            assert conn.execute(text("SELECT note FROM t_0002_bad")).scalars().all() == ["0002_bad"]
    finally:
        engine.dispose()


_MIGRATE = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from newsprism.store import make_engine
    from newsprism.store.migrations import migrate
    url, go = sys.argv[1], Path(sys.argv[2])
    engine = make_engine(url)
    while not go.exists():
        time.sleep(0.002)
    print(json.dumps(migrate(engine)))
""")


def test_two_processes_migrating_at_once_apply_each_migration_once(db_url, tmp_path):
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", _MIGRATE, db_url, str(go)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    go.touch()
    results = [p.communicate(timeout=120) for p in procs]
    for p, (_, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
    newly = [json.loads(out) for out, _ in results]
    names = [m.name for m in discover()]
    assert sorted(newly[0] + newly[1]) == names
    engine = make_engine(db_url)
    try:
        assert applied(engine) == names
        with engine.connect() as conn:
            table = Table("schema_migrations", MetaData(), autoload_with=conn)
            assert len(conn.execute(select(table.c.name)).all()) == len(names)
    finally:
        engine.dispose()
