"""Who a claim is attributed to, so that a fact every outlet takes from one primary source counts once."""

from __future__ import annotations

import pytest
import spacy

from newsprism.claims.actors import countries_in
from newsprism.claims.attribution import find_attribution
from newsprism.claims.clauses import find_quotes, quote_mask
from newsprism.claims.model import Attribution, Claim, Quote
from newsprism.claims.stage import ClaimsStage
from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.model import Span
from newsprism.pipeline import Batch
from newsprism.verdicts.sources import count_sources, source_key


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": p}
            for p in ("Annika Sollberg", "Sollberg", "Skarnvale Hydro", "Mirela Osk")
        ]
        + [{"label": "ORG", "pattern": p} for p in ("Civil Protection Service", "Harwick Health Ministry")]
    )
    return nlp


def _claims(nlp, text: str, n: int = 1) -> list[Claim]:
    art = build_article(
        RawDocument(text=text, source=f"mem://{n}", format="text", url=f"https://ex{n}.org/a")
    )
    return ClaimsStage(nlp=nlp).run(Batch.of([art])).layer("claims").all()


def _about(claims: list[Claim], word: str) -> Claim:
    return next(c for c in claims if word in c.text)


@pytest.mark.parametrize(
    ("text", "source", "stance"),
    [
        # accusations assert what the accused did
        (
            "Governor Annika Sollberg has accused Skarnvale Hydro, which operates the dam, of ignoring "
            "warnings.",
            "Governor Annika Sollberg",
            "claims",
        ),
        (
            "The provincial governor, Annika Sollberg, put the blame on Skarnvale Hydro, the company that "
            "runs the dam.",
            "The provincial governor, Annika Sollberg",
            "claims",
        ),
        ("Prosecutors allege that Simpson shot Flynn twice in the head.", "Prosecutors", "claims"),
        # the source set off by commas before its verb
        (
            "Simpson's attorney, Warren Gotcher, argued that no witnesses could place Simpson at the scene.",
            "Simpson's attorney, Warren Gotcher",
            "asserts",
        ),
        # a body named by what it is, after an adverbial
        (
            "In a statement, the company said every inspection had found the dam sound.",
            "the company",
            "asserts",
        ),
        (
            "That happened last week, but today the company announced it has a patch ready.",
            "the company",
            "asserts",
        ),
        # a hyphenated modifier is no verb
        (
            "New York-based Human Rights Watch said in an assessment that Turkmenistan had made progress.",
            "New York-based Human Rights Watch",
            "asserts",
        ),
        ('"I thought it was a brick but it was a bullet," Armstead testified.', "Armstead", "asserts"),
        # the name first, then its role set off by commas
        (
            "Lena Ortiz, the mayor of Calvera, told the Associated Press that rescue teams were trying to "
            "reach all 40 hamlets.",
            "Lena Ortiz, the mayor of Calvera",
            "asserts",
        ),
        (
            "However, Lena Ortiz, the mayor of Calvera, disputed the ministry's claim that the road was "
            "open.",
            "Lena Ortiz, the mayor of Calvera",
            "disputes",
        ),
        # the subject after a time adverbial, not its first word
        (
            "Last week, Khartoum submitted a complaint to the Security Council, accusing South Sudan of "
            "supplying missiles to insurgents.",
            "Khartoum",
            "claims",
        ),
        # a relative clause or an adverbial set off by commas between the source and its verb
        (
            '"The harvest is lost," Mirela Osk, who farms near the delta, told the Danube Courier.',
            "Mirela Osk",
            "asserts",
        ),
        (
            "Premier Tomas Vell, without giving details, said the budget would be cut.",
            "Premier Tomas Vell",
            "asserts",
        ),
        # the outlet that quoted the speaker only relays the words
        ('"Talks will resume in May," Vell was quoted as saying by the Halden Post.', "Vell", "asserts"),
        ("Vell was quoted by the Halden Post as saying that talks would resume in May.", "Vell", "asserts"),
        # the outlet an account is credited to only relays the speaker it names
        (
            "According to the Halden Post, the water authority said 40 homes had been evacuated.",
            "the water authority",
            "asserts",
        ),
        (
            "The water authority said 40 homes had been evacuated, according to the Halden Post.",
            "The water authority",
            "asserts",
        ),
        ("Forty homes had been evacuated, according to the Halden Post.", "the Halden Post", "asserts"),
        # a gerund after a preposition and an adjectival participle are no reporting verbs
        (
            "A week after accusing the utility of negligence, Governor Annika Sollberg said the dam must "
            "be rebuilt.",
            "Governor Annika Sollberg",
            "asserts",
        ),
        ("An alleged arson attack destroyed the depot on Monday, police said.", "police", "asserts"),
        # a person's age set off by commas between the name and the verb
        (
            '"I open my eyes and the first thing I see is the oxygen mask," Ms. Vera Lind, 22, said.',
            "Ms. Vera Lind",
            "asserts",
        ),
        ("Her friend, Elise Marr, 20, said she had also heard a loud pop.", "Elise Marr", "asserts"),
        # a body named by what it is after an opening phrase, as when it opens the sentence
        (
            "In its latest monetary policy report, the bank said that households would spend less.",
            "the bank",
            "asserts",
        ),
    ],
)
def test_the_source_of_a_clause(text, source, stance):
    found = find_attribution(text)
    assert found is not None and (found.source, found.stance) == (source, stance)


