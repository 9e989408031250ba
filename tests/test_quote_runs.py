"""A quote running over several sentences takes its speaker from where it opens or closes."""

from __future__ import annotations

import pytest
import spacy

from newsprism.claims.stage import ClaimsStage
from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.pipeline import Batch
from newsprism.verdicts.sources import count_sources


@pytest.fixture(scope="module")
def ruler_nlp():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PERSON", "pattern": p} for p in ("Marty Earley", "Earley")])
    return nlp


def _claims(nlp, text: str, n: int = 1):
    art = build_article(
        RawDocument(text=text, source=f"mem://{n}", format="text", url=f"https://ex{n}.org/a")
    )
    return ClaimsStage(nlp=nlp).run(Batch.of([art])).layer("claims").all()


@pytest.mark.parametrize(
    "text",
    [
        # closed by the sentence that names the speaker (curly and straight quotes)
        "The driver stopped at the scene. \u201cHe was pretty shook up for a long while. He tried to provide "
        "first aid for her,\u201d said Sgt. Marty Earley of the police.",
        'The driver stopped at the scene. "He was pretty shook up for a long while. He tried to provide '
        'first aid for her," said Sgt. Marty Earley of the police.',
        # opened after the speaker is named
        "The driver stopped at the scene. Sgt. Marty Earley said: \u201cHe was pretty shook up for a long "
        "while. He tried to provide first aid for her.\u201d",
    ],
)
def test_every_sentence_of_a_quote_is_the_speakers(ruler_nlp, text: str) -> None:
    claims = _claims(ruler_nlp, text)
    shook = next(c for c in claims if "shook" in c.text)
    assert shook.attribution.person == "earley"
    stopped = next(c for c in claims if "stopped" in c.text)
    assert stopped.attribution.is_outlet  # outside the quote: the outlet's own voice


def test_two_outlets_printing_one_quote_have_one_original_source(ruler_nlp) -> None:
    a = _claims(
        ruler_nlp, "\u201cHe was pretty shook up for a long while. He did all he could,\u201d said Earley.", 1
    )
    b = _claims(
        ruler_nlp,
        "\u201cHe was pretty shook up for a long while. He did what he could,\u201d said Earley.",
        2,
    )
    shook = [c for c in a + b if "shook" in c.text]
    count = count_sources(shook, lambda article: article)
    assert (count.sources, count.origin) == (1, "Earley")


def test_a_stray_quotation_mark_does_not_swallow_the_article(ruler_nlp) -> None:
    text = (
        "\u201cThe bridge closed at noon on Friday. "
        + " ".join(f"Traffic was diverted through the town centre for hour number {i}." for i in range(8))
        + " Police said the road would reopen."
    )
    claims = _claims(ruler_nlp, text)
    assert all(c.attribution.is_outlet for c in claims if "Traffic" in c.text)


@pytest.mark.parametrize(
    "text",
    [
        # a whole-sentence quotation after the speaker's quote
        "\u201cHe was pretty shook up for a long while,\u201d said Earley. \u201cHe tried to provide "
        "first aid for her.\u201d",
        # a quotation over two sentences, neither naming a speaker, after the speaker's quote
        "\u201cHe was pretty shook up for a long while,\u201d Earley said. \u201cHe did all he could. "
        "He tried to provide first aid for her.\u201d",
    ],
)
def test_a_quotation_with_no_speaker_goes_on_with_the_last_one(ruler_nlp, text: str) -> None:
    claims = _claims(ruler_nlp, text)
    aid = next(c for c in claims if "first aid" in c.text)
    assert aid.attribution.person == "earley"


def test_a_quotation_after_the_outlets_own_voice_stays_unattributed(ruler_nlp) -> None:
    claims = _claims(
        ruler_nlp,
        "\u201cHe was pretty shook up for a long while,\u201d said Earley. The driver was arrested at the "
        "scene. \u201cHe tried to provide first aid for her.\u201d",
    )
    aid = next(c for c in claims if "first aid" in c.text)
    assert aid.attribution.is_outlet


def test_a_quotation_after_a_short_named_one_is_the_same_speakers(ruler_nlp) -> None:
    # The first quotation is too short to be a claim; its speaker still speaks the next one. NER
    # (here a ruler that knows only Earley) misses the name: the title before it names the person.
    claims = _claims(
        ruler_nlp,
        "The storm hit the valley overnight. \u201cHalf the town is gone,\u201d Calvera Mayor Lena Ortiz "
        "said Wednesday. \u201cHouses are no longer there.\u201d",
    )
    houses = next(c for c in claims if "Houses" in c.text)
    assert houses.attribution.person == "ortiz"


@pytest.mark.parametrize(("mark", "close"), [('"', '"'), ("\u201c", "\u201d")])
def test_a_quotation_over_paragraphs_is_the_speakers_throughout(ruler_nlp, mark: str, close: str) -> None:
    # A quotation running on over paragraphs leaves off the close at the end of the first one and
    # marks the next one with an opening mark; both paragraphs are the speaker's words.
    claims = _claims(
        ruler_nlp,
        f"The report came out on Thursday. In his statement, Earley said: {mark}The bridge was closed "
        "at noon on Friday. Traffic was diverted through the town centre for hours.\n\n"
        f"{mark}Drivers waited for two hours at the junction. The road reopened at midnight.{close}",
    )
    for words in ("Traffic was diverted", "Drivers waited", "road reopened"):
        assert _about(claims, words).attribution.person == "earley", words
    assert _about(claims, "report came out").attribution.is_outlet


def test_a_quote_named_with_an_age_gives_its_speaker_to_the_next_quotation(ruler_nlp) -> None:
    claims = _claims(
        ruler_nlp,
        '"I open my eyes and the first thing I see is the oxygen mask," Marty Earley, 22, said. '
        '"And I look to the left and the wall on the side of the plane is gone."',
    )
    assert _about(claims, "oxygen mask").attribution.person == "earley"
    assert _about(claims, "wall on the side").attribution.person == "earley"


def _about(claims, words: str):
    return next(c for c in claims if words in c.text)


def test_a_definite_speaker_after_a_quotation_keeps_the_quotation_a_claim(ruler_nlp) -> None:
    # "the diplomat" after a quotation names no source of the clause; read as one, it would leave
    # only the quoted words, which the claim rules do not read as a statement, and the claim is lost.
    claims = _claims(
        ruler_nlp,
        "\u201cThe facade has changed but the foundations remain the same,\u201d said a Western diplomat.\n"
        "He strictly controls the economy and the whole of the media,\u201d the diplomat added.",
    )
    assert any("strictly controls" in c.text for c in claims)
