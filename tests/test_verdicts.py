"""Verdict logic on small synthetic claim sets (no models)."""

from __future__ import annotations

import pytest

from newsprism.align.model import AlignmentResult, ClaimGroup
from newsprism.claims.model import Attribution, Claim, Entity, Marker
from newsprism.claims.quantities import extract_quantities
from newsprism.model import Span
from newsprism.pipeline import Batch
from newsprism.verdicts.decide import ALL_TYPES, GroupContext, VerdictOptions, decide
from newsprism.verdicts.figures import compatible
from newsprism.verdicts.stage import VerdictsStage

OUTLET = Attribution("outlet", "outlet", "asserts")


def claim(cid: str, article: str, text: str, attribution: Attribution = OUTLET, **kw) -> Claim:
    return Claim(
        id=cid,
        article_id=article,
        sentence_index=0,
        span=Span(0, len(text)),
        content_span=Span(0, len(text)),
        text=text,
        attribution=attribution,
        quantities=tuple(extract_quantities(text)),
        **kw,
    )


def said(actor: str, stance: str = "asserts") -> Attribution:
    return Attribution(f"{actor} officials", "officials", stance, "said", Span(0, 1), Span(1, 2), actor)


def run(claims: list[Claim], score: float = 0.8, response_ids: tuple[str, ...] = (), reuse=None, opts=None):
    plain = tuple(c.id for c in claims if c.id not in response_ids)
    group = ClaimGroup(
        "s:g0",
        "s",
        plain,
        tuple(c.article_id for c in claims if c.id in plain),
        responses=response_ids,
        score=score,
    )
    texts = {c.article_id: c.text for c in claims}
    reuse = reuse or {}
    # Every pair of the synthetic group scored ``score`` by the aligner.
    probs = {(a.id, b.id): score for a in claims for b in claims if a.id != b.id}
    ctx = GroupContext({c.id: c for c in claims}, texts, lambda a: reuse.get(a, a), pair_prob=probs)
    return decide(group, ctx, opts or VerdictOptions())


def q(text: str):
    (x,) = extract_quantities(text)
    return x


def test_compatible_quantities_are_not_conflicts():
    assert compatible(q("an estimated 1,300 square kilometres"), q("over 1,300 square kilometers"))
    assert compatible(q("about 1,300 square kilometres"), q("500 square miles"))  # converted units
    assert compatible(q("about 15 minutes"), q("15 minutes"))
    assert compatible(q("10,000-12,000 troops"), q("11,000 troops"))  # inside the range
    assert compatible(q("hundreds of square miles"), q("1,300 square kilometres"))  # vague
    assert compatible(q("nearly 1,000 people"), q("950 people"))
    assert not compatible(q("an estimated 14,000 troops"), q("10,000-12,000 troops"))
    assert not compatible(q("45 drones"), q("66 drones"))


def test_numeric_conflict_sides_group_compatible_values():
    claims = [
        claim("a:0", "a", "North Korea deployed 10,000-12,000 of its troops to Russia"),
        claim("b:0", "b", "North Korea deployed 10,000-12,000 of its troops to Russia"),
        claim("c:0", "c", "Pyongyang sent between 10,000 and 12,000 soldiers to Moscow"),
        claim("d:0", "d", "North Korea sent an estimated 14,000 troops to aid Moscow"),
    ]
    (v,) = run(claims)
    assert v.label == "conflicting" and v.type == "numeric" and v.slot == "troop"
    sides = {tuple(s.article_ids): s.value for s in v.sides}
    assert sides == {("d",): "an estimated 14,000 troops", ("a", "b", "c"): "10,000-12,000 of its troops"}
    assert all(e.article_id in "abcd" and e.span[1] > e.span[0] for e in v.evidence)


