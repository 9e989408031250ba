"""Analysing stored stories finds paraphrased rewrites as the batch path does: one count everywhere."""

from __future__ import annotations

import pytest

from newsprism import api
from newsprism.store import Store
from newsprism.stories.queries import list_stories

pytestmark = pytest.mark.models


def test_stored_analysis_counts_a_rewrite_as_a_copy_like_the_batch_path(kursk_dir, tmp_path):
    paths = [str(p) for p in sorted(kursk_dir.glob("*.txt"))]
    batch = api.analyze(paths)
    db = tmp_path / "k.db"
    api.ingest(paths, db)  # ingest's index finds shared text; the rewrite shares meaning only
    with Store.open(db) as store:
        (before,), _ = list_stories(store)
    stored = api.analyze_stored(db)
    with Store.open(db) as store:
        (after,), _ = list_stories(store)
    pair_types = sorted(p["type"] for p in stored["reuse"]["pairs"])
    assert "rewrite" in pair_types and pair_types == sorted(p["type"] for p in batch["reuse"]["pairs"])
    counts = [s["n_independent_sources"] for s in stored["stories"]["stories"]]
    assert counts == [s["n_independent_sources"] for s in batch["stories"]["stories"]]
    assert before["n_independent_sources"] > after["n_independent_sources"] == counts[0]
    assert stored["verdicts"]["counts"] == batch["verdicts"]["counts"]
