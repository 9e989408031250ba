"""RSS and Atom feeds (feedparser): one document per entry, from its content or summary.

With ``fetch_links`` each entry's linked page is fetched through the URL reader (with all of its
address checks) and the page's article replaces the feed's usually shortened text; when the fetch
fails, or the link is not an article page (another feed), the error is reported and the entry's own
text is kept.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, BinaryIO

import feedparser

from newsprism.ingest.base import RawDocument, ReaderError, ReadOptions, ReadResult
from newsprism.ingest.decode import guarded, read_capped, sniff_binary
from newsprism.ingest.html_reader import fragment_to_text
from newsprism.ingest.url_reader import PAGE_TYPES, fetch, read_page


def _entry_text(entry: Any) -> str:
    contents = entry.get("content") or []
    html = max((c.get("value") or "" for c in contents), key=len, default="")
    if not html.strip():
        html = entry.get("summary") or entry.get("description") or ""
    return fragment_to_text(html)


def _entry_date(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        # dict.get: FeedParserDict.get maps a missing published_parsed to updated_parsed with a warning.
        parsed = dict.get(entry, key)
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _entry_raw(entry: Any, source: str, outlet: str | None) -> RawDocument:
    return RawDocument(
        text=_entry_text(entry),
        source=source,
        format="feed",
        title=entry.get("title") or None,
        url=entry.get("link") or None,
        outlet=outlet,
        byline=entry.get("author") or None,
        published=_entry_date(entry),
        external_id=entry.get("id") or None,
        line_paragraphs=True,
    )


def _linked_page(url: str, options: ReadOptions) -> ReadResult:
    try:
        page = fetch(url, options)
    except ReaderError as exc:
        return exc
    if page.content_type not in PAGE_TYPES:
        # A link to another feed is not the entry's article; following it could also loop.
        return ReaderError(url, f"linked page is not an article page ({page.content_type})")
    return read_page(url, page)


def _fetched(raw: RawDocument, options: ReadOptions) -> Iterator[ReadResult]:
    result = _linked_page(raw.url or "", options)
    if isinstance(result, RawDocument):
        # The feed's metadata is the publisher's own; the page fills what the feed lacks.
        for name in ("title", "outlet", "byline", "published", "external_id"):
            if getattr(raw, name) is not None:
                setattr(result, name, getattr(raw, name))
        result.format = "feed"
        result.url = raw.url
        yield result
        return
    yield result
    if raw.text.strip():
        yield raw


def parse_feed(source: str, data: bytes, options: ReadOptions) -> Iterator[ReadResult]:
    binary = sniff_binary(data[:4096])
    if binary:
        raise ReaderError(source, f"binary file ({binary})")
    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo") and not parsed.get("feed"):
            raise ReaderError(source, f"not a feed: {parsed.get('bozo_exception')}"[:300])
        raise ReaderError(source, "feed without entries")
    feed = parsed.get("feed") or {}
    outlet = feed.get("title") or None
    for index, entry in enumerate(entries):
        raw = _entry_raw(entry, source, outlet)
        if options.fetch_links and raw.url:
            yield from _fetched(raw, options)
        elif raw.text.strip():
            yield raw
        else:
            yield ReaderError(
                source, f"entry {index} ({raw.url or raw.title or 'untitled'}): no article text found"
            )


@guarded("feed")
def read_feed(source: str, stream: BinaryIO, options: ReadOptions) -> Iterator[ReadResult]:
    yield from parse_feed(source, read_capped(stream, source, options.max_bytes), options)
