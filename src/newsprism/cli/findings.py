"""The findings of an analysis as terminal tables: top conflicts, disputes and corroborated facts.

Every quoted text comes from hostile articles: cells are ``rich.text.Text`` (never parsed as
markup), control characters are escaped, and each cell is cut to a bounded length so a
megabyte-long "sentence" cannot flood the terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich.table import Table
from rich.text import Text

from newsprism.report.markdown import plural
from newsprism.report.types import Report, Verdict, Verdicts

TOP = 5
MAX_TEXT = 160
MAX_VALUE = 60


def clip(value: Any, limit: int = MAX_TEXT) -> Text:
    """One safe, single-line, bounded cell."""
    from newsprism.ingest.names import escape_text

    text = " ".join(escape_text(str(value if value is not None else "")).split())
    return Text(text if len(text) <= limit else text[: limit - 1] + "…")


def _outlets(report: Report) -> dict[str, str]:
    return {a.id: a.outlet or a.outlet_domain or a.id[:8] for a in report.articles}


def _who(outlets: Mapping[str, str], ids: Sequence[str]) -> str:
    return ", ".join(dict.fromkeys(outlets.get(i, i[:8]) for i in ids))


def _top(items: Sequence[Verdict], key: Callable[[Verdict], tuple[float, ...]]) -> list[Verdict]:
    return sorted(items, key=key)[:TOP]


def _table(title: str, total: int, columns: Sequence[str]) -> Table:
    shown = f" (top {TOP} of {total})" if total > TOP else f" ({total})"
    table = Table(title=title + shown, title_justify="left")
    for name in columns:
        table.add_column(name, ratio=1 if name in ("fact", "what", "value") else None,
                         justify="right" if name in ("sources", "outlets", "conf.") else "left")
    return table


def _by_confidence(v: Verdict) -> tuple[float, ...]:
    return (-(v.confidence or 0),)


def conflicts_table(items: Sequence[Verdict], outlets: Mapping[str, str]) -> Table:
    table = _table("Conflicts between outlets", len(items), ("what", "values", "conf."))
    for v in _top(items, _by_confidence):
        values = Text("\n").join(
            clip(f"{s.value} — {_who(outlets, s.article_ids)}", MAX_TEXT) for s in v.values)
        table.add_row(clip(v.text), values, f"{v.confidence or 0:.2f}")
    return table


def disputes_table(items: Sequence[Verdict], outlets: Mapping[str, str]) -> Table:
    table = _table("Disputes between actors", len(items), ("what", "who says what", "conf."))
    for v in _top(items, _by_confidence):
        table.add_row(clip(v.text), clip(v.reason, MAX_TEXT * 2), f"{v.confidence or 0:.2f}")
    return table


def facts_table(items: Sequence[Verdict], outlets: Mapping[str, str]) -> Table:
    table = _table("Corroborated facts", len(items), ("fact", "sources", "outlets"))
    for v in _top(items, lambda v: (-(v.n_independent_sources or 0), -(v.confidence or 0))):
        weak = " (weak grouping)" if (v.confidence_reason or "").startswith("weak") else ""
        table.add_row(clip(v.text), f"{v.n_independent_sources or 0}{weak}",
                      str(len({outlets.get(i, i) for i in v.article_ids})))
    return table


def findings_summary(verdicts: Verdicts) -> str:
    parts = (plural(len(verdicts.fact_sheet), "corroborated fact"),
             plural(len(verdicts.conflicts), "conflict"),
             plural(len(verdicts.actor_disputes), "dispute"),
             plural(len(verdicts.single_source), "single-source claim"))
    return "Findings: " + ", ".join(parts)


def findings_renderables(report: Report) -> list[Table | Text]:
    """The findings to print after the stage table; nothing when the verdicts stage did not run."""
    verdicts = report.verdicts
    if verdicts is None:
        return []
    outlets = _outlets(report)
    out: list[Table | Text] = [Text(findings_summary(verdicts), style="bold")]
    for items, build in ((verdicts.conflicts, conflicts_table), (verdicts.actor_disputes, disputes_table),
                         (verdicts.fact_sheet, facts_table)):
        if items:
            out.append(build(items, outlets))
    return out
