"""``newsprism stories list|show|build`` and ``newsprism eval stories``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from newsprism.cli.common import EXIT_INPUT_FAILED, DbOption, JsonOption, echo_json, fail, stdout

app = typer.Typer(help="Stories: groups of articles reporting one event.", no_args_is_help=True)


def _story_table(title: str, rows: list[dict]) -> Table:
    table = Table(title=title)
    columns = ("id", "label", "articles", "independent", "outlets", "span", "conflicts", "analysed", "topic")
    for name in columns:
        table.add_column(name, overflow="fold")
    for r in rows:
        span = r["time_span"]
        shown_span = " – ".join(x[:10] for x in (span["start"], span["end"]) if x) or "undated"
        indep = f"{r['n_independent_sources']}" + ("" if r["independent_basis"] == "reuse" else "*")
        a = r.get("analysis")
        conflicts = str(a["n_conflicts"]) if a else ""
        analysed = "never"
        if a:
            analysed = a["analysed_at"][:16].replace("T", " ") + (" (stale)" if a["stale"] else "")
        # Labels and outlet names come from the articles: Text cells are never read as markup.
        table.add_row(
            r["id"], Text(r["label"]), str(r["n_articles"]), indep, Text(", ".join(r["outlets"][:4])),
            shown_span, conflicts, analysed, r.get("topic_id") or "",
        )
    return table


def _analysis_lines(a: dict | None) -> list[str]:
    """The stored analysis of one story in a few lines: its findings and what the last run added."""
    if a is None:
        return ["Not analysed yet: newsprism analyze --db … --story ID"]
    lines = [f"Analysed {a['analysed_at'][:19]}" + (" (articles changed since: stale)" if a["stale"] else ""),
             f"{a['n_claims']} claims, {a['n_fact_groups']} facts stated by several articles, "
             f"{a['n_corroborated']} corroborated, {a['n_conflicts']} conflicts, {a['n_disputes']} disputes, "
             f"{a['n_single_source']} single-source"]
    c = a["changes"]
    if c.get("previous_analysed_at"):
        lines.append(f"New since {c['previous_analysed_at'][:19]}: {len(c['new_conflicts'])} conflicts, "
                     f"{len(c['new_disputes'])} disputes, {len(c['new_sources'])} sources"
                     + (f" ({', '.join(c['new_sources'][:5])})" if c["new_sources"] else ""))
    return lines


@app.command("list")
def list_cmd(
    limit: Annotated[int, typer.Option(min=1, help="How many stories.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many first.")] = 0,
    topic: Annotated[
        str | None, typer.Option("--topic", help="Only the stories of this topic (an id: `stories topics`).")
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Stored stories, largest first (* = no reuse data: each article counted as a source)."""
    from newsprism.api import open_store
    from newsprism.stories.queries import list_stories

    with open_store(db, create=False) as store:
        rows, total = list_stories(store, limit=limit, offset=offset, topic=topic)
    if json_out:
        echo_json({"total": total, "offset": offset, "topic": topic, "stories": rows})
        return
    title = f"Stories {offset + 1}–{offset + len(rows)} of {total}"
    if topic is not None:
        # Labels are article text: escaped, so a headline's "[...]" is never read as Rich markup.
        title += f" in topic {escape(topic)}" + (f": {escape(rows[0]['topic_label'])}" if rows else "")
    stdout().print(_story_table(title, rows))


