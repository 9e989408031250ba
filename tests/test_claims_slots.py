"""Unit tests for the claim slot extractors (no models)."""

from __future__ import annotations

import math
from datetime import date

import pytest

from newsprism.claims.attribution import find_attribution
from newsprism.claims.clauses import find_quotes, hedge_cues, negation_cues, quote_mask, split_clauses
from newsprism.claims.figure_names import NAME
from newsprism.claims.numbers import parse_number
from newsprism.claims.quantities import extract_quantities
from newsprism.claims.times import extract_times


def one(text: str):
    qs = extract_quantities(text)
    assert len(qs) == 1, [q.text for q in qs]
    return qs[0]


@pytest.mark.parametrize(
    ("text", "low", "high", "head", "unit", "approx"),
    [
        ("had deployed 10,000-12,000 of its troops to Russia", 10000, 12000, "troop", None, False),
        ("sent between 10,000 and 12,000 soldiers to support", 10000, 12000, "troop", None, False),
        ("Sixty-six drones were destroyed", 66, 66, "drone", None, False),
        ("an estimated 14,000 troops to aid", 14000, 14000, "troop", None, True),
        ("about 1,300 square kilometres (500 square miles) of land", 1300, 1300, None, "km2", True),
        ("for about 15 minutes", 15, 15, None, "min", True),
        ("from 3 to 5 people", 3, 5, "people", None, False),
        ("$1.5 million in aid", 1.5e6, 1.5e6, None, "usd", False),
        ("estimated at $US1 million ($1.52 million), police said", 1e6, 1e6, None, "usd", False),
        ("a A$2.5 billion package", 2.5e9, 2.5e9, None, "aud", False),
        ("worth NZ$300 to each family", 300, 300, None, "nzd", False),
    ],
)
def test_quantity_examples(text, low, high, head, unit, approx):
    q = one(text)
    assert (q.low, q.high, q.head, q.unit, q.approx) == (low, high, head, unit, approx)
    assert text[q.span.start : q.span.end] == q.text


def test_quantity_span_is_offset_into_article():
    text = "Officials said North Korea sent an estimated 14,000 troops."
    q = extract_quantities(text[15:], offset=15)[0]
    assert text[q.span.start : q.span.end] == "an estimated 14,000 troops"


def test_conversion_in_brackets_is_one_quantity():
    qs = extract_quantities("seizing over 1,300 square kilometers (500 square miles) of territory")
    assert len(qs) == 1
    assert qs[0].low == 1300 and math.isinf(qs[0].high) and qs[0].text.endswith("miles)")


def test_hyphenated_unit_and_heads():
    q = one("a brief 15-minute meeting inside the basilica")
    assert (q.low, q.unit, q.head) == (15, "min", "meeting")
    drones = extract_quantities("Sixty-six drones were destroyed and a further 31 decoy drones failed")
    assert [(x.low, x.head) for x in drones] == [(66, "drone"), (31, "drone")]
    # Tails of numbers a tokeniser split are not figures; a year before a count is not a split.
    split = extract_quantities("Newton had 4, 051 yards; a 6. 0 quake; in 2010, 300 people came")
    assert [(x.low, x.head) for x in split if x.head] == [(300, "people")]
    # A plural noun ends the head; a following present-tense verb is not the thing counted.
    heads = extract_quantities("288 candidates run for 125 seats; 40 news outlets and 31 fire trucks came")
    assert [(x.low, x.head) for x in heads] == [
        (288, "candidate"),
        (125, "seat"),
        (40, "outlet"),
        (31, "truck"),
    ]


def test_vague_and_bounds_and_years():
    q = one("after seizing hundreds of square miles in August")
    assert (q.low, q.high, q.unit) == (200, 999, "mi2")
    assert extract_quantities("in August 2024 by attacking") == []
    assert one("more than 40 people").high == math.inf
    assert one("up to 12 boats").low == 0


