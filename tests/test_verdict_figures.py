"""Figures read as printed: which values are compatible, and ages of named people across a story."""

from __future__ import annotations

import re

import pytest

from newsprism.align.model import AlignmentResult
from newsprism.claims.model import Attribution, Claim, Entity
from newsprism.claims.quantities import extract_quantities
from newsprism.model import Span
from newsprism.verdicts import attributes, figures, subjects
from newsprism.verdicts.decide import GroupContext, VerdictOptions

OUTLET = Attribution("outlet", "outlet", "asserts")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("13 children", "12 children", False),  # counts are exact: a mother of 13 is not of 12
        ("7.4 quake", "7.5 quake", False),  # two printed values at one precision
        ("26 years", "27 years", False),
        ("1,300 people", "1,400 people", False),
        ("1,300 people", "1,250 people", True),  # a round number stands for a range
        ("4.5 metres", "4.52 metres", True),
        ("at least 12 people", "12 people", True),  # a bound reaches the value
        ("an estimated $1 million", "more than $1 million", True),
        ("six miles", "10 kilometers", True),  # converted units within rounding
        ("0 people", "0 people", True),
        ("almost 90%", "93.87 percent", False),  # "almost" comes from below: not above the figure
        ("nearly 1,300 people", "1,320 people", False),
        ("almost 90%", "88 percent", True),
        ("almost 90%", "90 per cent", True),
        ("about 90%", "93.87 percent", True),
        ("at least 3,200 residents", "at least 4,100 residents", False),  # two tallies of one count
        ("at least 1,300 people", "at least 1,250 people", True),  # within rounding
        ("at least five people", "at least 5 people", True),
        ("more than 40 people", "more than 50 people", True),  # floors, not tallies
    ],
)
def test_printed_values_are_compatible_only_within_their_rounding(a: str, b: str, same: bool) -> None:
    qa, qb = extract_quantities(a)[0], extract_quantities(b)[0]
    assert figures.compatible(qa, qb) is same
    assert figures.compatible(qb, qa) is same


def _claim(cid: str, article: str, text: str, *names: str) -> Claim:
    entities = []
    for name in names:
        m = re.search(re.escape(name), text)
        assert m, name
        entities.append(Entity(Span(m.start(), m.end()), name, "PERSON", name.split()[-1].lower()))
    return Claim(
        id=cid,
        article_id=article,
        sentence_index=0,
        span=Span(0, len(text)),
        content_span=Span(0, len(text)),
        text=text,
        attribution=OUTLET,
        quantities=tuple(extract_quantities(text)),
        entities=tuple(entities),
    )


def _ages(*claims: Claim):
    ctx = GroupContext({c.id: c for c in claims}, {c.article_id: c.text for c in claims}, lambda a: a)
    alignment = AlignmentResult(
        claims={c.id: c for c in claims}, story_of={c.article_id: "s1" for c in claims}
    )
    return attributes.age_conflicts(alignment, ctx, VerdictOptions())


def test_a_named_persons_age_is_compared_across_unaligned_sentences() -> None:
    a = _claim(
        "a:0", "a", "Robert Buckley, 32, fell about 600 metres while climbing Mount Sefton", "Robert Buckley"
    )
    b = _claim(
        "b:0",
        "b",
        "Rescuers found the body of the 31-year-old Briton Robert Buckley on Sunday",
        "Robert Buckley",
    )
    c = _claim("c:0", "c", "On Saturday, 32-year-old Englishman Robert Buckley died", "Robert Buckley")
    found = _ages(a, b, c)
    assert len(found) == 1
    v = found[0]
    assert (v.type, v.slot, v.story_id) == ("numeric", "age", "s1")
    assert sorted(s.value for s in v.sides) == ["31-year-old", "32"]
    assert sorted(v.article_ids) == ["a", "b", "c"]
    assert 0 < v.confidence < 1 and v.confidence_reason


