"""The report's sections, built from a ``ReportView``: each returns plain data or ``None`` when absent."""

from __future__ import annotations

from typing import Any

from newsprism.report.graph import edge_endpoints, layout
from newsprism.report.types import Reuse, RevisionDiff, Side, Span, Verdict
from newsprism.report.view import Quote, ReportView


def stories(view: ReportView) -> list[dict[str, Any]] | None:
    layer = view.report.stories
    if layer is None:
        return None
    return [{
        "id": str(s.id), "label": s.label or "untitled story",
        "time_span": [x[:16].replace("T", " ") for x in s.bounds],
        "outlets": [str(o) for o in s.outlets],
        "n_articles": s.n_articles if s.n_articles is not None else len(s.article_ids),
        "n_independent": s.n_independent_sources,
        "chips": view.chips(s.article_ids),
    } for s in layer.stories]


def timeline(view: ReportView) -> list[dict[str, Any]]:
    rows = [{
        "id": a.id, "outlet": a.name, "title": a.title or "", "published": a.published or "",
        "revision_of": a.revision_of, "inferred": a.origins.get("published", "").startswith("inferred"),
    } for a in view.articles]
    rows.sort(key=lambda r: (r["published"] or "~", r["id"]))
    return rows


def reuse(view: ReportView) -> dict[str, Any] | None:
    layer = view.report.reuse
    if layer is None:
        return None
    pairs = []
    for p in layer.pairs:
        source, target, directed = edge_endpoints(p)
        passages = [{"a": view.quote(p.a, ps.a, "reuse"), "b": view.quote(p.b, ps.b, "reuse")}
                    for ps in p.passages]
        pairs.append({
            "a": p.a, "b": p.b, "source": source, "target": target,
            "directed": directed, "type": p.type, "confidence": p.confidence,
            "reason": p.reason, "direction_reason": p.direction_reason,
            "coverage_a": p.coverage_a, "coverage_b": p.coverage_b,
            "source_outlet": view.outlet(source), "target_outlet": view.outlet(target), "passages": passages,
        })
    groups = [{
        "id": str(g.id), "origin": g.origin,
        "origin_outlet": view.outlet(g.origin) if g.origin else None,
        "origin_reason": g.origin_reason,
        "chips": view.chips(g.members),
    } for g in layer.groups]
    graph = layout(view.articles, layer.pairs)
    return {"pairs": pairs, "groups": groups, "graph": graph, "revisions": revisions(view, layer)}


def revisions(view: ReportView, layer: Reuse) -> list[dict[str, Any]]:
    diffs: list[RevisionDiff] = [p.diff for p in layer.pairs if p.diff is not None]
    return [{
        "old": r.old, "new": r.new, "old_outlet": view.outlet(r.old),
        "changes": [{"op": c.op, "old": _change_text(view, r.old, c.old),
                     "new": _change_text(view, r.new, c.new)} for c in r.entries],
        "counts": r.counts,
    } for r in diffs]