def test_parse_number_words():
    assert parse_number("Sixty-six") == 66
    assert parse_number("three hundred") == 300
    assert parse_number("1,300") == 1300
    assert parse_number("two thousand five hundred") == 2500
    assert parse_number("banana") is None


def test_times_resolved_against_article_date():
    ref = date(2025, 4, 26)  # a Saturday
    got = {
        t.text: (t.start, t.end)
        for t in extract_times(
            "on Saturday, shortly after arriving last Friday and a meeting earlier this week", 0, ref
        )
    }
    assert got["on Saturday"] == ("2025-04-26", "2025-04-26")
    assert got["last Friday"] == ("2025-04-25", "2025-04-25")
    assert got["earlier this week"] == ("2025-04-21", "2025-04-26")


def test_times_unresolved_without_date_keep_key():
    (t,) = extract_times("met on Saturday", 0, None)
    assert t.start is None and t.key == "weekday:5"
    (s,) = extract_times("In the fall, officials said", 0, date(2025, 4, 26))
    assert (s.start, s.end, s.key) == ("2024-09-01", "2024-11-30", "season:autumn")


def test_negation_and_hedges():
    text = "The statements about the alleged end of hostilities are not true and it reportedly didn't happen"
    assert [text[a:b] for a, b in negation_cues(text)] == ["not", "n't"]
    assert {text[a:b].lower() for a, b in hedge_cues(text)} == {"alleged", "reportedly"}


def _attr(text: str):
    return find_attribution(quote_mask(text, find_quotes(text)))


@pytest.mark.parametrize(
    ("text", "source", "stance", "content"),
    [
        (
            "All troops have been forced from the region, Russia’s top general said in a meeting Saturday.",
            "Russia’s top general",
            "asserts",
            "All troops have been forced from the region",
        ),
        (
            "Gerasimov also confirmed Saturday that North Korean soldiers fought in Kursk.",
            "Gerasimov",
            "confirms",
            "North Korean soldiers fought in Kursk.",
        ),
        (
            "Another person died in the region, said Gov Serhiy Lysak.",
            "Gov Serhiy Lysak",
            "asserts",
            "Another person died in the region",
        ),
        (
            "North Korea sent an estimated 14,000 troops, according to officials.",
            "officials",
            "asserts",
            "North Korea sent an estimated 14,000 troops",
        ),
        (
            "Russia’s top commander claimed Saturday that Ukrainian forces had been expelled.",
            "Russia’s top commander",
            "claims",
            "Ukrainian forces had been expelled.",
        ),
        (
            "Ukrainian officials, however, said the fighting was still continuing.",
            "Ukrainian officials",
            "asserts",
            "the fighting was still continuing.",
        ),
    ],
)
def test_attribution_and_stance(text, source, stance, content):
    a = _attr(text)
    assert a is not None
    assert (a.source, a.stance) == (source, stance)
    assert text[a.content[0] : a.content[1]] == content


def test_anaphoric_denial_is_a_response():
    a = _attr("Ukrainian officials denied the claim.")
    assert a.response and a.stance == "denies" and a.source == "Ukrainian officials"
    assert _attr("Officials disputed the claim.").stance == "disputes"


def test_reporting_verb_inside_quotes_is_ignored():
    text = "“They said nothing,” the minister added."
    a = _attr(text)
    assert a.source == "the minister" and a.verb == "added"


def test_outlet_voice_has_no_attribution():
    assert _attr("Sixty-six drones were destroyed overnight.") is None


