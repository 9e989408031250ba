"""Topics on every surface: ``stories list --topic``/``stories topics``, the API and the stories page,
all read from the stored topics through one view; topic labels are escaped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from typer.testing import CliRunner

from newsprism.cli.main import app as cli
from newsprism.store import Store
from newsprism.stories.repo import StoryStore
from newsprism.stories.tables import topics
from newsprism.web.app import create_app
from test_topics import LOHAN, QUAKE, REID, arts

HOSTILE = 'Rehab <script>window.__pwned=1</script> [bold red]loud[/]'


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "t.db"
    with Store.open(path) as store:
        store.add_articles(arts("reid", REID) + arts("lohan", LOHAN) + arts("quake", QUAKE))
        StoryStore(store).rebuild()
    return path


def _rehab_topic(db: Path) -> str:
    out = CliRunner().invoke(cli, ["stories", "list", "--db", str(db), "--json"])
    by_label = {s["article_ids"][0]: s["topic_id"] for s in json.loads(out.output)["stories"]}
    assert by_label["reid0"] == by_label["lohan0"] != by_label["quake0"]
    return by_label["reid0"]


def test_cli_lists_topics_and_filters_stories_by_topic(db: Path):
    runner = CliRunner()
    rehab = _rehab_topic(db)
    listed = json.loads(runner.invoke(cli, ["stories", "topics", "--db", str(db), "--json"]).output)
    assert listed["total"] == 2 and listed["topics"][0]["id"] == rehab
    assert (listed["topics"][0]["n_stories"], listed["topics"][0]["n_articles"]) == (2, 6)
    args = ["stories", "list", "--db", str(db), "--topic", rehab, "--json"]
    only = json.loads(runner.invoke(cli, args).output)
    assert only["total"] == 2 and {s["topic_id"] for s in only["stories"]} == {rehab}
    shown = runner.invoke(cli, ["stories", "show", only["stories"][0]["id"], "--db", str(db), "--json"])
    assert json.loads(shown.output)["topic_id"] == rehab
    with Store.open(db) as store, store.transaction() as conn:
        conn.execute(update(topics).where(topics.c.id == rehab).values(label=HOSTILE))
    text = runner.invoke(cli, ["stories", "topics", "--db", str(db)], env={"COLUMNS": "300"}).output
    assert "[bold red]loud[/]" in text  # shown as written, not read as Rich markup
    table = runner.invoke(cli, ["stories", "list", "--db", str(db), "--topic", rehab], env={"COLUMNS": "300"})
    assert table.exit_code == 0 and "[bold red]loud[/]" in table.output and rehab in table.output


def test_api_and_page_read_the_stored_topics_escaped(db: Path):
    rehab = _rehab_topic(db)
    with Store.open(db) as store, store.transaction() as conn:
        conn.execute(update(topics).where(topics.c.id == rehab).values(label=HOSTILE))
    with TestClient(create_app(db)) as c:
        items = c.get("/api/v1/stories").json()["items"]
        assert len(items) == 3 and all(s["topic_id"] for s in items)
        only = c.get("/api/v1/stories", params={"topic": rehab}).json()
        assert only["total"] == 2 and {s["topic_label"] for s in only["items"]} == {HOSTILE}
        assert c.get("/api/v1/stories", params={"topic": "tnone"}).json()["total"] == 0
        found = c.get("/api/v1/topics").json()
        assert found["total"] == 2 and found["items"][0] == {
            "topic_id": rehab, "label": HOSTILE, "n_stories": 2, "n_articles": 6}
        story = c.get(f"/api/v1/stories/{items[0]['story_id']}").json()["story"]
        assert story["topic_id"] == items[0]["topic_id"]
        page = c.get("/stories", params={"topic": rehab})
        assert page.status_code == 200 and "2 stories" in page.text
        assert "<script>window.__pwned" not in page.text and "&lt;script&gt;" in page.text
        assert f'<option value="{rehab}" selected>' in page.text and f"topic={rehab}" in page.text
        assert c.get("/stories", params={"format": "json", "topic": rehab}).json()["total"] == 2


def test_story_labels_and_outlets_are_printed_as_written(db: Path):
    """A story's label comes from its articles: the Rich tables of ``stories list/show`` must not read
    it as markup (it would vanish into styling, or fail to parse)."""
    from newsprism.stories.tables import stories

    runner = CliRunner()
    with Store.open(db) as store, store.transaction() as conn:
        conn.execute(update(stories).values(label=HOSTILE))
    listed = runner.invoke(cli, ["stories", "list", "--db", str(db)], env={"COLUMNS": "400"})
    assert listed.exit_code == 0 and "[bold red]loud[/]" in listed.output
    listing = runner.invoke(cli, ["stories", "list", "--db", str(db), "--json"]).output
    first = json.loads(listing)["stories"][0]
    shown = runner.invoke(cli, ["stories", "show", first["id"], "--db", str(db)], env={"COLUMNS": "400"})
    assert shown.exit_code == 0 and "[bold red]loud[/]" in shown.output
