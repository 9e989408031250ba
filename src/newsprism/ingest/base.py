"""Reader contract: every reader turns one input into raw documents or per-input errors.

A reader never raises anything but ``ReaderError``; a file that holds many documents (JSONL, a
feed, a WARC) yields the good ones and one ``ReaderError`` per bad one, so a run goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO, Protocol

from newsprism.ingest.limits import MAX_DECOMPRESSED_BYTES, MAX_DOCUMENT_BYTES, MAX_EXPANSION_RATIO
from newsprism.ingest.names import escape_text


class ReaderError(Exception):
    """One input could not be read. ``source`` names the input, ``reason`` says why.

    Both are escaped (control characters, terminal escapes, undecodable bytes) because they end up
    on a terminal and in the store, and either may quote the input's own bytes.
    """

    def __init__(self, source: str, reason: str):
        source, reason = escape_text(source), escape_text(reason)
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass(slots=True)
class RawDocument:
    """What a reader found, before normalisation and inference. Fields set here count as read."""

    text: str
    source: str
    format: str
    title: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    outlet: str | None = None
    outlet_domain: str | None = None
    byline: str | None = None
    dateline: str | None = None
    published: datetime | str | None = None
    language: str | None = None
    external_id: str | None = None
    source_path: str | None = None
    # True when the body comes one paragraph per line (plain text, JSON); False for flowed text.
    line_paragraphs: bool = True
    # Per-field origin when a value is not plainly read (a WARC capture date standing in for the
    # publication date); fields not named here count as read.
    origins: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ReadOptions:
    """Options every reader accepts; a reader ignores what does not apply to it."""

    field_map: dict[str, str] = field(default_factory=dict)  # our field -> input key, e.g. text=body
    # Metadata the user gives for every document of the call (``--outlet``, ``--title``): it wins
    # over what an input says and is recorded with origin ``given``.
    given: dict[str, str] = field(default_factory=dict)
    format: str | None = None  # force a reader ("text", "html", "json", ...) instead of detecting one
    max_bytes: int = MAX_DOCUMENT_BYTES  # one document, record, line or row
    max_decompressed_bytes: int = MAX_DECOMPRESSED_BYTES  # all the content of one compressed input
    max_expansion_ratio: int = MAX_EXPANSION_RATIO  # content bytes per compressed byte (bomb guard)
    fetch_links: bool = False  # feeds: fetch each entry's linked page
    allow_private: bool = False  # URLs: allow loopback/private/link-local addresses
    timeout_s: float = 20.0
    max_redirects: int = 5
    user_agent: str = "newsprism/0.1 (+https://github.com/newsprism)"
    # host, port -> IP addresses; None uses the system resolver. Tests inject one to exercise the
    # address checks without sending traffic anywhere.
    resolver: Callable[[str, int], list[str]] | None = None


ReadResult = RawDocument | ReaderError


class Reader(Protocol):
    """A reader function: ``source`` names the input, ``stream`` is its bytes (read lazily)."""

    def __call__(self, source: str, stream: BinaryIO, options: ReadOptions) -> Iterator[ReadResult]: ...
