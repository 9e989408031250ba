"""Slot comparisons between two aligned claims: which values differ, and which differences are real.

Figures are compared in ``verdicts.figures``; this module holds the shared types and the other slots
(dates, places, people, quotes, polarity, sources). Each difference names both slot values and their
spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from newsprism.claims.actors import country_of
from newsprism.claims.model import Claim, TimeRef
from newsprism.claims.numbers import CARDINAL_WORDS
from newsprism.model import Span
from newsprism.verdicts.judges.lexicon import ANTONYMS, NEGATIONS


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


def _figures(words: set[str]) -> set[str]:
    return {w for w in words if any(ch.isdigit() for ch in w)}


def negation_count(words: list[str]) -> int:
    """Negations in a quote's words (``_words`` splits "didn't" into "didn", "t")."""
    return sum(w in NEGATIONS for w in words) + sum(
        w == "t" and i > 0 and words[i - 1].endswith("n") for i, w in enumerate(words)
    )


def meaning_change(changes: list[tuple[str, str]], negations_kept: bool = False) -> str | None:
    """Why a quote's rewording changes what it says: a figure, a negation or an opposite word differs.
    Anything else (a synonym, a dropped word, another translation) keeps the meaning.
    ``negations_kept``: both quotes hold as many negations, so one that shows up in an edit was moved
    ("had no role in it" / "there was no involvement"), not added or dropped."""
    for old, new in changes:
        wa, wb = set(old.split()), set(new.split())
        # Both sides give a figure and they differ; "one minute" reworded "a moment" changes no figure.
        if _figures(wa - wb) and _figures(wb - wa):
            return f"a figure differs ({old or '-'} / {new or '-'})"
        if not negations_kept and (wa ^ wb) & NEGATIONS:
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
                kept = negation_count(wa) == negation_count(wb)
                changed = meaning_change(changes, kept) and _one_speaker(a, b)
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
