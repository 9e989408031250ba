"""A readable Markdown rendering of an analyze report: whatever sections the report has.

Each section is its own renderer ``(report) -> list of lines | None`` listed in ``SECTIONS``; a
later layer gets a specific renderer by replacing its entry, and until then the generic layer
renderer shows its counts and a table of its items.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from newsprism.model import display_name

Renderer = Callable[[Mapping[str, Any]], list[str] | None]

MAX_ROWS = 25
MAX_COLUMNS = 6
MAX_CELL = 80


def plural(n: int, one: str, many: str | None = None) -> str:
    """``"1 story"``, ``"2 stories"``: the count with the right form of the noun."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _plain(value: Any) -> str:
    """A value as text a reader can use: never a Python ``repr`` of a dict or a list of dicts."""
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in value.items() if _scalar(v))
    if isinstance(value, list | tuple):
        if any(isinstance(v, Mapping | list | tuple) for v in value):
            return plural(len(value), "item")
        return ", ".join(_plain(v) for v in value)
    return str(value)


def cell(value: Any, limit: int = MAX_CELL) -> str:
    """One table cell: single line, pipes escaped, long text cut with an ellipsis."""
    if value is None:
        return ""
    text = _plain(value)
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out.extend("| " + " | ".join(cell(v) for v in row) + " |" for row in rows)
    return out


def _outlets(report: Mapping[str, Any]) -> dict[str, str]:
    return {str(a.get("id")): display_name(a) for a in report.get("articles") or []}


def render_header(report: Mapping[str, Any]) -> list[str]:
    n = len(report.get("articles") or [])
    outlets = sorted(set(_outlets(report).values()))
    return [
        "# newsprism report",
        "",
        f"{plural(n, 'article')} from {plural(len(outlets), 'outlet')}: {', '.join(outlets) or 'none'}.",
        "",
        f"Generated {report.get('generated_at', '?')} by newsprism {report.get('newsprism_version', '?')}"
        f" (report schema {report.get('schema_version', '?')}, analysis {report.get('analysis_id') or '-'}).",
    ]


def render_inputs(report: Mapping[str, Any]) -> list[str] | None:
    inputs = report.get("inputs") or {}
    if not inputs:
        return None
    keys = ("new", "duplicate", "revision", "failed", "articles_given")
    counts = ", ".join(f"{k}: {inputs[k]}" for k in keys if k in inputs)
    lines = ["## Inputs", "", counts or "no counts recorded"]
    errors = inputs.get("errors") or []
    if errors:
        lines += ["", "Inputs that could not be read:", ""]
        lines += [f"- `{cell(e.get('source'), 200)}`: {cell(e.get('reason'), 300)}" for e in errors]
    return lines


def render_stages(report: Mapping[str, Any]) -> list[str] | None:
    stages = report.get("stages") or {}
    records = stages.get("records") if isinstance(stages, Mapping) else None
    if not records:
        return None
    columns = ["name", "layer", "status", "seconds", "reason"]
    rows = [[r.get(c) for c in columns] for r in records]
    return ["## Stages", "", *table(["stage", *columns[1:]], rows)]


def render_articles(report: Mapping[str, Any]) -> list[str] | None:
    articles = report.get("articles") or []
    if not articles:
        return ["## Articles", "", "No articles."]
    rows = [
        (str(a.get("id"))[:12], display_name(a), a.get("language"),
         (a.get("published") or "")[:16].replace("T", " "),
         a.get("title"), a.get("n_sentences"), str(a.get("revision_of") or "")[:12])
        for a in articles
    ]
    headers = ["id", "name", "language", "published", "title", "sentences", "revision of"]
    # An article analysed only in part says so, with the offset where analysis stopped.
    notices = [f"- `{cell(a['id'], 40)}`: {cell(a['notice'], 300)}" for a in articles if a.get("notice")]
    return ["## Articles", "", *table(headers, rows), *(["", *notices] if notices else [])]


def render_stories(report: Mapping[str, Any]) -> list[str] | None:
    layer = report.get("stories")
    if not isinstance(layer, Mapping) or not isinstance(layer.get("stories"), list):
        return render_layer("stories", "Stories")(report)
    outlets = _outlets(report)
    lines = ["## Stories", ""]
    for story in layer["stories"]:
        ids = [str(i) for i in story.get("article_ids") or []]
        carried = sorted({outlets.get(i, i[:8]) for i in ids})
        label = story.get("label") or story.get("title") or "untitled story"
        lines.append(f"- **{cell(label, 160)}** ({plural(len(ids), 'article')}: {', '.join(carried)})")
    if len(lines) == 2:
        lines.append("No stories found.")
    return lines


def _who(outlets: Mapping[str, str], ids: Sequence[Any]) -> str:
    names = list(dict.fromkeys(outlets.get(str(i), str(i)[:8]) for i in ids or []))
    return ", ".join(names) or "?"