def test_an_age_is_given_for_the_person_it_is_printed_with() -> None:
    # The girl is eleven; the sniper's age is not given in this sentence.
    girl = _claim(
        "a:0", "a", "An 11-year-old girl was wounded by rooftop sniper Andrew Lopez", "Andrew Lopez"
    )
    sniper = _claim("b:0", "b", "Andrew Lopez, 20, is accused of firing from a rooftop", "Andrew Lopez")
    assert _ages(girl, sniper) == []
    # Same surname, different first names: two people.
    brother = _claim(
        "c:0", "c", "His half-brother, 17-year-old Kristian Lopez, was also arrested", "Kristian Lopez"
    )
    assert _ages(sniper, brother) == []
    # The same age printed two ways is no conflict.
    same = _claim("d:0", "d", "Police charged 20-year-old Andrew Lopez with attempted murder", "Andrew Lopez")
    assert _ages(sniper, same) == []


def test_an_earthquakes_magnitude_is_a_magnitude_not_a_count_of_quakes() -> None:
    for text in ("a magnitude 7.6 quake struck", "a magnitude-7.6 earthquake", "the 7.6-magnitude quake",
                 "the quake registered 7.6 on the Richter scale", "it was 7.6 on the moment magnitude scale"):
        (q,) = extract_quantities(text)
        assert (q.dimension, q.low) == ("magnitude", 7.6)
    a = extract_quantities("a magnitude 7.6 quake")[0]
    assert not figures.compatible(a, extract_quantities("a 7.7 magnitude quake")[0])
    assert figures.compatible(a, extract_quantities("a 7.6-magnitude quake")[0])


def test_a_main_quake_and_its_aftershock_are_not_one_magnitude() -> None:
    a = _claim("a:0", "a", "A magnitude 7.6 quake struck off Papua on Sunday, the geological survey said")
    b = _claim(
        "b:0", "b", "A magnitude 7.4 aftershock struck off Papua on Sunday, the geological survey said"
    )
    c = _claim("c:0", "c", "A magnitude 7.4 quake struck off Papua on Sunday, the geological survey said")
    assert figures.numeric_differences(a, b) == []
    assert [d.slot for d in figures.numeric_differences(a, c)] == ["magnitude"]


def test_a_figure_dated_to_another_year_is_of_another_event() -> None:
    from newsprism.claims.times import extract_times

    def dated(cid: str, article: str, text: str) -> Claim:
        c = _claim(cid, article, text)
        return Claim(
            **{
                **{f: getattr(c, f) for f in c.__dataclass_fields__},
                "times": tuple(extract_times(text, 0, None)),
            }
        )

    today = dated(
        "a:0", "a", "A powerful 6.1 magnitude earthquake hit Aceh province on the island of Sumatra"
    )
    past = dated(
        "b:0", "b", "An 8.7-magnitude earthquake also hit Aceh province on the island of Sumatra in May 2012"
    )
    same = dated("c:0", "c", "A powerful 5.9 magnitude earthquake hit Aceh province on the island of Sumatra")
    assert figures.numeric_differences(today, past) == []
    assert [d.slot for d in figures.numeric_differences(today, same)] == ["magnitude"]


def _placed(cid: str, article: str, text: str, *places: str, content_from: str = "") -> Claim:
    """A claim with its places tagged, its content starting at ``content_from`` (after an attribution)."""
    c = _claim(cid, article, text)
    ents = []
    for name in places:
        m = re.search(re.escape(name), text)
        assert m, name
        ents.append(Entity(Span(m.start(), m.end()), name, "GPE", name.lower()))
    start = text.index(content_from) if content_from else 0
    fields = {f: getattr(c, f) for f in c.__dataclass_fields__}
    return Claim(**{**fields, "entities": tuple(ents), "content_span": Span(start, len(text))})


def test_offers_reported_from_two_bidders_are_not_one_figure() -> None:
    a = _placed("a:0", "a", "Radio Uno reported that the Harbour Lions have offered Ana Ruiz a three-year, "
                "$12 million contract.", content_from="the Harbour")
    b = _placed("b:0", "b", "A columnist wrote that the Valley Hawks have made Ana Ruiz a three-year, "
                "$15 million offer.", content_from="the Valley")
    same = _placed("c:0", "c", "A columnist wrote that the Harbour Lions have made Ana Ruiz a three-year, "
                   "$15 million offer.", content_from="the Harbour")
    assert figures.numeric_differences(a, b) == []
    assert [d.slot for d in figures.numeric_differences(a, same)] == ["usd"]


