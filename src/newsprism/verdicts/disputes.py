"""Actor disputes: one named actor asserts a proposition, another named actor on another side denies it.

What counts as a denial is narrow on purpose. A reported denial ("Ukraine denied the claim", "Skarnvale
Hydro rejected that account"), a source whose clause denies ("X denied that ..."), or a source calling
the claim false ("the statements ... are not true", "propaganda"). A source merely saying something
negative ("the fighting was still continuing", "no motive was given") is not denying anyone, and
support ("consistent with what we have long known") never is. Both sides must be named actors (a
person, a body, a country; "Ukrainian officials" names a side, "officials" does not), and they must
be different sides: a spokesperson and the president he speaks for are one side.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from newsprism.align.stage import _attach_responses
from newsprism.claims.actors import countries_in, person_key
from newsprism.claims.attribution import is_accusation
from newsprism.claims.model import Claim
from newsprism.verdicts.compare import _content_text
from newsprism.verdicts.model import Side, Verdict

_FALSITY = re.compile(
    r"\b(?:not true|untrue|false(?:hood)?s?|baseless|groundless|unfounded|fabricat\w+|fake|propaganda|"
    r"nonsense|(?:lies|lying)(?!\s+(?:in|on|at|down|near|under|beside|across|face|dead|unconscious)\b)|"
    r"no truth|wishful thinking|do(?:es)? not correspond to (?:the )?reality|"
    r"not (?:correspond|consistent) with (?:the )?(?:facts|reality)|categorically|incorrect|inaccurate|"
    r"misleading|disinformation|misinformation)\b",
    re.IGNORECASE,
)
_DENIAL_STANCES = frozenset({"denies", "disputes"})
_CLAIM_STANCES = frozenset({"asserts", "claims", "confirms"})
_VAGUE = re.compile(
    r"^(?:the\s+|some\s+|other\s+|several\s+|many\s+)?(?:officials?|authorities|sources?|analysts?|experts?|"
    r"observers|critics|people|residents|witnesses|reports?|media|statement|he|she|they|it|we|i)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Position:
    claim: Claim
    side: str  # who the source speaks for: a country, a person, or a named body
    actor: str  # how the side is shown
    denial: bool
    how: str  # why it counts: "reported denial", "denies", "calls it false", "asserts"

    @property
    def person(self) -> str | None:
        return self.claim.attribution.person


def _articles(n: int) -> str:
    return f"{n} article{'' if n == 1 else 's'}"


def side_of(c: Claim) -> tuple[str, str] | None:
    """(side key, display name) of a claim's named source, or None for the outlet or a vague source."""
    a = c.attribution
    if a.is_outlet:
        return None
    source = a.source.strip()
    if a.actor:
        return f"actor:{a.actor.lower()}", a.actor
    if a.person:
        return f"name:{a.person}", source
    bare = re.sub(r"^(?:the|a|an)\s+", "", re.sub(r"['’]s\b", "", source), flags=re.IGNORECASE)
    if _VAGUE.match(bare) or not any(w[:1].isupper() for w in bare.split()):
        return None
    # Keyed like a person (by the last word of the name): the tagger reads some companies as people
    # ("Skarnvale Hydro"), and one body must be one side whichever way it was read.
    return f"name:{person_key(bare)}", source


def counter_responses(claims: Sequence[Claim], group_of: dict[str, str]) -> dict[str, list[str]]:
    """Group id -> the counter-statements (claims/counters.py) answering one of its claims: the group
    the other articles' counters point to, then the nearest; never the counter's own group."""
    counters = [c for c in claims if c.response_candidates and not c.response_to]
    attached = _attach_responses(counters, group_of)
    return {g: [c for c in ids if group_of.get(c) != g] for g, ids in attached.items()}


def _denial_kind(c: Claim, texts: dict[str, str]) -> str | None:
    if c.response_to:
        return "reported denial"
    if c.attribution.stance in _DENIAL_STANCES:
        return c.attribution.stance
    content = texts.get(c.article_id, "")[c.content_span.start : c.content_span.end] or c.text
    if _FALSITY.search(content):
        return "calls it false"
    return None


def positions(members: Sequence[Claim], responses: Sequence[Claim], texts: dict[str, str]) -> list[Position]:
    out = []
    member_ids = {c.id for c in members}
    for c in [*members, *responses]:
        side = side_of(c)
        if side is None:
            continue
        how = _denial_kind(c, texts)
        if how is None and c.id not in member_ids and c.response_candidates:
            how = "contradicts"  # a counter-statement attached to the claim it answers
        if how is not None:
            out.append(Position(c, side[0], side[1], True, how))
        elif c.attribution.stance in _CLAIM_STANCES and not c.negated and c in members:
            out.append(Position(c, side[0], side[1], False, c.attribution.stance))
    return _one_side_per_person(out)


def _one_side_per_person(ps: list[Position]) -> list[Position]:
    """A person is the side one article gives them in all: "Canadian Prime Minister Justin Trudeau"
    speaks for Canada also where another article names him "Trudeau" alone."""
    sides: dict[str, set[tuple[str, str]]] = {}
    for p in ps:
        if p.person and p.side.startswith("actor:"):
            sides.setdefault(p.person, set()).add((p.side, p.actor))
    out = []
    for p in ps:
        known = sides.get(p.person or "", set())
        if p.side.startswith("name:") and len(known) == 1:
            side, actor = next(iter(known))
            p = replace(p, side=side, actor=actor)
        out.append(p)
    return out


