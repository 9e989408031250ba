"""Bytes -> text, refusing binary files and text that would only decode to garbage.

Order: UTF-8 (with or without BOM), UTF-16/32 with a BOM, a declared charset, then a guess that
needs evidence: UTF-8 with a few bad bytes is reported (never decoded as a code page), mostly-ASCII
text is cp1252 only when its other characters fit Western text, and anything else goes to
charset-normalizer with a confidence floor. Mojibake (UTF-8 that was once read as cp1252 and saved
again) decodes cleanly as UTF-8 but is garbage as evidence, so it is refused instead of stored.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
from collections.abc import Iterator
from functools import wraps
from typing import BinaryIO

import charset_normalizer

from newsprism.ingest.base import ReaderError, ReadOptions, ReadResult

# Magic numbers of formats people drop into news folders by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (b"\x7fELF", "ELF executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"RIFF", "RIFF media file"),
    (b"\x00\x00\x01\x00", "icon file"),
    (b"wOFF", "web font"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# UTF-8 lead bytes of Latin-1/General-Punctuation characters as cp1252 shows them: "Ã©", "â€™".
_MOJIBAKE = re.compile(
    "â€.|Â[\u00a0-\u00bf]"
    "|Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]"
)
# Control characters (not whitespace), private use, surrogates and the replacement character.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffd]")
# Every byte value except C0 control bytes other than whitespace: deleting these leaves the controls.
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 9 or 13 < b < 32))
# One valid multi-byte UTF-8 sequence (no overlongs, no surrogates).
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_ASCII = bytes(range(128))
# Three non-ASCII letters in a row: rare in Western words ("Größe" has two), usual in a non-Latin
# script read as cp1252.
_FOREIGN_RUN = re.compile(r"[^\W\d_\x00-\x7f]{3}")
# Accented letters that are words on their own in Western languages (French "à", Portuguese "é").
_STANDALONE_LETTERS = set("àáâãäåçèéêëìíîïñòóôõöùúûüýÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝ")
MAX_CHAOS = 0.15
MIN_COHERENCE = 0.2


def sniff_binary(head: bytes) -> str | None:
    """A description of what binary format ``head`` starts with, or ``None`` when it may be text."""
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if head.startswith(b"\x1f\x8b"):
        return "gzip archive"
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    sample = head[:4096]
    if b"\x00" in sample:
        return "binary data (NUL bytes)"
    controls = len(sample.translate(None, _NOT_CONTROL))
    if sample and controls / len(sample) > 0.1:
        return "binary data (control bytes)"
    return None


def _printable_ratio(text: str) -> float:
    if not text:
        return 1.0
    bad = len(_UNPRINTABLE.findall(text))
    if not text.isascii():  # unassigned code points need the Unicode database; ASCII has none
        unassigned = {ch for ch in set(text) if ord(ch) > 127 and unicodedata.category(ch) == "Cn"}
        bad += sum(text.count(ch) for ch in unassigned)
    return 1.0 - bad / len(text)


def _check_mojibake(text: str, source: str) -> None:
    hits = _MOJIBAKE.findall(text)
    if len(hits) >= 3 or (hits and len(hits) * 200 > len(text)):
        sample = ", ".join(repr(h) for h in dict.fromkeys(hits[:5]))
        raise ReaderError(
            source, f"undecodable bytes: text looks mis-encoded (UTF-8 shown as cp1252: {sample})"
        )


def _utf8_damage(data: bytes) -> str | None:
    """Why ``data`` is UTF-8 with bad bytes in it, or ``None`` when it does not look like UTF-8.

    Legacy single-byte text almost never forms valid multi-byte UTF-8 sequences, so when their
    bytes are at least as many as the bytes that fit no sequence, the file is UTF-8 that was damaged (cut,
    concatenated, edited with the wrong tool); decoding it as some code page would store garbage.
    """
    valid = _UTF8_SEQUENCE.findall(data)
    if not valid:
        return None
    good = sum(len(seq) for seq in valid)
    bad = len(data.translate(None, _ASCII)) - good
    if bad > good:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return (
            f"invalid UTF-8 at line {line} (byte 0x{data[exc.start]:02x} at offset {exc.start}; "
            f"{bad} bad byte{'s' if bad != 1 else ''} in otherwise UTF-8 text)"
        )
    return None


def _plausible_cp1252(data: bytes) -> str | None:
    """The cp1252 text of mostly-ASCII ``data`` when its few other characters fit Western text.

    With so few non-ASCII bytes charset-normalizer has no statistics to go on (it picks
    mac_roman or cp775 for one stray byte), while cp1252 is what such files nearly always are:
    accented letters and typographic punctuation. A letter that Western text only uses inside
    words (``ÿ``, ``Š``, ``ƒ`` ...) must stand next to another letter, so a stray byte between
    spaces is refused rather than stored as a plausible-looking letter.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if _FOREIGN_RUN.search(text):
        return None  # Cyrillic, Greek ... bytes shown as Latin-1 letters: "Ïóòèí"
    for i, ch in enumerate(text):
        if ord(ch) < 128:
            continue
        category = unicodedata.category(ch)
        if category[0] not in "LPZS" or ch == "\ufffd":
            return None
        if category[0] == "L" and ch not in _STANDALONE_LETTERS:
            before, after = text[i - 1 : i], text[i + 1 : i + 2]
            if not (before.isalpha() or after.isalpha()):
                return None
    return text


