"""Court-case disputes: a named source contradicting in its own words what another named source said."""

from __future__ import annotations

import pytest
import spacy

from claimfixtures import claims_of, with_words
from newsprism.claims.model import Claim
from newsprism.verdicts import disputes


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": p}
            for p in (
                "Warren Gotcher",
                "Gotcher",
                "Simpson",
                "Flynn",
                "Vincent Jackson",
                "Jackson",
                "Ray Scheidnes",
            )
        ]
    )
    return nlp


_claims, _with = claims_of, with_words


def _dispute(claims: list[Claim], text: str, claim_words: str) -> tuple[list, list] | None:
    """The dispute over the claim with ``claim_words``, each claim in a group of its own."""
    group_of = {c.id: f"g:{c.id}" for c in claims}
    target = _with(claims, claim_words)
    attached = disputes.counter_responses(claims, group_of).get(group_of[target.id], [])
    responses = [c for c in claims if c.id in attached]
    return disputes.opposed(disputes.positions([target], responses, {target.article_id: text}))


def test_a_negated_restatement_by_the_defence_disputes_the_prosecution(nlp):
    claims, text = _claims(
        nlp,
        "Prosecutors say Simpson called Flynn several times and arranged to meet her on a rural road. "
        "Defense attorney Warren Gotcher said Simpson did not call Flynn and never owned a phone like "
        "the one that called her.",
    )
    found = _dispute(claims, text, "Prosecutors say")
    assert found is not None
    claimants, deniers = found
    assert [p.actor for p in claimants] == ["Prosecutors"] and [p.person for p in deniers] == ["gotcher"]


def test_a_protest_of_innocence_answers_the_accusation_not_the_nearest_claim(nlp):
    claims, text = _claims(
        nlp,
        "Prosecutors allege that Simpson shot Flynn twice in the head. A DNA expert testified that Simpson "
        "fathered the fetus. Simpson's attorney, Warren Gotcher, argued that no witnesses could place "
        "Simpson at the shooting scene and that his client was innocent.",
    )
    counter = _with(claims, "his client was innocent")
    assert [c.text for c in claims if c.id == counter.response_candidates[0]] == [
        "Prosecutors allege that Simpson shot Flynn twice in the head."
    ]
    assert _dispute(claims, text, "Prosecutors allege") is not None


def test_the_accused_protesting_innocence_disputes_the_police(nlp):
    claims, text = _claims(
        nlp,
        "Vincent Jackson failed sobriety tests shortly after 2 a.m., said Highway Patrol Officer Ray "
        "Scheidnes. The player was taken to the county jail and later released. \u201cIn the event charges "
        "are filed, I look forward to clearing my name and proving my innocence,\u201d Jackson said.",
    )
    assert _dispute(claims, text, "failed sobriety tests") is not None


@pytest.mark.parametrize(
    "text",
    [
        # a negation of something else: the defence agrees the calls were made
        "Prosecutors say Simpson called Flynn several times on the night she died. Defense attorney Warren "
        "Gotcher said Simpson called Flynn several times on a borrowed phone and not on his own.",
        # agreement is never a denial
        "Prosecutors say Simpson called Flynn several times on the night she died. Defense attorney Warren "
        "Gotcher said Simpson called Flynn that night to talk about the baby.",
        # innocent bystanders protest nobody's innocence
        "Prosecutors say Simpson called Flynn several times on the night she died. Simpson's lawyer, Warren "
        "Gotcher, said Simpson had warned innocent neighbours about the gun.",
        # the outlet's own voice is nobody's denial
        "Prosecutors say Simpson called Flynn several times on the night she died. Simpson did not call "
        "Flynn that night, his phone records show.",
    ],
)
def test_no_dispute_without_a_named_source_negating_the_claim(nlp, text):
    claims, article = _claims(nlp, text)
    assert _dispute(claims, article, "Prosecutors say") is None