def test_a_role_and_a_titled_name_after_a_quotation():
    # The pipeline masks quotations before looking for the source, so the comma inside one opens no
    # clause and the role starts where the quotation ends.
    text = '"The harvest is lost," the farmer, local councillor Mirela Osk, said in an interview.'
    found = find_attribution(quote_mask(text, find_quotes(text)))
    assert found is not None and found.source == "the farmer, local councillor Mirela Osk"


def test_an_accusation_keeps_the_accused_and_the_charge_as_its_content():
    text = (
        "The provincial governor, Annika Sollberg, put the blame on Skarnvale Hydro, the company that "
        "runs the dam."
    )
    found = find_attribution(text)
    assert found is not None and text[found.content[0] : found.content[1]].startswith("Skarnvale Hydro")


@pytest.mark.parametrize(
    "text",
    [
        "Simpson, accused of killing Flynn, sat in court all day.",
        "Two accused gangbangers went on trial Wednesday for killing a mother.",
        "Meanwhile, Putin, said the talks would go on.",
        "In Kyiv, officials, said the war goes on.",
        "Meanwhile, the mayor of Calvera, said the war goes on.",
        "A second mother who testified was shot in her arm.",
        # an adverb opening the sentence, and a participle after a noun, name nobody
        "Shortly after the polls closed, his campaign released a video saying victory was near.",
        # a place after the verb is not who posted
        "The figures were released late, posted on the ministry's website.",
    ],
)
def test_no_source_where_nobody_speaks(text):
    assert find_attribution(text) is None


def test_the_company_is_the_body_the_text_calls_so_not_the_latest_organisation(nlp):
    claims = _claims(
        nlp,
        "The Civil Protection Service said 4,000 people had left their homes. Governor Annika Sollberg said "
        "the dam's operator, Skarnvale Hydro, had ignored repeated warnings from inspectors. Skarnvale Hydro "
        "denied the accusation. In a statement, the company said every inspection had found the dam sound.",
    )
    assert _about(claims, "every inspection").attribution.source == "Skarnvale Hydro"


def test_the_company_named_nowhere_stays_unresolved(nlp):
    claims = _claims(
        nlp,
        "The Civil Protection Service said 4,000 people had left their homes. Rescue crews worked through "
        "the night in boats. Water reached the second floor of many houses. In a statement, the company "
        "said every inspection had found the dam sound.",
    )
    assert _about(claims, "every inspection").attribution.source == "the company"


def test_the_name_before_its_role_speaks_not_the_person_the_role_names(nlp):
    claims = _claims(
        nlp,
        '"The dam was never inspected," Mirela Osk, an aide to Annika Sollberg, told reporters.',
    )
    assert [c.attribution.person for c in claims] == ["osk"]


def test_the_spokesperson_is_the_one_just_named_with_that_role(nlp):
    claims = _claims(
        nlp,
        "A spokesperson for the Harwick Valley Water Authority said the reservoir was full. "
        '"We opened two spillways overnight to relieve the dam," the spokesperson added.',
    )
    assert _about(claims, "spillways").attribution.source == (
        "A spokesperson for the Harwick Valley Water Authority"
    )


