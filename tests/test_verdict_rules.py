"""The precision rules behind verdicts: sources and origins, who disputes what, comparable figures,
single-source items, and the claim-level cues they rest on (no models)."""

from __future__ import annotations

import numpy as np

from newsprism.align.model import AlignmentResult
from newsprism.align.pairs import StoryPairs
from newsprism.align.score import features
from newsprism.claims.attribution import find_attribution
from newsprism.claims.clauses import negation_cues
from newsprism.claims.extract import _is_claim
from newsprism.claims.model import Attribution, Claim, Entity, Marker, Quote
from newsprism.claims.quantities import extract_quantities
from newsprism.model import Span
from newsprism.verdicts import compare, disputes, figures, single
from newsprism.verdicts.decide import VerdictOptions
from newsprism.verdicts.model import Evidence, Side, Verdict
from newsprism.verdicts.sources import count_sources

OUTLET = Attribution("outlet", "outlet", "asserts")


def claim(cid: str, article: str, text: str, attribution: Attribution = OUTLET, **kw) -> Claim:
    return Claim(
        id=cid,
        article_id=article,
        sentence_index=kw.pop("sentence_index", 0),
        span=Span(0, len(text)),
        content_span=kw.pop("content_span", Span(0, len(text))),
        text=text,
        attribution=attribution,
        quantities=tuple(extract_quantities(text)),
        **kw,
    )


def person(name: str, key: str, actor: str | None = None, stance: str = "asserts") -> Attribution:
    return Attribution(name, "person", stance, "said", Span(0, 1), Span(1, 2), actor, key)


# -- independent sources -------------------------------------------------------------------------


def test_outlets_quoting_one_person_have_one_original_source():
    quoted = [
        claim(f"{a}:0", a, "She died in her sleep", person("publicist Harlan Boll", "boll")) for a in "abc"
    ]
    count = count_sources(quoted, lambda a: a)
    assert (count.sources, count.reports, count.origin) == (1, 3, "publicist Harlan Boll")
    assert count.describe() == "3 outlets, 1 original source: publicist Harlan Boll"


def test_a_nameless_role_is_the_named_source_of_that_role():
    claims = [
        claim("a:0", "a", "She died in her sleep", person("publicist Harlan Boll", "boll")),
        claim("b:0", "b", "She died in her sleep", Attribution("her publicist", "person", "asserts")),
    ]
    assert count_sources(claims, lambda a: a).sources == 1


def test_own_voice_reports_count_once_per_copy_group():
    claims = [claim(f"{a}:0", a, "The dam gave way") for a in "abcd"]
    count = count_sources(claims, {"a": "g1", "b": "g1", "c": "g1", "d": "d"}.get)
    assert (count.sources, count.reports, count.origin) == (2, 2, None)


def test_one_body_named_two_ways_is_one_source():
    def staff(name: str) -> Attribution:
        return Attribution(name, "organisation", "asserts", "said", Span(0, 1), Span(1, 2), "Ukraine")

    claims = [
        claim("a:0", "a", "The statements are not true", staff("Ukraine's General Staff")),
        claim(
            "b:0",
            "b",
            "The statements are not true",
            staff("the General Staff of the Armed Forces of Ukraine"),
        ),
    ]
    assert count_sources(claims, lambda a: a).sources == 1


# -- actor disputes ------------------------------------------------------------------------------


def official(actor: str, stance: str = "asserts") -> Attribution:
    return Attribution(f"{actor}n officials", "officials", stance, "said", Span(0, 1), Span(1, 2), actor)


def test_a_dispute_needs_named_actors_of_two_sides_and_a_real_denial():
    said = claim("a:0", "a", "All troops were forced out of Kursk", official("Russia"))
    denied = claim(
        "a:1", "a", "Ukrainian officials denied the claim", official("Ukraine", "denies"), response_to="a:0"
    )
    found = disputes.opposed(disputes.positions([said], [denied], {}))
    assert found is not None and {p.actor for p in found[0]} == {"Russia"}
    # A negative statement is not a denial; support never is.
    fighting = claim(
        "b:0",
        "b",
        "The fighting has not stopped",
        official("Ukraine"),
        negations=(Marker(Span(17, 20), "not"),),
    )
    assert disputes.opposed(disputes.positions([said, fighting], [], {})) is None
    # "Officials" name no side.
    vague = Attribution("officials", "officials", "denies", "denied", Span(0, 1), Span(1, 2))
    assert (
        disputes.opposed(disputes.positions([said], [claim("c:0", "c", "x", vague, response_to="a:0")], {}))
        is None
    )