def opposed(ps: Sequence[Position]) -> tuple[list[Position], list[Position]] | None:
    """The claim side and the denial side, when named actors on different sides take them."""
    # One person is one side, whatever country each article gives them: someone who says a thing
    # and denies it (as read in two articles) disputes nobody.
    deny = {p.person for p in ps if p.denial and p.person}
    both = deny & {p.person for p in ps if not p.denial and p.person}
    ps = [p for p in ps if p.person not in both or not p.person]
    claim_sides = {p.side for p in ps if not p.denial}
    deny_sides = {p.side for p in ps if p.denial}
    # A side that denies and also asserts in the group states its counter-claim ("the defensive
    # operation continues"): it is the denier, not a claimant.
    claimants = claim_sides - deny_sides
    deniers = deny_sides
    if not claimants or not deniers:
        return None
    return (
        [p for p in ps if not p.denial and p.side in claimants],
        [p for p in ps if p.denial and p.side in deniers],
    )


def _accused(p: Position) -> str | None:
    """The country an accusation names as the culprit: "accused the U.S. of being responsible"."""
    verb = p.claim.attribution.verb
    if not verb or not is_accusation(verb):
        return None
    found = countries_in(_content_text(p.claim)[:40])  # the accused comes right after the verb
    return found[0][0] if found else None


def answered(claims: Sequence[Position], denials: Sequence[Position]) -> list[Position]:
    """The claims some denial answers. An accusation of one country is answered by that country or by
    a denial naming it: Ukraine denying that it carried out an attack does not answer Russia's
    accusation that the United States was behind it."""
    out = []
    for p in claims:
        accused = _accused(p)
        if accused is None or any(
            accused.lower() in (d.claim.attribution.actor or "").lower()
            or any(country == accused for country, _, _ in countries_in(_content_text(d.claim)))
            for d in denials
        ):
            out.append(p)
    return out


def voiced(sides: set[str], story_claims: Sequence[Claim]) -> set[str]:
    """Articles in which any of these sides speaks, in any of the story's claims."""
    return {c.article_id for c in story_claims if (s := side_of(c)) and s[0] in sides}


def dispute_confidence(
    claims: Sequence[Position], denials: Sequence[Position], story_claims: Sequence[Claim] = ()
) -> tuple[float, str]:
    """Strongest when the denial is explicit and more than one outlet reports both sides. An article
    reports a side where that side speaks anywhere in it (``story_claims``), not only in the claims
    aligned with this proposition."""
    explicit = any(p.how in ("reported denial", "denies") for p in denials)
    outlets_claim = {p.claim.article_id for p in claims} | voiced({p.side for p in claims}, story_claims)
    outlets_deny = {p.claim.article_id for p in denials} | voiced({p.side for p in denials}, story_claims)
    both = len(outlets_claim & outlets_deny)
    score = 0.55 + (0.2 if explicit else 0.0) + min(0.2, 0.1 * both)
    why = [
        "explicit denial" if explicit else "a source calls the claim false",
        f"{_articles(both)} {'reports' if both == 1 else 'report'} both sides"
        if both
        else "no article reports both sides",
    ]
    return round(min(score, 0.95), 2), "; ".join(why)


def describe(sides: Sequence[Side]) -> tuple[str, str]:
    """(reason, note) of a dispute: who takes which side, and whether every outlet reports both."""
    outlets = [set(s.article_ids) for s in sides]
    consistent = all(o == outlets[0] for o in outlets)
    reason = "; ".join(f"{s.actor} {s.stance} (reported by {_articles(len(s.article_ids))})" for s in sides)
    reason += (
        ". Every outlet reports both sides." if consistent else ". Outlets differ in which sides they report."
    )
    return reason, "reported consistently" if consistent else "reported unevenly"


def _claim_ids(v: Verdict) -> set[str]:
    return {e.claim_id for s in v.sides if s.stance != "denies" for e in s.evidence if e.claim_id}


def _absorb(into: Verdict, other: Verdict) -> None:
    for side in other.sides:
        home = next((s for s in into.sides if (s.actor, s.stance) == (side.actor, side.stance)), None)
        if home is None:
            into.sides.append(side)
            continue
        home.article_ids = sorted(set(home.article_ids) | set(side.article_ids))
        known = {(e.claim_id, e.span) for e in home.evidence}
        home.evidence += [e for e in side.evidence if (e.claim_id, e.span) not in known]
    if len(other.text.split()) > len(into.text.split()):
        into.text = other.text  # the fuller statement of the one proposition
    into.sides.sort(key=lambda s: (s.stance == "denies", s.actor or ""))
    into.article_ids = sorted({a for s in into.sides for a in s.article_ids})
    into.evidence = [e for s in into.sides for e in s.evidence]
    into.reason, into.note = describe(into.sides)
    into.confidence = max(into.confidence, other.confidence)


def merge(disputes: list[Verdict], pair_prob: dict[tuple[str, str], float], floor: float) -> list[Verdict]:
    """One dispute per proposition: the same denier answering claims the aligner scored as possibly
    the same fact (a headline and a lead put apart, Putin's words and Russia's) is one dispute."""
    out: list[Verdict] = []
    for v in disputes:
        deniers = {s.actor for s in v.sides if s.stance == "denies"}
        mine = _claim_ids(v)
        twin = next(
            (
                o
                for o in out
                if o.story_id == v.story_id
                and deniers & {s.actor for s in o.sides if s.stance == "denies"}
                and any(pair_prob.get((a, b), 0.0) >= floor for a in mine for b in _claim_ids(o))
            ),
            None,
        )
        if twin is None:
            out.append(v)
        else:
            _absorb(twin, v)
    return out
