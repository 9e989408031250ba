"""Response headers that make hostile article text inert, and a request body limit.

Pure ASGI middleware (no ``BaseHTTPMiddleware``) so streaming bodies are counted as they arrive
and a request over the limit is refused with 413 before it is read into memory.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def page_policy(style_hash: str, script_hash: str) -> str:
    return (
        "default-src 'none'; "
        f"style-src {style_hash}; script-src {script_hash}; "
        "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    )


class _TooLarge(HTTPException):
    """Raised from ``receive`` when the body passes the limit. An ``HTTPException``, so that body
    parsing re-raises it as it is (FastAPI turns other errors while reading a body into 400) and the
    app's error handler answers 413."""

    def __init__(self, max_body: int):
        super().__init__(413, _too_large_detail(max_body))


def _too_large_detail(max_body: int) -> str:
    return f"request body over {max_body} bytes"


async def _send_json(
    send: Send, status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]]
) -> None:
    data = json.dumps(body).encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()), *headers]})
    await send({"type": "http.response.body", "body": data})


class SecurityMiddleware:
    """Adds CSP and friends to every response; refuses bodies over ``max_body`` bytes with 413."""

    def __init__(self, app: ASGIApp, csp: str, max_body: int):
        self.app = app
        self.max_body = max_body
        self.headers = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            await _send_json(send, 413, self._too_large(), self.headers)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _TooLarge(self.max_body)
            return message

        async def secured_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [h for h in self.headers if h[0] not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, limited_receive, secured_send)
        except _TooLarge:
            if not started:
                await _send_json(send, 413, self._too_large(), self.headers)

    def _too_large(self) -> dict[str, Any]:
        return {"error": "payload_too_large", "detail": _too_large_detail(self.max_body)}