def test_same_fact_with_compatible_values_is_corroborated():
    claims = [
        claim("a:0", "a", "Sixty-six drones were destroyed"),
        claim("b:0", "b", "Air defences reported intercepting 66 drones"),
    ]
    (v,) = run(claims)
    assert v.label == "corroborated" and v.n_independent_sources == 2


def test_reuse_groups_decide_independence():
    claims = [
        claim("a:0", "a", "Three people were killed overnight"),
        claim("b:0", "b", "Three people were killed overnight"),
    ]
    (v,) = run(claims, reuse={"a": "wire", "b": "wire"})
    assert v.label == "single-source" and v.n_independent_sources == 1 and v.article_ids == ["a", "b"]


def test_actor_dispute_is_not_an_outlet_conflict():
    claims = [
        claim("a:0", "a", "All troops have been forced from the region", said("Russia")),
        claim(
            "a:1", "a", "Ukrainian officials denied the claim.", said("Ukraine", "denies"), response_to="a:0"
        ),
        claim("b:0", "b", "Troops were expelled from the region", said("Russia", "claims")),
        claim("b:1", "b", "Kyiv rejected the claim.", said("Ukraine", "denies"), response_to="b:0"),
    ]
    verdicts = run(claims, response_ids=("a:1", "b:1"))
    assert [v.label for v in verdicts] == ["disputed"]
    d = verdicts[0]
    assert {s.actor: s.article_ids for s in d.sides} == {"Russia": ["a", "b"], "Ukraine": ["a", "b"]}
    assert d.note == "reported consistently"


def _accusing(actor: str) -> Attribution:
    return Attribution(f"{actor} officials", "officials", "claims", "accused", Span(0, 1), Span(1, 2), actor)


@pytest.mark.parametrize(("denier", "disputed"), [("Ukraine", False), ("United States", True)])
def test_an_accusation_is_disputed_only_by_the_accused(denier: str, disputed: bool):
    # Russia accuses the United States; Ukraine denying its own part answers another proposition.
    claims = [
        claim("a:0", "a", "the United States of being behind the drone attack", _accusing("Russia")),
        claim("b:0", "b", "Officials denied that their country did it", said(denier, "denies")),
    ]
    verdicts = run(claims)
    assert ("disputed" in [v.label for v in verdicts]) is disputed


def test_an_article_reports_a_side_wherever_that_side_speaks_in_it():
    from newsprism.verdicts.disputes import dispute_confidence, opposed, positions

    claims = [
        claim("a:0", "a", "All troops have been forced from the region", said("Russia", "claims")),
        claim("b:1", "b", "Officials denied the claim.", said("Ukraine", "denies"), response_to="a:0"),
    ]
    found = opposed(positions(claims[:1], claims[1:], {}))
    assert found is not None
    # Article b also carries Russia's words, in a sentence aligned elsewhere: it reports both sides.
    elsewhere = claim("b:0", "b", "Moscow says the operation in the region is over", said("Russia"))
    assert dispute_confidence(*found)[1].endswith("no article reports both sides")
    assert dispute_confidence(*found, [*claims, elsewhere])[1].endswith("1 article reports both sides")


def test_polarity_conflict_in_outlet_voice():
    neg = claim("b:0", "b", "There would be no second meeting", negations=(Marker(Span(15, 17), "no"),))
    verdicts = run([claim("a:0", "a", "There would be a second meeting"), neg])
    assert [(v.label, v.type) for v in verdicts] == [("conflicting", "polarity")]


