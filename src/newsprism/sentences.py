"""Sentence spans for news text.

A rule splitter tuned for news: it does not break after titles and initials ("Gen.", "Mr.",
"U.S.", "St."), keeps a closing quote with its sentence, keeps a quote that ends in "?" or "!"
together with its attribution ("“Why?” the minister asked."), and never crosses a paragraph.
It was chosen over pysbd, syntok, nupunkt, blingfire and spaCy's senter after measuring them on
hand-checked news sentences: see docs/sentence-splitting.md.
"""

from __future__ import annotations

import re

from newsprism.model import Span
from newsprism.text import paragraph_spans

_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gen lt col maj capt sgt cmdr adm gov sen rep pres st sr jr rev fr hon
    inc corp ltd co bros dept univ assn est approx incl no vs etc al fig jan feb mar apr jun jul aug
    sep sept oct nov dec mt ft ave blvd rd bn regt cpl pvt supt insp det atty gen
    """.split()
)
# Abbreviations that often end a sentence ("… by Smith & Co. Terms were …", "… close at 8 p.m. Results …"):
# a capitalised word after them starts a new sentence.
_FINAL_ABBREVIATIONS = frozenset({"inc", "corp", "ltd", "co", "llc", "plc", "etc", "a.m", "p.m"})
# After "U.S." or "U.N." a capitalised word is usually a name ("U.S. State Department"); only these
# words, which rarely follow a country abbreviation inside a sentence, start a new sentence.
_SENTENCE_STARTERS = frozenset(
    """
    the a an it its he she they we i you his her their this that these those there but and yet so
    in on at after before when while meanwhile however officials police
    """.split()
)
_NOT_AFTER_TIME = frozenset(
    "et est edt ct cst cdt pt pst pdt gmt utc bst cet local monday tuesday wednesday thursday friday "
    "saturday sunday".split()
)
# A candidate boundary: terminal punctuation, optional closing quotes/brackets, then space.
_BOUNDARY = re.compile(r"(?:[.!?]+|…)[\"'”’)\]]*(?=\s)")
_NEXT_START = re.compile(r"\s+([\"'“‘(\[]*)(\S+)")
_ABBREV_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_SPEECH_VERB = re.compile(
    r"(?:[A-Z][\w'’.-]*\s+){1,3}(?:said|says|asked|asks|wrote|writes|told|tells|added|adds|shouted|"
    r"chanted|replied|declared|tweeted|posted|insisted|exclaimed|cried|yelled|demanded|wondered)\b"
)


def _abbreviation(chunk: str, end: int) -> str | None:
    """The abbreviation or initial whose period is at ``end - 1``, lower-cased, else ``None``."""
    m = _ABBREV_BEFORE.search(chunk, max(0, end - 40), end)
    if not m:
        return None
    word = m.group(1)
    if "." in word:  # U.S., U.K., a.m.
        return word.lower()
    if len(word) == 1 and word.isupper():  # an initial: "John F. Kennedy"
        return word.lower()
    return word.lower() if word.lower() in _ABBREVIATIONS else None


def _starts_sentence(word: str) -> bool:
    """A capitalised word, a number, or a camel-cased brand ("eBay", "iPhone")."""
    first = word[0]
    if first.isupper() or first.isdigit():
        return True
    return first.islower() and any(ch.isupper() for ch in word[1:4])


def _after_abbreviation(abbrev: str, word: str) -> bool:
    """Whether a sentence ends at an abbreviation followed by ``word``."""
    bare = word.strip("\"'“‘(.,;:").lower()
    if abbrev in _FINAL_ABBREVIATIONS:
        return word[0].isupper() and bare not in _NOT_AFTER_TIME
    if "." in abbrev and len(abbrev) > 2:  # U.S., U.N.: only before a typical sentence opener
        return bare in _SENTENCE_STARTERS
    return False


def _is_boundary(chunk: str, m: re.Match[str], nxt: re.Match[str]) -> bool:
    punct = m.group(0)
    word = nxt.group(2)
    if not _starts_sentence(word):
        return False
    bare = punct.rstrip("\"'”’)]")
    if bare == ".":
        abbrev = _abbreviation(chunk, m.start() + 1)
        if abbrev is not None:
            return _after_abbreviation(abbrev, word)
    if bare[-1:] in "?!" and len(bare) < len(punct) and not nxt.group(1):
        # “Stop!” Trump wrote. — a quoted question or exclamation with its attribution.
        return _SPEECH_VERB.match(chunk, nxt.start(2)) is None
    return True


def _split_paragraph(text: str, start: int, end: int) -> list[Span]:
    chunk = text[start:end]
    spans: list[Span] = []
    sent_start = len(chunk) - len(chunk.lstrip())
    for m in _BOUNDARY.finditer(chunk):
        nxt = _NEXT_START.match(chunk, m.end())
        if not nxt or m.end() <= sent_start or not _is_boundary(chunk, m, nxt):
            continue
        spans.append(Span(start + sent_start, start + m.end()))
        sent_start = nxt.start(1)
    tail = chunk[sent_start:].rstrip()
    if tail.strip():
        spans.append(Span(start + sent_start, start + sent_start + len(tail)))
    return spans


def split_sentences(text: str, paragraphs: list[Span] | None = None) -> list[Span]:
    """Sentence spans of a canonical text, in order, never crossing a paragraph.

    Between two consecutive spans of one paragraph there is only whitespace.
    """
    spans: list[Span] = []
    for para in paragraphs if paragraphs is not None else paragraph_spans(text):
        spans.extend(_split_paragraph(text, para.start, para.end))
    return spans
