"""The article page marks what matters: passages others reused and the claims verdicts rest on,
not every sentence (single-source claims and claims without a verdict are listed, not marked)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from newsprism.api import analyze
from newsprism.demo import corpus_files
from newsprism.report.types import parse_report
from newsprism.store import Store
from newsprism.web.app import create_app
from newsprism.web.pages import verdict_claim_ids

pytestmark = pytest.mark.models


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    db = tmp_path_factory.mktemp("hl") / "demo.db"
    with corpus_files() as files:
        report = analyze(files, db)
    with TestClient(create_app(db)) as client, Store.open(db) as store:
        yield client, report, store.list_articles(limit=20)


def _body(html: str) -> str:
    return html[html.index('<div class="body">'):html.index("</article>")]


def _marked_share(body: str, text: str) -> float:
    marked = re.findall(r"<mark[^>]*>(.*?)</mark>", body, re.S)
    return sum(len(re.sub("<[^>]+>", "", m)) for m in marked) / len(text)


def test_an_independent_report_is_not_underlined_throughout(demo_app) -> None:
    client, _, arts = demo_app
    [observer] = [a for a in arts if a.outlet == "Riverside Observer"]
    share = _marked_share(_body(client.get(f"/articles/{observer.id}").text), observer.text)
    assert share < 0.5, share  # every claim was marked before: 98% of its text


def test_only_reuse_and_verdict_claims_are_marked(demo_app) -> None:
    client, report, arts = demo_app
    cited = verdict_claim_ids(parse_report(report))
    assert cited
    for a in arts:
        html = client.get(f"/articles/{a.id}").text
        kinds = {k for css in re.findall(r'<mark class="([^"]+)"', _body(html)) for k in css.split()}
        assert kinds <= {"hl-reuse", "hl-fact", "hl-conflict", "hl-dispute", "hl-value", "hl-claim"}, kinds
        for css in re.findall(r'<mark class="([^"]+)"', _body(html)):
            assert css != "hl-claim", css  # a marked claim is always one a verdict cites
        data = client.get(f"/articles/{a.id}?format=json").json()
        listed = [c for c in data["claims"] if c["in_verdict"]]
        assert {c["id"] for c in listed} <= cited
        assert len(data["claims"]) == len(report["claims"]["articles"].get(a.id, [])) or not data["claims"]
        ids = set(re.findall(r'id="([^"]+)"', html))
        for anchor in re.findall(r'<li><a href="#([^"]+)">', html[html.index('id="claims"'):]):
            assert anchor in ids, anchor  # every claim linked in the list is marked in the text
