"""``newsprism analyze PATH…``: ingest, run every available stage, write or print the report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

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
    articles_table,
    echo_input_errors,
    echo_json,
    fail,
    progress_display,
    stdout,
)
from newsprism.cli.findings import findings_renderables
from newsprism.cli.ingest_cmd import (
    EngineOption,
    RayAddressOption,
    engine_options,
    read_options,
)
from newsprism.report.markdown import plural
from newsprism.report.types import LAYERS, Part, Report, parse_report

if TYPE_CHECKING:
    from newsprism.api import AnalyzeOptions
    from newsprism.ingest.base import ReadOptions

OptionalPathsArgument = Annotated[
    list[str] | None,
    typer.Argument(help="Files, folders, URLs or object storage (s3://, gs://, abfs://); '-' reads "
                   "stdin. None with --db: analyse the stored stories.", metavar="[PATH]...",
                   show_default=False),
]
StoryOption = Annotated[
    list[str] | None,
    typer.Option("--story", help="With --db and no PATH: analyse only this story (id or prefix; "
                 "repeatable)."),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write the report: .json, .md or .html (by suffix).", dir_okay=False),
]
StageOption = Annotated[
    list[str] | None,
    typer.Option(
        "--stage", help="Run only these stages (repeatable): reuse, stories, claims, align, verdicts."
    ),
]
EmbedderOption = Annotated[
    str | None,
    typer.Option("--embedder", help="A sentence-transformers model name (default: the offline MiniLM)."),
]
JudgeOption = Annotated[
    str | None,
    typer.Option(
        "--judge",
        help="Re-check polarity/entity/place/time/attribution conflicts with a pair judge "
        "(offline, nli or chat); a conflict the judge finds entailed is dropped. Default: no review.",
    ),
]


def check_output(output: Path | None) -> None:
    """Refuse an output format we cannot write before any work is done."""
    if output is None:
        return
    from newsprism.report import ReportFormatError, report_format

    try:
        fmt = report_format(output)
        if fmt == "html":
            import newsprism.report.html  # noqa: F401 - only asking whether it is installed
    except ReportFormatError as exc:
        raise fail(str(exc)) from exc
    except ImportError as exc:
        raise fail(
            f"{output}: HTML reports are not available in this installation ({exc}); "
            "use -o report.json or -o report.md"
        ) from exc


def layer_counts(layer: Part) -> str:
    """``"pairs: 3, groups: 2, n_claims: 121"``: a layer's list sizes and its ``n_*`` counts (named,
    not counted in prose, so one story is never "1 stories")."""
    fields = layer.to_dict()
    parts = [f"{k}: {len(v)}" for k, v in fields.items() if isinstance(v, list)]
    parts += [f"{k}: {v}" for k, v in fields.items() if k.startswith("n_") and isinstance(v, int | float)]
    return ", ".join(parts) or "present"


def print_summary(report: Report | Mapping[str, Any]) -> None:
    console = stdout()
    typed = parse_report(report)
    articles = [a.to_dict() for a in typed.articles]
    console.print(articles_table(f"Articles ({len(articles)})", articles))
    stages = Table(title="Stages")
    stages.add_column("stage", no_wrap=True)
    stages.add_column("status", no_wrap=True)
    stages.add_column("seconds", justify="right")
    stages.add_column("result", ratio=1)
    for r in typed.stages.records:
        seconds = f"{r.seconds:.2f}" if r.seconds is not None else ""
        layer = getattr(typed, r.layer) if r.layer in LAYERS else None
        result = layer_counts(layer) if layer is not None else (r.reason or "")
        stages.add_row(r.name, r.status, seconds, result)
    console.print(stages)
    for a in typed.languages.not_compared if typed.languages else []:
        console.print(f"{a.display_name}: {a.reason}", markup=False, highlight=False)
    for finding in findings_renderables(typed):
        console.print(finding)
    if typed.inputs.failed:
        console.print(f"{plural(typed.inputs.failed, 'input')} failed; see the lines on stderr.")


def _stored(db: str, stories: list[str] | None, options: AnalyzeOptions, progress: Any) -> dict[str, Any]:
    from newsprism.api import analyze_stored
    from newsprism.stories.queries import StoryNotFound

    try:
        return analyze_stored(db, stories, options, progress=progress)
    except StoryNotFound as exc:
        raise fail(str(exc)) from exc


def run_analyze(
    inputs: Sequence[str] | None,
    output: Path | None,
    json_out: bool,
    db: str | None,
    options: AnalyzeOptions,
    stories: list[str] | None = None,
) -> None:
    """The body shared by ``analyze`` and ``demo``: run, report, and exit with the right status.
    No ``inputs``: analyse the stored ``stories`` (all when ``None``) of the store ``db``."""
    from newsprism.api import analyze
    from newsprism.engines.base import EngineError
    from newsprism.report import write_report

    check_output(output)
    try:
        with progress_display(plain=not json_out) as progress:
            if inputs:
                report = analyze(inputs, db, options, progress=progress)
            else:
                report = _stored(db, stories, options, progress)
    except EngineError as exc:
        raise fail(f"engine {options.engine.name}: {exc}") from exc
    inputs_section = report.get("inputs") or {}
    errors = inputs_section.get("errors") or []
    echo_input_errors((e["source"], e["reason"]) for e in errors)
    for e in inputs_section.get("link_errors") or []:  # stored, but in no story: not analysed
        typer.echo(f"linking: {len(e['article_ids'])} articles stored but not linked ({e['reason']}); "
                   "ingest them again to link and analyse them", err=True)
        errors = [*errors, e]
    if inputs and not report.get("articles") and not inputs_section.get("link_errors"):
        # An analysis of nothing is not a result: the inputs named (a mistyped path, an empty
        # folder) are the problem, so no report is written and the exit status says so.
        raise fail("nothing to analyze: no article could be read from the inputs given")
    failed_stages = [r for r in report["stages"]["records"] if r["status"] == "failed"]
    for r in failed_stages:
        typer.echo(f"stage {r['name']}: failed: {r.get('reason')}", err=True)
    if output is not None:
        written = write_report(report, output)
        typer.echo(f"Report written to {written}", err=True)
    if json_out:
        echo_json(report)
    else:
        print_summary(report)
    raise typer.Exit(EXIT_INPUT_FAILED if errors or failed_stages else EXIT_OK)


def analyze_options(
    stage: list[str] | None, embedder: str | None, read: ReadOptions, judge: str | None = None
) -> AnalyzeOptions:
    from newsprism.analysis import STAGE_NAMES, PipelineOptions
    from newsprism.api import AnalyzeOptions, IngestOptions

    unknown = sorted(set(stage or []) - set(STAGE_NAMES))
    if unknown:
        raise typer.BadParameter(
            f"unknown stage(s) {unknown}; known: {', '.join(STAGE_NAMES)}", param_hint="--stage"
        )
    return AnalyzeOptions(
        ingest=IngestOptions(read=read, link=False),
        pipeline=PipelineOptions(stages=stage or None, embedder=embedder, judge=judge),
    )


def analyze(
    paths: OptionalPathsArgument = None,
    output: OutputOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
    field: FieldOption = None,
    fetch_links: FetchLinksOption = False,
    allow_private: AllowPrivateOption = False,
    stage: StageOption = None,
    embedder: EmbedderOption = None,
    judge: JudgeOption = None,
    outlet: OutletOption = None,
    title: TitleOption = None,
    story: StoryOption = None,
    engine: EngineOption = "local",
    ray_address: RayAddressOption = None,
) -> None:
    """Analyze the coverage in PATH…: who copied whom, stories, claims, agreements and conflicts.

    Without --db the work happens in a temporary store. With --db the inputs are ingested and linked
    to the store's stories, the stories they touched are analysed and their findings stored; with
    --db and no PATH the stored stories (or those named by --story) are analysed. Exit status: 0 all
    good, 1 when some inputs (or a stage) failed and the report covers the rest, 2 on a usage error.
    """
    if not paths and db is None:
        raise fail("analyze needs PATH… (or --db to analyse the stored stories)")
    if paths and story:
        raise fail("--story picks stored stories to analyse; give it with --db and without PATH")
    from newsprism.ingest.objects import usage_error

    if paths and (unusable := usage_error(paths)):
        raise fail(unusable)
    if not paths and "://" not in db and not Path(db).expanduser().is_file():
        from newsprism.store import database_url

        # Analysing what is stored must not create an empty store (the read commands' wording).
        raise fail(f"--db {database_url(db)}: no store at {db}")
    read = read_options(field, fetch_links, allow_private, outlet, title)
    options = analyze_options(stage, embedder, read, judge)
    options.engine = engine_options(engine, ray_address)
    run_analyze(paths, output, json_out, db, options, story)
