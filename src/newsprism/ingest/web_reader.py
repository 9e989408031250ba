"""Reading a URL as the page, feed or text it turns out to be.

``url_reader`` fetches (with its address checks) and reads article pages; feeds go to
``feed_reader``, whose entries' linked pages are fetched and read by ``url_reader`` too, so neither
reader imports the other.
"""

from __future__ import annotations

from collections.abc import Iterator

from newsprism.ingest.base import ReaderError, ReadOptions, ReadResult
from newsprism.ingest.feed_reader import parse_feed
from newsprism.ingest.url_reader import PAGE_TYPES, Fetched, fetch, read_page, unreadable


def read_url(url: str, options: ReadOptions) -> Iterator[ReadResult]:
    """Fetch a URL and read it as the page, feed or text it turns out to be."""
    try:
        page = fetch(url, options)
    except ReaderError as exc:
        yield exc
        return
    yield from read_fetched(url, page, options)


def read_fetched(url: str, page: Fetched, options: ReadOptions) -> Iterator[ReadResult]:
    """Read a fetched page as the page, feed or text it turns out to be."""
    if page.content_type in PAGE_TYPES:
        yield read_page(url, page)
        return
    try:
        yield from parse_feed(url, page.body, options)
    except ReaderError as exc:
        yield exc
    except Exception as exc:  # noqa: BLE001 - a reader must turn every failure into a ReaderError
        yield unreadable(url, exc)
