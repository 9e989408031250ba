"""Which reader an input needs: by file extension first, by sniffing its first bytes otherwise."""

from __future__ import annotations

import csv
import gzip
import json
import re
import zlib

from newsprism.ingest.decode import sniff_binary
from newsprism.ingest.records import DEFAULT_KEYS

FORMATS = ("text", "html", "json", "jsonl", "csv", "warc", "feed")
# Longest suffix first so ".warc.gz" wins over ".gz".
_EXTENSIONS: tuple[tuple[str, str], ...] = (
    (".warc.gz", "warc"),
    (".arc.gz", "warc"),
    (".warc", "warc"),
    (".txt", "text"),
    (".text", "text"),
    (".md", "text"),
    (".html", "html"),
    (".htm", "html"),
    (".xhtml", "html"),
    (".shtml", "html"),
    (".jsonl", "jsonl"),
    (".ndjson", "jsonl"),
    (".json", "json"),
    (".csv", "csv"),
    (".rss", "feed"),
    (".atom", "feed"),
)
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.I)
_HTML_START = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<article[\s>]|<meta\s", re.I)
_KNOWN_KEYS = {key.lower() for keys in DEFAULT_KEYS.values() for key in keys}
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_ .\-]{0,40}$")


def format_from_name(path: str) -> str | None:
    name = path.lower().rsplit("/", 1)[-1]
    for suffix, fmt in _EXTENSIONS:
        if name.endswith(suffix):
            return fmt
    return None


def _gunzip_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 256)
    except zlib.error:
        try:
            return gzip.decompress(head)[:256]
        except (OSError, EOFError, zlib.error):
            return b""


def _sniff_json(text: str) -> str | None:
    stripped = text.lstrip()
    if stripped.startswith("["):
        return "json"
    if not stripped.startswith("{"):
        return None
    first, _, rest = stripped.partition("\n")
    try:
        json.loads(first)
    except ValueError:
        return "json"  # one object spread over many lines
    return "jsonl" if rest.strip().startswith("{") or not rest.strip() else "json"


def _sniff_csv(text: str) -> bool:
    """A header row of short names, one of them a field newsprism knows (text, body, title, ...)."""
    lines = text.splitlines()
    if len(lines) < 2 or "," not in lines[0]:
        return False
    try:
        header = next(csv.reader([lines[0]]))
    except csv.Error:
        return False
    names = {h.strip().lower() for h in header}
    return len(header) >= 2 and all(_IDENT.match(h.strip()) for h in header) and bool(names & _KNOWN_KEYS)


def sniff_format(head: bytes) -> str | None:
    """Guess a format from the first bytes of an input; ``None`` when it is binary."""
    if head.startswith(b"\x1f\x8b"):
        return "warc" if _gunzip_head(head).startswith(b"WARC/") else None
    if head.startswith(b"WARC/"):
        return "warc"
    if sniff_binary(head):
        return None
    sample = head[:8192]
    lead = sample.lstrip(b"\xef\xbb\xbf \t\r\n")
    if lead.startswith(b"<"):
        if _FEED_ROOT.search(sample) and not _HTML_START.search(lead[:200]):
            return "feed"
        return "html"
    text = sample.decode("utf-8", errors="ignore")
    fmt = _sniff_json(text)
    if fmt:
        return fmt
    if _HTML_START.search(sample[:1024]):
        return "html"
    if _sniff_csv(text):
        return "csv"
    return "text"


def detect_format(path: str, head_bytes: bytes) -> str | None:
    """The reader for ``path``: its extension when known, otherwise what its first bytes look like.

    ``.xml`` and unknown extensions are sniffed (an ``.xml`` file may be a feed or XHTML). Returns
    ``None`` for binary content.
    """
    by_name = format_from_name(path)
    if by_name == "text" and _HTML_START.match(head_bytes.lstrip(b"\xef\xbb\xbf \t\r\n")[:200]):
        return "html"  # a saved page named .txt
    if by_name is not None:
        return by_name
    return sniff_format(head_bytes)
