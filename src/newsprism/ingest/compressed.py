"""Decompression within byte budgets: gzip inputs, and gzip/deflate bodies inside WARCs and HTTP.

Every place a stream expands goes through here, so a compression bomb costs one error line and a
few megabytes, never the machine's memory, and a truncated archive is reported, never read as a
shorter document.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterable
from typing import BinaryIO

from newsprism.ingest.base import ReaderError, ReadOptions
from newsprism.ingest.limits import EXPANSION_ALLOWANCE

GZIP_MAGIC = b"\x1f\x8b"
# Raw reads are kept small so the expansion ratio is measured finely: a bomb is stopped after about
# EXPANSION_ALLOWANCE of output instead of a whole read buffer's worth of expansion.
_RAW_READ = 16 * 1024
_OUT_READ = 256 * 1024


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MiB" if n >= 1024 * 1024 else f"{n} bytes"


class _Counting(io.RawIOBase):
    """The compressed side: counts what the decompressor has taken from ``stream``."""

    def __init__(self, stream: BinaryIO):
        self._stream = stream
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # noqa: ANN001 - a writable buffer
        data = self._stream.read(min(len(buffer), _RAW_READ))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n


class GunzipStream(io.RawIOBase):
    """The decompressed content of a gzip stream (all members), refused past the input's budget.

    Raises ``ReaderError`` naming ``source`` when the output grows past
    ``options.max_decompressed_bytes``, or more than ``options.max_expansion_ratio`` times the
    compressed bytes read once past ``EXPANSION_ALLOWANCE``; and when the data is corrupt or ends
    inside a member (a truncated download).
    """

    def __init__(self, stream: BinaryIO, source: str, options: ReadOptions):
        self._raw = _Counting(stream)
        self._gzip = gzip.GzipFile(fileobj=self._raw, mode="rb")
        self._source = source
        self._max_total = options.max_decompressed_bytes
        self._ratio = options.max_expansion_ratio
        self.produced = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # noqa: ANN001 - a writable buffer
        try:
            # One decompression step of at most _OUT_READ bytes: the budget is checked that often,
            # and what came before a truncation is handed on before the error (a filling read
            # would drop it with the exception).
            data = self._gzip.read1(min(len(buffer), _OUT_READ))
        except EOFError:
            raise ReaderError(self._source, "truncated gzip data: the compressed stream ends early") from None
        except (OSError, zlib.error) as exc:
            raise ReaderError(self._source, f"corrupt gzip data: {exc}") from None
        n = len(data)
        buffer[:n] = data
        self.produced += n
        self._check()
        return n

    def _check(self) -> None:
        if self.produced > self._max_total:
            raise ReaderError(
                self._source,
                f"over the decompressed size cap (more than {_mib(self._max_total)} of content)",
            )
        if self.produced > EXPANSION_ALLOWANCE and self.produced > self._ratio * self._raw.count:
            raise ReaderError(
                self._source,
                f"compression bomb refused: {_mib(self._raw.count)} of gzip expanded past "
                f"{_mib(self.produced)} (more than {self._ratio}x)",
            )


def gunzip(stream: BinaryIO, source: str, options: ReadOptions) -> io.BufferedReader:
    """A buffered, budgeted view of the gzip content of ``stream``."""
    return io.BufferedReader(GunzipStream(stream, source, options))


def inflate_capped(chunks: Iterable[bytes], encoding: str, limit: int, source: str) -> bytes:
    """A gzip or deflate body (HTTP ``Content-Encoding``), refused when it expands past ``limit``.

    ``deflate`` is zlib-wrapped by the standard and raw in some servers; both are accepted.
    """
    wbits = 16 + zlib.MAX_WBITS if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS
    decomp = zlib.decompressobj(wbits)
    out: list[bytes] = []
    size = 0
    first = True
    for chunk in chunks:
        data = chunk
        while data:
            try:
                piece = decomp.decompress(data, limit + 1 - size)
            except zlib.error as exc:
                if first and wbits == zlib.MAX_WBITS:  # raw deflate without the zlib header
                    decomp, wbits = zlib.decompressobj(-zlib.MAX_WBITS), -zlib.MAX_WBITS
                    continue
                raise ReaderError(source, f"corrupt {encoding} content: {exc}") from None
            first = False
            size += len(piece)
            if size > limit:
                raise ReaderError(source, f"over the size cap ({encoding} content larger than {limit} bytes)")
            out.append(piece)
            data = decomp.unconsumed_tail
            if decomp.eof:
                data = b""
        if decomp.eof:
            break
    if not decomp.eof:
        raise ReaderError(source, f"truncated {encoding} content: the compressed body ends early")
    return b"".join(out)
