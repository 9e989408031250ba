"""Slot comparisons between two aligned claims: which values differ, and which differences are real.

Compatible values are not conflicts: overlapping ranges, rounding ("about 1,300" vs "1,300"),
bounds ("over 1,300" vs "an estimated 1,300"), converted units (km² vs square miles), vague
quantities ("hundreds of square miles"). Each difference names both slot values and their spans.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from newsprism.claims.actors import country_of
from newsprism.claims.model import Claim, Quantity, TimeRef
from newsprism.claims.numbers import CARDINAL_WORDS
from newsprism.claims.quantities import BOUND_QUALIFIERS
from newsprism.model import Span
from newsprism.verdicts.judges.lexicon import ANTONYMS, NEGATIONS

APPROX_TOLERANCE = 0.10  # "about", "an estimated": ±10 %
ROUNDING_CAP = 0.05  # a round number stands for ±half its last significant digit, at most ±5 %


@dataclass(frozen=True, slots=True)
class SlotValue:
    """One side of a comparison: the printed value, its normalised form, and where it is."""

    claim_id: str
    article_id: str
    text: str
    span: Span
    key: str  # what makes two values "the same" on this slot


@dataclass(frozen=True, slots=True)
class Difference:
    type: str  # numeric | entity | place | time | polarity | attribution | quote wording
    slot: str  # what is compared: a quantity head ("troop"), "person", "place", ...
    a: SlotValue
    b: SlotValue


def _rounding(value: float) -> float:
    if value == 0 or math.isinf(value):
        return 0.0
    v = abs(value)
    step = 10 ** math.floor(math.log10(v)) if v >= 1 else 0.0
    while step >= 10 and (v / step) != int(v / step):
        step /= 10
    return min(step / 2, v * ROUNDING_CAP)


def _factor(q: Quantity) -> float:
    for printed, base in ((q.low, q.si_low), (q.high, q.si_high)):
        if printed and not math.isinf(printed):
            return base / printed
    return 1.0


def interval(q: Quantity) -> tuple[float, float]:
    """The range a printed quantity is compatible with, in base units (rounding is judged on the
    printed number: "130 pounds" is 125-135 lb whatever that is in kilograms)."""
    f = _factor(q)
    tol_lo = max(_rounding(q.low), q.low * APPROX_TOLERANCE if q.approx else 0.0) * f
    tol_hi = 0.0
    if not math.isinf(q.high):
        tol_hi = max(_rounding(q.high), q.high * APPROX_TOLERANCE if q.approx else 0.0) * f
    return q.si_low - tol_lo, q.si_high + tol_hi


_TIME_ZONES = frozenset("gmt utc bst cet cest est edt cst cdt mst mdt pst pdt ist jst".split())


def residual_agreement(a: Claim, va: str, b: Claim, vb: str) -> float:
    """How much two claims agree on once the compared values are taken out: the share of the
    shorter one's content words the other also has."""
    from newsprism.align.score import content_tokens

    wa = {w for w in content_tokens(_content_text(a).replace(va, " ")) - _NEGATION_WORDS if len(w) > 1}
    wb = {w for w in content_tokens(_content_text(b).replace(vb, " ")) - _NEGATION_WORDS if len(w) > 1}
    return len(wa & wb) / min(len(wa), len(wb)) if wa and wb else 0.0


def _content_text(c: Claim) -> str:
    """What the claim states, without who said it ("..., officials said")."""
    return c.text[c.content_span.start - c.span.start : c.content_span.end - c.span.start] or c.text


_AGE = re.compile(r"\d+\s*-?\s*years?\s*-?\s*old|\baged?\s+\d", re.IGNORECASE)


