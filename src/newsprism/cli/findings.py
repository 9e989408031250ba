"""The findings of an analysis as terminal tables: top conflicts, disputes and corroborated facts.

Every quoted text comes from hostile articles: cells are ``rich.text.Text`` (never parsed as
markup), control characters are escaped, and each cell is cut to a bounded length so a
megabyte-long "sentence" cannot flood the terminal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.table import Table
from rich.text import Text

from newsprism.report.markdown import plural

TOP = 5
MAX_TEXT = 160
MAX_VALUE = 60


def clip(value: Any, limit: int = MAX_TEXT) -> Text:
    """One safe, single-line, bounded cell."""
    from newsprism.ingest.names import escape_text

    text = " ".join(escape_text(str(value if value is not None else "")).split())
    return Text(text if len(text) <= limit else text[: limit - 1] + "…")


def _outlets(report: Mapping[str, Any]) -> dict[str, str]:
    return {str(a.get("id")): str(a.get("outlet") or a.get("outlet_domain") or str(a.get("id"))[:8])
            for a in report.get("articles") or []}


def _who(outlets: Mapping[str, str], ids: Sequence[Any]) -> str:
    return ", ".join(dict.fromkeys(outlets.get(str(i), str(i)[:8]) for i in ids or []))


def _top(items: Sequence[Mapping[str, Any]], *keys: str) -> list[Mapping[str, Any]]:
    return sorted(items, key=lambda v: tuple(-(v.get(k) or 0) for k in keys))[:TOP]


def _table(title: str, total: int, columns: Sequence[str]) -> Table:
    shown = f" (top {TOP} of {total})" if total > TOP else f" ({total})"
    table = Table(title=title + shown, title_justify="left")
    for name in columns:
        table.add_column(name, ratio=1 if name in ("fact", "what", "value") else None,
                         justify="right" if name in ("sources", "outlets", "conf.") else "left")
    return table


def conflicts_table(items: Sequence[Mapping[str, Any]], outlets: Mapping[str, str]) -> Table:
    table = _table("Conflicts between outlets", len(items), ("what", "values", "conf."))
    for v in _top(items, "confidence"):
        values = Text("\n").join(
            clip(f"{s.get('value')} — {_who(outlets, s.get('article_ids'))}", MAX_TEXT)
            for s in v.get("values") or [])
        table.add_row(clip(v.get("text")), values, f"{v.get('confidence') or 0:.2f}")
    return table


def disputes_table(items: Sequence[Mapping[str, Any]], outlets: Mapping[str, str]) -> Table:
    table = _table("Disputes between actors", len(items), ("what", "who says what", "conf."))
    for v in _top(items, "confidence"):
        table.add_row(clip(v.get("text")), clip(v.get("reason"), MAX_TEXT * 2),
                      f"{v.get('confidence') or 0:.2f}")
    return table


def facts_table(items: Sequence[Mapping[str, Any]], outlets: Mapping[str, str]) -> Table:
    table = _table("Corroborated facts", len(items), ("fact", "sources", "outlets"))
    for v in _top(items, "n_independent_sources", "confidence"):
        ids = v.get("article_ids") or []
        table.add_row(clip(v.get("text")), str(v.get("n_independent_sources") or 0),
                      str(len({outlets.get(str(i), str(i)) for i in ids})))
    return table


def findings_summary(verdicts: Mapping[str, Any]) -> str:
    counts = verdicts.get("counts") or {}
    parts = (plural(counts.get("fact_sheet", 0), "corroborated fact"),
             plural(counts.get("conflicts", 0), "conflict"),
             plural(counts.get("actor_disputes", 0), "dispute"),
             plural(counts.get("single_source", 0), "single-source claim"))
    return "Findings: " + ", ".join(parts)


def findings_renderables(report: Mapping[str, Any]) -> list[Table | Text]:
    """The findings to print after the stage table; nothing when the verdicts stage did not run."""
    verdicts = report.get("verdicts")
    if not isinstance(verdicts, Mapping):
        return []
    outlets = _outlets(report)
    out: list[Table | Text] = [Text(findings_summary(verdicts), style="bold")]
    for key, build in (("conflicts", conflicts_table), ("actor_disputes", disputes_table),
                       ("fact_sheet", facts_table)):
        items = [v for v in verdicts.get(key) or [] if isinstance(v, Mapping)]
        if items:
            out.append(build(items, outlets))
    return out
