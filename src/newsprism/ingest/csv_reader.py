"""CSV exports, read record by record so a bad row costs only itself.

The byte stream is cut into records here (a record is one line, or several when a quoted field
holds newlines), with the quoting rules of Excel's dialect, which the ``csv`` module then parses
one record at a time. So every row is decoded and parsed on its own: a bad byte or a malformed row
is one error naming its line, a row is capped at ``max_bytes``, and an unclosed quote is caught
where it starts instead of silently merging every row after it into one article.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from newsprism.ingest.base import ReaderError, ReadOptions, ReadResult
from newsprism.ingest.decode import decode_bytes, guarded, prepend, read_capped
from newsprism.ingest.records import record_to_raw

_PIECE = 1 << 20  # how much of an over-long row is read at a time while skipping it


@dataclass(slots=True)
class _Record:
    line: int  # the line it starts on
    end: int  # the line it ends on
    data: bytes | None  # None when the record is refused
    problem: str | None = None


def _scan(piece: bytes, in_quote: bool, field_start: bool) -> tuple[bool, bool]:
    """Quote state after ``piece``: ``(inside a quoted field, at the start of a field)``.

    As in Excel's dialect (and the ``csv`` module), a quote opens a field only at the start of a
    record or right after a comma; inside one, ``""`` is a quote and a lone ``"`` closes it.
    """
    i, n = 0, len(piece)
    if not in_quote and field_start and piece[:1] == b'"':
        in_quote, i = True, 1
    while i < n:
        if in_quote:
            j = piece.find(b'"', i)
            if j < 0:
                return True, False
            if piece[j + 1 : j + 2] == b'"':
                i = j + 2
                continue
            in_quote, i = False, j + 1
        else:
            j = piece.find(b',"', i)
            if j < 0:
                break
            in_quote, i = True, j + 2
    return in_quote, not in_quote and piece.endswith(b",")


class _Lines:
    """Physical lines with their numbers; a line longer than asked comes in pieces."""

    def __init__(self, stream: BinaryIO):
        self._stream = stream
        self._line = 1  # the line the next byte belongs to

    def read(self, size: int) -> tuple[int, bytes] | None:
        data = self._stream.readline(size)
        # A piece never ends inside a '""' pair: it would read as a closing quote.
        while data.endswith(b'"') and len(data) < 2 * size and (more := self._stream.read(1)):
            data += more
            if more == b"\n":
                break
        if not data:
            return None
        number = self._line
        self._line += data.count(b"\n")
        return number, data


def _skip(lines: _Lines, last: int, in_quote: bool, field_start: bool, at_line_end: bool) -> tuple[int, bool]:
    """Read past the rest of an over-long record: ``(its last line, whether the file ended in a quote)``."""
    while in_quote or not at_line_end:
        piece = lines.read(_PIECE)
        if piece is None:
            return last, in_quote
        last, data = piece
        in_quote, field_start = _scan(data, in_quote, field_start)
        at_line_end = data.endswith(b"\n")
    return last, False


def _records(lines: _Lines, limit: int) -> Iterator[_Record]:
    while (first := lines.read(limit + 1)) is not None:
        start, data = first
        chunks = [data]
        size = len(data)
        in_quote, field_start = _scan(data, False, True)
        end = start
        while in_quote and size <= limit and (more := lines.read(limit + 1)) is not None:
            end, data = more
            chunks.append(data)
            size += len(data)
            in_quote, field_start = _scan(data, True, False)
        if size > limit:
            end, eof_in_quote = _skip(lines, end, in_quote, field_start, data.endswith(b"\n"))
            why = f"over the size cap (row longer than {limit} bytes)"
            if eof_in_quote:
                why += "; its quoted field is never closed (the rest of the file is inside it)"
            yield _Record(start, end, None, why)
        elif in_quote:
            yield _Record(
                start,
                end,
                None,
                f"unclosed quote: the quoted field that starts on line {start} runs to the end of the "
                f"file (lines {start}-{end} not read)",
            )
        else:
            yield _Record(start, end, b"".join(chunks))


def _utf8_stream(source: str, stream: BinaryIO, options: ReadOptions) -> BinaryIO:
    head = stream.read(4)
    rest = prepend(head, stream)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 exports (Excel's "Unicode text") are whole-file decoded; they are rare and small.
        text = decode_bytes(read_capped(rest, source, options.max_bytes), source)
        return io.BytesIO(text.encode("utf-8"))
    return rest


def _parse(record: _Record, first: bool) -> list[list[str]]:
    """The rows of one record; raises ``ValueError`` (bad bytes) or ``csv.Error`` (bad quoting)."""
    assert record.data is not None
    try:
        text = record.data.decode("utf-8-sig" if first else "utf-8")
    except UnicodeDecodeError as exc:
        line = record.line + record.data.count(b"\n", 0, exc.start)
        raise ValueError(f"undecodable bytes at line {line}: not UTF-8 ({exc.reason})") from None
    # A row spanning lines must be well formed: a quote closed in mid-field there is the mark of a
    # stray quote that swallowed the rows after it, which lenient parsing would merge into one.
    strict = record.end > record.line
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), strict=strict) if row]
    except csv.Error as exc:
        spans = f" (its quoted field runs from line {record.line} to {record.end}: a stray quote?)"
        raise csv.Error(f"malformed CSV at line {record.line}: {exc}{spans if strict else ''}") from None


def _values_results(
    rows: list[list[str]], header: list[str], where: str, line: int, options: ReadOptions
) -> Iterator[ReadResult]:
    for values in rows:
        if len(values) > len(header):
            yield ReaderError(where, f"malformed CSV at line {line}: more fields than the header")
            continue
        row: dict[str, str | None] = dict.fromkeys(header)
        row.update(zip(header, values, strict=False))
        try:
            yield record_to_raw(row, where, "csv", options)
        except ReaderError as exc:
            yield exc


def _row_results(
    record: _Record, header: list[str], source: str, options: ReadOptions
) -> Iterator[ReadResult]:
    where = f"{source}:{record.line}"
    if record.data is None:
        yield ReaderError(where, f"malformed CSV at line {record.line}: {record.problem}")
        return
    try:
        rows = _parse(record, first=False)
    except (ValueError, csv.Error) as exc:
        yield ReaderError(where, str(exc))
        return
    yield from _values_results(rows, header, where, record.line, options)


@guarded("csv")
def read_csv(source: str, stream: BinaryIO, options: ReadOptions) -> Iterator[ReadResult]:
    # Article bodies routinely exceed csv's 128 KiB default field limit; rows are capped here.
    csv.field_size_limit(max(csv.field_size_limit(), min(options.max_bytes, sys.maxsize)))
    records = _records(_Lines(_utf8_stream(source, stream, options)), options.max_bytes)
    header: list[str] | None = None
    rows = 0
    for record in records:
        if header is None:
            if record.data is None:
                raise ReaderError(source, f"malformed CSV header at line {record.line}: {record.problem}")
            try:
                parsed = _parse(record, first=True)
            except (ValueError, csv.Error) as exc:
                raise ReaderError(source, f"unreadable CSV header: {exc}") from None
            if parsed:
                header = parsed[0]
                rows += len(parsed) - 1  # rows after the header on one line: old Mac line ends (CR)
                yield from _values_results(parsed[1:], header, f"{source}:1", 1, options)
            continue
        rows += 1
        yield from _row_results(record, header, source, options)
    if not rows:
        raise ReaderError(source, "empty file" if header is None else "no article text found (no rows)")
