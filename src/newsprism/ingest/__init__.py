"""Ingest: files, folders, URLs, object storage and stdin -> ``Article``s, one ``ReaderError`` per
input that fails.

``iter_inputs`` streams: folders are walked lazily, record files are read record by record, and
every article is built as soon as it is read, so a caller can store them in batches.
"""

from __future__ import annotations

import sys
import zlib
from collections.abc import Iterator

from newsprism.ingest.base import RawDocument, Reader, ReaderError, ReadOptions, ReadResult
from newsprism.ingest.build import build_article
from newsprism.ingest.compressed import GZIP_MAGIC, gunzip
from newsprism.ingest.csv_reader import read_csv
from newsprism.ingest.decode import prepend, sniff_binary
from newsprism.ingest.detect import FORMATS, detect_format
from newsprism.ingest.feed_reader import read_feed
from newsprism.ingest.files import NOT_REGULAR, LocalFile, NotRegularFile, expand_path, open_regular
from newsprism.ingest.html_reader import read_html
from newsprism.ingest.names import display_path
from newsprism.ingest.objects import (
    INPUT_SCHEMES,
    OBJECT_SCHEMES,
    ObjectFile,
    expand_object,
    open_object,
    scheme_of,
)
from newsprism.ingest.records import normalize_field_map, read_json, read_jsonl
from newsprism.ingest.text_reader import read_text
from newsprism.ingest.warc_reader import read_warc
from newsprism.ingest.web_reader import read_url
from newsprism.model import Article, Origin

__all__ = [
    "FORMATS",
    "READERS",
    "RawDocument",
    "ReadOptions",
    "ReaderError",
    "build_article",
    "build_result",
    "detect_format",
    "expand_inputs",
    "iter_inputs",
    "normalize_field_map",
    "read_input",
]

READERS: dict[str, Reader] = {
    "text": read_text,
    "html": read_html,
    "json": read_json,
    "jsonl": read_jsonl,
    "csv": read_csv,
    "warc": read_warc,
    "feed": read_feed,
}
SNIFF_BYTES = 8192


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def expand_inputs(inputs: list[str]) -> Iterator[str | LocalFile | ObjectFile | ReaderError]:
    """Each input as a readable source: URLs and ``-`` as given, folders as the files under them,
    object-storage prefixes and globs as the objects they name."""
    for item in inputs:
        scheme = scheme_of(item)
        if item == "-" or is_url(item):
            yield item
        elif scheme is None:
            yield from expand_path(item)
        elif scheme in OBJECT_SCHEMES:
            yield from expand_object(item)
        else:
            yield ReaderError(item, f"unknown scheme {scheme!r} (known: {', '.join(INPUT_SCHEMES)})")


def _read_stream(  # noqa: ANN001 - a binary file object or pipe
    source: str, stream, options: ReadOptions, inner_name: str | None = None
) -> Iterator[ReadResult]:
    """Sniff and read one stream; ``inner_name`` is set when reading inside a gzip file."""
    try:
        head = stream.read(SNIFF_BYTES)
    except ReaderError as exc:  # a gzip stream that is corrupt or over its budget from the start
        yield exc
        return
    except (OSError, EOFError, zlib.error) as exc:
        yield ReaderError(source, f"cannot read: {exc}")
        return
    if not head.strip():
        yield ReaderError(source, "empty file")
        return
    name = ("" if source == "-" else source) if inner_name is None else inner_name
    fmt = options.format or detect_format(name, head)
    if head.startswith(GZIP_MAGIC) and fmt != "warc" and inner_name is None:
        # news dumps often come as .jsonl.gz / .csv.gz: read the content inside, within its budget
        inner = gunzip(prepend(head, stream), source, options)
        yield from _read_stream(
            source, inner, options, inner_name=name.removesuffix(".gz").removesuffix(".GZ")
        )
        return
    if fmt is None:
        yield ReaderError(source, f"binary file ({sniff_binary(head) or 'not text'})")
        return
    if fmt not in READERS:
        yield ReaderError(source, f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
        return
    yield from READERS[fmt](source, prepend(head, stream), options)


def read_input(source: str | LocalFile | ObjectFile, options: ReadOptions) -> Iterator[ReadResult]:
    """Raw documents (or errors) from one file path, URL, object or ``-`` (stdin)."""
    if isinstance(source, str) and is_url(source):
        yield from read_url(source, options)
        return
    if isinstance(source, ObjectFile):
        yield from _read_object(source, options)
        return
    if source == "-":
        yield from _read_stream(source, sys.stdin.buffer, options)
        return
    if isinstance(source, str):
        source = LocalFile(source, display_path(source))
    try:
        stream = open_regular(source.path)
    except NotRegularFile:
        yield ReaderError(source.name, NOT_REGULAR)
        return
    except OSError as exc:
        yield ReaderError(source.name, f"cannot open: {exc.strerror or exc}")
        return
    with stream:
        yield from _read_stream(source.name, stream, options)


def _read_object(source: ObjectFile, options: ReadOptions) -> Iterator[ReadResult]:
    try:
        stream = open_object(source)
    except ReaderError as exc:
        yield exc
        return
    with stream:
        yield from _read_stream(source.uri, stream, options)


def build_result(raw: RawDocument, given: dict[str, str]) -> Article | ReaderError:
    for name, value in given.items():
        setattr(raw, name, value)
        raw.origins[name] = Origin.GIVEN.value
    try:
        return build_article(raw)
    except ReaderError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - one odd document must not end the run
        return ReaderError(raw.source, f"could not build article: {type(exc).__name__}: {exc}"[:300])


def iter_inputs(inputs: list[str], options: ReadOptions | None = None) -> Iterator[Article | ReaderError]:
    """Every article in ``inputs`` (files, folders, URLs, object storage, ``-``), or a ``ReaderError``
    saying why not."""
    options = options or ReadOptions()
    for source in expand_inputs(inputs):
        if isinstance(source, ReaderError):
            yield source
            continue
        for result in read_input(source, options):
            yield build_result(result, options.given) if isinstance(result, RawDocument) else result
