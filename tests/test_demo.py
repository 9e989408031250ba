"""The bundled demo corpus and ``newsprism demo``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newsprism.analysis import PipelineOptions
from newsprism.api import AnalyzeOptions, IngestOptions, analyze, ingest
from newsprism.demo import corpus_entries, corpus_files
from newsprism.report.markdown import render_markdown
from newsprism.store import Store


def test_corpus_shape() -> None:
    entries = corpus_entries()
    assert len(entries) == 7
    for entry in entries:
        text = entry.read_text(encoding="utf-8")
        head, _, body = text.partition("\n\n")
        keys = {line.split(":", 1)[0] for line in head.splitlines()}
        assert {"Title", "Outlet", "URL", "Date", "Byline"} <= keys, entry.name
        assert 250 <= len(body.split()) <= 500, entry.name
        url = re.search(r"^URL: (\S+)$", head, re.M).group(1)
        assert urlsplit(url).hostname.endswith(".example"), url  # invented outlets only


def test_corpus_ingests_with_one_revision(tmp_path: Path) -> None:
    with corpus_files() as files:
        report = ingest(files, tmp_path / "demo.db", IngestOptions())
    assert (report.new, report.revision, report.duplicate, report.failed) == (6, 1, 0, 0)
    with Store.open(tmp_path / "demo.db") as store:
        articles = store.get_articles(report.article_ids)
    [revised] = [a for a in articles if a.revision_of]
    original = next(a for a in articles if a.id == revised.revision_of)
    assert original.url == revised.url and original.published < revised.published
    assert len({a.outlet for a in articles}) == 6 and all(a.title and a.byline for a in articles)


def test_demo_runs_without_stages(tmp_path: Path) -> None:
    with corpus_files() as files:
        report = analyze(files, options=AnalyzeOptions(pipeline=PipelineOptions(stages=())))
    assert len(report["articles"]) == 7


@pytest.mark.models
def test_newsprism_demo_end_to_end(tmp_path: Path) -> None:
    """The real console entry point, every stage that is installed, JSON and Markdown output."""
    out = tmp_path / "demo.json"
    result = subprocess.run([sys.executable, "-m", "newsprism.cli", "demo", "-o", str(out)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert len(report["articles"]) == 7 and report["inputs"]["revision"] == 1
    records = report["stages"]["records"]
    assert [r["name"] for r in records] == ["reuse", "stories", "claims", "align", "verdicts"]
    for r in records:
        assert r["status"] == "ran" or r.get("reason"), r  # nothing silently missing
        assert (r["layer"] in report) == (r["status"] == "ran")
    markdown = render_markdown(report)  # the real layers render too
    headings = {"reuse": "## Text reuse", "stories": "## Stories", "claims": "## Claims",
                "alignment": "## Alignment", "verdicts": "## Verdicts"}
    for r in records:
        assert (headings[r["layer"]] in markdown) == (r["status"] == "ran"), r["layer"]
    assert markdown.startswith("# newsprism report") and "Northline Press Agency" in markdown


@pytest.mark.models
def test_demo_findings(tmp_path: Path) -> None:
    """What the demo corpus was written to contain is found: the rewrite's drifted figure (4.5 m
    in the wire and its reprints, 5.4 m in the rewrite) as a numeric conflict, even though the
    wire's own revision sits in the same group, and the governor's accusation against the
    operator's denial as an actor dispute reported by every outlet that carries it."""
    with corpus_files() as files:
        report = analyze(files)
    by_file = {a["id"]: Path(a["source_path"]).name[:2] for a in report["articles"]}
    verdicts = report["verdicts"]
    numeric = [c for c in verdicts["conflicts"] if c["type"] == "numeric"]
    metres = [c for c in numeric if any("metres" in str(v["value"]) for v in c["values"])]
    assert len(metres) == 1, [c["reason"] for c in numeric]
    sides = {str(v["value"]): {by_file[a] for a in v["article_ids"]} for v in metres[0]["values"]}
    assert sides == {"5.4 metres": {"05"}, "4.5 metres": {"01", "02", "03", "04"}}
    [dispute] = verdicts["actor_disputes"]
    assert {s["stance"] for s in dispute["sides"]} >= {"asserts", "denies"}
    assert dispute["note"] == "reported consistently"
