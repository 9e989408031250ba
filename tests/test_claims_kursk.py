"""The reference case end to end with the real models: claims -> alignment -> verdicts."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from newsprism.align.stage import AlignStage
from newsprism.claims.stage import ClaimsStage
from newsprism.engines.embedder import SentenceTransformerEmbedder, quantize_int8
from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.pipeline import Batch
from newsprism.verdicts.stage import VerdictsStage

pytestmark = pytest.mark.models


class OneStory:
    def __init__(self, ids):
        self.story_of = {a: "kursk" for a in ids}


@pytest.fixture(scope="module", params=["full", "int8"])
def kursk(request, kursk_dir: Path, nlp, embedder):
    """The reference case with the default embedder and with its int8-quantised copy (the option
    must not change what the reference case reports)."""
    if request.param == "int8":
        embedder = SentenceTransformerEmbedder(
            name=f"{embedder.name}+int8", model=quantize_int8(copy.deepcopy(embedder.model))
        )
    paths = sorted(kursk_dir.glob("*.txt"))
    arts = [
        build_article(RawDocument(text=p.read_text(encoding="utf-8"), source=str(p), format="text"))
        for p in paths
    ]
    label = {a.id: p.name[:3] for a, p in zip(arts, paths, strict=True)}
    batch = Batch.of(arts).with_layer("stories", OneStory([a.id for a in arts]))
    batch = ClaimsStage(nlp=nlp).run(batch)
    batch = AlignStage(embedder=embedder).run(batch)
    batch = VerdictsStage().run(batch)
    return arts, label, batch.layer("verdicts").to_dict()


def test_troop_count_conflict(kursk):
    _, label, v = kursk
    numeric = [c for c in v["conflicts"] if c["type"] == "numeric"]
    troop = [c for c in numeric if c["slot"] == "troop"]
    assert len(troop) == 1
    sides = {tuple(sorted(label[a] for a in s["article_ids"])) for s in troop[0]["values"]}
    assert sides == {("004",), ("000", "001", "002", "003")}
    (lone,) = [s for s in troop[0]["values"] if len(s["article_ids"]) == 1]
    assert "14,000" in lone["value"]


def test_no_false_numeric_conflicts(kursk):
    _, _, v = kursk
    numeric = [c for c in v["conflicts"] if c["type"] == "numeric"]
    assert [c["slot"] for c in numeric] == ["troop"]


def test_kursk_expulsion_is_an_actor_dispute_reported_by_all(kursk):
    _, label, v = kursk
    disputes = [d for d in v["actor_disputes"] if {s["actor"] for s in d["sides"]} >= {"Russia", "Ukraine"}]
    assert disputes
    best = max(disputes, key=lambda d: len(d["article_ids"]))
    by_actor = {s["actor"]: sorted(label[a] for a in s["article_ids"]) for s in best["sides"]}
    assert by_actor["Russia"] == ["000", "001", "002", "003", "004"]
    assert by_actor["Ukraine"] == ["000", "001", "002", "003", "004"]
    assert not any(c["type"] == "polarity" and "Kursk" in c["text"] for c in v["conflicts"])


def test_every_verdict_carries_evidence(kursk):
    arts, _, v = kursk
    texts = {a.id: a.text for a in arts}
    for section in ("fact_sheet", "conflicts", "actor_disputes", "single_source"):
        for item in v[section]:
            assert item["evidence"]
            for e in item["evidence"]:
                assert texts[e["article_id"]][e["span"][0] : e["span"][1]] == e["text"]
    assert v["independence"] == "articles"
