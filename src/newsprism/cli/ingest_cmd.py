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
    from newsprism.engines.base import EngineOptions
    from newsprism.ingest.base import ReadOptions

PathsArgument = Annotated[
    list[str],
    typer.Argument(help="Files, folders, URLs or object storage (s3://BUCKET/PREFIX, gs://, abfs://; "
                   "globs like s3://b/p/*.jsonl); '-' reads stdin.", metavar="PATH", show_default=False),
]


EngineOption = Annotated[
    str,
    typer.Option(
        "--engine",
        help="Where the work runs: local (this process) or ray (a Ray cluster; "
        "pip install 'newsprism[ray]').",
    ),
]
RayAddressOption = Annotated[
    str | None,
    typer.Option(
        "--ray-address",
        help="With --engine ray: a running cluster (auto, ray://HOST:PORT or HOST:PORT); "
        "default: the RAY_ADDRESS variable, else a private Ray on this machine.",
    ),
]


def engine_options(engine: str, ray_address: str | None) -> EngineOptions:
    """Checked engine options; a usage error (exit 2) when they cannot work here."""
    import os

    from newsprism.engines.base import ENGINE_NAMES, EngineError, EngineOptions, get_engine

    if engine not in ENGINE_NAMES:
        known = ", ".join(ENGINE_NAMES)
        raise typer.BadParameter(f"unknown engine {engine!r}; known: {known}", param_hint="--engine")
    if engine == "ray" and ray_address is None:
        ray_address = os.environ.get("RAY_ADDRESS") or None
    options = EngineOptions(engine, ray_address)
    try:
        get_engine(options)  # Ray importable, options consistent: fail now, not after reading
        if options.address:
            from newsprism.engines.ray_engine import check_reachable

            check_reachable(options.address)
    except EngineError as exc:
        raise typer.BadParameter(str(exc), param_hint="--engine") from exc
    return options


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
    engine: EngineOption = "local",
    ray_address: RayAddressOption = None,
) -> None:
    """Read articles into the store: new ones are added, known ones reported as duplicates or revisions.

    Exit status: 0 when every input was read, 1 when some failed (the rest are stored; each failure
    is one 'INPUT: reason' line on stderr), 2 on a usage error.
    """
    from newsprism.api import IngestOptions
    from newsprism.api import ingest as api_ingest
    from newsprism.ingest.objects import usage_error

    if analyze and not link:
        raise fail("--analyze needs the articles linked to stories; leave out --no-link")
    if unusable := usage_error(paths):
        raise fail(unusable)
    options = IngestOptions(read=read_options(field, fetch_links, allow_private, outlet, title), link=link)
    engine_opts = engine_options(engine, ray_address)
    with progress_display(plain=not json_out) as progress:
        if engine_opts.name == "ray":
            from newsprism.engines.base import EngineError
            from newsprism.engines.ray_ingest import ray_ingest

            try:
                report = ray_ingest(paths, db, options, engine_opts, progress)
            except EngineError as exc:
                raise fail(f"engine ray: {exc}") from exc
        else:
            report = api_ingest(paths, db, options, progress=progress)
        analysed = _reanalyse(db, report, engine_opts, progress) if analyze else None
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


def _reanalyse(db: str | None, report: IngestReport, engine: EngineOptions, progress: Any) -> dict[str, Any]:
    """``ingest --analyze``: analyse the stories the ingest changed (on the same engine); what the
    terminal shows of it."""
    from newsprism.api import AnalyzeOptions, analyze_changed

    found = analyze_changed(db, report, AnalyzeOptions(engine=engine), progress=progress)
    stories = [s["id"] for s in (found.get("stories") or {}).get("stories") or []]
    return {"story_ids": stories, "conflicts": len((found.get("verdicts") or {}).get("conflicts") or []),
            "failed_stages": [r for r in found["stages"]["records"] if r["status"] == "failed"]}