def test_the_spokesperson_is_not_a_source_named_with_another_role(nlp):
    claims = _claims(
        nlp,
        "Governor Annika Sollberg said the reservoir was full. "
        '"We opened two spillways overnight to relieve the dam," the spokesperson added.',
    )
    assert _about(claims, "spillways").attribution.source == "the spokesperson"


@pytest.mark.parametrize(
    ("first", "source"),
    [
        ("The Harwick Health Ministry opened a hotline.", "Harwick Health Ministry"),
        # a ministry carries its kind in its name: the service named last is not "the ministry"
        ("The Civil Protection Service opened a hotline.", "The ministry"),
    ],
)
def test_the_ministry_is_the_last_ministry_named(nlp, first, source):
    claims = _claims(nlp, f"{first} The ministry said 40 patients had been moved to other hospitals.")
    assert _about(claims, "patients").attribution.source == source


def test_an_accusation_is_a_claim_even_without_a_finite_verb(nlp):
    claims = _claims(
        nlp,
        "Governor Annika Sollberg has accused Skarnvale Hydro, which operates the dam, of ignoring warnings.",
    )
    assert [c.attribution.person for c in claims] == ["sollberg"]


def test_a_name_inside_a_quote_is_not_who_she_is(nlp):
    claims = _claims(
        nlp,
        "Annika Sollberg repeated the accusation in the assembly on Tuesday. \u201cSkarnvale Hydro was "
        "warned about seepage in the eastern wall in 2024. It did not act,\u201d she told members.",
    )
    assert {c.attribution.person for c in claims if "warned" in c.text or "act" in c.text} == {"sollberg"}


def _said(source: str, kind: str = "organisation", person: str | None = None) -> Attribution:
    return Attribution(source, kind, "asserts", "said", Span(0, 1), Span(1, 2), None, person)


def _claim(cid: str, a: Attribution) -> Claim:
    text = "140 millimetres of rain fell in the 24 hours before the breach"
    return Claim(cid, cid, 0, Span(0, len(text)), Span(0, len(text)), text, a)


def test_one_weather_service_whatever_the_outlet_calls_it():
    claims = [
        _claim("a", _said("Weather officials", "officials")),
        _claim("b", _said("forecasters", "officials")),
        _claim("c", _said("the provincial weather service")),
    ]
    assert len({source_key(c) for c in claims}) == 1
    assert count_sources(claims, lambda a: a).sources == 1


def test_a_body_read_as_a_person_and_as_an_organisation_is_one_source():
    claims = [
        _claim("a", _said("Skarnvale Hydro", "person", "hydro")),
        _claim("b", _said("Skarnvale Hydro")),
    ]
    assert count_sources(claims, lambda a: a).sources == 1


def test_south_sudan_is_not_sudan():
    assert [c for c, _, _ in countries_in("South Sudan President Salva Kiir and Khartoum")] == [
        "South Sudan",
        "Sudan",
    ]


def test_a_verb_glued_to_the_closing_quote_mark_is_read():
    found = find_attribution("___ ____ __ ___ ___ _______ __ ____ _said Flynn's father, Herbert Flynn.")
    assert found is not None and (found.verb, found.source) == ("said", "Flynn's father")


def _quotation(cid: str, a: Attribution, text: str = "She deserved it.") -> Claim:
    return Claim(
        cid,
        cid,
        0,
        Span(0, len(text)),
        Span(0, len(text)),
        text,
        a,
        quotes=(Quote(Span(0, len(text)), text),),
    )


OWN_VOICE = Attribution("outlet", "outlet", "asserts")


def test_outlets_printing_one_quotation_report_its_speaker_not_themselves():
    claims = [
        _quotation("a", _said("Herbert Flynn", "person", "flynn")),
        _quotation("b", OWN_VOICE),
        _quotation("c", OWN_VOICE),
    ]
    count = count_sources(claims, lambda a: a)
    assert (count.sources, count.origin) == (1, "Herbert Flynn")


def test_unattributed_quotations_are_one_unnamed_speaker_but_own_reporting_counts():
    quoted = [_quotation("a", OWN_VOICE), _quotation("b", OWN_VOICE)]
    assert count_sources(quoted, lambda a: a).sources == 1
    reported = [_claim("a", OWN_VOICE), _claim("b", OWN_VOICE)]
    assert count_sources(reported, lambda a: a).sources == 2


