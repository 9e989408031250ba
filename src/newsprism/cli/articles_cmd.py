"""``newsprism articles list|show``: what the store holds."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from newsprism.cli.common import (
    EXIT_INPUT_FAILED,
    DbOption,
    JsonOption,
    articles_table,
    echo_json,
    fail,
    stdout,
)
from newsprism.model import Article, display_name

app = typer.Typer(help="List and show stored articles.", no_args_is_help=True)


def _row(article: Article) -> dict:
    published = article.published.isoformat() if article.published else None
    return {
        "id": article.id, "display_name": display_name(article), "outlet": article.outlet,
        "published": published, "title": article.title, "language": article.language,
        "source_path": article.source_path,
        "url": article.url, "n_sentences": len(article.sentences), "revision": article.revision,
        "revision_of": article.revision_of,
    }


@app.command("list")
def list_articles(
    limit: Annotated[int, typer.Option(min=1, help="How many articles.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many first.")] = 0,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet (exact name).")] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Stored articles in the order they were added."""
    from newsprism.api import open_store

    with open_store(db, create=False) as store:
        rows = [_row(a) for a in store.list_articles(limit=limit, offset=offset, outlet=outlet)]
        total = store.count_articles(outlet)
    if json_out:
        echo_json({"total": total, "offset": offset, "articles": rows})
        return
    table = articles_table(f"Articles {offset + 1}–{offset + len(rows)} of {total}", rows)
    stdout().print(table)


def _metadata_table(article: Article) -> Table:
    table = Table(title=f"Article {article.id}", show_header=True)
    table.add_column("field")
    table.add_column("value", overflow="fold")
    table.add_column("origin")
    table.add_row("shown as", display_name(article), "")
    for name in ("title", "outlet", "outlet_domain", "url", "canonical_url", "byline", "dateline",
                 "published", "language"):
        value = getattr(article, name)
        shown = value.isoformat() if hasattr(value, "isoformat") else value
        table.add_row(name, "" if shown is None else str(shown), article.origins.get(name, ""))
    detected = article.extra.get("language_detected")
    if isinstance(detected, dict):
        table.add_row("language detected", f"{detected.get('language')} ({detected.get('confidence')})",
                      str(detected.get("detector") or ""))
    extra = (
        ("format", article.source_format), ("source", article.source_path),
        ("revision", str(article.revision)), ("revision of", article.revision_of),
        ("paragraphs", str(len(article.paragraphs))), ("sentences", str(len(article.sentences))),
    )
    for name, value in extra:
        table.add_row(name, value or "", "")
    return table


@app.command("show")
def show_article(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="An article id or an unambiguous prefix.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """One article: metadata with where each value came from, then its paragraphs."""
    from newsprism.api import open_store

    with open_store(db, create=False) as store:
        article = store.get_article(article_id)
    if article is None:
        raise fail(f"{article_id}: no such article (or the prefix is ambiguous)", EXIT_INPUT_FAILED)
    if json_out:
        data = article.to_dict()
        data["n_sentences"] = len(article.sentences)
        echo_json(data)
        return
    console = stdout()
    console.print(_metadata_table(article))
    for i, span in enumerate(article.paragraphs, 1):
        console.print(f"[dim]¶{i}[/dim] ", end="")
        console.print(span.text(article.text), markup=False, highlight=False)
