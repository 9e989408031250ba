"""Alignment on small synthetic inputs: model-free embedder, blank spaCy with an entity ruler."""

from __future__ import annotations

import numpy as np
import pytest
import spacy

from newsprism.align.group import GroupOptions, candidate_pairs, group_claims
from newsprism.align.pairs import PAIR_FEATURES, SameFactModel, StoryPairs
from newsprism.align.score import features
from newsprism.align.stage import AlignStage, story_membership
from newsprism.claims.stage import ClaimsStage
from newsprism.engines.embedder import get_embedder
from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.pipeline import Batch
from newsprism.verdicts.stage import VerdictsStage


@pytest.fixture(scope="module")
def ruler_nlp():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [{"label": "GPE", "pattern": p} for p in ("Kursk", "Russia", "Ukraine", "Moscow")]
        + [{"label": "PERSON", "pattern": p} for p in ("Gerasimov", "Peskov")]
    )
    return nlp


class Stories:
    def __init__(self, mapping: dict[str, str]):
        self.story_of = mapping


def article(text: str, n: int):
    return build_article(
        RawDocument(text=text, source=f"mem://{n}", format="text", url=f"https://ex{n}.org/a")
    )


DOCS = [
    "All Ukrainian troops have been forced from Russia's Kursk region, Russia's top general said. "
    "Ukrainian officials denied the claim. North Korea deployed 10,000-12,000 of its troops to Russia. "
    "Sixty-six drones were destroyed overnight.",
    "Ukrainian forces had been expelled from the Kursk region, Russia's top commander claimed, "
    "a claim which Kyiv has denied. North Korea sent an estimated 14,000 troops to aid Moscow. "
    "Air defences reported intercepting 66 drones overnight.",
    "Russian troops have regained control of the Kursk region, Gerasimov said. "
    "Ukrainian officials disputed the claim. Pyongyang sent between 10,000 and 12,000 soldiers to Russia.",
]


def run_all(nlp, docs=DOCS, stories=None):
    arts = [article(t, i) for i, t in enumerate(docs)]
    mapping = stories or {a.id: "story-1" for a in arts}
    batch = Batch.of(arts).with_layer("stories", Stories(mapping))
    batch = ClaimsStage(nlp=nlp).run(batch)
    batch = AlignStage(embedder=get_embedder("hashing")).run(batch)
    return arts, VerdictsStage().run(batch)


def _claim(i: int, art: str, text: str = "x y z"):
    from newsprism.claims.model import Attribution, Claim
    from newsprism.model import Span

    return Claim(f"{art}:{i}", art, 0, Span(0, 3), Span(0, 3), text, Attribution("o", "outlet", "asserts"))


def _pairs(emb: np.ndarray, arts: str, text: str = "three drones destroyed") -> StoryPairs:
    return StoryPairs.build(emb, [features(_claim(i, a), text) for i, a in enumerate(arts)])


def test_candidates_skip_same_article_and_respect_k():
    emb = np.eye(4, dtype=np.float32)
    emb[1] = emb[0]
    pairs = candidate_pairs(_pairs(emb, "aabc"), ["a", "a", "b", "c"], GroupOptions(k=2, min_cosine=-1.0))
    assert (0, 1) not in pairs
    assert all(len({i, j}) == 2 for i, j in pairs)


def test_grouping_keeps_one_claim_per_article():
    emb = np.array([[1, 0], [1, 0], [1, 0]], dtype=np.float32)
    opts = GroupOptions(threshold=0.1, link_threshold=0.1, link_floor=0.1)
    groups, _ = group_claims(_pairs(emb, "aab"), ["a", "a", "b"], opts)
    assert sorted(len(g) for g in groups) == [1, 2]


