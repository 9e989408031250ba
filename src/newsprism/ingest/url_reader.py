"""Fetching article URLs (httpx) without becoming a way into the user's network.

Every hop of a redirect chain is checked the same way: the host is resolved, and every address
it resolves to must be public (no loopback, private, link-local, multicast, reserved or
unspecified address, IPv4-mapped IPv6 included) unless ``allow_private``. The connection then
goes to the checked address itself (TLS still verifies the host name via SNI), so a second DNS
answer cannot swap in an internal address between check and connect.

``read_page`` reads a fetched HTML or text page; ``web_reader`` reads any URL (pages and feeds).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from newsprism.ingest.base import ReaderError, ReadOptions, ReadResult
from newsprism.ingest.compressed import inflate_capped
from newsprism.ingest.decode import decode_bytes
from newsprism.ingest.html_reader import declared_charset, html_to_raw
from newsprism.ingest.text_reader import raw_from_text

Resolver = Callable[[str, int], list[str]]
ALLOWED_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "application/xml",
    "text/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
)
# Content read as an article page; the rest of ``ALLOWED_TYPES`` is read as a feed.
PAGE_TYPES = ("text/plain", "text/html", "application/xhtml+xml")
_REDIRECTS = {301, 302, 303, 307, 308}


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def address_problem(ip_text: str) -> str | None:
    """Why connecting to this address is refused, or ``None`` when it is a public address."""
    ip = ipaddress.ip_address(ip_text.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for attr, label in (
        ("is_unspecified", "unspecified"),
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_multicast", "multicast"),
        ("is_private", "private"),
        ("is_reserved", "reserved"),
    ):
        if getattr(ip, attr):
            return label
    return None if ip.is_global else "not globally routable"


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said identifies the version it sent (``ETag``, ``Last-Modified``): sent back on
    the next request, they let it answer 304 Not Modified instead of the whole page again."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


@dataclass(slots=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    charset: str | None
    body: bytes
    validators: Validators = Validators()
    not_modified: bool = False  # 304 to a conditional request: ``body`` is empty


def _target(url: str, options: ReadOptions) -> tuple[str, str, int]:
    """``(host, checked_ip, port)`` for one hop; raises ``ReaderError`` for refused targets."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise ReaderError(url, f"invalid URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not host:
        raise ReaderError(url, f"refused URL: only http(s) URLs with a host are fetched ({url[:100]})")
    port = port or (443 if parts.scheme == "https" else 80)
    resolver = options.resolver or system_resolver
    try:
        ips = [str(ipaddress.ip_address(host))] if _is_ip(host) else resolver(host, port)
    except (OSError, UnicodeError) as exc:
        raise ReaderError(url, f"cannot resolve host {host}: {exc}") from None
    if not ips:
        raise ReaderError(url, f"cannot resolve host {host}")
    if not options.allow_private:
        for ip in ips:
            problem = address_problem(ip)
            if problem:
                raise ReaderError(url, f"refused address: {host} resolves to {ip} ({problem})")
    return host, ips[0], port


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _pinned(url: str, ip: str, port: int) -> str:
    parts = urlsplit(url)
    host = f"[{ip}]" if ":" in ip else ip
    return urlunsplit((parts.scheme, f"{host}:{port}", parts.path or "/", parts.query, ""))