def quantity_kind(q: Quantity) -> str | None:
    """What a quantity measures: a count of a head noun, or a dimension (per head when it has one,
    so "a 30-mile chase" and "50 miles north" are not the same measure)."""
    if q.head in _TIME_ZONES:
        return None  # "0300 GMT" is a clock time, not a count of GMTs
    if _AGE.search(q.text):
        return "age"  # "a 12-year-old" is someone's age, not a duration of twelve years
    if q.dimension == "count":
        return f"count:{q.head}" if q.head else None
    return f"{q.dimension}:{q.head}" if q.head else q.dimension


def comparable(a: Quantity, b: Quantity) -> bool:
    """Loosely the same measure: enough to call two values compatible, not to call them in conflict."""
    ka, kb = quantity_kind(a), quantity_kind(b)
    if ka is None or kb is None:
        return False
    return ka == kb or (a.dimension == b.dimension != "count" and not (a.head and b.head))


def compatible(a: Quantity, b: Quantity) -> bool:
    a_lo, a_hi = interval(a)
    b_lo, b_hi = interval(b)
    return a_lo <= b_hi and b_lo <= a_hi


def quantity_value(c: Claim, q: Quantity) -> SlotValue:
    return SlotValue(
        c.id, c.article_id, q.text, q.span, f"{q.low:g}-{q.high:g} {q.unit or q.head or ''}".strip()
    )


NUMERIC_MIN_OVERLAP = 0.15
# Share of the shorter claim's other content words the longer one also has, values taken out.
NUMERIC_MIN_RESIDUAL = 0.5
_NOT_RESTRICTIVE = frozenset({"other", "more", "separate", "total", "estimated", "additional", "further"})


def _modifiers(q: Quantity) -> frozenset[str]:
    """Words between the number and its head noun that narrow what is counted ("ladder" trucks)."""
    return frozenset(w for w in _kind_words(q) if " " not in w and w.isalpha()) - _NOT_RESTRICTIVE


def _kind_words(q: Quantity) -> list[str]:
    return [w for w in q.qualifiers if w not in BOUND_QUALIFIERS]


def _names_kind(part: Quantity, whole: Claim) -> bool:
    """Does the other claim say its count is of the part's kind too? "between 10,000 and 12,000
    North Korean soldiers" vs "North Korea sent an estimated 14,000 troops" count one set."""
    phrase = " ".join(_kind_words(part)).lower()
    country = country_of(phrase)
    names = set(_modifiers(part)) | {phrase} | ({country.lower()} if country else set())
    text = whole.text.lower()
    return any(re.search(rf"\b{re.escape(n)}\b", text) for n in names if n)


def _different_sets(qa: Quantity, qb: Quantity, a: Claim, b: Claim) -> bool:
    """Do the two counts count different things? "three ladder trucks" and "31 fire trucks" do: both
    name a kind and the kinds differ. Where only one names a kind the other claim does not mention,
    its count may be part of the other's whole when it is the smaller ("11 Yemeni pirates" of "23
    pirates"); a larger part is impossible, so "23 Yemeni pirates" vs "11 pirates" stays a conflict."""
    ma, mb = _modifiers(qa), _modifiers(qb)
    if ma and mb:
        return not ma & mb
    if not (ma or mb):
        return False
    (part, whole, whole_claim) = (qa, qb, b) if ma else (qb, qa, a)
    return not _names_kind(part, whole_claim) and interval(part)[1] < interval(whole)[0]


_REFERENCE = re.compile(
    r"\s*(?:\([^)]{0,30}\)\s*)?(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ward)?\s+)?"
    r"(?:of|from)\s+(?:the\s+)?([\w'’-]+(?:\s+[\w'’-]+)?)",
    re.IGNORECASE,
)


def _reference(claim: Claim, q: Quantity) -> str | None:
    """What a distance is measured from: "13 nautical miles (about 24km) from the cargo ship"."""
    if q.dimension != "length":
        return None
    m = _REFERENCE.match(claim.text, q.span.end - claim.span.start)
    return m.group(1).lower() if m else None


