"""Real-browser checks (Debian's chromium through Playwright): hostile articles cannot run script,
and the demo story page shows its sections and links highlights to article passages."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

from newsprism.store import Store
from newsprism.web.app import create_app
from newsprism.web.tokens import create_token

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                       "(apt-get install -y chromium); no browser is downloaded"),
]

PAYLOAD = "window.__pwned=1;alert(1)"
HOSTILE_TITLE = f"<script>{PAYLOAD}</script><img src=x onerror=\"{PAYLOAD}\"> Kursk attack"
HOSTILE_BODY = (
    f"Officials said the attack began at dawn. <script>{PAYLOAD}</script>\n\n"
    f"<img src=x onerror=\"{PAYLOAD}\"> Witnesses saw smoke. <svg onload=\"{PAYLOAD}\"></svg>\n\n"
    f"<a href=\"javascript:{PAYLOAD}\">Click for details</a> about the 14,000 troops.\n\n"
    f"\"><iframe src=\"javascript:{PAYLOAD}\"></iframe><body onload=\"{PAYLOAD}\"> The end."
)


class _Server:
    def __init__(self, app):
        import uvicorn

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        base = f"http://127.0.0.1:{self.port}"
        for _ in range(200):
            try:
                if httpx.get(base + "/api/v1/health").status_code == 200:
                    return base
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("test server did not start")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _open(browser, url: str) -> tuple[object, list[str]]:
    page = browser.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # let any onerror/onload handler fire, if one could
    return page, dialogs


def _assert_inert(page, dialogs: list[str]) -> None:
    assert dialogs == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("iframe").count() == 0
    inline = "document.querySelectorAll('[onerror],[onload],a[href^=\"javascript:\"]').length"
    assert page.evaluate(inline) == 0


def test_hostile_article_cannot_run_script(browser, tmp_path):
    db = tmp_path / "xss.db"
    with Store.open(db) as store:
        token, _ = create_token(store, "xss")
    auth = {"Authorization": f"Bearer {token}"}
    with _Server(create_app(db)) as base:
        body = {"articles": [
            {"text": HOSTILE_BODY, "title": HOSTILE_TITLE, "outlet": f"<b onmouseover=\"{PAYLOAD}\">Evil</b>",
             "url": "https://evil.example/a", "byline": f"<script>{PAYLOAD}</script>"},
            {"text": "Officials said the attack began at dawn. Witnesses saw smoke.", "title": "Calm report",
             "outlet": "Calm News", "url": "https://calm.example/b"},
        ]}
        r = httpx.post(base + "/api/v1/articles", json=body, headers=auth)
        assert r.status_code == 201, r.text
        ids = r.json()["article_ids"]
        r = httpx.post(base + "/api/v1/analyses", json={"article_ids": ids, "stages": []}, headers=auth,
                       timeout=120)
        assert r.status_code == 201, r.text
        # The story holding the hostile article, and its report as the API reads it from the store.
        hostile = next(s for s in r.json()["stories"]
                       if ids[0] in httpx.get(base + s["api_url"]).json()["story"]["article_ids"])
        story_url = base + hostile["url"]
        report = httpx.get(base + hostile["api_url"]).json()["report"]
        for url in (story_url, f"{base}/articles/{ids[0]}"):
            page, dialogs = _open(browser, url)
            _assert_inert(page, dialogs)
            # Not vacuous: the payload is on the page, as visible text.
            assert PAYLOAD in page.inner_text("body")
            page.close()
        page, dialogs = _open(browser, base + "/stories")
        _assert_inert(page, dialogs)
        page.close()

    from newsprism.report.html import render_html

    report_file = tmp_path / "report.html"
    report_file.write_text(render_html(report), "utf-8")
    page, dialogs = _open(browser, report_file.as_uri())
    _assert_inert(page, dialogs)
    assert "<script>" + PAYLOAD in page.inner_text("body")
    page.close()


def test_report_script_still_runs_under_its_csp(browser, tmp_path):
    """The CSP admits the report's own script (by hash): following a quote flashes its passage."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from newsprism.report.html import render_html
    from webfixtures import corpus, report_dict

    arts = corpus(hostile=True)
    path = tmp_path / "r.html"
    path.write_text(render_html(report_dict(arts), {a.id: a.text for a in arts}), "utf-8")
    page, dialogs = _open(browser, path.as_uri())
    link = page.locator("#conflicts a.ql").first
    target = link.get_attribute("href")
    link.click()
    assert page.evaluate(f"document.getElementById('{target[1:]}').classList.contains('flash')")
    _assert_inert(page, dialogs)
    page.close()


