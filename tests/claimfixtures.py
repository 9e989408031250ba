"""Claims of one in-memory article, for tests that read what the claims stage makes of a text."""

from __future__ import annotations

from newsprism.claims.model import Claim
from newsprism.claims.stage import ClaimsStage
from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.pipeline import Batch


def claims_of(nlp, text: str) -> tuple[list[Claim], str]:
    """The claims of ``text`` as one article, and the article's canonical text."""
    art = build_article(RawDocument(text=text, source="mem://1", format="text", url="https://ex1.org/a"))
    return ClaimsStage(nlp=nlp).run(Batch.of([art])).layer("claims").all(), art.text


def with_words(claims: list[Claim], words: str) -> Claim:
    return next(c for c in claims if words in c.text)
