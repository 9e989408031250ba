"""The verdict gold: its format, its validation, and how a report is scored against it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsprism.evaluation.verdict_corpus import GoldArticle
from newsprism.evaluation.verdict_gold import GoldError, Mention, load_gold, parse_story, validate
from newsprism.evaluation.verdict_score import (
    MentionMap,
    score_conflicts,
    score_disputes,
    score_facts,
    score_single,
    value_words,
)
from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.verdicts.model import Evidence, Side, Verdict, VerdictsResult

GOLD = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "verdict-gold"

SENTS = {
    "a": ["North Korea sent 14,000 troops.", "Ukraine denied the claim.", "It rained."],
    "b": ["North Korea sent 10,000-12,000 troops.", "Russia said Kursk was retaken.", "Kyiv denied it."],
}


def story(**extra):
    raw = {
        "story": "s1",
        "corpus": "ecbplus",
        "split": "dev",
        "articles": ["a", "b"],
        "copies": [],
        "facts": [
            {
                "id": "f1",
                "summary": "troops sent",
                "mentions": [["a", 0], ["b", 0]],
                "independent_sources": 2,
            },
            {"id": "f2", "summary": "Kursk retaken", "mentions": [["b", 1]], "independent_sources": 1},
            {
                "id": "f3",
                "summary": "denial",
                "mentions": [["a", 1], ["b", 2]],
                "independent_sources": 1,
                "origin": "Ukraine",
            },
        ],
        "conflicts": [
            {
                "fact": "f1",
                "type": "number",
                "sides": [
                    {"value": "14,000 troops", "mentions": [["a", 0]]},
                    {"value": "10,000-12,000 troops", "mentions": [["b", 0]]},
                ],
            },
        ],
        "disputes": [
            {
                "fact": "f2",
                "claimant": "Russia",
                "denier": "Ukraine",
                "proposition": "Kursk retaken",
                "claim_mentions": [["b", 1]],
                "denial_mentions": [["b", 2]],
            },
        ],
        "skip": [["a", 2, "other"]],
    }
    raw.update(extra)
    return parse_story(raw)


def articles() -> dict[str, GoldArticle]:
    out = {}
    for gid, sents in SENTS.items():
        art = build_article(
            RawDocument(text="\n".join(sents), source=gid, format="text", url=f"https://{gid}.ex/x")
        )
        out[gid] = GoldArticle(gid, art, tuple(sents))
    return out


def ev(
    arts: dict[str, GoldArticle], gid: str, sentence: int, role: str = "claim", text: str | None = None
) -> Evidence:
    art = arts[gid].article
    s = arts[gid].sentences[sentence]
    start = art.text.index(s)
    return Evidence(art.id, (start, start + len(s)), text or s, f"{gid}:{sentence}", role)


def verdict(
    label: str, sides: list[Side] | None = None, evidence: list[Evidence] | None = None, **kw
) -> Verdict:
    evidence = evidence if evidence is not None else [e for s in sides or [] for e in s.evidence]
    return Verdict(f"{label}:x", "g", "s1", label, "t", [], kw.pop("n", 1), evidence, sides=sides or [], **kw)


def test_a_valid_story_validates_and_counts_reports():
    s = story(copies=[["a", "b"]])
    assert validate(s, SENTS) == ["fact f1: independent_sources 2 not in 1..1"]
    assert validate(story(), SENTS) == []
    assert story().reports(story().facts[0]) == 2


def test_validation_finds_unread_sentences_and_bad_mentions():
    s = story(skip=[])
    assert any("sentences [2] are in no fact" in p for p in validate(s, SENTS))
    bad = story(facts=[{"id": "f1", "summary": "x", "mentions": [["a", 9]], "independent_sources": 1}])
    assert any("a has no sentence 9" in p for p in validate(bad, SENTS))
    with pytest.raises(GoldError, match="conflict type"):
        story(conflicts=[{"fact": "f1", "type": "vibes", "sides": []}])


def test_conflict_counts_only_with_the_right_values_and_type():
    arts, s = articles(), story()
    mm = MentionMap(arts)
    right = (
        Side("14,000 troops", [], [ev(arts, "a", 0)]),
        Side("10,000-12,000 troops", [], [ev(arts, "b", 0)]),
    )
    wrong = Side("North Korea", [], [ev(arts, "a", 0)]), Side("Kursk", [], [ev(arts, "b", 0)])
    res = VerdictsResult(
        conflicts=[
            verdict("conflicting", list(right), type="numeric"),
            verdict("conflicting", list(wrong), type="numeric"),  # the right sentences, not the right values
            verdict("conflicting", list(right), type="time"),  # the right values, the wrong type
        ]
    )
    prec, rec = score_conflicts(s, res, mm)
    assert (prec.right, prec.total, rec.right, rec.total) == (1, 3, 1, 1)


def test_disputes_facts_and_single_source_are_scored_on_sentences():
    arts, s = articles(), story()
    mm = MentionMap(arts)
    claim = Side("retaken", [], [ev(arts, "b", 1)], actor="Russia", stance="asserts")
    denial = Side("denied", [], [ev(arts, "b", 2, "response")], actor="Ukraine", stance="denies")
    res = VerdictsResult(
        actor_disputes=[verdict("disputed", [claim, denial])],
        fact_sheet=[
            verdict("corroborated", evidence=[ev(arts, "a", 0), ev(arts, "b", 0)], n=2),
            verdict("corroborated", evidence=[ev(arts, "a", 1), ev(arts, "b", 0)], n=2),
        ],
        single_source=[
            verdict("single-source", evidence=[ev(arts, "b", 1)]),
            verdict("single-source", evidence=[ev(arts, "a", 2)]),
        ],
    )
    prec, rec = score_disputes(s, res, mm)
    assert (prec.right, rec.right) == (1, 1)
    pure, counts = score_facts(s, res, mm)
    assert (pure.right, pure.total) == (1, 2) and (counts.right, counts.total) == (1, 2)
    single = score_single(s, res, mm)
    assert (single.right, single.total) == (1, 2)  # a skipped sentence states no fact


_TIED = """
from newsprism.evaluation.verdict_gold import Mention, parse_story
from newsprism.evaluation.verdict_score import _matched_fact
mentions = [["a", 0], ["b", 0]]
facts = [{"id": f"f{n}", "summary": "x", "mentions": mentions, "independent_sources": 2} for n in range(6)]
raw = {"story": "s", "corpus": "ecbplus", "split": "dev", "articles": ["a", "b"], "copies": []}
raw["facts"] = facts
fact, share = _matched_fact(parse_story(raw), [{Mention("a", 0)}, {Mention("b", 0)}])
print(fact.id, share)
"""


def test_a_sentence_stating_several_facts_is_matched_alike_under_every_hash_seed():
    """Exact counts are scored on the fact a finding is matched to; with ties the match must not
    depend on set order, which changes with the hash seed of each run."""
    found = set()
    for seed in ("1", "4", "5", "6"):  # under the old set order: f0, f2, f3, f5
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", _TIED], env=env, capture_output=True, text=True, check=True
        )
        found.add(out.stdout.strip())
    assert found == {"f0 1.0"}


def test_value_words_read_figures_without_separators():
    assert value_words("an estimated 14,000 troops") == {"estimated", "14000", "troops"}


def test_mention_map_covers_every_sentence_a_span_overlaps():
    arts = articles()
    mm = MentionMap(arts)
    a = arts["a"].article
    assert mm.over(a.id, 0, len(a.text)) == {Mention("a", i) for i in range(3)}


def test_shipped_demo_gold_is_valid():
    from newsprism.evaluation.verdict_corpus import demo_articles

    [demo] = load_gold(GOLD / "demo.json")
    sentences = {k: list(v.sentences) for k, v in demo_articles().items()}
    assert validate(demo, sentences) == []


def test_shipped_ecbplus_gold_is_valid_and_split_by_topic(shared_dir: Path):
    from newsprism.evaluation.verdict_corpus import read_ecbplus

    docs = read_ecbplus(shared_dir / "data" / "ecbplus" / "ecbplus_docs.jsonl")
    stories = [s for s in load_gold(GOLD) if s.corpus == "ecbplus"]
    assert len(stories) >= 30
    for s in stories:
        sentences = {a: docs[a]["sentences"] for a in s.articles if a in docs}
        assert validate(s, sentences) == [], s.story
        topic = int(s.story.rstrip("ab"))
        assert s.split == ("dev" if topic % 2 else "test"), s.story


@pytest.mark.models
def test_eval_verdicts_on_the_demo_gold(tmp_path: Path):
    """The demo's planted findings are scored right end to end: the drifted figure, the dispute."""
    from typer.testing import CliRunner

    from newsprism.cli.main import app

    details = tmp_path / "details.json"
    result = CliRunner().invoke(
        app, ["eval", "verdicts", "--gold", str(GOLD / "demo.json"), "--json", "--details", str(details)]
    )
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)["metrics"]
    assert metrics["conflict_precision"]["value"] == 1.0 and metrics["conflict_recall"]["right"] >= 1
    assert metrics["dispute_precision"]["value"] == 1.0 and metrics["dispute_recall"]["value"] == 1.0
    assert json.loads(details.read_text())["per_story"][0]["story"] == "demo"
