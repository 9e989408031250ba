"""Web app and HTTP API over a real store: pages, JSON views, auth, limits, SSRF guard, headers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newsprism.cli import serve_cmd
from newsprism.store import Store
from newsprism.web.app import WebOptions, create_app
from newsprism.web.tokens import create_token, list_tokens, revoke_token, verify_token
from webfixtures import add_story, article, corpus, report_dict, store_report


@pytest.fixture()
def env(tmp_path):
    db = tmp_path / "web.db"
    store = Store.open(db)
    arts = corpus(hostile=True)
    other = article("Two ferries collided off Portvale. Nobody was hurt.", "Coastal Ledger",
                    "https://ledger.example/f", 8)
    store.add_articles([*arts, other])
    store_report(store, arts, report_dict(arts))  # story s1, analysed
    with store.transaction() as conn:  # story s2, not analysed yet
        add_story(conn, {"id": "s2", "label": "Ferries collide", "article_ids": [other.id]}, [])
    token, _ = create_token(store, "tests")
    client = TestClient(create_app(db, WebOptions(max_body_bytes=200_000, page_size=1)))
    yield {"client": client, "store": store, "arts": arts, "token": token, "db": db}
    client.close()
    store.close()


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_security_headers_on_pages_and_api(env):
    c = env["client"]
    for path in ("/stories", "/api/v1/stories", "/nope"):
        r = c.get(path)
        csp = r.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"


def test_stories_list_search_filters_and_pagination(env):
    c = env["client"]
    first = c.get("/stories?format=json").json()
    assert first["total"] == 2 and len(first["items"]) == 1
    second = c.get("/stories?format=json&page=2").json()
    assert {first["items"][0]["story_id"], second["items"][0]["story_id"]} == {"s1", "s2"}
    hits = c.get("/api/v1/stories", params={"q": "kursk troops"}).json()
    assert [s["label"] for s in hits["items"]] == ["North Korean troops in Kursk"]
    assert c.get("/api/v1/stories", params={"has_conflicts": True}).json()["total"] == 1
    without = c.get("/api/v1/stories", params={"has_conflicts": False}).json()
    assert without["items"][0]["story_id"] == "s2" and without["items"][0]["analysed_at"] is None
    assert c.get("/api/v1/stories", params={"outlet": "new york post"}).json()["total"] == 1
    assert c.get("/api/v1/stories", params={"since": "2025-05-01"}).json()["total"] == 0
    assert c.get("/api/v1/stories", params={"until": "2025-04-27"}).json()["total"] == 1
    html = c.get("/stories?q=kursk").text
    assert "North Korean troops in Kursk" in html and "1 story" in html


def test_story_page_html_and_json(env):
    c = env["client"]
    html = c.get("/stories/s1").text
    assert 'class="conflict"' in html and "<svg" in html and 'id="facts"' in html
    assert "&lt;script&gt;" in html and "<script>window" not in html
    data = c.get("/stories/s1", headers={"Accept": "application/json"}).json()
    assert data["story"]["n_conflicts"] == 1 and data["report"]["verdicts"]["conflicts"]
    bare = c.get("/stories/s2").text
    assert "Two ferries collided" in bare and bare.count("not analysed yet") >= 4
    assert c.get("/stories/missing").status_code == 404


def test_the_api_sends_the_stored_report_as_the_pages_read_it(env):
    c = env["client"]
    api = c.get("/api/v1/stories/s1").json()["report"]
    page = c.get("/stories/s1?format=json").json()["report"]
    for report in (api, page):
        report.pop("generated_at")
    assert api == page
    conflict = api["verdicts"]["conflicts"][0]
    assert "update" not in conflict and "origin" not in conflict  # fields a report leaves out stay out
    spec = c.get("/api/v1/openapi.json").json()
    story_out = spec["components"]["schemas"]["StoryOut"]["properties"]["report"]
    assert story_out == {"$ref": "#/components/schemas/Report"}
    assert set(spec["components"]["schemas"]["Verdicts"]["required"]) == {
        "fact_sheet", "conflicts", "actor_disputes", "single_source"}


def test_article_page_highlights_reused_passages(env):
    c = env["client"]
    wire = env["arts"][0]
    html = c.get(f"/articles/{wire.id}").text
    assert "hl-reuse" in html and "Reused passages" in html and "truncated with" in html
    data = c.get(f"/articles/{wire.id}?format=json").json()
    assert data["reused_passages"] and [s["story_id"] for s in data["stories"]] == ["s1"]
    assert c.get("/articles/ffffffffffff").status_code == 404


def test_reads_are_open_writes_need_a_token(env):
    c = env["client"]
    assert c.get("/api/v1/articles").json()["total"] == 5
    assert c.get(f"/api/v1/articles/{env['arts'][0].id}").json()["text"] == env["arts"][0].text
    assert c.get("/api/v1/stories/s1").json()["report"]["verdicts"]["conflicts"]
    body = {"articles": [{"text": "A new article. It has two sentences.", "outlet": "Test"}]}
    for headers in ({}, _auth("np_bad_token"), {"Authorization": "Basic abc"}):
        r = c.post("/api/v1/articles", json=body, headers=headers)
        assert r.status_code == 401 and r.json()["error"] == "unauthorized"
    assert c.post("/api/v1/analyses", json={"article_ids": ["x"]}).status_code == 401
    assert c.post("/api/v1/ingest/urls", json={"urls": ["https://example.com"]}).status_code == 401
    r = c.post("/api/v1/articles", json=body, headers=_auth(env["token"]))
    assert r.status_code == 201 and r.json()["new"] == 1


def test_file_upload_ingest_and_analyze(env):
    c = env["client"]
    text = b"Officials said on Monday that talks resumed. More follows."
    files = [("files", ("../../etc/evil name.txt", text))]
    r = c.post("/api/v1/ingest/files", files=files, headers=_auth(env["token"]))
    assert r.status_code == 201 and r.json()["new"] == 1
    new_id = r.json()["article_ids"][0]
    ids = [env["arts"][0].id, new_id]
    body = {"article_ids": ids, "stages": []}
    r = c.post("/api/v1/analyses", json=body, headers=_auth(env["token"]))
    assert r.status_code == 201, r.text
    out = r.json()
    assert {a["id"] for a in c.get(out["report_url"]).json()["report"]["articles"]} & set(ids)
    assert c.get(out["stories"][0]["url"]).status_code == 200
    listed = {s["story_id"]: s for s in c.get("/api/v1/stories", params={"limit": 50}).json()["items"]}
    assert all(listed[s["id"]]["analysed_at"] for s in out["stories"])
    r = c.post("/api/v1/analyses", json={"article_ids": ["nope"]}, headers=_auth(env["token"]))
    assert r.status_code == 404 and "nope" in r.json()["detail"]


def test_url_ingest_refuses_private_addresses(env):
    c = env["client"]
    urls = ["http://127.0.0.1:9/x", "http://169.254.169.254/latest/meta-data", "http://[::1]/"]
    r = c.post("/api/v1/ingest/urls", json={"urls": urls}, headers=_auth(env["token"]))
    assert r.status_code == 201
    out = r.json()
    assert out["new"] == 0 and out["failed"] == 3
    assert all("refused" in e["reason"] for e in out["errors"])
    r = c.post("/api/v1/ingest/urls", json={"urls": ["file:///etc/passwd"]}, headers=_auth(env["token"]))
    assert r.status_code == 400


def test_body_limit_and_clear_errors(env):
    c = env["client"]
    big = {"articles": [{"text": "x" * 300_000}]}
    r = c.post("/api/v1/articles", json=big, headers=_auth(env["token"]))
    assert r.status_code == 413 and r.json()["error"] == "payload_too_large"
    r = c.post("/api/v1/articles", json={"articles": []}, headers=_auth(env["token"]))
    assert r.status_code == 422 and r.json()["error"] == "invalid_request"
    r = c.post("/api/v1/articles", content=b"{not json", headers={**_auth(env["token"]),
                                                                 "content-type": "application/json"})
    assert r.status_code == 422
    assert c.get("/api/v1/articles?limit=0").status_code == 422
    assert c.get("/api/v1/nothing").json()["error"] == "not_found"


def test_tokens_are_hashed_and_revocable(env):
    store = env["store"]
    token, info = create_token(store, "second")
    with store.engine.connect() as conn:
        stored = conn.exec_driver_sql("select token_sha256 from api_tokens").scalars().all()
    assert token not in stored and all(len(h) == 64 for h in stored)
    assert verify_token(store, token).id == info.id
    assert revoke_token(store, info.id) and not revoke_token(store, info.id)
    assert verify_token(store, token) is None
    r = env["client"].post("/api/v1/articles", json={"articles": [{"text": "x y z."}]}, headers=_auth(token))
    assert r.status_code == 401


def test_tokens_cli(env):
    runner = CliRunner()
    db = str(env["db"])
    created = runner.invoke(serve_cmd.app, ["create", "cli-user", "--db", db, "--json"])
    assert created.exit_code == 0, created.output
    listed = runner.invoke(serve_cmd.app, ["list", "--db", db, "--json"])
    assert "cli-user" in listed.stdout and created.stdout.count("np_") == 1
    token_id = next(t.id for t in list_tokens(env["store"]) if t.name == "cli-user")
    assert runner.invoke(serve_cmd.app, ["revoke", token_id, "--db", db]).exit_code == 0
    assert runner.invoke(serve_cmd.app, ["revoke", token_id, "--db", db]).exit_code == 1


def test_claim_group_page_and_claim_highlights(env):
    c = env["client"]
    story = c.get("/stories/s1").text
    assert 'href="/claims/g1"' in story
    html = c.get("/claims/g1").text
    assert "2 claims stating the same fact" in html
    wire = env["arts"][0]
    assert f'href="/articles/{wire.id}#p-{wire.id}-' in html
    data = c.get("/claims/g1?format=json").json()
    assert [m["article_id"] for m in data["group"]["members"]] == [wire.id, env["arts"][2].id]
    assert data["story_id"] == "s1"
    assert c.get("/claims/nope").status_code == 404
    article = c.get(f"/articles/{wire.id}?format=json").json()
    assert article["claims"] and article["claims"][0]["text"] == "The presidents met for about 15 minutes."
    assert "hl-claim" in c.get(f"/articles/{wire.id}").text


def test_serve_command_builds_the_app(monkeypatch, tmp_path):
    import typer
    import uvicorn

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    cli = typer.Typer()
    cli.command("serve")(serve_cmd.serve)
    cli.command("noop")(lambda: None)
    Store.open(tmp_path / "s.db").close()  # serve reads a store; it does not create one
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "s.db"), "--port", "8123",
                                      "--max-body-mb", "1"])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123
    client = TestClient(seen["app"])
    assert client.post("/api/v1/articles", content=b"x" * 2_000_000).status_code == 413


def test_each_story_shows_its_own_stored_findings(tmp_path):
    arts = corpus()
    report = report_dict(arts)
    first, second = [arts[0].id, arts[1].id], [arts[2].id]
    report["stories"]["stories"] = [
        {"id": "a", "label": "Wire story", "article_ids": first, "n_articles": 2},
        {"id": "b", "label": "Post story", "article_ids": second, "n_articles": 1},
    ]
    db = tmp_path / "multi.db"
    with Store.open(db) as store:
        store.add_articles(arts)
        store_report(store, arts, report)
    with TestClient(create_app(db)) as c:
        assert c.get("/api/v1/stories").json()["total"] == 2
        a = c.get("/api/v1/stories/a").json()
        assert [x["id"] for x in a["report"]["articles"]] == first
        assert len(a["report"]["reuse"]["pairs"]) == 1 and a["story"]["n_conflicts"] == 1
        b = c.get("/api/v1/stories/b").json()["report"]
        assert b["reuse"]["pairs"] == [] and [s["id"] for s in b["stories"]["stories"]] == ["b"]
        assert all(set(fact["article_ids"]) & set(second) for fact in b["verdicts"]["fact_sheet"])
        html = c.get("/stories/b").text
        assert html.count('class="doc"') == 1
