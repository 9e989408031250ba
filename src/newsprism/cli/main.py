"""The ``newsprism`` command. Each command lives in its own module and is registered here in one line:

app.command("name")(module.function)      # a single command
app.add_typer(module.app, name="group")   # a group of subcommands (``articles list``)
"""

from __future__ import annotations

from typing import Annotated

import typer

from newsprism.cli import (
    analyze_cmd,
    articles_cmd,
    demo_cmd,
    eval_cmd,
    export_cmd,
    ingest_cmd,
    search_cmd,
    serve_cmd,
    stories_cmd,
    watch_cmd,
)
from newsprism.cli.common import store_setup_errors

app = typer.Typer(
    name="newsprism",
    help="Read many news reports of the same events: what the coverage agrees on, where it disagrees, "
    "who copied whom, and what only one outlet says.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)


def _version(value: bool) -> None:
    if value:
        from newsprism import __version__

        typer.echo(f"newsprism {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """newsprism: cross-outlet news coverage analysis."""


app.command("ingest")(ingest_cmd.ingest)
app.command("analyze")(analyze_cmd.analyze)
app.command("watch")(watch_cmd.watch)
app.add_typer(articles_cmd.app, name="articles")
app.command("demo")(demo_cmd.demo)
app.add_typer(stories_cmd.app, name="stories")
app.command("search")(search_cmd.search)
app.add_typer(eval_cmd.app, name="eval")
app.command("serve")(serve_cmd.serve)
app.command("export")(export_cmd.export)
app.add_typer(serve_cmd.app, name="tokens")


def run() -> None:
    """Console-script entry point."""
    with store_setup_errors():
        app(prog_name="newsprism")
