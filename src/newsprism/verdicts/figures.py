"""Figures in two claims: which differ, and whether the two figures report the same thing.

Compatible values are not conflicts: overlapping ranges, rounding ("about 1,300" vs "1,300"),
bounds ("over 1,300" vs "an estimated 1,300"), converted units (km² vs square miles), vague
quantities ("hundreds of square miles"). Incompatible values are a conflict only when both figures
count one thing: the same kind, frame, outcome and scope, of the same subject in the same place.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from itertools import zip_longest

from newsprism.claims.actors import country_of
from newsprism.claims.model import Claim, Quantity
from newsprism.claims.quantities import BOUND_QUALIFIERS
from newsprism.verdicts import figure_scope
from newsprism.verdicts.compare import (
    Difference,
    SlotValue,
    _content_words,
    _overlap_ratio,
    residual_agreement,
)
from newsprism.verdicts.subjects import antecedent_fits, different_subjects, unknown_subject

APPROX_TOLERANCE = 0.10  # "about", "an estimated": ±10 %
ROUNDING_CAP = 0.05  # a round number stands for ±half its last significant digit, at most ±5 %


def _rounding(value: float) -> float:
    """Half the step of the last printed digit, for round numbers only: "1,300" may stand for
    1,250-1,350, "4.5" for 4.45-4.55, while "13" is thirteen (a mother of 13 is not a mother of 12)."""
    if value == 0 or math.isinf(value):
        return 0.0
    v = abs(value)
    if v != int(v):
        decimals = len(f"{v:.6f}".rstrip("0").split(".")[1])
        return min(0.5 * 10**-decimals, v * ROUNDING_CAP)
    step = 1
    while v % (step * 10) == 0:
        step *= 10
    return min(step / 2, v * ROUNDING_CAP) if step >= 10 else 0.0


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
    if not (math.isinf(q.high) or _BELOW.intersection(q.qualifiers)):
        tol_hi = max(_rounding(q.high), q.high * APPROX_TOLERANCE if q.approx else 0.0) * f
    return q.si_low - tol_lo, q.si_high + tol_hi


# "nearly 90%", "almost 1,300": approached from below, so the value is not above the printed one.
_BELOW = frozenset({"nearly", "almost"})


_TIME_ZONES = frozenset("gmt utc bst cet cest est edt cst cdt mst mdt pst pdt ist jst".split())

_AGE = re.compile(r"(?:\d+|\b[a-z]+)\s*-?\s*years?\s*-?\s*old|\baged?\s+\d", re.IGNORECASE)


def quantity_kind(q: Quantity) -> str | None:
    """What a quantity measures: a count of a head noun, or a dimension (per head when it has one,
    so "a 30-mile chase" and "50 miles north" are not the same measure)."""
    if q.head in _TIME_ZONES or _TIME_ZONES.intersection(q.qualifiers):
        return None  # "0300 GMT", "2248 GMT Tuesday" are clock times, not counts of GMTs
    if _AGE.search(q.text):
        return "age"  # "a 12-year-old" is someone's age, not a duration of twelve years
    if q.dimension == "count":
        return f"count:{q.head}" if q.head else None
    return f"{q.dimension}:{q.head}" if q.head else q.dimension


# "Robert Buckley, 32, fell": a bare number set off by commas after a name is an age; so is "27 year
# old" printed without hyphens (the quantity ends before "old").
_APPOSITIVE_AGE_BEFORE = re.compile(r"[A-Z][\w’'.-]+,\s*$")
_APPOSITIVE_AGE_AFTER = re.compile(r"\s*(?:,|\)|$)")
_OLD_AFTER = re.compile(r"\s*-?\s*old\b", re.IGNORECASE)


def kind_in(c: Claim, q: Quantity) -> str | None:
    """What a quantity measures, read with the words around it in its claim."""
    rel_start, rel_end = q.span.start - c.span.start, q.span.end - c.span.start
    after = c.text[rel_end:]
    if q.unit == "year" and _OLD_AFTER.match(after):
        return "age"
    if (
        q.dimension == "count"
        and not (q.head or q.unit)
        and q.low == q.high == int(q.low)
        and 0 < q.low < 120
        and _APPOSITIVE_AGE_BEFORE.search(c.text[:rel_start])
        and _APPOSITIVE_AGE_AFTER.match(after)
    ):
        return "age"
    return quantity_kind(q)


def comparable(a: Quantity, b: Quantity) -> bool:
    """Loosely the same measure: enough to call two values compatible, not to call them in conflict."""
    ka, kb = quantity_kind(a), quantity_kind(b)
    if ka is None or kb is None:
        return False
    return ka == kb or (a.dimension == b.dimension != "count" and not (a.head and b.head))


# "at least 12 killed": a tally of those confirmed so far, not a mere floor.
_TALLY = frozenset({"at least", "no fewer than"})


def _tally(q: Quantity) -> tuple[float, float] | None:
    """Two tallies ("at least 3,200" vs "at least 4,100 residents") are two counts of one thing, so
    they compare by their printed floors, each within its rounding."""
    if not (_TALLY.intersection(q.qualifiers) and math.isinf(q.high)):
        return None
    tol = _rounding(q.low) * _factor(q)
    return q.si_low - tol, q.si_low + tol


def compatible(a: Quantity, b: Quantity) -> bool:
    """Overlapping ranges. Two single values whose rounding ranges only touch are two printed values
    at one precision ("7.4" vs "7.5", "12.5" halfway), not one value rounded two ways; a bound that
    reaches a value ("at least 12" and "12") is compatible with it."""
    ta, tb = _tally(a), _tally(b)
    (a_lo, a_hi), (b_lo, b_hi) = (ta, tb) if ta and tb else (interval(a), interval(b))
    lo, hi = max(a_lo, b_lo), min(a_hi, b_hi)
    if lo > hi:
        return False
    points = a.si_low == a.si_high and b.si_low == b.si_high and a.si_low != b.si_low
    rounded = a_hi > a_lo and b_hi > b_lo
    return not (points and rounded and math.isclose(lo, hi, rel_tol=1e-9, abs_tol=1e-12))


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


def outcome_of_word(word: str) -> str | None:
    """The kind of outcome one word names ("dead", "deaths" -> dead), if any."""
    w = word.lower()
    return next((kind for stem, kind in _OUTCOME_OF.items() if w.startswith(stem)), None)


def outcome(c: Claim, q: Quantity) -> str | None:
    """The kind of outcome nearest a figure ("killing four people" -> dead), if the words say one."""
    rel_start, rel_end = q.span.start - c.span.start, q.span.end - c.span.start
    before = c.text[:rel_start].lower().split()[-3:]
    after = c.text[rel_end:].lower().split()[:4]
    # The figure's own head first: in "24 dead and over 200 injured" the 24 are dead. Then the nearest
    # word, after before before where equally near: in "killing at least three people and injuring
    # others" the three were killed.
    own = [w for w in q.text.lower().split() if not any(ch.isdigit() for ch in w)]
    near = [w for pair in zip_longest(after, reversed(before)) for w in pair if w]
    for word in [*own, *near]:
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
    if figure_scope.different_parts(a, b):
        return False
    if figure_scope.about_other_event(a) != figure_scope.about_other_event(b):
        return False  # "$49.3 million" in "the other case, brought in Texas" vs the story's "$965 million"
    fa, fb = frame(a, qa), frame(b, qb)
    shared = fa & fb
    return bool(shared) and len(shared) / min(len(fa), len(fb)) >= FRAME_MIN_SHARED


_AFTERSHOCK = re.compile(r"aftershock|foreshock|second (?:quake|tremor|earthquake)", re.IGNORECASE)


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _years(c: Claim) -> frozenset[str]:
    """The years a claim's time expressions name: figures of different years are of different
    events or periods, and one dated to a year the other does not name is of an earlier one."""
    return frozenset(y for t in c.times for y in _YEAR.findall(t.text))


def _agree(qa: Quantity, ka: str | None, qb: Quantity, kb: str | None) -> bool:
    """Compatible values of one measure; ages compare as printed ("66" and "66-year-old" are one
    age though only one carries the unit)."""
    if ka == kb == "age":
        return qa.low <= qb.high and qb.low <= qa.high
    return comparable(qb, qa) and compatible(qa, qb)


Measure = Callable[[Claim, Quantity], "str | None"]


def numeric_differences(
    a: Claim, b: Claim, measure: Measure = kind_in, texts: Mapping[str, str] | None = None
) -> list[Difference]:
    """Incompatible values of one measure in two claims that share wording.

    ``measure`` reads what a figure reports (the fact sheet's reading, ``figure_support.measure``,
    so that a member set apart from a fact for another value is the same pair a conflict names);
    ``texts`` (article id -> text) lets a claim opening with a pronoun be read as about the name the
    sentence before it opens with.

    Not a conflict: a claim with several quantities of one kind (which answers which is unknown);
    two claims whose shared measures ALL differ ("33 homers, 121 RBIs in 157 games" vs "13 homers,
    43 RBIs in 54 games" are two seasons, not one disputed fact); claims with little wording in common,
    unless the two figures are tied to one count by a figure both print beside them ("171 passengers
    and six crew" and "its 174 passengers and six crew members donned oxygen masks").
    """
    if _years(a) != _years(b):
        return []  # "an 8.7-magnitude quake also hit in May 2012" is another quake than today's
    kinds_a, kinds_b = figure_scope.owned_kinds(
        a, [measure(a, q) for q in a.quantities], b, [measure(b, q) for q in b.quantities]
    )
    shared = {k for k in kinds_a if k and kinds_a.count(k) == 1 and kinds_b.count(k) == 1}
    found: list[tuple[Difference, bool]] = []  # each difference, and whether a printed figure ties it
    b_kinds = list(zip(b.quantities, kinds_b, strict=True))
    for qa, kind in zip(a.quantities, kinds_a, strict=True):
        if kind not in shared or any(_agree(qa, kind, qb, kb) for qb, kb in b_kinds):
            continue
        qb = b.quantities[kinds_b.index(kind)]
        if not _one_measure(a, qa, b, qb, kind):
            continue
        tied = figure_scope.tied_by_figure(a, qa, b, qb, measure)
        if not tied and residual_agreement(a, qa.text, b, qb.text) < NUMERIC_MIN_RESIDUAL:
            continue
        diff = Difference("numeric", _slot(a, qa, b, qb, kind), quantity_value(a, qa), quantity_value(b, qb))
        found.append((diff, tied))
    if len(shared) >= 2 and len(found) == len(shared):
        return []
    # The claims' other words must show one fact, unless a figure both print beside the two ties them
    # (then a place named elsewhere in either claim is the event's, not the count's).
    loose = _overlap_ratio(_content_words(a), _content_words(b)) < NUMERIC_MIN_OVERLAP
    loose = loose or not about_the_same(a, b, texts)
    sure = not loose or about_the_same(a, b, texts, places=False)
    out = [d for d, tied in found if not loose or (tied and sure)]
    return [d for d in out if not (_fraction_part(a, d.a) or _fraction_part(b, d.b))]


def _slot(a: Claim, qa: Quantity, b: Claim, qb: Quantity, kind: str) -> str:
    """What two figures measure, as the reason names it: the kind both print ("troop", "people"),
    else the measure ("dead" for "85 dead" and "86 lives"), and the named thing a figure belongs to
    where the words give one ("dead (camp fire)"): values of one slot are set on sides together."""
    printed = kind_in(a, qa)
    base = (printed if printed and printed == kind_in(b, qb) else kind.split("@")[0]).split(":", 1)[-1]
    return f"{base} ({kind.split('@', 1)[1]})" if "@" in kind else base


def _one_measure(a: Claim, qa: Quantity, b: Claim, qb: Quantity, kind: str) -> bool:
    """Do two figures of one kind report one thing, by the figure rules (values aside)?"""
    if kind == "age":
        return False  # a named person's age is compared across the story (``attributes``)
    if kind == "magnitude" and bool(_AFTERSHOCK.search(a.text)) != bool(_AFTERSHOCK.search(b.text)):
        return False  # the main quake and an aftershock are two quakes
    if _different_sets(qa, qb, a, b) or _also_stated(qa, b) or _also_stated(qb, a):
        return False
    if figure_scope.different_wholes(a, qa, b, qb) or not same_frame(a, qa, b, qb):
        return False
    return _reference(a, qa) == _reference(b, qb)  # distances from different (or unnamed) places


def about_the_same(a: Claim, b: Claim, texts: Mapping[str, str] | None = None, places: bool = True) -> bool:
    """Both claims name their subject, and no person, body or place tells them apart. With the
    articles' ``texts``, a claim opening with a pronoun is about the name the sentence before it opens
    with; ``places=False`` leaves out the places the claims name (a figure both tie to one count)."""
    for x, y in ((a, b), (b, a)):
        if unknown_subject(x) and not antecedent_fits(x, y, texts):
            return False
    return not (
        different_subjects(a, b)
        or (places and different_places(a, b))
        or figure_scope.different_clause_subjects(a, b)
    )


def same_measure(
    a: Claim, qa: Quantity, b: Claim, qb: Quantity, texts: Mapping[str, str] | None = None
) -> bool:
    """Two figures that report one thing: the same frame, subject and place (values aside); with
    the articles' ``texts``, a claim's opening pronoun read as its article says (``antecedent``)."""
    return same_frame(a, qa, b, qb) and about_the_same(a, b, texts)


def _fraction_part(c: Claim, v: SlotValue) -> bool:
    """A figure that is half of a written fraction ("4 1/2 hours", "41 / 2 months"), or another
    figure restated in brackets ("110 billion euros ($143 billion)"): not a value of its own."""
    rel_start, rel_end = v.span.start - c.span.start, v.span.end - c.span.start
    before, after = c.text[:rel_start], c.text[rel_end:]
    if re.match(r"\s*/\s*\d", after) or re.search(r"\d\s*/\s*$", before):
        return True
    return bool(re.search(r"\d[^()]{0,20}\(\s*[$€£]?\s*$", before))


def different_places(a: Claim, b: Claim) -> bool:
    """Both claims say where, and name no place in common: "10 houses damaged in Takengon" and
    "1,500 houses damaged in Central Aceh district" count different areas."""
    pa = {w for e in a.places for w in e.key.split()}
    pb = {w for e in b.places for w in e.key.split()}
    return bool(pa and pb and not pa & pb)
