"""A story's death and injury tolls compared across reports whose sentences never aligned."""

from __future__ import annotations

import re

from newsprism.align.model import AlignmentResult
from newsprism.claims.model import Attribution, Claim, Entity
from newsprism.claims.quantities import extract_quantities
from newsprism.model import Span
from newsprism.verdicts import tolls
from newsprism.verdicts.decide import GroupContext, VerdictOptions
from newsprism.verdicts.model import Side, Verdict

OUTLET = Attribution("outlet", "outlet", "asserts")


def _claim(cid: str, text: str, *places: str) -> Claim:
    entities = []
    for place in places:
        m = re.search(re.escape(place), text)
        assert m, place
        entities.append(Entity(Span(m.start(), m.end()), place, "GPE", place.lower()))
    return Claim(
        id=cid,
        article_id=cid.split(":")[0],
        sentence_index=int(cid.split(":")[1]),
        span=Span(0, len(text)),
        content_span=Span(0, len(text)),
        text=text,
        attribution=OUTLET,
        quantities=tuple(extract_quantities(text)),
        entities=tuple(entities),
    )


def _tolls(*claims: Claim, report_of=lambda a: a, meta=None) -> list[Verdict]:
    ctx = GroupContext(
        {c.id: c for c in claims}, {c.article_id: c.text for c in claims}, report_of, meta or {}
    )
    alignment = AlignmentResult(
        claims={c.id: c for c in claims}, story_of={c.article_id: "s1" for c in claims}
    )
    return tolls.toll_conflicts(alignment, ctx, VerdictOptions())


def _values(v: Verdict) -> list[str]:
    return sorted(s.value for s in v.sides)


def test_tolls_worded_apart_are_compared_across_the_story() -> None:
    a = _claim("a:0", "Powerful earthquakes rocked the city on Sunday, killing four people, injuring dozens.")
    b = _claim(
        "b:0", "At least five people were killed, 250 others injured and 800 homes destroyed, the UN said."
    )
    (v,) = _tolls(a, b)
    assert (v.type, v.slot, v.update) == ("numeric", "deaths", False)
    assert _values(v) == ["At least five people", "four people"]
    assert v.confidence >= 0.5 and "death toll" in v.reason and "not known" in v.confidence_reason
    spans = {(e.article_id, e.span) for s in v.sides for e in s.evidence if e.role == "value"}
    assert ("a", (a.text.index("four"), a.text.index("four") + len("four people"))) in spans


def test_killed_and_injured_are_two_tolls() -> None:
    a = _claim("a:0", "The blast killed 12 and injured 30, police said.")
    b = _claim("b:0", "The blast killed 12 people and injured 45, officials said.")
    (v,) = _tolls(a, b)
    assert v.slot == "injured" and _values(v) == ["30", "45"]


def test_parts_subgroups_other_events_and_hedges_are_not_the_total() -> None:
    total = _claim("a:0", "The fire killed 40 people, officials said.")
    others = [
        _claim("b:0", "Two children were among the dead."),
        _claim("c:0", "Five people from one family were killed in the blaze."),
        _claim("d:0", "It was the worst since a tsunami that killed 61 people in 1960."),
        _claim(
            "e:0", "The April 25 quake, which killed more than 8,150 people, was centred west of the capital."
        ),
        _claim("f:0", "The toll could rise to 100 people killed, the governor warned."),
        _claim("g:0", "Twelve people died in hospital on Friday."),
        _claim("h:0", "Seven people were killed in the first blast and five more in the second."),
        _claim("i:0", "Another 12 people died overnight."),
        _claim("j:0", "So far 12 people have died in the region."),
        _claim("k:0", "They also attacked a crew's truck, killing two people."),
        _claim("l:0", "Reports said that two of the three victims died."),
        _claim("m:0", "Dozens of people were killed, witnesses said."),
        _claim("n:0", "Four deaths were confirmed after the aftershock, which struck at 3:05 a.m."),
    ]
    for other in others:
        assert _tolls(total, other) == [], other.text


def test_further_down_only_a_named_toll_is_the_total() -> None:
    lead = _claim("a:1", "The fire killed 40 people, officials said.")
    incident = _claim("b:6", "A firefighter's truck overturned, killing two people.")
    assert _tolls(lead, incident) == []
    named = _claim("b:9", "The death toll has reached 44, the governor said on Sunday.")
    (v,) = _tolls(lead, named)
    assert _values(v) == ["40 people", "44"]


def test_a_comparison_after_the_toll_does_not_make_it_another_events() -> None:
    a = _claim("a:0", "The death toll climbed to 93, surpassing the total killed during the 2018 Camp Fire.")
    b = _claim("b:0", "The death toll stood at 89 on Friday, making it the deadliest US wildfire since 1918.")
    (v,) = _tolls(a, b)
    assert _values(v) == ["89", "93"]


def test_a_toll_located_in_one_place_is_not_compared_with_a_total() -> None:
    located = _claim("a:0", "Twelve people were killed in Amatrice, the mayor said.", "Amatrice")
    total = _claim("b:0", "The quake killed 30 people, officials said.")
    assert _tolls(located, total) == []
    also_there = _claim("c:0", "Twenty people died in Amatrice overnight.", "Amatrice")
    (v,) = _tolls(located, also_there, total)
    assert _values(v) == ["Twelve people", "Twenty people"] and "Amatrice" in v.reason


def test_a_report_printing_two_totals_takes_no_side() -> None:
    both_a = _claim("a:0", "A civil defence chief said 300 people were killed.")
    both_b = _claim("a:1", "A health ministry official said 500 were killed.")
    other = _claim("b:0", "At least 500 people have been killed, the ministry said.")
    assert _tolls(both_a, both_b, other) == []


def test_copies_of_one_report_are_not_compared() -> None:
    a = _claim("a:0", "The crash killed 12 people.")
    b = _claim("b:0", "The crash killed 14 people.")
    assert _tolls(a, b, report_of=lambda _: "wire") == []


def test_a_changed_or_later_higher_toll_is_an_update() -> None:
    a = _claim("a:0", "The storm killed at least 27 people, officials said.")
    b = _claim("b:0", "The country's death toll has risen to at least 39.")
    (v,) = _tolls(a, b)
    assert v.update and "changed" in v.confidence_reason
    a = _claim("a:0", "The storm killed 27 people, officials said.")
    c = _claim("c:0", "The storm killed 39 people, officials said.")
    meta = {"a": {"published": "2023-10-26T08:00:00+00:00"}, "c": {"published": "2023-10-28T09:00:00+00:00"}}
    (v,) = _tolls(a, c, meta=meta)
    assert v.update
    same_day = {
        "a": {"published": "2023-10-26T08:00:00+00:00"},
        "c": {"published": "2023-10-26T10:00:00+00:00"},
    }
    (v,) = _tolls(a, c, meta=same_day)
    assert not v.update


def test_a_toll_another_conflict_already_sets_apart_is_not_repeated() -> None:
    a = _claim("a:0", "The crash killed 12 people.")
    b = _claim("b:0", "The crash killed 14 people.")
    (v,) = _tolls(a, b)
    sides = [Side(s.value, s.article_ids, [e for e in s.evidence if e.role == "value"]) for s in v.sides]
    group_found = Verdict(
        "conflict:s1:g0:numeric:people", "g0", "s1", "conflicting", "x", ["a", "b"], 2, [], sides=sides
    )
    assert tolls.already_found(v, [group_found])
    elsewhere = Verdict("conflict:s1:g1", "g1", "s1", "conflicting", "x", ["a"], 1, [], sides=sides[:1])
    assert not tolls.already_found(v, [elsewhere])
