"""``newsprism search QUERY``: full-text search over the stored articles, claims and stories."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from newsprism.cli.common import DbOption, JsonOption, echo_json, fail, stdout


def search(
    query: Annotated[str, typer.Argument(help='Words and "quoted phrases"; a result matches every one.')],
    kind: Annotated[list[str] | None, typer.Option(
        "--kind", help="Only these: article, claim, story (repeatable).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many results.")] = 20,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many first.")] = 0,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Search the store: articles (their current revision), the claims of saved analyses, and
    stories (ranked by their matching articles)."""
    from newsprism.api import open_store
    from newsprism.store.search import KINDS

    unknown = sorted(set(kind or []) - set(KINDS))
    if unknown:
        raise fail(f"--kind: unknown {', '.join(unknown)}; known: {', '.join(KINDS)}")
    with open_store(db, create=False) as store:
        found = store.search(query, kind or KINDS, limit=limit, offset=offset)
    if json_out:
        echo_json({"query": query, "total": found.total, "offset": offset,
                   "items": [h.to_dict() for h in found.hits]})
    else:
        table = Table(title=f"{found.total} result{'' if found.total == 1 else 's'} for {query!r}",
                      title_justify="left")
        for name in ("kind", "id", "title", "where it matches"):
            table.add_column(name, ratio=1 if name == "where it matches" else None,
                             no_wrap=name in ("kind", "id"))
        for h in found.hits:
            table.add_row(h.kind, h.ref[:24], Text(_one_line(h.title or h.parent or ""))[:80], _snippet(h))
        stdout().print(table)


def _one_line(value: str) -> str:
    from newsprism.ingest.names import escape_text

    return " ".join(escape_text(value).split())


def _snippet(hit) -> Text:  # noqa: ANN001 - a SearchHit
    """The snippet with its matches in bold; built as Text, so article text is never markup."""
    out, pos = Text(), 0
    for start, end in hit.highlights:
        out.append(_one_line(hit.snippet[pos:start]) + " " * hit.snippet[pos:start].endswith(" "))
        out.append(_one_line(hit.snippet[start:end]), style="bold yellow")
        pos = end
    out.append(" " * hit.snippet[pos:].startswith(" ") + _one_line(hit.snippet[pos:]))
    return out