def test_an_unnamed_speaker_is_not_shown_as_the_outlet():
    quoted = [_quotation("a", OWN_VOICE), _quotation("b", OWN_VOICE)]
    assert count_sources(quoted, lambda a: a).origin == "one quotation, speaker not named"


def test_one_quotation_given_to_two_speakers_is_one_utterance():
    # Outlets print the same words but name different speakers: they disagree on the attribution,
    # they are not two independent sources.
    claims = [
        _quotation("a", _said("A.J. Smith", "person", "smith")),
        _quotation("b", _said("A.J. Butler", "person", "butler")),
        _quotation("c", OWN_VOICE),
    ]
    count = count_sources(claims, lambda a: a)
    assert (count.sources, count.origin) == (1, "one quotation, attributed to A.J. Butler / A.J. Smith")


def test_one_armed_forces_under_every_name_is_one_source():
    claims = [
        _claim("a", _said("the Canadian military")),
        _claim("b", _said("the Canadian Armed Forces")),
        _claim("c", _said("a spokesperson for the Canadian Armed Forces", "person")),
        _claim("d", _said("A CAF spokesperson", "person")),
        _claim("e", _said("Canada", "country")),
    ]
    count = count_sources(claims, lambda a: a)
    assert (count.sources, count.origin) == (1, "a spokesperson for the Canadian Armed Forces")


def test_two_countries_armies_stay_two_sources():
    claims = [_claim("a", _said("the Canadian military")), _claim("b", _said("the Mexican army"))]
    assert count_sources(claims, lambda a: a).sources == 2


def test_an_acronym_is_the_body_whose_initials_it_is():
    full, short = _said("the Harwick Valley Water Authority"), _said("HVWA")
    assert count_sources([_claim("a", full), _claim("b", short)], lambda a: a).sources == 1
    other = _said("the Harwick Valley Rescue Service")
    assert count_sources([_claim("a", other), _claim("b", short)], lambda a: a).sources == 2
    # two bodies with the same initials: the acronym could be either, so it stays apart
    clash = _said("the Hollow Vale Wildlife Association")
    three = [_claim("a", full), _claim("b", clash), _claim("c", short)]
    assert count_sources(three, lambda a: a).sources == 3


def test_the_ministry_is_the_one_ministry_the_fact_names_in_full():
    official = _said("a health ministry official", "person")
    claims = [_claim("a", _said("the ministry")), _claim("b", official)]
    assert count_sources(claims, lambda a: a).sources == 1
    # two ministries named in full: "the ministry" could be either
    foreign = _said("the foreign ministry")
    claims = [_claim("a", _said("the ministry")), _claim("b", official), _claim("c", foreign)]
    assert count_sources(claims, lambda a: a).sources == 3


def test_an_unnamed_official_of_a_country_is_not_its_government():
    claims = [_claim("a", _said("a Canadian official", "officials")), _claim("b", _said("Canada", "country"))]
    assert count_sources(claims, lambda a: a).sources == 2


def test_two_speakers_different_words_are_two_sources():
    claims = [
        _quotation("a", _said("another official", "officials"), "We still do not know what happened here."),
        _quotation("b", _said("Kirby", "person", "kirby"), "We may never fully understand what happened."),
    ]
    assert count_sources(claims, lambda a: a).sources == 2


def test_a_denial_that_states_what_it_denies_is_not_anaphoric():
    spelled = find_attribution(
        "Earlier, Valdoria rejected the allegations made by its neighbour's prime minister that its agents "
        "were involved in the killing."
    )
    assert spelled is not None and spelled.stance == "denies" and not spelled.response
    bare = find_attribution("Valdoria rejected the allegations made by its neighbour.")
    assert bare is not None and bare.response
    # "that" opening another verb's clause: the denial still answers an earlier claim
    blamed = find_attribution("The army refuted the claim and blamed that a rocket of the rebels misfired.")
    assert blamed is not None and blamed.response


