"""Export the stored findings (one row per verdict) as CSV or Parquet, streamed from the store.

Rows are read a page at a time and Parquet row groups are cut by the bytes of text they hold, so
memory stays bounded whatever the store's size. The file is written beside its target and renamed
over it once complete: a failed export leaves no half-written file.
"""

from __future__ import annotations

import csv
import os
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import select

from newsprism.store import Store
from newsprism.store.findings import story_analyses, story_verdicts
from newsprism.stories.tables import stories

FORMATS = ("csv", "parquet")
COLUMNS = ("story_id", "story_label", "analysed_at", "finding_id", "section", "label", "type", "text",
           "n_independent_sources", "confidence", "article_ids", "evidence")
_PAGE_ROWS = 500
# Text held per Parquet row group before it is written out.
_GROUP_BYTES = 8 << 20
# A spreadsheet runs a cell starting with one of these as a formula; article text is untrusted.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportError(RuntimeError):
    """The export cannot be made here (an unknown format, a missing optional library)."""


def _evidence(detail: dict[str, Any]) -> str:
    return " ".join(f"{e['article_id']}:{e['span'][0]}-{e['span'][1]}" for e in detail.get("evidence") or [])


def iter_findings(store: Store, story_ids: Sequence[str] | None = None) -> Iterator[dict[str, Any]]:
    """Every stored verdict with its story, in story then id order (of ``story_ids`` when given)."""
    query = (
        select(story_verdicts, stories.c.label.label("story_label"), story_analyses.c.analysed_at)
        .join(story_analyses, story_analyses.c.story_id == story_verdicts.c.story_id)
        .join(stories, stories.c.id == story_verdicts.c.story_id)
        .order_by(story_verdicts.c.story_id, story_verdicts.c.id)
    )
    if story_ids is not None:
        query = query.where(story_verdicts.c.story_id.in_(list(story_ids)))
    last: tuple[str, str] | None = None
    while True:
        page = query if last is None else query.where(
            (story_verdicts.c.story_id > last[0])
            | ((story_verdicts.c.story_id == last[0]) & (story_verdicts.c.id > last[1])))
        with store.engine.connect() as conn:
            rows = conn.execute(page.limit(_PAGE_ROWS)).all()
        if not rows:
            return
        for r in rows:
            yield {
                "story_id": r.story_id, "story_label": r.story_label,
                "analysed_at": r.analysed_at.isoformat(),
                "finding_id": r.id, "section": r.section, "label": r.label, "type": r.type, "text": r.text,
                "n_independent_sources": r.n_independent_sources, "confidence": r.confidence,
                "article_ids": ";".join(r.article_ids), "evidence": _evidence(r.detail),
            }
        last = (rows[-1].story_id, rows[-1].id)


@contextmanager
def _replacing(path: Path, mode: str) -> Iterator[Any]:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        with open(tmp, mode, **({"newline": "", "encoding": "utf-8"} if "b" not in mode else {})) as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value  # shown as text, never run as a formula
    return value


def _write_csv(rows: Iterator[dict[str, Any]], path: Path) -> int:
    n = 0
    with _replacing(path, "w") as fh:
        writer = csv.DictWriter(fh, COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(v) for k, v in row.items()})
            n += 1
    return n


def _parquet():  # noqa: ANN202 - the pyarrow modules, whose types are pyarrow's
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ExportError("Parquet export needs pyarrow, which is not installed: "
                          "pip install 'newsprism[parquet]' (or export --format csv)") from exc
    return pa, pq


def _write_parquet(rows: Iterator[dict[str, Any]], path: Path) -> int:
    pa, pq = _parquet()
    schema = pa.schema([(c, pa.int64() if c == "n_independent_sources" else
                         pa.float64() if c == "confidence" else pa.string()) for c in COLUMNS])
    n, group, held = 0, [], 0
    with _replacing(path, "wb") as fh, pq.ParquetWriter(fh, schema) as writer:
        for row in rows:
            group.append(row)
            held += sum(len(v) for v in row.values() if isinstance(v, str))
            if held >= _GROUP_BYTES:
                writer.write_table(pa.Table.from_pylist(group, schema))
                n, group, held = n + len(group), [], 0
        if group or not n:
            writer.write_table(pa.Table.from_pylist(group, schema))
            n += len(group)
    return n


def export_findings(store: Store, path: str | os.PathLike[str], fmt: str,
                    story_ids: Sequence[str] | None = None) -> int:
    """Write the stored findings to ``path`` as ``fmt`` (csv or parquet); returns the rows written."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        _parquet()  # refuse before anything is read
    rows = iter_findings(store, story_ids)
    return (_write_csv if fmt == "csv" else _write_parquet)(rows, Path(path))
