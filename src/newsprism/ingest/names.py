"""Input names and reasons as text that is safe to store and to print.

A file name on Linux is bytes: it may not be UTF-8 (Python keeps such bytes as lone surrogates,
which no database or JSON encoder accepts) and it may hold newlines or terminal escape sequences.
Every name newsprism stores or reports is valid UTF-8 on one line, with those characters written as
backslash escapes.
"""

from __future__ import annotations

import os
import re

# C0 and C1 controls, DEL, line/paragraph separators, bidirectional overrides and isolates (they
# reorder what a terminal shows), and lone surrogates (undecodable bytes of a file name).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if ch in _NAMED:
        return _NAMED[ch]
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's surrogateescape keeps undecodable byte b as U+DC00+b
        return f"\\x{code - 0xDC00:02x}"
    # \xNN above 0x7f always means a raw byte, so a C1 control character is written \u0085
    return f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}"


def escape_text(text: str) -> str:
    """``text`` with control, bidi and separator characters and lone surrogates as backslash escapes."""
    return _UNSAFE.sub(_escape, text)


def display_path(path: str) -> str:
    """A file path as newsprism stores and reports it: valid UTF-8, one line, reversible.

    A clean path is kept as it is. Otherwise backslashes are doubled, an undecodable byte is
    ``\\xe9`` (``\\x`` above 7f is always a raw byte), an ASCII control ``\\n`` or ``\\x1b``, and any
    other unsafe character ``\\u202e``; so a stored path with a backslash in it is always an escaped
    one, and decodes back to the original bytes.
    """
    if not _UNSAFE.search(path) and (os.sep == "\\" or "\\" not in path):
        return path
    return escape_text(path.replace("\\", "\\\\"))
