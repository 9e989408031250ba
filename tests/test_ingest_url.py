"""The URL reader against a local HTTP server on 127.0.0.1, and its address checks.

Nothing here sends traffic beyond loopback: refused addresses are refused before any connection,
and host names are resolved by an injected resolver.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsprism.ingest import ReaderError, ReadOptions, iter_inputs, url_reader
from newsprism.model import Article

PAGE = (Path(__file__).parent / "data" / "ingest" / "article.html").read_bytes()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep pytest output clean
        pass

    def _send(self, status: int, ctype: str, body: bytes, *, length: bool = True, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if length:
            self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        routes = {
            "/article": lambda: self._send(200, "text/html; charset=utf-8", PAGE),
            "/plain": lambda: self._send(200, "text/plain", b"Title: Plain\n\nOSLO - A plain text story."),
            "/redirect": lambda: self._send(302, "text/html", b"", Location="/article"),
            "/loop": lambda: self._send(302, "text/html", b"", Location="/loop"),
            "/to-intranet": lambda: self._send(302, "text/html", b"", Location="http://intranet.test/secret"),
            "/image": lambda: self._send(200, "image/png", b"\x89PNG\r\n\x1a\n"),
            "/missing": lambda: self._send(404, "text/html", b"not here"),
            "/big-declared": lambda: self._send(200, "text/html", b"<p>x</p>" * 4000),
            "/big-streamed": lambda: self._send(200, "text/html", b"<p>x</p>" * 4000, length=False),
            "/host": lambda: self._send(200, "text/plain", f"Host was {self.headers['Host']}.".encode()),
            "/feed.xml": lambda: self._send(200, "application/rss+xml", self.server.feed),  # type: ignore[attr-defined]
            "/feeds.xml": lambda: self._send(200, "application/rss+xml", self.server.feeds),  # type: ignore[attr-defined]
        }
        if self.path == "/slow":
            time.sleep(2)
        routes.get(self.path, routes["/missing"])()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    port = httpd.server_address[1]
    httpd.feed = (  # type: ignore[attr-defined]
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Local Feed</title>'
        f"<item><title>Floods</title><link>http://news.test:{port}/article</link>"
        "<description>Short teaser.</description></item>"
        f"<item><title>Gone</title><link>http://news.test:{port}/missing</link>"
        "<description>Teaser of a page that is gone.</description></item></channel></rss>"
    ).encode()
    httpd.feeds = (  # type: ignore[attr-defined]
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Feed of feeds</title>'
        f"<item><title>More</title><link>http://news.test:{port}/feed.xml</link>"
        "<description>Another feed's teaser.</description></item></channel></rss>"
    ).encode()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()
    httpd.server_close()


def loopback_resolver(host: str, port: int) -> list[str]:
    table = {"news.test": ["127.0.0.1"], "intranet.test": ["10.1.2.3"]}
    if host not in table:
        raise OSError(f"unknown host {host}")
    return table[host]


def read(url: str, **options) -> tuple[list[Article], list[ReaderError]]:
    opts = ReadOptions(allow_private=True, resolver=loopback_resolver, timeout_s=5, **options)
    results = list(iter_inputs([url], opts))
    return [r for r in results if isinstance(r, Article)], [r for r in results if isinstance(r, ReaderError)]


def test_fetch_html_article(server: str) -> None:
    (a,), errors = read(f"{server}/article")
    assert errors == []
    assert a.url == f"{server}/article" and a.title.startswith("Floods force thousands")
    assert a.canonical_url.startswith("https://www.adriaticherald.example/")
    assert "cookies" not in a.text and a.dateline == "BOLOGNA, Italy"


def test_fetch_text_and_host_header_kept(server: str) -> None:
    (a,), _ = read(f"{server}/plain")
    assert a.title == "Plain" and a.text == "OSLO - A plain text story."
    port = server.rsplit(":", 1)[1]
    (b,), _ = read(f"http://news.test:{port}/host")  # connects to the checked IP, keeps the name
    assert b.text == f"Host was news.test:{port}."


def test_redirect_followed_and_capped(server: str) -> None:
    (a,), _ = read(f"{server}/redirect")
    assert a.url == f"{server}/article"
    _, (error,) = read(f"{server}/loop", max_redirects=3)
    assert error.source == f"{server}/loop" and error.reason == "too many redirects (more than 3)"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing", "HTTP status 404"),
        ("/image", "unsupported content type image/png: not HTML, XML or text"),
        ("/big-declared", "over the size cap (32000 bytes > 10000)"),
        ("/big-streamed", "over the size cap (more than 10000 bytes)"),
    ],
)
def test_refused_responses(server: str, path: str, reason: str) -> None:
    _, (error,) = read(f"{server}{path}", max_bytes=10_000)
    assert error.source == f"{server}{path}" and error.reason == reason


def test_timeout(server: str) -> None:
    opts = ReadOptions(allow_private=True, timeout_s=0.3)
    (error,) = list(iter_inputs([f"{server}/slow"], opts))
    assert isinstance(error, ReaderError) and error.reason.startswith("timeout")


def test_unresolvable_host() -> None:
    _, (error,) = read("http://nowhere.test/x")
    assert error.reason.startswith("cannot resolve host nowhere.test")


@pytest.mark.parametrize(
    "ip",
    [
        "127.0.0.1",
        "10.0.0.5",
        "172.16.3.4",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "100.64.0.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
    ],
)
def test_private_addresses_refused(ip: str) -> None:
    opts = ReadOptions(resolver=lambda host, port: ["93.184.216.34", ip])
    (error,) = list(iter_inputs(["http://news.example.com/story"], opts))
    assert isinstance(error, ReaderError)
    assert error.reason.startswith(f"refused address: news.example.com resolves to {ip} (")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x",
        "http://[::1]:9/x",
        "http://10.0.0.1/x",
        "http://169.254.169.254/latest/meta-data",
    ],
)
def test_ip_literals_refused_without_allow_private(url: str) -> None:
    (error,) = list(iter_inputs([url], ReadOptions()))
    assert isinstance(error, ReaderError) and error.reason.startswith("refused address:")


def test_every_redirect_hop_rechecked(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Treat the test server's loopback address as public so only the redirect target is private.
    real = url_reader.address_problem
    monkeypatch.setattr(url_reader, "address_problem", lambda ip: None if ip == "127.0.0.1" else real(ip))
    opts = ReadOptions(resolver=loopback_resolver, timeout_s=5)
    (error,) = list(iter_inputs([f"{server}/to-intranet"], opts))
    assert isinstance(error, ReaderError) and error.source == f"{server}/to-intranet"
    assert error.reason == (
        "refused address: intranet.test resolves to 10.1.2.3 (private) "
        "(after a redirect to http://intranet.test/secret)"
    )


def test_non_http_scheme_refused() -> None:
    from newsprism.ingest.url_reader import fetch

    with pytest.raises(ReaderError, match="only http"):
        fetch("file:///etc/passwd", ReadOptions())


def test_feed_fetch_links(server: str) -> None:
    articles, errors = read(f"{server}/feed.xml", fetch_links=True)
    port = server.rsplit(":", 1)[1]
    page, teaser = articles
    assert page.title == "Floods" and page.source_format == "feed" and page.outlet == "Local Feed"
    assert page.text.startswith("BOLOGNA, Italy — Torrential rain")  # the page replaced the teaser
    assert teaser.text == "Teaser of a page that is gone."  # kept when the page fetch fails
    assert [(e.source, e.reason) for e in errors] == [(f"http://news.test:{port}/missing", "HTTP status 404")]


def test_feed_link_to_a_feed_is_not_followed(server: str) -> None:
    """An entry's link is read as its article page only: a linked feed is reported, not read (its
    entries are not this entry's article, and a feed linking to itself would never end)."""
    (teaser,), (error,) = read(f"{server}/feeds.xml", fetch_links=True)
    assert teaser.text == "Another feed's teaser."
    assert error.source.endswith("/feed.xml") and "not an article page (application/rss+xml)" in error.reason
