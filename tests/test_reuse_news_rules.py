"""Reuse rules from the news bench (BENCHMARKS.md, "reuse-bench-news"): page furniture shared by two
articles of one site is not reuse; two quotes lifted with the words joining them are."""

from __future__ import annotations

from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.reuse.options import ReuseOptions
from newsprism.reuse.stage import analyze

OPTS = ReuseOptions(rewrite=False)
PROMO = (
    "Sign up for the Daily Planet's Wonder science newsletter. Explore the universe with news on "
    "fascinating discoveries, scientific advancements and more."
)


def art(body: str, name: str):
    return build_article(RawDocument(text=body, source=name, format="text"))


def test_shared_newsletter_prompt_is_not_reuse() -> None:
    a = art(PROMO + "\n\nThe new telescope peered into a cluster of merging galaxies far beyond the Milky "
            "Way, astronomers said on Wednesday, and found thousands of faint red objects.", "a")
    b = art(PROMO + "\n\nA probe launched in March reached the outer moons of Jupiter after a long "
            "cruise, its operators said, and sent back its first pictures of the icy surface.", "b")
    assert analyze([a, b], OPTS).pairs == ()


def test_story_sentence_glued_to_an_ad_marker_still_counts() -> None:
    lifted = ("Advertisement In total, 870 people worldwide have been infected by the new strain, and 457 "
              "deaths have been reported in 21 countries since the outbreak began in the spring.")
    host = ("The company said its vaccine programme was on track for approval next year, with results due "
            "in the autumn. Its shares rose four per cent in early trading on Tuesday.")
    source = ("Health officials met in Geneva to review the outbreak on Monday morning. " + lifted
              + " Officials urged travellers to take precautions.")
    derived = art(host + " " + lifted + " Analysts expect sales to double by the end of the decade.", "d")
    pairs = analyze([art(source, "s"), derived], OPTS).pairs
    assert len(pairs) == 1


HOST = (
    "The city council met on Tuesday evening to debate the budget for the coming year. Members argued "
    "for three hours about the cost of repairing the old harbour bridge. The mayor said the vote would "
    "be held next week after a public consultation. Several residents spoke against the plan to raise "
    "parking fees in the centre."
)
SOURCE_LEAD = "Officials in the region announced new funding for local transport on Monday morning."
LIFT = (
    "\u201cWe have waited far too long for this money to reach the people who need it,\u201d said Jane "
    "Roe, a spokeswoman for the authority. \u201cThe buses will run again before "
    "the winter comes.\u201d"
)


def test_two_quotes_lifted_with_their_framing_are_found() -> None:
    source = art(SOURCE_LEAD + " " + LIFT + " The budget will be published in full on Friday. Routes "
                 "in the north of the region will be the first to reopen, followed by the coastal towns in "
                 "spring. Drivers who left during the cuts will be offered their jobs back on the old terms, "
                 "and the depot closed last year will reopen as a training centre.", "s")
    host = art(HOST, "h")
    derived = art(HOST + "\n\n" + LIFT, "d")
    pairs = {frozenset((p.a, p.b)): p for p in analyze([source, host, derived], OPTS).pairs}
    assert frozenset((derived.id, source.id)) in pairs
    assert frozenset((derived.id, host.id)) in pairs


def test_two_quotes_joined_by_a_bare_attribution_are_not() -> None:
    quote = ("\u201cWe have waited far too long for this money to reach the people who need it,\u201d she "
             "said. \u201cThe buses will run again before the winter comes.\u201d")
    a = art(SOURCE_LEAD + " " + quote + " " + HOST, "a")
    b = art("A regional authority promised that buses would return after months of cuts to rural lines. "
            + quote + " The plan was welcomed by unions, who had campaigned for two years against the "
            "closures, and by the owners of shops in the villages along the valley road.", "b")
    assert analyze([a, b], OPTS).pairs == ()


STATEMENT = (
    "\u201cWe will reopen every rural line that was closed during the cuts, and we will do it before the "
    "first snow falls on the valley,\u201d"
)


def test_a_quoted_statement_lifted_into_a_host_is_found() -> None:
    """The lift is wholly one quoted statement: no word of it counts as evidence, but the derived
    article is the host's whole text plus that statement, which another article holds."""
    source = art(SOURCE_LEAD + " " + STATEMENT + " the minister told the regional assembly. The "
                 "budget will be published in full on Friday, and the unions will study it over the "
                 "weekend before they give their answer to the plan.", "s")
    host = art(HOST, "h")
    derived = art(HOST + "\n\n" + STATEMENT, "d")
    pairs = {frozenset((p.a, p.b)): p for p in analyze([source, host, derived], OPTS).pairs}
    assert frozenset((derived.id, source.id)) in pairs
    assert pairs[frozenset((derived.id, source.id))].type == "partial"
    assert frozenset((derived.id, host.id)) in pairs


def test_a_shared_quote_beside_a_host_without_filling_its_gap_is_not_reuse() -> None:
    """An original whose first half another article copies (a host inside it) and an independent
    report quoting the same statement in the original's own second half: the quote lies beside the
    host's text but is a small part of the gap, so it is no second source."""
    tail = (" Drivers who left during the cuts will be offered their jobs back on the old terms. "
            + STATEMENT + " the minister said in the capital.")
    original = art(HOST + tail, "o")
    truncated = art(HOST, "t")
    report = art("A regional authority promised that buses would return after months of cuts to rural "
                 "lines. " + STATEMENT + " a spokeswoman for the transport ministry told reporters. "
                 "Unions welcomed the plan, which they had campaigned for during two years.", "r")
    pairs = {frozenset((p.a, p.b)) for p in analyze([original, truncated, report], OPTS).pairs}
    assert frozenset((original.id, truncated.id)) in pairs
    assert frozenset((original.id, report.id)) not in pairs
