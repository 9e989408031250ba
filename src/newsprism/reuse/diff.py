"""Sentence-level diffs between two versions of a text, with the facts that changed inside
changed sentences (numbers, quotes, capitalised names)."""

from __future__ import annotations

import difflib
import re
from typing import Any

from newsprism.model import Article, Span
from newsprism.sentences import split_sentences

_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_QUOTE = re.compile(r"[“\"]([^”\"]{3,400})[”\"]")
_NAME = re.compile(r"\b[A-Z][a-z’'\-]+(?:\s+(?:[A-Z][a-z’'\-]+|[A-Z]\.))*")
CHANGED_MIN_RATIO = 0.5


def _facts(text: str) -> dict[str, set[str]]:
    names = {m.group(0) for m in _NAME.finditer(text)}
    # A capital at the start of a sentence is not a name unless it recurs mid-sentence.
    first = text.split(" ", 1)[0]
    names.discard(first)
    return {"numbers": set(_NUMBER.findall(text)), "quotes": set(_QUOTE.findall(text)), "names": names}


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _spans(article: Article) -> list[Span]:
    return article.sentences or split_sentences(article.text)


def _changed(old: str, new: str) -> dict[str, Any]:
    fo, fn = _facts(old), _facts(new)
    out: dict[str, Any] = {}
    for kind in ("numbers", "quotes", "names"):
        removed, added = sorted(fo[kind] - fn[kind]), sorted(fn[kind] - fo[kind])
        if removed or added:
            out[kind] = {"removed": removed, "added": added}
    return out


def revision_diff(old: Article, new: Article) -> dict[str, Any]:
    """Diff from ``old`` to ``new``: each entry carries char spans into both texts."""
    so, sn = _spans(old), _spans(new)
    ko, kn = [_key(s.text(old.text)) for s in so], [_key(s.text(new.text)) for s in sn]
    entries: list[dict[str, Any]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ko, kn, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        olds, news = list(range(i1, i2)), list(range(j1, j2))
        while olds and news:
            i, j = olds[0], news[0]
            ratio = difflib.SequenceMatcher(None, ko[i].split(), kn[j].split(), autojunk=False).ratio()
            if ratio < CHANGED_MIN_RATIO:
                break
            entries.append(
                {
                    "op": "changed",
                    "old": so[i].to_list(),
                    "new": sn[j].to_list(),
                    "similarity": round(ratio, 3),
                    "facts": _changed(so[i].text(old.text), sn[j].text(new.text)),
                }
            )
            olds.pop(0)
            news.pop(0)
        entries += [{"op": "removed", "old": so[i].to_list()} for i in olds]
        entries += [{"op": "added", "new": sn[j].to_list()} for j in news]
    counts = {k: sum(1 for e in entries if e["op"] == k) for k in ("added", "removed", "changed")}
    return {"old": old.id, "new": new.id, "counts": counts, "entries": entries}
