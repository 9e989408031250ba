"""Reuse detection on small synthetic articles: types, passages, direction, groups, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.pipeline import Batch
from newsprism.reuse.options import ReuseOptions
from newsprism.reuse.result import independent_groups
from newsprism.reuse.stage import ReuseStage, analyze

WORDS = (
    "harbour council vessel budget river market station teacher bridge election storm factory museum "
    "hospital village airport garden library tunnel festival engine farmer castle prison winter"
).split()


def sentence(seed: int, n: int = 14) -> str:
    rng = np.random.default_rng(seed)
    words = [WORDS[i] for i in rng.integers(0, len(WORDS), n)]
    return f"The {' '.join(words)} number {seed} reported."


def text(seeds, extra: str = "") -> str:
    return " ".join(sentence(s) for s in seeds) + extra


def art(body: str, name: str, **meta):
    return build_article(RawDocument(text=body, source=name, format="text", **meta))


OPTS = ReuseOptions(rewrite=False)


def only_pair(result):
    assert len(result.pairs) == 1, [p.to_dict() for p in result.pairs]
    return result.pairs[0]


def test_copy_with_credit_line_is_typed_and_directed():
    src = art(text(range(10)), "src")
    copy = art("By Staff Writer. " + text(range(10)) + " With wire services.", "copy")
    p = only_pair(analyze([src, copy], OPTS))
    assert p.type == "copy"
    assert p.source == src.id and p.derived == copy.id
    assert p.coverage_b == pytest.approx(1.0) or p.coverage_a == pytest.approx(1.0)


def test_passages_are_char_offsets_into_both_texts():
    a = art(text(range(100, 108)), "a")
    b = art(text(range(200, 205)) + " " + text(range(102, 106)) + " " + text(range(300, 305)), "b")
    result = analyze([a, b], OPTS)
    p = only_pair(result)
    assert p.type == "partial"
    (a0, a1), (b0, b1) = p.passages[0]
    pa, pb = result.pairs[0].a, result.pairs[0].b
    texts = {a.id: a.text, b.id: b.text}
    assert texts[pa][a0:a1] == texts[pb][b0:b1]
    assert sentence(103) in texts[pa][a0:a1]


def test_truncation_superset_is_source():
    full = art(text(range(20)), "full")
    cut = art(text(range(8)), "cut")
    p = only_pair(analyze([cut, full], OPTS))
    assert p.type == "truncated"
    assert p.source == full.id


def test_merged_article_is_derived_from_both_sources():
    s1, s2 = art(text(range(10, 22)), "s1"), art(text(range(40, 52)), "s2")
    merged = art(text(range(10, 16)) + " " + text(range(40, 46)), "merged")
    result = analyze([s1, s2, merged], OPTS)
    pairs = {frozenset((p.a, p.b)): p for p in result.pairs}
    for s in (s1, s2):
        p = pairs[frozenset((s.id, merged.id))]
        assert p.type == "merged" and p.derived == merged.id
    assert len(result.groups) == 1 and result.groups[0].origin in (s1.id, s2.id)


def test_revision_by_outlet_gets_sentence_diff_and_date_direction():
    v1 = art(
        text(range(60, 70)) + " Officials said 12 people were hurt.",
        "v1",
        outlet="Daily",
        published="2025-01-01T10:00:00+00:00",
    )
    v2 = art(
        text(range(60, 70)) + " Officials said 15 people were hurt, Mayor Smith said.",
        "v2",
        outlet="Daily",
        published="2025-01-01T12:00:00+00:00",
    )
    result = analyze([v2, v1], OPTS)
    p = only_pair(result)
    assert p.type == "revision" and p.source == v1.id
    assert "published earlier" in p.direction_reason
    changed = [e for e in p.diff["entries"] if e["op"] == "changed"]
    assert changed and changed[0]["facts"]["numbers"]["added"] == ["15"]


def test_independent_texts_make_separate_groups():
    a, b = art(text(range(500, 510)), "a"), art(text(range(600, 610)), "b")
    result = analyze([a, b], OPTS)
    assert result.pairs == ()
    assert sorted(map(len, result.independent_groups([a.id, b.id]))) == [1, 1]
    assert independent_groups(None, [a.id, b.id]) == [{a.id}, {b.id}]


def test_identical_copies_are_a_star_not_a_clique():
    body = text(range(700, 708))
    copies = [art(body, f"c{i}", outlet=f"outlet{i}") for i in range(300)]
    result = analyze(copies, OPTS)
    assert len(result.pairs) == 299
    assert len(result.groups) == 1


def test_bad_input_does_not_crash():
    boiler = "Subscribe to our newsletter. Click here to read more. All rights reserved."
    arts = [
        art("Hello.", "one-word"),
        art(boiler, "b1", outlet="x"),
        art(boiler + " Share this.", "b2"),
        art("word " * 3, "short"),
    ]
    result = analyze(arts, OPTS)
    assert set(result.group_of) == {a.id for a in arts}
    assert any("fewer than" in n for n in result.notes)


def test_stage_contract_and_to_dict():
    a = art(text(range(10)), "a")
    b = art(text(range(10)) + " " + sentence(99), "b")
    stage = ReuseStage(OPTS)
    assert stage.requires == {"articles"} and stage.provides == {"reuse"}
    out = stage.run(Batch.of([a, b]))
    d = out.layer("reuse").to_dict()
    assert set(d) >= {"pairs", "groups", "group_of"}
    assert set(d["pairs"][0]) >= {
        "a",
        "b",
        "type",
        "direction",
        "confidence",
        "reason",
        "coverage_a",
        "coverage_b",
        "passages",
    }


class FakeEmbedder:
    """Maps each sentence to a topic vector by its 'number N' marker: N and N+1000 mean the same."""

    name = "fake"

    def encode(self, texts):
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for i, t in enumerate(texts):
            n = int(t.split("number ")[1].split()[0]) % 1000 if "number " in t else 999
            out[i, n % 64] = 1.0
        return out


def test_rewrite_detected_with_injected_embedder():
    src = art(text(range(1, 9)), "src")
    # Same 'meaning' (number N+1000), different words: shares no exact 5-gram with src.
    para = art(
        " ".join(
            f"Officials said {w} at number {n + 1000} today."
            for n, w in zip(range(1, 9), WORDS, strict=False)
        ),
        "para",
    )
    result = analyze([src, para], ReuseOptions(rewrite=True), FakeEmbedder())
    p = only_pair(result)
    assert p.type == "rewrite" and len(p.passages) >= 4


def test_one_speech_quoted_by_two_reports_is_no_rewrite():
    # Both reports quote the same speech sentence by sentence (the same meaning: number N and N+1000),
    # each in quotation marks: two reports of one speech, not one rewritten from the other.
    def quoted(offset: int, verb: str) -> str:
        return " ".join(
            f"\u201cWe said {w} at number {n + offset} today,\u201d the minister {verb}."
            for n, w in zip(range(1, 9), WORDS, strict=False)
        )

    result = analyze([art(quoted(0, "said"), "a"), art(quoted(1000, "told us"), "b")],
                     ReuseOptions(rewrite=True), FakeEmbedder())
    assert [p for p in result.pairs if p.type == "rewrite"] == []


def test_two_headlines_of_one_event_are_no_rewrite_evidence():
    # Headline and three sentences align by meaning (number N and N+1000); the rest differs. Any two
    # reports of one event have headlines that say the same: three aligned sentences are too few.
    def report(offset: int, own: range) -> str:
        said = zip(range(1, 4), WORDS, strict=False)
        body = " ".join(f"Officials said {w} at number {n + offset} today." for n, w in said)
        rest = " ".join(f"Residents saw {WORDS[n % 20]} at number {n} later." for n in own)
        return f"Storm hits the coast at number {50 + offset}\n\n{body} {rest}"

    a, b = art(report(0, range(10, 12)), "a"), art(report(1000, range(20, 22)), "b")
    assert a.title and b.title
    result = analyze([a, b], ReuseOptions(rewrite=True), FakeEmbedder())
    assert [p for p in result.pairs if p.type == "rewrite"] == []


def _told_in_order(offset: int, aligned: int, quoted: int) -> str:
    """``aligned`` sentences meaning the same in both reports (number N / N+1000), then ``quoted``
    quotations worded apart (no rewrite evidence, but part of each text)."""
    said = zip(range(1, aligned + 1), WORDS, strict=False)
    own = " ".join(f"Officials said {w} at number {n + offset} today." for n, w in said)
    voice = "she said" if offset else "he told us"
    pairs = zip(WORDS[:quoted], reversed(WORDS), strict=False)
    quotes = " ".join(f"\u201c{w.title()} and {v} matter to all of us here,\u201d {voice}." for w, v in pairs)
    return f"{own} {quotes}"


def _rewrites(texts: list[str]) -> list:
    arts = [art(t, f"r{n}") for n, t in enumerate(texts)]
    found = analyze(arts, ReuseOptions(rewrite=True), FakeEmbedder())
    return [p for p in found.pairs if p.type == "rewrite"]


def test_four_aligned_sentences_under_half_of_each_report_are_no_rewrite():
    assert _rewrites([_told_in_order(0, 4, 5), _told_in_order(1000, 4, 5)]) == []
    # Five aligned sentences at the same share are evidence enough.
    (found,) = _rewrites([_told_in_order(0, 5, 6), _told_in_order(1000, 5, 6)])
    assert len(found.passages) == 5


def test_double_prime_quotation_is_no_rewrite_evidence():
    # One report prints the speech in curly quotes; the other opens each quoted sentence with a
    # double prime (″) and closes it in a later sentence, as a real page did.
    curly = " ".join(
        f"\u201cWe said {w} at number {n} today,\u201d the minister said."
        for n, w in zip(range(1, 9), WORDS, strict=False)
    )
    primed = " ".join(
        f"\u2033We said {w} at number {n + 1000} today. It went well,\u201d she added."
        for n, w in zip(range(1, 9), WORDS, strict=False)
    )
    result = analyze([art(curly, "a"), art(primed, "b")], ReuseOptions(rewrite=True), FakeEmbedder())
    assert [p for p in result.pairs if p.type == "rewrite"] == []


def test_empty_and_raw_articles_without_sentences():
    from newsprism.model import Article, content_hash

    empty = Article(id="e", text="", content_hash=content_hash(""), source_format="text")
    nosent = Article(
        id="n", text=text(range(10)), content_hash=content_hash(text(range(10))), source_format="text"
    )
    src = art(text(range(10)), "src")
    result = analyze([empty, nosent, src], OPTS)
    assert result.group_of["e"] != result.group_of["n"]
    assert result.group_of["n"] == result.group_of[src.id]  # found without sentence spans


def test_ten_thousand_identical_copies_stay_linear():
    from newsprism.model import Article

    base = art(text(range(800, 810)), "base")
    copies = [
        Article(
            id=f"c{i}",
            text=base.text,
            content_hash=base.content_hash,
            source_format="text",
            sentences=base.sentences,
        )
        for i in range(10_000)
    ]
    result = analyze(copies, OPTS)
    assert len(result.pairs) == 9_999 and len(result.groups) == 1
    assert result.stats["distinct_texts"] == 1


def test_near_copies_fan_out_is_capped():
    body = text(range(900, 910))
    near = [art(body + f" Filed from desk {i} today with notes {i}.", f"n{i}") for i in range(200)]
    result = analyze(near, OPTS)
    assert len(result.groups) == 1
    # Each article is verified against at most max_fanout others.
    assert len(result.pairs) <= 200 * OPTS.max_fanout
