"""Swagger UI at /docs, from local files, under a policy without 'unsafe-inline' or any CDN."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsprism.store import Store
from newsprism.web.app import create_app


@pytest.fixture()
def client(tmp_path):
    Store.open(tmp_path / "d.db").close()
    with TestClient(create_app(tmp_path / "d.db")) as c:
        yield c


def test_the_readme_names_the_openapi_document_that_exists(client) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text("utf-8")
    named = set(re.findall(r"`(/[\w/.]*openapi\.json)`", readme))
    assert named == {"/api/v1/openapi.json"}
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "newsprism"
    assert "`/docs`" in readme


def test_docs_page_loads_local_assets_under_a_strict_policy(client) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and 'id="swagger-ui"' in page.text
    csp = page.headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "<script>" not in page.text  # no inline script: only src= from this origin
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/docs/assets/") for s in sources)
    for src in sources:
        asset = client.get(src)
        assert asset.status_code == 200 and len(asset.content) > 100, src
    assert "SwaggerUIBundle" in client.get("/docs/assets/swagger-ui-bundle.js").text
    assert client.get("/docs/assets/..%2F..%2Fapp.py").status_code == 404
    assert client.get("/docs/assets/redoc.standalone.js").status_code == 404
