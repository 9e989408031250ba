"""Byte budgets for everything an input can expand into, in one place so the API and web app share them.

Memory is bounded by bytes, never by counts: one document (a file, a WARC record body, a JSONL line,
a CSV row) is at most ``MAX_DOCUMENT_BYTES``. Compressed input is budgeted apart, because a few
hundred kilobytes of gzip can expand to gigabytes: past ``EXPANSION_ALLOWANCE`` it may grow at most
``MAX_EXPANSION_RATIO`` times its compressed size (news text compresses 3-10x; a bomb of zeros
about 1000x), and never past ``MAX_DECOMPRESSED_BYTES`` in all. Archive headers get their own small
caps because parsers read a header line whole before any body cap can apply.
"""

from __future__ import annotations

MiB = 1024 * 1024

MAX_DOCUMENT_BYTES = 20 * MiB
MAX_DECOMPRESSED_BYTES = 16 * 1024 * MiB
MAX_EXPANSION_RATIO = 100
EXPANSION_ALLOWANCE = 1 * MiB
MAX_HEADER_LINE_BYTES = 64 * 1024
MAX_HEADER_BYTES = 256 * 1024
