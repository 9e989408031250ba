"""Lifted sentences: exact sentence keys, whole-sentence evidence, and the context rules that tell a
lifted passage (partial) from a sentence swapped in by an edit."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.reuse.candidates import CandidateFinder, lifted_sentences, quote_mask
from newsprism.reuse.fingerprint import sentence_keys
from newsprism.reuse.options import ReuseOptions
from newsprism.reuse.stage import analyze
from newsprism.reuse.tokens import TokenHasher
from test_reuse import sentence

OPTS = ReuseOptions(rewrite=False)


def art(body: str, name: str):
    return build_article(RawDocument(text=body, source=name, format="text"))


def sentences(seeds) -> list[str]:
    return [sentence(s) for s in seeds]


def pair_types(result, ids: dict[str, str]) -> dict[frozenset[str], str]:
    name = {v: k for k, v in ids.items()}
    return {frozenset((name[p.a], name[p.b])): p.type for p in result.pairs}


def types_of(arts: dict, options: ReuseOptions = OPTS) -> dict[frozenset[str], str]:
    """Pair types of the named articles, keyed by their names."""
    return pair_types(analyze(list(arts.values()), options), {k: a.id for k, a in arts.items()})


# A passage lifted into a host: the derived text is the host plus the passage from the source.
LIFT_INTO_HOST = {
    frozenset(("derived", "host")): "partial-host",
    frozenset(("derived", "source")): "partial",
}


def test_sentence_keys_match_a_lifted_sentence_only():
    finder = CandidateFinder(OPTS)
    lifted = sentence(7)
    a = art(" ".join([sentence(1), lifted, sentence(2)]), "a")
    b = art(" ".join([sentence(3), "Short one here.", lifted]), "b")
    keys, docs = sentence_keys(finder.words([a, b]), OPTS.sentence_min_tokens)
    shared = set(keys[docs == 0].tolist()) & set(keys[docs == 1].tolist())
    assert len(shared) == 1
    # "Short one here." (3 words) is below the minimum and gets no key.
    assert int((docs == 1).sum()) == 2


def test_lifted_sentences_counts_whole_unquoted_sentences():
    body = f'{sentence(1)} He said: "{sentence(2)}" {sentence(3)}'
    a = art(body, "a")
    tokens = TokenHasher().tokens(a.text)
    everything = np.ones(len(tokens), dtype=bool)
    quoted = quote_mask(a.text, tokens)
    assert lifted_sentences(a, tokens, everything, quoted, 6) == 2
    # A sentence with one word outside the shared text is not lifted whole.
    partial = everything.copy()
    partial[3] = False
    assert lifted_sentences(a, tokens, partial, quoted, 6) == 1


def test_two_sentence_lift_into_a_host_is_partial_and_partial_host():
    host, source = sentences(range(500, 512)), sentences(range(400, 410))
    derived = host[:6] + source[3:5] + host[6:]
    arts = {"host": art(" ".join(host), "host"), "source": art(" ".join(source), "source")}
    arts["derived"] = art(" ".join(derived), "derived")
    assert types_of(arts) == LIFT_INTO_HOST


def test_sentence_swapped_in_by_an_edit_is_not_a_second_source():
    source, other = sentences(range(600, 612)), sentences(range(700, 710))
    # The edit drops a sentence of its source and puts one from another report in its place.
    edited = source[:5] + [other[4]] + source[6:]
    arts = {"source": art(" ".join(source), "source"), "other": art(" ".join(other), "other")}
    arts["edited"] = art(" ".join(edited), "edited")
    assert set(types_of(arts)) == {frozenset(("edited", "source"))}


def test_sentence_glued_to_a_headline_line_still_meets_its_source_by_its_end():
    finder = CandidateFinder(OPTS)
    lifted = sentence(9)
    a = art(" ".join([sentence(1), lifted, sentence(2)]), "a")
    # No full stop after the headline line: the splitter glues it to the lifted sentence.
    b = art(f"Storm Closes Harbour Bridge Posted 9 March {lifted} {sentence(4)}", "b")
    keys, docs = sentence_keys(finder.words([a, b]), OPTS.sentence_min_tokens)
    assert not set(keys[docs == 0].tolist()) & set(keys[docs == 1].tolist())
    keys, docs = sentence_keys(finder.words([a, b]), OPTS.sentence_min_tokens, ends=True)
    assert set(keys[docs == 0].tolist()) & set(keys[docs == 1].tolist())


HEADLINE = "Storm Closes Old Harbour Bridge For Budget Repairs Posted 9 March 2012 5 46 pm"


def test_headline_line_lifted_into_a_host_is_partial():
    # The inserted line has no full stop, so both splitters glue it to the next sentence: no
    # whole sentence is shared, only a sentence start (the evidence the candidate keys use).
    host, source = sentences(range(800, 812)), sentences(range(900, 910))
    derived = " ".join(host[:6]) + f" {HEADLINE} " + " ".join(host[6:])
    arts = {
        "host": art(" ".join(host), "host"),
        "source": art(f"{HEADLINE} " + " ".join(source), "source"),
        "derived": art(derived, "derived"),
    }
    assert types_of(arts) == LIFT_INTO_HOST
    # The passage also fills the host's gap (gap_passage_tokens): both rules off, it is lost.
    no_anchor = types_of(arts, replace(OPTS, anchor_tokens=0, gap_passage_tokens=0))
    assert frozenset(("derived", "source")) not in no_anchor


def test_lift_filling_the_gap_beside_a_quote_the_host_shares_is_kept():
    # The source shares two things with the derived text: a quote its host also carries, and the
    # one sentence lifted into the host. Half the shared text lies in the host's part, but the
    # lifted sentence fills all the host leaves uncovered.
    quote = f"“{sentence(31)}”"
    host = sentences(range(1000, 1006)) + [quote] + sentences(range(1006, 1012))
    lift = sentence(77)
    source = sentences(range(1100, 1104)) + [quote] + [lift] + sentences(range(1104, 1108))
    derived = host[:9] + [lift] + host[9:]
    arts = {"host": art(" ".join(host), "host"), "source": art(" ".join(source), "source")}
    arts["derived"] = art(" ".join(derived), "derived")
    assert types_of(arts) == LIFT_INTO_HOST
    by_share_only = types_of(arts, replace(OPTS, weak_gap_fill=0.0))
    assert frozenset(("derived", "source")) not in by_share_only


def test_lift_into_a_long_host_is_directed_by_the_host():
    # The host fills almost all of the derived text, so "which side is made of others' text"
    # cannot tell (a partner holding all of an article is left out of that count); the host lying
    # wholly inside one side, apart from the shared passage, says that side is derived.
    host, source = sentences(range(1200, 1226)), sentences(range(1300, 1310))
    derived = host[:13] + source[4:5] + host[13:]
    arts = {"host": art(" ".join(host), "host"), "source": art(" ".join(source), "source")}
    arts["derived"] = art(" ".join(derived), "derived")
    name = {a.id: k for k, a in arts.items()}
    pairs = {frozenset((name[p.a], name[p.b])): p for p in analyze(list(arts.values()), OPTS).pairs}
    # The lifted sentence is under 5% of the derived text, but found in another article: an
    # insertion, not a copy with a small change.
    assert pairs[frozenset(("derived", "host"))].type == "partial-host"
    lift = pairs[frozenset(("derived", "source"))]
    assert lift.type == "partial"
    assert name[lift.source] == "source" and name[lift.derived] == "derived"
    assert "whole text with this passage added" in lift.direction_reason
