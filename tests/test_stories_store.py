"""Stored stories: batch build, incremental add with stable ids, merge events, list/show, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from sqlalchemy import select
from typer.testing import CliRunner

from newsprism.cli import stories_cmd
from newsprism.store import Store
from newsprism.stories.queries import get_story, list_stories
from newsprism.stories.repo import StoryStore
from newsprism.stories.tables import stories, story_events, story_members
from test_stories import FIRE, QUAKE, make

FLOOD = [
    "The Elbe river flooded Dresden on Tuesday as water rose to 8.7 metres. Saxony ordered 9,000 people "
    "out of the Altstadt district.",
    "Dresden's Altstadt was evacuated: 9,000 residents left as the Elbe reached 8.7 metres, Saxony said.",
]


def fresh(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "s.db")


def membership(store: Store) -> dict[str, str]:
    with store.engine.connect() as conn:
        return dict(conn.execute(select(story_members.c.article_id, story_members.c.story_id)).all())


def test_first_add_builds_then_adds_incrementally_with_stable_ids(tmp_path: Path):
    store = fresh(tmp_path)
    first = [make(FIRE[0], "fire0"), make(FIRE[1], "fire1"), make(QUAKE[0], "quake0")]
    store.add_articles(first)
    out = StoryStore(store).add(first)
    assert len({a.story_id for a in out[:2]}) == 1 and out[2].story_id != out[0].story_id
    before = membership(store)

    later = [make(FIRE[2], "fire2"), make(QUAKE[1], "quake1"), make(FLOOD[0], "flood0")]
    store.add_articles(later)
    added = StoryStore(store).add(later)  # a fresh instance loads centroids from the store
    assert added[0].story_id == before["fire0"] and not added[0].opened and added[0].score > 0
    assert added[1].story_id == before["quake0"]
    assert added[2].opened
    after = membership(store)
    assert all(after[a] == sid for a, sid in before.items())  # nobody renumbered

    # A batch rebuild over everything keeps the surviving stories' ids and records nothing.
    report = StoryStore(store).rebuild()
    assert report.n_stories == 3 and report.events == []
    assert membership(store) == after


def test_bridging_article_merges_stories_and_records_the_event(tmp_path: Path):
    store = fresh(tmp_path)
    halves = [
        make("Cal Fire said the Camp Fire burned 70,000 acres.", "a"),
        make("Paradise residents in Butte County fled on Thursday.", "b"),
    ]
    store.add_articles(halves)
    stories_ = StoryStore(store)
    stories_.rebuild()
    ids = membership(store)
    assert ids["a"] != ids["b"]
    bridge = [
        make(
            "Cal Fire said the Camp Fire burned 70,000 acres; Paradise residents in Butte County "
            "fled on Thursday.",
            "bridge",
        )
    ]
    store.add_articles(bridge)
    got = stories_.add(bridge)[0]
    assert got.merged and got.story_id in {ids["a"], ids["b"]}
    now = membership(store)
    assert now["a"] == now["b"] == now["bridge"] == got.story_id
    with store.engine.connect() as conn:
        events = conn.execute(select(story_events)).all()
        statuses = dict(conn.execute(select(stories.c.id, stories.c.status)).all())
    assert [(e.kind, sorted(e.from_ids), e.to_ids, e.article_ids) for e in events] == [
        ("merge", sorted([ids["a"], ids["b"]]), [got.story_id], ["bridge"])
    ]
    assert statuses[got.merged[0]] == "merged"
    shown = get_story(store, got.merged[0])
    assert shown["status"] == "merged" and shown["events"][0]["kind"] == "merge"


def test_list_and_show(tmp_path: Path):
    store = fresh(tmp_path)
    articles = [make(t, f"fire{i}") for i, t in enumerate(FIRE)] + [make(QUAKE[0], "quake0")]
    articles[0].outlet = "Sacramento Bee"
    store.add_articles(articles)
    StoryStore(store).rebuild()
    rows, total = list_stories(store)
    assert total == 2 and rows[0]["n_articles"] == 3
    assert rows[0]["outlets"] == ["Sacramento Bee"]
    assert rows[0]["n_independent_sources"] == 3 and rows[0]["independent_basis"] == "articles"
    story = get_story(store, rows[0]["id"][:6])
    assert {a["id"] for a in story["articles"]} == {"fire0", "fire1", "fire2"}
    assert get_story(store, "nope") is None


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(stories_cmd.app, name="stories")
    ev = typer.Typer()
    ev.command("stories")(stories_cmd.eval_stories)
    app.add_typer(ev, name="eval")
    return app


def test_cli_list_show_build_and_eval(tmp_path: Path):
    db = str(tmp_path / "c.db")
    store = Store.open(db)
    store.add_articles([make(t, f"quake{i}") for i, t in enumerate(QUAKE)])
    store.close()
    runner = CliRunner()
    built = runner.invoke(_cli(), ["stories", "build", "--db", db, "--json"])
    assert built.exit_code == 0, built.output
    assert json.loads(built.output)["n_stories"] == 1
    listed = runner.invoke(_cli(), ["stories", "list", "--db", db, "--json"])
    sid = json.loads(listed.output)["stories"][0]["id"]
    shown = runner.invoke(_cli(), ["stories", "show", sid, "--db", db, "--json"])
    assert json.loads(shown.output)["n_articles"] == 3
    missing = runner.invoke(_cli(), ["stories", "show", "zzz", "--db", db])
    assert missing.exit_code == 1

    data = tmp_path / "gold.jsonl"
    rows = [{"id": f"r{i}", "text": t, "event": "fire"} for i, t in enumerate(FIRE)]
    rows += [{"id": f"q{i}", "text": t, "event": "quake"} for i, t in enumerate(QUAKE)]
    data.write_text("\n".join(json.dumps(r) for r in rows))
    scored = runner.invoke(_cli(), ["eval", "stories", "--data", str(data), "--label", "event", "--json"])
    assert scored.exit_code == 0, scored.output
    report = json.loads(scored.output)
    assert report["f1"] == 1.0 and report["n_clusters"] == 2
    bad = runner.invoke(_cli(), ["eval", "stories", "--data", str(data), "--label", "nolabel"])
    assert bad.exit_code == 1


def test_adding_an_article_twice_keeps_its_story(tmp_path: Path):
    store = fresh(tmp_path)
    first = [make(FIRE[0], "fire0"), make(QUAKE[0], "quake0")]
    store.add_articles(first)
    stories_ = StoryStore(store)
    stories_.add(first)
    again = stories_.add([first[0]])
    assert again[0].story_id == membership(store)["fire0"] and again[0].score is None
