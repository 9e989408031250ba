"""Quantities: value or range, unit or head noun, qualifiers — each with its span.

"10,000-12,000 of its troops" -> 10000..12000 troop; "between 10,000 and 12,000 soldiers" ->
10000..12000 soldier (same class as troop); "Sixty-six drones" -> 66 drone; "about 1,300 square
kilometres (500 square miles)" -> ~1300 km2 as ONE quantity (the bracketed conversion is absorbed);
"an estimated 14,000 troops" -> ~14000 troop.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace

from newsprism.claims.clauses import _VERBISH
from newsprism.claims.figure_names import is_title_case, name_figure, names_a_thing
from newsprism.claims.model import Quantity
from newsprism.claims.numbers import (
    ANY_SCALE,
    CURRENCY_PREFIX,
    DIGITS,
    GLUED_UNIT_PATTERN,
    MONEY_SCALE,
    MONEY_WORD_PATTERN,
    PLAIN_SCALE,
    SPELLED,
    UNIT_PATTERN,
    VAGUE,
    WORD_SCALE,
    head_class,
    parse_number,
    shared_scale,
    unit_info,
)
from newsprism.claims.times import CALENDAR_WORDS, CLOCK_TIME
from newsprism.model import Span

_APPROX = (
    "about",
    "around",
    "approximately",
    "roughly",
    "some",
    "an estimated",
    "estimated",
    "nearly",
    "almost",
    "close to",
    "an approximate",
    "approximate",
    "circa",
    "c.",
)
_LOWER_BOUND = (
    "more than",
    "over",
    "at least",
    "upwards of",
    "just over",
    "well over",
    "in excess of",
    "no fewer than",
    "no less than",
)
_UPPER_BOUND = (
    "up to",
    "fewer than",
    "less than",
    "under",
    "at most",
    "as many as",
    "just under",
    "no more than",
)
_QUALIFIERS = sorted(_APPROX + _LOWER_BOUND + _UPPER_BOUND, key=len, reverse=True)
# The words that bound or hedge a figure ("nearly", "more than"): they say how exact it is, not what
# is counted, so they are never a kind.
BOUND_QUALIFIERS = frozenset(_QUALIFIERS)
_QUAL = "|".join(re.escape(q) for q in _QUALIFIERS)
# A dollar sign may carry its country: "US$5", "$US1", "A$2", "NZ$3" (news outside the US writes these).
_MONEY = r"(?:(?:US|AU|A|CA|C|NZ|HK|S)\$|\$(?:US|AU|A|NZ|C)(?=\d)|[$€£])"
_DOLLAR_CODE = re.compile(r"(US|AU|A|CA|C|NZ|HK|S)?\$(US|AU|A|NZ|C)?")
_DOLLARS = {
    "US": "usd",
    "AU": "aud",
    "A": "aud",
    "CA": "cad",
    "C": "cad",
    "NZ": "nzd",
    "HK": "hkd",
    "S": "sgd",
}
# A figure is all its digits: "$5.5bn" never reads as "$5" by stopping at the decimal point.
_FIGURE = rf"{DIGITS}(?![.,]?\d)"
_NUM = (
    rf"(?:{_MONEY}\s?{_FIGURE}(?:\s?(?:{ANY_SCALE})\b|\s+(?:{WORD_SCALE})\b)?"
    rf"|{_FIGURE}(?:\s?(?:{PLAIN_SCALE})\b|\s?(?:{MONEY_SCALE})\b(?=\s*(?:{MONEY_WORD_PATTERN})\b)"
    rf"|\s+(?:{WORD_SCALE})\b)?"
    rf"|{SPELLED})"
)
# The second end of a range: its "m" or "k" may scale a sum whose currency the first end prints
# ("€100-130m"); ``_bounds`` drops the range when no money is named.
_END = rf"(?:{_FIGURE}\s?(?:{MONEY_SCALE})\b|{_NUM})"
_MONEY_SCALED = re.compile(rf"\d\s?(?:{MONEY_SCALE})$", re.IGNORECASE)
_MONEY_WORD_AFTER = re.compile(rf"\s*(?:{MONEY_WORD_PATTERN})\b", re.IGNORECASE)
_VAGUE = "|".join(re.escape(v) for v in sorted(VAGUE, key=len, reverse=True))

# Not after "letters-" ("COVID-19") nor after "digits-" (the "2" of a record "45-7-2").
_QUANTITY = re.compile(
    rf"(?<![\w.,])(?<![A-Za-z\d]-)(?:(?P<qual>{_QUAL})\s+)?"
    rf"(?:between\s+(?P<b1>{_NUM})\s+and\s+(?P<b2>{_END})"
    rf"|from\s+(?P<f1>{_NUM})\s+to\s+(?P<f2>{_END})"
    rf"|(?P<n1>{_NUM})(?:\s*(?:-|–|—|to)\s*(?P<n2>{_END}))?"
    rf"|(?P<vague>{_VAGUE})(?=\s+of\b|\s+[a-z]))"
    rf"(?:(?![\w])|(?=(?:{GLUED_UNIT_PATTERN})(?![\w])))",
    re.IGNORECASE,
)
_HYPHEN_UNIT = re.compile(r"-(?P<unit>[a-z]+)(?P<old>-old)?\b", re.IGNORECASE)
_UNIT_AFTER = re.compile(rf"\s*(?P<unit>{UNIT_PATTERN})(?![\w])", re.IGNORECASE)
_CONVERSION = re.compile(
    rf"\s*\(\s*(?:{_QUAL}\s+)?{_NUM}(?:\s*(?:-|–|to)\s*{_NUM})?\s*(?:{UNIT_PATTERN})\s*\)", re.IGNORECASE
)
_OF_DET = re.compile(
    r"\s+of\s+(?:(?:its|the|their|his|her|our|these|those|them|whom|which)\s+)?", re.IGNORECASE
)
_WORD = re.compile(r"\s+(?P<w>[A-Za-z][A-Za-z'’-]*)")
_STOP = frozenset(
    """