def test_split_coordinated_clauses():
    text = "Sixty-six drones were destroyed and a further 31 decoy drones failed to reach their destination."
    parts = [text[a:b] for a, b in split_clauses(text)]
    assert parts == [
        "Sixty-six drones were destroyed",
        "a further 31 decoy drones failed to reach their destination.",
    ]
    names = "The news comes as Donald Trump and Volodymyr Zelensky met in Vatican City."
    assert len(split_clauses(names)) == 1
    listing = "Six people were injured, including an 88-year-old woman and an 11-year-old girl, he said."
    assert len(split_clauses(listing)) == 1
    # the subject of a reported clause, coordinated after the reporting verb
    subject = "The mayor said local staff and visiting families had been screened for weapons."
    assert len(split_clauses(subject)) == 1
    reported = "Police said they arrested two men and the suspects were charged on Monday."
    assert len(split_clauses(reported)) == 2


def test_unclosed_and_continued_quotes():
    qs = find_quotes("He said “we will never leave")
    assert len(qs) == 1 and not qs[0].closed
    cont = find_quotes("and finally effective.” he added")
    assert cont[0].start == 0 and cont[0].closed


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("″We told Ford to pony up and they did.” Fain said.", ["We told Ford to pony up and they did."]),
        ("‶We told Ford to pony up,″ Fain said.", ["We told Ford to pony up,"]),
        ('“We told Ford to pony up," Fain said.', ["We told Ford to pony up,"]),
        ("Er sagte: „Wir schaffen das“ am Montag.", ["Wir schaffen das"]),
        ("Il a dit « nous partons » hier, puis ‹ non ›.", [" nous partons ", " non "]),
        ("彼は「東京へ行く」と言った。", ["東京へ行く"]),
        ("He stands 5′11″ tall, his coach said.", []),
    ],
)
def test_quotation_marks_pages_use(text, quoted):
    assert [text[q.start : q.end] for q in find_quotes(text)] == quoted


def test_partitives_and_clock_times_are_not_counts():
    text = "Gray was hit by three of the seven bullets at 4:00 p.m. and again at 23: 51"
    masks = [(t.span.start, t.span.end) for t in extract_times(text)]
    assert [(q.low, q.head) for q in extract_quantities(text, 0, masks)] == [(7, "bullet")]


def test_relational_nouns_say_what_the_number_counts():
    # "a mother of 12" has 12 children; a name after the number is who, not what is counted.
    assert [(q.low, q.head) for q in extract_quantities("Brooklyn Mother of 13 Zurana Horton shot")] == [
        (13, "child")
    ]
    assert [(q.text, q.head) for q in extract_quantities("Horton, a mother of 12, was shot")] == [
        ("12", "child")
    ]
    assert one("Horton was the mother of 12 children.").head == "child"
    assert one("a father of two daughters").head == "daughter"  # a counted noun that follows wins
    assert one("the city of population 167,000, where").head == "people"
    assert one("a city of 160,000 people").head == one("over 230 million population").head == "people"


def test_a_dash_glued_to_the_next_word_does_not_hide_the_counted_noun():
    # Text that lost the spaces around a dash: "home to 167,000 people-remained wary".
    assert one("home to 167,000 people-remained wary").head == "people"
    assert one("re-release a total of ten patches-making it the worst").head == "patch"
    assert one("only three defeats-and his 16th").head == "defeat"
    assert extract_quantities("40 well-armed soldiers")[0].head != "well"  # a compound, not a glued dash
    # ... nor one that opens an aside with a number: three workers, of whom two women
    aside = one("The three bank workers-two women and a man-were killed")
    assert (aside.low, aside.head) == (3, "worker")


def test_abbreviation_plurals_count_one_thing():
    heads = extract_quantities("Klitschko (46 KOs) and Bowe (33 KO's) and Thompson (24 KO)")
    assert [(q.low, q.head) for q in heads] == [(46, "ko"), (33, "ko"), (24, "ko")]


def test_a_falling_dashed_pair_is_a_record_or_score_not_a_range():
    assert extract_quantities("Klitschko (52-3) beat Rahman (45-7-2) 3-1 for an 8-8 record") == []
    assert one("had deployed 10,000-12,000 of its troops").low == 10000


