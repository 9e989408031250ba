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
    articles_table,
    echo_input_errors,
    echo_json,
    fail,
    progress_display,
    stdout,
)
from newsprism.cli.ingest_cmd import (
    EngineOption,
    PathsArgument,
    RayAddressOption,
    engine_options,
    read_options,
)

if TYPE_CHECKING:
    from newsprism.api import AnalyzeOptions
    from newsprism.ingest.base import ReadOptions

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


def layer_counts(layer: Any) -> str:
    """``"3 pairs, 2 groups, n_claims=121"``: a layer's list sizes and its ``n_*`` counts."""
    if not isinstance(layer, Mapping):
        return "present"
    parts = [f"{len(v)} {k}" for k, v in layer.items() if isinstance(v, list)]
    parts += [f"{k}={v}" for k, v in layer.items() if k.startswith("n_") and isinstance(v, int | float)]
    return ", ".join(parts) or "present"


def print_summary(report: Mapping[str, Any]) -> None:
    console = stdout()
    inputs = report.get("inputs") or {}
    articles = articles_table(f"Articles ({len(report.get('articles') or [])})", report.get("articles") or [])
    console.print(articles)
    stages = Table(title="Stages")
    stages.add_column("stage", no_wrap=True)
    stages.add_column("status", no_wrap=True)
    stages.add_column("seconds", justify="right")
    stages.add_column("result", ratio=1)
    for r in (report.get("stages") or {}).get("records") or []:
        seconds = f"{r['seconds']:.2f}" if r.get("seconds") is not None else ""
        result = layer_counts(report[r["layer"]]) if r["layer"] in report else (r.get("reason") or "")
        stages.add_row(r["name"], r["status"], seconds, result)
    console.print(stages)
    if inputs.get("failed"):
        console.print(f"{inputs['failed']} input(s) failed; see the lines on stderr.")


def run_analyze(
    inputs: Sequence[str], output: Path | None, json_out: bool, db: str | None, options: AnalyzeOptions
) -> None:
    """The body shared by ``analyze`` and ``demo``: run, report, and exit with the right status."""
    from newsprism.api import analyze
    from newsprism.engines.base import EngineError
    from newsprism.report import write_report

    check_output(output)
    try:
        with progress_display() as progress:
            report = analyze(inputs, db, options, progress=progress)
    except EngineError as exc:
        raise fail(f"engine {options.engine.name}: {exc}") from exc
    inputs_section = report.get("inputs") or {}
    errors = inputs_section.get("errors") or []
    echo_input_errors((e["source"], e["reason"]) for e in errors)
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
    paths: PathsArgument,
    output: OutputOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
    field: FieldOption = None,
    fetch_links: FetchLinksOption = False,
    allow_private: AllowPrivateOption = False,
    stage: StageOption = None,
    embedder: EmbedderOption = None,
    judge: JudgeOption = None,
    engine: EngineOption = "local",
    ray_address: RayAddressOption = None,
) -> None:
    """Analyze the coverage in PATH…: who copied whom, stories, claims, agreements and conflicts.

    Without --db the work happens in a temporary store. Exit status: 0 all good, 1 when some
    inputs (or a stage) failed and the report covers the rest, 2 on a usage error.
    """
    options = analyze_options(stage, embedder, read_options(field, fetch_links, allow_private), judge)
    options.engine = engine_options(engine, ray_address)
    run_analyze(paths, output, json_out, db, options)
