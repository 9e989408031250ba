"""A member set apart from a fact for another value of its figure is a conflict with both sides.

The fact sheet (``figure_support``) and the conflict rules (``figures.numeric_differences``) read a
figure's measure alike; a pronoun is read as its article says, a figure printed beside one same figure
of another measure is tied to one count, a toll named before a bare figure is a count of the dead, and
a figure a relative clause gives to a named thing compares with another claim's figure of that thing.
"""

from __future__ import annotations

import re

from newsprism.align.model import ClaimGroup
from newsprism.claims.model import Attribution, Claim, Entity
from newsprism.claims.quantities import extract_quantities
from newsprism.model import Span
from newsprism.verdicts import figure_scope, figures
from newsprism.verdicts.decide import GroupContext, VerdictOptions, decide
from newsprism.verdicts.figure_support import conflict_measure, measure, split_contradicting

OUTLET = Attribution("the outlet", "outlet", "asserts")


def _claim(cid: str, text: str, before: str = "", names: tuple[tuple[str, str], ...] = ()) -> Claim:
    """A claim printed after ``before`` in its article (``cid`` names the article too)."""
    start = len(before)
    entities = []
    for name, label in names:
        m = re.search(re.escape(name), text)
        assert m, name
        entities.append(Entity(Span(start + m.start(), start + m.end()), name, label, name.lower()))
    span = Span(start, start + len(text))
    return Claim(
        f"{cid}:c0",
        cid,
        0,
        span,
        span,
        text,
        OUTLET,
        quantities=tuple(extract_quantities(text, start)),
        entities=tuple(entities),
    )


def _decide(claims: list[Claim], texts: dict[str, str], prob: float) -> list:
    pair_prob = {(a.id, b.id): prob for a in claims for b in claims if a is not b}
    ctx = GroupContext({c.id: c for c in claims}, texts, lambda a: a, pair_prob=pair_prob)
    group = ClaimGroup(
        "s:g0", "s", tuple(c.id for c in claims), tuple(c.article_id for c in claims), score=prob
    )
    return decide(group, ctx, VerdictOptions())


_BEFORE = "Bellingham has emerged as one of Europe's hottest prospects since his days as a schoolboy.\n\n"
_HE = (
    "He joined Dortmund in 2020, aged 16, where he scored 24 goals and provided 24 assists in 132 "
    "appearances."
)
_GOAL = (
    "The England international joined BVB back in 2020, and went on to record 24 goals and 25 assists "
    "in 132 appearances for the Bundesliga giants."
)


def test_an_opening_pronoun_is_read_as_its_article_says() -> None:
    """ "He ... 24 assists" after a sentence about Bellingham is Bellingham's figure: it contradicts
    "24 goals and 25 assists in 132 appearances". Without the article the subject is unknown."""
    he, goal = _claim("cityam", _HE, _BEFORE), _claim("goal", _GOAL)
    texts = {"cityam": _BEFORE + _HE, "goal": _GOAL}
    [diff] = figures.numeric_differences(he, goal, conflict_measure, texts)
    assert (diff.slot, diff.a.text, diff.b.text) == ("assist", "24 assists", "25 assists")
    assert figures.numeric_differences(he, goal, conflict_measure) == []
    # The sentence before names someone else than the other claim's subject: still apart.
    other = "Smith has been one of the league's best since his days as a schoolboy.\n\n"
    named = _claim(
        "naija",
        "Jude Bellingham went on to record 24 goals and 25 assists in 132 appearances.",
        names=(("Jude Bellingham", "PERSON"),),
    )
    texts = {"cityam": other + _HE, "naija": named.text}
    assert figures.numeric_differences(_claim("cityam", _HE, other), named, conflict_measure, texts) == []