of in on at to from for with and or but by that which who whom were was is are be been being had
have has as than over into across during after before since per a an the this these those its their
his her our it they we he she will would could can may might did do does not no said says say each
every while when where more less inside outside near within along through against about around
toward towards among between under above below amid despite via like including onto upon without
overnight today yesterday now already still also just only then there here so if because
out off up down away back ago later earlier apart aboard ahead alone together
""".split()
)
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d|21\d\d)$")


def _value(text: str) -> float | None:
    t = _DOLLAR_CODE.sub("", text.strip())
    for sym in CURRENCY_PREFIX:
        t = t.replace(sym, "")
    return parse_number(t)


def _currency(m: re.Match[str]) -> str | None:
    dollar = _DOLLAR_CODE.search(m.group(0))
    if dollar:
        return _DOLLARS.get((dollar.group(1) or dollar.group(2) or "US").upper(), "usd")
    for sym, unit in CURRENCY_PREFIX.items():
        if sym in m.group(0):
            return unit
    return None


def _bounds(m: re.Match[str]) -> tuple[float, float] | None:
    if m.group("vague"):
        lo, hi = VAGUE[m.group("vague").lower()]
        return float(lo), float(hi)
    pairs = (("b1", "b2"), ("f1", "f2"), ("n1", "n2"))
    for a, b in pairs:
        if m.group(a):
            lo = _value(m.group(a))
            hi = _value(m.group(b)) if m.group(b) else lo
            if lo is None or hi is None:
                return None
            if m.group(b) and _MONEY_SCALED.search(m.group(b)) and not _money(m):
                return None  # "5-10m": metres, or money of no named currency
            if m.group(b):
                lo = shared_scale(m.group(a), m.group(b), lo, hi)
            if b == "n2" and hi <= lo and _DASH.fullmatch(m.string[m.end(a) : m.start(b)]):
                return None  # a printed range rises; "52-3" or "8-8" is a record or a score
            return (min(lo, hi), max(lo, hi))
    return None


_DASH = re.compile(r"\s*[-–—]\s*")


def _money(m: re.Match[str]) -> bool:
    return _currency(m) is not None or _MONEY_WORD_AFTER.match(m.string, m.end()) is not None


def _apply_qualifier(qual: str | None, lo: float, hi: float) -> tuple[float, float, bool]:
    q = (qual or "").lower()
    if q in _LOWER_BOUND:
        return lo, math.inf, False
    if q in _UPPER_BOUND:
        return 0.0, hi, False
    if q in ("nearly", "almost", "close to"):
        return lo * 0.9, hi, True
    return lo, hi, q in _APPROX


_PLURAL = re.compile(r"[a-z]{2,}[^isu']s")
# Words ending in -s that stand before a head noun: "40 news outlets", "two arms dealers".
_S_MODIFIERS = frozenset(
    {"news", "series", "species", "means", "sports", "goods", "arms", "savings", "customs", "headquarters"}
)


# An abbreviation's plural, with or without an apostrophe: "46 KOs", "47 KO's", "12 MPs".
_ABBREV_PLURAL = re.compile(r"(?P<stem>[A-Z]{2,})['’]?s")


def _ends_head(word: str, after_head: bool) -> bool:
    """A word that cannot be (part of) the counted noun: a function word or a verb form."""
    return (
        word in _STOP
        or (word.endswith("ed") and len(word) > 3)
        or (after_head and word.endswith("ing"))
        or bool(_VERBISH.fullmatch(word))
    )


def _dash_glued(word: str) -> str | None:
    """The noun of a plural glued by a dash to the next clause's first word, as text that lost the
    spaces around a dash prints it: "167,000 people-remained", "ten patches-making", "defeats-and"."""
    noun, _, rest = word.partition("-")
    nxt = rest.split("-")[0].lower()
    if noun and nxt and (nxt in _STOP or (_is_plural(noun.lower()) and _ends_head(nxt, True))):
        return noun
    # "three bank workers-two women and a man-were killed": a number after the dash starts an aside.
    if noun and _is_plural(noun.lower()) and _NUMBER_START.fullmatch(nxt):
        return noun
    return None


_NUMBER_START = re.compile(rf"{DIGITS}|{SPELLED}", re.IGNORECASE)


_IRREGULAR_PLURALS = frozenset({"people", "children", "men", "women"})
_POSSESSIVE = re.compile(r"['’]s?$")


def _is_plural(word: str) -> bool:
    return word in _IRREGULAR_PLURALS or bool(_PLURAL.fullmatch(word))


def _head(text: str, pos: int) -> tuple[str | None, tuple[str, ...], int]:
    """The counted noun after a number: up to three words, stopping at a function word."""
    m = _OF_DET.match(text, pos)
    cursor = m.end() - 1 if m else pos
    words: list[tuple[str, int]] = []
    while len(words) < 3:
        w = _WORD.match(text, cursor)
        raw = w.group("w") if w else ""
        glued = _dash_glued(raw) if "-" in raw else None
        if glued:
            words.append((glued, w.start("w") + len(glued)))  # type: ignore[union-attr]
            break
        abbrev = _ABBREV_PLURAL.fullmatch(raw)
        if abbrev:
            words.append((abbrev.group("stem"), w.end()))  # type: ignore[union-attr]
            break
        if not w or _ends_head(raw.lower(), bool(words)):
            break
        word = raw.lower()
        possessive = _POSSESSIVE.search(raw)
        # "three of the city's hospitals": the owner narrows the noun that follows it.
        words.append((raw[: possessive.start()] if possessive else raw, w.end()))
        cursor = w.end()
        if _is_plural(word) and word not in _S_MODIFIERS:
            break  # a plural noun ends the compound: "288 candidates run", "900 people some"
    if not words or len(words[-1][0].strip("'’-")) < 2:
        return None, (), pos
    mods = tuple(w.lower() for w, _ in words[:-1])
    return words[-1][0].lower().strip("'’-"), mods, words[-1][1]


def _unit(text: str, m: re.Match[str]) -> tuple[str | None, str, float, int]:
    """(unit, dimension, factor, end) for what follows the number at ``m.end()``."""
    end = m.end()
    hy = _HYPHEN_UNIT.match(text, end)
    if hy and unit_info(hy.group("unit")):
        unit, dim, factor = unit_info(hy.group("unit"))  # type: ignore[misc]
        return unit, dim, factor, hy.end()
    after = _UNIT_AFTER.match(text, end)
    if after is None and m.group("vague"):
        of = _OF_DET.match(text, end)
        after = _UNIT_AFTER.match(text, of.end() - 1) if of else None
    if after:
        unit, dim, factor = unit_info(after.group("unit"))  # type: ignore[misc]
        conv = _CONVERSION.match(text, after.end())
        return unit, dim, factor, conv.end() if conv else after.end()
    cur = _currency(m)
    if cur:
        return cur, f"money:{cur}", 1.0, end
    return None, "count", 1.0, end


def _masked(start: int, end: int, masks: Sequence[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in masks)


_TIMES = re.compile(r"-times?\b", re.IGNORECASE)
# A number glued by a hyphen to a noun that is no unit makes an adjective of the two ("a three-way
# race", "a 10-point lead", "a 12-member jury"): the number counts that noun, not the one after it.
_COMPOUND = re.compile(r"-(?P<w>[a-z]{2,})\b(?!-)", re.IGNORECASE)
_FRACTION = re.compile(
    r"(?:half|halves|thirds?|quarters?|fourths?|fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?)",
    re.IGNORECASE,
)


def _not_counted(word: str) -> bool:
    """A word after a hyphen that is no counted noun: a function word ("12-another" where a dash lost
    its spaces), "plus" ("six-plus rounds") or an adjective in -ed ("a two-handed assault")."""
    return word in _NOT_NAMES or (word.endswith("ed") and len(word) > 3)
# Nouns that say what the number after them counts when no counted noun follows (or only a name):
# "a mother of 12" has 12 children, "a city of population 167,000" 167,000 people.
_RELATIONAL = re.compile(
    r"\b(?:(?P<child>(?:grand)?(?:mother|father|parent|mom|mum|dad)s?\s+of)"
    r"|(?P<people>population(?:\s+of)?))\s+$",
    re.IGNORECASE,
)
_RELATIONAL_HEAD = {"child": "children", "people": "people"}


def _implied_head(text: str, start: int) -> str | None:
    m = _RELATIONAL.search(text, max(0, start - 40), start)
    if m is None:
        return None
    return next(_RELATIONAL_HEAD[k] for k, v in m.groupdict().items() if v)


_PARTITIVE = re.compile(rf"\s+of\s+(?:the|its|their|his|her|those|these)\s+{_NUM}\b", re.IGNORECASE)
# The whole a part was taken from: "five of the six crew members were killed" counts six crew, of
# whom five were killed; six is the crew's total, not a count of what happened to them.
_WHOLE_AFTER = re.compile(rf"\b{_NUM}\s+of\s+(?:the|its|their|his|her|those|these)\s+$", re.IGNORECASE)


def _build(text: str, m: re.Match[str], offset: int) -> Quantity | None:
    if _PARTITIVE.match(text, m.end()):
        return None  # "three of the seven bullets": a part, counted by the number that follows
    bounds = _bounds(m)
    if bounds is None:
        return None
    lo, hi = bounds
    unit, dim, factor, end = _unit(text, m)
    head, mods = None, ()
    times = _TIMES.match(text, end) if unit is None else None
    compound = _COMPOUND.match(text, end) if unit is None and not times else None
    if compound and _FRACTION.fullmatch(compound.group("w")):
        return None  # "two-thirds of voters": a share, not a count of two
    if compound and _not_counted(compound.group("w").lower()):
        compound = None  # "a mother of 12-another mom", "six-plus rounds": no noun glued on
    if times:  # "a two-time Olympic champion": two titles, counted as champion
        head, mods, end = _head(text, times.end())
        mods = ("time", *mods)
    elif compound:  # "a three-way race", "a 10-point lead": no count of races; shown whole
        end = compound.end()
    elif unit is None or dim == "duration":
        head, mods, head_end = _head(text, end)
        implied = _implied_head(text, m.start()) if unit is None else None
        if implied and not (head and text[end:head_end].strip()[:1].islower()):
            head, mods = implied, ()  # "a mother of 12", "Mother of 13 Zurana Horton": children
        elif unit is None:
            end = max(end, head_end)
    raw_number = (m.group("n1") or "").strip()
    if unit is None and _YEAR.match(raw_number) and not m.group("n2") and not m.group("qual"):
        if head is None or not _is_plural(text[m.end() : end].split()[-1].lower()):
            return None  # a year, bare or naming a singular thing ("the 2007 season"), is a time
    qual = m.group("qual")
    lo, hi, approx = _apply_qualifier(qual, lo, hi)
    approx = approx or bool(m.group("vague"))
    quals = tuple(x for x in ((qual or "").lower(),) if x) + mods
    if _WHOLE_AFTER.search(text[max(0, m.start() - 60) : m.start()]):
        quals += ("total",)
    start = m.start()
    return Quantity(
        span=Span(offset + start, offset + end),
        text=text[start:end],
        low=lo,
        high=hi,
        approx=approx,
        unit=unit,
        head=head_class(head),
        qualifiers=quals,
        dimension=dim,
        si_low=lo * factor,
        si_high=hi * factor,
    )


_OPEN_BRACKET = re.compile(r"\s*\(\s*")


def _conversion(text: str, prev: Quantity | None, q: Quantity, offset: int) -> bool:
    """A sum of money in brackets right after another is its conversion ("$US1 million ($1.52
    million)"), not a second figure; other units' conversions are folded in by ``_unit``."""
    if prev is None or not (prev.dimension.startswith("money") and q.dimension.startswith("money")):
        return False
    between = text[prev.span.end - offset : q.span.start - offset]
    return _OPEN_BRACKET.fullmatch(between) is not None