def _also_stated(q: Quantity, other: Claim) -> bool:
    """Does the other claim give the same figure for the same thing, under another wording? "Of the
    23 pirates arrested, 12 are Somali and 11 Yemeni" states the "11 Yemeni pirates" of the first."""
    return any(
        x.low == q.low
        and x.high == q.high
        and x.unit == q.unit
        and (x.head is None or x.head == q.head or x.head in q.qualifiers)
        for x in other.quantities
    )


FRAME_WORDS = 4  # words each side of a figure that say what it counts and what happened to it
FRAME_MIN_SHARED = 0.25


def frame(c: Claim, q: Quantity) -> frozenset[str]:
    """Content words around a figure, the figure itself left out: "the river rose 4.5 metres above
    its normal level" -> {river, rose, above, normal, level}."""
    from newsprism.align.score import content_tokens

    rel_start, rel_end = q.span.start - c.span.start, q.span.end - c.span.start
    before = c.text[:rel_start].split()[-FRAME_WORDS:]
    after = c.text[rel_end:].split()[:FRAME_WORDS]
    words = content_tokens(" ".join(before + after))
    # The counted noun itself is shared by construction (both count "people"); what is said of them
    # is the frame.
    head = (q.head or "")[:4]
    return frozenset(
        w
        for w in words
        if len(w) > 1 and not any(ch.isdigit() for ch in w) and not (head and w.startswith(head))
    )


# What happened to what a figure counts, in the words news uses for it: five people "killed" and
# three people "injured" are two facts, "killed" and "died" one.
_OUTCOMES = {
    "dead": "kill die dying dead death fatal fatalit perish lost live",
    "hurt": "injur wound hurt hospital treated",
    "held": "arrest detain custody charged",
    "moved": "evacuat fled flee displac homeless shelter left",
    "shot": "shot shoot gunned",
    "living": "home inhabit resident population town city village",
    "missing": "missing unaccounted",
    "rescued": "rescu saved pulled lifted",
}
_OUTCOME_OF = {stem: kind for kind, stems in _OUTCOMES.items() for stem in stems.split()}


def outcome(c: Claim, q: Quantity) -> str | None:
    """The kind of outcome nearest a figure ("killing four people" -> dead), if the words say one."""
    rel_start, rel_end = q.span.start - c.span.start, q.span.end - c.span.start
    before = c.text[:rel_start].lower().split()[-3:]
    after = c.text[rel_end:].lower().split()[:4]
    for word in [*after, *reversed(before)]:
        for stem, kind in _OUTCOME_OF.items():
            if word.startswith(stem):
                return kind
    return None


# Words that scope a figure to part of a whole or another period: two figures scoped differently
# count different things ("blocked six shots" in the game vs "two shots" during the run).
_SCOPE_WORDS = frozenset(
    "first last career all-time season total previous during since another additional other remaining alone "
    "only needed need needs would could might better worse higher lower".split()
)
# A claim about part of the whole ("during the deciding run", "in the second half", "since October")
# counts something else than one about all of it.
_CLAIM_SCOPE = re.compile(r"\b(?:during|since|so far|in the (?:first|second) half|in his last|alone)\b", re.I)
# After a figure these make it an offset from another time ("nine days before the inauguration").
_OFFSET_WORDS = frozenset("before after ago later earlier".split())


def _scope(c: Claim, q: Quantity) -> frozenset[str]:
    rel_start, rel_end = q.span.start - c.span.start, q.span.end - c.span.start
    before = [w.strip(".,;:()'\"") for w in c.text[:rel_start].lower().split()[-5:]]
    after = [w.strip(".,;:()'\"") for w in c.text[rel_end:].lower().split()[:3]]
    return frozenset(before + after + list(q.qualifiers)) & _SCOPE_WORDS | frozenset(after) & _OFFSET_WORDS


