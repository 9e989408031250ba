"""Updated figures: one count at two moments, which a report marks as changed (verdicts.updates)."""

from __future__ import annotations

from newsprism.align.model import ClaimGroup
from newsprism.claims.model import Attribution, Claim
from newsprism.claims.quantities import extract_quantities
from newsprism.model import Span
from newsprism.verdicts.decide import GroupContext, VerdictOptions, decide
from newsprism.verdicts.updates import replace_facts

OUTLET = Attribution("outlet", "outlet", "asserts")


def _claim(article: str, text: str) -> Claim:
    span = Span(0, len(text))
    return Claim(
        f"{article}:0", article, 0, span, span, text, OUTLET, quantities=tuple(extract_quantities(text))
    )


def _verdicts(texts: list[str], score: float = 0.65):
    """One group of one claim per article, every pair scored ``score``."""
    claims = [_claim(chr(ord("a") + i), t) for i, t in enumerate(texts)]
    group = ClaimGroup(
        "s:g0", "s", tuple(c.id for c in claims), tuple(c.article_id for c in claims), score=score
    )
    probs = {(a.id, b.id): score for a in claims for b in claims if a.id != b.id}
    ctx = GroupContext(
        {c.id: c for c in claims}, {c.article_id: c.text for c in claims}, lambda a: a, pair_prob=probs
    )
    opts = VerdictOptions()
    return replace_facts(group, ctx, opts, decide(group, ctx, opts)), ctx


_BALASORE = [
    "death toll mounts to 288",
    "Meanwhile the death toll has been revised down to 275 after some bodies were counted twice, "
    "officials said.",
    "The death toll in the three-train crash on Friday was revised to 275 from 288 by the Odisha government "
    "which said some bodies were counted twice earlier.",
]


def test_a_toll_a_report_revises_is_an_update_not_a_corroborated_fact() -> None:
    found, ctx = _verdicts(_BALASORE)
    assert [(v.label, v.type, v.slot, v.update) for v in found] == [
        ("conflicting", "numeric", "death toll", True)
    ]
    v = found[0]
    # The earlier figure first (a report names it as the one replaced), then the revised one.
    assert [(s.value, s.article_ids) for s in v.sides] == [("288", ["a"]), ("275", ["b", "c"])]
    marks = [e.text for s in v.sides for e in s.evidence if e.role == "value"]
    assert marks == ["mounts to 288", "revised down to 275", "revised to 275 from 288"]
    values = [e for s in v.sides for e in s.evidence if e.role == "value"]
    assert all(ctx.texts[e.article_id][e.span[0] : e.span[1]] == e.text for e in values)
    assert 0.5 <= v.confidence < 1 and "names the other figure" in v.confidence_reason
    assert "revised down to 275" in v.reason


def test_differing_tolls_no_report_marks_as_changed_are_not_an_update() -> None:
    found, _ = _verdicts(
        ["The death toll stands at 288 after the crash.", "The death toll is 275 after the crash."]
    )
    assert not any(v.update for v in found)


def test_a_revised_toll_that_others_print_alike_stays_a_fact() -> None:
    found, _ = _verdicts(
        ["The death toll rose to 275 after the crash.", "The crash has a death toll of 275."]
    )
    assert [v.label for v in found] == ["corroborated"]


def test_the_toll_of_another_event_or_year_is_not_an_earlier_figure() -> None:
    other = ["The death toll rose to 288 after the crash.", "The death toll of an earlier crash was 275."]
    assert not any(v.update for v in _verdicts(other)[0])
    year = ["The death toll rose to 288 after the crash.", "The 2016 crash had a death toll of 275."]
    assert not any(v.update for v in _verdicts(year)[0])


def test_a_counted_figure_marked_as_changed_needs_one_fact_or_the_old_value_named() -> None:
    injured = "Officials said 900 people were injured in the crash."
    rose = "The number of people injured rose to 1,175 people."
    assert not any(v.update for v in _verdicts([injured, rose], score=0.65)[0])
    # The report names the other's figure as the one it replaces (and so prints both: no conflict).
    named = "The number of people injured rose to 1,175 people from 900 people."
    found, _ = _verdicts([injured, named], score=0.65)
    assert [(s.value, v.update) for v in found for s in v.sides] == [
        ("900 people", True),
        ("1,175 people", True),
    ]
    assert [e.text for e in found[0].sides[1].evidence if e.role == "value"] == [
        "rose to 1,175 people from 900 people"
    ]


def test_the_verdicts_stage_lists_the_update_among_conflicts_not_the_fact() -> None:
    from itertools import combinations

    from newsprism.align.model import AlignmentResult
    from newsprism.model import Article
    from newsprism.pipeline import Batch
    from newsprism.verdicts.stage import VerdictsStage

    claims = [_claim(chr(ord("a") + i), t) for i, t in enumerate(_BALASORE)]
    links = tuple((x.id, y.id, 0.65) for x, y in combinations(claims, 2))
    ids = tuple(c.id for c in claims)
    group = ClaimGroup("s:g0", "s", ids, tuple(c.article_id for c in claims), score=0.65, link_scores=links)
    alignment = AlignmentResult([group], {c.id: c for c in claims}, {c.article_id: "s" for c in claims})
    articles = [Article(c.article_id, c.text, content_hash=c.id, source_format="text") for c in claims]
    found = VerdictsStage().run(Batch.of(articles).with_layer("alignment", alignment)).layer("verdicts")
    assert [(v.update, v.slot) for v in found.conflicts] == [(True, "death toll")]
    assert found.fact_sheet == []
