"""Sentence-level rules: quotes, coordinated-clause splitting, negation and hedge cues.

All functions work on one sentence string and return local offsets; the extractor adds the
sentence's offset in the article. They are linear in the sentence length and never raise on odd
text (unbalanced quotes, no verbs, tables flattened into one line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Each opening quotation mark real pages use -> the marks that close it. Pages mix forms: a curly
# or straight open closed by the other, a double prime (″, U+2033) typed for either, the German „…“,
# the reversed double prime ‶…″, guillemets « » and ‹ ›, CJK corner brackets 「」『』. Single curly
# marks are left out: ’ is mostly an apostrophe. A straight quote closes whatever is open.
_CLOSES_OF = {
    "“": "”″\"",
    '"': '"”″',
    "″": '″”"',
    "‶": '″”"',
    "„": '“”"″',
    "«": '»"',
    "‹": '›"',
    "「": '」"',
    "『": '』"',
}
# Marks that only close: met outside a quotation, they end one open since an earlier sentence.
_ONLY_CLOSE = "”»›」』"
_CONTINUED = '"”″'  # what may close a quotation opened in an earlier sentence


@dataclass(frozen=True, slots=True)
class LocalQuote:
    start: int  # first quoted character
    end: int
    closed: bool


def find_quotes(text: str, open_at_start: bool = False, reopened: bool = False) -> list[LocalQuote]:
    """Double-quoted passages (any of the marks in ``_CLOSES_OF``); an unclosed quote runs to the end
    and a close without an open (a quote continued from the previous sentence) starts at the beginning.
    ``open_at_start``: a quote is open from an earlier sentence, so a first straight quote closes it.
    ``reopened``: the sentence opens a paragraph, and a quotation running on over paragraphs leaves
    its close off the last one and marks the new one with an opening mark, which closes nothing."""
    out: list[LocalQuote] = []
    start: int | None = 0 if open_at_start else None
    closes = _CONTINUED
    lead = len(text) - len(text.lstrip()) if open_at_start and reopened else -1
    for i, ch in enumerate(text):
        if i == lead and ch in _CLOSES_OF:
            continue
        if ch == "″" and start is None and text[i - 1 : i].isdigit():
            continue  # inches or seconds (5′11″), not a quotation mark
        if start is not None and ch in closes:
            out.append(LocalQuote(start, i, True))
            start = None
        elif ch in _CLOSES_OF:
            start, closes = i + 1, _CLOSES_OF[ch]
        elif ch in _ONLY_CLOSE:
            out.append(LocalQuote(start if start is not None else 0, i, True))
            start = None
    if start is not None and start < len(text):
        out.append(LocalQuote(start, len(text), False))
    return [q for q in out if q.end > q.start]


def quote_mask(text: str, quotes: list[LocalQuote]) -> str:
    """``text`` with quoted characters replaced by underscores (same length), so rules that look
    for reporting verbs and clause boundaries ignore words inside quotes."""
    chars = list(text)
    for q in quotes:
        for i in range(max(q.start - 1, 0), min(q.end + 1, len(chars))):
            if not chars[i].isspace():
                chars[i] = "_"
    return "".join(chars)


_SUBJECT_START = re.compile(
    r"(?:(?i:the|a|an|his|her|their|its|our|this|these|those|he|she|they|it|we|i|another|a further|some|many)"
    r"|\d[\d,.]*|[A-Z][\w’'-]*)\b"
)
_VERBISH = re.compile(
    r"\b(?:was|were|is|are|has|have|had|will|would|could|can|may|might|did|do|does|said|says|told|"
    r"[a-z]{3,}ed|died|met|sent|took|made|went|came|fought|left|held|won|lost|hit|shot|fell|began|rose|"
    r"says|comes|goes|meets|wants|needs|seems|remains|continues|shows|gave|got|saw|knew|thought|found|kept|"
    r"brought|bought|built|felt|led|meant|paid|put|ran|set|sat|spent|stood|struck|fled|flew|drove|grew|threw|"
    r"broke|chose|spoke|sold|sought|became|drew|hung|lay|laid|rang|sank|swore|tore|wrote|must|should|shall|"
    r"been|being|be|am)\b"
)
_BOUNDARY = re.compile(r";\s+|,\s+(?:but|while|whereas|and|although|though)\s+|\s+(?:but|and)\s+|\s+[—–]\s+")


# Reporting verbs after which "X and Y ..." is one reported clause with a coordinated subject.
_REPORTING = frozenset("said says told announced added stated reported".split())


# "between" with no "and" after it yet: the next "and" joins the two ends of a range.
_BETWEEN = re.compile(r"\bbetween\b(?![^,;]*\band\b)[^,;]{0,60}$", re.IGNORECASE)

# A participle after a determiner or a number modifies a noun ("all 21 derailed coaches", "the
# injured"): it is no verb of a clause.
_MODIFIER_BEFORE = re.compile(
    r"(?:\b(?i:the|a|an|all|its|his|her|their|our|these|those|of|some|many|several)|\d[\d,.]*)\s+$"
)


def _verbs(text: str) -> list[re.Match[str]]:
    return [
        m
        for m in _VERBISH.finditer(text)
        if not (m.group(0).endswith("ed") and _MODIFIER_BEFORE.search(text[: m.start()]))
    ]


def _is_clause(left: str, right: str) -> bool:
    """A conjunction joins two clauses when each side has a verb and the right has its own subject.
    Not where the left ends in a reporting verb and a bare noun phrase: in "Ging said UN staff and
    Palestinian families had been screened" the staff and the families are one subject."""
    verbs = _verbs(left)
    if not verbs:
        return False
    if verbs[-1].group(0).lower() in _REPORTING and len(left[verbs[-1].end() :].split()) <= 5:
        return False
    if not _SUBJECT_START.match(right):
        return False
    head = " ".join(right.split(",", 1)[0].split()[:7])
    return bool(_VERBISH.search(head)) and not head.split()[0].lower().endswith("ed")


