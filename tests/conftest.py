"""Shared fixtures. Data in ../shared is reached only through ``shared_dir``, which skips when absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI replays the same generated examples on every run, so a landing never hinges on a lucky draw;
# on a developer's machine the examples are new each run and keep finding what CI has not seen.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]


def _shared_root() -> Path:
    return Path(os.environ.get("NEWSPRISM_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    root = _shared_root()
    if not (root / "corpora").is_dir() and not (root / "data").is_dir():
        pytest.skip(f"shared data not found at {root} (set NEWSPRISM_SHARED to its path)")
    return root


@pytest.fixture(scope="session")
def kursk_dir(shared_dir: Path) -> Path:
    path = shared_dir / "corpora" / "kursk-2025-04-26"
    if not path.is_dir():
        pytest.skip(f"reference corpus not found at {path}")
    return path


@pytest.fixture(scope="session")
def embedder():
    """The default offline sentence embedder, loaded once per test session."""
    from newsprism.engines.embedder import get_embedder

    return get_embedder()


@pytest.fixture(scope="session")
def nlp():
    """The default spaCy pipeline, loaded once per test session."""
    from newsprism.engines.nlp import load_spacy

    return load_spacy()


# -- databases: every store test runs on SQLite, and on PostgreSQL when NEWSPRISM_TEST_PG_URL is set --


@pytest.fixture
def pg_url():
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    base = os.environ.get("NEWSPRISM_TEST_PG_URL")
    if not base:
        pytest.skip("NEWSPRISM_TEST_PG_URL is not set (a postgresql:// URL to a throwaway database)")
    import uuid

    import psycopg

    conninfo = base.replace("postgresql+psycopg://", "postgresql://", 1)
    schema = f"np_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    """A fresh, empty database URL on each backend (the PostgreSQL one skips without a server)."""
    if request.param == "sqlite":
        return str(tmp_path / "newsprism.db")
    return request.getfixturevalue("pg_url")