def test_quote_wording_ignores_spelling_but_not_words():
    from newsprism.claims.model import Quote

    def quoted(cid, art, words):
        text = f"“{words}” Putin said"
        putin = Attribution("Putin", "person", "asserts", "said", Span(0, 1), Span(1, 2), "Russia", "putin")
        return claim(cid, art, text, putin, quotes=(Quote(Span(1, 1 + len(words)), words, "Putin"),))

    same = run(
        [
            quoted("a:0", "a", "the defensive operation continues in certain areas of defense"),
            quoted("b:0", "b", "the defensive operation continues in certain areas of defence"),
        ]
    )
    assert same[0].label == "single-origin" and same[0].origin == "Putin"  # two outlets, one speaker
    # Two translations of one statement: a wording note, never a conflict.
    reworded = run(
        [
            quoted("a:0", "a", "the complete defeat of our enemy creates the right conditions"),
            quoted("b:0", "b", "the full defeat of the enemy creates conditions"),
        ]
    )
    assert [v.label for v in reworded] == ["single-origin", "wording"]
    # A negation or a figure that differs changes what was said.
    changed = run(
        [
            quoted("a:0", "a", "we will meet again later on Saturday to continue the talks"),
            quoted("b:0", "b", "we will not meet again later on Saturday to continue the talks"),
        ]
    )
    assert changed[0].label == "conflicting" and changed[0].type == "quote wording"


def test_update_marked_as_such_is_listed_as_an_update():
    """A later figure a report calls an update is shown, flagged as one, not hidden or called a dispute."""
    claims = [
        claim("a:0", "a", "Three people were killed in the strike"),
        claim("b:0", "b", "The death toll rose to five people killed in the strike"),
    ]
    [v] = run(claims)
    assert v.label == "conflicting" and v.update and v.reason.startswith("an updated figure")
    assert v.to_dict()["update"] is True


def test_stage_reports_independence_mode():
    claims = [
        claim("a:0", "a", "Three people were killed overnight by Russian attacks across Ukraine"),
        claim("b:0", "b", "Three people were killed overnight by Russian attacks across Ukraine"),
    ]
    alignment = AlignmentResult(
        groups=[ClaimGroup("s:g0", "s", ("a:0", "b:0"), ("a", "b"), score=0.9)],
        claims={c.id: c for c in claims},
    )
    out = VerdictsStage().run(Batch((), {"alignment": alignment})).layer("verdicts").to_dict()
    assert out["independence"] == "articles" and "each article counts" in out["independence_note"]
    assert out["fact_sheet"][0]["n_independent_sources"] == 2

    class Reuse:
        group_of = {"a": "g1", "b": "g1"}

    batch = Batch((), {"alignment": alignment, "reuse": Reuse()})
    out = VerdictsStage().run(batch).layer("verdicts").to_dict()
    assert out["independence"] == "reuse" and out["single_source"] and not out["fact_sheet"]


class EntailingJudge:
    """A pair judge that finds every pair entailed, to check the review drops slot-light conflicts."""

    name = "always-entails"

    def judge(self, pairs):
        from newsprism.verdicts.judges.base import Judgement

        return [Judgement("entails", 0.9, "test") for _ in pairs]

    def similarity(self, pairs):
        return [1.0 for _ in pairs]


def test_injected_judge_overrules_polarity_but_not_numbers():
    neg = claim("b:0", "b", "There would be no second meeting", negations=(Marker(Span(15, 17), "no"),))
    claims = [
        claim("a:0", "a", "There would be a second meeting"),
        neg,
        claim("a:1", "a", "North Korea sent 14,000 troops"),
        claim("b:1", "b", "North Korea sent 11,000 troops"),
    ]
    groups = [
        ClaimGroup("s:g0", "s", ("a:0", "b:0"), ("a", "b"), score=0.9, link_scores=(("a:0", "b:0", 0.9),)),
        ClaimGroup("s:g1", "s", ("a:1", "b:1"), ("a", "b"), score=0.9, link_scores=(("a:1", "b:1", 0.9),)),
    ]
    alignment = AlignmentResult(groups=groups, claims={c.id: c for c in claims})
    batch = Batch((), {"alignment": alignment})
    plain = VerdictsStage().run(batch).layer("verdicts")
    assert sorted(v.type for v in plain.conflicts) == ["numeric", "polarity"]
    judged = VerdictsStage(judge=EntailingJudge()).run(batch).layer("verdicts")
    assert [v.type for v in judged.conflicts] == ["numeric"]
    assert [v.type for v in judged.dismissed] == ["polarity"] and "judge: entails" in judged.dismissed[
        0
    ].reason


