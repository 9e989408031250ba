"""Pairs of claims that cannot state one fact, however many words they share.

The same-fact model reads shared words, so two sentences about one topic score high even where
they say opposite or different things: "the administration did not clarify whether the goods stay
subject to the 20% tariff" and "Miller clarified that the goods stay subject to the 20% tariff";
"Reuters could not independently verify who was responsible" and "The AP could not independently
verify the images". Grouping them would print a false corroborated fact, so the grouping keeps such
pairs apart (their score still reaches the verdicts as a near pair). Both rules only ever keep two
claims apart (precision first): what they cannot read, they leave to the model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsprism.align.score import _STOP
from newsprism.claims.actors import country_of
from newsprism.claims.model import Claim
from newsprism.verdicts.compare import _content_text

# A verb's negation and the word it governs, adverbs and auxiliaries between skipped: "did not
# clarify", "has not yet confirmed", "could not independently verify", "failed to reach".
# "didnt", "cant": contractions printed without the apostrophe, as in hurried copy.
_CONTRACTED = r"(?:ca|do|does|did|is|are|was|were|has|have|had|wo|could|would|should)nt\b"
# The governed words are lower case: "not Pierre Thomas" negates no predicate.
_GOVERNED = r"((?-i:(?:(?:yet|been|be|have|[a-z]+ly)\s+){0,2}[a-z]+))"
_NEGATED = re.compile(
    rf"(\bor\s+)?\b(?:not|never|cannot|no longer|yet to|failed to)\s+{_GOVERNED}"
    rf"|(?:n[’']t|\b{_CONTRACTED})\s+{_GOVERNED}",
    re.IGNORECASE,
)
# "not only ... but", "not just": a negation that adds rather than denies.
_ADDITIVE = frozenset({"only", "just", "least", "merely", "simply"})
# Any negation at all: a claim with one is never read as the plain affirmation of the other.
_ANY_NEGATION = re.compile(
    rf"\b(?:not|no|never|none|nothing|nobody|neither|nor|cannot|yet to|failed to)\b|n[’']t\b|\b{_CONTRACTED}",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]+")


def predicate_key(word: str) -> str:
    """One key for a verb's forms: "clarified", "clarifies", "clarify" -> "clarify"; "confirmed" and
    "confirms" -> "confirm". Crude, and only ever compared with another word's key."""
    w = word.lower()
    if w.endswith(("ied", "ies")) and len(w) > 4:
        return w[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s", "e"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # "stopped" -> "stopp" -> "stop"
    return w


def negated_predicates(text: str) -> frozenset[str]:
    """Keys of the words a negation governs ("did not clarify whether ..." -> {"clarify"})."""
    out = set()
    for m in _NEGATED.finditer(text):
        words = (m.group(2) or m.group(3)).lower().split()
        # "whether or not", "would not have placed" (a counterfactual): nothing is denied.
        if m.group(1) or words[0] in _ADDITIVE or "have" in words[:-1]:
            continue
        head = words[-1]
        if head not in _STOP and len(head) > 2:
            out.add(predicate_key(head))
    return frozenset(out)


def opposite_polarity(a: str, b: str) -> bool:
    """One claim negates a predicate the other asserts, and the other negates nothing: "did not
    clarify whether X" against "clarified that X". A claim with a negation of its own is left alone
    ("made not in Kyiv but in Washington" beside "not made in Kyiv")."""
    for neg, plain in ((a, b), (b, a)):
        keys = negated_predicates(neg)
        if not keys or _ANY_NEGATION.search(plain):
            continue
        if keys & {predicate_key(w) for w in _WORD.findall(plain)}:
            return True
    return False


@dataclass(frozen=True)
class PairGuard:
    """Which pairs of a story's claims the grouping must keep apart, by row."""

    claims: tuple[Claim, ...]

    @classmethod
    def build(cls, claims: list[Claim]) -> PairGuard:
        return cls(tuple(claims))

    def apart(self, i: int, j: int) -> bool:
        a, b = self.claims[i], self.claims[j]
        # The whole clause, attribution included: "Miller clarified that X" asserts the clarifying.
        return (
            opposite_polarity(a.text, b.text)
            or different_agents(a, b)
            or denials_of_own_part(a, b)
            or different_nationals(a, b)
        )


def denials_of_own_part(a: Claim, b: Claim) -> bool:
    """Two denials by different countries' sources deny different things: "US denies involvement" is
    about the United States, Zelensky "denied that his country carried out" the attack about Ukraine."""
    if a.attribution.stance != "denies" or b.attribution.stance != "denies":
        return False
    sides = (a.attribution.actor or "").lower(), (b.attribution.actor or "").lower()
    return all(sides) and sides[0] != sides[1]


# A subject named the way a reader can check: a tagged person or organisation opening the clause,
# or an acronym ("The AP", "TDCJ"). Places and descriptions ("San Diego lineman", "The New
# Zealand-born Australian") often only modify the subject, so they are never read as one.
_SUBJECT_LABELS = ("PERSON", "ORG")
_VERB = (
    r"(?=(?:have|has|had|were|was|are|is|will|would|could|can|cannot|did|does|do|should|may|might|must"
    r"|[a-z]+ed|[a-z]+s)\b)"
)
# The outlet or source that reports ("The Associated Press reports ...") is not the one who acted.
_REPORTING = re.compile(
    r"\s+(?:reports?|reported|says|said|suggests|suggested|told|writes|wrote|notes|noted)\b"
)
_ACRONYM_SUBJECT = re.compile(r"^\W*(?:[Tt]he\s+)?([A-Z]{2,})\s+" + _VERB)


def clause_subject(c: Claim) -> frozenset[str]:
    """Who the stated clause says acted, as lower-case words: a tagged person or organisation it
    opens with, or an acronym ("The AP could not ..."), followed by its verb. Empty when the
    clause does not say so plainly."""
    content = _content_text(c)
    lead = len(content) - len(content.lstrip(" \"“‘'"))
    start = c.content_span.start + lead
    for e in c.entities:
        if e.span.start == start and e.label in _SUBJECT_LABELS:
            rest = content[e.span.end - c.content_span.start :]
            if re.match(r"\s+" + _VERB, rest) and not _REPORTING.match(rest):
                return frozenset(e.key.split())
            return frozenset()
    m = _ACRONYM_SUBJECT.match(content)
    if not m or _REPORTING.match(content[m.end(1) :]):
        return frozenset()
    return frozenset({m.group(1).lower()})


def _named(c: Claim) -> set[str]:
    """The words a claim names anyone by, and the acronyms of its runs of capitalised words
    ("Advanced Micro Devices" names "amd", "Hewlett-Packard" names "hp")."""
    words = set(re.findall(r"[\w’'-]+", c.text.lower())) | {w for e in c.entities for w in e.key.split()}
    for run in re.findall(r"(?:[A-Z][\w’'&]*(?:[\s-]+|$)){2,}", c.text):
        words.add("".join(w[0] for w in re.split(r"[\s-]+", run.strip()) if w).lower())
    return words


def different_agents(a: Claim, b: Claim) -> bool:
    """The two clauses say different named subjects acted, and neither subject is named anywhere in
    the other claim: "Reuters could not independently verify who was responsible" vs "The AP could
    not independently verify the images". A subject the other claim names ("Police arrested Smith"
    vs "Smith was arrested by police") may be the same fact told from the other side."""
    sa, sb = clause_subject(a), clause_subject(b)
    if not (sa and sb) or sa & sb:
        return False
    return not (sa & _named(b) or sb & _named(a))


# A country or demonym inside a noun phrase a determiner opens ("expelled a senior Canadian
# diplomat", "killed 12 Russian soldiers"): the noun is what the act was done to. A country with no
# determiner before it is most often the subject ("Canada expelled ...") or a place, never read.
# The words before the determiner lead to the noun (the act); quote marks are no break ("a “top
# Indian diplomat”"), a comma or colon is.
_DETERMINED = re.compile(
    r"(?P<lead>(?:[A-Za-z’'-]+\s+){0,3})"
    r"\b(?:an?|the|another|several|one|two|three|four|five|six|seven|eight|nine|ten|\d[\d,]*)"
    r"\s+(?:[“\"‘']?[a-z-]+\s+){0,2}[“\"‘']?$"
)
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]—–.!?]")
_HEAD_AFTER = re.compile(r"^\s+([a-z]{3,})\b")


