"""Named, ordered migrations, and the write lock every writer (migrations included) takes.

A migration is a module in this package named ``mNNNN_<name>.py`` with a function
``upgrade(conn)``. They run in name order, each in its own transaction, and the names applied
are recorded in ``schema_migrations``; a migration never runs twice, even when two processes
start at once: each migration runs under the store's write lock and re-checks the record first.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType

from sqlalchemy import Column, DateTime, MetaData, String, Table, func, inspect, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

# Kept off the shared metadata: it must exist before any migration runs.
_bookkeeping = MetaData()
schema_migrations = Table(
    "schema_migrations",
    _bookkeeping,
    Column("name", String(200), primary_key=True),
    Column("applied_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
)

# One PostgreSQL advisory lock key for "the newsprism writer" (an arbitrary, fixed 63-bit value).
WRITE_LOCK_KEY = 0x6E657773_7072_6973  # "newsprism" in hex, truncated
# How long a writer waits for another writer before failing, on both backends.
LOCK_TIMEOUT_MS = 60_000
# Execution option read by the SQLite "begin" listener in ``newsprism.store.store``.
SQLITE_BEGIN_OPTION = "newsprism_sqlite_begin"


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds the store's single write lock from its first statement.

    SQLite: ``BEGIN IMMEDIATE`` takes the database write lock before anything is read, so a
    writer never decides on data another writer is about to change. PostgreSQL: a
    transaction-scoped advisory lock gives the same one-writer rule; reads never wait for it.

    A writer waits ``LOCK_TIMEOUT_MS`` at a time, and waits again as long as other writers are
    getting through meanwhile: with many writers queued the wait can be long, but it fails only
    when the lock's holder is stuck (a whole round without another writer finishing).
    """
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})
        with _locked(conn):
            yield conn


@contextmanager
def _locked(conn: Connection) -> Iterator[None]:
    while True:
        mark = _writers_mark(conn)
        try:
            tx = conn.begin()  # SQLite: BEGIN IMMEDIATE, which waits for the lock
            try:
                lock_for_write(conn)
            except BaseException:
                tx.rollback()
                raise
            break
        except OperationalError as exc:
            if not _lock_wait_failed(exc) or _writers_mark(conn) == mark:
                raise
    with tx:
        yield


def _lock_wait_failed(exc: OperationalError) -> bool:
    words = str(exc.orig).lower()
    return "database is locked" in words or "lock timeout" in words


def _writers_mark(conn: Connection) -> object:
    """Something that changes when another writer gets through: SQLite's ``data_version`` (it
    moves when another connection commits), or who holds the PostgreSQL advisory lock."""
    if conn.dialect.name == "sqlite":
        return conn.connection.dbapi_connection.execute("PRAGMA data_version").fetchone()[0]
    holder = conn.execute(
        text("SELECT l.pid, a.xact_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
             "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = :hi AND l.objid = :lo "
             "AND l.objsubid = 1"),
        {"hi": WRITE_LOCK_KEY >> 32, "lo": WRITE_LOCK_KEY & 0xFFFFFFFF},
    ).first()
    conn.rollback()  # the query opened a transaction; the lock is taken in a fresh one
    return tuple(holder) if holder else None


def lock_for_write(conn: Connection) -> None:
    """Take the write lock in ``conn``'s transaction (re-entrant; a no-op on SQLite, whose lock
    is taken by ``BEGIN IMMEDIATE``)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"SET LOCAL lock_timeout = {LOCK_TIMEOUT_MS}"))
        conn.execute(select(func.pg_advisory_xact_lock(WRITE_LOCK_KEY)))


@dataclass(frozen=True)
class Migration:
    name: str
    module: ModuleType

    def upgrade(self, conn: Connection) -> None:
        self.module.upgrade(conn)


def discover() -> list[Migration]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("m") and info.name[1:5].isdigit():
            found.append(Migration(info.name[1:], importlib.import_module(f"{__name__}.{info.name}")))
    return sorted(found, key=lambda m: m.name)


def applied(engine: Engine) -> list[str]:
    """Names of the migrations recorded as applied, in order (empty for a new database)."""
    with engine.connect() as conn:
        return _applied(conn)


def _applied(conn: Connection) -> list[str]:
    if not inspect(conn).has_table(schema_migrations.name):
        return []
    return list(conn.execute(select(schema_migrations.c.name).order_by(schema_migrations.c.name)).scalars())


def migrate(engine: Engine, migrations: Iterable[Migration] | None = None) -> list[str]:
    """Apply every pending migration (all discovered ones by default); returns the names
    applied by this call."""
    plan = sorted(discover() if migrations is None else migrations, key=lambda m: m.name)
    done = set(applied(engine))
    # Fast path without the write lock: opening an up-to-date store must not wait for writers.
    if all(m.name in done for m in plan):
        return []
    newly: list[str] = []
    for migration in plan:
        with write_transaction(engine) as conn:
            schema_migrations.create(conn, checkfirst=True)
            # Re-check under the lock: another process may have applied it meanwhile.
            if migration.name in _applied(conn):
                continue
            migration.upgrade(conn)
            conn.execute(schema_migrations.insert().values(name=migration.name))
        newly.append(migration.name)
    return newly