_SPLIT_GROUP = re.compile(r"(?<![\d.,])\d{1,3}, $")  # "4, " before "051"
_SPLIT_DECIMAL = re.compile(r"(?<![\d.,])\d{1,2}\. $")  # "6. " before "0"


def _split_tail(text: str, start: int) -> bool:
    before = text[max(0, start - 6) : start]
    if _SPLIT_GROUP.search(before) and re.match(r"\d{3}(?!\d)", text[start:]):
        return True
    return bool(_SPLIT_DECIMAL.search(before) and re.match(r"\d(?![\d,])", text[start:]))


# An earthquake's magnitude: "magnitude 7.6", "magnitude-7.6", "7.6-magnitude", "measuring 7.6 on the
# Richter scale", "registered 7.4 on the Richter scale", "7.2 on the moment magnitude scale". Read as a
# magnitude, not as a count of quakes ("7.6 quake").
_MAGNITUDE = re.compile(
    r"\bmagnitude[-\s]+(?:of\s+)?(?P<a>\d(?:\.\d)?)(?![\d.,]\d)"
    r"|(?<![\d.,])(?P<b>\d(?:\.\d)?)[-\s]*(?:-\s*)?magnitude\b"
    r"|(?<![\d.,])(?P<c>\d(?:\.\d)?)\s+on\s+the\s+(?:richter|(?:moment[-\s]+)?magnitude)\b",
    re.IGNORECASE,
)


