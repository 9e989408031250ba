"""Number words and units: the vocabulary the quantity extractor normalises to."""

from __future__ import annotations

import re

_UNITS_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS_WORDS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
# Every spelled cardinal below a hundred, for other modules' vocabularies.
CARDINAL_WORDS = {**_UNITS_WORDS, **_TENS_WORDS}
SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    # Abbreviations news prints, glued or spaced: "$5.5bn", "€103m", "£1.2trn", "$300k", "$2 bln",
    # "$3.3B".
    "bn": 1_000_000_000,
    "bln": 1_000_000_000,
    "b": 1_000_000_000,
    "mn": 1_000_000,
    "mln": 1_000_000,
    "tn": 1_000_000_000_000,
    "trn": 1_000_000_000_000,
    "m": 1_000_000,
    "k": 1_000,
}
# The abbreviated scales that also stand for a unit or a letter ("a 5m wall" is metres, "a 10k run"
# kilometres, "3B" a grade): read as scales only of a sum of money.
AMBIGUOUS_SCALES = frozenset({"m", "k", "b"})
# Vague plurals: "hundreds of" is at least two hundred and below a thousand. Each range is the word's
# widest ordinary reading, since a vague word beside an exact count is looseness, not a second account:
# reports say "several" of what another counts as two.
VAGUE = {
    "tens of thousands": (10_000, 99_999),
    "hundreds of thousands": (100_000, 999_999),
    "tens of millions": (1e7, 9.99e7),
    "hundreds of millions": (1e8, 9.99e8),
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2_000, 9_999),
    "millions": (2e6, 9.99e8),
    "billions": (2e9, 9.99e11),
    "several": (2, 12),
    "multiple": (2, float("inf")),
    "a few": (2, 5),
    "a dozen": (12, 12),
    "a handful of": (2, 6),
    "a couple of": (2, 2),
}

# Scale words: spelled ones after a space ("5.5 billion"), abbreviations glued or spaced ("$5.5bn",
# "€103m", "£1.2 trn"). "m" and "k" also stand for metres and kilometres ("a 5m wall", "a 10k run"), so
# they scale only a sum of money: one with a currency sign, or one a money word follows ("103m euros").
WORD_SCALE = "|".join(k for k in SCALES if len(k) > 3)
_SHORT_SCALES = sorted((k for k in SCALES if len(k) <= 3), key=len, reverse=True)
PLAIN_SCALE = "|".join(k for k in _SHORT_SCALES if k not in AMBIGUOUS_SCALES)
ANY_SCALE = "|".join(_SHORT_SCALES)
MONEY_SCALE = "|".join(sorted(AMBIGUOUS_SCALES))
_SCALED = re.compile(rf"(?:{ANY_SCALE}|{WORD_SCALE})$", re.IGNORECASE)


def shared_scale(first: str, second: str, low: float, high: float) -> float:
    """The first end of a range that prints its scale once, at its end: "$2-3bn" and "two to three
    million" scale both ends. Only a first end below the second's figure takes it ("from 500 to 2
    million" keeps its 500)."""
    scale = _SCALED.search(second.strip())
    if scale is None or _SCALED.search(first.strip()):
        return low
    factor = SCALES[scale.group(0).lower()]
    return low * factor if low < high / factor else low


NUMBER_WORD = "|".join(sorted(list(_UNITS_WORDS) + list(_TENS_WORDS), key=len, reverse=True))
SPELLED = rf"(?:(?:{NUMBER_WORD})(?:[- ](?:{NUMBER_WORD}))?(?:\s+(?:hundred|thousand|million|billion))?)"
DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"


def parse_number(text: str) -> float | None:
    """'1,300' -> 1300, 'Sixty-six' -> 66, '1.5 million' -> 1.5e6, 'three hundred' -> 300."""
    # "5.5bn" is "5.5 bn": an abbreviated scale glued to its figure
    t = re.sub(r"(?<=\d)(?=[a-z])", " ", text.strip().lower().replace(",", ""))
    if not t:
        return None
    parts = re.split(r"[\s-]+", t)
    total, current, seen = 0.0, 0.0, False
    for part in parts:
        if re.fullmatch(r"\d+(?:\.\d+)?", part):
            current += float(part)
        elif part in _UNITS_WORDS:
            current += _UNITS_WORDS[part]
        elif part in _TENS_WORDS:
            current += _TENS_WORDS[part]
        elif part in SCALES and seen:
            scale = SCALES[part]
            if scale == 100:
                current *= 100
            else:
                total += current * scale
                current = 0.0
        elif part in ("and", "a"):
            continue
        else:
            return None
        seen = True
    return total + current if seen else None