def split_clauses(masked: str) -> list[tuple[int, int]]:
    """Local (start, end) ranges of the coordinated clauses of one sentence (a masked sentence:
    conjunctions inside quotes never split)."""
    pieces: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(masked):
        left, right = masked[start : m.start()], masked[m.end() :]
        before = left.split()[-1] if left.split() else ""
        if " and " in m.group(0) and before[:1].isupper() and right[:1].isupper():
            continue  # "Trump and Zelensky met": coordinated names, one clause
        if " and " in m.group(0) and _BETWEEN.search(left):
            continue  # "produced between June 11 and June 17": the two ends of one range
        dash = m.group(0).strip() in ("—", "–")
        if (
            m.group(0).startswith(";")
            or (dash and _VERBISH.search(left) and _VERBISH.search(right))
            or (not dash and _is_clause(left, right))
        ):
            if left.strip():
                pieces.append((start, m.start()))
            start = m.end()
    if masked[start:].strip():
        pieces.append((start, len(masked)))
    return pieces or [(0, len(masked))]


_NEGATION = re.compile(
    r"\b(?:not|never|no|none|nobody|nothing|neither|nor|no longer|cannot|yet to|failed to)\b|n\s?[’']\s?t\b"
    # apostrophe dropped ("cant", "didnt"), as in hurried copy and transcripts; "wont"/"cant" as
    # nouns are rare in news
    r"|\b(?:ca|do|does|did|is|are|was|were|has|have|had|wo|could|would|should|must|need)nt\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:alleged(?:ly)?|reportedly|purportedly|apparently|possibly|probably|likely|unconfirmed|unverified|"
    r"may|might|could|believed to|thought to|said to be|appears? to|seemingly|suspected|rumou?red)\b",
    re.IGNORECASE,
)


def cues(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


_SUBORDINATE = re.compile(
    r"\b(?:who|which|why|whether|because|although|though|but|while|if|unless)\b", re.IGNORECASE
)


def negation_cues(text: str) -> list[tuple[int, int]]:
    """Negation cues of the main clause: a "not" after "who", "why", "but" ... negates a subordinate
    clause ("was denied a permit, said X, who would not say why"), not the claim."""
    sub = _SUBORDINATE.search(text)
    limit = sub.start() if sub else len(text)
    return [c for c in cues(_NEGATION, text) if c[0] < limit]


def hedge_cues(text: str) -> list[tuple[int, int]]:
    return cues(_HEDGE, text)