def test_claims_whose_shared_measures_all_differ_are_different_facts():
    claims = [
        claim("a:0", "a", "Teixeira had 33 homers and 121 RBIs in 157 games"),
        claim("b:0", "b", "Teixeira hit 13 homers and 43 RBIs in 54 games"),
    ]
    assert all(v.label != "conflicting" for v in run(claims))


# (report a, report b, whether the two counts conflict)
COUNT_PAIRS = {
    "kinds differ": (
        "Crews sent three ladder trucks to the blaze",
        "Crews sent 31 fire trucks to the blaze",
        False,
    ),
    "kind named once, same set": (
        "North Korea sent an estimated 14,000 North Korean troops to the region",
        "North Korea sent 11,000 troops to the region",
        True,
    ),
    # The smaller count of a narrower kind may be part of the larger, unless the other claim names
    # that kind too; a larger part cannot be.
    "smaller part": (
        "The navy captured 11 Yemeni pirates off the coast on Sunday",
        "The navy captured 23 pirates off the coast on Sunday",
        False,
    ),
    "larger part": (
        "The navy captured 23 Yemeni pirates off the coast on Sunday",
        "The navy captured 11 pirates off the coast on Sunday",
        True,
    ),
    "figure also stated": (
        "Weapons were seized from the 12 Somali and 11 Yemeni pirates on board",
        "Of the 23 pirates on board, 12 are Somali and 11 Yemeni",
        False,
    ),
    "kind named by the other": (
        "Between 10,000 and 12,000 North Korean soldiers were sent to the region",
        "North Korea sent an estimated 14,000 troops to the region",
        True,
    ),
    "distances from different places": (
        "The destroyer was 13 nautical miles (about 24km) from the cargo ship when it was called",
        "The destroyer was called when the cargo ship was 150 nautical miles east of Aden",
        False,
    ),
    "a distance from an unnamed place": (
        "The warship was some 13 miles away when it answered the call",
        "The warship was 150 nautical miles east of Aden when it answered the call",
        False,
    ),
    "distances from one place": (
        "The destroyer was 13 nautical miles from the cargo ship when it was called",
        "The destroyer was 150 nautical miles from the cargo ship when it was called",
        True,
    ),
    "hedged counts are one kind": (
        "Starting at 8 p.m., nearly 100 people set off from the vigil site to march",
        "Soon after 8:30 p.m., more than 200 people set off from the vigil site",
        True,
    ),
    "vague beside exact": (
        "The storm destroyed several homes in the village on Monday",
        "The storm destroyed two homes in the village on Monday",
        False,
    ),
    "vague far from exact": (
        "The storm destroyed dozens of homes in the village on Monday",
        "The storm destroyed two homes in the village on Monday",
        True,
    ),
}


@pytest.mark.parametrize("case", sorted(COUNT_PAIRS))
def test_which_count_differences_are_conflicts(case):
    text_a, text_b, conflicting = COUNT_PAIRS[case]
    types = [
        v.type
        for v in run([claim("a:0", "a", text_a), claim("b:0", "b", text_b)])
        if v.label == "conflicting"
    ]
    assert types == (["numeric"] if conflicting else [])


def test_ambiguous_values_are_not_conflicts():
    claims = [
        claim("a:0", "a", "The Orioles offered $140 million and the Nationals $160 million for the player"),
        claim("b:0", "b", "The Nationals offered $180 million for the player"),
    ]
    assert all(v.type != "numeric" for v in run(claims))


def _person(text: str, name: str) -> Entity:
    start = text.index(name)
    return Entity(Span(start, start + len(name)), name, "PERSON", name.lower())