def same_frame(a: Claim, qa: Quantity, b: Claim, qb: Quantity) -> bool:
    """Do two figures of one kind say the same thing happened? "killing four people" and "led over
    14,000 people to take shelter" count people, but not the same people; "rose 4.5 metres above its
    normal level" and "climbed 5.4 metres above its usual level" measure one rise."""
    oa, ob = outcome(a, qa), outcome(b, qb)
    if oa and ob and oa != ob:
        return False
    if _scope(a, qa) != _scope(b, qb):
        return False  # "his first 17 passes" vs "34 passes"; "career points" vs "points"
    if bool(_CLAIM_SCOPE.search(a.text)) != bool(_CLAIM_SCOPE.search(b.text)):
        return False
    fa, fb = frame(a, qa), frame(b, qb)
    shared = fa & fb
    return bool(shared) and len(shared) / min(len(fa), len(fb)) >= FRAME_MIN_SHARED


def numeric_differences(a: Claim, b: Claim) -> list[Difference]:
    """Incompatible values of one measure in two claims that share wording.

    Not a conflict: a claim with several quantities of one kind (which answers which is unknown);
    two claims whose shared measures ALL differ ("33 homers, 121 RBIs in 157 games" vs "13 homers,
    43 RBIs in 54 games" are two seasons, not one disputed fact); claims with little wording in common.
    """
    kinds_a = [quantity_kind(q) for q in a.quantities]
    kinds_b = [quantity_kind(q) for q in b.quantities]
    shared = {k for k in kinds_a if k and kinds_a.count(k) == 1 and kinds_b.count(k) == 1}
    out = []
    for qa in a.quantities:
        kind = quantity_kind(qa)
        if kind not in shared or any(comparable(qb, qa) and compatible(qa, qb) for qb in b.quantities):
            continue
        qb = b.quantities[kinds_b.index(kind)]
        if _different_sets(qa, qb, a, b) or _also_stated(qa, b) or _also_stated(qb, a):
            continue
        if not same_frame(a, qa, b, qb):
            continue
        if _reference(a, qa) != _reference(b, qb):  # distances from different (or unnamed) places
            continue
        if residual_agreement(a, qa.text, b, qb.text) < NUMERIC_MIN_RESIDUAL:
            continue
        if kind == "age" and not _same_person_named(a, b):
            continue  # "the 66-year-old" and "the 36-year-old" are two people until a name says otherwise
        out.append(
            Difference("numeric", kind.split(":", 1)[-1], quantity_value(a, qa), quantity_value(b, qb))
        )
    if len(shared) >= 2 and len(out) == len(shared):
        return []
    if out and _overlap_ratio(_content_words(a), _content_words(b)) < NUMERIC_MIN_OVERLAP:
        return []
    if out and not about_the_same(a, b):
        return []
    return [d for d in out if not (_fraction_part(a, d.a) or _fraction_part(b, d.b))]


def about_the_same(a: Claim, b: Claim) -> bool:
    """Both claims name their subject, and no person, body or place tells them apart."""
    if unknown_subject(a) or unknown_subject(b):
        return False
    return not (different_subjects(a, b) or different_places(a, b))


def same_measure(a: Claim, qa: Quantity, b: Claim, qb: Quantity) -> bool:
    """Two figures that report one thing: the same frame, subject and place (values aside)."""
    return same_frame(a, qa, b, qb) and about_the_same(a, b)


def _fraction_part(c: Claim, v: SlotValue) -> bool:
    """A figure that is half of a written fraction ("4 1/2 hours", "41 / 2 months"), or another
    figure restated in brackets ("110 billion euros ($143 billion)"): not a value of its own."""
    rel_start, rel_end = v.span.start - c.span.start, v.span.end - c.span.start
    before, after = c.text[:rel_start], c.text[rel_end:]
    if re.match(r"\s*/\s*\d", after) or re.search(r"\d\s*/\s*$", before):
        return True
    return bool(re.search(r"\d[^()]{0,20}\(\s*[$€£]?\s*$", before))


