"""The web app: ``create_app(db_url, options)`` builds a FastAPI app over one store.

Pages (stories, story, article, claim group) answer HTML or JSON (``?format=json`` or an
``Accept: application/json`` header); the HTTP API lives under ``/api/v1`` with its OpenAPI document
at ``/api/v1/openapi.json`` and Swagger UI at ``/docs``. Writes need a bearer token
(``newsprism tokens create``).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from markupsafe import Markup
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsprism.report.html import asset, csp_hash, make_environment
from newsprism.store import Store
from newsprism.web.data import WebData
from newsprism.web.negotiate import wants_json
from newsprism.web.security import SecurityMiddleware, page_policy

TEMPLATES = Path(__file__).with_name("templates")
ERROR_NAMES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 413: "payload_too_large", 415: "unsupported_media_type",
               422: "invalid_request", 429: "too_many_requests"}


@dataclass
class WebOptions:
    max_body_bytes: int = 10 * 1024 * 1024
    page_size: int = 20
    max_page_size: int = 200
    max_urls: int = 20  # URLs fetched per ingest request
    analyze_backends: dict[str, Any] | None = None  # injected model backends (tests)


class Assets:
    """The page's inline style and script and the CSP that admits exactly them."""

    def __init__(self) -> None:
        style = asset("report.css") + (TEMPLATES / "web.css").read_text("utf-8")
        script = asset("report.js")
        self.style, self.script = Markup(style), Markup(script)
        self.csp = page_policy(csp_hash(style), csp_hash(script))


def error_body(status: int, detail: Any) -> dict[str, Any]:
    return {"error": ERROR_NAMES.get(status, "error"), "detail": detail}


def _install_error_handlers(app: FastAPI) -> None:
    env = app.state.env

    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        headers = getattr(exc, "headers", None)
        if request.url.path.startswith("/api/") or wants_json(request):
            return JSONResponse(error_body(exc.status_code, exc.detail), exc.status_code, headers=headers)
        html = env.get_template("error.html.j2").render(
            status=exc.status_code, detail=str(exc.detail), assets=app.state.assets, title="Error")
        return HTMLResponse(html, exc.status_code, headers=headers)

    async def validation_error(request: Request, exc: RequestValidationError) -> Any:
        errors = [{"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg"))} for e in exc.errors()]
        return JSONResponse(error_body(422, errors), 422)

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)


def create_app(db_url: str | os.PathLike[str] | None = None, options: WebOptions | None = None) -> FastAPI:
    """The newsprism web app over the store at ``db_url`` (a path or a database URL)."""
    from newsprism.web.api import router as api_router
    from newsprism.web.docs import router as docs_router
    from newsprism.web.pages import router as pages_router
    from newsprism.web.search_pages import api_router as search_api_router
    from newsprism.web.search_pages import router as search_router

    options = options or WebOptions()
    store = Store.open(db_url)
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        lifespan=lifespan, title="newsprism", version=_version(), docs_url=None, redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        description="What news coverage agrees on, where it disagrees, who copied whom. "
        "Reads are open; writes need `Authorization: Bearer <token>`.",
    )
    app.state.store = store
    app.state.data = WebData(store)
    app.state.options = options
    app.state.env = make_environment(str(TEMPLATES))
    app.state.assets = Assets()
    app.include_router(api_router)
    app.include_router(pages_router)
    app.include_router(docs_router)
    app.include_router(search_router)
    app.include_router(search_api_router)
    _install_error_handlers(app)
    app.add_middleware(SecurityMiddleware, csp=app.state.assets.csp, max_body=options.max_body_bytes)

    return app


def _version() -> str:
    from newsprism import __version__

    return __version__


def app_from_env() -> FastAPI:
    """App factory for ``uvicorn --factory``: the store named by ``NEWSPRISM_DB``."""
    return create_app(os.environ.get("NEWSPRISM_DB"))
