"""A document an article reprints whole, without quotation marks, is its author's words."""

from __future__ import annotations

import pytest
import spacy

from newsprism.claims.stage import ClaimsStage
from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.pipeline import Batch

INTRO = "Here is the full text of Sundar Pichai's email regarding the job cuts:"
TEXT = (
    "Google to cut 12,000 jobs\n\n"
    "Alphabet will cut 12,000 jobs, about 6% of its workforce, the company said on Friday.\n\n"
    "Here is the full text of Sundar Pichai's email regarding the job cuts:\n\n"
    "Dear Googlers, I have some difficult news to share with you.\n\n"
    "We have decided to reduce our workforce by approximately 12,000 roles.\n\n"
    "I take full responsibility for the decisions that led us here."
)


@pytest.fixture(scope="module")
def ruler_nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "PERSON", "pattern": "Sundar Pichai"}])
    return nlp


def _claims(text: str, ruler_nlp):
    article = build_article(RawDocument(text=text, source="mem://memo", format="text"))
    stage = ClaimsStage(nlp=ruler_nlp)
    return stage.run(Batch.of([article])).layer("claims").claims[article.id]


def test_the_lines_after_a_reprint_introduction_are_its_authors(ruler_nlp):
    claims = _claims(TEXT, ruler_nlp)
    memo = [c for c in claims if "approximately 12,000 roles" in c.text or "full responsibility" in c.text]
    assert memo and all(c.attribution.source == "Sundar Pichai" for c in memo)
    assert all(c.attribution.person == "pichai" and c.attribution.kind == "person" for c in memo)
    assert not any("full text" in c.text for c in claims)  # the introduction is no claim
    lead = next(c for c in claims if "about 6%" in c.text)
    assert lead.attribution.source != "Sundar Pichai"  # before the introduction: the article's own


def test_no_introduction_no_change(ruler_nlp):
    text = TEXT.replace(INTRO, "More below.")
    assert all(c.attribution.source != "Sundar Pichai" for c in _claims(text, ruler_nlp))
    # a colon line that names no document and author introduces nothing
    text = TEXT.replace(INTRO, "What we know:")
    assert all(c.attribution.is_outlet or c.attribution.source != "What" for c in _claims(text, ruler_nlp))


def test_a_body_owner_has_no_surname_key():
    from newsprism.claims.reprints import _introduction

    _, _, author = _introduction("Lead.\nRead the full statement from Boeing Company:\nWe are sorry.")
    assert author.source == "Boeing Company" and author.kind == "organisation" and author.person is None
    assert _introduction("Lead.\nThe memo went out on Monday:\nWe are sorry.") is None