def test_complete_link_does_not_chain():
    """a~b and b~c are each likely the same fact, a~c is not: two groups, never one chain."""
    model = SameFactModel((1.0,) + (0.0,) * (len(PAIR_FEATURES) - 1), 0.0, {})
    emb = np.array([[1, 0], [0.8, 0.6], [0.28, 0.96]], dtype=np.float32)  # cos ab 0.8, bc 0.8, ac 0.28
    opts = GroupOptions(threshold=0.6, link_threshold=0.6, link_floor=0.6, min_cosine=0.0)
    groups, probs = group_claims(_pairs(emb, "abc"), ["a", "b", "c"], opts, model)
    assert sorted(len(g) for g in groups) == [1, 2]
    assert probs[(0, 2)] < 0.6


def test_a_pair_judged_only_fairly_likely_the_same_fact_is_not_grouped():
    """P(same fact) 0.70 is below the default grouping threshold: on hand-read fresh coverage such
    pairs were mostly claims sharing topic words, not one fact."""
    model = SameFactModel((1.0,) + (0.0,) * (len(PAIR_FEATURES) - 1), 0.0, {})  # P = logistic(cos)
    emb = np.array([[1, 0], [0.85, 0.5268]], dtype=np.float32)  # cos 0.85 -> P 0.70
    groups, probs = group_claims(_pairs(emb, "ab"), ["a", "b"], GroupOptions(min_cosine=0.0), model)
    assert 0.69 < probs[(0, 1)] < 0.71
    assert sorted(len(g) for g in groups) == [1, 1]


def test_words_for_one_outcome_are_one_word_to_the_aligner():
    """"were killed" and "died" state one toll; "wounded" and "injured" one injury count."""
    from newsprism.align.score import content_tokens

    killed = content_tokens("Two people were killed when floodwater swept through Kettle Row.")
    died = content_tokens("Two people died in the flood, the mayor confirmed.")
    assert killed & died == {"two", "people", "die"}
    assert content_tokens("12 were wounded") & content_tokens("12 people injured") == {"12", "injure"}
    assert "die" not in content_tokens("The dice were loaded")


def test_story_membership_accepts_dict_layers():
    layer = {"stories": [{"id": "s1", "article_ids": ["x", "y"]}]}
    assert story_membership(layer, ["x", "y", "z"]) == {"x": "s1", "y": "s1", "z": "solo:z"}


def test_pipeline_groups_same_facts_and_attaches_denials(ruler_nlp):
    arts, batch = run_all(ruler_nlp)
    alignment = batch.layer("alignment")
    multi = [g for g in alignment.groups if len(g.claim_ids) > 1]
    troop = next(
        g
        for g in multi
        if any(
            "troops" in alignment.claims[c].text and "North" in alignment.claims[c].text for c in g.claim_ids
        )
    )
    assert len(set(troop.article_ids)) >= 2
    denial_groups = [g for g in alignment.groups if g.responses]
    assert denial_groups and all(alignment.claims[r].response_to for g in denial_groups for r in g.responses)
    for g in alignment.groups:
        assert len(set(g.article_ids)) == len(g.article_ids)  # never two claims of one article
    verdicts = batch.layer("verdicts").to_dict()
    assert verdicts["independence"] == "articles"
    for section in ("fact_sheet", "conflicts", "actor_disputes", "single_source"):
        for v in verdicts[section]:
            for e in v["evidence"]:
                text = next(a.text for a in arts if a.id == e["article_id"])
                assert text[e["span"][0] : e["span"][1]] == e["text"]


def test_claims_never_cross_stories(ruler_nlp):
    arts = [article(t, i) for i, t in enumerate(DOCS)]
    mapping = {arts[0].id: "s1", arts[1].id: "s2", arts[2].id: "s2"}
    _, batch = run_all(ruler_nlp, stories=mapping)
    alignment = batch.layer("alignment")
    for g in alignment.groups:
        assert len({mapping[a] for a in g.article_ids}) == 1


BAD = [
    "Name | Value | Year\nA | 1,200 | 2020\nB | 3,400 | 2021\n1 2 3 4 5 6 7 8 9 10 11 12",
    "“This quote never closes and goes on and on said nobody",
    "Kursk. Russia. Ukraine. 12. 14,000. -- ---",
    " ".join(f"Sentence {i} says officials reported {i} drones were destroyed." for i in range(500)),
]


