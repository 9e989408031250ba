"""A readable Markdown rendering of an analyze report: whatever sections the report has.

Each section is its own renderer ``(report) -> list of lines | None`` listed in ``SECTIONS``; each
reads the typed report (``report.types``), so a layer the report lacks is simply not rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from newsprism.report.types import Report, Verdict, parse_report

Renderer = Callable[[Report], list[str] | None]

MAX_ROWS = 25
MAX_CELL = 80


def plural(n: int, one: str, many: str | None = None) -> str:
    """``"1 story"``, ``"2 stories"``: the count with the right form of the noun."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _plain(value: Any) -> str:
    """A value as text a reader can use: a float rounded, a list of values joined."""
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, list | tuple):
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


def _outlets(report: Report) -> dict[str, str]:
    return {a.id: a.name for a in report.articles}


def render_header(report: Report) -> list[str]:
    n = len(report.articles)
    outlets = sorted(set(_outlets(report).values()))
    return [
        "# newsprism report",
        "",
        f"{plural(n, 'article')} from {plural(len(outlets), 'outlet')}: {', '.join(outlets) or 'none'}.",
        "",
        f"Generated {report.generated_at} by newsprism {report.newsprism_version}"
        f" (report schema {report.schema_version}, analysis {report.analysis_id or '-'}).",
    ]


def render_inputs(report: Report) -> list[str] | None:
    inputs = report.inputs.to_dict()
    if not inputs:
        return None
    keys = ("new", "duplicate", "revision", "failed", "articles_given")
    counts = ", ".join(f"{k}: {inputs[k]}" for k in keys if k in inputs)
    lines = ["## Inputs", "", counts or "no counts recorded"]
    if report.inputs.errors:
        lines += ["", "Inputs that could not be read:", ""]
        lines += [f"- `{cell(e.source, 200)}`: {cell(e.reason, 300)}" for e in report.inputs.errors]
    return lines


def render_stages(report: Report) -> list[str] | None:
    records = report.stages.records
    if not records:
        return None
    rows = [[r.name, r.layer, r.status, r.seconds, r.reason] for r in records]
    return ["## Stages", "", *table(["stage", "layer", "status", "seconds", "reason"], rows)]


def render_articles(report: Report) -> list[str] | None:
    articles = report.articles
    if not articles:
        return ["## Articles", "", "No articles."]
    rows = [
        (a.id[:12], a.name, a.language, (a.published or "")[:16].replace("T", " "),
         a.title, a.n_sentences, (a.revision_of or "")[:12])
        for a in articles
    ]
    headers = ["id", "name", "language", "published", "title", "sentences", "revision of"]
    # An article analysed only in part says so, with the offset where analysis stopped.
    notices = [f"- `{cell(a.id, 40)}`: {cell(a.notice, 300)}" for a in articles if a.notice]
    return ["## Articles", "", *table(headers, rows), *(["", *notices] if notices else [])]


def render_stories(report: Report) -> list[str] | None:
    if report.stories is None:
        return None
    outlets = _outlets(report)
    lines = ["## Stories", ""]
    for story in report.stories.stories:
        carried = sorted({outlets.get(i, i[:8]) for i in story.article_ids})
        label = cell(story.label or "untitled story", 160)
        lines.append(f"- **{label}** ({plural(len(story.article_ids), 'article')}: {', '.join(carried)})")
    if len(lines) == 2:
        lines.append("No stories found.")
    return lines


def _who(outlets: Mapping[str, str], ids: Sequence[str]) -> str:
    names = list(dict.fromkeys(outlets.get(i, i[:8]) for i in ids))
    return ", ".join(names) or "?"


def render_reuse(report: Report) -> list[str] | None:
    layer = report.reuse
    if layer is None:
        return None
    outlets = _outlets(report)
    lines = ["## Text reuse", ""]
    rows = []
    for p in layer.pairs:
        source, target = (p.b, p.a) if p.direction == "b->a" else (p.a, p.b)
        arrow = "→" if p.direction in ("a->b", "b->a") else "↔"
        rows.append((f"{outlets.get(source, source[:8])} {arrow} {outlets.get(target, target[:8])}",
                     p.type, p.confidence, p.reason))
    lines += table(["copied", "type", "confidence", "why"], rows) if rows else ["No reuse found."]
    lines.append("")
    for g in layer.groups:
        origin = outlets.get(g.origin, "unknown") if g.origin else "unknown"
        lines.append(f"- group {g.id}: {_who(outlets, g.members)} (origin: {origin})")
    return lines


def _evidence_lines(outlets: Mapping[str, str], evidence: Sequence[Any], limit: int = 3) -> list[str]:
    return [f"  > {cell(e.text, 240)} — {outlets.get(e.article_id, e.article_id[:8])} "
            f"({e.article_id[:12]}, chars {e.span[0]}–{e.span[1]})" for e in evidence[:limit]]


