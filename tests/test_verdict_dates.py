"""Date conflicts: one event dated differently by two reports, read narrowly (verdicts.dates)."""

from __future__ import annotations

from itertools import combinations

import pytest
import spacy

from newsprism.align.model import AlignmentResult
from newsprism.claims.stage import ClaimsStage
from newsprism.claims.times import extract_times
from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.pipeline import Batch
from newsprism.verdicts.decide import VerdictOptions
from newsprism.verdicts.stage import VerdictsOptions, VerdictsStage

_NAMES = {
    "GPE": ("India", "Canada", "New Delhi"),
    "NORP": ("Canadian", "Indian"),
    "PERSON": ("Bankman-Fried", "Trudeau", "Lewis Kaplan", "Vincent Jackson", "Jackson"),
    "ORG": ("San Diego Chargers",),
}


@pytest.fixture(scope="module")
def ruler():
    """Entities without a model: the claims read names, the parser (``nlp``) which word a date dates."""
    blank = spacy.blank("en")
    rules = blank.add_pipe("entity_ruler")
    rules.add_patterns([{"label": label, "pattern": n} for label, names in _NAMES.items() for n in names])
    return blank


@pytest.fixture(scope="module")
def models(ruler, nlp):
    return ruler, nlp


class _Stories:
    def __init__(self, mapping: dict[str, str]):
        self.story_of = mapping


def _verdicts(models, docs: list[str], p_same: float = 0.7, options: VerdictOptions | None = None):
    """Each document one report of one story; every pair of their claims scored ``p_same``.
    ``models``: (entity ruler, parser)."""
    ruler, parser = models
    arts = [
        build_article(RawDocument(text=t, source=f"mem://{i}", format="text", url=f"https://ex{i}.org/a"))
        for i, t in enumerate(docs)
    ]
    batch = Batch.of(arts).with_layer("stories", _Stories({a.id: "s1" for a in arts}))
    per_article = ClaimsStage(nlp=ruler).run(batch).layer("claims").claims
    claims = [c for cs in per_article.values() for c in cs]
    near = [(a.id, b.id, p_same) for a, b in combinations(claims, 2) if a.article_id != b.article_id]
    alignment = AlignmentResult(
        claims={c.id: c for c in claims}, story_of={a.id: "s1" for a in arts}, near=near
    )
    stage = VerdictsStage(_options(options or VerdictOptions()), parser=lambda: parser)
    found = stage.run(batch.with_layer("alignment", alignment)).layer("verdicts")
    return [v for v in found.conflicts if v.type == "date/time"], {a.id: a.text for a in arts}


def _options(decide: VerdictOptions) -> VerdictsOptions:
    return VerdictsOptions(decide=decide)


def test_a_comma_before_the_year_keeps_the_year() -> None:
    (t,) = extract_times("will return to court on 28 March, 2024, when his sentencing will take place")
    assert (t.text, t.start) == ("28 March, 2024", "2024-03-28")


def test_one_sentencing_dated_in_two_years_is_a_date_conflict_by_default(models) -> None:
    assert "date/time" in VerdictOptions().conflict_types
    found, texts = _verdicts(
        models,
        [
            "While Bankman-Fried maintains his innocence and plans to fight the charges, "
            "his sentencing is scheduled for March 28, 2023.",
            "A tentative sentencing date was set for March 28, 2024.",
        ],
    )
    assert len(found) == 1
    v = found[0]
    assert (v.type, v.slot, v.label) == ("date/time", "date", "conflicting")
    assert sorted(s.value for s in v.sides) == ["March 28, 2023", "March 28, 2024"]
    values = [e for s in v.sides for e in s.evidence if e.role == "value"]
    # The differing words exactly, by their offsets in the article.
    assert all(texts[e.article_id][e.span[0] : e.span[1]] == e.text for e in values)
    assert 0.5 <= v.confidence < 1 and v.confidence_reason