def _check_section(page, section: str, selector: str, items: list | None) -> None:
    """A section shows one element per item of its layer, says 'none' when the layer is empty, and
    says 'absent' when the layer is missing."""
    box = page.locator(f"section#{section}")
    assert box.count() == 1
    if items is None:
        assert "absent" in box.locator(".absent").first.inner_text()
    else:
        assert box.locator(selector).count() == len(items), f"{section}: {selector}"
        if not items:
            assert box.locator("p.muted").count() >= 1


@pytest.mark.models
def test_demo_story_page_sections_and_passage_links(browser, tmp_path, embedder, nlp):
    from newsprism.analysis import PipelineOptions
    from newsprism.api import AnalyzeOptions, analyze
    from newsprism.demo import corpus_files

    db = tmp_path / "demo.db"
    options = AnalyzeOptions(pipeline=PipelineOptions(backends={"embedder": embedder, "nlp": nlp}))
    with corpus_files() as files:
        report = analyze([str(f) for f in files], db, options)
    with _Server(create_app(db)) as base:
        page, dialogs = _open(browser, base + "/stories")
        page.locator("ul.stories a.title").first.click()
        page.wait_for_load_state("load")
        story = httpx.get(page.url, params={"format": "json"}).json()["report"]  # the story's cut
        verdicts = story.get("verdicts")
        n_articles = page.locator("article.doc").count()
        assert n_articles == len(story["articles"]) >= 2
        _check_section(page, "conflicts", ".conflict", verdicts["conflicts"] if verdicts else None)
        _check_section(page, "facts", "table tbody tr", verdicts["fact_sheet"] if verdicts else None)
        _check_section(page, "sources", "svg .gnode", story["articles"] if story.get("reuse") else None)
        has = {k: isinstance(report.get(k), dict) for k in ("reuse", "verdicts")}
        links = ("section#conflicts a.ql, section#facts a[href^='#p-'], section#summary a.ql, "
                 "section#sources a.ql")
        quote = page.locator(links).first
        if quote.count():
            anchor = quote.get_attribute("href")[1:]
            quote.evaluate("el => { const d = el.closest('details'); if (d) { d.open = true; } }")
            quote.click()
            target = page.locator(f"[id='{anchor}']")
            assert page.evaluate("location.hash") == f"#{anchor}"
            assert target.is_visible()
            assert target.evaluate("el => el.closest('article.doc') !== null")
        else:
            assert not (has["verdicts"] or has["reuse"]), "layers present but no quote links to a passage"
        shot = tmp_path / "demo-story.png"
        page.set_viewport_size({"width": 1200, "height": 900})
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        keep = os.environ.get("NEWSPRISM_SCREENSHOT_DIR")  # to look at it after the run
        if keep:
            shutil.copy(shot, Path(keep) / shot.name)
        _assert_inert(page, dialogs)
        page.close()


def test_swagger_ui_renders_under_its_policy(browser, tmp_path):
    Store.open(tmp_path / "docs.db").close()
    with _Server(create_app(tmp_path / "docs.db")) as base:
        page = browser.new_page()
        refused: list[str] = []
        page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(base + "/docs")
        page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
        assert "newsprism" in page.locator(".swagger-ui .info .title").inner_text()
        page.wait_for_selector(".opblock-summary-path", timeout=15_000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert any(p.replace("\u200b", "") == "/api/v1/stories" for p in paths), paths
        page.close()
    assert refused == []
    assert requests and all(u.startswith(base) for u in requests), requests  # nothing from a CDN