@app.command("topics")
def topics_cmd(
    limit: Annotated[int, typer.Option(min=1, help="How many topics.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many first.")] = 0,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Stored topics (groups of stories about one subject), most stories first."""
    from newsprism.api import open_store
    from newsprism.stories.queries import list_topics

    with open_store(db, create=False) as store:
        rows, total = list_topics(store, limit=limit, offset=offset)
    if json_out:
        echo_json({"total": total, "offset": offset, "topics": rows})
        return
    table = Table(title=f"Topics {offset + 1}–{offset + len(rows)} of {total} (stories list --topic ID)")
    for name in ("id", "label", "stories", "articles"):
        table.add_column(name, overflow="fold")
    for r in rows:
        table.add_row(r["id"], escape(r["label"]), str(r["n_stories"]), str(r["n_articles"]))
    stdout().print(table)


@app.command("show")
def show_cmd(
    story_id: Annotated[str, typer.Argument(metavar="ID", help="A story id or an unambiguous prefix.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """One story: its summary, articles (how each joined) and the merge/split events naming it."""
    from newsprism.api import open_store
    from newsprism.stories.queries import get_story

    with open_store(db, create=False) as store:
        story = get_story(store, story_id)
    if story is None:
        raise fail(f"{story_id}: no such story (or the prefix is ambiguous)", EXIT_INPUT_FAILED)
    if json_out:
        echo_json(story)
        return
    out = stdout()
    out.print(_story_table(f"Story {story['id']} ({story['status']})", [story]))
    for line in _analysis_lines(story.get("analysis")):
        out.print(line, markup=False, highlight=False)
    articles = Table(title="Articles")
    for name in ("id", "published", "outlet", "title", "how"):
        articles.add_column(name, overflow="fold")
    for a in story["articles"]:
        published = (a["published"] or "")[:10]
        articles.add_row(a["id"], published, Text(a["outlet"] or ""), Text(a["title"] or ""), a["how"])
    out.print(articles)
    for e in story["events"]:
        out.print(f"{e['at'][:19]} {e['kind']}: {', '.join(e['from_ids'])} -> {', '.join(e['to_ids'])}")


@app.command("build")
def build_cmd(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Re-cluster every stored article; surviving stories keep their ids, merges and splits are recorded."""
    from newsprism.api import open_store
    from newsprism.stories.repo import StoryStore

    with open_store(db, create=False) as store:
        report = StoryStore(store).rebuild()
    if json_out:
        echo_json(report.to_dict())
        return
    out = stdout()
    out.print(f"{report.n_articles} articles in {report.n_stories} stories; {len(report.events)} events")
    for e in report.events:
        out.print(f"  {e.kind}: {', '.join(e.from_ids)} -> {', '.join(e.to_ids)}")


def eval_stories(
    data: Annotated[
        Path,
        typer.Option("--data", "-d", help="JSONL rows: id, text, gold label; optional title, published."),
    ],
    label: Annotated[
        str, typer.Option("--label", help="The row key holding the gold story label.")
    ] = "story",
    no_dates: Annotated[
        bool,
        typer.Option("--no-dates", help="Remove every date from the rows' text and metadata first."),
    ] = False,
    topic_label: Annotated[
        str,
        typer.Option(
            "--topic-label", help="The row key holding the gold topic (scored when all rows have it)."
        ),
    ] = "topic",
    json_out: JsonOption = False,
) -> None:
    """B-cubed precision, recall, F1 and ARI of story clustering, and of the topics grouping the stories
    (ids and labels never read to cluster)."""
    from newsprism.stories.evaluate import evaluate_file
    from newsprism.stories.score import StoryOptions

    if not data.is_file():
        raise fail(f"{data}: no such file")
    options = StoryOptions()
    embedder = None
    if options.w_embedding > 0:
        from newsprism.backends import Backends

        embedder = Backends().embedder
    try:
        report = evaluate_file(data, label, options, embedder, no_dates, topic_label)
    except ValueError as exc:
        raise fail(str(exc), EXIT_INPUT_FAILED) from exc
    if json_out:
        echo_json(report)
        return
    out = stdout()
    out.print(
        f"{data}: {report['n_items']} rows, {report['n_clusters']} clusters "
        f"({report['n_gold_clusters']} gold)"
    )
    _print_scores(out, report)
    topics = report.get("topics")
    if topics is None:
        out.print(f"  topics: not scored (not every row has a {topic_label!r} field)", markup=False)
        return
    out.print(f"Topics ({topic_label!r}): {topics['n_clusters']} found ({topics['n_gold_clusters']} gold)",
              markup=False)
    _print_scores(out, topics)


def _print_scores(out: Any, scores: dict[str, Any]) -> None:
    for key in ("precision", "recall", "f1"):
        out.print(f"  B-cubed {key:<10} {scores[key]:.4f}")
    out.print(f"  ARI               {scores['ari']:.4f}")
