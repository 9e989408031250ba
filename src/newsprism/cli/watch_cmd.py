"""``newsprism watch SOURCE…``: poll feeds, pages, folders and URL lists into the store."""

from __future__ import annotations

import signal
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from newsprism.cli.common import (
    EXIT_OK,
    AllowPrivateOption,
    DbOption,
    FetchLinksOption,
    FieldOption,
    OutletOption,
    TitleOption,
    echo_input_errors,
    fail,
)
from newsprism.cli.ingest_cmd import read_options

if TYPE_CHECKING:
    from newsprism.watch import PollResult, Watcher

SourcesArgument = Annotated[
    list[str],
    typer.Argument(
        help="Feed or page URLs, folders, or text files listing URLs (one a line).",
        metavar="SOURCE",
        show_default=False,
    ),
]


def _line(result: PollResult) -> None:
    """One plain line per poll that did something, for a terminal or a log file alike."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    if result.error:
        echo_input_errors([(result.source, result.error)])
        return
    report = result.report
    if report is None:
        return
    typer.echo(
        f"{stamp} {result.source}: {report.new} new, {report.revision} revised, "
        f"{report.duplicate} already stored, {report.failed} failed",
        err=True,
    )
    echo_input_errors((e.source, e.reason) for e in report.errors)


def watch(
    sources: SourcesArgument,
    db: DbOption = None,
    interval: Annotated[
        float, typer.Option("--interval", min=0.0, help="Seconds between polls of one source.")
    ] = 300.0,
    max_backoff: Annotated[
        float, typer.Option("--max-backoff", min=0.0, help="Longest wait after repeated failures (s).")
    ] = 3600.0,
    polls: Annotated[
        int | None, typer.Option("--polls", min=1, help="Stop after this many rounds (default: Ctrl-C).")
    ] = None,
    field: FieldOption = None,
    fetch_links: FetchLinksOption = False,
    allow_private: AllowPrivateOption = False,
    outlet: OutletOption = None,
    title: TitleOption = None,
    analyze: Annotated[
        bool, typer.Option("--analyze", help="Re-analyse the stories each poll's new articles joined.")
    ] = False,
) -> None:
    """Keep the store up to date with live coverage: new articles are stored and linked to stories.

    URLs are fetched conditionally (an unchanged feed costs one 304); folders are scanned for new or
    changed files; a failing source waits twice as long each time, up to --max-backoff. With --analyze
    the stories new articles joined are analysed again after each poll. Ctrl-C stops
    after the poll in progress (a second Ctrl-C stops at once). Exit status: 0 when stopped, 2 on a
    usage error.
    """
    from newsprism.api import IngestOptions
    from newsprism.store import Store
    from newsprism.watch import Watcher, WatchOptions

    options = WatchOptions(
        interval_s=interval,
        max_backoff_s=max(max_backoff, interval),
        ingest=IngestOptions(read=read_options(field, fetch_links, allow_private, outlet, title)),
    )
    try:
        watcher = Watcher(sources, None, options)
    except ValueError as exc:
        raise fail(str(exc)) from None
    with Store.open(db) as store:  # opened (and migrated) once for the whole watch
        watcher.db = store
        if analyze:
            watcher.on_stored = lambda report: _reanalyse(store, report)
        _run(watcher, polls)
    raise typer.Exit(EXIT_OK)


def _reanalyse(store: Any, report: Any) -> None:
    """The stories a poll's new articles joined, analysed again (their findings replaced)."""
    from newsprism.api import analyze_changed

    found = analyze_changed(store, report)
    stories = (found.get("inputs") or {}).get("stories") or []
    conflicts = len((found.get("verdicts") or {}).get("conflicts") or [])
    typer.echo(
        f"  re-analysed {len(stories)} stor{'y' if len(stories) == 1 else 'ies'}: "
        f"{conflicts} conflict{'' if conflicts == 1 else 's'}",
        err=True,
    )


def _run(watcher: Watcher, polls: int | None) -> None:
    previous = signal.getsignal(signal.SIGINT)

    def stop(signum: int, frame: object) -> None:
        typer.echo("stopping after the poll in progress (Ctrl-C again to stop now)", err=True)
        watcher.stop.set()
        signal.signal(signal.SIGINT, previous)

    signal.signal(signal.SIGINT, stop)
    try:
        watcher.run(max_polls=polls, report=_line)
    finally:
        signal.signal(signal.SIGINT, previous)
