"""WARC and WARC.gz archives (warcio): each HTML ``response`` record is one page.

The record's target URI is the page URL, and its WARC-Date is the capture time, used as the
published date only when the page itself gives none.

An archive is hostile input like any other, so warcio is given bounded work: the gzip layer is
decompressed here within the input's budget (warcio's own would expand a bomb without limit),
header lines and header blocks are capped (warcio reads a header line whole, however long), record
bodies are capped at ``max_bytes``, and HTTP content encodings are inflated here with the same cap.
A record that is truncated, or whose Content-Length does not match, is reported and not stored:
a shorter copy of a stored page would otherwise become its "revision". warcio's own stderr
warnings are replaced by that one error line per bad record.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader, ChunkedDataReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.utils import BUFF_SIZE

from newsprism.ingest.base import ReaderError, ReadOptions, ReadResult
from newsprism.ingest.compressed import GZIP_MAGIC, gunzip, inflate_capped
from newsprism.ingest.decode import decode_bytes, guarded, prepend
from newsprism.ingest.html_reader import declared_charset, html_to_raw
from newsprism.ingest.limits import MAX_HEADER_BYTES, MAX_HEADER_LINE_BYTES
from newsprism.ingest.meta import parse_datetime

WARC_DATE_ORIGIN = "inferred:warc-date"  # capture time, not publication time
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_INFLATE = ("gzip", "x-gzip", "deflate")


class _HeaderTooLong(Exception):
    """A WARC or HTTP header line or block over its cap: the archive is not read further."""


def _readline(stream: Any, limit: int) -> bytes:
    """A line of at most ``limit`` bytes (warcio's ``readline(n)`` may stop short of a newline)."""
    parts: list[bytes] = []
    got = 0
    while got < limit:
        piece = stream.readline(limit - got)
        if not piece:
            break
        parts.append(piece)
        got += len(piece)
        if piece.endswith(b"\n"):
            break
    return b"".join(parts)


class _HeaderBudget:
    """What a header parser reads from: lines of at most MAX_HEADER_LINE_BYTES, MAX_HEADER_BYTES in all."""

    def __init__(self, stream: Any):
        self._stream = stream
        self._left = MAX_HEADER_BYTES

    def readline(self, length: int | None = None) -> bytes:
        cap = min(MAX_HEADER_LINE_BYTES, self._left) + 1
        line = _readline(self._stream, cap if length is None else min(length, cap))
        self._left -= len(line)
        if len(line) == cap and not line.endswith(b"\n"):
            raise _HeaderTooLong(
                f"header line longer than {MAX_HEADER_LINE_BYTES} bytes"
                if cap > MAX_HEADER_LINE_BYTES
                else f"header block larger than {MAX_HEADER_BYTES} bytes"
            )
        return line


class _CappedParser:
    """A warcio header parser that reads through a ``_HeaderBudget``."""

    def __init__(self, parser: Any):
        self._parser = parser

    def parse(self, stream: Any, statusline: Any = None) -> Any:
        return self._parser.parse(_HeaderBudget(stream), statusline)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._parser, name)


class _ShortReads:
    """A stream whose ``read`` returns what one step gives (warcio handles short reads), so the
    records before a truncated gzip member are read before the truncation error surfaces."""

    def __init__(self, stream: io.BufferedReader):
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        return self._stream.read1(size if size and size > 0 else BUFF_SIZE)


