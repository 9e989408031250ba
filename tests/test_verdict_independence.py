"""Independent reports per article for whole copies, per passage for text shared only in part."""

from __future__ import annotations

from dataclasses import replace

from newsprism.align.model import AlignmentResult, ClaimGroup
from newsprism.claims.model import Attribution, Claim, Quote
from newsprism.model import Article, Span
from newsprism.pipeline import Batch
from newsprism.reuse.result import ReusePair
from newsprism.verdicts.decide import GroupContext, VerdictOptions, decide
from newsprism.verdicts.independence import Independence, whole_copy
from newsprism.verdicts.stage import VerdictsStage

OUTLET = Attribution("outlet", "outlet", "asserts")
# Each article: its own lead (chars 0-100), then a pasted recall notice (chars 100-300).
LEAD, NOTICE = (0, 100), (100, 300)


def pair(a: str, b: str, kind: str, cov: tuple[float, float], passages=((NOTICE, NOTICE),)) -> ReusePair:
    return ReusePair(a, b, kind, "unknown", 0.8, "test", cov[0], cov[1], tuple(passages))


def claim(cid: str, article: str, where: tuple[int, int], text: str = "34 people fell ill") -> Claim:
    return Claim(
        id=cid,
        article_id=article,
        sentence_index=0,
        span=Span(*where),
        content_span=Span(*where),
        text=text,
        attribution=OUTLET,
    )


def art(aid: str) -> Article:
    return Article(id=aid, text="x" * 300, content_hash=aid, source_format="text")


def test_whole_copy_rule_reads_type_and_coverage():
    assert whole_copy(pair("a", "b", "copy", (1.0, 1.0)))
    assert whole_copy(pair("a", "b", "truncated", (1.0, 0.4)))
    assert whole_copy(pair("a", "b", "revision", (0.6, 0.4)))
    assert whole_copy(pair("a", "b", "edited", (0.76, 0.54)))
    assert not whole_copy(pair("a", "b", "edited", (0.97, 0.3)))  # a short text inside a long one
    # A broadcaster merging a wire story with its own reporting shares most of the wire, and even
    # over half of itself: its own passages are still its own.
    assert not whole_copy(pair("a", "b", "merged", (0.69, 0.55)))
    assert not whole_copy(pair("a", "b", "partial-host", (0.9, 0.6)))
    # A rewrite follows its source from start to end: its unaligned lines are the source's reworded.
    assert whole_copy(pair("a", "b", "rewrite", (0.27, 0.28)))


def test_pasted_notice_joins_only_statements_inside_it():
    pairs = [pair("a", "b", "merged", (0.6, 0.45)), pair("b", "c", "merged", (0.5, 0.5))]
    ind = Independence([art("a"), art("b"), art("c")], pairs, {"a": "g1", "b": "g1", "c": "g1"})
    assert len({ind.report_of(x) for x in "abc"}) == 3  # no whole copy among them
    leads = [claim("a:0", "a", (10, 60)), claim("b:0", "b", (20, 90)), claim("c:0", "c", (0, 50))]
    assert len(set(ind.claim_reports(leads).values())) == 3
    listed = [claim("a:1", "a", (120, 200)), claim("b:1", "b", (150, 260)), claim("c:1", "c", (110, 290))]
    assert len(set(ind.claim_reports(listed).values())) == 1  # a chain of pasted notices is one report
    # a's statement is printed whole in the notice b carries too: b's report, whatever b's grouped
    # statement is.
    mixed = [claim("a:1", "a", (120, 200)), claim("b:0", "b", (20, 90))]
    assert len(set(ind.claim_reports(mixed).values())) == 1
    # Two leads that share a phrase (60% of a's sentence) are two leads ...
    phrase = [claim("a:2", "a", (60, 160)), claim("b:0", "b", (20, 90))]
    assert len(set(ind.claim_reports(phrase).values())) == 2
    # ... unless b's grouped statement lies in the shared text as well.
    phrase = [claim("a:2", "a", (60, 160)), claim("b:2", "b", (150, 260))]
    assert len(set(ind.claim_reports(phrase).values())) == 1
    # Two statements in text each shares with b, b's own not grouped: both are b's report.
    through = [claim("a:1", "a", (120, 200)), claim("c:1", "c", (110, 290))]
    assert len(set(ind.claim_reports(through).values())) == 1