def _verdict_items(title: str, items: Sequence[Verdict], outlets: Mapping[str, str]) -> list[str]:
    lines = [f"### {title} ({len(items)})", ""]
    if not items:
        return [*lines, "none"]
    for v in items[:MAX_ROWS]:
        n = v.n_independent_sources
        count = f"; {plural(n, 'independent source')}" if n is not None else ""
        if v.origin:
            count += f"; 1 original source: {cell(v.origin, 80)}"
        if v.confidence is not None:
            count += f"; confidence {v.confidence:.2f}"
        lines.append(f"- **{cell(v.text, 240)}** — {_who(outlets, v.article_ids)}{count}")
        if v.update:
            # The values are one count at two moments, which a report marks as changed: not a dispute.
            lines.append("  - update: a figure a report marks as changed (values in order, earlier first)")
        if v.confidence_reason:
            lines.append(f"  - why: {cell(v.confidence_reason, 200)}")
        for side in v.values or v.sides:
            actor = f"{side.actor} ({side.stance}): " if side.actor else ""
            lines.append(f"  - {actor}{cell(side.value, 160)} — {_who(outlets, side.article_ids)}")
            lines += ["  " + ln for ln in _evidence_lines(outlets, side.evidence, 2)]
        if not (v.values or v.sides):
            lines += _evidence_lines(outlets, v.evidence)
    return lines


def render_verdicts(report: Report) -> list[str] | None:
    layer = report.verdicts
    if layer is None:
        return None
    outlets = _outlets(report)
    lines = ["## Verdicts", ""]
    if layer.independence_note:
        lines += [cell(layer.independence_note, 400), ""]
    parts = (("Corroborated facts", layer.fact_sheet), ("Conflicts between outlets", layer.conflicts),
             ("Disputes between actors", layer.actor_disputes),
             ("Reported by one source only", layer.single_source))
    # Only runs with a judge, or with reworded quotes, have these lists.
    optional = (("Conflicts set aside by the pair judge", layer.dismissed),
                ("Wording variants (meaning kept, not conflicts)", layer.wording))
    for title, items in (*parts, *((t, i) for t, i in optional if i)):
        lines += [*_verdict_items(title, items, outlets), ""]
    return lines


def render_claims(report: Report) -> list[str] | None:
    layer = report.claims
    if layer is None:
        return None
    outlets = _outlets(report)
    per_article = layer.articles
    n = sum(len(v) for v in per_article.values())
    lines = ["## Claims", "", f"{plural(n, 'claim')} in {plural(len(per_article), 'article')}.", ""]
    rows = [(aid[:12], outlets.get(aid, ""), len(claims),
             sum(1 for c in claims if c.attribution and c.attribution.source),
             sum(1 for c in claims if c.quantities))
            for aid, claims in per_article.items()]
    lines += table(["article", "outlet", "claims", "attributed", "with figures"], rows[:MAX_ROWS])
    errors = layer.errors
    lines += ["", *(f"- `{cell(k, 40)}`: {cell(v, 300)}" for k, v in errors.items())] if errors else []
    return lines


def render_alignment(report: Report) -> list[str] | None:
    layer = report.alignment
    if layer is None:
        return None
    outlets = _outlets(report)
    groups = layer.groups
    shared = sorted((g for g in groups if len(g.article_ids) > 1), key=lambda g: -len(g.article_ids))
    lines = ["## Alignment", "",
             f"{plural(len(groups), 'claim group')}; {plural(len(shared), 'group')} "
             f"{'spans' if len(shared) == 1 else 'span'} several articles.", ""]
    more = f" (first {MAX_ROWS} of {len(shared)})" if len(shared) > MAX_ROWS else ""
    if shared:
        lines += [f"Groups across articles{more}:", ""]
        rows = [(g.id, len(g.article_ids), _who(outlets, g.article_ids), g.score,
                 g.members[0].text if g.members else None)
                for g in shared[:MAX_ROWS]]
        lines += table(["group", "articles", "outlets", "score", "first claim"], rows)
    lines += [f"- {cell(note, 300)}" for note in layer.notes]
    return lines


def render_absent(report: Report) -> list[str] | None:
    absent = report.stages.absent
    if not absent:
        return None
    return ["## Not computed", "", *(f"- **{k}**: {cell(v, 300)}" for k, v in absent.items())]


def render_not_compared(report: Report) -> list[str] | None:
    """Articles analysis left out because the models do not handle their language: listed, not judged."""
    languages = report.languages
    if languages is None or not languages.not_compared:
        return None
    compared = ", ".join(languages.compared) or "none"
    lines = ["## Not compared", "", f"Compared languages: {compared}. These articles were not judged:", ""]
    lines += [f"- {cell(a.display_name, 120)} (`{cell(a.id, 40)}`): {cell(a.reason, 120)}"
              for a in languages.not_compared]
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


def render_markdown(
    report: Report | Mapping[str, Any], sections: Sequence[tuple[str, Renderer]] | None = None
) -> str:
    """The report as Markdown; a report dict is parsed first (``ReportSchemaError`` when malformed)."""
    typed = parse_report(report)
    blocks = []
    for _name, renderer in sections or SECTIONS:
        lines = renderer(typed)
        if lines:
            blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
