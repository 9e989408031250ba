"""Shared fixtures. Data in ../shared is reached only through ``shared_dir``, which skips when absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
