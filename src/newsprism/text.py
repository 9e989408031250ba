"""Canonical text: normalisation, paragraph spans and sentence spans.

Normalisation is NFC plus whitespace: runs of spaces/tabs become one space, lines are stripped,
and paragraphs are separated by exactly one blank line. Quote characters and dashes are kept as
published, because the choice of ``’`` over ``'`` is evidence of who copied whom.
"""

from __future__ import annotations

import re
import unicodedata

from newsprism.model import Span

# Only what normalisation changes: a run of two or more spaces, or any other horizontal space. A
# single " " is left alone, so a long line is not rebuilt from one new string per word (a 19 MB
# one-line article took ~250 MB of pieces).
_OTHER_HSPACE = "\t\u00a0\u2000-\u200a\u202f\u205f\u3000"
_HSPACE = re.compile(f"[ {_OTHER_HSPACE}]{{2,}}|[{_OTHER_HSPACE}]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANKS = re.compile(r"\n\s*\n")


def normalize(raw: str, *, single_newline_paragraphs: bool = True) -> str:
    """Return the canonical form of an article body.

    With ``single_newline_paragraphs`` every non-empty line is its own paragraph (news exports
    usually put one paragraph per line); otherwise only blank lines separate paragraphs and the
    lines inside one are joined with a space.
    """
    text = unicodedata.normalize("NFC", raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _ZERO_WIDTH.sub("", text)
    text = _CONTROL.sub(" ", text)
    blocks = _BLANKS.split(text)
    paragraphs: list[str] = []
    for block in blocks:
        lines = [_HSPACE.sub(" ", line).strip() for line in block.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        if single_newline_paragraphs:
            paragraphs.extend(lines)
        else:
            paragraphs.append(" ".join(lines))
    return "\n\n".join(paragraphs)


def paragraph_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    pos = 0
    for part in text.split("\n\n"):
        if part:
            spans.append(Span(pos, pos + len(part)))
        pos += len(part) + 2
    return spans
