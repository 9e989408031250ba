"""HTTP hardening (issue #15): chunked bodies over the limit, filtered totals, upload names and
decompression bombs through the API, and a real server closing connections that trickle headers."""

from __future__ import annotations

import gzip
import io
import json
import os
import socket
import subprocess
import sys
import time
import tracemalloc

import httpx
import pytest
from fastapi.testclient import TestClient

from newsprism.limits import ANALYSIS_MAX_CHARS, analysis_view
from newsprism.store import Store
from newsprism.web.app import WebOptions, create_app
from newsprism.web.tokens import create_token
from webfixtures import HOSTILE_TEXT, article, corpus


@pytest.fixture()
def env(tmp_path):
    db = tmp_path / "web.db"
    store = Store.open(db)
    store.add_articles(corpus())
    token, _ = create_token(store, "tests")
    client = TestClient(create_app(db, WebOptions(max_body_bytes=200_000)))
    yield {"client": client, "store": store, "auth": {"Authorization": f"Bearer {token}"}}
    client.close()
    store.close()


def _chunks(total: int, size: int = 50_000):
    for _ in range(total // size):
        yield b"x" * size


def test_chunked_body_over_the_limit_is_413(env):
    c = env["client"]
    # No content-length: the body arrives chunked and is counted as it comes.
    r = c.post("/api/v1/articles", content=_chunks(400_000),
               headers={**env["auth"], "content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"] == "payload_too_large"
    boundary = "bnd"
    head = (f"--{boundary}\r\ncontent-disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n"
            "content-type: text/plain\r\n\r\n").encode()

    def multipart():
        yield head
        yield from _chunks(400_000)
        yield f"\r\n--{boundary}--\r\n".encode()

    r = c.post("/api/v1/ingest/files", content=multipart(),
               headers={**env["auth"], "content-type": f"multipart/form-data; boundary={boundary}"})
    assert r.status_code == 413 and r.json()["error"] == "payload_too_large"


def test_article_total_applies_the_outlet_filter(env):
    c = env["client"]
    everything = c.get("/api/v1/articles").json()
    assert everything["total"] == 3
    one = c.get("/api/v1/articles", params={"outlet": "New York Post"}).json()
    assert len(one["items"]) == 1 and one["total"] == 1
    assert c.get("/api/v1/articles", params={"outlet": "nobody"}).json()["total"] == 0


def test_cli_article_total_applies_the_outlet_filter(env, tmp_path):
    from typer.testing import CliRunner

    from newsprism.cli.main import app

    db = str(tmp_path / "web.db")
    args = ["articles", "list", "--db", db, "--outlet", "New York Post"]
    listed = CliRunner().invoke(app, [*args, "--json"])
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.stdout)
    assert len(data["articles"]) == 1 and data["total"] == 1  # before the fix: 3
    table = CliRunner().invoke(app, args)
    assert "Articles 1–1 of 1" in table.stdout
    none = CliRunner().invoke(app, ["articles", "list", "--db", db, "--outlet", "x", "--json"])
    assert json.loads(none.stdout) == {"total": 0, "offset": 0, "articles": []}


def test_article_page_shows_the_analysed_part_of_a_huge_article(env):
    filler = "Officials said the bridge would reopen on Monday after repairs. " * 10_000  # ~640k chars
    text = f"{HOSTILE_TEXT}\n{filler}\nTAIL <script>window.__tail=1</script> marker."
    [(_, stored)] = env["store"].add_articles([article(text, "Wire", "https://x.example/huge", 9)]).statuses
    c = env["client"]
    page = c.get(f"/articles/{stored.id}")
    assert page.status_code == 200
    html = page.text
    # Before the fix the page held the whole 640k-character text.
    assert len(html) < ANALYSIS_MAX_CHARS + 20_000, len(html)
    assert "TAIL" not in html and "&lt;script&gt;window.__pwned" in html and "<script>window.__" not in html
    shown = len(analysis_view(stored).text)
    assert f"Showing the first {shown:,} of {len(stored.text):,} characters" in html
    assert f'href="/api/v1/articles/{stored.id}"' in html
    # The whole text stays one request away, as JSON.
    assert c.get(f"/articles/{stored.id}?format=json").json()["article"]["text"] == stored.text
    assert c.get(f"/api/v1/articles/{stored.id}").json()["text"] == stored.text
    assert stored.text.endswith("TAIL <script>window.__tail=1</script> marker.")
    short = c.get(f"/articles/{env['store'].list_articles(limit=1)[0].id}").text
    assert "Showing the first" not in short


def test_uploads_are_stored_under_the_client_name_not_the_server_path(env):
    c = env["client"]
    lines = "\n".join(json.dumps({"text": f"Officials said story {i} happened.", "url": f"https://x.example/{i}"})
                      for i in range(2))
    files = [("files", ("../../etc/Report 1.jsonl", lines.encode(), "application/jsonl")),
             ("files", ("bad.jsonl", b'{"text": "fine."}\n{broken\n', "application/jsonl"))]
    r = c.post("/api/v1/ingest/files", files=files, headers=env["auth"])
    assert r.status_code == 201, r.text
    out = r.json()
    sources = [a["source"] for a in out["articles"]] + [e["source"] for e in out["errors"]]
    assert sources and all(s.split(":")[0] in ("Report1.jsonl", "bad.jsonl") for s in sources), sources
    stored = [env["store"].get_article(a["id"]) for a in out["articles"]]
    assert {a.source_path.split(":")[0] for a in stored} == {"Report1.jsonl", "bad.jsonl"}
    tmp = os.path.realpath(os.environ.get("TMPDIR", "/tmp"))
    assert not any(tmp in s or "newsprism-api" in s for s in sources)


def test_gzip_bomb_upload_is_refused_within_a_byte_cap(env):
    # ~60 KB of gzip that expands to 60 MB of one JSON line (3x the 20 MB cap). The API streams the
    # upload to disk and hands it to the readers, which decompress under their byte caps; nothing
    # expands the whole thing. (This passes with the current per-line cap of the JSONL reader; the
    # ingest hardening branch adds caps on decompressed bytes per input, and it must still pass.)
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9) as gz:
        gz.write(b'{"text": "')
        for _ in range(60):
            gz.write(b"a" * 1_000_000)
        gz.write(b'"}\n')
    bomb = buf.getvalue()
    assert len(bomb) < 100_000
    tracemalloc.start()
    try:
        r = env["client"].post("/api/v1/ingest/files", headers=env["auth"],
                               files=[("files", ("dump.jsonl.gz", bomb, "application/gzip"))])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["new"] == 0 and out["failed"] >= 1
    assert all(e["source"].startswith("dump.jsonl.gz") for e in out["errors"])
    assert peak < 120_000_000, f"peak {peak / 1e6:.0f} MB while refusing a 60 MB bomb"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(port: int, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited: {proc.stderr.read().decode(errors='replace')}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("serve did not start")


def _closed(sock: socket.socket) -> bool:
    try:
        sock.send(b"x")
        data = sock.recv(4096)
    except OSError:
        return True
    return data == b"" or data.startswith(b"HTTP/1.1 408")


def test_serve_closes_connections_that_trickle_headers(tmp_path):
    port = _free_port()
    Store.open(tmp_path / "s.db").close()  # serve reads an existing store
    cmd = [sys.executable, "-m", "newsprism.cli", "serve", "--db", str(tmp_path / "s.db"),
           "--port", str(port), "--header-timeout", "1", "--max-connections", "500"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    socks: list[socket.socket] = []
    try:
        _wait_ready(port, proc)
        for _ in range(150):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
            socks.append(s)
        start = time.monotonic()
        for _ in range(6):  # keep trickling: every byte would reset a keep-alive timer
            time.sleep(0.4)
            for s in socks:
                try:
                    s.sendall(b"X-a: b\r\n")
                except OSError:
                    pass
            r = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=5)
            assert r.status_code == 200
        for s in socks:
            s.settimeout(3)
        assert all(_closed(s) for s in socks)
        assert time.monotonic() - start < 10
        assert httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=5).status_code == 200
    finally:
        for s in socks:
            s.close()
        proc.terminate()
        proc.wait(10)


def test_serve_options_reach_uvicorn(monkeypatch, tmp_path):
    import uvicorn
    from typer.testing import CliRunner

    from newsprism.cli.main import app

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda web, **kw: seen.update(kw))
    db = str(tmp_path / "s.db")
    Store.open(db).close()
    result = CliRunner().invoke(app, ["serve", "--db", db, "--header-timeout", "2.5", "--keep-alive", "7",
                                      "--max-connections", "50", "--max-header-kb", "8"])
    assert result.exit_code == 0, result.output
    assert seen["timeout_keep_alive"] == 7 and seen["limit_concurrency"] == 50
    assert seen["h11_max_incomplete_event_size"] == 8 * 1024 and seen["http"].header_timeout_s == 2.5
    assert CliRunner().invoke(app, ["serve", "--db", db]).exit_code == 0
    assert seen["http"].header_timeout_s == 10.0 and seen["limit_concurrency"] == 500
