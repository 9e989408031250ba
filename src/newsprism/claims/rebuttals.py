"""Rebuttals: a named source denying a claim by its verdict on it, with no denial verb of its own.

    "Allegations of the Government of India's involvement ... are absurd and motivated," the MEA said.
    Reacting sharply to Trudeau's allegations, India on Tuesday described them as "absurd".
    India dismissed Trudeau's assertion of a "potential link" ... as "baseless".
    Trudeau's claim of a 'potential link' ... has been dismissed by India as 'baseless'.

Each reads as a response to an earlier claim of the article, like "India rejected the claim". Which
claim it answers is narrow on purpose, since a denial paired with the wrong claim is worse than none:
a claim of another source, by the claimant the rebuttal names ("Trudeau's allegations") when it names
one, and one that is itself an allegation ("credible allegations that ...", "accused", "alleged") or
shares the words of what the rebuttal says is alleged ("allegations of ... involvement").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsprism.claims.actors import countries_in, person_key
from newsprism.claims.attribution import LocalAttribution, _source_before, _strip_range, _valid_source
from newsprism.claims.counters import _content_words
from newsprism.claims.model import Attribution, Claim

_NOUN = r"(?:allegations?|accusations?|claims?|charges?|assertions?|reports?)"
_VERDICT = (
    r"(?:absurd|baseless|false|untrue|not true|unfounded|groundless|fabricated|concocted|lies|nonsense|"
    r"ridiculous|preposterous|(?:politically\s+)?motivated)"
)
_ADV = r"(?:(?:\w+ly|both|all|simply)\s+)?"
_QUOTE_OPEN = r"[\"“‘'\s]*"
# "Allegations of X are absurd", "the accusations were 'absurd and motivated'": the claim's subject.
_PREDICATE = re.compile(
    rf"^\W*(?:[\w’'.-]+\s+){{0,6}}?{_NOUN}\b(?P<what>[^;]{{0,200}}?)\s+(?:are|were|is|was)\s+{_ADV}"
    rf"{_QUOTE_OPEN}{_ADV}{_VERDICT}\b",
    re.IGNORECASE,
)
# "described them as 'absurd'", "termed the Canada's allegations 'absurd'", "dismissed X's assertion
# of ... as 'baseless'".
_CALLED = re.compile(
    rf"(?<![\w’'])(?P<verb>termed|described|called|branded|labell?ed|dismissed|rejected|denounced)\s+"
    rf"(?:them|it|these|those|(?:[\w’'.-]+\s+){{0,6}}?{_NOUN}(?P<what>\s+(?:of|about|that|linking|made)\b"
    rf"[^;]{{0,200}}?)?)\s+(?:as\s+)?{_ADV}{_QUOTE_OPEN}{_ADV}{_VERDICT}\b",
    re.IGNORECASE,
)
# "X's claim of ... has been dismissed by India as 'baseless'".
_PASSIVE = re.compile(
    rf"\b{_NOUN}\b(?P<what>[^;]{{0,200}}?)\s+(?:(?:has|have|had)\s+)?(?:been|was|were|is|are)\s+{_ADV}"
    rf"(?P<verb>dismissed|rejected|termed|described|branded|denounced)\s+by\s+"
    rf"(?P<src>[A-Z][^,;_]{{0,60}}?)\s+as\s+{_ADV}{_QUOTE_OPEN}{_ADV}{_VERDICT}\b",
    re.IGNORECASE,
)
# Whose claim it is: "Trudeau's allegations", "the Canada's allegations", "allegations made by Trudeau".
_CLAIMANT = re.compile(
    rf"(?P<who>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){{0,4}})['’]s\s+(?:[\w-]+\s+)?{_NOUN}\b"
    rf"|\b{_NOUN}\s+(?:made\s+)?by\s+(?:the\s+)?(?P<by>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){{0,4}})"
)
# Sentences back a rebuttal may answer: it names the allegation, which the article may have quoted a
# few paragraphs up.
WINDOW = 6
MAX_TARGETS = 5
# Content words the claim and what the rebuttal says is alleged share, one of them not a name.
MIN_SHARED = 2
_POSSESSIVE = re.compile(r"['’]s\b")
_ALLEGATION = re.compile(rf"\b(?:{_NOUN}|alleg\w+|accus\w+)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Rebuttal:
    attribution: LocalAttribution  # a response: stance "denies", offsets local to the clause
    claimant: str | None  # whose claim the rebuttal names, when it names one
    what: str  # what it says is alleged ("of the Government of India's involvement ..."), maybe ""


def _claimant(text: str) -> str | None:
    m = _CLAIMANT.search(text)
    return (m.group("who") or m.group("by")) if m else None


def find_rebuttal(clause: str, masked: str, la: LocalAttribution | None) -> Rebuttal | None:
    """The clause read as a rebuttal, or None. ``clause`` is the text, ``masked`` the same with its
    quotations masked (a verb inside a quotation is nobody's), ``la`` its attribution if any."""
    if la is not None and la.stance == "asserts" and not la.response:
        m = _PREDICATE.match(clause, la.content[0], la.content[1])
        if m:
            denial = LocalAttribution(
                la.source, la.source_span, la.verb, la.verb_span, "denies", la.content, True
            )
            return Rebuttal(denial, _claimant(clause), m.group("what") or "")
    for m in _CALLED.finditer(clause):
        if masked[m.start("verb")] == "_":
            continue
        src = _source_before(masked, m.start("verb"))
        if src is None:
            continue
        denial = LocalAttribution(
            masked[src[0] : src[1]], src, m.group("verb"), m.span("verb"), "denies", (0, len(clause)), True
        )
        return Rebuttal(denial, _claimant(clause), m.group("what") or "")
    m = _PASSIVE.search(clause)
    if m and masked[m.start("verb")] != "_":
        a, b = _strip_range(clause, *m.span("src"))
        if a < b and _valid_source(clause[a:b]):
            verb, span = m.group("verb"), m.span("verb")
            denial = LocalAttribution(clause[a:b], (a, b), verb, span, "denies", (0, len(clause)), True)
            return Rebuttal(denial, _claimant(clause[: m.start("verb")]), m.group("what") or "")
    return None


def _side(a: Attribution) -> str:
    return (a.actor or a.person or a.source).lower()


def _by(a: Attribution, claimant: str) -> bool:
    """The claim's source is the claimant the rebuttal names: the same person, body or country."""
    key = person_key(claimant)
    if a.person and a.person == key:
        return True
    if key and key == person_key(a.source):
        return True
    countries = {c for c, _, _ in countries_in(claimant)}
    return bool(a.actor and a.actor in countries)


def _alleges(c: Claim, content: str, speaker: Attribution, claimant: str | None) -> bool:
    """The claim is an allegation: in its words ("credible allegations that ..."), or an accusation
    ("accused the U.S. of ...") by the claimant the rebuttal names or by one country answered by
    another (an unnamed claimant and a speaker of no known side would pair anything)."""
    if _ALLEGATION.search(content):
        return True
    a = c.attribution
    if a.stance != "claims":
        return False
    return bool(claimant) or bool(a.actor and speaker.actor and a.actor != speaker.actor)


def _about(alleges: bool, content: str, what: str) -> bool:
    """The claim is what the rebuttal answers: an allegation, when the rebuttal does not say what is
    alleged ("described them as absurd"); else one sharing the words of what it says is alleged,
    names being enough only for an allegation ("credible allegations of a link to India")."""
    if not what.strip():
        return alleges
    mine, theirs = (_content_words(_POSSESSIVE.sub("", t)) for t in (what, content))
    shared = set(mine) & set(theirs)
    return len(shared) >= MIN_SHARED and (alleges or not all(mine[s] and theirs[s] for s in shared))


def rebuttal_targets(
    earlier: Sequence[Claim], speaker: Attribution, r: Rebuttal, sentence_index: int, text: str
) -> list[str]:
    """Ids of the earlier claims of the article ``text`` the rebuttal may answer, nearest first."""
    out = []
    for c in reversed(earlier):
        if sentence_index - c.sentence_index > WINDOW or len(out) >= MAX_TARGETS:
            break
        a = c.attribution
        if a.is_outlet or c.response_to or a.stance not in ("asserts", "claims") or c.negated:
            continue
        if _side(a) == _side(speaker) or (r.claimant and not _by(a, r.claimant)):
            continue
        said = text[c.content_span.start : c.content_span.end]
        if _about(_alleges(c, said, speaker, r.claimant), said, r.what):
            out.append(c.id)
    return out