def _same_person_named(a: Claim, b: Claim) -> bool:
    pa = {e.key for e in a.entities if e.label == "PERSON"}
    return bool(pa & {e.key for e in b.entities if e.label == "PERSON"})


def different_places(a: Claim, b: Claim) -> bool:
    """Both claims say where, and name no place in common: "10 houses damaged in Takengon" and
    "1,500 houses damaged in Central Aceh district" count different areas."""
    pa = {w for e in a.places for w in e.key.split()}
    pb = {w for e in b.places for w in e.key.split()}
    return bool(pa and pb and not pa & pb)


_PRONOUN_START = re.compile(r"^\W*(?:he|she|they|it|his|her|their|its)\b", re.IGNORECASE)


def unknown_subject(c: Claim) -> bool:
    """A claim that starts with a pronoun ("He has also caught eight passes"): whose figure it is
    the claim does not say, so it cannot contradict anyone's."""
    return bool(_PRONOUN_START.match(c.text))


# Two or more capitalised words opening a claim: a name ("Shy Ely scored"), where one capitalised
# word may only be the sentence's first ("Starting at 8 p.m., ...").
_LEAD_NAME = re.compile(r"^\W*((?:[A-Z][\w’'.-]+\s+){1,3}[A-Z][\w’'.-]+)(?=\s+[a-z])")
# One capitalised word followed by a verb-like word: "Vaughn finished with 16 points".
_LEAD_WORD = re.compile(r"^\W*([A-Z][a-z’'-]+)(?=\s+(?:[a-z]+(?:ed|s)|had|has|was|is|now|also|then)\b)")
_NOT_NAMES = frozenset(
    "the a an in on at after before soon starting when as by for with this that these those it he she they "
    "we i there here his her its their our some many most all both each".split()
)


def _lead_name(c: Claim) -> frozenset[str]:
    """The words of the name a claim opens with, its likely subject: a tagged entity starting the
    claim, or a run of capitalised words."""
    start = c.span.start + len(c.text) - len(c.text.lstrip(" \"“‘'"))
    for e in c.entities:
        if e.span.start == start and e.label in ("PERSON", "ORG", "NORP", "GPE"):
            return frozenset(w.lower() for w in e.text.split())
    m = _LEAD_NAME.match(c.text) or _LEAD_WORD.match(c.text)
    if not m or m.group(1).split()[0].lower() in _NOT_NAMES:
        return frozenset()
    return frozenset(w.lower().strip(".’'") for w in m.group(1).split())


def different_subjects(a: Claim, b: Claim) -> bool:
    """The claims are about different people or bodies: both name people (or organisations) and share
    none ("Phillips had missed three games" vs "Bush missed four games"; "the Red Sox offered $200
    million" vs "the Nationals offered $160 million"), or both open with a name and the names differ
    ("Ty Lawson added 16 points" vs "Shy Ely scored 23 points")."""
    for labels in (("PERSON",), ("ORG",)):
        ea = {e.key for e in a.entities if e.label in labels}
        eb = {e.key for e in b.entities if e.label in labels}
        if ea and eb and not ea & eb:
            return True
    la, lb = _lead_name(a), _lead_name(b)
    if not (la and lb) or la & lb:
        return False
    # One claim may name the other's subject later ("Police said ..." vs "..., police said").
    return not (la & set(_words(b.text)) or lb & set(_words(a.text)))


