"""Story clustering: scoring, batch clustering, bad input, reuse evidence, the reference case."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.model import Article, content_hash
from newsprism.pipeline import Batch
from newsprism.sentences import split_sentences
from newsprism.stories.engine import reuse_links
from newsprism.stories.evaluate import bcubed
from newsprism.stories.features import lead_of, names_of
from newsprism.stories.reconcile import reconcile
from newsprism.stories.score import StoryOptions
from newsprism.stories.stage import StoriesStage
from newsprism.text import normalize, paragraph_spans

FIRE = [
    "A wildfire swept through Paradise in Butte County on Thursday, destroying 6,700 buildings. "
    "Cal Fire said the Camp Fire had burned 70,000 acres. Governor Jerry Brown declared an emergency.",
    "The Camp Fire destroyed most of Paradise, Butte County officials said. Cal Fire counted 6,700 "
    "structures lost and 70,000 acres burned. Jerry Brown asked for federal aid.",
    "Residents fled Paradise as the Camp Fire raced across Butte County. Cal Fire said 70,000 acres "
    "burned; 6,700 homes and businesses were destroyed, according to Cal Fire.",
]
QUAKE = [
    "A magnitude 6.0 earthquake struck Napa early Sunday, injuring 120 people. The US Geological "
    "Survey said the South Napa quake was centred near American Canyon. Queen of the Valley hospital "
    "treated the injured.",
    "The South Napa earthquake, magnitude 6.0, hit American Canyon and Napa on Sunday. Queen of the "
    "Valley hospital said 120 people were hurt, the US Geological Survey reported.",
    "Napa residents cleaned up after Sunday's 6.0 South Napa earthquake near American Canyon left 120 "
    "injured, the US Geological Survey and Queen of the Valley hospital said.",
]


def make(text: str, aid: str, title: str | None = None, published: datetime | None = None) -> Article:
    text = normalize(text)
    paragraphs = paragraph_spans(text)
    return Article(
        id=aid,
        text=text,
        content_hash=content_hash(text),
        source_format="test",
        title=title,
        published=published,
        paragraphs=paragraphs,
        sentences=split_sentences(text, paragraphs),
    )


def corpus() -> list[Article]:
    return [make(t, f"fire{i}") for i, t in enumerate(FIRE)] + [
        make(t, f"quake{i}") for i, t in enumerate(QUAKE)
    ]


def partition(result) -> set[frozenset[str]]:  # noqa: ANN001 - a StoriesResult
    return {frozenset(s.article_ids) for s in result.stories}


class FakeEmbedder:
    """Deterministic bag-of-words hashing into 32 dims: enough to exercise the embedding path."""

    name = "fake"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), 32), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in t.lower().split():
                out[i, hash(w) % 32] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)


def test_bcubed_known_values():
    perfect = bcubed([1, 1, 2], ["a", "a", "b"])
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    lumped = bcubed([0, 0, 0, 0], ["a", "a", "b", "b"])
    assert lumped.precision == pytest.approx(0.5) and lumped.recall == 1.0
    split = bcubed([0, 1, 2, 3], ["a", "a", "b", "b"])
    assert split.precision == 1.0 and split.recall == pytest.approx(0.5)
    assert split.n_clusters == 4 and split.n_gold == 2


def test_names_and_lead():
    assert "cal fire" in names_of("Officials said Cal Fire counted 6,700 homes.")
    assert "#6700" in names_of("Officials said Cal Fire counted 6,700 homes.")
    assert "the" not in names_of("The fire spread.")
    article = make("First sentence here. Second one.", "x", title="A headline")
    assert lead_of(article) == "A headline. First sentence here."


def test_two_events_become_two_stories_in_any_order():
    articles = corpus()
    result = StoriesStage().run(Batch.of(articles)).layer("stories")
    expected = {frozenset(f"fire{i}" for i in range(3)), frozenset(f"quake{i}" for i in range(3))}
    assert partition(result) == expected
    shuffled = articles[:]
    random.Random(3).shuffle(shuffled)
    assert partition(StoriesStage().run(Batch.of(shuffled)).layer("stories")) == expected
    story = result.story(result.story_of["fire0"])
    assert story.n_articles == 3 and story.independent_basis == "articles"
    assert "no reuse layer" in result.notes[0]


def test_layer_shape_and_summary_fields():
    articles = corpus()
    articles[0].published = datetime(2018, 11, 8, 12, tzinfo=UTC)
    articles[1].published = datetime(2018, 11, 9, 8, tzinfo=UTC)
    articles[0].outlet = "Sacramento Bee"
    data = StoriesStage().run(Batch.of(articles)).layer("stories").to_dict()
    fire = next(s for s in data["stories"] if "fire0" in s["article_ids"])
    assert set(fire) >= {
        "id",
        "label",
        "article_ids",
        "outlets",
        "time_span",
        "n_articles",
        "n_independent_sources",
    }
    assert fire["time_span"] == {"start": "2018-11-08T12:00:00+00:00", "end": "2018-11-09T08:00:00+00:00"}
    assert fire["outlets"] == ["Sacramento Bee"]
    assert fire["label"] and any("Paradise" in n or "Cal Fire" in n for n in fire["key_names"])
    assert data["story_of"]["fire2"] == fire["id"]


def test_bad_input_gets_a_story_and_never_raises():
    odd = [
        make(".", "dot"),
        make("x", "tiny"),
        make("Ein Erdbeben der Stärke 6,0 erschütterte am Sonntag Napa in Kalifornien.", "german"),
        make("No title, no date, just a plain sentence about nothing much at all", "plain"),
    ]
    result = StoriesStage().run(Batch.of(corpus() + odd)).layer("stories")
    for a in odd:
        assert a.id in result.story_of
    assert StoriesStage().run(Batch.of([])).layer("stories").stories == ()
    single = StoriesStage().run(Batch.of([make("Only one.", "one")])).layer("stories")
    assert single.story_of == {"one": single.stories[0].id}


def test_time_keeps_far_apart_reports_apart():
    base = datetime(2018, 11, 8, tzinfo=UTC)
    later = datetime(2020, 3, 1, tzinfo=UTC)
    articles = [make(t, f"fire{i}", published=base) for i, t in enumerate(FIRE)]
    articles += [make(FIRE[0], "fire_again", published=later)]
    undated = StoriesStage().run(Batch.of([make(FIRE[0], "u0"), make(FIRE[0], "u1")])).layer("stories")
    assert len(undated.stories) == 1
    strict = StoryOptions(w_time=2.0)
    result = StoriesStage(strict).run(Batch.of(articles)).layer("stories")
    assert result.story_of["fire_again"] != result.story_of["fire0"]


class _Pair:
    def __init__(self, a: str, b: str):
        self.a, self.b, self.type = a, b, "rewrite"


class _Reuse:
    def __init__(self, pairs: list[_Pair], groups: dict[str, str]):
        self.pairs = pairs
        self.group_of = groups

    def independent_groups(self, ids):  # noqa: ANN001, ANN201 - mirrors ReuseResult
        by: dict[str, set[str]] = {}
        for a in ids:
            by.setdefault(self.group_of.get(a, f"solo:{a}"), set()).add(a)
        return list(by.values())


def test_reuse_links_join_stories_and_count_independent_sources():
    articles = corpus()
    reuse = _Reuse([_Pair("fire0", "quake0")], {"fire1": "g1", "fire2": "g1"})
    assert reuse_links(reuse, articles) == [(0, 3)]
    batch = Batch.of(articles).with_layer("reuse", reuse)
    result = StoriesStage().run(batch).layer("stories")
    assert result.story_of["fire0"] == result.story_of["quake0"]
    fire = result.story(result.story_of["fire1"])
    assert fire.independent_basis == "reuse"
    assert set(fire.article_ids) >= {"fire1", "fire2"}
    assert fire.n_independent_sources == fire.n_articles - 1


def test_injected_embedder_is_used_only_when_weighted():
    fake = FakeEmbedder()
    StoriesStage(embedder=fake).run(Batch.of(corpus()))
    assert fake.calls == []
    weighted = StoryOptions(w_embedding=0.2, threshold=0.2)
    result = StoriesStage(weighted, embedder=fake).run(Batch.of(corpus())).layer("stories")
    assert len(fake.calls) == 1 and len(fake.calls[0]) == 6
    assert len(result.stories) == 2


def test_reconcile_keeps_ids_and_records_merge_and_split():
    old = {"a": "S1", "b": "S1", "c": "S2", "d": "S3", "e": "S3", "f": "S3"}
    rec = reconcile([["a", "b", "c"], ["d", "e"], ["f", "g"]], old, lambda m: "new:" + min(m))
    assert rec.ids == ["S1", "S3", "new:f"]
    kinds = {(e.kind, tuple(e.from_ids), tuple(e.to_ids)) for e in rec.events}
    assert ("merge", ("S1", "S2"), ("S1",)) in kinds
    assert ("split", ("S3",), ("S3", "new:f")) in kinds
    assert rec.retired == {"S2": "merged"}


def test_reference_case_is_one_story(kursk_dir: Path):
    articles = [
        build_article(RawDocument(text=p.read_text(encoding="utf-8"), source=str(p), format="text"))
        for p in sorted(kursk_dir.glob("*.txt"))
    ]
    assert len(articles) == 5
    result = StoriesStage().run(Batch.of(articles)).layer("stories")
    assert len(result.stories) == 1
    assert result.stories[0].n_articles == 5


@pytest.mark.models
def test_reference_case_with_minilm_leads(kursk_dir: Path, embedder):  # noqa: ANN001 - conftest fixture
    """The real embedder behind the same interface: weighting lead embeddings keeps the five together."""
    articles = [
        build_article(RawDocument(text=p.read_text(encoding="utf-8"), source=str(p), format="text"))
        for p in sorted(kursk_dir.glob("*.txt"))
    ]
    options = StoryOptions(w_embedding=0.2)
    result = StoriesStage(options, embedder=embedder).run(Batch.of(articles)).layer("stories")
    assert [s.n_articles for s in result.stories] == [5]


def _two_groups_graph(size: int, within: float, between: float):  # noqa: ANN202 - a cluster.Graph
    """Every pair of two groups of ``size`` scored exactly (zero sketches, so no estimate enters)."""
    from newsprism.stories.cluster import Graph

    n = 2 * size
    left, right = np.triu_indices(n, k=1)
    same = (left < size) == (right < size)
    score = np.where(same, within, between).astype(np.float32)
    return Graph(left, right, score, np.zeros(len(left), np.float32), np.zeros((n, 1), np.float32))


def test_large_clusters_need_a_stricter_cohesion_bar():
    from newsprism.stories.cluster import average_link
    from newsprism.stories.score import cohesion_bar

    options = StoryOptions(cohesion_ratio=0.4, cohesion_ratio_large=0.8, cohesion_min_size=7)
    assert cohesion_bar(0.9, 3, options) == pytest.approx(0.36)
    assert cohesion_bar(0.9, 7, options) == pytest.approx(0.72)
    # Two small tight groups whose linkage (0.5) clears the small-cluster bar are one story...
    assert len(set(average_link(_two_groups_graph(3, 0.9, 0.5), options).tolist())) == 1
    # ...but two grown ones (one topic, two events) stay apart, unless the large bar is relaxed.
    big = _two_groups_graph(8, 0.9, 0.5)
    assert sorted(np.bincount(average_link(big, options)).tolist()) == [8, 8]
    relaxed = StoryOptions(cohesion_ratio=0.4, cohesion_ratio_large=0.5, cohesion_min_size=7)
    assert len(set(average_link(big, relaxed).tolist())) == 1


def test_key_names_do_not_depend_on_the_hash_seed():
    """Tied names are ordered the same in every process (string hashing is seeded per process)."""
    import os
    import subprocess
    import sys

    script = (
        "from newsprism.ingest.base import RawDocument\n"
        "from newsprism.ingest.build import build_article\n"
        "from newsprism.stories.result import _key_names\n"
        "t = ['Okafor met Lindqvist in Varna. Brandt, Moreau, Ishida, Castell and Novak spoke.',\n"
        "     'Lindqvist met Okafor. Novak, Castell, Ishida, Moreau and Brandt agreed.']\n"
        "arts = [build_article(RawDocument(text=x, source=str(i), format='text')) for i, x in enumerate(t)]\n"
        "print(_key_names(arts))\n"
    )
    outs = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
        )
        outs.add(done.stdout)
    assert len(outs) == 1, outs
