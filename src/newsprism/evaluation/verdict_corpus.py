"""The articles behind a verdict gold story, and each article's gold sentence list.

ECB+ articles are read from ``ecbplus_docs.jsonl`` (their ``sentences`` field is the gold's sentence
list); demo articles from the bundled corpus (their sentences as newsprism splits them). Articles are
built the way ``newsprism ingest`` builds text input, so the evaluation runs the product's own path.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from newsprism.evaluation.verdict_gold import GoldStory
from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.model import Article


@dataclass(frozen=True, slots=True)
class GoldArticle:
    gold_id: str
    article: Article
    sentences: tuple[str, ...]


def read_ecbplus(path: Path) -> dict[str, dict]:
    docs = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                doc = json.loads(line)
                docs[doc["id"]] = doc
    return docs


# ECB+ texts are rebuilt from the corpus tokens, which leaves spaces no page printed: "2, 000 feet",
# "magnitude 6. 1", "7: 38pm", "U. S.", "p. m.", "hadn’ t". Undoing them restores what the outlets
# wrote (the gold's sentence numbers are unchanged: each sentence is repaired on its own).
_DETOKENISE = (
    (re.compile(r"(?<![\d,.])(\d{1,3}), (?=\d{3}(?!\d))"), r"\1,"),
    (re.compile(r"(\d)\. (?=\d)"), r"\1."),
    (re.compile(r"(\d): (?=\d\d)"), r"\1:"),
    (re.compile(r"\b([A-Za-z])\. (?=[A-Za-z]\.)"), r"\1."),
    (re.compile(r"(\w)([’']) (?=(?:s|t|ll|re|ve|d|m)\b)"), r"\1\2"),
)


def detokenise(sentence: str) -> str:
    for pattern, repl in _DETOKENISE:
        sentence = pattern.sub(repl, sentence)
    return sentence


def _ecb_article(doc: dict) -> Article:
    # ECB+ documents without a URL (the older half) get one of their own so each counts as an outlet.
    url = doc.get("url") or f"https://ecb-{doc['id'].replace('_', '-')}.example/{doc['id']}"
    # One corpus sentence a line, as the page laid them out: ``text`` runs the headline, the time
    # stamp and the lead together ("... dies at 91 June 6, 2013 Esther Williams ..."), which no
    # real page does.
    text = "\n".join(detokenise(x) for x in doc["sentences"])
    return build_article(RawDocument(text=text, source=doc["id"], format="text", url=url))


def demo_articles() -> dict[str, GoldArticle]:
    from newsprism.demo import corpus_files
    from newsprism.ingest import iter_inputs

    out = {}
    with corpus_files() as paths:
        for path in paths:
            item = next(iter_inputs([str(path)]))
            if isinstance(item, Article):
                out[path.stem] = GoldArticle(path.stem, item, tuple(item.sentence_texts()))
    return out


def story_articles(story: GoldStory, ecbplus: dict[str, dict] | None) -> dict[str, GoldArticle]:
    """gold article id -> its article and sentences; ids the corpus lacks are left out."""
    if story.corpus == "demo":
        pool = demo_articles()
        return {a: pool[a] for a in story.articles if a in pool}
    if ecbplus is None:
        raise ValueError(f"story {story.story} needs the ECB+ documents (--data)")
    return {
        a: GoldArticle(a, _ecb_article(ecbplus[a]), tuple(detokenise(x) for x in ecbplus[a]["sentences"]))
        for a in story.articles
        if a in ecbplus
    }
