"""Named, ordered migrations.

A migration is a module in this package named ``mNNNN_<name>.py`` with a function
``upgrade(conn)``. They run in name order, each in its own transaction, and the names applied
are recorded in ``schema_migrations``; a migration never runs twice.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from types import ModuleType

from sqlalchemy import Column, DateTime, MetaData, String, Table, func, select
from sqlalchemy.engine import Connection, Engine

# Kept off the shared metadata: it must exist before any migration runs.
_bookkeeping = MetaData()
schema_migrations = Table(
    "schema_migrations",
    _bookkeeping,
    Column("name", String(200), primary_key=True),
    Column("applied_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
)


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
    with engine.connect() as conn:
        schema_migrations.create(conn, checkfirst=True)
        conn.commit()
        return list(conn.execute(select(schema_migrations.c.name).order_by(schema_migrations.c.name)).scalars())


def migrate(engine: Engine) -> list[str]:
    """Apply every pending migration; returns the names applied now."""
    done = set(applied(engine))
    newly: list[str] = []
    for migration in discover():
        if migration.name in done:
            continue
        with engine.begin() as conn:
            migration.upgrade(conn)
            conn.execute(schema_migrations.insert().values(name=migration.name))
        newly.append(migration.name)
    return newly