def test_n_time_counts_titles_of_the_noun_that_follows():
    assert [(q.low, q.head) for q in extract_quantities("the two-time Olympic champion won")] == [
        (2, "champion")
    ]
    assert one("former 3-Time Heavyweight Champion, Hasim Rahman").head == "champion"
    assert one("he was hit three times in the chest").head == "time"


def test_the_counted_noun_ends_at_an_irregular_plural_and_skips_an_owner():
    assert one("about 900 people some said").text == "about 900 people"
    assert one("2.5 million people eligible cast ballots").head == "people"
    q = one("three of the city's hospitals")
    assert (q.head, q.qualifiers) == ("hospital", ("city",))


def test_a_year_naming_a_singular_thing_is_a_time_not_a_count():
    assert extract_quantities("in the 2007 season he drove a 2008 GMC Sierra to 1800 Pitkin Ave") == []
    assert one("2000 people came").head == "people"
    assert one("about 2010 votes").head == "vote"



def test_a_participle_modifying_a_noun_is_no_verb_of_a_clause():
    """"21 derailed coaches of X and the goods train have been cleared" is one clause: its subject
    is coordinated, and "derailed" describes the coaches."""
    one = "All 21 derailed coaches of the Coromandel Express and the goods train have been cleared."
    assert len(split_clauses(one)) == 1
    two = "Rescuers derailed the plan and the police arrested two men."
    assert len(split_clauses(two)) == 2


def test_the_and_of_a_between_range_joins_its_two_ends():
    text = "The products were manufactured between June 11 and June 17 and have a shelf life of 44 days."
    assert len(split_clauses(text)) == 1  # the second "and" joins two predicates of one subject
    two = "Prices rose between May and June and the bank raised rates in July."
    assert [two[a:b] for a, b in split_clauses(two)] == [
        "Prices rose between May and June",
        "the bank raised rates in July.",
    ]


def test_a_person_of_a_body_with_a_long_name_is_the_source():
    text = (
        "Tamer Ramadan of the International Federation of Red Cross and Red Crescent Societies said "
        "the actual toll from the floods was likely many times higher."
    )
    a = _attr(text)
    assert a is not None and a.source.startswith("Tamer Ramadan of the International Federation")
    # a long lower-case subject is still no source
    assert _attr("Many people in the city of Derna and the towns on the coast said it came.") is None


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("the cost was estimated at $5.5bn by the firm", 5.5e9, 5.5e9, "usd"),
        ("the cost was estimated at $5.5 bn", 5.5e9, 5.5e9, "usd"),
        ("a fee of €103m was agreed", 103e6, 103e6, "eur"),
        ("rising to €133.9m with add-ons", 133.9e6, 133.9e6, "eur"),
        ("a £88m deal", 88e6, 88e6, "gbp"),
        ("a US$2bn loan", 2e9, 2e9, "usd"),
        ("an A$1.2tn economy", 1.2e12, 1.2e12, "aud"),
        ("debt of £2.5trn", 2.5e12, 2.5e12, "gbp"),
        ("a €2mn grant", 2e6, 2e6, "eur"),
        ("a salary of $300k", 3e5, 3e5, "usd"),
        ("for $2 bln, the FT said", 2e9, 2e9, "usd"),
        ("in a $3.3B deal", 3.3e9, 3.3e9, "usd"),
        ("paid 103m euros for him", 103e6, 103e6, "eur"),
        ("worth 5.5bn dollars", 5.5e9, 5.5e9, "usd"),
        ("a $2-3bn hole", 2e9, 3e9, "usd"),
        ("between $2bn and $3bn", 2e9, 3e9, "usd"),
        ("between two and three million dollars", 2e6, 3e6, "usd"),
    ],
)
def test_abbreviated_scales_scale_money(text, low, high, unit):
    q = one(text)
    assert (q.low, q.high, q.unit) == (low, high, unit)


