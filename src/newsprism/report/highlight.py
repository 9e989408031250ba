"""Highlighted article text as plain segments, for templates that autoescape everything.

Article text is hostile input. Instead of building HTML strings and marking them safe, the text is cut
into segments at every highlight boundary; a template escapes each segment and wraps the highlighted
ones in ``<mark>``. Nothing derived from an article ever reaches the page unescaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Mark:
    """One highlight: ``[start, end)`` in the article text, a CSS kind and a short explanation."""

    start: int
    end: int
    kind: str
    title: str = ""


@dataclass(slots=True)
class Segment:
    text: str
    start: int
    end: int
    kinds: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    # Anchors of marks that begin here, so links like ``#p-<article>-<start>-<end>`` land on them.
    anchors: list[str] = field(default_factory=list)

    @property
    def marked(self) -> bool:
        return bool(self.kinds)

    @property
    def css(self) -> str:
        return " ".join(f"hl-{k}" for k in sorted(set(self.kinds)))

    @property
    def title(self) -> str:
        return "; ".join(dict.fromkeys(t for t in self.titles if t))


def passage_anchor(article_id: str, start: int, end: int) -> str:
    return f"p-{article_id}-{start}-{end}"


def clamp_marks(text: str, marks: Iterable[Mark]) -> list[Mark]:
    """Drop marks that fall outside the text (a stale span must not crash a page)."""
    n = len(text)
    out = []
    for m in marks:
        start, end = max(0, int(m.start)), min(n, int(m.end))
        if end > start:
            out.append(Mark(start, end, m.kind, m.title))
    return out


def segments(text: str, marks: Sequence[Mark], article_id: str = "") -> list[Segment]:
    """Cut ``text`` at every mark boundary; each piece knows which marks cover it."""
    marks = clamp_marks(text, marks)
    cuts = {0, len(text)}
    for m in marks:
        cuts.update((m.start, m.end))
    bounds = sorted(cuts)
    starts: dict[int, list[str]] = {}
    for m in marks:
        anchor = passage_anchor(article_id, m.start, m.end)
        if anchor not in starts.setdefault(m.start, []):
            starts[m.start].append(anchor)
    out: list[Segment] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        if b <= a:
            continue
        seg = Segment(text[a:b], a, b, anchors=starts.get(a, []))
        for m in marks:
            if m.start <= a and b <= m.end:
                seg.kinds.append(m.kind)
                seg.titles.append(m.title)
        out.append(seg)
    return out


def quote_segments(sentence: str, values: Iterable[str]) -> list[Segment]:
    """Highlight each occurrence of the compared values inside a quoted sentence."""
    marks = []
    lowered = sentence.lower()
    for value in values:
        value = (value or "").strip()
        if not value:
            continue
        pos = lowered.find(value.lower())
        while pos >= 0:
            marks.append(Mark(pos, pos + len(value), "value"))
            pos = lowered.find(value.lower(), pos + len(value))
    segs = segments(sentence, marks)
    for s in segs:
        s.anchors = []
    return segs