# unit word -> (canonical unit, dimension, factor to the dimension's base unit)
_UNIT_TABLE: dict[str, tuple[str, str, float]] = {}


def _add(names: str, canonical: str, dimension: str, factor: float) -> None:
    for name in names.split("|"):
        _UNIT_TABLE[name] = (canonical, dimension, factor)


_add(
    "square kilometres|square kilometers|square kilometre|square kilometer|sq km|km2|km²|sq. km",
    "km2",
    "area",
    1.0,
)
_add("square miles|square mile|sq mi|sq miles|sq. mi", "mi2", "area", 2.58999)
_add("hectares|hectare|ha", "ha", "area", 0.01)
_add("acres|acre", "acre", "area", 0.00404686)
_add("kilometres|kilometers|kilometre|kilometer|km", "km", "length", 1.0)
_add("nautical miles|nautical mile|nmi", "nmi", "length", 1.852)
_add("miles|mile|mi", "mi", "length", 1.609344)
_add("metres|meters|metre|meter|m", "m", "length", 0.001)
_add("feet|foot|ft", "ft", "length", 0.0003048)
_add("kilograms|kilogram|kg", "kg", "mass", 1.0)
_add("tonnes|tonne|tons|ton|t", "t", "mass", 1000.0)
_add("pounds|pound|lb|lbs", "lb", "mass", 0.45359237)
_add("seconds|second|secs|sec", "s", "duration", 1 / 60)
_add("minutes|minute|mins|min", "min", "duration", 1.0)
_add("hours|hour|hrs|hr", "h", "duration", 60.0)
_add("days|day", "day", "duration", 1440.0)
_add("weeks|week", "week", "duration", 10080.0)
_add("months|month", "month", "duration", 43830.0)
_add("years|year", "year", "duration", 525960.0)
_add("percent|per cent|percentage points|%", "%", "percent", 1.0)
_add("dollars|dollar|usd|$", "usd", "money:usd", 1.0)
_add("euros|euro|eur|€", "eur", "money:eur", 1.0)
_add("pounds sterling|£|gbp", "gbp", "money:gbp", 1.0)
_add("degrees celsius|degrees|°c", "c", "temperature", 1.0)

UNIT_PATTERN = "|".join(
    re.escape(u) for u in sorted(_UNIT_TABLE, key=len, reverse=True) if len(u) > 1 or u == "%"
)
# Unit abbreviations printed glued to their figure: "2,000ft", "5km", "10kg" ("m" and "t" are left
# out: "5m" is money as often as metres).
_GLUED_UNITS = ("km2", "km²", "km", "ft", "nmi", "mi", "kg", "lbs", "lb", "ha", "hrs", "hr")
GLUED_UNIT_PATTERN = "|".join(re.escape(u) for u in _GLUED_UNITS if u in _UNIT_TABLE)
CURRENCY_PREFIX = {"$": "usd", "€": "eur", "£": "gbp"}
# The names of money printed after a figure ("103m euros"); "pounds" alone weighs, so it is not one.
MONEY_WORD_PATTERN = "|".join(
    re.escape(u)
    for u in sorted(_UNIT_TABLE, key=len, reverse=True)
    if _UNIT_TABLE[u][1].startswith("money") and u[0].isalpha()
)


def unit_info(word: str) -> tuple[str, str, float] | None:
    return _UNIT_TABLE.get(word.lower().strip())


def unit_by_canonical(canonical: str) -> tuple[str, str, float] | None:
    for value in _UNIT_TABLE.values():
        if value[0] == canonical:
            return value
    return None


# Head nouns that count the same thing, so "troops" and "soldiers" compare.
_HEAD_CLASSES = (
    "troop soldier serviceman servicemen force personnel fighter combatant",
    "people person civilian resident individual population",
    "death fatality dead killed",
    "drone uav",
    "missile rocket",
    "vehicle car",
)
HEAD_CLASS = {w: cls.split()[0] for cls in _HEAD_CLASSES for w in cls.split()}


def singular(word: str) -> str:
    w = word.lower()
    irregular = {
        "people": "people",
        "men": "man",
        "women": "woman",
        "children": "child",
        "servicemen": "serviceman",
        "personnel": "personnel",
        "police": "police",
        "series": "series",
        "news": "news",
    }
    if w in irregular:
        return irregular[w]
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "sses", "xes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        return w[:-1]
    return w


def head_class(word: str | None) -> str | None:
    if not word:
        return None
    s = singular(word)
    return HEAD_CLASS.get(s, s)