def test_a_member_set_apart_for_another_value_is_a_conflict_with_both_sides() -> None:
    """The fact sheet set cityam's 24 assists apart from "24 goals and 25 assists", and no conflict
    named them: the contradiction was lost. Now the group is one conflict, every member on a side."""
    naija = "Jude Bellingham scored 24 goals and provided 25 assists in 132 appearances for Dortmund."
    claims = [_claim("cityam", _HE, _BEFORE), _claim("goal", _GOAL), _claim("naija", naija)]
    texts = {"cityam": _BEFORE + _HE, "goal": _GOAL, "naija": naija}
    [found] = _decide(claims, texts, 0.96)
    assert found.label == "conflicting" and found.slot == "assist"
    assert sorted(s.article_ids for s in found.sides) == [["cityam"], ["goal", "naija"]]


_NYT = (
    "The airline said Alaska Airlines Flight 1282 made a safe emergency landing carrying 171 passengers "
    "and six crew members after returning to Portland Airport."
)
_AP = (
    "The jetliner was three miles above Oregon shortly after takeoff when the incident took place on "
    "Friday night, creating a gaping hole that sucked clothing off a child and forced the pilots to make "
    "an emergency landing as its 174 passengers and six crew members donned oxygen masks."
)


def test_a_figure_printed_beside_one_same_figure_is_tied_to_one_count() -> None:
    """ "171 passengers and six crew" and "its 174 passengers and six crew members": the six crew tie
    the two passenger counts to one flight, however differently the sentences go on (and the places
    they name are the event's, not the count's)."""
    nyt = _claim("nyt", _NYT, names=(("Portland Airport", "FAC"),))
    ap = _claim("ap", _AP, names=(("Oregon", "GPE"),))
    [diff] = figures.numeric_differences(nyt, ap, conflict_measure)
    assert (diff.slot, diff.a.text, diff.b.text) == ("passenger", "171 passengers", "174 passengers")
    untied = _claim("ap", _AP.replace(" and six crew members", ""), names=(("Oregon", "GPE"),))
    assert figures.numeric_differences(nyt, untied, conflict_measure) == []


_TOLLS = {
    "mehr": "Maui wildfires deadliest in a century as death toll hits 89",
    "ht": "The death toll from the Maui wildfires is now at 89, officials said.",
    "cyprus": "Maui wildfires deadliest in century as death toll hits 93",
}


def test_a_toll_named_before_a_bare_figure_is_its_measure() -> None:
    """ "death toll hits 93" counts the dead: the member whose own toll is 93 does not corroborate "death
    toll hits 89" (it was listed as a source of the 89, its 93 a figure "only some reports give")."""
    claims = {a: _claim(a, t) for a, t in _TOLLS.items()}
    [q] = claims["cyprus"].quantities
    assert measure(claims["cyprus"], q) == "people:dead"
    kept, apart = split_contradicting([claims["mehr"], claims["cyprus"]], lambda a: a)
    assert [c.article_id for c in apart] == ["cyprus"]
    found = _decide(list(claims.values()), dict(_TOLLS), 0.97)
    assert [v.label for v in found] == ["conflicting"]
    assert {s.value for s in found[0].sides} == {"89", "93"}
    assert not any(v.label == "corroborated" for v in found)


_CAMP = (
    "The number of fatalities has exceeded the death count from the 2018 Camp Fire in California, "
    "which claimed 86 lives."
)
_HILL = (
    "Maui County officials announced in an update Saturday that the death toll climbed to 93, surpassing "
    "the total killed during the 2018 Camp Fire in northern California, which left 85 dead."
)


def test_a_figure_given_to_one_named_thing_compares_on_a_weaker_pair() -> None:
    """ "the 2018 Camp Fire ..., which claimed 86 lives" and "..., which left 85 dead": one measure (the
    dead), the toll of one named fire, so a real discrepancy even on a pair scored 0.77; the marker
    "climbed to" belongs to the 93 before it, so this is no update."""
    names = (("Camp Fire", "FAC"), ("California", "GPE"))
    bol, hill = _claim("bol", _CAMP, names=names), _claim("hill", _HILL, names=names)
    assert [figure_scope.named_owner(hill, q) for q in hill.quantities] == [None, "camp fire"]
    assert not figure_scope.different_parts(bol, hill)
    [found] = _decide([bol, hill], {"bol": _CAMP, "hill": _HILL}, 0.77)
    assert found.label == "conflicting" and not found.update and found.slot == "dead (camp fire)"
    assert sorted(s.value for s in found.sides) == ["85 dead", "86 lives"]


