"""Outlets and display names: from URLs (public-suffix aware, offline), credits, header blocks, the
user; and one display name per article, the same on every surface."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newsprism.analysis import PipelineOptions
from newsprism.api import AnalyzeOptions, analyze
from newsprism.cli.main import app
from newsprism.ingest import iter_inputs
from newsprism.ingest.base import ReadOptions
from newsprism.ingest.meta import _suffixes, infer_metadata, outlet_from_domain, registered_domain
from newsprism.model import display_name
from newsprism.report.html import render_html
from newsprism.report.markdown import render_markdown
from newsprism.store import Store
from newsprism.web.app import create_app

runner = CliRunner()


def outlet_of(text: str, **known: object) -> tuple[object, str] | None:
    found = infer_metadata(text, dict(known)).fields.get("outlet")
    return (found[0], found[1].value) if found else None


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch):
    def refuse(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    _suffixes.cache_clear()  # a fresh extractor, built while the network is refused
    yield
    _suffixes.cache_clear()


@pytest.mark.parametrize(
    ("url", "domain", "outlet"),
    [
        ("https://www.huffingtonpost.co.uk/entry/x", "huffingtonpost.co.uk", "HuffPost"),
        ("https://abcnews.go.com/Politics/story?id=1", "go.com", "ABC News"),
        ("https://news.bbc.co.uk/2/hi/x.stm", "bbc.co.uk", "BBC"),
        ("https://www.theage.com.au/national/x", "theage.com.au", "theage.com.au"),
        ("https://kyiv-independent.com/x", "kyiv-independent.com", "kyiv-independent.com"),
        ("https://someone.blogspot.com/2025/x", "someone.blogspot.com", "someone.blogspot.com"),
        ("https://gov.uk/x", None, None),  # a public suffix alone names no outlet
        ("http://127.0.0.1:8000/x", None, None),
        ("https://news.pacificwire.example/x", "pacificwire.example", "pacificwire.example"),
    ],
)
def test_outlet_from_url_is_public_suffix_aware_and_offline(no_network, url, domain, outlet) -> None:
    fields = infer_metadata("Text.", {"url": url}).fields
    assert registered_domain(url) == domain
    assert (fields["outlet"][0] if "outlet" in fields else None) == outlet
    # Never a title-cased fragment of the domain.
    assert outlet not in {"Uk", "Go", "Huffingtonpost", "Theage", "Com"}


def test_unknown_domain_names_itself() -> None:
    assert outlet_from_domain("example-news.com") == "example-news.com"


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("WASHINGTON (AP) — The Senate voted.\n\nMore text.", ("Associated Press", "inferred:credit")),
        ("LONDON, June 3 (Reuters) - Britain said.\n\nMore.", ("Reuters", "inferred:credit")),
        ("A story.\n\nThe end, officials said.\n\nvia AP", ("Associated Press", "inferred:credit")),
        ("A story that ends here. — via Reuters", ("Reuters", "inferred:credit")),
        ("Reuters\n\nKYIV - Troops left the town.", ("Reuters", "inferred:header")),
        ("By Jane Doe, Associated Press\n\nThe Senate voted.", ("Associated Press", "inferred:header")),
        ("Senate votes\n\nSource: The Guardian\n\nThe Senate voted.", ("The Guardian", "inferred:header")),
    ],
)
def test_outlet_from_credits_and_header_block(text: str, outlet: tuple[str, str]) -> None:
    assert outlet_of(text) == outlet


def test_header_line_is_not_taken_for_a_title() -> None:
    fields = infer_metadata("Reuters\n\nKYIV - Troops left the town.", {}).fields
    assert "title" not in fields


def test_photo_credit_via_ap_does_not_set_outlet() -> None:
    text = "Putin at the meeting (Alexander Kazakov, Sputnik, Kremlin Pool Photo via AP)\n\nThe story."
    assert outlet_of(text) is None


def test_text_header_block_synonyms(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Source: Daily Planet\nHeadline: Bridge reopens\n\nThe bridge reopened on Sunday.\n")
    (a,) = list(iter_inputs([str(path)]))
    assert (a.outlet, a.title, a.origins["outlet"]) == ("Daily Planet", "Bridge reopens", "read")


def test_cli_outlet_and_title_apply_to_every_input_of_the_call(tmp_path: Path) -> None:
    for name in ("one", "two"):
        (tmp_path / f"{name}.txt").write_text(f"Source: Other Paper\n\nStory {name} about the bridge vote.\n")
    db = tmp_path / "x.db"
    args = ["ingest", str(tmp_path / "one.txt"), str(tmp_path / "two.txt"), "--db", str(db), "--no-link",
            "--outlet", "Daily Planet", "--title", "Bridge vote"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    with Store.open(db) as store:
        stored = store.list_articles(limit=10)
    assert {(a.outlet, a.title) for a in stored} == {("Daily Planet", "Bridge vote")}
    assert all(a.origins["outlet"] == "given" and a.origins["title"] == "given" for a in stored)


def test_outlet_and_title_mapped_from_csv_and_json_fields(tmp_path: Path) -> None:
    csv_path = tmp_path / "r.csv"
    csv_path.write_text('paper,headline_text,body\nDaily Planet,Bridge reopens,"The bridge reopened."\n')
    jsonl = tmp_path / "r.jsonl"
    jsonl.write_text(json.dumps({"meta": {"paper": "Gazette"}, "hl": "Vote held", "body": "A vote."}) + "\n")
    options = ReadOptions(field_map={"outlet": "paper", "title": "headline_text"})
    (a,) = list(iter_inputs([str(csv_path)], options))
    assert (a.outlet, a.title) == ("Daily Planet", "Bridge reopens")
    (b,) = list(iter_inputs([str(jsonl)], ReadOptions(field_map={"outlet": "meta.paper", "title": "hl"})))
    assert (b.outlet, b.title) == ("Gazette", "Vote held")


def _three(tmp_path: Path) -> list[Path]:
    texts = {
        "planet.txt": "Outlet: Daily Planet\nTitle: Bridge reopens\n\nThe bridge reopened on Sunday.",
        "titled.txt": "Title: Council approves the new budget\n\nThe council approved the budget on Monday.",
        "bare-report.txt": "the council met on monday and talked about the bridge for a long time.",
    }
    paths = []
    for name, text in texts.items():
        (tmp_path / name).write_text(text + "\n")
        paths.append(tmp_path / name)
    return paths


def test_display_name_is_the_same_on_every_surface(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    options = AnalyzeOptions(pipeline=PipelineOptions(stages=()))
    report = analyze([str(p) for p in _three(tmp_path)], db, options)
    expected = {"Daily Planet", "Council approves the new budget", "bare-report.txt"}
    names = {a["id"]: a["display_name"] for a in report["articles"]}
    assert set(names.values()) == expected
    with Store.open(db) as store:
        stored = store.get_articles(list(names))
    assert {a.id: display_name(a) for a in stored} == names  # the function, on the stored articles
    markdown, html = render_markdown(report), render_html(report)
    cli = runner.invoke(app, ["articles", "list", "--db", str(db)], terminal_width=200)
    cli_json = json.loads(runner.invoke(app, ["articles", "list", "--db", str(db), "--json"]).output)
    assert {r["id"]: r["display_name"] for r in cli_json["articles"]} == names
    with TestClient(create_app(db)) as client:
        for aid, name in names.items():
            assert client.get(f"/api/v1/articles/{aid}").json()["display_name"] == name
            page = client.get(f"/articles/{aid}").text
            assert f'<dd class="name">{name}</dd>' in page
            assert f"| {name} |" in markdown
            assert f'<dd class="name">{name}</dd>' in html
            assert name in cli.output
        listed = client.get("/api/v1/articles").json()["items"]
        assert {a["id"]: a["display_name"] for a in listed} == names