def test_bad_input_never_crashes_and_every_claim_has_a_span(ruler_nlp):
    arts, batch = run_all(ruler_nlp, docs=BAD)
    claims = batch.layer("claims")
    assert not claims.errors
    for a in arts:
        for c in claims.claims[a.id]:
            assert 0 <= c.span.start < c.span.end <= len(a.text)
            assert c.span.start <= c.content_span.start <= c.content_span.end <= c.span.end
            for q in c.quantities:
                assert a.text[q.span.start : q.span.end] == q.text
    assert len(claims.claims[arts[3].id]) >= 400


def test_he_said_goes_to_the_person_named_last_unless_a_source_spoke_since(ruler_nlp):

    text = (
        "Russian general Gerasimov met officials in Moscow. He said the region was retaken. "
        "Peskov denied a report. \u201cWe never agreed,\u201d he told reporters. It rained in Kursk. "
        "She added nothing."
    )
    layer = ClaimsStage(nlp=ruler_nlp).run(Batch.of([article(text, 1)])).layer("claims")
    by_text = {c.text: c.attribution for c in layer.all()}
    he = by_text["He said the region was retaken."]
    assert (he.source, he.person, he.actor) == ("Gerasimov", "gerasimov", "Russia")
    quoted = by_text["\u201cWe never agreed,\u201d he told reporters."]
    assert quoted.person == "peskov"  # the source who just spoke, named in the same sentence as before
    assert by_text["She added nothing."].person == "peskov"  # no person named since Peskov


def test_a_late_anaphoric_denial_may_answer_the_lead_claim(ruler_nlp):
    """"Dismissed the statement" five sentences after the lead: the nearest claims are Putin's later
    remarks, but the lead's claim is a candidate too, so the other outlets' denials (which answer
    the lead) decide it, and the report holds one dispute, not a second one about the wrong words."""
    text = (
        "Russia's top general Gerasimov claimed that all Ukrainian troops had been expelled from Kursk. "
        "Peskov said Gerasimov briefed the president in a meeting. "
        "Putin said the incursion had completely failed. "
        "Peskov added that the operation opened the way for further successes on the front. "
        "He said the president thanked the commanders in a statement. "
        "Ukraine's General Staff dismissed the statement as false."
    )
    layer = ClaimsStage(nlp=ruler_nlp).run(Batch.of([article(text, 9)])).layer("claims")
    denial = next(c for c in layer.all() if c.response_to)
    lead = next(c for c in layer.all() if c.sentence_index == 0)
    assert denial.response_candidates[-1] == lead.id
    assert denial.response_to != lead.id  # alone, the nearest claim is still what it answers

    arts, batch = run_all(ruler_nlp, docs=[*DOCS, text])
    alignment = batch.layer("alignment")
    late = next(c for c in alignment.claims.values() if c.article_id == arts[-1].id and c.response_to)
    home = next(g for g in alignment.groups if late.id in g.responses)
    assert any(alignment.claims[c].article_id != arts[-1].id for c in home.claim_ids)


POLARITY_DOCS = [
    "The port authority closed the northern terminal on Monday after a crane collapsed. "
    "The ministry did not confirm whether the grain shipments will still go to the southern harbour.",
    "A crane collapse shut the northern terminal of the port on Monday. "
    "Deputy minister Okafor confirmed that the grain shipments will still go to the southern harbour.",
]


def test_a_negated_predicate_and_its_assertion_are_never_one_fact(ruler_nlp):
    """"did not confirm whether X" and "confirmed that X" share every word but one and say opposite
    things: never one group, so never a corroborated fact (the pair still reaches the verdicts)."""
    _, batch = run_all(ruler_nlp, POLARITY_DOCS)
    alignment = batch.layer("alignment")
    for g in alignment.groups:
        texts = " | ".join(alignment.claims[c].text for c in g.claim_ids)
        assert not ("did not confirm" in texts and "Okafor confirmed" in texts), texts
    assert not any("grain" in v.text for v in batch.layer("verdicts").fact_sheet)