def test_whole_copies_stay_one_report_for_everything():
    ind = Independence([art("a"), art("b")], [pair("a", "b", "edited", (0.8, 0.7))], {"a": "g", "b": "g"})
    assert ind.report_of("a") == ind.report_of("b")
    both = [claim("a:0", "a", (0, 50)), claim("b:0", "b", (0, 50))]
    assert len(set(ind.claim_reports(both).values())) == 1


def _verdicts(claims: list[Claim], reuse):
    ids, articles = tuple(c.id for c in claims), tuple(c.article_id for c in claims)
    group = ClaimGroup("s:g0", "s", ids, articles, score=0.9)
    alignment = AlignmentResult(
        groups=[group], claims={c.id: c for c in claims}, story_of={c.article_id: "s" for c in claims}
    )
    batch = Batch(tuple(art(a) for a in "abc"), {"alignment": alignment, "reuse": reuse})
    return VerdictsStage().run(batch).layer("verdicts")


def test_outlets_that_paste_one_notice_still_report_their_own_leads():
    class Reuse:
        pairs = (pair("a", "b", "merged", (0.6, 0.45)), pair("b", "c", "partial", (0.25, 0.3)))
        group_of = {"a": "g1", "b": "g1", "c": "g1"}  # connected components chain all three

    leads = [claim("a:0", "a", (10, 60)), claim("b:0", "b", (20, 90)), claim("c:0", "c", (0, 50))]
    (fact,) = _verdicts(leads, Reuse()).fact_sheet
    assert fact.label == "corroborated" and fact.n_independent_sources == 3
    # Stated only inside the text each pair shares: one report, so not a corroborated fact.
    listed = [claim("a:1", "a", (120, 200)), claim("b:1", "b", (150, 260)), claim("c:1", "c", (110, 290))]
    assert _verdicts(listed, Reuse()).fact_sheet == []


def test_context_without_passages_counts_articles_reports():
    claims = [claim("a:0", "a", (0, 50)), claim("b:0", "b", (0, 50))]
    group = ClaimGroup("s:g0", "s", ("a:0", "b:0"), ("a", "b"), score=0.9)
    ctx = GroupContext({c.id: c for c in claims}, {}, {"a": "w", "b": "w"}.get)
    (v,) = decide(group, ctx, VerdictOptions())
    assert v.n_independent_sources == 1


def test_a_pasted_line_matched_in_pieces_lies_in_the_shared_text():
    # Retyped quotation marks split the pasted line into pieces that overlap on one side and lie 35
    # characters apart on the other, covering 47% of it; the outlet's own lead touches the notice
    # only at its edge.
    pieces = (((100, 160), (100, 140)), ((140, 200), (175, 230)))
    ind = Independence([art("a"), art("b")], [pair("a", "b", "merged", (0.5, 0.5), pieces)], {})
    pasted = [claim("a:1", "a", (100, 200)), claim("b:1", "b", (100, 300))]
    assert len(set(ind.claim_reports(pasted).values())) == 1
    own = [claim("a:0", "a", (0, 110)), claim("b:0", "b", (0, 90))]
    assert len(set(ind.claim_reports(own).values())) == 2


def _credited(cid: str, article: str, source: str) -> Claim:
    said = Attribution(source, "organisation", "asserts", "reported", Span(60, 67), Span(50, 58))
    return Claim(
        id=cid,
        article_id=article,
        sentence_index=0,
        span=Span(0, 70),
        content_span=Span(0, 48),
        text="Thousands of fans arrived hours before kick-off, reported Reuters",
        attribution=said,
    )