def test_one_arrest_on_two_weekdays_is_a_date_conflict_of_claims_stating_one_fact(models) -> None:
    docs = [
        "Chargers receiver Vincent Jackson was arrested on Tuesday on suspicion of drunk driving.",
        "Vincent Jackson was arrested Thursday on suspicion of driving under the influence.",
    ]
    found, _ = _verdicts(models, docs, p_same=0.9)
    assert [sorted(s.value for s in v.sides) for v in found] == [["Thursday", "on Tuesday"]]
    # Another day than a slipped year needs a strong pair: a looser one is too often another event.
    assert _verdicts(models, docs, p_same=0.7)[0] == []


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # A relative day is read against a publication date, which pages lack or get wrong.
        ("India expelled a Canadian diplomat yesterday.", "India expelled a Canadian diplomat on Tuesday."),
        # A bound dates no event.
        (
            "The court must rule on the sentencing by March 28, 2024.",
            "The sentencing is scheduled for March 29, 2024.",
        ),
        # The day belongs to another clause than the one the claims share.
        (
            "After calling the allegation absurd on Tuesday, India expelled a Canadian diplomat.",
            "India on Thursday expelled a Canadian diplomat from New Delhi.",
        ),
        # Two actors doing the same thing on two days: two events.
        ("Canada on Monday expelled an Indian diplomat.", "India on Thursday expelled a Canadian diplomat."),
        # The date of a saying: one statement may be made again another day.
        (
            "Trudeau said Monday that agents of India were behind it.",
            "Trudeau said Tuesday that agents of India were behind it.",
        ),
        # Two steps of one story, the same people in both: the days hang on two happenings.
        (
            "Two accused gangbangers went on trial Wednesday for killing a mother of 12.",
            "A gang member was convicted Friday for claiming the life of a mother of 12.",
        ),
        # A day that describes a thing, not when something happened.
        (
            "An arrest for suspicion of drunk driving will not affect Jackson for Sunday's playoff game.",
            "Jackson was arrested on Tuesday on suspicion of drunk driving.",
        ),
        # Two months: too often two steps of the story.
        ("The sentencing is scheduled for March 28, 2024.", "The sentencing is set for April 28, 2024."),
        # Neighbouring days: a night that ran past midnight, or two time zones.
        (
            "Jackson was arrested on suspicion of drunk driving Thursday night.",
            "Early Friday morning, Jackson was arrested on suspicion of drunk driving.",
        ),
        # The same day printed two ways.
        ("The sentencing is set for 28 March, 2024.", "The sentencing is set for March 28, 2024."),
    ],
)
def test_days_that_do_not_date_one_event_differently_are_no_conflict(models, a: str, b: str) -> None:
    assert _verdicts(models, [a, b], p_same=0.9)[0] == []


def test_dates_of_claims_unlikely_to_be_one_fact_are_not_compared(models) -> None:
    docs = [
        "His sentencing is scheduled for March 28, 2023.",
        "A tentative sentencing date was set for March 28, 2024.",
    ]
    assert _verdicts(models, docs, p_same=0.3)[0] == []
    # ... and the type can be turned off.
    options = VerdictOptions(conflict_types=("numeric",))
    assert _verdicts(models, docs, p_same=0.9, options=options)[0] == []


def test_one_period_whose_end_differs_is_a_date_range_conflict(models) -> None:
    docs = [
        "The recalled liverwurst products were produced between June 11 and June 17, "
        "with a shelf life of 44 days.",
        "The ready-to-eat liverwurst products were produced between June 11, 2024, and July 17, 2024.",
    ]
    found, texts = _verdicts(models, docs, p_same=0.95)
    assert [(v.type, v.slot) for v in found] == [("date/time", "range")]
    values = sorted(s.value for s in found[0].sides)
    assert values == ["June 11 and June 17", "June 11, 2024, and July 17, 2024"]
    values = [e for s in found[0].sides for e in s.evidence if e.role == "value"]
    assert all(texts[e.article_id][e.span[0] : e.span[1]] == e.text for e in values)
    # Periods are compared only on claims that surely state one fact.
    assert _verdicts(models, docs, p_same=0.7)[0] == []


_MADE = "The products were produced "


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # Both ends differ: two periods as likely as one.
        (_MADE + "between June 11 and June 17.", _MADE + "between May 2 and July 17."),
        # One day apart: a period counted with its last day or without it.
        (_MADE + "from June 11 to June 17.", _MADE + "between June 11 and June 18."),
        # One period printed two ways.
        (_MADE + "between June 11 and July 17.", _MADE + "from June 11, 2024, to July 17, 2024."),
        # "to" with no "from": no period.
        (
            "The sale was announced on June 11 to staff, and closed July 17.",
            "The sale was announced on June 11 to staff, and closed June 17.",
        ),
    ],
)
def test_periods_that_do_not_differ_at_one_end_are_no_conflict(models, a: str, b: str) -> None:
    assert [v for v in _verdicts(models, [a, b], p_same=0.95)[0] if v.slot == "range"] == []
