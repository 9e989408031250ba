"""Markdown reads as prose and tables: real plurals, no Python reprs of nested records."""

from __future__ import annotations

from newsprism.analysis import PipelineOptions
from newsprism.api import AnalyzeOptions, analyze
from newsprism.demo import corpus_entries
from newsprism.report.markdown import plural, render_layer, render_markdown


def test_one_article_reads_in_the_singular() -> None:
    report = analyze([corpus_entries()[0]], options=AnalyzeOptions(pipeline=PipelineOptions(stages=())))
    markdown = render_markdown(report)
    assert "1 article from 1 outlet:" in markdown and "(s)" not in markdown


def test_nested_records_are_never_printed_as_python() -> None:
    layer = {"n_things": 2, "by_kind": {"a": [1], "b": [2, 3]}, "things": [
        {"id": "t1", "links": [], "meta": {"k": 1}, "score": 0.5},
        {"id": "t2", "links": [{"a": "x", "b": "y"}], "meta": {"k": 2}, "score": 1.0},
    ]}
    markdown = "\n".join(render_layer("odd", "Odd")({"odd": layer}))
    assert "{'" not in markdown and "[{" not in markdown
    assert "| id | score |" in markdown and "| t2 | 1 |" in markdown
    assert "by_kind: 2 entries, 3 items" in markdown and "### things — 2 items" in markdown


def test_plural() -> None:
    assert [plural(n, "story", "stories") for n in (0, 1, 2)] == ["0 stories", "1 story", "2 stories"]
    assert plural(1, "entry", "entries") == "1 entry" and plural(3, "claim") == "3 claims"
