"""``newsprism export``: the stored findings as CSV or Parquet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsprism.cli.common import DbOption, fail

FormatOption = Annotated[
    str | None,
    typer.Option("--format", "-f", help="csv or parquet (default: from the output's suffix)."),
]


def _format(fmt: str | None, output: Path) -> str:
    chosen = (fmt or output.suffix.lstrip(".")).lower()
    if chosen not in ("csv", "parquet"):
        shown = chosen or "(no suffix)"
        raise fail(f"{output}: unknown export format {shown!r}; use --format csv or parquet")
    return chosen


def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.", dir_okay=False)],
    fmt: FormatOption = None,
    db: DbOption = None,
    story: Annotated[
        list[str] | None, typer.Option("--story", help="Only this story (id or prefix; repeatable).")
    ] = None,
) -> None:
    """Export the stored findings (conflicts, disputes, corroborated facts, single-source claims), one
    row per finding with its story, sources and evidence offsets. Run ``analyze --db`` first.

    Exit status: 0 written, 2 on a usage or setup error (an unknown format, pyarrow missing for
    Parquet, no store at --db).
    """
    from newsprism.api import open_store
    from newsprism.findings.export import ExportError, export_findings
    from newsprism.stories.queries import StoryNotFound, resolve_story_ids

    chosen = _format(fmt, output)
    with open_store(db, create=False) as store:  # a mistyped path: "no store at PATH", exit 2
        try:
            with store.engine.connect() as conn:
                ids = resolve_story_ids(conn, story) if story else None
            n = export_findings(store, output, chosen, ids)
        except (ExportError, StoryNotFound) as exc:
            raise fail(str(exc)) from exc
    typer.echo(f"{n} finding{'' if n == 1 else 's'} written to {output}", err=True)
