"""Running the web app under uvicorn with limits on slow, idle and too many clients.

uvicorn arms its keep-alive timer only after a response, and cancels it on every byte received, so
a client that opens a connection and sends its request headers a byte at a time holds the
connection for ever (3,000 such connections were held open). ``HeaderDeadlineProtocol`` gives each
request's headers one deadline, counted from the connection's start or from the first byte of the
request, that trickling bytes do not extend.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

_TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: 31\r\nconnection: close\r\n\r\nrequest headers took too long.\n"
)


@dataclass(frozen=True, slots=True)
class ServerLimits:
    header_timeout_s: float = 10.0  # for a request's headers, all of them
    # Idle time between requests on one connection. Longer than uvicorn's 5 s default: a busy client
    # reusing a connection the server has just closed sees a reset instead of an answer.
    keep_alive_s: int = 30
    # Connections (and requests in progress) at once; above it uvicorn answers 503. Under the usual
    # limit of 1,024 open files, so the server refuses politely instead of failing to accept.
    max_connections: int = 500
    max_header_bytes: int = 16 * 1024  # h11's own default, stated so it cannot drift


class HeaderDeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request headers are not complete within
    ``header_timeout_s`` (a subclass per value is made by ``protocol_class``)."""

    header_timeout_s: float = ServerLimits.header_timeout_s

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is h11.IDLE:
            # Still reading headers: a next request on a kept-alive connection starts its clock here.
            if self._header_deadline is None:
                self._arm()
        else:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._header_deadline = self.loop.call_later(self.header_timeout_s, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _headers_too_slow(self) -> None:
        self._header_deadline = None
        if not self.transport.is_closing():
            # No request was parsed, so h11 cannot frame a response: the bytes are written as is.
            self.transport.write(_TIMEOUT_RESPONSE)
            self.transport.close()


def protocol_class(header_timeout_s: float) -> type[HeaderDeadlineProtocol]:
    return type("HeaderDeadlineProtocol", (HeaderDeadlineProtocol,), {"header_timeout_s": header_timeout_s})


def run(app: Any, host: str, port: int, limits: ServerLimits | None = None) -> None:
    """Serve ``app`` with uvicorn until interrupted."""
    import uvicorn

    limits = limits or ServerLimits()
    uvicorn.run(
        app, host=host, port=port, log_level="info",
        http=protocol_class(limits.header_timeout_s),
        timeout_keep_alive=limits.keep_alive_s,
        limit_concurrency=limits.max_connections,
        h11_max_incomplete_event_size=limits.max_header_bytes,
    )
