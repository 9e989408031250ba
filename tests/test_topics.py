"""Topics: stories grouped by subject; batch and incremental paths, stable ids, the migration."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from sqlalchemy import delete, func, inspect, select, update

from newsprism.model import Article
from newsprism.store import Store, make_engine
from newsprism.store.migrations import discover, migrate
from newsprism.stories.engine import cluster_articles, lead_embeddings
from newsprism.stories.index import group_profiles
from newsprism.stories.repo import StoryStore
from newsprism.stories.score import StoryOptions
from newsprism.stories.tables import stories, story_members, topic_members, topics
from newsprism.stories.topics import TopicOptions, cluster_topics, topics_of_articles
from test_stories import make

REID = [
    "Actress Tara Reid checked into the Promises rehab treatment center in Malibu, her publicist said. "
    "The American Pie star entered rehab for treatment of alcohol addiction.",
    "Tara Reid has entered rehab at Promises in Malibu. The actress checked into the treatment center "
    "on Tuesday for alcohol addiction, her publicist confirmed.",
    "Her publicist said Tara Reid checked into rehab at the Promises treatment center in Malibu "
    "to be treated for alcohol addiction.",
]
LOHAN = [  # the same kind of happening to another actress: one topic, two stories
    "Lindsay Lohan began a 90-day rehab stay at the Betty Ford Center in Rancho Mirage on Thursday, as a "
    "Los Angeles judge ordered after her probation violation. The actress is treated for addiction.",
    "A judge sent Lindsay Lohan to the Betty Ford Center: the Mean Girls actress arrived in Rancho Mirage "
    "for 90 days of rehab and addiction treatment under her probation terms.",
    "Lindsay Lohan's 90 days of addiction treatment at the Betty Ford Center in Rancho Mirage started on "
    "Thursday; the rehab stay was ordered by the judge over her probation.",
]

QUAKE = [
    "A magnitude 6.1 earthquake struck Sumatra on Monday, collapsing buildings in Padang. Indonesian "
    "officials said 40 people died and tsunami sirens sounded along the coast.",
    "The 6.1 quake that hit Padang in Sumatra killed 40 people, Indonesian officials said, as rescuers "
    "searched collapsed buildings.",
    "Rescuers in Padang dug through collapsed buildings after the magnitude 6.1 Sumatra earthquake "
    "killed 40, officials in Indonesia said.",
]
BUDGET = [
    "The Ohio legislature passed a state budget of 71 billion dollars, cutting school funding and "
    "raising the sales tax, Governor Kasich said at a press conference in Columbus.",
    "Ohio lawmakers approved the 71 billion dollar budget in Columbus; Governor Kasich will sign the "
    "plan, which cuts school funding and raises the sales tax.",
    "Governor Kasich praised the Ohio budget, 71 billion dollars with school funding cuts and a higher "
    "sales tax, after the legislature voted in Columbus.",
]


def arts(name: str, texts: list[str]) -> list[Article]:
    return [make(t, f"{name}{i}") for i, t in enumerate(texts)]


def batch_topics(articles: list[Article]) -> tuple[np.ndarray, np.ndarray]:
    options = StoryOptions()
    clustering = cluster_articles(articles, lead_embeddings(articles, None, options), options)
    return clustering.labels, topics_of_articles(clustering.feats, clustering.labels, options, TopicOptions())


def test_two_stories_of_one_topic_share_it_and_unrelated_ones_do_not():
    articles = arts("reid", REID) + arts("lohan", LOHAN) + arts("quake", QUAKE) + arts("budget", BUDGET)
    story, topic = batch_topics(articles)
    reid, lohan, quake, budget = (slice(3 * k, 3 * k + 3) for k in range(4))
    assert len(set(story.tolist())) == 4  # four happenings: the two rehabs stay two stories
    assert len(set(topic[reid])) == 1 and set(topic[reid]) == set(topic[lohan])  # one topic: rehab
    assert len({topic[reid][0], topic[quake][0], topic[budget][0]}) == 3


def test_topics_do_not_depend_on_the_order_of_the_stories():
    articles = arts("reid", REID) + arts("lohan", LOHAN) + arts("quake", QUAKE) + arts("budget", BUDGET)
    options = StoryOptions()
    clustering = cluster_articles(articles, lead_embeddings(articles, None, options), options)
    groups = [[i for i, label in enumerate(clustering.labels) if label == k] for k in range(4)]
    profiles = group_profiles(options, clustering.feats, groups)
    forward = cluster_topics(profiles, 1, TopicOptions()).tolist()
    backward = cluster_topics(profiles[::-1], 1, TopicOptions()).tolist()[::-1]
    assert forward[0] == forward[1] and len(set(forward)) == 3
    assert [forward.index(x) for x in forward] == [backward.index(x) for x in backward]


def topic_of_article(store: Store) -> dict[str, str]:
    with store.engine.connect() as conn:
        query = select(story_members.c.article_id, topic_members.c.topic_id).join(
            topic_members, topic_members.c.story_id == story_members.c.story_id)
        return dict(conn.execute(query).all())


def partition(mapping: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for article, group in mapping.items():
        groups.setdefault(group, set()).add(article)
    return {frozenset(g) for g in groups.values()}


def rename(store: Store, old: str, new: str) -> None:
    with store.transaction() as conn:
        row = dict(conn.execute(select(topics).where(topics.c.id == old)).one()._mapping)
        conn.execute(topics.insert().values(**{**row, "id": new}))
        conn.execute(update(topic_members).where(topic_members.c.topic_id == old).values(topic_id=new))
        conn.execute(delete(topics).where(topics.c.id == old))


def test_topic_ids_stable_across_rebuilds_and_incremental_additions(tmp_path: Path):
    store = Store.open(tmp_path / "s.db")
    first = arts("reid", REID) + arts("quake", QUAKE)
    store.add_articles(first)
    StoryStore(store).rebuild()
    built = topic_of_article(store)
    assert len(set(built.values())) == 2 and built["reid0"] != built["quake0"]
    StoryStore(store).rebuild()
    assert topic_of_article(store) == built  # a rerun names every topic the same
    rename(store, built["quake0"], "tquake")  # a name the rebuild would not choose by itself
    built = topic_of_article(store)
    StoryStore(store).rebuild()
    assert topic_of_article(store) == built and built["quake0"] == "tquake"  # kept, not renamed

    rehab, budget = arts("lohan", LOHAN), arts("budget", BUDGET)
    store.add_articles(rehab + budget)
    repo = StoryStore(store)  # a fresh instance loads the topic centroids from the store
    repo.add(rehab)
    repo.add(budget)
    now = topic_of_article(store)
    assert all(now[a] == t for a, t in built.items())  # nobody renumbered
    assert now["lohan0"] == now["lohan2"] == built["reid0"]  # a new story joined its topic
    assert now["budget0"] not in {built["reid0"], built["quake0"]}  # an unrelated one opened a topic
    with store.engine.connect() as conn:
        how = dict(conn.execute(select(topic_members.c.story_id, topic_members.c.how)).all())
    assert sorted(how.values()).count("incremental") == 2

    StoryStore(store).rebuild()  # the batch path over the same stories agrees, ids kept
    assert topic_of_article(store) == now


def test_batch_and_incremental_paths_agree(tmp_path: Path):
    groups = [arts("reid", REID), arts("quake", QUAKE), arts("lohan", LOHAN), arts("budget", BUDGET)]
    batch = Store.open(tmp_path / "batch.db")
    batch.add_articles([a for g in groups for a in g])
    StoryStore(batch).rebuild()
    step = Store.open(tmp_path / "step.db")
    repo = StoryStore(step)
    for group in groups:  # the first add builds; the others are placed incrementally
        step.add_articles(group)
        repo.add(group)
    assert partition(topic_of_article(step)) == partition(topic_of_article(batch))
    assert len(partition(topic_of_article(batch))) == 3


def test_stories_stored_before_topics_get_them_on_the_next_add(tmp_path: Path):
    store = Store.open(tmp_path / "s.db")
    store.add_articles(arts("reid", REID) + arts("quake", QUAKE))
    StoryStore(store).rebuild()
    with store.transaction() as conn:  # as a store upgraded by m0010 holds: stories, no topics
        conn.execute(delete(topic_members))
        conn.execute(delete(topics))
    later = arts("lohan", LOHAN)
    store.add_articles(later)
    StoryStore(store).add(later)
    got = topic_of_article(store)
    assert len(got) == 9 and got["lohan0"] == got["reid0"] != got["quake0"]


def test_migration_adds_topic_tables_to_an_older_store(db_url):
    engine = make_engine(db_url)
    try:
        older = [m for m in discover() if m.name < "0010"]
        migrate(engine, older)
        assert "topics" not in inspect(engine).get_table_names()
        Store(engine).add_articles(arts("reid", REID) + arts("quake", QUAKE) + arts("lohan", LOHAN))
        assert migrate(engine) == ["0010_topics"]
        insp = inspect(engine)
        assert {"topics", "topic_members"} <= set(insp.get_table_names())
        assert {c["name"] for c in insp.get_columns("topic_members")} >= {"story_id", "topic_id", "how"}
        store = Store(engine)
        assert store.count_articles() == 9
        StoryStore(store).rebuild()
        with engine.connect() as conn:
            n_stories = conn.execute(select(func.count()).select_from(stories)
                                     .where(stories.c.status == "active")).scalar_one()
            n_members = conn.execute(select(func.count()).select_from(topic_members)).scalar_one()
        assert n_stories == n_members == 3
        assert len(set(topic_of_article(store).values())) == 2
    finally:
        engine.dispose()


def test_eval_reports_topic_scores_beside_unchanged_story_scores(tmp_path: Path):
    from typer.testing import CliRunner

    from newsprism.cli.main import app

    data = tmp_path / "gold.jsonl"
    groups = (("reid", "rehab", REID), ("lohan", "rehab", LOHAN), ("quake", "quake", QUAKE),
              ("budget", "budget", BUDGET))
    rows = [{"id": f"{s}{i}", "text": t, "story": s, "topic": topic}
            for s, topic, texts in groups for i, t in enumerate(texts)]
    data.write_text("\n".join(json.dumps(r) for r in rows))
    runner = CliRunner()
    args = ["eval", "stories", "--data", str(data), "--label", "story"]
    report = json.loads(runner.invoke(app, [*args, "--json"]).output)
    assert (report["f1"], report["n_clusters"]) == (1.0, 4)  # the story figures are the stories'
    topics_ = report["topics"]
    found = (topics_["f1"], topics_["ari"], topics_["n_clusters"], topics_["n_gold_clusters"])
    assert found == (1.0, 1.0, 3, 3)
    assert topics_["label"] == "topic"
    shown = runner.invoke(app, args)
    assert shown.exit_code == 0 and "Topics ('topic'): 3 found (3 gold)" in shown.output
    # Topics scored against the story label: four gold groups, three topics found.
    strict = json.loads(runner.invoke(app, [*args, "--topic-label", "story", "--json"]).output)
    assert strict["topics"]["n_gold_clusters"] == 4 and strict["topics"]["recall"] == 1.0
    assert strict["topics"]["precision"] < 1.0

    data.write_text("\n".join(json.dumps({k: v for k, v in r.items() if k != "topic"}) for r in rows))
    unlabelled = runner.invoke(app, args)
    assert unlabelled.exit_code == 0 and "topics: not scored" in unlabelled.output
    assert "topics" not in json.loads(runner.invoke(app, [*args, "--json"]).output)