def _overlap_ratio(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _overlap(x: TimeRef, y: TimeRef) -> bool:
    return bool(x.start and y.start and x.start <= (y.end or y.start) and y.start <= (x.end or x.start))


# Times precise enough to disagree: a year or a month alone is too often another event's ("convicted
# in June 1998" vs "returned to prison in June 1999").
# "yesterday" and "today" (kind "relative") name a day only against a publication date, which
# copies and pages often lack or get wrong: never compared.
_DAY_KINDS = frozenset({"date", "weekday"})
TIME_MIN_RESIDUAL = 0.6


def time_differences(a: Claim, b: Claim) -> list[Difference]:
    """Resolved days inside the content (not "said Saturday"), one each, on claims that agree on
    nearly everything else (the same happening, dated differently)."""
    ta = [t for t in a.times if t.start and t.kind in _DAY_KINDS and _inside(t.span, a.content_span)]
    tb = [t for t in b.times if t.start and t.kind in _DAY_KINDS and _inside(t.span, b.content_span)]
    if len(ta) != 1 or len(tb) != 1 or _overlap(ta[0], tb[0]):
        return []
    x, y = ta[0], tb[0]
    if (x.key and x.key == y.key) or _words(x.text) == _words(y.text):
        return []  # "Friday" in both: one day, read against two publication dates
    if (
        sum(_inside(t.span, a.content_span) for t in a.times) > 1
        or sum(_inside(t.span, b.content_span) for t in b.times) > 1
    ):
        return []  # which of several times the other's answers is unknown
    if residual_agreement(a, x.text, b, y.text) < TIME_MIN_RESIDUAL:
        return []
    return [
        Difference(
            "time",
            "time",
            SlotValue(a.id, a.article_id, x.text, x.span, f"{x.start}..{x.end}"),
            SlotValue(b.id, b.article_id, y.text, y.span, f"{y.start}..{y.end}"),
        )
    ]


def _inside(span: Span, outer: Span) -> bool:
    return outer.start <= span.start and span.end <= outer.end


_PLACE_PREPOSITION = re.compile(
    r"\b(?:in|at|near|outside|inside|into|from|to|across|over|toward|towards)\s+(?:the\s+)?(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)


def _entity_sets(c: Claim, labels: tuple[str, ...]) -> dict[str, tuple[str, Span]]:
    out = {}
    for e in c.entities:
        if e.label not in labels or not _inside(e.span, c.content_span):
            continue
        if e.label == "PERSON" and e.text.isupper():
            continue  # a shouted headline ("KILLED BY DRUNK DRIVER"): NER reads capitals as names
        if e.label != "PERSON":
            if country_of(e.text.removeprefix("the ")):
                continue  # countries are mostly actors, not the place of an event
            before = c.text[max(0, e.span.start - c.span.start - 40) : e.span.start - c.span.start]
            if not _PLACE_PREPOSITION.search(before):
                continue  # only "in X", "at X": the place where something happened
        out.setdefault(e.key, (e.text, e.span))
    return out


def entity_differences(a: Claim, b: Claim) -> list[Difference]:
    out = []
    for kind, labels in (("entity", ("PERSON",)), ("place", ("GPE", "LOC")), ("place", ("FAC",))):
        ea, eb = _entity_sets(a, labels), _entity_sets(b, labels)
        if ea and eb and not set(ea) & set(eb) and not _alias(ea, eb):
            (ka, (xa, sa)), (kb, (xb, sb)) = next(iter(ea.items())), next(iter(eb.items()))
            slot = "person" if kind == "entity" else "place"
            out.append(
                Difference(
                    kind,
                    slot,
                    SlotValue(a.id, a.article_id, xa, sa, ka),
                    SlotValue(b.id, b.article_id, xb, sb, kb),
                )
            )
    return out


def _alias(ea: dict[str, tuple[str, Span]], eb: dict[str, tuple[str, Span]]) -> bool:
    """ "Kursk" vs "Kursk region", "Charlie Kafoury" vs "Charlie": the names share a word."""
    words_a = {w for text, _ in ea.values() for w in _words(text) if len(w) > 2}
    words_b = {w for text, _ in eb.values() for w in _words(text) if len(w) > 2}
    return bool(words_a & words_b) or any(x in y or y in x for x in ea for y in eb)


_FUNCTION_WORDS = frozenset("the a an of in on at to and that 0 00".split())
_ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
_NUMBER_OF = {
    **{w: str(i) for i, w in enumerate(_ORDINALS, 1)},
    **{f"{i}{suffix}": str(i) for i in range(1, 101) for suffix in ("st", "nd", "rd", "th")},
    **{w: str(n) for w, n in CARDINAL_WORDS.items() if isinstance(n, int)},
}


_CONTRACTED_NOT = re.compile(r"n[’']t\b", re.IGNORECASE)
# Emphasis built on a negative word that negates nothing: "nothing less than the future of Europe".
_NOT_NEGATING = re.compile(r"\b(?:nothing|no|not)\s+(?:less|more)\s+than\b|\bnot\s+only\b", re.IGNORECASE)


def _words(text: str) -> list[str]:
    """Lower-case words; "wouldn't" is "would not", number words and ordinals are figures."""
    text = _NOT_NEGATING.sub(" ", _CONTRACTED_NOT.sub(" not", text))
    words = "".join(ch.lower() if ch.isalnum() else " " for ch in text).split()
    return [_NUMBER_OF.get(w, w) for w in words]


def _near(x: str, y: str) -> bool:
    """Spelling variants ("defense"/"defence", "OK"/"okay") are the same word."""
    return x.startswith(y) or y.startswith(x) or SequenceMatcher(None, x, y, autojunk=False).ratio() >= 0.8


def wording_changes(a: list[str], b: list[str]) -> list[tuple[str, str]]:
    """Word-level edits between two quotes, ignoring spelling variants and added/dropped articles."""
    out = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        xa, xb = a[i1:i2], b[j1:j2]
        if op == "replace" and len(xa) == len(xb) and all(_near(x, y) for x, y in zip(xa, xb, strict=True)):
            continue
        if not (set(xa) | set(xb)) - _FUNCTION_WORDS:
            continue
        out.append((" ".join(xa), " ".join(xb)))
    return out


def meaning_change(changes: list[tuple[str, str]]) -> str | None:
    """Why a quote's rewording changes what it says: a figure, a negation or an opposite word differs.
    Anything else (a synonym, a dropped word, another translation) keeps the meaning."""
    for old, new in changes:
        wa, wb = set(old.split()), set(new.split())
        if {w for w in wa ^ wb if any(ch.isdigit() for ch in w)}:
            return f"a figure differs ({old or '-'} / {new or '-'})"
        if (wa ^ wb) & NEGATIONS:
            return f"a negation differs ({old or '-'} / {new or '-'})"
        if any(ANTONYMS.get(w, frozenset()) & wb for w in wa):
            return f"an opposite word is used ({old} / {new})"
    return None


QUOTE_MIN_WORDS = 6  # a shorter quoted phrase ("world's lightest") is a label, not a statement


_NEGATION_MOVES = frozenset({"not", "do", "does", "did"})


def _different_speakers(a: Claim, b: Claim) -> bool:
    from newsprism.verdicts.sources import source_key

    ka, kb = source_key(a), source_key(b)
    return bool(ka and kb and ka != kb)


def _one_speaker(a: Claim, b: Claim) -> bool:
    """Both quotes are attributed, to the same source: only then is a reworded quote a conflict
    (two unattributed passages in quote marks may be two different statements)."""
    from newsprism.verdicts.sources import source_key

    ka, kb = source_key(a), source_key(b)
    return bool(ka and ka == kb)


def quote_differences(a: Claim, b: Claim, low: float = 0.5) -> list[Difference]:
    """The same quote printed with different words (a retranslation, a paraphrase in quote marks).
    ``type`` is "quote wording" when the change alters the meaning, "wording" when it does not."""
    out = []
    for qa in a.quotes:
        wa = _words(qa.text)
        for qb in b.quotes:
            wb = _words(qb.text)
            if min(len(wa), len(wb)) < QUOTE_MIN_WORDS or min(len(wa), len(wb)) < 0.5 * max(len(wa), len(wb)):
                continue
            na, nb = " ".join(wa), " ".join(wb)
            if na in nb or nb in na or SequenceMatcher(None, wa, wb, autojunk=False).ratio() < low:
                continue
            if _different_speakers(a, b):
                continue  # two people saying similar things are two quotes, not one reworded
            changes = wording_changes(wa, wb)
            if wa.count("not") == wb.count("not"):
                # The negation moved, not added or dropped ("I didn't feel we were" / "I feel we
                # weren't"): edits that only move it say the same thing.
                changes = [(x, y) for x, y in changes if (set(x.split()) ^ set(y.split())) - _NEGATION_MOVES]
            if changes:
                changed = meaning_change(changes) and _one_speaker(a, b)
                out.append(
                    Difference(
                        "quote wording" if changed else "wording",
                        "quote",
                        SlotValue(a.id, a.article_id, qa.text, qa.span, na),
                        SlotValue(b.id, b.article_id, qb.text, qb.span, nb),
                    )
                )
    return out


POSITIVE = frozenset({"asserts", "claims", "confirms"})


def polarity(c: Claim) -> int:
    """+1 when the claim affirms its content, -1 when negated or denied."""
    sign = -1 if c.attribution.stance in ("denies", "disputes") or c.response_to else 1
    return -sign if c.negated and not c.response_to else sign


def _side_value(c: Claim) -> SlotValue:
    marker = c.negations[0] if c.negations else None
    span = marker.span if marker else (c.attribution.verb_span or c.content_span)
    text = marker.text if marker else (c.attribution.verb or "asserts")
    return SlotValue(c.id, c.article_id, text, span, "negative" if polarity(c) < 0 else "positive")


def _content_words(c: Claim) -> frozenset[str]:
    from newsprism.align.score import content_tokens

    return content_tokens(_content_text(c)) - _NEGATION_WORDS


_NEGATION_WORDS = frozenset("not never no none nobody nothing neither nor t yet fail".split())
POLARITY_MIN_OVERLAP = 0.7
POLARITY_MAX_EXTRA = 1  # content words one side has and the other lacks
_ANY_NEGATION = re.compile(r"\b(?:not|no|never|none|nothing|nobody|neither|nor)\b|n[’']\s?t\b", re.IGNORECASE)


def polarity_difference(a: Claim, b: Claim) -> list[Difference]:
    """Opposite polarity on near-identical wording: the two say the same words but for the negation.
    A side that negates something it adds ("... and have no further comment") is an addition, and
    looser pairs are too often two different facts ("pleads not guilty" vs "found guilty")."""
    if polarity(a) == polarity(b):
        return []
    wa, wb = _content_words(a), _content_words(b)
    if _overlap_ratio(wa, wb) < POLARITY_MIN_OVERLAP or max(len(wa - wb), len(wb - wa)) > POLARITY_MAX_EXTRA:
        return []
    affirming = b if polarity(a) < 0 else a
    if _ANY_NEGATION.search(affirming.text):
        return []  # a negation outside the main clause: the two may well say the same thing
    return [Difference("polarity", "polarity", _side_value(a), _side_value(b))]


def attribution_difference(a: Claim, b: Claim) -> list[Difference]:
    """Both outlets attribute the same statement to sources of different sides (Russia's general vs
    Ukraine's general staff). Two people of one side (a spokesperson and the president he speaks for)
    are a different but true attribution, and a source whose side is unknown cannot be opposed."""
    xa, xb = a.attribution, b.attribution
    if xa.is_outlet or xb.is_outlet or not xa.source_span or not xb.source_span:
        return []
    if not (xa.actor and xb.actor) or set(xa.actor.split(", ")) & set(xb.actor.split(", ")):
        return []
    return [
        Difference(
            "attribution",
            "source",
            SlotValue(a.id, a.article_id, xa.source, xa.source_span, xa.actor or xa.source),
            SlotValue(b.id, b.article_id, xb.source, xb.source_span, xb.actor or xb.source),
        )
    ]