def _change_text(view: ReportView, article_id: str, span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    quote = view.quote(article_id, span, "revision")
    return {"text": quote.text, "anchor": quote.anchor}


def _confidence(v: Verdict) -> dict[str, Any]:
    """How sure a finding is, and why (report schema 1.2.0; older reports have neither)."""
    return {"confidence": v.confidence, "confidence_reason": v.confidence_reason}


def _ids(v: Verdict | Side, quotes: list[Quote]) -> list[str]:
    return list(v.article_ids) or [q.article_id for q in quotes]


def fact_sheet(view: ReportView) -> list[dict[str, Any]] | None:
    layer = view.report.verdicts
    if layer is None:
        return None
    out = []
    for f in layer.fact_sheet:
        ev = view.evidence_list(f.evidence, "fact")
        ids = _ids(f, ev)
        out.append({
            "id": f.id, "group_id": f.group_id,
            "text": f.text or (ev[0].text if ev else ""),
            "evidence": ev, "chips": view.chips(ids),
            "n_independent": f.n_independent_sources,
            "n_articles": len(set(ids)), "note": f.note,
            "n_reports": f.n_reports, "origin": f.origin, "label": f.label,
            **_confidence(f),
        })
    return out


def _side(view: ReportView, side: Side, values: list[str], kind: str) -> dict[str, Any]:
    value_items = [e for e in side.evidence if e.role == "value"]
    quotes = [e for e in side.evidence if e.role != "value"] or value_items
    ev = view.evidence_list(quotes, kind, values)
    # A value's own offsets, when given, say exactly what to highlight inside the quoted sentence.
    value_spans = [view.evidence(v, "value") for v in value_items] if quotes is not value_items else []
    for e in ev:
        view.mark_values(e, value_spans)
    return {"value": side.value or "", "actor": side.actor, "stance": side.stance,
            "evidence": ev, "chips": view.chips(_ids(side, ev))}


# Facts a reader checks first (figures, dates, places) before differences in attribution or wording.
_CONFLICT_ORDER = (
    "numeric", "date/time", "time", "place", "entity", "polarity", "attribution", "quote wording"
)


def _conflict_rank(c: dict[str, Any]) -> int:
    kind = c["type"].lower()
    return _CONFLICT_ORDER.index(kind) if kind in _CONFLICT_ORDER else len(_CONFLICT_ORDER) - 2


def conflicts(view: ReportView) -> list[dict[str, Any]] | None:
    layer = view.report.verdicts
    if layer is None:
        return None
    out = []
    for n, c in enumerate(layer.conflicts, 1):
        values = [s.value or "" for s in c.values]
        out.append({
            "id": c.id, "n": n, "group_id": c.group_id, "type": c.type or "conflict",
            "topic": c.text or c.slot, "slot": c.slot, "explanation": c.reason,
            "sides": [_side(view, s, values, "conflict") for s in c.values],
            "update": c.update,
            **_confidence(c),
        })
    return sorted(out, key=lambda c: (-(c["confidence"] or 0), _conflict_rank(c)))


def wording(view: ReportView) -> list[dict[str, Any]] | None:
    """One statement printed in different words that keep its meaning: a note, not a conflict."""
    layer = view.report.verdicts
    if layer is None:
        return None
    return [{"id": w.id, "group_id": w.group_id,
             "sides": [_side(view, s, [], "wording") for s in w.values or w.sides]}
            for w in layer.wording]


def disputes(view: ReportView) -> list[dict[str, Any]] | None:
    layer = view.report.verdicts
    if layer is None:
        return None
    return [{
        "id": d.id, "group_id": d.group_id, "topic": d.text, "explanation": d.reason,
        "sides": [_side(view, s, [], "dispute") for s in d.sides],
        "chips": view.chips(d.article_ids),
        **_confidence(d),
    } for d in layer.actor_disputes]


def single_source(view: ReportView) -> list[dict[str, Any]] | None:
    layer = view.report.verdicts
    if layer is None:
        return None
    out = []
    for s in layer.single_source:
        ev = view.evidence_list(s.evidence, "single")
        ids = _ids(s, ev)
        out.append({"id": s.id, "text": s.text or (ev[0].text if ev else ""),
                    "evidence": ev, "chips": view.chips(ids), "note": s.note,
                    "n_articles": len(set(ids))})
    return out


def summary(facts: list[dict] | None, confl: list[dict] | None, disp: list[dict] | None) -> list[dict] | None:
    """An extractive summary: the best-supported facts quoted from articles, then what is contested."""
    if facts is None:
        return None
    out: list[dict[str, Any]] = []
    ranked = sorted(facts, key=lambda f: (-(f["n_independent"] or 0), -f["n_articles"]))
    for f in ranked[:5]:
        ev = next((e for e in f["evidence"] if e.text), None)
        if ev is not None:
            out.append({"kind": "fact", "evidence": ev, "chips": f["chips"],
                        "n_independent": f["n_independent"]})
    for c in (confl or [])[:3]:
        out.append({"kind": "conflict", "conflict": c})
    for d in (disp or [])[:2]:
        out.append({"kind": "dispute", "dispute": d})
    return out
