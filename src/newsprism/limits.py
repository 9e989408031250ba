"""Size limits shared across stages: how much of one article the analysis reads.

Analysis cost grows with article length in every stage (sentence models, claim extraction, pairwise
alignment, the report's evidence), so one huge input could take gigabytes: a 19 MB one-line text
took 6.2 GB and 110 s to analyze and gave an 845 MB report. Analysis therefore reads at most
``ANALYSIS_MAX_CHARS`` characters of an article, cut at a sentence end, and the report says where
it stopped; the stored article keeps its whole text.

200,000 characters is about 30,000 words: some 40 times a long news article and above the longest
long-form features (~100k characters), so real reporting is never cut, while the stages stay within
a few hundred MB and the report within a few MB.
"""

from __future__ import annotations

from newsprism.model import Article, Span

ANALYSIS_MAX_CHARS = 200_000


def analysis_cut(article: Article, limit: int = ANALYSIS_MAX_CHARS) -> int | None:
    """Where analysis of ``article`` stops: the end of its last sentence within ``limit`` characters
    (or ``limit`` itself when that sentence ends before half of it); None when it is read whole."""
    if len(article.text) <= limit:
        return None
    ends = [s.end for s in article.sentences if s.end <= limit]
    if ends and max(ends) >= limit // 2:
        return max(ends)
    return limit


def analysis_view(article: Article, limit: int = ANALYSIS_MAX_CHARS) -> Article:
    """``article`` as analysis sees it: itself when short enough, else a copy holding the first
    ``analysis_cut`` characters with the sentences and paragraphs inside them. Offsets into the copy
    are offsets into the whole text, so evidence found in it points at the stored article."""
    cut = analysis_cut(article, limit)
    if cut is None:
        return article
    return article.with_updates(
        text=article.text[:cut],
        sentences=_clip(article.sentences, cut),
        paragraphs=_clip(article.paragraphs, cut),
    )


def truncation_notice(at: int, n_chars: int) -> str:
    return (f"truncated for analysis at offset {at}: analysed the first {at:,} of {n_chars:,} characters; "
            "the stored article keeps its whole text")


def _clip(spans: list[Span], cut: int) -> list[Span]:
    return [s if s.end <= cut else Span(s.start, cut) for s in spans if s.start < cut]
