"""Full-text search over stored articles, claims and stories: SQLite FTS5 and PostgreSQL tsvector
behind one interface, kept current on ingest and revision, and exposed in CLI, API and web app."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from newsprism.api import IngestOptions, ingest
from newsprism.demo import corpus_files
from newsprism.store import Store, make_engine
from newsprism.store.analyses import save_analysis
from newsprism.store.migrations import discover, migrate
from newsprism.store.search import query_terms
from newsprism.web.app import create_app
from test_hardening_store import run_cli
from webfixtures import HOSTILE_TITLE, article, corpus, report_dict


def _docs(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM search_docs")).scalar_one()


@pytest.fixture()
def demo_store(db_url):
    with corpus_files() as files:
        ingest(files, db_url, IngestOptions())  # links: stories are built as the articles arrive
    with Store.open(db_url) as store:
        yield store


def test_articles_match_every_term_with_highlights(demo_store) -> None:
    found = demo_store.search("Kettle Row", ["article"])
    assert found.total == 5 and all(h.kind == "article" for h in found.hits)
    for hit in found.hits:
        marked = [hit.snippet[s:e].lower() for s, e in hit.highlights]
        assert set(marked) == {"kettle", "row"}, (hit.snippet, hit.highlights)
    assert demo_store.search("Kettle Row zebra").total == 0  # every term must match
    phrase = demo_store.search('"civil protection service"', ["article"])
    loose = demo_store.search("service protection civil", ["article"])
    assert 0 < phrase.total <= loose.total


@pytest.mark.parametrize("query", ["NEAR( dam", "dam*", '"', "dam OR", "-dam", "title:dam", "^dam", "dam)"])
def test_query_syntax_is_inert(demo_store, query) -> None:
    # FTS5 and tsquery operators are read as plain words: never a syntax error, never an operator.
    words = re.sub(r"[^\w\s]", " ", query)
    assert demo_store.search(query, ["article"]).total == demo_store.search(words, ["article"]).total


def test_query_terms() -> None:
    assert query_terms('kursk "north korean" troops') == ["kursk", "north korean", "troops"]
    assert query_terms('  "" * - ') == []
    assert query_terms("dam\x00wall") == ["dam", "wall"]  # PostgreSQL refuses NUL in a string


def test_a_revision_replaces_the_text_it_revises(db_url) -> None:
    said = "The mayor said the bridge would reopen in {} after repairs."
    old = article(said.format("May"), "Post", "https://p.example/1", 9)
    new = article(said.format("June"), "Post", "https://p.example/1", 10)
    with Store.open(db_url) as store:
        store.add_articles([old])
        assert [h.ref for h in store.search("May", ["article"]).hits] == [old.id]
        stored = store.add_articles([new]).statuses[0][1]
        assert stored.revision_of == old.id
        assert store.search("May", ["article"]).total == 0
        assert [h.ref for h in store.search("June bridge", ["article"]).hits] == [stored.id]
        before = _docs(store)
        store.add_articles([new, old])  # duplicates: nothing indexed twice
        assert _docs(store) == before == 1


def test_claims_of_saved_analyses_are_found_once(db_url) -> None:
    arts = corpus()
    report = report_dict(arts)
    with Store.open(db_url) as store:
        store.add_articles(arts)
        save_analysis(store, {**report, "analysis_id": "run1"})
        found = store.search("presidents minutes", ["claim"])
        assert found.total == 2 and {h.parent for h in found.hits} == {arts[0].id, arts[2].id}
        save_analysis(store, {**report, "analysis_id": "run2"})  # the same claims again
        assert store.search("presidents minutes", ["claim"]).total == 2


def test_stories_are_found_through_their_articles(demo_store) -> None:
    [story] = demo_store.search("Kettle Row", ["story"]).hits
    assert story.kind == "story" and story.snippet == "5 matching articles" and story.title
    every = demo_store.search("Kettle Row")
    assert every.total == 6 and {h.kind for h in every.hits} == {"story", "article"}
    page = demo_store.search("Kettle Row", limit=2, offset=4)
    assert page.total == 6 and [h.ref for h in page.hits] == [h.ref for h in every.hits[4:6]]


def test_the_migration_indexes_an_existing_store(db_url) -> None:
    from newsprism.store.analyses import analyses
    from newsprism.store.store import _article_row
    from newsprism.store.tables import articles

    engine = make_engine(db_url)
    migrate(engine, [m for m in discover() if m.name < "0008"])
    arts = corpus()
    with engine.begin() as conn:  # rows as the code before search wrote them: no index
        conn.execute(articles.insert(), [_article_row(a.with_updates(ingested_at=a.published), n)
                                         for n, a in enumerate(arts, 1)])
        conn.execute(analyses.insert().values(id="old", created_at=arts[0].published, n_articles=3,
                                              article_ids=[a.id for a in arts], report=report_dict(arts)))
    engine.dispose()
    with Store.open(db_url) as store:
        assert store.search("Kursk", ["article"]).total == 3
        assert store.search("presidents minutes", ["claim"]).total == 2


def test_cli_search(tmp_path, monkeypatch, capsys) -> None:
    db = str(tmp_path / "s.db")
    with Store.open(db) as store:
        store.add_articles(corpus(hostile=True))
    code, out, err = run_cli(monkeypatch, capsys, "search", "troops Russia", "--db", db, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["total"] == 4 and {i["kind"] for i in data["items"]} == {"article"}
    code, out, _ = run_cli(monkeypatch, capsys, "search", "troops", "--db", db)
    assert code == 0 and "4 results for 'troops'" in out and "\x1b" not in out
    assert run_cli(monkeypatch, capsys, "search", "x", "--db", str(tmp_path / "typo.db"))[0] == 2
    assert run_cli(monkeypatch, capsys, "search", "x", "--db", db, "--kind", "tweet")[0] == 2


def test_api_and_pages(tmp_path) -> None:
    db = tmp_path / "w.db"
    arts = corpus(hostile=True)
    with Store.open(db) as store:
        store.add_articles(arts)
        save_analysis(store, {**report_dict(arts[:3]), "analysis_id": "an1"})
    with TestClient(create_app(db)) as client:
        api = client.get("/api/v1/search", params={"q": "troops", "kind": ["article", "claim"]}).json()
        assert api["total"] >= 4 and {i["kind"] for i in api["items"]} <= {"article", "claim"}
        assert client.get("/api/v1/search", params={"q": "x", "kind": "tweet"}).status_code == 422
        page = client.get("/search", params={"q": "troops strong"})
        assert page.status_code == 200 and '<mark class="hl-search">troops</mark>' in page.text
        assert "<script>window" not in page.text and "&lt;script&gt;" in page.text
        assert page.headers["content-security-policy"].startswith("default-src 'none'")
        listing = client.get("/articles")
        assert listing.status_code == 200 and all(f'href="/articles/{a.id}"' in listing.text for a in arts)
        assert HOSTILE_TITLE not in listing.text
        assert client.get("/articles?format=json").json()["total"] == 4