def _few_non_ascii(data: bytes) -> bool:
    return len(data.translate(None, _ASCII)) <= max(8, len(data) // 50)


def _from_charset_normalizer(data: bytes) -> str | None:
    """The text in the encoding charset-normalizer is surest of, or ``None`` when it is unsure.

    Only the least chaotic candidates count, and among them the most coherent; when cp1252 is
    one of the equally coherent ones (Western code pages often tie), it is what the web means.
    """
    matches = [m for m in charset_normalizer.from_bytes(data) if m.chaos <= MAX_CHAOS]
    if not matches:
        return None
    least = min(m.chaos for m in matches)
    calm = [m for m in matches if m.chaos <= least + 0.01]
    top = max(m.coherence for m in calm)
    tied = [m for m in calm if m.coherence == top]
    if any(m.encoding == "cp1252" or "cp1252" in m.could_be_from_charset for m in tied):
        return data.decode("cp1252")
    return data.decode(tied[0].encoding) if top >= MIN_COHERENCE else None


def _guess(data: bytes, source: str) -> str:
    damage = _utf8_damage(data)
    if damage:
        raise ReaderError(source, f"undecodable bytes: {damage}")
    if _few_non_ascii(data):
        text = _plausible_cp1252(data)
        if text is None:
            raise ReaderError(
                source, "undecodable bytes: stray non-ASCII bytes that are neither UTF-8 nor plausible cp1252"
            )
        return text
    text = _from_charset_normalizer(data)
    if text is None:
        raise ReaderError(source, "undecodable bytes: not UTF-8 and no encoding decodes it with confidence")
    return text


def decode_bytes(data: bytes, source: str, *, declared: str | None = None) -> str:
    """Decode a whole document; raises ``ReaderError`` for binary, undecodable or garbled input."""
    binary = sniff_binary(data[:4096])
    if binary:
        raise ReaderError(source, f"binary file ({binary})")
    text: str | None = None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise ReaderError(
                    source, f"undecodable bytes: invalid {enc} after its BOM ({exc.reason})"
                ) from None
            break
    if text is None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _decode_declared(data, declared) or _guess(data, source)
    if _printable_ratio(text) < 0.97:
        raise ReaderError(source, "undecodable bytes: decoded text is mostly unprintable")
    _check_mojibake(text, source)
    return text


def _decode_declared(data: bytes, declared: str | None) -> str | None:
    """Use an encoding the transport declared (HTTP header, XML prolog) when it decodes cleanly."""
    if not declared:
        return None
    try:
        return data.decode(declared)
    except (LookupError, UnicodeDecodeError):
        return None


def read_capped(stream: BinaryIO, source: str, max_bytes: int) -> bytes:
    """Read a whole input, refusing it when it is larger than ``max_bytes``."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ReaderError(source, f"over the size cap (more than {max_bytes} bytes)")
    if not data.strip():
        raise ReaderError(source, "empty file")
    return data


def guarded(fmt: str):
    """Make a reader generator yield ``ReaderError`` for anything that goes wrong, never raise."""

    def decorate(fn):
        @wraps(fn)
        def wrapper(source: str, stream: BinaryIO, options: ReadOptions) -> Iterator[ReadResult]:
            try:
                yield from fn(source, stream, options)
            except ReaderError as exc:
                yield exc
            except RecursionError:
                yield ReaderError(source, f"unreadable {fmt}: nested too deeply")
            except Exception as exc:  # noqa: BLE001 - a reader must turn every failure into a ReaderError
                yield ReaderError(source, f"unreadable {fmt}: {type(exc).__name__}: {exc}"[:500])

        return wrapper

    return decorate


class _Prepend(io.RawIOBase):
    """A raw stream that first returns ``head`` and then the rest of ``stream``."""

    def __init__(self, head: bytes, stream: BinaryIO):
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # noqa: ANN001 - a writable buffer
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def prepend(head: bytes, stream: BinaryIO) -> io.BufferedReader:
    """A buffered stream that yields ``head`` and then the rest of ``stream`` (for sniffing a pipe)."""
    return io.BufferedReader(_Prepend(head, stream))
