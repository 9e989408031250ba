"""What part of the world or of the whole a figure is scoped to, read from the words around it.

Two figures of one kind are one disputed fact only when they count the same whole: "six blocks" in
the game and "two blocks" during one run, "1,500 houses" in a district and "10 houses" in its
capital, "170,000 killed in the province and tens of thousands more" and "230,000 killed" in all
countries are figures of different wholes. These checks only ever stop a comparison (precision
first): a scope one side states and the other does not say is left to the other rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable

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
    """One claim scopes itself to a part and the other does not, or both do to different parts. A
    phrase naming a thing the other claim names too is no part ("the total killed during the 2018
    Camp Fire" beside "the 2018 Camp Fire ..., which claimed 86 lives"): both speak of that thing."""
    return part_phrases(a) - _named_in(a, b) != part_phrases(b) - _named_in(b, a)


_NAME_WORD = re.compile(r"\b[A-Z][\w’'-]+")


def _named_in(c: Claim, other: Claim) -> frozenset[str]:
    """``c``'s part phrases that name something (capitalised words) ``other`` names as well."""
    text = " ".join(c.text.split())  # as the phrases are normalised, so that offsets match
    out = set()
    for phrase in part_phrases(c):
        start = text.lower().find(phrase)
        names = _NAME_WORD.findall(text[start : start + len(phrase)]) if start >= 0 else []
        if names and all(re.search(rf"\b{re.escape(n)}\b", other.text) for n in names):
            out.add(phrase)
    return frozenset(out)


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


# A figure printed beside another in one phrase: "171 passengers and six crew members", "24 goals and
# provided 24 assists in 132 appearances". At most this many words between them, no clause break.
_SIBLING_GAP = 3
_BREAK = re.compile(r"[.;:()]")


def _siblings(c: Claim, q: Quantity, measure: Callable[[Claim, Quantity], str | None]) -> dict[str, Quantity]:
    """The figures of other measures printed right beside ``q`` in its phrase, by measure."""
    out: dict[str, Quantity] = {}
    for o in c.quantities:
        if o is q:
            continue
        first, second = sorted((q.span, o.span), key=lambda s: s.start)
        gap = c.text[first.end - c.span.start : second.start - c.span.start]
        kind = measure(c, o)
        if kind and kind != measure(c, q) and not _BREAK.search(gap) and len(gap.split()) <= _SIBLING_GAP:
            out[kind] = o
    return out


def _same_printed(x: Quantity, y: Quantity) -> bool:
    """One exact value, printed as a number by both ("six" and "6"), not a bound or a range."""
    return x.si_low == x.si_high == y.si_low == y.si_high and not (x.approx or y.approx)


def tied_by_figure(
    a: Claim, qa: Quantity, b: Claim, qb: Quantity, measure: Callable[[Claim, Quantity], str | None]
) -> bool:
    """Both figures are printed beside one same value of another measure ("171 passengers and six
    crew" and "its 174 passengers and six crew members"): the shared figure ties the two to one
    count, however differently the rest of the two sentences goes on."""
    sa, sb = _siblings(a, qa, measure), _siblings(b, qb, measure)
    return any(kind in sb and _same_printed(q, sb[kind]) for kind, q in sa.items())


# What may stand between a name and the relative clause that gives its figure: "the 2018 Camp Fire
# in northern California, which left 85 dead", "Flight 1282, which carried 171 passengers".
_RELATIVE_TO_FIGURE = re.compile(
    r"^(?:\s+in\s+(?:[a-z]+\s+)?(?:[A-Z][\w’'.-]*\s*)+)?\s*,\s*(?:which|who|that)\s+(?:[a-z]+\s+){1,2}"
    r"(?:(?:some|about|around|nearly|almost|more than|over|at least)\s+)?$"
)


def named_owner(c: Claim, q: Quantity) -> str | None:
    """The named thing a figure belongs to by a relative clause right after the name ("the 2018 Camp
    Fire in California, which claimed 86 lives" -> "camp fire"), if the words tie it to one."""
    rel = q.span.start - c.span.start
    # The farthest such name: in "Camp Fire in California, which ..." the clause is the fire's.
    for e in sorted(c.entities, key=lambda e: e.span.end):
        end = e.span.end - c.span.start
        if end <= rel and _RELATIVE_TO_FIGURE.match(c.text[end:rel]):
            return e.key
    return None


def owned_kinds(
    a: Claim, kinds_a: list[str | None], b: Claim, kinds_b: list[str | None]
) -> tuple[list[str | None], list[str | None]]:
    """Kinds told apart by the named thing a figure belongs to, where a claim gives one kind twice:
    in "the death toll climbed to 93, surpassing ... the 2018 Camp Fire in northern California, which
    left 85 dead" the 85 are the Camp Fire's, the figure another claim gives as "the 2018 Camp Fire in
    California, which claimed 86 lives"."""
    repeated = {k for k in (*kinds_a, *kinds_b) if k and (kinds_a.count(k) > 1 or kinds_b.count(k) > 1)}

    def owned(c: Claim, kinds: list[str | None]) -> list[str | None]:
        return [
            f"{k}@{owner}" if k in repeated and (owner := named_owner(c, q)) else k
            for q, k in zip(c.quantities, kinds, strict=True)
        ]

    return owned(a, kinds_a), owned(b, kinds_b)


def owned_alike(a: Claim, qa: Quantity, b: Claim, qb: Quantity) -> bool:
    """Both figures belong to one named thing by the words ("..., which claimed 86 lives")."""
    owner = named_owner(a, qa)
    return owner is not None and owner == named_owner(b, qb)


# A toll named before a bare figure, joined by a verb or preposition: "death toll hits 93", "the death
# toll from the Maui wildfires is now at 89". No figure or sentence end between them.
_TOLL_BEFORE = re.compile(
    r"\b(?:(death|injury|fatality)\s+)?toll\b[^.;:\d]{0,80}?"
    r"\b(?:to|at|of|reached|hits?|passed|crossed|topped|is|was|stands|stood|now)\s*$",
    re.IGNORECASE,
)


def toll_outcome(c: Claim, q: Quantity) -> str | None:
    """What happened to those a toll named before a bare figure counts ("death toll hits 93" -> dead;
    "toll" alone is the dead, as news writes it), or None where no toll is named."""
    if q.dimension != "count" or q.head or q.unit:
        return None
    m = _TOLL_BEFORE.search(c.text[: q.span.start - c.span.start])
    if not m:
        return None
    return "hurt" if (m.group(1) or "").lower() == "injury" else "dead"