@pytest.mark.parametrize(
    ("text", "source", "verb"),
    [
        # a time between the source and its verb belongs to the verb
        ("Premier Tomas Vell on Monday said the budget would be cut.", "Premier Tomas Vell", "said"),
        ("Halden on Thursday announced the expulsion of a diplomat.", "Halden", "announced"),
        (
            "The company that runs the dam late Tuesday said the wall was sound.",
            "The company that runs the dam",
            "said",
        ),
        # verbs that report a statement through a content clause
        ("Garland emphasized that the case should serve as a clear message.", "Garland", "emphasized"),
        ("Vell echoed the point, stating that the budget would be cut.", "Vell", "stating"),
        ("_We will win this case,_ Vell stressed.", "Vell", "stressed"),
    ],
)
def test_reporting_verbs_and_times_before_them(text, source, verb):
    found = find_attribution(text)
    assert found is not None and (found.source, found.verb) == (source, verb)


def test_stressing_an_object_reports_no_statement():
    assert find_attribution("The minister stressed the importance of the deal.") is None


def test_a_named_spokesperson_speaks_for_the_body_the_fact_names():
    body = _said("the Ministry of Foreign Trade (MFT)")
    spokes = _said("MFT spokesperson Ana Roth", "person", "roth")
    assert count_sources([_claim("a", body), _claim("b", spokes)], lambda a: a).sources == 1
    spokes2 = _said("Ana Roth, a spokesperson for the Ministry of Foreign Trade", "person", "roth")
    assert count_sources([_claim("a", body), _claim("b", spokes2)], lambda a: a).sources == 1
    # the spokesperson of a body the fact does not name stays their own source
    other = _said("the Port Authority")
    assert count_sources([_claim("a", other), _claim("b", spokes)], lambda a: a).sources == 2


def test_an_adverbial_before_a_second_verb_is_no_speaker():
    text = (
        "The outgoing leader Tomas Vell thanked the mayor for her campaign, on his X account and added "
        "that he would keep working."
    )
    found = find_attribution(text)
    assert found is None or "account" not in found.source


def test_unnamed_people_are_no_named_source():
    claims = [_claim("a", _said("Others", "officials")), _claim("b", _said("residents", "officials"))]
    assert source_key(claims[0]) is None and source_key(claims[1]) is None
    assert count_sources(claims, lambda a: a).origin is None


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ('_Talks will resume in May,_ she told the court, according to the Halden Post.', "she"),
        ("Forty homes had been evacuated, police said, according to the Halden Post.", "police"),
        ("Vell admitted himself to a clinic, according to the Halden Post.", "the Halden Post"),
    ],
)
def test_an_outlet_relays_the_speaker_it_quotes(text, source):
    found = find_attribution(text)
    assert found is not None and found.source == source


def test_the_airline_is_the_one_airline_the_fact_names():
    # a name whose noun is plural ("Nordvik Airlines") is still the body "the airline" means
    claims = [_claim("a", _said("the airline")), _claim("b", _said("Nordvik Airlines"))]
    assert count_sources(claims, lambda a: a).sources == 1
    two = claims + [_claim("c", _said("Tollen Airlines"))]
    assert count_sources(two, lambda a: a).sources == 3


def test_a_chief_executive_speaks_for_the_company_the_fact_names():
    ceo = _said("Nordvik Airlines CEO Ben Arlo", "person", "arlo")
    body = _said("Nordvik Airlines")
    assert count_sources([_claim("a", body), _claim("b", ceo)], lambda a: a).sources == 1
    chief = _said("Ben Arlo, the chief executive of Nordvik Airlines", "person", "arlo")
    assert count_sources([_claim("a", body), _claim("b", chief)], lambda a: a).sources == 1


def test_a_named_witness_is_not_the_speaker_of_other_words_no_one_is_named_for():
    le = _quotation(
        "a",
        _said("Elise Marr", "person", "marr"),
        "The oxygen masks dropped down, and I look to my left to see wind blasting, with a piece of the "
        "wall gone.",
    )
    other = _quotation("b", OWN_VOICE, "And I look to the left and the wall on the side of the plane is gone")
    count = count_sources([le, other], lambda a: a)
    assert (count.sources, count.origin) == (2, None)
    # the same words, one outlet printing a longer stretch of them, stay the named speaker's
    longer = _quotation(
        "c",
        OWN_VOICE,
        "The oxygen masks dropped down, and I look to my left to see wind blasting, with a piece of the "
        "wall gone. Everyone was screaming and holding hands.",
    )
    count = count_sources([le, longer], lambda a: a)
    assert (count.sources, count.origin) == (1, "Elise Marr")
