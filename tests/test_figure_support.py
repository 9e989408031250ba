"""A fact is worded by the member whose figures the other reports also give (verdicts.figure_support)."""

from __future__ import annotations

import pytest

from newsprism.align.model import ClaimGroup
from newsprism.claims.model import Attribution, Claim
from newsprism.claims.quantities import extract_quantities
from newsprism.model import Span
from newsprism.verdicts.decide import GroupContext, VerdictOptions, decide
from newsprism.verdicts.figure_support import describe, figure_support, supports


def _claim(cid: str, article: str, text: str) -> Claim:
    return Claim(
        cid, article, 0, Span(0, len(text)), Span(0, len(text)), text,
        Attribution("the outlet", "outlet", "asserts"),
        quantities=tuple(extract_quantities(text)),
    )


def _q(text: str):
    [q] = extract_quantities(text)
    return q


@pytest.mark.parametrize(
    ("other", "figure", "backs"),
    [
        ("250 people", "at least 247 people", True),
        ("at least 250 people", "at least 247 people", True),
        ("at least 120 people", "at least 247 people", False),  # fits the bound, says less
        ("at least 35 people", "37 people", False),
        ("dozens of people", "37 people", False),  # vague: fits, backs nothing
        ("about 1,300 people", "1,300 people", True),
        ("36 people", "37 people", False),
    ],
)
def test_what_backs_a_figure(other: str, figure: str, backs: bool) -> None:
    assert supports(_q(other), _q(figure)) is backs


TEXTS = {
    "nydn": "At least 247 were dead when a 6.2-magnitude earthquake hit central Italy.",
    "tech": "A 6.2 magnitude earthquake devastates central Italy and kills 37 people.",
    "usat": "Dozens are missing after the magnitude-6.2 earthquake in central Italy.",
}


def test_the_fact_is_worded_by_the_member_whose_figures_are_backed() -> None:
    members = [_claim(f"{a}:c0", a, t) for a, t in TEXTS.items()]
    found = figure_support(members, lambda a: a)
    assert found.members[0].article_id == "usat"
    assert sorted(text for _, text in found.unshared) == ["37 people", "At least 247"]
    assert "At least 247 (nydn)" in (describe(found) or "")


def test_a_figure_two_copies_of_one_report_print_is_not_backed_by_the_copy() -> None:
    members = [_claim("a:c0", "a", TEXTS["nydn"]), _claim("b:c0", "b", TEXTS["nydn"])]
    one_report = figure_support(members, lambda a: "wire")
    assert [text for _, text in one_report.unshared] == ["At least 247", "6.2-magnitude"]  # once each
    assert figure_support(members, lambda a: a).unshared == []


def test_the_fact_sheet_names_what_only_some_reports_give() -> None:
    members = [_claim(f"{a}:c0", a, t) for a, t in TEXTS.items()]
    ctx = GroupContext({c.id: c for c in members}, dict(TEXTS), lambda a: a)
    group = ClaimGroup("s:g0", "s", tuple(c.id for c in members), tuple(TEXTS), score=0.9)
    [fact] = decide(group, ctx, VerdictOptions())
    assert fact.label == "corroborated" and fact.text == TEXTS["usat"]
    assert "figures only some reports give: " in fact.reason
    assert "At least 247 (nydn)" in fact.reason and "37 people (tech)" in fact.reason
    assert fact.evidence[0].article_id == "usat"


def _decide(texts: dict[str, str]):
    members = [_claim(f"{a}:c0", a, t) for a, t in texts.items()]
    ctx = GroupContext({c.id: c for c in members}, dict(texts), lambda a: a)
    group = ClaimGroup("s:g0", "s", tuple(c.id for c in members), tuple(texts), score=0.7)
    return decide(group, ctx, VerdictOptions())


def test_another_count_of_the_same_outcome_does_not_corroborate_the_fact() -> None:
    """"40 people were killed" is not backed by "at least 4,000 people have died since ...": the
    second report gives another death count (of a longer period), so it is no source for the first."""
    found = _decide(
        {
            "wire": "A civil defence official said 40 people were killed in the blast at the depot.",
            "daily": "At least 4,000 people have died since the offensive began, the depot blast included.",
        }
    )
    assert [v.label for v in found] == ["single-source", "single-source"]
    assert [v.article_ids for v in found] == [["wire"], ["daily"]]


