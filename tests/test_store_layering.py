"""Store layering: migrations carry frozen DDL that matches the declared tables, and ``store/``
imports nothing above it."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, inspect

import newsprism.store
from newsprism.store import make_engine
from newsprism.store.meta import metadata
from newsprism.store.migrations import migrate

# Every module that declares tables on the shared metadata.
TABLE_MODULES = ("newsprism.store.tables", "newsprism.store.analyses", "newsprism.store.tokens",
                 "newsprism.store.findings", "newsprism.reuse.tables", "newsprism.stories.tables")
STORE_DIR = Path(newsprism.store.__file__).parent


def _schema(engine: Any) -> dict[str, Any]:
    insp = inspect(engine)
    out = {}
    # The search index (``store.search``) is FTS5 / tsvector DDL that table metadata cannot declare:
    # its migration's raw SQL is its only declaration.
    tables = {t for t in insp.get_table_names() if not t.startswith("search_")} - {"schema_migrations"}
    for table in sorted(tables):
        out[table] = {
            "columns": {c["name"]: (str(c["type"]), c["nullable"]) for c in insp.get_columns(table)},
            "pk": insp.get_pk_constraint(table)["constrained_columns"],
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in insp.get_indexes(table)),
            "fks": sorted((tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]),
                           (f.get("options") or {}).get("ondelete")) for f in insp.get_foreign_keys(table)),
            "unique": sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(table)),
        }
    return out


def test_migrations_create_what_the_tables_declare(tmp_path: Path) -> None:
    for name in TABLE_MODULES:
        importlib.import_module(name)
    migrated = make_engine(tmp_path / "migrated.db")
    migrate(migrated)
    declared = create_engine(f"sqlite:///{tmp_path / 'declared.db'}")
    metadata.create_all(declared)
    got, want = _schema(migrated), _schema(declared)
    assert set(got) == set(want)
    for table in want:
        assert got[table] == want[table], table


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_store_imports_nothing_above_it() -> None:
    above = {
        f"{path.relative_to(STORE_DIR)}: {name}"
        for path in STORE_DIR.rglob("*.py")
        for name in _imports(path)
        if name.startswith("newsprism.") and not name.startswith(("newsprism.store", "newsprism.model"))
    }
    assert above == set()
    migrations = [p for p in (STORE_DIR / "migrations").glob("m*.py")]
    for path in migrations:  # frozen DDL: no migration reads the live table declarations
        assert not _imports(path) & set(TABLE_MODULES), path
