"""Record formats: JSON (an object or an array of objects), JSONL and CSV, with a field mapping.

``ReadOptions.field_map`` maps our field names to input keys (``text=body``, ``title=headline``);
a dotted key reaches into nested objects (``outlet=source.name``). Unmapped fields are looked up
under the names news exports commonly use. JSONL (and CSV, in ``csv_reader``) is read record by
record so a large export streams, and a bad record costs only itself.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, BinaryIO

from newsprism.ingest.base import RawDocument, ReaderError, ReadOptions, ReadResult
from newsprism.ingest.decode import decode_bytes, guarded, read_capped

DEFAULT_KEYS: dict[str, tuple[str, ...]] = {
    "text": (
        "text",
        "body",
        "content",
        "article",
        "articleBody",
        "article_text",
        "full_text",
        "maintext",
        "story",
    ),
    "title": ("title", "headline", "name"),
    "url": ("url", "link", "href", "canonical_url"),
    "outlet": ("outlet", "source", "site", "site_name", "sitename", "publisher", "source_domain"),
    "published": (
        "published",
        "date",
        "pubDate",
        "published_at",
        "publishedAt",
        "datePublished",
        "date_publish",
        "publish_date",
        "timestamp",
    ),
    "byline": ("byline", "author", "authors", "creator"),
    "dateline": ("dateline",),
    "language": ("language", "lang", "inLanguage"),
    "external_id": ("id", "guid", "_id", "doc_id", "article_id", "uuid"),
}
# Container keys under which an exported JSON object keeps its list of articles.
_LIST_KEYS = ("articles", "items", "results", "data", "documents", "docs", "entries")


# Names a user may type for our fields in a field map ("id=guid", "date=pubDate").
FIELD_ALIASES = {
    "id": "external_id",
    "date": "published",
    "author": "byline",
    "body": "text",
    "headline": "title",
    "source": "outlet",
    "lang": "language",
    "link": "url",
}


def normalize_field_map(field_map: Mapping[str, str]) -> dict[str, str]:
    """Our field name -> input key, with aliases resolved; ``ValueError`` names an unknown field."""
    out: dict[str, str] = {}
    for name, key in field_map.items():
        field = FIELD_ALIASES.get(name, name)
        if field not in DEFAULT_KEYS:
            known = ", ".join(sorted(set(DEFAULT_KEYS) | set(FIELD_ALIASES)))
            raise ValueError(f"unknown field {name!r} in field map (known: {known})")
        out[field] = key
    return out


def _lookup(record: Mapping[str, Any], key: str) -> Any:
    value: Any = record
    for part in key.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):  # {"source": {"name": "BBC"}}, {"author": {"name": ...}}
        for key in ("name", "title", "text", "value"):
            if isinstance(value.get(key), str):
                return value[key]
        return None
    if isinstance(value, list):
        parts = [_as_text(v) for v in value]
        return ", ".join(p for p in parts if p) or None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    return None


def _as_published(value: Any) -> datetime | str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 1e11 else value  # epoch milliseconds are common in exports
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return _as_text(value)


def record_to_raw(record: Any, source: str, fmt: str, options: ReadOptions) -> RawDocument:
    """Map one input record to a ``RawDocument``; raises ``ReaderError`` when it has no text."""
    if not isinstance(record, Mapping):
        raise ReaderError(source, f"record is a JSON {type(record).__name__}, not an object")
    field_map = normalize_field_map(options.field_map) if options.field_map else {}
    fields: dict[str, Any] = {}
    for name, defaults in DEFAULT_KEYS.items():
        keys = (field_map[name],) if name in field_map else defaults
        for key in keys:
            value = _lookup(record, key)
            value = _as_published(value) if name == "published" else _as_text(value)
            if value not in (None, ""):
                fields[name] = value
                break
    text = fields.pop("text", None)
    if not text or not str(text).strip():
        wanted = field_map.get("text") or "/".join(DEFAULT_KEYS["text"][:4])
        raise ReaderError(source, f"no article text found (no non-empty '{wanted}' field)")
    return RawDocument(text=text, source=source, format=fmt, line_paragraphs=True, **fields)


def _records_of(value: Any) -> list[Any] | None:
    if isinstance(value, list):
        return value
    if isinstance(value, Mapping):
        for key in _LIST_KEYS:
            if isinstance(value.get(key), list) and all(isinstance(v, Mapping) for v in value[key][:5]):
                return value[key]
    return None


@guarded("json")
def read_json(source: str, stream: BinaryIO, options: ReadOptions) -> Iterator[ReadResult]:
    data = read_capped(stream, source, options.max_bytes)
    text = decode_bytes(data, source)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and exc.lineno > 1 and text.lstrip().startswith("{"):
            yield from read_jsonl(source, io.BytesIO(data), options)  # JSON Lines saved as .json
            return
        raise ReaderError(source, f"malformed JSON at line {exc.lineno}: {exc.msg}") from None
    records = _records_of(value)
    if records is None:
        yield record_to_raw(value, source, "json", options)
        return
    if not records:
        raise ReaderError(source, "no article text found (empty JSON array)")
    for index, record in enumerate(records):
        try:
            yield record_to_raw(record, source, "json", options)
        except ReaderError as exc:
            yield ReaderError(source, f"item {index}: {exc.reason}")


def _jsonl_line(line: bytes, where: str, lineno: int, options: ReadOptions) -> ReadResult:
    try:
        text = line.decode("utf-8-sig" if lineno == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        return ReaderError(where, f"undecodable bytes at line {lineno}: not UTF-8 ({exc.reason})")
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return ReaderError(where, f"malformed JSON at line {lineno}: {exc.msg} (column {exc.colno})")
    except RecursionError:
        return ReaderError(where, f"malformed JSON at line {lineno}: nested too deeply")
    try:
        return record_to_raw(record, where, "jsonl", options)
    except ReaderError as exc:
        return exc


@guarded("jsonl")
def read_jsonl(source: str, stream: BinaryIO, options: ReadOptions) -> Iterator[ReadResult]:
    lineno = 0
    seen = 0
    while True:
        line = stream.readline(options.max_bytes + 1)
        if not line:
            break
        lineno += 1
        where = f"{source}:{lineno}"
        if len(line) > options.max_bytes and not line.endswith(b"\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass  # skip the remainder of the oversized line
            seen += 1  # reported below, so the input is not also an "empty file"
            yield ReaderError(
                where, f"over the size cap (line {lineno} longer than {options.max_bytes} bytes)"
            )
            continue
        if not line.strip():
            continue
        seen += 1
        yield _jsonl_line(line, where, lineno, options)
    if not seen:
        raise ReaderError(source, "empty file")
