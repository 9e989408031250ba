"""Analyze reports: the JSON dict (``json_report``) and its renderings (Markdown, HTML).

``write_report`` picks the format from the file suffix. Renderers are imported when used, so
importing this package costs nothing.
"""

from __future__ import annotations

import os
import uuid
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
    """Render ``report`` in the format named by ``path``'s suffix and write it (UTF-8), whole or not
    at all: it goes to a hidden file beside ``path``, renamed over it once written, so a run killed
    while writing leaves the previous report as it was (and at most that hidden file)."""
    text = render_report(report, report_format(path))
    out = Path(path)
    if out.parent != Path(""):
        out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        # os.open with 0o666 leaves the mode to the umask, as a plain open would (mkstemp: 0600).
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out
