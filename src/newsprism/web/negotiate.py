"""Content negotiation shared by the app's error handlers and its pages (JSON or HTML)."""

from __future__ import annotations

from fastapi import Request


def wants_json(request: Request) -> bool:
    """``?format=json`` or ``?format=html`` decides; else JSON when the client accepts it and not HTML."""
    fmt = request.query_params.get("format")
    if fmt:
        return fmt == "json"
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept
