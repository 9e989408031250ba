"""The reference case: five real reports. Nothing here is special-cased in the code."""

from __future__ import annotations

import pytest

from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.reuse.options import ReuseOptions
from newsprism.reuse.stage import analyze


@pytest.fixture(scope="module")
def kursk(kursk_dir):
    paths = sorted(p for p in kursk_dir.iterdir() if p.suffix == ".txt")
    return [build_article(RawDocument(text=p.read_text(), source=str(p), format="text")) for p in paths]


def _pair(result, x, y):
    for p in result.pairs:
        if {p.a, p.b} == {x.id, y.id}:
            return p
    return None


def test_wire_versions_and_merge_without_embeddings(kursk):
    a000, a001, a002, _a003, a004 = kursk
    result = analyze(kursk, ReuseOptions(rewrite=False))
    rev = _pair(result, a000, a001)
    assert rev is not None and rev.type == "revision"
    assert rev.source == a001.id, rev.direction_reason  # 000 corrects 001's line on a second meeting
    assert rev.diff and rev.diff["counts"]["changed"] + rev.diff["counts"]["added"] > 0
    for src in (a000, a001):
        p = _pair(result, src, a002)
        assert p is not None and p.derived == a002.id
    assert all(a004.id not in (p.a, p.b) for p in result.pairs)


@pytest.mark.models
def test_groups_with_rewrite(kursk, embedder):
    a000, a001, a002, a003, a004 = kursk
    result = analyze(kursk, ReuseOptions(), embedder)
    groups = sorted(sorted(g) for g in result.independent_groups([a.id for a in kursk]))
    assert groups == sorted([sorted([a000.id, a001.id, a002.id, a003.id]), [a004.id]])
    assert any(p.type == "rewrite" and a003.id in (p.a, p.b) for p in result.pairs)
    origin = result.groups[[g.id for g in result.groups].index(result.group_of[a000.id])].origin
    assert origin == a001.id
