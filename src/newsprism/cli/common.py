"""What every command shares: exit codes, option types, stderr/stdout discipline and progress.

Output rules: ``--json`` prints only JSON on stdout; human tables go to stdout; progress bars and
messages go to stderr; every failing input is one plain ``INPUT: reason`` line on stderr, so a
script can grep them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

EXIT_OK = 0
EXIT_INPUT_FAILED = 1  # some inputs (or a stage) failed; everything else was stored/reported
EXIT_USAGE = 2  # bad options or arguments (click/Typer's own code for usage errors)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Store: a SQLite path or a postgresql:// URL "
                 "(default: $NEWSPRISM_DB or ./newsprism.db)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print only JSON on stdout.")]
FieldOption = Annotated[
    list[str] | None,
    typer.Option("--field", "-f", metavar="OURS=THEIRS",
                 help="Map a field to an input key (JSON/CSV), e.g. --field text=body; repeatable."),
]
OutletOption = Annotated[
    str | None,
    typer.Option("--outlet", help="The outlet of every input of this call (wins over what inputs say)."),
]
TitleOption = Annotated[
    str | None,
    typer.Option("--title", help="The title of every input of this call (wins over what inputs say)."),
]
FetchLinksOption = Annotated[
    bool, typer.Option("--fetch-links", help="Feeds: fetch each entry's linked page.")
]
AllowPrivateOption = Annotated[
    bool, typer.Option("--allow-private", help="URLs: allow loopback/private network addresses.")
]


def stdout() -> Console:
    # Built per call so test runners that swap sys.stdout see the output. Piped tables get room for
    # titles instead of Rich's 80-column default.
    wide = None if sys.stdout.isatty() or "COLUMNS" in os.environ else 140
    return Console(file=sys.stdout, width=wide)


def stderr() -> Console:
    return Console(file=sys.stderr, soft_wrap=True)


def parse_fields(values: Iterable[str] | None) -> dict[str, str]:
    """``["text=body", "title=headline"]`` -> ``{"text": "body", "title": "headline"}``."""
    mapping: dict[str, str] = {}
    for value in values or []:
        ours, sep, theirs = value.partition("=")
        if not sep or not ours.strip() or not theirs.strip():
            raise typer.BadParameter(f"{value!r} is not OURS=THEIRS (e.g. text=body)", param_hint="--field")
        mapping[ours.strip()] = theirs.strip()
    if mapping:
        # Checked here, once, as a usage error: left to the readers, every JSON/CSV input would
        # fail on it in turn and the run would exit 1 as if the inputs were bad.
        from newsprism.ingest.records import normalize_field_map

        try:
            normalize_field_map(mapping)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--field") from None
    return mapping


def echo_json(data: Any) -> None:
    from newsprism.report.json_report import dumps

    typer.echo(dumps(data))


def echo_input_errors(errors: Iterable[tuple[str, str]]) -> None:
    """One plain ``INPUT: reason`` line per failing input on stderr (no Rich wrapping: scripts grep these).

    Both parts are escaped again here: a file name or a quoted input byte must not break the line
    or reach the terminal as an escape sequence, whichever code built the error.
    """
    from newsprism.ingest.names import escape_text

    for source, reason in errors:
        typer.echo(f"{escape_text(source)}: {escape_text(reason)}", err=True)


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def store_setup_errors() -> Iterator[None]:
    """A store that cannot be opened (not a database, a folder, unreachable server, unknown
    dialect) is a setup error, whichever command met it: one line naming the store, exit 2."""
    try:
        yield
    except Exception as exc:
        # Imported only on failure: --version and --help must not pay for SQLAlchemy.
        from newsprism.store import StoreOpenError

        if not isinstance(exc, StoreOpenError):
            raise
        typer.echo(f"Error: --db {exc.url}: {exc.reason}", err=True)
        raise SystemExit(EXIT_USAGE) from None


class CliProgress:
    """A Rich progress display on stderr fed by the API's ``(phase, done, total)`` callback.

    Phases: ``"read"`` (inputs read), a stage name (stages started of all), ``"stage/unit"``
    (a stage's own loop: ``"claims/articles"``), ``"done"``. The inner bar restarts per stage.
    """

    def __init__(self, progress: Progress):
        self._progress = progress
        self._tasks: dict[str, TaskID] = {}
        self._totals: dict[str, int | None] = {}

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if phase == "done":
            self._drop("step")
            for key, task in self._tasks.items():
                if self._totals[key] is not None:
                    self._progress.update(task, completed=self._totals[key])
            return
        if "/" in phase:
            stage, unit = phase.split("/", 1)
            key, label = "step", f"  {stage}: {unit}"
        elif phase == "read":
            key, label = "read", "Reading inputs"
        else:
            self._drop("step")
            key, label = "stages", f"Stage {phase}"
        if key not in self._tasks:
            self._tasks[key] = self._progress.add_task(label, total=total)
        self._totals[key] = total
        self._progress.update(self._tasks[key], description=label, completed=done, total=total)

    def _drop(self, key: str) -> None:
        if key in self._tasks:
            self._progress.remove_task(self._tasks.pop(key))
            self._totals.pop(key, None)


class PlainProgress:
    """Progress as plain lines, for a stderr that is a log file or a pipe rather than a terminal
    (a bar redrawn into a file is a screenful of control codes): a line as each stage starts, a
    line at each quarter of a stage's own loop (loops of ``min_total`` items or more), and one per
    ``read_every`` inputs read. Counted, not timed, so the same run logs the same lines."""

    def __init__(self, echo: Callable[[str], None], min_total: int = 40, read_every: int = 1000):
        self._echo, self._min_total, self._read_every = echo, min_total, read_every
        self._quarter: dict[str, int] = {}

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if phase == "done":
            return
        if phase == "read":
            if done % self._read_every == 0:
                self._echo(f"read {done} inputs")
        elif "/" not in phase:
            self._echo(f"stage {done + 1}/{total}: {phase}")
        elif total and total >= self._min_total:
            quarter = 4 * done // total
            if 0 < quarter < 4 and quarter > self._quarter.get(phase, 0):
                self._quarter[phase] = quarter
                stage, unit = phase.split("/", 1)
                self._echo(f"{stage}: {done}/{total} {unit}")


@contextmanager
def progress_display(enabled: bool = True, plain: bool = True) -> Iterator[Callable | None]:
    """A live bar when stderr is a terminal; else plain lines (``plain=False``: none, for runs
    whose stderr is read by scripts, such as ``--json``: it then holds only ``INPUT: reason``)."""
    if not enabled:
        yield None
        return
    console = stderr()
    if not console.is_terminal:
        yield PlainProgress(lambda text: typer.echo(text, err=True)) if plain else None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        yield CliProgress(progress)


def articles_table(title: str, rows: Iterable[dict[str, Any]]) -> Table:
    """Article rows (id, display name, published, title, n_sentences, revision_of) as a compact table;
    the name is ``display_name`` of the row, as on every other surface."""
    from newsprism.model import display_name

    table = Table(title=title)
    table.add_column("id", no_wrap=True)
    table.add_column("name", max_width=24)
    table.add_column("published", no_wrap=True)
    table.add_column("title", ratio=1)
    table.add_column("sent.", justify="right")
    table.add_column("revision of", no_wrap=True)
    for r in rows:
        published = (r.get("published") or "")[:16].replace("T", " ")
        table.add_row(str(r["id"])[:12], display_name(r), published,
                      r.get("title") or "", str(r.get("n_sentences", "")), (r.get("revision_of") or "")[:12])
    return table


def counts_table(title: str, counts: dict[str, int]) -> Table:
    table = Table(title=title, show_header=True)
    for name in counts:
        table.add_column(name, justify="right")
    table.add_row(*(str(v) for v in counts.values()))
    return table