def render_reuse(report: Mapping[str, Any]) -> list[str] | None:
    layer = report.get("reuse")
    if not isinstance(layer, Mapping) or not isinstance(layer.get("pairs"), list):
        return render_layer("reuse", "Text reuse")(report)
    outlets = _outlets(report)
    lines = ["## Text reuse", ""]
    rows = []
    for p in layer["pairs"]:
        a, b = str(p.get("a")), str(p.get("b"))
        source, target = (b, a) if p.get("direction") == "b->a" else (a, b)
        arrow = "→" if p.get("direction") in ("a->b", "b->a") else "↔"
        rows.append((f"{outlets.get(source, source[:8])} {arrow} {outlets.get(target, target[:8])}",
                     p.get("type"), p.get("confidence"), p.get("reason")))
    lines += table(["copied", "type", "confidence", "why"], rows) if rows else ["No reuse found."]
    lines.append("")
    for g in layer.get("groups") or []:
        members = g.get("members") or g.get("article_ids") or []
        origin = outlets.get(str(g.get("origin")), "unknown") if g.get("origin") else "unknown"
        lines.append(f"- group {g.get('id')}: {_who(outlets, members)} (origin: {origin})")
    return lines


def _evidence_lines(outlets: Mapping[str, str], evidence: Sequence[Any], limit: int = 3) -> list[str]:
    out = []
    for e in list(evidence or [])[:limit]:
        if not isinstance(e, Mapping):
            continue
        span = e.get("span") or []
        where = f"chars {span[0]}–{span[1]}" if len(span) == 2 else "no offsets"
        aid = str(e.get("article_id"))
        out.append(f"  > {cell(e.get('text'), 240)} — {outlets.get(aid, aid[:8])} ({aid[:12]}, {where})")
    return out


def _verdict_items(title: str, items: Sequence[Any], outlets: Mapping[str, str]) -> list[str]:
    lines = [f"### {title} ({len(items)})", ""]
    if not items:
        return [*lines, "none"]
    for v in items[:MAX_ROWS]:
        n = v.get("n_independent_sources")
        count = f"; {plural(n, 'independent source')}" if n is not None else ""
        if v.get("origin"):
            count += f"; 1 original source: {cell(v['origin'], 80)}"
        if v.get("confidence") is not None:
            count += f"; confidence {v['confidence']:.2f}"
        lines.append(f"- **{cell(v.get('text'), 240)}** — {_who(outlets, v.get('article_ids'))}{count}")
        if v.get("confidence_reason"):
            lines.append(f"  - why: {cell(v['confidence_reason'], 200)}")
        for side in v.get("values") or v.get("sides") or []:
            actor = f"{side.get('actor')} ({side.get('stance')}): " if side.get("actor") else ""
            who = _who(outlets, side.get("article_ids"))
            lines.append(f"  - {actor}{cell(side.get('value'), 160)} — {who}")
            lines += ["  " + ln for ln in _evidence_lines(outlets, side.get("evidence"), 2)]
        if not (v.get("values") or v.get("sides")):
            lines += _evidence_lines(outlets, v.get("evidence"))
    return lines


def render_verdicts(report: Mapping[str, Any]) -> list[str] | None:
    layer = report.get("verdicts")
    if not isinstance(layer, Mapping) or not isinstance(layer.get("fact_sheet"), list):
        return render_layer("verdicts", "Verdicts")(report)
    outlets = _outlets(report)
    lines = ["## Verdicts", ""]
    if layer.get("independence_note"):
        lines += [cell(layer["independence_note"], 400), ""]
    parts = (("Corroborated facts", "fact_sheet"), ("Conflicts between outlets", "conflicts"),
             ("Disputes between actors", "actor_disputes"), ("Reported by one source only", "single_source"),
             ("Conflicts set aside by the pair judge", "dismissed"),
             ("Wording variants (meaning kept, not conflicts)", "wording"))
    for title, key in parts:
        if key in ("dismissed", "wording") and not layer.get(key):
            continue  # only runs with a judge, or with reworded quotes, have these lists
        lines += [*_verdict_items(title, layer.get(key) or [], outlets), ""]
    return lines


def render_claims(report: Mapping[str, Any]) -> list[str] | None:
    layer = report.get("claims")
    if not isinstance(layer, Mapping) or not isinstance(layer.get("articles"), Mapping):
        return render_layer("claims", "Claims")(report)
    outlets = _outlets(report)
    per_article = {str(k): [c for c in v if isinstance(c, Mapping)] for k, v in layer["articles"].items()}
    n = sum(len(v) for v in per_article.values())
    lines = ["## Claims", "", f"{plural(n, 'claim')} in {plural(len(per_article), 'article')}.", ""]
    rows = [(aid[:12], outlets.get(aid, ""), len(claims),
             sum(1 for c in claims if (c.get("attribution") or {}).get("source")),
             sum(1 for c in claims if c.get("quantities")))
            for aid, claims in per_article.items()]
    lines += table(["article", "outlet", "claims", "attributed", "with figures"], rows[:MAX_ROWS])
    errors = layer.get("errors") or {}
    lines += ["", *(f"- `{cell(k, 40)}`: {cell(v, 300)}" for k, v in errors.items())] if errors else []
    return lines