def test_a_figure_for_part_of_a_game_is_not_the_games_figure() -> None:
    # Both claims scope something; only different scopes tell the figures apart.
    half = _claim("a:0", "a", "In the second half, Okafor grabbed three rebounds and blocked five shots.")
    run = _claim(
        "b:0", "b", "During the closing 12-0 run, Okafor grabbed three rebounds and blocked two shots."
    )
    other = _claim("c:0", "c", "In the second half, Okafor grabbed three rebounds and blocked two shots.")
    assert figures.numeric_differences(half, run) == []
    assert [d.slot for d in figures.numeric_differences(half, other)] == ["shot"]


def test_a_figure_followed_by_and_more_elsewhere_is_a_part_of_the_total() -> None:
    part = _claim("a:0", "a", "The 1998 flood killed 3,000 people in the province and hundreds more "
                  "across the border.")
    total = _claim("b:0", "b", "The 1998 flood killed 4,200 people across the region.")
    alone = _claim("c:0", "c", "The 1998 flood killed 3,000 people across the region.")
    assert figures.numeric_differences(part, total) == []
    assert [d.slot for d in figures.numeric_differences(alone, total)] == ["people"]


def test_counts_located_in_different_places_are_of_different_areas() -> None:
    district = _placed(
        "a:0", "a", "In Varna district, about 900 homes were damaged, officials said.", "Varna"
    )
    # The town's claim names the district too: only where each figure is located tells them apart.
    town = _placed(
        "b:0", "b", "Some 40 homes were damaged in Rosica, the capital of Varna district, officials said.",
        "Rosica", "Varna",
    )
    same = _placed("c:0", "c", "Some 40 homes were damaged in Varna district, officials said.", "Varna")
    assert figures.numeric_differences(district, town) == []
    assert [d.slot for d in figures.numeric_differences(district, same)] == ["home"]


def test_a_mothers_children_are_one_count_whether_or_not_the_noun_is_printed() -> None:
    a = _claim("a:0", "a", "Mother of 13 Dana Reyes shot outside a Queens school", "Dana Reyes")
    b = _claim("b:0", "b", "Dana Reyes, a mother of 12, was shot outside a Queens school", "Dana Reyes")
    same = _claim(
        "c:0", "c", "Dana Reyes, mother of 13 children, was shot outside a Queens school", "Dana Reyes"
    )
    assert [d.slot for d in figures.numeric_differences(a, b)] == ["child"]
    assert figures.numeric_differences(a, same) == []


def test_spelled_ages_are_ages_and_clock_times_are_not_counts() -> None:
    age = extract_quantities("Twenty-year-old Lopez fired")[0]
    assert figures.quantity_kind(age) == "age"
    clock = extract_quantities("struck at 2248 GMT Tuesday")[0]
    assert figures.quantity_kind(clock) is None


def test_a_population_is_of_the_place_it_is_set_off_after() -> None:
    from newsprism.verdicts.figure_scope import figure_place

    island = _placed("a:0", "a", "The quake struck Varna island, home to 120,000 people.", "Varna")
    port = _placed("b:0", "b", "They flew from Varna to Port Ossel, a city of 500,000 people.", "Varna")
    assert figure_place(island, island.quantities[-1]) == {"varna"}
    assert figure_place(port, port.quantities[-1]) == {"port", "ossel"}  # untagged, read by its capitals
    assert not figures.numeric_differences(island, port)


def test_the_whole_a_part_was_taken_from_is_not_what_happened_to_the_part() -> None:
    # "five of the six crew members were killed": six is the crew, not a count of the dead
    a = _claim("a:0", "a", "Police said five of the six crew members on the patrol plane were killed.")
    b = _claim("b:0", "b", "Five crew members aboard the patrol plane were killed.")
    assert figures.numeric_differences(a, b) == []
    # two figures printed as the same whole still compare
    c = _claim("c:0", "c", "Police said four of the seven crew members on the patrol plane were killed.")
    assert figures.numeric_differences(a, c)


