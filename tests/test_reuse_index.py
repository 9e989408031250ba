"""ReuseIndex over a Store: persisted signatures, incremental adds, stored pairs and passages."""

from __future__ import annotations

from newsprism.reuse.index import ReuseIndex
from newsprism.reuse.options import ReuseOptions
from newsprism.store import Store
from test_reuse import art, text

OPTS = ReuseOptions(rewrite=False)


def test_incremental_adds_find_pairs_across_batches_and_reopen(tmp_path):
    db = tmp_path / "reuse.db"
    src = art(text(range(10, 30)), "src")
    cut = art(text(range(10, 18)), "cut")
    other = art(text(range(400, 412)), "other")
    with Store.open(db) as store:
        index = ReuseIndex(store, OPTS)
        assert index.add([src, other]) == []
        pairs = index.add([cut])
        assert [(p.type, p.source) for p in pairs] == [("truncated", src.id)]
        assert index.add([cut]) == []  # already indexed
    with Store.open(db) as store:  # signatures come back from the store
        index = ReuseIndex(store, OPTS)
        assert len(index) == 3 and index.stale == 0
        copy = art(text(range(10, 30)), "copy", outlet="Elsewhere")
        pairs = index.add([copy])
        assert {p.type for p in pairs} == {"copy"}
        result = index.result()
        assert len(result.pairs) == 2
        stored = [p for p in result.pairs if p.type == "truncated"][0]
        (a0, a1), (b0, b1) = stored.passages[0]
        texts = {src.id: src.text, cut.id: cut.text}
        assert texts[stored.a][a0:a1] == texts[stored.b][b0:b1]
        assert len(result.independent_groups([src.id, cut.id, copy.id, other.id])) == 2
