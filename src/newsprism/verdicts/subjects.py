"""Whose figure a claim gives: the subject a claim opens with, the name an opening pronoun stands for,
and whether two claims are about different people or bodies (their figures then never contradict)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from newsprism.claims.model import Claim
from newsprism.verdicts.compare import _words

_PRONOUN_START = re.compile(r"^\W*(?:he|she|they|it|his|her|their|its)\b", re.IGNORECASE)


def unknown_subject(c: Claim) -> bool:
    """A claim that starts with a pronoun ("He has also caught eight passes"): whose figure it is
    the claim does not say, so it cannot contradict anyone's (unless its article says, see
    ``antecedent``)."""
    return bool(_PRONOUN_START.match(c.text))


# Where one sentence ends and the next begins ("... schoolboy. He joined"), or a paragraph break.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z])|\n")


def antecedent(c: Claim, texts: Mapping[str, str] | None) -> frozenset[str]:
    """The words of the name a claim's opening pronoun stands for: the name the sentence right before
    it in its article opens with ("Bellingham has emerged as ... . He joined Dortmund in 2020").
    Empty where that sentence opens with no name (another pronoun, "The club"): then who it is stays
    unknown."""
    text = (texts or {}).get(c.article_id, "")
    # The sentence before lies within this many characters (bounded: asked once per compared pair).
    start = max(c.span.start, 0)
    before = [s for s in _SENTENCE_BREAK.split(text[max(0, start - 2000) : start]) if s.strip()]
    if not before:
        return frozenset()
    m = _LEAD_NAME.match(before[-1]) or _LEAD_WORD.match(before[-1])
    if not m or m.group(1).split()[0].lower() in _NOT_NAMES:
        return frozenset()
    return frozenset(w.lower().strip(".’'") for w in m.group(1).split())


def antecedent_fits(c: Claim, other: Claim, texts: Mapping[str, str] | None) -> bool:
    """``c`` opens with a pronoun its article resolves, to a name ``other`` does not set apart: the
    other claim names it, or names no one else as its subject or as a person in it."""
    name = antecedent(c, texts)
    if not name:
        return False
    if unknown_subject(other):
        return bool(name & antecedent(other, texts))
    if name & set(_words(other.text)):
        return True
    people = {w for e in other.entities if e.label == "PERSON" for w in _words(e.text)}
    return not (lead_name(other) or people)


# Two or more capitalised words opening a claim: a name ("Shy Ely scored"), where one capitalised
# word may only be the sentence's first ("Starting at 8 p.m., ...").
_LEAD_NAME = re.compile(r"^\W*((?:[A-Z][\w’'.-]+\s+){1,3}[A-Z][\w’'.-]+)(?=\s+[a-z])")
# One capitalised word followed by a verb-like word: "Vaughn finished with 16 points".
_LEAD_WORD = re.compile(r"^\W*([A-Z][a-z’'-]+)(?=\s+(?:[a-z]+(?:ed|s)|had|has|was|is|now|also|then)\b)")
_NOT_NAMES = frozenset(
    "the a an in on at after before soon starting when as by for with this that these those it he she they "
    "we i there here his her its their our some many most all both each".split()
)


def lead_name(c: Claim) -> frozenset[str]:
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


def _entity_words(c: Claim, labels: tuple[str, ...]) -> set[str]:
    return {w for e in c.entities if e.label in labels for w in _words(e.text)}


def different_subjects(a: Claim, b: Claim) -> bool:
    """The claims are about different people or bodies: both name people (or organisations) and share
    none ("Phillips had missed three games" vs "Bush missed four games"; "the Red Sox offered $200
    million" vs "the Nationals offered $160 million"), or both open with a name and the names differ
    ("Ty Lawson added 16 points" vs "Shy Ely scored 23 points")."""
    for labels in (("PERSON",), ("ORG",)):
        ea = {e.key for e in a.entities if e.label in labels}
        eb = {e.key for e in b.entities if e.label in labels}
        # A key among the other's tagged words is one name tagged too long in a title-case headline
        # ("Elizabeth Holmes Sentenced" keyed "sentenced" beside "Elizabeth Holmes").
        if ea and eb and not (ea & eb or ea & _entity_words(b, labels) or eb & _entity_words(a, labels)):
            return True
    la, lb = lead_name(a), lead_name(b)
    if not (la and lb) or la & lb:
        return False
    # One claim may name the other's subject later ("Police said ..." vs "..., police said").
    return not (la & set(_words(b.text)) or lb & set(_words(a.text)))