def test_m_and_k_stay_units_after_a_figure_that_is_no_money():
    # "m" and "k" also stand for metres and kilometres: without money they scale nothing.
    assert extract_quantities("a 5m wall and the 100m final") == []
    assert extract_quantities("a 10k run") == []
    assert extract_quantities("a 3B pencil") == []
    assert one("a 5 m wall").low == 5
    # A decimal figure is read whole or not at all: never "5" of "5.5xyz".
    assert extract_quantities("$5.5xyz") == []
    # A range printing its scale once scales only a first end below the second's figure.
    assert (one("from 500 to 2 million people").low, one("from 500 to 2 million people").high) == (500, 2e6)


def test_clock_times_are_no_counts_without_masks():
    assert extract_quantities("took off at 5:07 p.m. and landed at 17:27") == []
    assert [q.text for q in extract_quantities("the jet left at 4:52 p.m. with 171 passengers")] == [
        "171 passengers"
    ]


def test_a_number_hyphened_to_a_noun_is_shown_whole_and_counts_nothing():
    # "a three-way race" is no count of three races: a bare figure (never compared), shown whole.
    assert [(q.text, q.head) for q in extract_quantities("maintaining his two-decade rule")] == [
        ("two-decade", None)
    ]
    assert [(q.text, q.head) for q in extract_quantities("an unusual three-way disagreement")] == [
        ("three-way", None)
    ]
    assert extract_quantities("two-thirds of voters backed it") == []  # a share, not two of anything
    assert one("a six-year contract").unit == "year"  # units keep their reading


def _names(text):
    return [(q.text, q.head) for q in extract_quantities(text) if q.qualifiers == (NAME,)]


def test_a_number_inside_a_name_is_no_count():
    text = "A Boeing 737 Max 9 operated by Alaska Airlines Flight 1282 landed with 171 passengers"
    qs = extract_quantities(text)
    assert [(q.text, q.head, q.qualifiers) for q in qs] == [
        ("737", None, (NAME,)),
        ("9", None, (NAME,)),
        ("1282", None, (NAME,)),
        ("171 passengers", "passenger", ()),
    ]
    assert _names("the ban on some Boeing 737 Max 9 jets") == [("737", None), ("9", None)]
    assert _names("it turned around the 737 Max, which was carrying them") == [("737", None)]
    assert _names("he was not invited to the Three Lions squad") == [("Three", None)]
    assert extract_quantities("grounding its fleet of 65 Boeing 737 Max 9 aircraft")[0].qualifiers == ()
    # Words that say how many or when are no names; nor is a capital a sign in a title-case headline.
    assert _names("All 21 derailed coaches were cleared") == []
    assert one("On Monday 30 people died").head == "people"
    assert _names("Three people died, police said") == []
    assert _names("Maui Wildfires Deadliest In A Century As Death Toll Hits 89") == []


def test_unit_abbreviations_glued_to_the_figure():
    # Read whole: "2,000ft" is 2,000 feet, never "2" (the figure stops at no comma).
    q = one("fell about 2,000ft while climbing")
    assert (q.low, q.unit, q.approx) == (2000, "ft", True)
    assert one("a 5km run").unit == "km"
    assert extract_quantities("9mm casings") == []  # no unit of the table: no figure, as before


def test_a_hyphen_to_a_word_that_is_no_noun_keeps_the_old_reading():
    assert one("Horton-who was a mother of 12-another mom").head == "child"
    assert one("over six-plus rounds").head is None
    assert one("a two-handed assault").head is None
    assert extract_quantities("rolled three-fourths the way down") == []


def test_a_range_of_money_prints_its_currency_first_and_its_scale_last():
    q = one("a fee of €100-130m")
    assert (q.low, q.high, q.unit) == (100e6, 130e6, "eur")
    assert (one("between €100 and 130m").high, one("10-15m euros").low) == (130e6, 10e6)
    assert extract_quantities("a 5-10m wall") == []  # metres, or money of no named currency