class _Deadline:
    """One wall-clock limit over a whole fetch (every hop, headers and body).

    httpx's timeouts bound each network operation, so a server that trickles a byte now and then
    keeps a fetch alive far past any of them. A timer shuts the connection's socket down when the
    time is up, which ends a read that is blocked at that moment; the socket is learnt from
    httpcore's trace events as each connection is made.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.expired = False
        self._sock: socket.socket | None = None
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def left(self) -> float:
        return max(0.001, self.at - time.monotonic())

    def trace(self, event: str, info: dict) -> None:
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            stream = info.get("return_value")
            self._sock = stream.get_extra_info("socket") if stream is not None else None
            if self.expired:
                self._shutdown()

    def check(self, url: str) -> None:
        if self.expired or time.monotonic() > self.at:
            raise ReaderError(url, f"timeout: not received within {self.seconds:g}s")

    def _expire(self) -> None:
        self.expired = True
        self._shutdown()

    def _shutdown(self) -> None:
        sock = self._sock
        if sock is not None:
            try:  # the plain socket call: an SSLSocket's own shutdown would tear down its TLS state
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass


def _raw_chunks(
    response: httpx.Response, url: str, options: ReadOptions, deadline: _Deadline
) -> Iterator[bytes]:
    size = 0
    for chunk in response.iter_raw():
        deadline.check(url)
        size += len(chunk)
        if size > options.max_bytes:
            raise ReaderError(url, f"over the size cap (more than {options.max_bytes} bytes)")
        yield chunk


def _read_body(response: httpx.Response, url: str, options: ReadOptions, deadline: _Deadline) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > options.max_bytes:
        raise ReaderError(url, f"over the size cap ({declared} bytes > {options.max_bytes})")
    # Decoded here rather than by httpx, whose decoder inflates each network chunk without an
    # output cap: a small gzip bomb would expand a thousandfold in one step.
    encoding = response.headers.get("content-encoding", "identity").strip().lower() or "identity"
    chunks = _raw_chunks(response, url, options, deadline)
    if encoding in ("gzip", "x-gzip", "deflate"):
        return inflate_capped(chunks, encoding, options.max_bytes, url)
    if encoding != "identity":
        raise ReaderError(url, f"unsupported content encoding {encoding!r}")
    return b"".join(chunks)


def _content_type(response: httpx.Response, url: str) -> tuple[str, str | None]:
    header = response.headers.get("content-type", "")
    mime = header.split(";", 1)[0].strip().lower()
    if mime not in ALLOWED_TYPES:
        raise ReaderError(url, f"unsupported content type {mime or '(none)'}: not HTML, XML or text")
    charset = None
    for part in header.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset":
            charset = value.strip("\"' ") or None
    return mime, charset


def _hop(
    client: httpx.Client, url: str, options: ReadOptions, deadline: _Deadline, validators: Validators
) -> Fetched | str:
    """One request: the page, or the next URL when the answer is a redirect."""
    host, ip, port = _target(url, options)
    default_port = 443 if url.lower().startswith("https") else 80
    headers = {
        "Host": host if port == default_port else f"{host}:{port}",
        "User-Agent": options.user_agent,
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8",
        "Accept-Encoding": "gzip, deflate",  # the encodings _read_body inflates within its cap
        **validators.headers(),
    }
    extensions: dict = {"trace": deadline.trace}
    if url.lower().startswith("https"):
        extensions["sni_hostname"] = host
    timeout = httpx.Timeout(min(options.timeout_s, deadline.left()))
    with client.stream(
        "GET", _pinned(url, ip, port), headers=headers, extensions=extensions, timeout=timeout
    ) as response:
        if response.status_code in _REDIRECTS and "location" in response.headers:
            return urljoin(url, response.headers["location"])
        if response.status_code == 304 and validators.headers():
            return Fetched(url, "", None, b"", validators, not_modified=True)
        if response.status_code >= 400 or response.status_code < 200:
            raise ReaderError(url, f"HTTP status {response.status_code}")
        mime, charset = _content_type(response, url)
        body = _read_body(response, url, options, deadline)
        sent = Validators(response.headers.get("etag"), response.headers.get("last-modified"))
    return Fetched(url=url, content_type=mime, charset=charset, body=body, validators=sent)


def fetch(
    url: str, options: ReadOptions, *, source: str | None = None, validators: Validators | None = None
) -> Fetched:
    """GET ``url`` with every guard; raises ``ReaderError`` naming ``source`` (default: the URL).

    ``options.timeout_s`` bounds the whole fetch, redirects and body included. With ``validators``
    the request is conditional, and an unchanged page comes back as ``not_modified``.
    """
    validators = validators or Validators()
    source = source or url
    current = url
    with _Deadline(options.timeout_s) as deadline:
        try:
            with httpx.Client(follow_redirects=False, trust_env=False) as client:
                for _ in range(options.max_redirects + 1):
                    result = _hop(client, current, options, deadline, validators)
                    if isinstance(result, Fetched):
                        return result
                    current = result
        except ReaderError as exc:
            where = "" if current == url else f" (after a redirect to {current})"
            raise ReaderError(source, exc.reason + where) from None
        except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
            if deadline.expired or isinstance(exc, httpx.TimeoutException):
                raise ReaderError(
                    source, f"timeout after {options.timeout_s:g}s fetching {current}"
                ) from None
            raise ReaderError(
                source, f"network error fetching {current}: {type(exc).__name__}: {exc}"[:300]
            ) from None
    raise ReaderError(source, f"too many redirects (more than {options.max_redirects})")


def read_page(url: str, page: Fetched) -> ReadResult:
    """The article of a fetched HTML or plain-text page (``PAGE_TYPES``), or why it has none."""
    try:
        declared = page.charset or declared_charset(page.body)
        if page.content_type == "text/plain":
            raw = raw_from_text(decode_bytes(page.body, url, declared=declared), url)
            raw.url = raw.url or page.url
            return raw
        return html_to_raw(decode_bytes(page.body, url, declared=declared), url, url=page.url)
    except ReaderError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - a reader must turn every failure into a ReaderError
        return unreadable(url, exc)


def unreadable(url: str, exc: Exception) -> ReaderError:
    return ReaderError(url, f"unreadable URL: {type(exc).__name__}: {exc}"[:300])
