"""Plain text, optionally led by a ``Key: value`` header block.

The header is the run of lines before the first blank line, and only when every one of them is a
recognised key (Title/Headline, Outlet/Source/Publisher/Site, URL/Link, Date/Published,
Byline/Author, Dateline, Language/Lang); otherwise the lines are
article text, so a body that happens to start with "Note: ..." is never eaten.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from newsprism.ingest.base import RawDocument, ReadOptions, ReadResult
from newsprism.ingest.decode import decode_bytes, guarded, read_capped

HEADER_KEYS = {
    "title": "title",
    "headline": "title",
    "outlet": "outlet",
    "source": "outlet",
    "publisher": "outlet",
    "site": "outlet",
    "url": "url",
    "link": "url",
    "date": "published",
    "published": "published",
    "byline": "byline",
    "author": "byline",
    "dateline": "dateline",
    "language": "language",
    "lang": "language",
}
_HEADER_LINE = re.compile(r"^\s*([A-Za-z]+)\s*:\s*(.*?)\s*$")


def split_header(text: str) -> tuple[dict[str, str], str]:
    """``(fields, body)``: the recognised header fields (our names) and the text after the header."""
    head, sep, body = text.lstrip("\ufeff").partition("\n\n")
    lines = head.split("\n")
    if not sep:
        return {}, text
    fields: dict[str, str] = {}
    for line in lines:
        m = _HEADER_LINE.match(line)
        if not m or m.group(1).lower() not in HEADER_KEYS:
            return {}, text
        if m.group(2):
            fields[HEADER_KEYS[m.group(1).lower()]] = m.group(2)
    return fields, body


def raw_from_text(text: str, source: str, fmt: str = "text") -> RawDocument:
    fields, body = split_header(text.replace("\r\n", "\n"))
    return RawDocument(text=body, source=source, format=fmt, **fields)


@guarded("text")
def read_text(source: str, stream: BinaryIO, options: ReadOptions) -> Iterator[ReadResult]:
    data = read_capped(stream, source, options.max_bytes)
    yield raw_from_text(decode_bytes(data, source), source)
