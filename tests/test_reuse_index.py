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


def test_identical_copies_in_one_batch_and_revisions_by_url(tmp_path):
    with Store.open(tmp_path / "r.db") as store:
        index = ReuseIndex(store, OPTS)
        body = text(range(50, 62))
        a = art(body, "a", outlet="One")
        b = art(body, "b", outlet="Two")
        pairs = index.add([a, b])
        assert [(p.type, {p.a, p.b}) for p in pairs] == [("copy", {a.id, b.id})]
        v1 = art(text(range(70, 82)) + " Ten people were hurt.", "v1", url="https://x.example/s")
        v2 = art(text(range(70, 82)) + " Twelve people were hurt.", "v2", url="https://x.example/s")
        index.add([v1])
        (p,) = index.add([v2])
        assert p.type == "revision" and p.source == v1.id
        assert "revision of" in p.direction_reason


def test_offering_an_indexed_copy_again_adds_nothing(tmp_path):
    """An exact copy has no signature row of its own; a re-run that offers it again (ingest hands
    every committed article to the index so an interrupted run completes) finds its stored pair."""
    with Store.open(tmp_path / "r.db") as store:
        body = text(range(90, 102))
        a = art(body, "a", outlet="One")
        b = art(body, "b", outlet="Two")
        assert len(ReuseIndex(store, OPTS).add([a, b])) == 1
        assert ReuseIndex(store, OPTS).add([a, b]) == []
        assert ReuseIndex(store, OPTS).add([b]) == []


def test_signatures_from_older_fingerprints_are_refreshed_on_open(tmp_path):
    from sqlalchemy import select, update

    from newsprism.reuse.tables import reuse_signatures

    db = tmp_path / "reuse.db"
    src, other = art(text(range(10, 30)), "src"), art(text(range(400, 412)), "other")
    with Store.open(db) as store:
        ReuseIndex(store, OPTS).add([src, other])
        with store.transaction() as conn:  # as an older version (another word hash) left them
            conn.execute(update(reuse_signatures).values(params="hash=1", index_keys=b""))
    with Store.open(db) as store:
        index = ReuseIndex(store, OPTS)
        assert index.stale == 2
        with store.engine.connect() as conn:
            rows = conn.execute(select(reuse_signatures.c.params, reuse_signatures.c.index_keys)).all()
        assert {r.params for r in rows} == {index.params} and all(r.index_keys for r in rows)
        pairs = index.add([art(text(range(10, 18)), "cut")])
        assert [(p.type, p.source) for p in pairs] == [("truncated", src.id)]
    with Store.open(db) as store:
        assert ReuseIndex(store, OPTS).stale == 0
