"""Analyze reports: the JSON dict (``json_report``) and its renderings (Markdown, HTML).

``write_report`` picks the format from the file suffix. Renderers are imported when used, so
importing this package costs nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

FORMATS = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


class ReportFormatError(ValueError):
    """The requested output format is unknown or not available in this installation."""


def report_format(path: str | os.PathLike[str]) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        shown = suffix or "(no suffix)"
        raise ReportFormatError(f"{path}: unknown report format {shown!r}; use one of {known}")
    return FORMATS[suffix]


def render_report(report: Mapping[str, Any], fmt: str) -> str:
    if fmt == "json":
        from newsprism.report.json_report import dumps

        return dumps(report) + "\n"
    if fmt == "markdown":
        from newsprism.report.markdown import render_markdown

        return render_markdown(report)
    if fmt == "html":
        try:
            from newsprism.report.html import render_html
        except ImportError as exc:
            raise ReportFormatError(f"HTML reports are not available in this installation ({exc}); "
                                    "write .json or .md instead") from exc
        return render_html(report)
    raise ReportFormatError(f"unknown report format {fmt!r}")


def write_report(report: Mapping[str, Any], path: str | os.PathLike[str]) -> Path:
    """Render ``report`` in the format named by ``path``'s suffix and write it (UTF-8)."""
    text = render_report(report, report_format(path))
    out = Path(path)
    if out.parent != Path(""):
        out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out