def test_calling_a_claim_false_is_a_denial_and_one_side_cannot_dispute_itself():
    said = claim("a:0", "a", "All troops were forced out of Kursk", official("Russia"))
    false = claim("b:0", "b", "The statements about Kursk are not true", official("Ukraine"))
    assert disputes.opposed(disputes.positions([said, false], [], {})) is not None
    spokesman = claim("c:0", "c", "Those reports are false", official("Russia"))
    assert disputes.opposed(disputes.positions([said, spokesman], [], {})) is None
    # Lying somewhere is not lying: "found the driver lying in the roadway" denies nothing.
    lying = claim("d:0", "d", "Officers found the man lying in the roadway near Kursk", official("Ukraine"))
    assert disputes.opposed(disputes.positions([said, lying], [], {})) is None
    liar = claim("e:0", "e", "Moscow is lying about Kursk", official("Ukraine"))
    assert disputes.opposed(disputes.positions([said, liar], [], {})) is not None


def test_two_disputes_of_the_same_actors_on_one_proposition_merge():
    def dispute(cid: str, article: str) -> Verdict:
        ev = Evidence(article, (0, 5), "x", cid)
        sides = [
            Side("x", [article], [ev], "Russia", "asserts"),
            Side("y", [article], [ev], "Ukraine", "denies"),
        ]
        return Verdict(f"d:{cid}", "g", "s", "disputed", "x", [article], 1, [ev], sides=sides, confidence=0.8)

    scored = {("a:0", "b:0"): 0.5, ("b:0", "a:0"): 0.5}  # the aligner's pair scores come in both orders
    merged = disputes.merge([dispute("a:0", "a"), dispute("b:0", "b")], scored, 0.3)
    assert len(merged) == 1 and merged[0].sides[0].article_ids == ["a", "b"]
    assert "Every outlet reports both sides" in merged[0].reason
    apart = disputes.merge(
        [dispute("a:0", "a"), dispute("b:0", "b")], {("a:0", "b:0"): 0.1, ("b:0", "a:0"): 0.1}, 0.3
    )
    assert len(apart) == 2


# -- comparable figures --------------------------------------------------------------------------


def test_figures_conflict_only_when_they_say_the_same_thing_happened():
    a = claim("a:0", "a", "The river rose 4.5 metres above its normal level within three hours")
    b = claim("b:0", "b", "Within three hours the river had climbed 5.4 metres above its usual level")
    assert [d.type for d in figures.numeric_differences(a, b)] == ["numeric"]
    killed = claim(
        "c:0", "c", "A series of powerful earthquakes rocked Manokwari on Sunday, killing four people"
    )
    sheltered = claim("d:0", "d", "The powerful quakes on Sunday have led over 14,000 people taking shelter")
    assert figures.numeric_differences(killed, sheltered) == []


def test_a_pronoun_subject_or_two_named_people_keep_figures_apart():
    bush = claim(
        "a:0",
        "a",
        "Bush caught 52 passes this season",
        entities=(Entity(Span(0, 4), "Bush", "PERSON", "bush"),),
    )
    he = claim("b:0", "b", "He caught eight passes this season")
    assert figures.numeric_differences(bush, he) == []
    phillips = claim(
        "c:0",
        "c",
        "Phillips caught eight passes this season",
        entities=(Entity(Span(0, 8), "Phillips", "PERSON", "phillips"),),
    )
    assert figures.numeric_differences(bush, phillips) == []


def test_clock_times_are_not_counts():
    a = claim("a:0", "a", "Voting began at 0300 GMT on Sunday across the country")
    b = claim("b:0", "b", "Voting began at 1100 GMT on Sunday across the country")
    assert figures.numeric_differences(a, b) == []


def test_polarity_flip_needs_the_same_words_but_the_negation():
    meet = claim("a:0", "a", "There would be a second meeting on Saturday")
    no = claim(
        "b:0", "b", "There would be no second meeting on Saturday", negations=(Marker(Span(15, 17), "no"),)
    )
    assert [d.type for d in compare.polarity_difference(meet, no)] == ["polarity"]
    more = claim(
        "c:0",
        "c",
        "There would be a second meeting on Saturday and no further comment",
        negations=(Marker(Span(48, 50), "no"),),
    )
    assert compare.polarity_difference(meet, more) == []


def test_rewording_a_quote_is_wording_unless_a_figure_or_negation_changes():
    assert compare.meaning_change([("complete", "full"), ("our enemy", "the enemy")]) is None
    assert compare.meaning_change([("will", "will not")]) is not None
    assert compare.meaning_change([("14000", "12000")]) is not None
    # a figure reworded as a vague word ("one minute or two" / "a moment or two") is a rewording
    assert compare.meaning_change([("1 minute", "a moment")]) is None