def render_alignment(report: Mapping[str, Any]) -> list[str] | None:
    layer = report.get("alignment")
    if not isinstance(layer, Mapping) or not isinstance(layer.get("groups"), list):
        return render_layer("alignment", "Alignment")(report)
    outlets = _outlets(report)
    groups = [g for g in layer["groups"] if isinstance(g, Mapping)]
    shared = sorted((g for g in groups if len(g.get("article_ids") or []) > 1),
                    key=lambda g: -len(g.get("article_ids") or []))
    lines = ["## Alignment", "",
             f"{plural(len(groups), 'claim group')}; {plural(len(shared), 'group')} "
             f"{'spans' if len(shared) == 1 else 'span'} several articles.", ""]
    more = f" (first {MAX_ROWS} of {len(shared)})" if len(shared) > MAX_ROWS else ""
    if shared:
        lines += [f"Groups across articles{more}:", ""]
        rows = [(g.get("id"), len(g.get("article_ids") or []), _who(outlets, g.get("article_ids")),
                 g.get("score"), ((g.get("members") or [{}])[0] or {}).get("text"))
                for g in shared[:MAX_ROWS]]
        lines += table(["group", "articles", "outlets", "score", "first claim"], rows)
    lines += [f"- {cell(note, 300)}" for note in layer.get("notes") or []]
    return lines


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _flat(value: Any) -> bool:
    return _scalar(value) or (isinstance(value, list | tuple) and all(_scalar(v) for v in value))


def _item_table(items: list[Any]) -> list[str]:
    dicts = [i for i in items if isinstance(i, Mapping)]
    if not dicts:
        return [f"- {cell(i, 200)}" for i in items[:MAX_ROWS]]
    columns: list[str] = []
    for item in dicts:
        for key in item:
            # A column only for values that fit a cell in every row: nested records stay in the JSON.
            if key not in columns and all(_flat(d.get(key)) for d in dicts):
                columns.append(key)
    columns = columns[:MAX_COLUMNS]
    if not columns:
        return [f"{plural(len(dicts), 'structured item')}; see the JSON report for their fields."]
    return table(columns, [[d.get(c) for c in columns] for d in dicts[:MAX_ROWS]])


def _mapping_size(value: Mapping[str, Any]) -> str:
    size = plural(len(value), "entry", "entries")
    if value and all(isinstance(v, list) for v in value.values()):
        size += f", {plural(sum(len(v) for v in value.values()), 'item')}"
    return size


def render_layer(key: str, title: str) -> Renderer:
    """A generic renderer for a layer without a specific one: scalars and sizes, then each list as a table."""

    def render(report: Mapping[str, Any]) -> list[str] | None:
        layer = report.get(key)
        if layer is None:
            return None
        lines = [f"## {title}", ""]
        if not isinstance(layer, Mapping):
            return [*lines, cell(layer, 500)]
        lines += [f"- {k}: {cell(v, 200)}" for k, v in layer.items() if _scalar(v)]
        lines += [f"- {k}: {_mapping_size(v)}" for k, v in layer.items() if isinstance(v, Mapping)]
        for name, value in layer.items():
            if isinstance(value, list):
                more = f" (first {MAX_ROWS} shown)" if len(value) > MAX_ROWS else ""
                lines += ["", f"### {name} — {plural(len(value), 'item')}{more}", ""]
                lines += _item_table(value) if value else ["none"]
        return lines

    return render


def render_absent(report: Mapping[str, Any]) -> list[str] | None:
    stages = report.get("stages") or {}
    absent = stages.get("absent") if isinstance(stages, Mapping) else None
    if not absent:
        return None
    lines = ["## Not computed", ""]
    lines += [f"- **{k}**: {cell(v, 300)}" for k, v in absent.items()]
    return lines


def render_not_compared(report: Mapping[str, Any]) -> list[str] | None:
    """Articles analysis left out because the models do not handle their language: listed, not judged."""
    languages = report.get("languages")
    left_out = languages.get("not_compared") if isinstance(languages, Mapping) else None
    if not left_out:
        return None
    compared = ", ".join(languages.get("compared") or []) or "none"
    lines = ["## Not compared", "", f"Compared languages: {compared}. These articles were not judged:", ""]
    lines += [
        f"- {cell(a.get('display_name'), 120)} (`{cell(a.get('id'), 40)}`): {cell(a.get('reason'), 120)}"
        for a in left_out
    ]
    return lines


SECTIONS: list[tuple[str, Renderer]] = [
    ("header", render_header),
    ("inputs", render_inputs),
    ("articles", render_articles),
    ("not_compared", render_not_compared),
    ("verdicts", render_verdicts),
    ("stories", render_stories),
    ("reuse", render_reuse),
    ("claims", render_claims),
    ("alignment", render_alignment),
    ("absent", render_absent),
    ("stages", render_stages),
]


def render_markdown(report: Mapping[str, Any], sections: Sequence[tuple[str, Renderer]] | None = None) -> str:
    blocks = []
    for _name, renderer in sections or SECTIONS:
        lines = renderer(report)
        if lines:
            blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