# "of about 7 magnitude", "a roughly 6-magnitude quake": a hedged reading of the magnitude.
_HEDGED = re.compile(rf"\b(?:{_QUAL})\s+$", re.IGNORECASE)


def _magnitudes(text: str, offset: int, masks: Sequence[tuple[int, int]]) -> list[Quantity]:
    out = []
    for m in _MAGNITUDE.finditer(text):
        if _masked(m.start(), m.end(), masks):
            continue
        value = float(m.group("a") or m.group("b") or m.group("c"))
        out.append(
            Quantity(
                span=Span(offset + m.start(), offset + m.end()),
                text=m.group(0),
                low=value,
                high=value,
                approx=_HEDGED.search(text, max(0, m.start() - 20), m.start()) is not None,
                unit="magnitude",
                dimension="magnitude",
                si_low=value,
                si_high=value,
            )
        )
    return out


# Words that say how many or when, not whose name a figure continues ("All 21", "Monday 30").
_NOT_NAMES = _STOP | CALENDAR_WORDS | frozenset(
    "all another other some only just nearly almost roughly exactly precisely least most both first "
    "last next top total plus minus".split()
)


def _plain(m: re.Match[str]) -> bool:
    """One figure alone: no range, bound, hedge or currency, which names never carry."""
    return bool(m.group("n1")) and not (m.group("n2") or m.group("qual") or _currency(m))


