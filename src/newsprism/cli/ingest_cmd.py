"""``newsprism ingest PATH…``: read inputs into the store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from newsprism.cli.common import (
    EXIT_INPUT_FAILED,
    EXIT_OK,
    AllowPrivateOption,
    DbOption,
    FetchLinksOption,
    FieldOption,
    JsonOption,
    OutletOption,
    TitleOption,
    counts_table,
    echo_input_errors,
    echo_json,
    fail,
    parse_fields,
    progress_display,
    stdout,
)

if TYPE_CHECKING:
    from newsprism.api import IngestReport
    from newsprism.ingest.base import ReadOptions

PathsArgument = Annotated[
    list[str],
    typer.Argument(help="Files, folders or URLs; '-' reads stdin.", metavar="PATH", show_default=False),
]


def read_options(
    fields: list[str] | None, fetch_links: bool, allow_private: bool, outlet: str | None = None,
    title: str | None = None,
) -> ReadOptions:
    from newsprism.ingest.base import ReadOptions

    given = {k: " ".join(v.split()) for k, v in (("outlet", outlet), ("title", title)) if v and v.strip()}
    return ReadOptions(field_map=parse_fields(fields), fetch_links=fetch_links, allow_private=allow_private,
                       given=given)


def ingest(
    paths: PathsArgument,
    db: DbOption = None,
    field: FieldOption = None,
    fetch_links: FetchLinksOption = False,
    allow_private: AllowPrivateOption = False,
    json_out: JsonOption = False,
    outlet: OutletOption = None,
    title: TitleOption = None,
    link: Annotated[
        bool,
        typer.Option("--link/--no-link", help="Index new articles for text reuse and assign them stories."),
    ] = True,
    analyze: Annotated[
        bool,
        typer.Option("--analyze", help="Then re-analyse the stories the new articles joined (only those) "
                     "and store their findings."),
    ] = False,
) -> None:
    """Read articles into the store: new ones are added, known ones reported as duplicates or revisions.

    Exit status: 0 when every input was read, 1 when some failed (the rest are stored; each failure
    is one 'INPUT: reason' line on stderr), 2 on a usage error.
    """
    from newsprism.api import IngestOptions
    from newsprism.api import ingest as api_ingest

    if analyze and not link:
        raise fail("--analyze needs the articles linked to stories; leave out --no-link")
    options = IngestOptions(read=read_options(field, fetch_links, allow_private, outlet, title), link=link)
    with progress_display(plain=not json_out) as progress:
        report = api_ingest(paths, db, options, progress=progress)
        analysed = _reanalyse(db, report, progress) if analyze else None
    echo_input_errors((e.source, e.reason) for e in report.errors)
    for e in report.link_errors:
        typer.echo(f"linking: {len(e.article_ids)} articles stored but not linked ({e.reason}); "
                   "ingest them again to link them", err=True)
    if json_out:
        echo_json(report.to_dict() | ({"analysis": analysed} if analysed is not None else {}))
    else:
        counts = {"new": report.new, "duplicate": report.duplicate, "revision": report.revision,
                  "failed": report.failed}
        if link:
            counts |= {"reuse pairs": report.reuse_pairs, "stories": len(report.story_ids)}
        if analysed is not None:
            counts |= {"stories analysed": len(analysed["story_ids"]), "conflicts": analysed["conflicts"]}
        stdout().print(counts_table("Ingest", counts))
    failed_stages = analysed["failed_stages"] if analysed else []
    for r in failed_stages:
        typer.echo(f"stage {r['name']}: failed: {r.get('reason')}", err=True)
    raise typer.Exit(EXIT_OK if report.ok and not failed_stages else EXIT_INPUT_FAILED)


def _reanalyse(db: str | None, report: IngestReport, progress: Any) -> dict[str, Any]:
    """``ingest --analyze``: analyse the stories the ingest changed; what the terminal shows of it."""
    from newsprism.api import analyze_changed

    found = analyze_changed(db, report, progress=progress)
    stories = [s["id"] for s in (found.get("stories") or {}).get("stories") or []]
    return {"story_ids": stories, "conflicts": len((found.get("verdicts") or {}).get("conflicts") or []),
            "failed_stages": [r for r in found["stages"]["records"] if r["status"] == "failed"]}
