"""Rebuttals: a named source denying a claim by its verdict on it ("the allegations are absurd")."""

from __future__ import annotations

import pytest
import spacy

from claimfixtures import claims_of, with_words
from newsprism.claims.model import Claim
from newsprism.claims.stage import ClaimsStage
from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.pipeline import Batch
from newsprism.verdicts import disputes

CLAIM = (
    '"Our security agencies have been pursuing credible allegations of a potential link between agents of '
    'the government of Vandoria and the killing of a citizen," Prime Minister Ellen Marsh said Monday in '
    "a speech to parliament. "
)


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PERSON", "pattern": p} for p in ("Ellen Marsh", "Marsh", "Tom Reyes")])
    return nlp


_claims, _with = claims_of, with_words


def _dispute(claims: list[Claim], text: str, claim_words: str):
    target = _with(claims, claim_words)
    responses = [c for c in claims if c.response_to == target.id]
    return disputes.opposed(disputes.positions([target], responses, {target.article_id: text}))


def test_a_time_and_place_after_the_verb_leave_the_quotation_as_the_content(nlp):
    claims, text = _claims(nlp, CLAIM)
    c = _with(claims, "credible allegations")
    assert c.attribution.person == "marsh"
    assert text[c.content_span.start : c.content_span.end].startswith('"Our security agencies')


@pytest.mark.parametrize(
    "rebuttal, denier",
    [
        (
            "\"Allegations of the Government of Vandoria's involvement in any act of violence are absurd "
            'and motivated," the Vandorian Foreign Ministry said.',
            "the Vandorian Foreign Ministry",
        ),
        (
            'Reacting sharply to Marsh\'s allegations, Vandoria on Tuesday described them as "absurd".',
            "Vandoria",
        ),
        ("The Foreign Ministry termed Marsh's allegations 'absurd' and 'motivated'.", "The Foreign Ministry"),
        (
            'The Foreign Ministry categorically dismissed Marsh\'s assertion of a "potential link" between '
            'Vandorian agents and the killing as "baseless".',
            "The Foreign Ministry",
        ),
        (
            "Marsh's claim of a 'potential link' between Vandorian agents and the killing has been dismissed "
            "by the Foreign Ministry as 'baseless'.",
            "the Foreign Ministry",
        ),
    ],
)
def test_a_verdict_on_the_allegation_disputes_it(nlp, rebuttal, denier):
    claims, text = _claims(nlp, CLAIM + rebuttal)
    found = _dispute(claims, text, "credible allegations")
    assert found is not None
    claimants, deniers = found
    assert [p.person for p in claimants] == ["marsh"]
    assert [(p.actor, p.how) for p in deniers] == [(denier, "reported denial")]


@pytest.mark.parametrize(
    "rebuttal",
    [
        # someone else's allegations are answered, not Marsh's
        'Reacting to Reyes\'s allegations, the Foreign Ministry described them as "absurd".',
        # a verdict on reports of something else, with the claim no allegation of it
        '"Reports of flooding in the capital were false," the Foreign Ministry said.',
        # a judgement of the allegations that is no denial
        '"The allegations are serious and must be investigated," the Foreign Ministry said.',
        # her own side calling her allegations credible denies nothing
        '"The allegations are not baseless," Marsh said.',
    ],
)
def test_no_dispute_from_a_verdict_on_another_claim(nlp, rebuttal):
    claims, text = _claims(nlp, CLAIM + rebuttal)
    assert _dispute(claims, text, "credible allegations") is None


def test_the_claim_of_the_speakers_own_side_is_not_answered(nlp):
    claims, text = _claims(
        nlp,
        '"There are credible allegations that the dam operator ignored warnings," Tom Reyes said. '
        '"Allegations of a cover-up by the operator are baseless," Reyes said.',
    )
    assert _dispute(claims, text, "credible allegations") is None


ACCUSATION = "Kremlin spokesman Dmitry Peskov accused the United States of being behind the drone attack. "


def test_an_accusation_by_one_country_is_answered_by_another(nlp):
    claims, text = _claims(
        nlp,
        ACCUSATION
        + 'The allegations are "completely false," U.S. Defense Department spokesman Garron Garn said.',
    )
    found = _dispute(claims, text, "accused the United States")
    assert found is not None
    assert [(p.actor, p.how) for p in found[1]] == [("United States", "reported denial")]


def test_an_accusation_is_not_answered_by_a_source_of_no_known_side(nlp):
    # Nothing says whose ministry it is: it may be the accuser's own.
    claims, text = _claims(
        nlp, ACCUSATION + 'The allegations are "completely false," the Foreign Ministry said.'
    )
    assert _dispute(claims, text, "accused the United States") is None


def test_a_person_is_one_side_whichever_way_an_article_names_them(nlp):
    docs = [
        "Canadian Prime Minister Ellen Marsh said there were credible allegations of a link between "
        "Vandorian agents and the killing of a citizen.",
        CLAIM + 'Reacting to Marsh\'s allegations, Vandoria on Tuesday described them as "absurd".',
    ]
    arts = [
        build_article(RawDocument(text=t, source=f"mem://{n}", format="text", url=f"https://ex{n}.org/a"))
        for n, t in enumerate(docs)
    ]
    claims = ClaimsStage(nlp=nlp).run(Batch.of(arts)).layer("claims").all()
    first, quote = _with(claims, "there were credible allegations"), _with(claims, "Our security agencies")
    assert (first.attribution.actor, quote.attribution.actor) == ("Canada", None)
    responses = [c for c in claims if c.response_to == quote.id]
    texts = {a.id: a.text for a in arts}
    claimants, _ = disputes.opposed(disputes.positions([first, quote], responses, texts))
    assert {(p.side, p.actor) for p in claimants} == {("actor:canada", "Canada")}