def _act_key(word: str) -> str:
    """``predicate_key`` with a doubled final consonant dropped, so "expelled" meets "expel"."""
    k = predicate_key(word)
    return k[:-1] if len(k) > 3 and k[-1] == k[-2] else k


def national_objects(c: Claim) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Each noun the claim sets off by a tagged country or demonym inside a determined noun phrase,
    with the countries so named and the keys of the words leading to the phrase: "it had expelled a
    senior Canadian diplomat" -> {"diplomat": ({"canada"}, {"expel"})}."""
    found: dict[str, tuple[set[str], set[str]]] = {}
    for e in c.entities:
        country = country_of(e.text) if e.label in ("NORP", "GPE") else None
        start, end = e.span.start - c.span.start, e.span.end - c.span.start
        if not country or start < 0 or end > len(c.text):
            continue
        head = _HEAD_AFTER.match(c.text[end:])
        np_ = _DETERMINED.search(_CLAUSE_BREAK.split(c.text[max(0, start - 120) : start])[-1])
        if not head or head.group(1) in _STOP or not np_:
            continue
        words = _WORD.findall(np_.group("lead"))
        leads = {_act_key(w) for w in words if w.islower() and w not in _STOP and len(w) > 2}
        countries, keys = found.setdefault(_act_key(head.group(1)), (set(), set()))
        countries.add(country.lower())
        keys |= leads
    return {h: (frozenset(cs), frozenset(ks)) for h, (cs, ks) in found.items()}


def different_nationals(a: Claim, b: Claim) -> bool:
    """The same act done to people or things of different countries: "Canada has expelled a senior
    Indian diplomat" and "it had expelled a senior Canadian diplomat" are the two halves of a
    tit-for-tat, not one fact twice. Both claims must set the same noun off by a country, reached by
    the same words ("expelled"), and share no country for it: a claim naming both countries'
    diplomats may tell either act, and "Ukrainian troops were forced out" beside "Russian troops
    regained" (subjects, no act leading to them) is left to the model."""
    objs_b = national_objects(b)
    for head, (countries, leads) in national_objects(a).items():
        other = objs_b.get(head)
        if other and leads & other[1] and not countries & other[0]:
            return True
    return False
