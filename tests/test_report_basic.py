"""Report assembly (JSON dict), the Markdown rendering and the writer that picks a format by suffix."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.report import ReportFormatError, report_format, write_report
from newsprism.report.json_report import LAYER_KEYS, ReportOptions, build_report, dumps
from newsprism.report.markdown import SECTIONS, cell, render_markdown
from newsprism.report.schema import ReportSchemaError
from newsprism.report.types import (
    Conflict,
    Evidence,
    Reuse,
    ReuseGroup,
    ReusePair,
    Side,
    Verdict,
    Verdicts,
)


def _article(text: str, url: str, outlet: str):
    return build_article(RawDocument(text=text, source=url, format="text", url=url, outlet=outlet,
                                     published="2026-03-10T06:40:00+00:00"))


@pytest.fixture
def report() -> dict:
    a = _article("The bridge reopened on Sunday. Repairs took 8 weeks.", "https://a.example/1",
                 "Ledger | Daily")
    b = _article("The bridge reopened Sunday after repairs.", "https://b.example/2", "Courier")
    reuse = Reuse(pairs=[ReusePair(a=a.id, b=b.id, type="edited", direction="a->b", confidence=0.91)],
                  groups=[ReuseGroup(id="g1", members=[a.id, b.id], origin=a.id)])
    records = [
        {"name": "reuse", "layer": "reuse", "status": "ran", "seconds": 0.01},
        {"name": "claims", "layer": "claims", "status": "absent",
         "reason": "newsprism.claims.stage not importable"},
    ]
    inputs = {"new": 2, "duplicate": 0, "revision": 0, "failed": 1,
              "errors": [{"source": "bad.bin", "reason": "binary file (PNG image)"}]}
    return build_report([a, b], {"reuse": reuse, "unrelated": object()}, records, inputs,
                        ReportOptions(analysis_id="abc123"))


def test_report_sections(report: dict) -> None:
    assert report["schema_version"] and report["analysis_id"] == "abc123"
    assert datetime.fromisoformat(report["generated_at"]).tzinfo is not None
    assert [a["outlet"] for a in report["articles"]] == ["Ledger | Daily", "Courier"]
    first = report["articles"][0]
    for key in ("id", "title", "outlet", "outlet_domain", "url", "dateline", "published", "byline", "origins",
                "n_sentences", "revision_of"):
        assert key in first
    assert first["n_sentences"] == 2 and first["origins"]["url"] == "read"
    assert report["reuse"]["pairs"] == [{"a": first["id"], "b": report["articles"][1]["id"], "type": "edited",
                                         "direction": "a->b", "confidence": 0.91}]
    assert "unrelated" not in report and not (set(LAYER_KEYS) - {"reuse"}) & set(report)
    stages = report["stages"]
    assert stages["ran"] == ["reuse"] and stages["timings"] == {"reuse": 0.01}
    assert stages["absent"] == {"claims": "absent: newsprism.claims.stage not importable"}
    json.loads(dumps(report))


def test_dumps_handles_dates_and_sets() -> None:
    data = json.loads(dumps({"when": datetime(2026, 3, 10, tzinfo=UTC), "ids": {"x"}}))
    assert data == {"when": "2026-03-10T00:00:00+00:00", "ids": ["x"]}


def test_markdown_renders_what_is_present(report: dict) -> None:
    text = render_markdown(report)
    assert text.startswith("# newsprism report")
    for heading in ("## Inputs", "## Articles", "## Text reuse", "## Not computed", "## Stages"):
        assert heading in text, heading
    assert "## Claims" not in text and "## Verdicts" not in text
    assert "`bad.bin`: binary file (PNG image)" in text
    assert "Ledger \\| Daily" in text  # a pipe in a value cannot break the table
    assert "| edited | 0.91 |" in text
    assert [name for name, _ in SECTIONS][:3] == ["header", "inputs", "articles"]


def test_markdown_of_an_empty_report() -> None:
    text = render_markdown(build_report([], {}, [], {}))
    assert "No articles." in text


def test_cell_cuts_long_text() -> None:
    assert len(cell("x" * 500, 20)) == 20 and cell(None) == "" and cell(["a", "b"]) == "a, b"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_write_report_by_suffix(report: dict, tmp_path: Path) -> None:
    written = write_report(report, tmp_path / "r.json")
    assert json.loads(written.read_text(encoding="utf-8")) == json.loads(dumps(report))
    markdown = write_report(report, tmp_path / "sub" / "r.md").read_text(encoding="utf-8")
    assert markdown.startswith("# newsprism")
    write_report(report, tmp_path / "r.json")  # over the first: replaced whole, nothing left beside it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json", "sub"]
    assert (tmp_path / "r.json").stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert report_format("X.HTML") == "html"
    with pytest.raises(ReportFormatError):
        write_report(report, tmp_path / "r.docx")


def test_layers_are_strict_json() -> None:
    @dataclass
    class Bounds:
        def to_dict(self) -> dict:
            return {"low": 3200.0, "high": float("inf"), "nested": [{"x": float("nan")}]}

    report = build_report([], {"claims": Bounds()}, [], {})
    assert report["claims"] == {"low": 3200.0, "high": None, "nested": [{"x": None}]}
    json.loads(dumps(report), parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))


def test_markdown_refuses_a_malformed_report_naming_the_place(report: dict) -> None:
    report["reuse"]["pairs"][0].pop("direction")
    with pytest.raises(ReportSchemaError, match=r"\$\.reuse\.pairs\[0\]\.direction: Field required"):
        render_markdown(report)


def test_verdicts_renderer_cites_outlets_and_offsets() -> None:
    wire = _article("Two people died. The army sent 12,000 troops.", "https://w.example/1", "Wire")
    post = _article("Two people died, and 14,000 troops were sent.", "https://p.example/2", "Post")
    ev = Evidence(article_id=post.id, span=[21, 34], text="14,000 troops")
    verdicts = Verdicts(
        independence_note="reprints count once",
        fact_sheet=[Verdict(id="f1", text="Two people died.", article_ids=[wire.id, post.id],
                            n_independent_sources=2, evidence=[ev])],
        conflicts=[Conflict(id="c1", text="troop count", article_ids=[wire.id, post.id], evidence=[ev],
                            values=[Side(value="14,000", article_ids=[post.id], evidence=[ev]),
                                    Side(value="12,000", article_ids=[wire.id], evidence=[])])],
        actor_disputes=[], single_source=[],
    )
    text = render_markdown(build_report([wire, post], {"verdicts": verdicts}, [], {}))
    assert "### Corroborated facts (1)" in text and "**Two people died.** — Wire, Post; 2 independent" in text
    assert "  - 14,000 — Post" in text and "chars 21–34" in text and "### Disputes between actors (0)" in text


def test_an_updated_figure_reads_as_an_update_in_markdown() -> None:
    wire = _article("The death toll mounts to 288.", "https://w.example/1", "Wire")
    post = _article("The death toll was revised down to 275.", "https://p.example/2", "Post")
    ev = Evidence(article_id=post.id, span=[19, 38], text="revised down to 275")
    values = [Side(value="288", article_ids=[wire.id], evidence=[]),
              Side(value="275", article_ids=[post.id], evidence=[ev])]
    conflict = Conflict(id="c1", text="death toll", article_ids=[wire.id, post.id], evidence=[ev],
                        update=True, values=values)
    verdicts = Verdicts(fact_sheet=[], conflicts=[conflict], actor_disputes=[], single_source=[])
    text = render_markdown(build_report([wire, post], {"verdicts": verdicts}, [], {}))
    assert "  - update: a figure a report marks as changed" in text
