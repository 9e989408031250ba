"""A fact grouped weakly says so wherever the fact sheet is shown, not only in its confidence figure."""

from __future__ import annotations

import io

from rich.console import Console

from newsprism.align.model import ClaimGroup
from newsprism.claims.model import Attribution, Claim
from newsprism.cli.findings import facts_table
from newsprism.model import Span
from newsprism.report.html import render_html
from newsprism.verdicts.decide import GroupContext, VerdictOptions, decide
from newsprism.verdicts.model import Verdict
from webfixtures import corpus, report_dict

TEXTS = {
    "a": "The ferry to Kestrel Island resumed service on Tuesday.",
    "b": "Ferry service to Kestrel Island restarted on Tuesday.",
}


def _fact(score: float) -> Verdict:
    claims = [
        Claim(f"{a}:c0", a, 0, Span(0, len(t)), Span(0, len(t)), t, Attribution("o", "outlet", "asserts"))
        for a, t in TEXTS.items()
    ]
    ctx = GroupContext({c.id: c for c in claims}, dict(TEXTS), lambda a: a)
    [fact] = decide(ClaimGroup("s:g0", "s", ("a:c0", "b:c0"), ("a", "b"), score=score), ctx, VerdictOptions())
    return fact


def test_a_group_below_the_strong_mark_is_a_weak_grouping():
    """Every pair of a group scores at least the link floor (0.75); groups between it and 0.85 cite
    one gold fact far less often than stronger ones, so they say they are weak."""
    assert _fact(0.8).confidence_reason.startswith("weak grouping: every pair of claims scores 0.80")
    assert _fact(0.9).confidence_reason.startswith("strong grouping")
    # rounded down: a score just under the mark never reads as reaching it
    assert _fact(0.8499).confidence_reason.startswith("weak grouping: every pair of claims scores 0.84 ")


def test_the_terminal_table_marks_a_weak_grouping():
    out = io.StringIO()
    Console(file=out, width=140).print(facts_table([_fact(0.78), _fact(0.9)], {}))
    text = out.getvalue()
    assert text.count("(weak grouping)") == 1


def test_the_html_report_marks_a_weak_grouping_by_its_reason():
    arts = corpus()
    report = report_dict(arts)
    fact = report["verdicts"]["fact_sheet"][0]
    # A 0.70 grouping has confidence 0.79 (0.4 + 0.55 x score): the mark follows the grouping.
    fact.update(confidence=0.79, confidence_reason="weak grouping: every pair of claims scores 0.70 or more")
    assert ">weak grouping</div>" in render_html(report, {a.id: a.text for a in arts})
    fact.update(confidence=0.9, confidence_reason="strong grouping: every pair of claims scores 0.91 or more")
    assert ">weak grouping</div>" not in render_html(report, {a.id: a.text for a in arts})