class _Archive(ArchiveIterator):
    """warcio's iterator with capped header reads and no stderr output.

    ``misaligned`` is set when a record is not followed by its blank lines (warcio prints a
    three-line warning for this to stderr instead): its Content-Length did not match its body.
    """

    def __init__(self, stream: io.BufferedReader):
        super().__init__(_ShortReads(stream))
        # The gzip layer is already undone within the input's budget; warcio's reader would
        # inflate a second gzip layer without one.
        self.reader = BufferedReader(self.fh, block_size=BUFF_SIZE)
        loader = self.loader
        for attr in ("warc_parser", "http_parser", "http_req_parser", "arc_parser"):
            setattr(loader, attr, _CappedParser(getattr(loader, attr)))
        self.misaligned = False

    def _consume_blanklines(self) -> tuple[bytes | None, int]:
        # warcio's version with capped line reads, and a flag instead of its stderr warning
        empty_size = 0
        first_line = True
        while True:
            line = _readline(self.reader, MAX_HEADER_LINE_BYTES + 1)
            if not line:
                return None, empty_size
            if line.strip() and not first_line:  # the next record's first line
                if len(line) > MAX_HEADER_LINE_BYTES:
                    raise _HeaderTooLong(f"line between records longer than {MAX_HEADER_LINE_BYTES} bytes")
                return line, empty_size
            if line.strip():  # the rest of a record whose Content-Length was short, however long
                self.misaligned = True
            empty_size += len(line)
            if line.endswith(b"\n"):  # pieces of one long first line all count as that line
                first_line = False


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


def _payload(record: Any, source: str, limit: int) -> bytes:
    """The HTTP body of a record, de-chunked and inflated here, at most ``limit`` bytes."""
    stream = record.raw_stream
    headers = record.http_headers
    if (headers.get_header("Transfer-Encoding") or "").lower() == "chunked":
        stream = ChunkedDataReader(stream)  # no decomp_type: warcio's inflater has no output cap
    encoding = (headers.get_header("Content-Encoding") or "identity").strip().lower()
    if encoding in _INFLATE:
        return inflate_capped(iter(lambda: stream.read(BUFF_SIZE), b""), encoding, limit, source)
    if encoding != "identity":
        raise ReaderError(source, f"unsupported content encoding {encoding!r}")
    body = stream.read(limit + 1)
    if len(body) > limit:
        raise ReaderError(source, f"over the size cap (body larger than {limit} bytes)")
    return body


def _record_result(record: Any, source: str, options: ReadOptions) -> ReadResult | None:
    if record.rec_type != "response" or record.http_headers is None:
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    if not content_type.lower().startswith(_HTML_TYPES):
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or None
    status = record.http_headers.get_statuscode()
    if status and not status.startswith("2"):
        return None  # redirects and error pages are not articles
    try:
        body = _payload(record, source, options.max_bytes)
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


def _finish(archive: _Archive, record: Any) -> str | None:
    """Read the rest of ``record``; what is wrong with its framing, or ``None``."""
    archive.misaligned = False
    raw = record.raw_stream
    while raw.read(BUFF_SIZE):
        pass
    if record.length is None:
        return "no Content-Length"
    left = getattr(raw, "limit", 0)
    if left > 0:
        return f"truncated: {record.length - left} of {record.length} bytes (Content-Length) present"
    archive.read_to_end()
    if archive.misaligned:
        return "Content-Length does not match the record (no blank line after it)"
    return None


def _records(source: str, stream: BinaryIO, options: ReadOptions) -> Iterator[ReadResult]:
    archive = _Archive(stream)
    for record in archive:
        result = _record_result(record, source, options)
        problem = _finish(archive, record)
        if problem:
            uri = record.rec_headers.get_header("WARC-Target-URI") or record.rec_type
            yield ReaderError(source, f"record {uri}: {problem}")
        elif result is not None:
            yield result


@guarded("warc")
def read_warc(source: str, stream: BinaryIO, options: ReadOptions) -> Iterator[ReadResult]:
    logging.getLogger("warcio").setLevel(logging.ERROR)  # its per-record warnings are not one line
    head = stream.read(2)
    stream = prepend(head, stream)
    if head == GZIP_MAGIC:
        stream = gunzip(stream, source, options)
    found = 0
    try:
        for result in _records(source, stream, options):
            found += 1
            yield result
    except ArchiveLoadFailed as exc:
        raise ReaderError(source, f"malformed WARC: {' '.join(str(exc).split())}"[:300]) from None
    except _HeaderTooLong as exc:
        raise ReaderError(source, f"malformed WARC: {exc}") from None
    if not found:
        raise ReaderError(source, "no article text found (no HTML response records)")
