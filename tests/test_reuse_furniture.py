"""Page furniture (newsletter prompts, ad markers) shared by two articles of one site is not reuse."""

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
