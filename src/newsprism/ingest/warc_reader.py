"""WARC and WARC.gz archives (warcio): each HTML ``response`` record is one page.

The record's target URI is the page URL, and its WARC-Date is the capture time, used as the
published date only when the page itself gives none.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newsprism.ingest.base import ReaderError, ReadOptions, ReadResult
from newsprism.ingest.decode import decode_bytes, guarded
from newsprism.ingest.html_reader import declared_charset, html_to_raw
from newsprism.ingest.meta import parse_datetime

WARC_DATE_ORIGIN = "inferred:warc-date"  # capture time, not publication time
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


def _record_result(record, source: str, options: ReadOptions) -> ReadResult | None:  # noqa: ANN001
    if record.rec_type != "response" or record.http_headers is None:
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    if not content_type.lower().startswith(_HTML_TYPES):
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or None
    status = record.http_headers.get_statuscode()
    if status and not status.startswith("2"):
        return None  # redirects and error pages are not articles
    body = record.content_stream().read(options.max_bytes + 1)
    if len(body) > options.max_bytes:
        return ReaderError(
            source, f"record {uri}: over the size cap (body larger than {options.max_bytes} bytes)"
        )
    try:
        html = decode_bytes(body, source, declared=_charset(content_type) or declared_charset(body))
        raw = html_to_raw(html, source, url=uri, fmt="warc")
    except ReaderError as exc:
        return ReaderError(source, f"record {uri}: {exc.reason}")
    if raw.published is None:
        warc_date = record.rec_headers.get_header("WARC-Date")
        if warc_date:
            raw.published = parse_datetime(warc_date)
            raw.origins["published"] = WARC_DATE_ORIGIN
    return raw


@guarded("warc")
def read_warc(source: str, stream: BinaryIO, options: ReadOptions) -> Iterator[ReadResult]:
    found = 0
    try:
        for record in ArchiveIterator(stream):
            result = _record_result(record, source, options)
            if result is not None:
                found += 1
                yield result
    except ArchiveLoadFailed as exc:
        raise ReaderError(source, f"malformed WARC: {exc}"[:300]) from None
    if not found:
        raise ReaderError(source, "no article text found (no HTML response records)")
