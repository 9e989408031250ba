"""``newsprism watch``: conditional polling of URLs, folder scans, URL lists, backoff, stopping."""

from __future__ import annotations

import http.server
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsprism.api import IngestOptions
from newsprism.cli.main import app
from newsprism.ingest.base import ReadOptions
from newsprism.store import Store
from newsprism.watch import Watcher, WatchOptions

TEXT = (
    "Council passes budget\n\nThe council approved the budget on Monday after a long debate in the chamber.\n"
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _options(interval: float = 60.0, max_backoff: float = 600.0) -> WatchOptions:
    read = ReadOptions(allow_private=True, timeout_s=5.0)
    return WatchOptions(interval_s=interval, max_backoff_s=max_backoff, ingest=IngestOptions(read=read))


def _stored(db: Path) -> int:
    with Store.open(db) as store:
        return store.count_articles()


@pytest.fixture
def server():
    """A loopback server for one text page that honours If-None-Match; records what it was sent."""
    seen: list[dict[str, str]] = []
    body = TEXT.encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            seen.append(dict(self.headers))
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("ETag", '"v1"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/story", seen
    httpd.shutdown()
    httpd.server_close()


def test_an_unchanged_page_costs_one_304_and_stores_nothing(server, tmp_path: Path) -> None:
    url, seen = server
    db = tmp_path / "w.db"
    stored = []
    watcher = Watcher([url], db, _options(), on_stored=stored.append, clock=Clock())
    first = watcher.poll(watcher.states[0])
    assert first.error is None and first.report is not None and first.report.new == 1
    second = watcher.poll(watcher.states[0])
    assert second.not_modified and second.report is None
    assert seen[-1].get("If-None-Match") == '"v1"'
    assert len(stored) == 1 and _stored(db) == 1


def test_a_folder_gives_only_its_new_or_changed_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    db = tmp_path / "w.db"
    watcher = Watcher([str(folder)], db, _options(), clock=Clock())
    state = watcher.states[0]
    assert watcher.poll(state).report.new == 1
    assert watcher.poll(state).not_modified
    (folder / "b.txt").write_text(TEXT.replace("Monday", "Tuesday"), encoding="utf-8")
    third = watcher.poll(state).report
    assert (third.new, third.duplicate) == (1, 0)  # a.txt was not read again
    assert _stored(db) == 2


def test_a_url_list_reads_each_listed_url_once(server, tmp_path: Path) -> None:
    url, seen = server
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# the desk's list\n{url}\n\n", encoding="utf-8")
    watcher = Watcher([str(listing)], tmp_path / "w.db", _options(), clock=Clock())
    assert watcher.states[0].kind == "list"
    assert watcher.poll(watcher.states[0]).report.new == 1
    assert watcher.poll(watcher.states[0]).not_modified
    assert len(seen) == 1


def test_a_failing_source_backs_off_and_recovers(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: connections are refused
    clock = Clock()
    watcher = Watcher([f"http://127.0.0.1:{port}/feed"], tmp_path / "w.db", _options(60, 200), clock=clock)
    state = watcher.states[0]
    waits = []
    for _ in range(3):
        result = watcher.poll(state)
        assert result.error and str(port) in result.error
        waits.append(state.due - clock.now)
    assert waits == [120.0, 200.0, 200.0]  # doubled, then capped
    assert watcher.due() == []


def test_run_stops_when_asked_and_the_cli_exits_cleanly(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    watcher = Watcher([str(folder)], tmp_path / "w.db", _options())
    watcher.stop.set()
    assert watcher.run() == 0
    runner = CliRunner()
    db = tmp_path / "cli.db"
    ok = runner.invoke(app, ["watch", str(folder), "--db", str(db), "--interval", "0", "--polls", "2"])
    assert ok.exit_code == 0, ok.output
    assert _stored(db) == 1
    bad = runner.invoke(app, ["watch", str(tmp_path / "missing"), "--db", str(db)])
    assert bad.exit_code == 2 and "not a URL, a folder or a file of URLs" in bad.output


def test_ctrl_c_stops_the_watch_cleanly(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    cmd = [sys.executable, "-m", "newsprism.cli", "watch", str(folder), "--db", str(tmp_path / "w.db")]
    proc = subprocess.Popen([*cmd, "--interval", "600"], stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()  # the first poll's line: it is now waiting for the next
        assert "1 new" in line, line
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
    assert _stored(tmp_path / "w.db") == 1


@pytest.mark.models
def test_watch_analyze_stores_the_findings_of_the_stories_new_articles_joined(
    tmp_path: Path, kursk_dir
) -> None:
    db = tmp_path / "w.db"
    result = CliRunner().invoke(
        app, ["watch", str(kursk_dir), "--db", str(db), "--interval", "0", "--polls", "1", "--analyze"]
    )
    assert result.exit_code == 0, result.output
    assert "re-analysed 1 story" in result.output
    from newsprism.findings.report import stored_report
    from newsprism.stories.queries import list_stories

    with Store.open(db) as store:
        summaries, _ = list_stories(store, limit=10)
        report = stored_report(store, [s["id"] for s in summaries])
    troop = [c for c in report["verdicts"]["conflicts"] if c.get("slot") == "troop"]
    assert len(troop) == 1  # the reference case's troop count, stored by the watch
