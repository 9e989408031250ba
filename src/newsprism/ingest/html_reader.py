"""HTML article pages through trafilatura (main text without navigation and boilerplate, plus metadata)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import BinaryIO

import lxml.html
import trafilatura
from lxml import etree

from newsprism.ingest.base import RawDocument, ReaderError, ReadOptions, ReadResult
from newsprism.ingest.decode import decode_bytes, guarded, read_capped
from newsprism.ingest.meta import parse_datetime

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?", re.I)
_PUBLISHED_META = re.compile(
    r"<meta\b[^>]*?\b(?:property|name|itemprop)\s*=\s*[\"']"
    r"(?:article:published_time|og:article:published_time|datePublished|pubdate|publishdate|"
    r"dc\.date\.issued|parsely-pub-date|sailthru\.date)[\"'][^>]*>",
    re.I,
)
_CONTENT_ATTR = re.compile(r"\bcontent\s*=\s*[\"']([^\"']{8,40})[\"']", re.I)
_BLOCKS = {
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "tr",
    "section",
    "article",
    "header",
    "footer",
    "figcaption",
    "dd",
    "dt",
    "ul",
    "ol",
    "table",
}


def declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None


def published_meta(html: str) -> str | None:
    """The full publication timestamp from the page's meta tags; trafilatura keeps only the day."""
    for tag in _PUBLISHED_META.finditer(html, 0, 200_000):
        content = _CONTENT_ATTR.search(tag.group(0))
        if content and parse_datetime(content.group(1)):
            return content.group(1)
    return None


def _quiet_trafilatura() -> None:
    # trafilatura logs every page it finds too short at WARNING; a batch ingest reports its own errors.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    logging.getLogger("htmldate").setLevel(logging.ERROR)


def html_to_raw(html: str, source: str, *, url: str | None = None, fmt: str = "html") -> RawDocument:
    """Extract the article from a page; raises ``ReaderError`` when it holds no article text."""
    _quiet_trafilatura()
    if len(html) > 50 and "<" not in html:
        raise ReaderError(source, "no article text found (not HTML)")
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=False,
        deduplicate=False,
    )
    text = (getattr(doc, "text", None) or "") if doc is not None else ""
    if not text.strip():
        raise ReaderError(source, "no article text found")
    title = doc.title or None
    lines = text.split("\n")
    if title and lines and lines[0].strip() == title.strip():
        text = "\n".join(lines[1:])  # the headline is the title, not the first paragraph
    lang = _HTML_LANG.search(html[:4096])
    return RawDocument(
        text=text,
        source=source,
        format=fmt,
        title=title,
        url=url or doc.url or None,
        canonical_url=doc.url or None,
        outlet=doc.sitename or None,
        byline=doc.author or None,
        published=published_meta(html) or doc.date or None,
        language=lang.group(1).lower() if lang else None,
        line_paragraphs=True,
    )


def fragment_to_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed entry's content) with one line per block element."""
    if "<" not in fragment:
        return fragment
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", fragment)
    for el in list(root.iter("script", "style")):
        el.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for el in root.iter(*_BLOCKS):
        el.tail = "\n\n" + (el.tail or "")
    return root.text_content()


@guarded("html")
def read_html(source: str, stream: BinaryIO, options: ReadOptions) -> Iterator[ReadResult]:
    data = read_capped(stream, source, options.max_bytes)
    html = decode_bytes(data, source, declared=declared_charset(data))
    yield html_to_raw(html, source)
