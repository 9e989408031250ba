"""Swagger UI at ``/docs`` for the HTTP API, served from this process: no CDN, no inline script.

The Swagger UI files come from the ``fastapi-offline`` package (which ships them for exactly this);
its own page builder is not used because FastAPI's Swagger page starts the UI from an inline
script, which the app's Content-Security-Policy refuses. Here the page loads the bundle and a
small start script from ``/docs/assets/``, and its policy admits scripts and styles from this
origin only. The page holds no article text: Swagger renders the OpenAPI document, which is ours.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse

OPENAPI_URL = "/api/v1/openapi.json"
DOCS_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_OWN = Path(__file__).with_name("templates")
_MEDIA = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>newsprism HTTP API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="icon" href="/docs/assets/favicon.png">
</head>
<body data-openapi="{OPENAPI_URL}">
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/docs-start.js"></script>
</body>
</html>
"""

router = APIRouter(include_in_schema=False)


def _asset_paths() -> dict[str, Path]:
    try:
        static = Path(str(files("fastapi_offline") / "static"))
    except ModuleNotFoundError:  # declared in pyproject; a broken install gets a clear 404 below
        static = None
    found = {"docs-start.js": _OWN / "docs-start.js"}
    if static is not None:
        found |= {name: static / name for name in ("swagger-ui-bundle.js", "swagger-ui.css", "favicon.png")}
    return found


@router.get("/docs")
def docs_page() -> HTMLResponse:
    if not _asset_paths().get("swagger-ui-bundle.js"):
        raise HTTPException(404, "Swagger UI is not installed (pip install fastapi-offline)")
    return HTMLResponse(PAGE, headers={"Content-Security-Policy": DOCS_POLICY})


@router.get("/docs/assets/{name}")
def docs_asset(name: str) -> FileResponse:
    path = _asset_paths().get(name)  # a fixed list: no path from the request reaches the disk
    if path is None or not path.is_file():
        raise HTTPException(404, f"no asset {name!r}")
    headers = {"Content-Security-Policy": DOCS_POLICY, "Cache-Control": "public, max-age=86400"}
    return FileResponse(path, media_type=_MEDIA[path.suffix], headers=headers)