def test_an_in_text_wire_credit_is_that_wires_report():
    wire = Article(id="w", text="x" * 300, content_hash="w", source_format="text", outlet="Reuters")
    ind = Independence([wire, art("a"), art("b")], [], {})
    carried = [_credited("a:0", "a", "Reuters"), claim("w:0", "w", (0, 50))]
    assert len(set(ind.claim_reports(carried).values())) == 1
    ctx = GroupContext({c.id: c for c in carried}, {}, ind.report_of, claim_reports=ind.claim_reports)
    assert ctx.sources(carried).sources == 1
    # Without the agency's own story, two outlets crediting it carry its one report ...
    ind = Independence([art("a"), art("b")], [], {})
    both = [_credited("a:0", "a", "Reuters"), _credited("b:0", "b", "the Reuters")]
    assert len(set(ind.claim_reports(both).values())) == 1
    # ... and a body that is no outlet stays the article's own report.
    bodies = [_credited("a:0", "a", "the ministry"), _credited("b:0", "b", "the ministry")]
    assert len(set(ind.claim_reports(bodies).values())) == 2


def test_a_wire_line_a_merge_carries_is_no_second_report_for_single_source():
    from newsprism.claims.quantities import extract_quantities
    from newsprism.verdicts.model import Evidence, Verdict
    from newsprism.verdicts.single import select

    text = "Three people were killed overnight by Russian attacks across Ukraine"

    def stated(cid: str, article: str) -> Claim:
        return replace(claim(cid, article, (100, 170), text), quantities=tuple(extract_quantities(text)))

    wire, merged = stated("w:0", "w"), stated("m:0", "m")
    alignment = AlignmentResult(claims={"w:0": wire, "m:0": merged}, near=[("w:0", "m:0", 0.9)])
    # The broadcaster's line lies in the passage it shares with the wire story.
    ind = Independence([art("w"), art("m")], [pair("w", "m", "merged", (0.7, 0.5))], {})

    def item() -> Verdict:
        ev = [Evidence("w", (100, 170), text, "w:0", "claim")]
        return Verdict("single-source:g", "g", "s", "single-source", text, ["w"], 1, ev)

    assert select([item()], alignment, ind.report_of, VerdictOptions(), ind.reports_of)
    # Read per article, the merge looks like a second report stating it.
    assert select([item()], alignment, ind.report_of, VerdictOptions()) == []


def test_a_line_printed_word_for_word_is_one_report_for_its_fact():
    """One lifted sentence pairs no articles, but the fact it states reached both from one text."""
    ind = Independence([art("a"), art("b"), art("c")], [], {})
    wire = "The latest figure exceeded the 85 people who perished in a 2018 fire in the town of Paradise."
    lifted = wire[:-1] + ", California."
    own = "The toll passed the 85 people killed when the Camp Fire destroyed the town of Paradise in 2018."
    claims = [claim("a:0", "a", (0, len(wire)), wire), claim("b:0", "b", (0, len(lifted)), lifted)]
    claims.append(claim("c:0", "c", (0, len(own)), own))
    claims = [replace(c, sentence_index=2) for c in claims]
    reports = ind.claim_reports(claims)
    assert reports["a:0"] == reports["b:0"] != reports["c:0"]
    # a headline's set formula recurs by itself
    headline = "Derek Chauvin sentenced to 22.5 years in prison for the murder of George Floyd"
    heads = [claim(f"{a}:0", a, (0, len(headline)), headline) for a in "ab"]
    assert len(set(ind.claim_reports(heads).values())) == 2


def test_a_quotation_printed_alike_is_no_lifted_line():
    ind = Independence([art("a"), art("b")], [], {})
    said = (
        '"We are heartbroken and we will rebuild every home that was lost in this fire," the governor said.'
    )
    also = 'Green said: "We are heartbroken and we will rebuild every home that was lost in this fire."'
    a = replace(claim("a:0", "a", (0, len(said)), said), sentence_index=3)
    b = replace(claim("b:0", "b", (0, len(also)), also), sentence_index=3)
    a = replace(a, quotes=(Quote(Span(1, said.index(',"')), "x"),))
    b = replace(b, quotes=(Quote(Span(also.index('"') + 1, len(also) - 2), "x"),))
    assert len(set(ind.claim_reports([a, b]).values())) == 2
