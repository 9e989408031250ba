"""Markdown reads as prose and tables: real plurals, no Python reprs of nested records."""

from __future__ import annotations

from newsprism.analysis import PipelineOptions
from newsprism.api import AnalyzeOptions, analyze
from newsprism.demo import corpus_entries
from newsprism.report.markdown import plural, render_markdown


def test_one_article_reads_in_the_singular() -> None:
    report = analyze([corpus_entries()[0]], options=AnalyzeOptions(pipeline=PipelineOptions(stages=())))
    markdown = render_markdown(report)
    assert "1 article from 1 outlet:" in markdown and "(s)" not in markdown


def test_plural() -> None:
    assert [plural(n, "story", "stories") for n in (0, 1, 2)] == ["0 stories", "1 story", "2 stories"]
    assert plural(1, "entry", "entries") == "1 entry" and plural(3, "claim") == "3 claims"