def test_a_negation_moved_by_a_rewording_keeps_the_meaning():
    wa = compare._words("I can assure you the country had no role in it whatsoever")
    wb = compare._words("I can assure you that there was no involvement by the country")
    changes = compare.wording_changes(wa, wb)
    assert compare.meaning_change(changes) is not None  # read edit by edit, "no" looks added
    assert compare.negation_count(wa) == compare.negation_count(wb) == 1
    assert compare.meaning_change(changes, negations_kept=True) is None
    assert compare.negation_count(compare._words("We didn't go and won't go")) == 2


# -- single-source items -------------------------------------------------------------------------


def _orlevan(start: int = 0) -> Entity:
    return Entity(Span(start, start + 7), "Orlevan", "GPE", "orlevan")


DAM = (Entity(Span(4, 14), "Tollen Dam", "FAC", "tollen dam"),)


def _single(claims: dict[str, Claim], cid: str) -> Verdict:
    c = claims[cid]
    return Verdict(
        f"s:{cid}",
        "g",
        "s",
        "single-source",
        c.text,
        [c.article_id],
        1,
        [Evidence(c.article_id, (0, 1), c.text, cid)],
    )


def test_single_source_list_drops_fragments_supported_claims_and_repeats():
    claims = {
        "a:0": claim(
            "a:0",
            "a",
            "Orlevan closed its schools on Tuesday and the rail line stopped",
            entities=(_orlevan(),),
        ),
        "a:1": claim("a:1", "a", "Several others were taken to hospital with hypothermia", sentence_index=2),
        "a:2": claim("a:2", "a", "Rail line stopped"),
        "a:3": claim(
            "a:3", "a", "Orlevan closed its schools on Tuesday", sentence_index=3, entities=(_orlevan(),)
        ),
    }
    near = [("a:1", "b:0", 0.35)]
    other = {**claims, "b:0": claim("b:0", "b", "Others were treated in hospital for hypothermia")}
    alignment = AlignmentResult(claims=other, near=near)
    kept = single.select([_single(claims, c) for c in claims], alignment, lambda a: a, VerdictOptions())
    assert [v.id for v in kept] == ["s:a:0"]


