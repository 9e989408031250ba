"""Fetching article URLs (httpx) without becoming a way into the user's network.

Every hop of a redirect chain is checked the same way: the host is resolved, and every address
it resolves to must be public (no loopback, private, link-local, multicast, reserved or
unspecified address, IPv4-mapped IPv6 included) unless ``allow_private``. The connection then
goes to the checked address itself (TLS still verifies the host name via SNI), so a second DNS
answer cannot swap in an internal address between check and connect.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from newsprism.ingest.base import ReaderError, ReadOptions, ReadResult

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


@dataclass(slots=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    charset: str | None
    body: bytes


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


def _read_body(response: httpx.Response, url: str, options: ReadOptions, deadline: float) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > options.max_bytes:
        raise ReaderError(url, f"over the size cap ({declared} bytes > {options.max_bytes})")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > options.max_bytes:
            raise ReaderError(url, f"over the size cap (more than {options.max_bytes} bytes)")
        if time.monotonic() > deadline:
            raise ReaderError(url, f"timeout: body not received within {options.timeout_s:g}s")
        chunks.append(chunk)
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


def _hop(client: httpx.Client, url: str, options: ReadOptions, deadline: float) -> Fetched | str:
    """One request: the page, or the next URL when the answer is a redirect."""
    host, ip, port = _target(url, options)
    default_port = 443 if url.lower().startswith("https") else 80
    headers = {
        "Host": host if port == default_port else f"{host}:{port}",
        "User-Agent": options.user_agent,
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8",
    }
    extensions = {"sni_hostname": host} if url.lower().startswith("https") else {}
    with client.stream("GET", _pinned(url, ip, port), headers=headers, extensions=extensions) as response:
        if response.status_code in _REDIRECTS and "location" in response.headers:
            return urljoin(url, response.headers["location"])
        if response.status_code >= 400 or response.status_code < 200:
            raise ReaderError(url, f"HTTP status {response.status_code}")
        mime, charset = _content_type(response, url)
        body = _read_body(response, url, options, deadline)
    return Fetched(url=url, content_type=mime, charset=charset, body=body)


def fetch(url: str, options: ReadOptions, *, source: str | None = None) -> Fetched:
    """GET ``url`` with every guard; raises ``ReaderError`` naming ``source`` (default: the URL)."""
    source = source or url
    deadline = time.monotonic() + options.timeout_s * 3
    timeout = httpx.Timeout(options.timeout_s)
    current = url
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
            for _ in range(options.max_redirects + 1):
                result = _hop(client, current, options, deadline)
                if isinstance(result, Fetched):
                    return result
                current = result
    except ReaderError as exc:
        where = "" if current == url else f" (after a redirect to {current})"
        raise ReaderError(source, exc.reason + where) from None
    except httpx.TimeoutException:
        raise ReaderError(source, f"timeout after {options.timeout_s:g}s fetching {current}") from None
    except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
        raise ReaderError(
            source, f"network error fetching {current}: {type(exc).__name__}: {exc}"[:300]
        ) from None
    raise ReaderError(source, f"too many redirects (more than {options.max_redirects})")


def read_url(url: str, options: ReadOptions) -> Iterator[ReadResult]:
    """Fetch a URL and read it as the page, feed or text it turns out to be."""
    # Imported here: the feed reader fetches linked pages through this module.
    from newsprism.ingest.decode import decode_bytes
    from newsprism.ingest.feed_reader import parse_feed
    from newsprism.ingest.html_reader import declared_charset, html_to_raw
    from newsprism.ingest.text_reader import raw_from_text

    try:
        page = fetch(url, options)
        declared = page.charset or declared_charset(page.body)
        if page.content_type == "text/plain":
            raw = raw_from_text(decode_bytes(page.body, url, declared=declared), url)
            raw.url = raw.url or page.url
            yield raw
        elif page.content_type in ("text/html", "application/xhtml+xml"):
            yield html_to_raw(decode_bytes(page.body, url, declared=declared), url, url=page.url)
        else:
            yield from parse_feed(url, page.body, options)
    except ReaderError as exc:
        yield exc
    except Exception as exc:  # noqa: BLE001 - a reader must turn every failure into a ReaderError
        yield ReaderError(url, f"unreadable URL: {type(exc).__name__}: {exc}"[:300])