@pytest.mark.parametrize(
    "other",
    [
        "The depot blast killed 40 people, officials said.",  # the same count
        "Officials said 40 of the 90 people hurt in the depot blast were killed.",  # the value printed bare
        "Raheem Okoro, 40, a guard, said the depot blast shook the whole street.",  # an age, not a count
    ],
)
def test_a_member_giving_the_same_value_or_no_count_still_corroborates(other: str) -> None:
    wire = "A civil defence official said 40 people were killed in the depot blast."
    found = _decide({"wire": wire, "daily": other})
    assert [v.label for v in found] == ["corroborated"]


def test_counts_of_different_people_with_one_outcome_are_not_compared() -> None:
    """"two women and a man died" and "three bank workers were killed" count different sets (the
    women are among the workers): the outcome unifies only counts of people in general."""
    found = _decide(
        {
            "wire": "Police said two women died when the bank branch caught fire.",
            "daily": "Three bank workers were killed when their branch caught fire after a bomb attack.",
        }
    )
    assert [v.label for v in found] == ["corroborated"]


def test_among_equals_the_fact_is_worded_by_what_the_others_share() -> None:
    texts = {
        "a": "The planemaker blamed the loss on fewer 737 deliveries after a door panel blew out in January.",
        "b": "A door panel blew out of a 737 in January.",
        "c": "In January a door panel blew out of an Alaska Airlines 737.",
    }
    members = [_claim(f"{a}:c0", a, t) for a, t in texts.items()]
    assert figure_support(members, lambda a: a).members[0].article_id != "a"
    # a fragment says too little to stand for the fact, however much of it the others share
    frag = {"a": texts["a"], "b": "It blew out.", "c": texts["c"]}
    members = [_claim(f"{a}:c0", a, t) for a, t in frag.items()]
    assert figure_support(members, lambda a: a).members[0].article_id != "b"


_CRASH = {
    "rw": "At least 233 people were killed and over 900 injured after the express hit a goods train.",
    "an": "According to the latest reports, 1,170 people were injured in the train accident.",
}


def test_an_exact_figure_within_another_reports_bound_is_noted_with_the_bound() -> None:
    """"over 900" injured and "1,170 people were injured" agree (a bound), but 1,170 is one report's
    figure: the note names the bound beside it, and the fact is not worded by the exact figure."""
    members = [_claim(f"{a}:c0", a, t) for a, t in _CRASH.items()]
    found = figure_support(members, lambda a: a)
    assert found.members[0].article_id == "rw"
    note = "1,170 people (an; within the bound another report gives: over 900 (rw))"
    assert note in (describe(found) or "")


def test_a_bound_is_not_backed_by_a_figure_of_another_outcome() -> None:
    """1,170 injured fits "at least 233" killed as a value, but reports another thing."""
    members = [_claim(f"{a}:c0", a, t) for a, t in _CRASH.items()]
    assert ("rw", "At least 233 people") in figure_support(members, lambda a: a).unshared


def test_one_value_in_other_words_still_backs_a_figure() -> None:
    """Only words saying different things happened keep a value from backing: "0.1%" and "0.1 pct"
    are one figure."""
    members = [
        _claim("a:c0", "a", "The bank had applied a 0.1% charge to excess reserves."),
        _claim("b:c0", "b", "A rate of minus 0.1 pct had been applied to part of the deposits."),
    ]
    assert figure_support(members, lambda a: a).unshared == []


def test_a_number_in_a_name_is_no_figure_only_some_reports_give() -> None:
    """ "Boeing 737 Max 9": the model is no figure a fact vouches for, nor one it lacks."""
    members = [
        _claim("a:c0", "a", "The plane, a Boeing 737 Max 9, made an emergency landing in Portland."),
        _claim("b:c0", "b", "The plane made an emergency landing in Portland with 171 passengers."),
    ]
    assert [text for _, text in figure_support(members, lambda a: a).unshared] == ["171 passengers"]