def _story(claims: list[Claim], vectors: list[list[float]]) -> AlignmentResult:
    """One story whose claims carry the given (hand-made) sentence vectors."""
    emb = np.array(vectors, dtype=np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    sp = StoryPairs.build(emb, [features(c, c.text) for c in claims])
    by_id = {c.id: c for c in claims}
    return AlignmentResult(claims=by_id, story_pairs={"s": (tuple(by_id), sp)})


def test_single_source_needs_no_report_of_the_story_stating_it():
    """The aligner never paired the two engineer sentences (no near pair), yet another report words
    the same fact: it is not said by one source only. A copy of the same report does not count."""
    claims = [
        claim(
            "a:0",
            "a",
            "Engineers arrived in Orlevan on Tuesday to examine the breach",
            entities=(_orlevan(15),),
        ),
        claim(
            "a:1",
            "a",
            "The Tollen Dam was built in 1968 to hold back a reservoir",
            sentence_index=4,
            entities=DAM,
        ),
        claim(
            "b:0", "b", "A team of inspectors reached the flooded town of Orlevan", entities=(_orlevan(42),)
        ),
        claim(
            "c:1",
            "c",
            "The Tollen Dam was built in 1968 to hold back a reservoir",
            sentence_index=4,
            entities=DAM,
        ),
    ]
    alignment = _story(claims, [[1, 0.2, 0], [0, 0, 1], [0.9, 0.3, 0], [0, 0, 1]])
    copies = {"c": "a"}
    found = single.select(
        [_single(alignment.claims, c) for c in ("a:0", "a:1")],
        alignment,
        lambda a: copies.get(a, a),
        VerdictOptions(),
    )
    assert [v.id for v in found] == ["s:a:1"]
    # Counted as separate reports, the reprint states the dam's age too.
    assert not single.select([_single(alignment.claims, "a:1")], alignment, lambda a: a, VerdictOptions())


def test_single_source_items_are_checkable_statements():
    ok = claim("a:0", "a", "The Tollen Dam was built in 1968 to hold back a reservoir", entities=DAM)
    assert single.checkable(ok)
    for text, kw in (
        ("Was the Tollen Dam built in 1968 to hold back a reservoir?", {}),
        ("You should never trust a dam built in 1968 to hold water", {}),
        ("The dam may have been weakened by the storms of 1968", {"hedges": (Marker(Span(8, 11), "may"),)}),
        ("Others were taken to hospital with injuries and hypothermia", {"entities": ()}),
    ):
        assert not single.checkable(claim("a:1", "a", text, **{"entities": DAM, **kw})), text


def test_a_credit_or_dateline_line_is_not_a_statement():
    from newsprism.claims.times import extract_times

    def dated(text: str) -> Claim:
        return claim("a:1", "a", text, times=tuple(extract_times(text, 0, None)), entities=DAM)

    for credit in ("Reuters Sep 18, 2013, 02.16PM IST", "WASHINGTON, DC, April 28, 2009",
                   "FOR IMMEDIATE RELEASE July 13, 2009"):
        assert not single.checkable(dated(credit)), credit
    titled = "The Tollen Dam Opened On July 13, 1968 In Orlevan Province"
    for statement in ("He died on July 13, 2009", titled, "He was 77."):
        assert single.checkable(dated(statement)), statement


def test_a_piece_of_a_sentence_without_a_verb_is_not_listed():
    for piece in (
        "an orthodontist offering free dental care to five Orlevan players.",
        "Dial-in number: +1 877 268 9324.",
        "six assists, leading Orlevan to an 85-68 win over the Tollen Dam club.",
        "a gun buyback program in mid-June, offering gift cards to anyone in Orlevan.",
        "and raise the retirement age in Orlevan to 65, the same level as men.",
    ):
        assert not single.checkable(claim("a:1", "a", piece, entities=DAM)), piece
    for statement in (
        "The company claims 25 percent of the Orlevan market.",
        "Got it up on the Orlevan web site at 2:36 p.m., moments after filing the story.",
        "he travelled to Orlevan for a while, where he studied Mandarin.",
        "The conditions of his bail include staying away from children under 16.",
        "its so-called reserve was spent in Orlevan by 1968.",
    ):
        assert single.checkable(claim("a:1", "a", statement, entities=DAM)), statement


def test_an_item_whose_words_without_their_source_are_no_statement_shows_the_whole_clause():
    text = "On Feb. 27, the Orlevan council announced its intention to reverse the dam rule."
    content = text.index("its intention")
    claims = {"a:0": claim("a:0", "a", text, content_span=Span(content, len(text)), entities=(_orlevan(20),))}
    item = _single(claims, "a:0")
    item.text = text[content:]
    kept = single.select([item], AlignmentResult(claims=claims), lambda a: a, VerdictOptions())
    assert [v.text for v in kept] == [text]


def test_the_writers_voice_around_a_quotation_is_the_writers():
    def quoted(text: str) -> Claim:
        start = text.index("“") + 1
        quote = Quote(Span(start, text.index("”")), text[start : text.index("”")])
        return claim("a:1", "a", text, quotes=(quote,), entities=(_orlevan(text.index("Orlevan")),))

    column = quoted("I was appalled to hear comments like, “Orlevan deserved what it got.”")
    assert not single.checkable(column)
    report = quoted("The mayor of Orlevan said: “We will rebuild every house.”")
    assert single.checkable(report)
    advice = "Orlevan officials would be well advised to turn to the Tollen region for help."
    assert not single.checkable(claim("a:1", "a", advice, entities=(_orlevan(),)))


# -- claim cues ----------------------------------------------------------------------------------


def test_negation_read_in_hurried_and_tokenised_copy():
    assert negation_cues("I cant speak for the first death")
    assert negation_cues("the case hadn’ t been submitted")
    assert not negation_cues("the ants are there")


def test_time_stamps_and_bylines_are_not_claims():
    for text in ("Posted: Sep 27, 2013 5: 50 PM Updated", "June 6th, 2013 7: 38pm EDT", "By Jonas Brekke"):
        assert not _is_claim(text, 3), text
    assert _is_claim("Two people died on May 3 in the flood", 3)


def test_rejecting_that_account_answers_an_earlier_claim():
    found = find_attribution("The company rejected that account.")
    assert found is not None and found.response and found.stance == "denies"
    content = find_attribution("She rejected claims that she had lied.")
    assert content is not None and not content.response


def test_a_dateline_glued_to_its_sentence_or_a_rubric_is_no_part_of_a_claim():
    from newsprism.claims.datelines import body_start as _body_start

    for text, rest in [
        ("TOKYO—A coast guard plane and a jet collided.", "A coast guard plane and a jet collided."),
        ("THE BIGGER PICTURE: Martinez saved the penalty.", "Martinez saved the penalty."),
        ("NEW DELHI: India expelled a diplomat.", "India expelled a diplomat."),
        ("NATO: allies met on Friday.", "NATO: allies met on Friday."),  # one word: a speaker
        ("Ankara, May 29 – Erdogan has won the runoff.", "Erdogan has won the runoff."),
        ("Lahaina, Hawaii (Reuters) - The toll rose to 93.", "The toll rose to 93."),
        ("Washington, Sept. 5, 2024 (AFP) -- Talks resumed.", "Talks resumed."),
        # a name opening a sentence, a dash with no date or agency: not a dateline
        ("Erdogan – who won in 2018 – spoke on Sunday.", "Erdogan – who won in 2018 – spoke on Sunday."),
    ]:
        assert text[_body_start(text) :] == rest