def test_on_a_weaker_pair_figures_of_no_named_thing_stay_uncompared() -> None:
    a = _claim("a", "Officials said the wildfire killed 86 people across the island.")
    b = _claim("b", "The wildfire killed 85 people, officials said on Saturday.")
    assert figures.numeric_differences(a, b, conflict_measure)  # the figures differ ...
    assert all(v.label != "conflicting" for v in _decide([a, b], {"a": a.text, "b": b.text}, 0.77))


def test_a_part_phrase_is_still_a_part_unless_the_other_claim_names_it() -> None:
    a = _claim("a", "Jones scored 12 points during the second half of the game against Boston.")
    b = _claim("b", "Jones scored 20 points in the game against Boston.")
    assert figure_scope.different_parts(a, b)


def test_a_toll_marked_as_risen_is_an_update() -> None:
    """ "death toll rises to 93" beside "death toll at 89": both values, flagged as an update (the
    update rules read "rises to" so; a conflict found first must not lose the flag)."""
    texts = {
        "ht": "Maui wildfire death toll at 89, marking deadliest natural disaster in US history",
        "hill": "Maui wildfire death toll rises to 93, making it the deadliest in modern US history",
    }
    [found] = _decide([_claim(a, t) for a, t in texts.items()], texts, 0.9)
    assert found.label == "conflicting" and found.update


def test_a_count_of_a_named_thing_compares_whatever_outcome_is_near() -> None:
    """Counts of children: "Mother of 13 killed" and "a mother of 12 children was killed": the
    mother was killed, not the children; the counts of children conflict (the fact sheet's measure
    names the outcome, the conflict rules' does not, and the frame rules tell two named outcomes
    apart)."""
    a = _claim("a", "Mother of 13 killed by stray bullet in Brooklyn gang shootout")
    b = _claim("b", "A mother of 12 children was killed by a stray bullet in a Brooklyn gang shootout")
    [diff] = figures.numeric_differences(a, b, conflict_measure)
    assert (diff.slot, diff.a.text, diff.b.text) == ("child", "13", "12 children")


def test_a_figure_takes_the_outcome_nearest_it() -> None:
    """In "killing at least three people and injuring others" the three were killed, so they are not
    set against "Ten people were killed and at least 50 injured" as a count of the injured."""
    killed = _claim(
        "a",
        "A powerful earthquake has hit southern Iran, destroying several villages and killing at least "
        "three people and injuring others, according to reports.",
    )
    [q] = [q for q in killed.quantities if "three" in q.text]
    assert figures.outcome(killed, q) == "dead" and measure(killed, q) == "people:dead"
    injured = _claim(
        "b",
        "Ten people were killed and at least 50 injured when an earthquake razed mud-brick villages on "
        "the Persian Gulf island of Qeshm off Iran's southern coast Sunday, officials and state media said.",
    )
    assert not any("50" in d.b.text for d in figures.numeric_differences(killed, injured, conflict_measure))


def test_a_member_fitting_both_sides_is_left_off_them() -> None:
    """A count: "killing 10 people" fits both "at least three people" and "at least 10 people": it is set on
    neither side (set against both, it made a third side, and the conflict was lost)."""
    texts = {
        "duboard": "A powerful earthquake has hit southern Iran, destroying several villages and killing at "
        "least three people and injuring others, according to reports.",
        "bbc": "A powerful earthquake has hit southern Iran, killing at least 10 people, injuring dozens "
        "more and damaging several villages, officials say.",
        "ap": "An earthquake with a magnitude of at least 5.9 hit southern Iran on Sunday, killing at least "
        "10 people and injuring many others.",
        "nyt": "A powerful earthquake hit southern Iran on Sunday, causing major destruction in seven "
        "villages and killing 10 people and injuring 80.",
    }
    [found] = _decide([_claim(a, t) for a, t in texts.items()], texts, 0.97)
    assert found.label == "conflicting"
    assert sorted(s.article_ids for s in found.sides) == [["ap", "bbc"], ["duboard"]]