def extract_quantities(text: str, offset: int = 0, masks: Sequence[tuple[int, int]] = ()) -> list[Quantity]:
    """Quantities in ``text`` (a sentence or clause starting at ``offset`` in the article).

    ``masks`` are local ranges already taken by other slots (dates), whose numbers are not counts.
    Clock times are masked here as well, whoever calls: "5:07 p.m." is no count of 5 and of 7.
    """
    magnitudes = _magnitudes(text, offset, masks)
    title_case = is_title_case(text)
    clocks = [(c.start(), c.end()) for c in CLOCK_TIME.finditer(text)]
    masks = [*masks, *clocks, *((q.span.start - offset, q.span.end - offset) for q in magnitudes)]
    out: list[Quantity] = []
    taken_until = -1
    for m in _QUANTITY.finditer(text):
        if m.start() < taken_until or _masked(m.start(), m.end(), masks):
            continue
        if m.group("n1") and not m.group("n2") and m.group("n1").strip().lower() == "one":
            continue  # "one of", "no one": almost never a count worth comparing
        if _split_tail(text, m.start()):
            continue  # the tail of a number a tokeniser split: "4, 051 yards", "magnitude 6. 0 quake"
        q = _build(text, m, offset)
        if q is None or _conversion(text, out[-1] if out else None, q, offset):
            continue
        named = _plain(m) and q.unit is None and not title_case
        if named and names_a_thing(text, m.start(), m.end(), _NOT_NAMES):
            q = name_figure(q, Span(offset + m.start(), offset + m.end()), m.group(0))
        out.append(q)
        taken_until = q.span.end - offset
    return sorted(_compound_durations(text, out, offset) + magnitudes, key=lambda q: q.span.start)


