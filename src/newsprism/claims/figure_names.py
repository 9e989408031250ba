"""Figures that are part of a name, not counts: "Boeing 737 Max 9", "Flight 1282", "the Three Lions".

A capital letter marks a name only in running text: a headline in title case ("Death Toll Hits 89")
capitalises every word, so there it says nothing.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import replace

from newsprism.claims.model import Quantity
from newsprism.model import Span

# The qualifier of a figure that is part of a name: no count of anything, never a figure a fact
# vouches for, yet the same name in two reports is a sign they tell one fact.
NAME = "name"

_NAME_BEFORE = re.compile(r"(?<![\w'’-])(?P<w>[A-Z][\w'’.-]*)\s+$")
_NAME_AFTER = re.compile(r"\s+(?P<w>[A-Z][a-z]+)\b(?!['’-])")
# Designations run to three digits or more ("737", "787", "1282"); counts of a named kind are plural.
_DESIGNATION = re.compile(r"\d{3,}")
# Where a sentence, a quotation or an aside opens, a capital letter marks no name: "said: Three died".
_CLAUSE_OPEN = re.compile(r"(?:^|[.!?:;\"“‘(\[—–-])\s*$")
_LONG_WORD = re.compile(r"[A-Za-z][A-Za-z'’]{3,}")


def is_title_case(text: str) -> bool:
    """A headline in title case ("Death Toll Hits 89"), where a capital letter marks no name."""
    words = _LONG_WORD.findall(text)
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def names_a_thing(text: str, start: int, end: int, not_names: Set[str]) -> bool:
    """Is the lone figure at ``text[start:end]`` part of a name? It is after a name word ("Boeing 737",
    "Max 9", "Flight 1282") that ``not_names`` does not list as a word of quantity or time ("All 21",
    "Monday 30"); as a designation before a capitalised singular word ("737 Max", "787 Dreamliner");
    or as a number word capitalised inside a sentence ("the Three Lions")."""
    number = text[start:end]
    if number[:1].isalpha():
        before = text[:start]
        return number[0].isupper() and bool(before.strip()) and not _CLAUSE_OPEN.search(before)
    name = _NAME_BEFORE.search(text[max(0, start - 40) : start])
    if name is not None and name.group("w").lower().rstrip(".") not in not_names:
        return True
    after = _NAME_AFTER.match(text, end)
    return bool(after and _DESIGNATION.fullmatch(number) and not after.group("w").endswith("s"))


def name_figure(q: Quantity, span: Span, text: str) -> Quantity:
    """ "Boeing 737 Max 9", "Flight 1282", "the Three Lions": the number alone, counting nothing."""
    return replace(q, span=span, text=text, head=None, qualifiers=(NAME,))