@pytest.mark.parametrize(
    ("a", "b", "apart"),
    [
        ("The ministry did not confirm whether the ban holds.", "Okafor confirmed the ban holds.", True),
        ("Officials have not yet released the names.", "Officials released the names on Monday.", True),
        ("The mayor didnt sign the order.", "The mayor signed the order.", True),
        # both negate something: left to the model
        ("Decisions are made not in Lagos but in Abuja.", "Decisions are not made in Lagos.", False),
        # not a denial: an alternative, an addition, a counterfactual, a name after "not"
        ("Whether or not Okafor will sign the order is unclear.", "Okafor will sign the order.", False),
        ("The flood not only damaged roads but cut power.", "The flood damaged roads.", False),
        ("They would not have signed the deal in wartime.", "They signed the deal.", False),
        ("It is not Harbour Day, but the port closed.", "Harbour Day closed the port.", False),
    ],
)
def test_opposite_polarity_reads_only_a_denied_predicate(a, b, apart):
    from newsprism.align.apart import opposite_polarity

    assert opposite_polarity(a, b) is apart
    assert opposite_polarity(b, a) is apart


AGENT_DOCS = [
    "A fuel depot burned for hours near the river port on Sunday. "
    "Kestrel News could not independently verify who started the fire at the depot.",
    "Fire tore through a fuel depot near the river port on Sunday. "
    "The NNA could not independently verify who started the fire at the depot.",
]


def test_the_same_act_by_different_named_agents_is_not_one_fact():
    """Two agencies each saying they could not verify something are two facts, one per agency,
    however alike the words: the clause subjects differ and neither claim names the other's."""
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "ORG", "pattern": "Kestrel News"}])
    _, batch = run_all(nlp, AGENT_DOCS)
    alignment = batch.layer("alignment")
    together = [g for g in alignment.groups if len(g.claim_ids) > 1]
    assert [sorted(alignment.claims[c].text[:4] for c in g.claim_ids) for g in together] == [["A fu", "Fire"]]


def test_a_reporting_source_or_a_modifying_place_is_not_the_agent():
    from newsprism.align.apart import clause_subject
    from newsprism.claims.model import Attribution, Claim, Entity
    from newsprism.model import Span

    def claim(text: str, ents: tuple[Entity, ...] = ()) -> Claim:
        span = Span(0, len(text))
        return Claim("c", "a", 0, span, span, text, Attribution("o", "outlet", "asserts"), entities=ents)

    ap = Entity(Span(4, 24), "Associated Press", "ORG", "associated press")
    assert clause_subject(claim("The Associated Press reports the mayor resigned.", (ap,))) == frozenset()
    assert clause_subject(claim("The AP could not verify the images.")) == {"ap"}
    kestrel = Entity(Span(0, 12), "Kestrel News", "ORG", "kestrel news")
    assert clause_subject(claim("Kestrel News could not verify it.", (kestrel,))) == {"kestrel", "news"}
    assert clause_subject(claim("Kestrel News's editor resigned.", (kestrel,))) == frozenset()
    assert clause_subject(claim("A series of quakes hit the port.")) == frozenset()


def test_an_acronym_and_the_name_it_shortens_are_one_agent():
    from newsprism.align.apart import different_agents
    from newsprism.claims.model import Attribution, Claim, Entity
    from newsprism.model import Span

    def claim(text: str, ents: tuple[Entity, ...] = ()) -> Claim:
        span = Span(0, len(text))
        return Claim("c", "a", 0, span, span, text, Attribution("o", "outlet", "asserts"), entities=ents)

    full = Entity(Span(0, 22), "Northern Rail Holdings", "ORG", "northern rail holdings")
    named = claim("Northern Rail Holdings will buy the Kestrel line for $40 million.", (full,))
    assert not different_agents(named, claim("NRH will buy the Kestrel line for $40 million."))
    assert different_agents(named, claim("The NNA will buy the Kestrel line for $40 million."))