def test_capitalised_headline_words_are_not_people():
    a = "Grandmother killed by Raj Chohan on Friday, police say"
    b = "GRANDMOTHER KILLED BY DRUNK DRIVER on Friday, police say"
    c = "Grandmother killed by Vishwanand Subryan on Friday, police say"
    people = {
        t: (_person(t, n),) for t, n in ((a, "Raj Chohan"), (b, "DRUNK DRIVER"), (c, "Vishwanand Subryan"))
    }
    shouted = [claim("a:0", "a", a, entities=people[a]), claim("b:0", "b", b, entities=people[b])]
    assert all(v.label != "conflicting" for v in run(shouted))
    named = [claim("a:0", "a", a, entities=people[a]), claim("c:0", "c", c, entities=people[c])]
    # Person conflicts are asked for explicitly: by default they are not reported (docs: verdict gold).
    assert all(v.label != "conflicting" for v in run(named))
    every = VerdictOptions(conflict_types=ALL_TYPES)
    assert [v.type for v in run(named, opts=every) if v.label == "conflicting"] == ["entity"]


def test_an_outlet_printing_both_figures_is_on_neither_side():
    # Article a prints the other side's figure too, from another source: a reports the disagreement
    # between its sources, it does not disagree with b.
    members = [
        claim("a:0", "a", "A civil defence chief said 300 people were killed in the blast at the hospital"),
        claim("b:0", "b", "The health ministry said 500 people were killed in the blast at the hospital"),
    ]
    elsewhere = claim("a:1", "a", "A health ministry official said 500 were killed")
    group = ClaimGroup("s:g0", "s", ("a:0", "b:0"), ("a", "b"), score=0.9)
    probs = {("a:0", "b:0"): 0.9, ("b:0", "a:0"): 0.9}

    def conflicts(claims):
        ctx = GroupContext({c.id: c for c in claims}, {}, lambda a: a, pair_prob=probs)
        return [v for v in decide(group, ctx, VerdictOptions()) if v.label == "conflicting"]

    assert len(conflicts(members)) == 1
    assert conflicts([*members, elsewhere]) == []


def test_a_figures_own_head_says_what_it_counts():
    from newsprism.verdicts.figures import outcome

    c = claim("a:0", "a", "Quake kills 24 dead and over 200 injured in the province")
    dead = next(x for x in c.quantities if x.low == 24)
    assert outcome(c, dead) == "dead"


def test_copies_crediting_one_wire_are_one_report():
    from newsprism.ingest.base import RawDocument
    from newsprism.ingest.build import build_article

    texts = {
        "x": "LUSAIL, Qatar (Reuters) - Argentina won the World Cup final on penalties.\n\nMore text.",
        "y": "Argentina won the World Cup final on penalties.\n\nMessi scored twice in the final. REUTERS",
        "z": "Argentina won the World Cup final on penalties, beating France.\n\nMore text.",
    }
    arts = [
        build_article(RawDocument(text=t, source=f"mem://{k}", format="text", url=f"https://{k}.org/a"))
        for k, t in texts.items()
    ]
    claims = [claim(f"{a.id}:0", a.id, "Argentina won the World Cup final on penalties") for a in arts]
    alignment = AlignmentResult(
        groups=[ClaimGroup("s:g0", "s", tuple(c.id for c in claims), tuple(a.id for a in arts), score=0.9)],
        claims={c.id: c for c in claims},
    )

    class Reuse:  # the two copies share no passage the reuse layer found
        group_of = {a.id: f"g{n}" for n, a in enumerate(arts)}

    batch = Batch(tuple(arts), {"alignment": alignment, "reuse": Reuse()})
    (fact,) = VerdictsStage().run(batch).layer("verdicts").fact_sheet
    assert (fact.n_reports, fact.n_independent_sources) == (2, 2)
    assert "credits as its publisher" in VerdictsStage().run(batch).layer("verdicts").independence_note