def test_a_figure_of_another_case_is_not_the_storys_figure() -> None:
    a = _claim("a:0", "a", "The jury of the other case, in Austin, ordered Jones to pay $49.3 million.")
    b = _claim("b:0", "b", "The jury in Waterbury ordered Jones to pay $965 million to the families.")
    assert figures.numeric_differences(a, b) == []
    c = _claim("c:0", "c", "The jury in Waterbury ordered Jones to pay $865 million to the families.")
    assert figures.numeric_differences(b, c)


def _magnitudes(*claims: Claim):
    ctx = GroupContext({c.id: c for c in claims}, {c.article_id: c.text for c in claims}, lambda a: a)
    alignment = AlignmentResult(
        claims={c.id: c for c in claims}, story_of={c.article_id: "s1" for c in claims}
    )
    return attributes.magnitude_conflicts(alignment, ctx, VerdictOptions())


def test_the_storys_earthquake_has_one_magnitude_across_unaligned_sentences() -> None:
    a = _claim("a:0", "a", "The plane was to deliver aid to people hit by the magnitude-7.6 earthquake.")
    b = _claim("b:0", "b", "Relief flights followed the 7.5-magnitude earthquake that hit on Monday.")
    (v,) = _magnitudes(a, b)
    assert (v.type, v.slot) == ("numeric", "magnitude")
    assert sorted(s.value for s in v.sides) == ["7.5-magnitude", "magnitude-7.6"]
    # another quake, a hedged reading, or an article printing both values: no conflict
    older = _claim("c:0", "c", "It was the strongest since a magnitude-7.5 earthquake in 2007.")
    hedged = _claim("d:0", "d", "A quake of about 7 magnitude hit the coast.")
    assert _magnitudes(a, older) == [] and _magnitudes(b, hedged) == []
    both = _claim("a:1", "a", "The survey put the quake at 7.5 on the Richter scale.")
    assert _magnitudes(a, both, b) == []


def test_magnitudes_far_apart_or_of_any_quake_are_of_other_quakes() -> None:
    a = _claim("a:0", "a", "The 6.1-magnitude quake struck the island, state media said.")
    far = _claim("b:0", "b", "The university registered a quake measuring 3.8 on the Richter scale.")
    generic = _claim("c:0", "c", "A magnitude 6 quake can cause severe damage.")
    month = _claim("d:0", "d", "A 6.4-magnitude quake hit the town of Zarand in February.")
    assert _magnitudes(a, far) == [] and _magnitudes(a, generic) == [] and _magnitudes(a, month) == []


def test_an_article_giving_both_magnitudes_takes_no_side() -> None:
    a = _claim(
        "a:0", "a", "The centre marked it at 7.2 and the US Geological Survey noted a magnitude of 6.8."
    )
    b = _claim("b:0", "b", "The centre said the quake had a magnitude of 7.2 on the Richter scale.")
    assert _magnitudes(a, b) == []


def test_a_duration_in_two_units_is_one_duration() -> None:
    (q,) = extract_quantities("She was sentenced to 11 years and three months in prison.")
    assert (q.text, q.low, q.unit) == ("11 years and three months", 11.25, "year")
    (q,) = extract_quantities("The hearing lasted 1 hour and 20 minutes.")
    assert q.si_low == 80.0
    # a smaller part that fills the larger unit, or two clauses' durations, stay two figures
    assert len(extract_quantities("2 years and 14 months")) == 2
    assert len(extract_quantities("he spent 3 years in jail and 2 months in hospital")) == 2


def test_a_name_tagged_too_long_in_a_headline_is_the_same_subject() -> None:
    a = _claim("a:0", "a", "Elizabeth Holmes was sentenced to 11 years and three months.", "Elizabeth Holmes")
    b = _claim("b:0", "b", "Elizabeth Holmes Sentenced To 11.25 Years", "Elizabeth Holmes Sentenced")
    assert not subjects.different_subjects(a, b)
    c = _claim("c:0", "c", "Sunny Balwani was sentenced to 13 years.", "Sunny Balwani")
    assert subjects.different_subjects(a, c)
