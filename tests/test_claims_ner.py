"""NER worker processes must not change what the tagger returns."""

from __future__ import annotations

import pytest

from newsprism.claims.entities import EntityTagger

pytestmark = pytest.mark.models

PEOPLE = ["Vladimir Putin", "Volodymyr Zelensky", "Kim Jong Un", "Dmitry Peskov", "Valery Gerasimov"]
PLACES = ["Kursk", "Moscow", "Kyiv", "Pyongyang", "Washington"]


def test_worker_processes_give_the_same_entities(nlp):
    sentences = [
        f"{p} spoke to reporters in {c} on Saturday about {k} drones."
        for k, (p, c) in enumerate((p, c) for p in PEOPLE for c in PLACES)
    ]
    one = EntityTagger(nlp, batch_size=8).tag(sentences)
    # 25 sentences in batches of 8: enough batches for the two worker processes to be used.
    two = EntityTagger(nlp, batch_size=8, processes=2).tag(sentences)
    assert two == one
    assert all(any(label in ("PERSON", "GPE") for _, _, label in ents) for ents in one)
