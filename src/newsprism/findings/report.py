"""The analyze report rendered from stored stories: the same shape ``build_report`` gives a run, read
from ``story_analyses`` and its tables only, so a report file, the web app and the API show what
the store holds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Connection

from newsprism.language import not_compared_reason, split_by_language
from newsprism.limits import ANALYSIS_MAX_CHARS, analysis_view
from newsprism.model import display_name
from newsprism.report.json_report import SCHEMA_VERSION, article_summary, stages_section
from newsprism.store import Store
from newsprism.store.findings import (
    VERDICT_SECTIONS,
    analysis_summaries,
    story_claims,
    story_fact_groups,
    story_reuse_links,
    story_rows,
    story_verdicts,
)

_SORTS = {
    "fact_sheet": lambda d: (-(d.get("n_independent_sources") or 0), -len(d.get("article_ids") or []),
                             -(d.get("confidence") or 0), d["id"]),
    "conflicts": lambda d: (-(d.get("confidence") or 0), d["id"]),
    "actor_disputes": lambda d: (-(d.get("confidence") or 0), d["id"]),
}


def _stories_section(summaries: list[Any]) -> dict[str, Any]:
    stories = [s.detail["story"] | {"n_independent_sources": s.n_independent_sources} for s in summaries]
    story_of = {a: s["id"] for s in stories for a in s["article_ids"]}
    return {"stories": stories, "story_of": story_of, "notes": [], "stats": {}}


def _reuse_section(conn: Connection, summaries: list[Any], ids: list[str]) -> dict[str, Any] | None:
    parts = [s.detail.get("reuse") for s in summaries]
    if not any(parts):
        return None
    groups = [g for p in parts if p for g in p["groups"]]
    notes = list(dict.fromkeys(n for p in parts if p for n in p["notes"]))
    pairs = [r.detail for r in story_rows(conn, story_reuse_links, ids)]
    return {"pairs": pairs, "groups": groups, "group_of": {m: g["id"] for g in groups for m in g["members"]},
            "notes": notes, "stats": {}}


def _claims_section(conn: Connection, summaries: list[Any], ids: list[str]) -> dict[str, Any] | None:
    if not any(s.detail.get("claims") is not None for s in summaries):
        return None
    by_article: dict[str, list[Any]] = {a: [] for s in summaries for a in s.article_ids}
    for r in story_rows(conn, story_claims, ids):
        by_article.setdefault(r.article_id, []).append(r)
    articles = {a: [r.detail for r in sorted(rows, key=lambda r: (r.span_start, r.span_end, r.id))]
                for a, rows in by_article.items()}
    parts = [(s.detail.get("claims") or {}).get("errors") or {} for s in summaries]
    errors = {k: v for p in parts for k, v in p.items()}
    return {"n_claims": sum(len(v) for v in articles.values()), "articles": articles, "errors": errors,
            "timings": {}}


def _alignment_section(conn: Connection, summaries: list[Any], ids: list[str]) -> dict[str, Any] | None:
    parts = [s.detail.get("alignment") for s in summaries]
    if not any(p is not None for p in parts):
        return None
    groups = [r.detail for r in story_rows(conn, story_fact_groups, ids)]
    return {
        "n_groups": len(groups),
        "n_multi_article_groups": sum(1 for g in groups if len(set(g.get("article_ids") or [])) > 1),
        "groups": groups,
        "notes": list(dict.fromkeys(n for p in parts if p for n in p["notes"])),
        "errors": {k: v for p in parts if p for k, v in p["errors"].items()},
        "timings": {},
    }


def _verdicts_section(conn: Connection, summaries: list[Any], ids: list[str]) -> dict[str, Any] | None:
    parts = [s.detail.get("verdicts") for s in summaries]
    present = [p for p in parts if p is not None]
    if not present:
        return None
    sections: dict[str, list[dict[str, Any]]] = {k: [] for k in VERDICT_SECTIONS}
    for r in story_rows(conn, story_verdicts, ids):
        sections[r.section].append(r.detail)
    for key, rows in sections.items():
        rows.sort(key=_SORTS.get(key, lambda d: d["id"]))
    modes = {p["independence"] for p in present}
    mode = "reuse" if modes == {"reuse"} else next(iter(modes - {"reuse"}))
    return {
        "independence": mode,
        "independence_note": next((p["independence_note"] for p in present if p["independence"] == mode), ""),
        **sections,
        "counts": {k: len(v) for k, v in sections.items()},
        "errors": {k: v for p in present for k, v in p["errors"].items()},
        "timings": {},
    }


def _articles(
    store: Store, conn: Connection, summaries: list[Any], include_text: bool, languages: frozenset[str]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Each story's articles as its analysis read them (cut where it cut them), and the languages
    section: the articles in a language not compared, found as the analysis found them (the same
    stored language and text, the same set of compared languages)."""
    out, left_out = [], []
    for s in summaries:
        limit = s.detail.get("max_chars") or ANALYSIS_MAX_CHARS
        entries = {}
        for a in store.iter_articles_of(s.article_ids, conn):  # a page of texts at a time
            view = analysis_view(a, limit)
            entries[a.id] = article_summary(view, include_text, len(a.text) if view is not a else None)
            _, skipped = split_by_language([view], languages)
            for _, language in skipped:
                entries[a.id]["not_compared"] = not_compared_reason(language)
                left_out.append({"id": a.id, "display_name": display_name(a), "language": language,
                                 "reason": not_compared_reason(language)})
        out += [entries[a] for a in s.article_ids if a in entries]
    return out, {"compared": sorted(languages), "not_compared": left_out}


def stored_report(
    store: Store,
    story_ids: Sequence[str],
    inputs: Mapping[str, Any] | None = None,
    *,
    include_text: bool = True,
    languages: frozenset[str] | None = None,
) -> dict[str, Any]:
    """The report of the analysed stories among ``story_ids`` (in that order), read from the store.
    ``languages``: those compared (default: what the default models handle)."""
    from newsprism import __version__
    from newsprism.analysis import PipelineOptions

    languages = languages if languages is not None else PipelineOptions().compared_languages()
    with store.engine.connect() as conn:
        found = analysis_summaries(conn, list(story_ids))
        summaries = [found[s] for s in story_ids if s in found]
        ids = [s.story_id for s in summaries]
        newest = max((s.analysed_at for s in summaries), default=None)
        report: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "newsprism_version": __version__,
            "analysis_id": None,
            "inputs": {**dict(inputs or {}), "stories": ids,
                       "analysed_at": newest.isoformat() if newest else None},
            "stages": stages_section(summaries[0].detail["stages"] if summaries else []),
        }
        report["articles"], report["languages"] = _articles(store, conn, summaries, include_text, languages)
        sections = {
            "reuse": _reuse_section(conn, summaries, ids),
            "stories": _stories_section(summaries),
            "claims": _claims_section(conn, summaries, ids),
            "alignment": _alignment_section(conn, summaries, ids),
            "verdicts": _verdicts_section(conn, summaries, ids),
        }
    report.update({k: v for k, v in sections.items() if v is not None})
    return report