_JOINED = re.compile(r"\s*(?:,|and|,\s*and)\s*")


def _compound_durations(text: str, found: list[Quantity], offset: int) -> list[Quantity]:
    """ "11 years and three months" is one duration of 11.25 years, not 11 years beside three months:
    a larger unit joined by "and" or a comma to a smaller one that does not fill it."""
    out: list[Quantity] = []
    for q in found:
        prev = out[-1] if out else None
        if prev is not None and _joins(text, prev, q, offset):
            per_unit = prev.si_low / prev.low
            total = prev.low + q.si_low / per_unit
            out[-1] = replace(
                prev,
                span=Span(prev.span.start, q.span.end),
                text=text[prev.span.start - offset : q.span.end - offset],
                low=total,
                high=total,
                si_low=prev.si_low + q.si_low,
                si_high=prev.si_high + q.si_high,
            )
            continue
        out.append(q)
    return out


def _joins(text: str, big: Quantity, small: Quantity, offset: int) -> bool:
    if not (big.dimension == small.dimension == "duration") or big.unit == small.unit:
        return False
    if big.approx or small.approx or big.low != big.high or small.low != small.high or not big.low:
        return False
    between = text[big.span.end - offset : small.span.start - offset]
    # the smaller part must not fill one of the larger unit ("1 hour and 90 minutes" is no clock)
    return _JOINED.fullmatch(between) is not None and 0 < small.si_low < big.si_low / big.low