def test_denials_by_two_countries_deny_different_things():
    from newsprism.align.apart import denials_of_own_part
    from newsprism.claims.model import Attribution, Claim
    from newsprism.model import Span

    def denial(text: str, actor: str | None, stance: str = "denies") -> Claim:
        span = Span(0, len(text))
        a = Attribution(f"{actor} officials", "officials", stance, "denied", Span(0, 1), Span(1, 2), actor)
        return Claim("c", "a", 0, span, span, text, a)

    us = denial("any involvement in the drone attack", "United States")
    ukraine = denial("that his country carried out the drone attack", "Ukraine")
    assert denials_of_own_part(us, ukraine)
    assert not denials_of_own_part(us, denial("any role in the drone attack", "United States"))
    assert not denials_of_own_part(us, denial("the attack was real", "Ukraine", "asserts"))
    assert not denials_of_own_part(us, denial("any role in the attack", None))


def _tagged(text: str):
    """A claim over ``text`` with the entities the claims stage's rules tag in it."""
    from newsprism.claims.entities import entity_key, fix_entities
    from newsprism.claims.model import Attribution, Claim, Entity
    from newsprism.model import Span

    ents = tuple(
        Entity(Span(s, e), text[s:e], label, entity_key(text[s:e], label))
        for s, e, label in fix_entities(text, [])
    )
    span = Span(0, len(text))
    return Claim("c", "a", 0, span, span, text, Attribution("o", "outlet", "asserts"), entities=ents)


@pytest.mark.parametrize(
    ("a", "b", "apart"),
    [
        # a tit-for-tat: the same act, each country's diplomat (real coverage of 2023's expulsions)
        (
            "In response, Canada has expelled a senior Indian diplomat from the country.",
            "India's foreign ministry responded in kind, saying it had expelled a senior Canadian diplomat.",
            True,
        ),
        (
            "India's ministry has moved to expel a Canadian diplomat.",
            "Canada has expelled an Indian diplomat.",
            True,
        ),
        ("The strike killed 12 Russian soldiers.", "The strike killed 12 Ukrainian soldiers.", True),
        # the same country's diplomat: one fact, told twice
        (
            "Canada has expelled a senior Indian diplomat.",
            "Ottawa said it expelled a top Indian diplomat.",
            False,
        ),
        # a claim naming both countries' diplomats may tell either act
        (
            "After Canada expelled an Indian diplomat, India decided to expel a senior Canadian diplomat.",
            "India decided to expel a senior Canadian diplomat.",
            False,
        ),
        # no act leads to the noun (subjects), or different acts: left to the model
        ("Ukrainian troops were forced from the region.", "Russian troops regained the region.", False),
        ("Canada expelled a senior Indian diplomat.", "India summoned a senior Canadian diplomat.", False),
        # a country with no determiner before it is the subject or a place, not the noun's
        ("Canada expelled diplomats.", "India expelled diplomats.", False),
    ],
)
def test_the_same_act_on_two_countries_nationals_is_not_one_fact(a, b, apart):
    from newsprism.align.apart import different_nationals

    assert different_nationals(_tagged(a), _tagged(b)) is apart
    assert different_nationals(_tagged(b), _tagged(a)) is apart


TIT_FOR_TAT_DOCS = [
    "Relations between the two countries plunged on Tuesday. "
    "In response, Canada has expelled a senior Indian diplomat from the country.",
    "Relations between the two countries plunged on Tuesday. "
    "In response, India has expelled a senior Canadian diplomat from the country.",
    "Relations between the two countries plunged on Tuesday. "
    "In response, Ottawa has expelled a senior Indian diplomat from the country.",
]


def test_a_tit_for_tat_is_two_facts_and_each_half_still_groups():
    """Canada expelling India's diplomat and India expelling Canada's share every word but the
    demonyms: never one corroborated fact. The two outlets telling Canada's act stay one group."""
    _, batch = run_all(spacy.blank("en"), TIT_FOR_TAT_DOCS)
    alignment = batch.layer("alignment")
    expelled = [
        sorted(alignment.claims[c].text.split()[2] for c in g.claim_ids)
        for g in alignment.groups
        if "expelled" in alignment.claims[g.claim_ids[0]].text
    ]
    assert sorted(expelled) == [["Canada", "Ottawa"], ["India"]]
