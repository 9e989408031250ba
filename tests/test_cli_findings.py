"""What ``analyze``/``demo`` show on a terminal: the findings, not only the article and stage tables."""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys

import pytest

from newsprism.api import analyze
from newsprism.cli import analyze_cmd
from newsprism.demo import corpus_files

pytestmark = pytest.mark.models


TICKS: list[tuple[str, int, int | None]] = []


@pytest.fixture(scope="module")
def demo_report() -> dict:
    with corpus_files() as files:
        return analyze(files, progress=lambda *tick: TICKS.append(tick))


def test_the_long_stages_tick_from_inside(demo_report) -> None:
    phases = {phase for phase, _, _ in TICKS}
    assert {"reuse/articles compared", "claims/sentences tagged", "claims/articles", "align/stories",
            "verdicts/claim groups"} <= phases
    articles = [(done, total) for phase, done, total in TICKS if phase == "claims/articles"]
    assert articles == [(i, 7) for i in range(1, 8)]


def printed(report: dict, monkeypatch: pytest.MonkeyPatch) -> str:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setenv("COLUMNS", "120")
    analyze_cmd.print_summary(report)
    return out.getvalue()


def test_the_summary_shows_conflicts_disputes_and_facts(demo_report, monkeypatch) -> None:
    text = printed(demo_report, monkeypatch)
    # 4: "the report does not call for urgent repairs" and "Skarnvale Hydro denies having received
    # any warning that called for urgent repairs" are two facts (as the verdict gold has them),
    # facts whose reports are only fairly likely the same statement (below 0.75) are not grouped,
    # and the rainfall line the broadcaster prints word for word from the wire is the wire's report
    # (one report, so no corroborated fact).
    assert "Findings: 4 corroborated facts, 2 conflicts, 1 dispute" in text
    assert "Conflicts between outlets (2)" in text and "5.4 metres" in text and "4.5 metres" in text
    assert "at least 4,100 residents" in text and "at least 3,200 residents" in text
    assert "Disputes between actors (1)" in text and "Skarnvale Hydro" in text
    assert "Corroborated facts (4)" in text and "Two people died in the flood" in text
    assert "1 stories" not in text


def test_finding_text_is_escaped_and_bounded(demo_report, monkeypatch) -> None:
    report = copy.deepcopy(demo_report)
    hostile = "[bold red]boom[/] \x1b[2J\u202e" + "x" * 50_000
    report["verdicts"]["fact_sheet"][0]["text"] = hostile
    report["verdicts"]["fact_sheet"][0]["n_independent_sources"] = 99  # sorted first
    report["verdicts"]["conflicts"][0]["values"][0]["value"] = hostile
    text = printed(report, monkeypatch)
    assert "[bold red]boom[/]" in text  # shown as typed, not read as Rich markup
    assert "\x1b" not in text and "\u202e" not in text and "\\x1b" in text
    assert "x" * 400 not in text.replace("\n", "").replace("│", "").replace(" ", "")
    assert len(text) < 40_000


def test_demo_prints_findings_and_json_stays_clean() -> None:
    cli = [sys.executable, "-m", "newsprism.cli", "demo"]
    plain = subprocess.run(cli, capture_output=True, text=True, timeout=600, env={**_env(), "COLUMNS": "150"})
    assert plain.returncode == 0, plain.stderr
    assert "Conflicts between outlets" in plain.stdout and "Corroborated facts" in plain.stdout
    as_json = subprocess.run([*cli, "--json"], capture_output=True, text=True, timeout=600, env=_env())
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)["verdicts"]["counts"]["conflicts"] == 2
    # stderr is a pipe here: plain lines, no bar; with --json only failing inputs would be there
    assert "stage 1/5: reuse" in plain.stderr and "stage 5/5: verdicts" in plain.stderr
    assert as_json.stderr.strip() == ""
    for run in (plain, as_json):  # no third-party bars (tqdm, "Loading weights") anywhere
        assert "it/s]" not in run.stderr and "Loading weights" not in run.stderr, run.stderr
        assert "%|" not in run.stderr, run.stderr


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "COLUMNS"}


def test_markdown_has_real_tables_and_plurals(demo_report) -> None:
    from newsprism.report.markdown import render_markdown

    markdown = render_markdown(demo_report)
    assert "{'" not in markdown and "(s)" not in markdown and "1 stories" not in markdown
    assert "7 articles from 6 outlets" in markdown and "122 claims in 7 articles." in markdown
    assert "| article | outlet | claims | attributed | with figures |" in markdown
    assert "| group | articles | outlets | score | first claim |" in markdown
    assert "3 independent sources" in markdown and "7 articles report both sides" in markdown
