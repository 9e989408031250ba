"""The reference corpus: five plain-text reports of 26 April 2025, read with nothing but their text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from newsprism.ingest import ReaderError, ReadOptions, iter_inputs
from newsprism.model import Article


def test_kursk_corpus_metadata(kursk_dir: Path) -> None:
    results = list(iter_inputs([str(kursk_dir)], ReadOptions()))
    assert not [r for r in results if isinstance(r, ReaderError)]
    articles = {Path(a.source_path).name[:3]: a for a in results if isinstance(a, Article)}
    assert len(articles) == 5

    datelines = {key: a.dateline for key, a in articles.items() if a.dateline}
    assert sorted(set(datelines.values())) == ["KYIV", "KYIV, Ukraine", "ROME"]
    assert all(articles[k].origins["dateline"] == "inferred:dateline" for k in datelines)

    dated = [a for a in articles.values() if a.published is not None]
    assert len(dated) == 1  # only the caption-led report carries a date
    (caption_led,) = dated
    assert caption_led.published.date() == date(2025, 4, 26)
    assert caption_led.origins["published"] == "inferred:caption"
    assert caption_led.text.lstrip().startswith("date 2025-04-26")
    assert caption_led.outlet is None  # "Kremlin Pool Photo via AP" is a photo credit, not the publisher

    post = articles["004"]
    assert post.outlet == "New York Post" and post.origins["outlet"] == "inferred:credit"
    assert [a.outlet for k, a in articles.items() if k != "004"] == [None] * 4

    for article in articles.values():
        assert article.sentences and article.paragraphs
        assert all(
            any(p.start <= s.start and s.end <= p.end for p in article.paragraphs) for s in article.sentences
        )
    assert len({a.id for a in articles.values()}) == 5
