"""What part of the world or of the whole a figure is scoped to, read from the words around it.

Two figures of one kind are one disputed fact only when they count the same whole: "six blocks" in
the game and "two blocks" during one run, "1,500 houses" in a district and "10 houses" in its
capital, "170,000 killed in the province and tens of thousands more" and "230,000 killed" in all
countries are figures of different wholes. These checks only ever stop a comparison (precision
first): a scope one side states and the other does not say is left to the other rules.
"""

from __future__ import annotations

import re

from newsprism.claims.model import Claim, Quantity
from newsprism.verdicts.compare import _content_text

# A claim about part of a game, a period or a count ("during the deciding run", "in the second
# half", "since October", "so far"): the phrase itself, so that two different parts differ.
PART = re.compile(
    r"\b(?:during(?:\s+[\w’'-]+){1,6}|since\s+[\w’'-]+|so far"
    r"|in the (?:first|second|third|fourth) (?:half|quarter|period)|in (?:his|her|their) last|alone)\b",
    re.IGNORECASE,
)


def part_phrases(c: Claim) -> frozenset[str]:
    """The part-of-the-whole phrases a claim states, normalised ("during the game's deciding 15-2 run")."""
    return frozenset(" ".join(m.group(0).lower().split()) for m in PART.finditer(c.text))


def different_parts(a: Claim, b: Claim) -> bool:
    """One claim scopes itself to a part and the other does not, or both do to different parts."""
    return part_phrases(a) != part_phrases(b)


# A claim about another event than the story's: "The jury of the other case, brought in Austin,
# Texas, ordered Jones to pay $49.3 million"; "a separate lawsuit", "an earlier crash".
OTHER_EVENT = re.compile(
    r"\b(?:the other|another|a separate|the separate|an earlier|a previous|the previous|a second)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:case|trial|lawsuit|suit|verdict|ruling|judgment|attack|crash|incident|accident|"
    r"shooting|fire|storm|quake|earthquake|election|match|game|race|deal|recall)s?\b",
    re.IGNORECASE,
)


def about_other_event(c: Claim) -> bool:
    """Does the claim say it is about another event than the story's own?"""
    return OTHER_EVENT.search(c.text) is not None


# "... and tens of thousands more", "and 12 others": the figure before it is one part of a total.
_MORE_AFTER = re.compile(
    r"^[^.;]{0,80}?\band\s+(?:(?:some|about|another|an?)\s+)?(?:tens of\s+|hundreds of\s+)?"
    r"(?:\d[\d,.]*|dozens|hundreds|thousands|millions|scores|several|many)\s+(?:\w+\s+)?(?:more|others)\b",
    re.IGNORECASE,
)


def part_of_total(c: Claim, q: Quantity) -> bool:
    """Is the figure followed by "and N more/others", making it a part of a larger count?"""
    return bool(_MORE_AFTER.match(c.text[q.span.end - c.span.start :]))


# A place a figure is located in: "damaged in Takengon", or a fronted "In Central Aceh district, ...".
_LOCATIVE_AFTER = re.compile(
    r"^[^.;,]{0,40}?\b(?:in|at|across|throughout|near)\s+(?:the\s+)?$", re.IGNORECASE
)
_FRONTED = re.compile(r"^\W*(?:in|at|across|throughout)\s+", re.IGNORECASE)


# The place a population figure is set off after: "Qeshm island, home to 120,000 people", "Bandar
# Abbas, a city of 500,000 people".
_HOME_TO = re.compile(
    r"^(?:\s+(?:island|city|town|village|province|state|county|region|district|capital))?\s*,\s*"
    r"(?:which is\s+)?(?:home to"
    r"|an? (?:\w+\s+)?(?:city|town|island|village|district|province|region|country) of|population(?: of)?)"
    r"\s+(?:some|about|around|nearly|almost|more than|over|roughly)?\s*$",
    re.IGNORECASE,
)


_NAMED_HOME = re.compile(
    r"\b((?-i:[A-Z][\w’'-]+)(?:\s+(?-i:[A-Z][\w’'-]+)){0,3})" + _HOME_TO.pattern[1:], re.IGNORECASE
)


def figure_place(c: Claim, q: Quantity) -> frozenset[str] | None:
    """The words of the place the figure is located in, when the words tie one to it: a place named
    right after the figure behind "in/at/across/near", or right before it as what the figure is the
    population of ("Qeshm island, home to 120,000"), else a place the claim opens with ("In X, ...")."""
    rel_start, rel_end = q.span.start - c.span.start, q.span.end - c.span.start
    for e in sorted(c.places, key=lambda e: e.span.start):
        start, end = e.span.start - c.span.start, e.span.end - c.span.start
        if start >= rel_end and _LOCATIVE_AFTER.match(c.text[rel_end:start]):
            return frozenset(e.key.split())
        if end <= rel_start and _HOME_TO.match(c.text[end:rel_start]):
            return frozenset(e.key.split())
    named = _NAMED_HOME.search(c.text[:rel_start])  # a name the tagger did not read as a place
    if named:
        return frozenset(named.group(1).lower().split())
    m = _FRONTED.match(c.text)
    if m:
        for e in c.places:
            start = e.span.start - c.span.start
            if start <= m.end() + len("neighbouring ") and start < q.span.start - c.span.start:
                return frozenset(e.key.split())
    return None


def different_wholes(a: Claim, qa: Quantity, b: Claim, qb: Quantity) -> bool:
    """The figures count different wholes: one is a part of a larger count ("and tens of thousands
    more"), or both are located, in places that share no word (counts of different areas)."""
    if part_of_total(a, qa) or part_of_total(b, qb):
        return True
    pa, pb = figure_place(a, qa), figure_place(b, qb)
    return bool(pa and pb and not pa & pb)


def _content(c: Claim) -> str:
    """The claim without its attribution ("ESPN is reporting that ..." -> "..."), "that" dropped."""
    return re.sub(r"^\W*that\s+", "", _content_text(c))


# A named subject opening a clause, "the" allowed: "the Boston Red Sox have made", "the Nationals have".
_SUBJECT = re.compile(
    r"^\W*(?:the\s+)?((?:[A-Z][\w’'.&-]+\s+){0,3}[A-Z][\w’'.&-]+)"
    r"(?=\s+(?:have|has|had|were|was|are|is|will|would|[a-z]+ed)\b)"
)


def clause_subject(c: Claim) -> frozenset[str]:
    """The name that is the subject of the reported clause, if the clause opens with one."""
    m = _SUBJECT.match(_content(c))
    return frozenset(w.lower().strip(".’'") for w in m.group(1).split()) if m else frozenset()


def different_clause_subjects(a: Claim, b: Claim) -> bool:
    """The reported clauses open with different names, neither named anywhere in the other claim:
    "(ESPN reports that) the Nationals have offered" vs "(Patrick said that) the Red Sox have made"."""
    sa, sb = clause_subject(a), clause_subject(b)
    if not (sa and sb) or sa & sb:
        return False
    return not (sa & _words(b) or sb & _words(a))


def _words(c: Claim) -> set[str]:
    return set(re.findall(r"[\w’'-]+", c.text.lower()))
