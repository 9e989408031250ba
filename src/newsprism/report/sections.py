"""The report's sections, built from a ``ReportView``: each returns plain data or ``None`` when absent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from newsprism.report.graph import edge_endpoints, layout
from newsprism.report.view import ReportView, _first, _span_of


def _ids(obj: Mapping[str, Any]) -> list[str]:
    ids = _first(obj, "article_ids", "articles", "sources", "members", default=[]) or []
    return [str(i.get("article_id") if isinstance(i, Mapping) else i) for i in ids]


def stories(view: ReportView) -> list[dict[str, Any]] | None:
    layer = view.layer("stories")
    if layer is None:
        return None
    out = []
    for s in layer.get("stories") or []:
        span = s.get("time_span") or []
        if isinstance(span, Mapping):
            span = [span.get("start"), span.get("end")]
        out.append({
            "id": str(s.get("id")), "label": str(s.get("label") or "untitled story"),
            "time_span": [str(x)[:16].replace("T", " ") for x in span if x],
            "outlets": [str(o) for o in s.get("outlets") or []],
            "n_articles": s.get("n_articles", len(s.get("article_ids") or [])),
            "n_independent": s.get("n_independent_sources"),
            "chips": view.chips(s.get("article_ids")),
        })
    return out


def timeline(view: ReportView) -> list[dict[str, Any]]:
    rows = []
    for a in view.articles:
        rows.append({
            "id": str(a.get("id")), "outlet": view.outlet(a.get("id")), "title": a.get("title") or "",
            "published": str(a.get("published") or ""), "revision_of": a.get("revision_of"),
            "inferred": str((a.get("origins") or {}).get("published", "")).startswith("inferred"),
        })
    rows.sort(key=lambda r: (r["published"] or "~", r["id"]))
    return rows


def reuse(view: ReportView) -> dict[str, Any] | None:
    layer = view.layer("reuse")
    if layer is None:
        return None
    pairs = []
    for p in layer.get("pairs") or []:
        source, target, directed = edge_endpoints(p)
        passages = []
        for ps in p.get("passages") or []:
            side_a = view.evidence({"article_id": p.get("a"), "span": ps.get("a")}, "reuse")
            side_b = view.evidence({"article_id": p.get("b"), "span": ps.get("b")}, "reuse")
            passages.append({"a": side_a, "b": side_b})
        pairs.append({
            "a": str(p.get("a")), "b": str(p.get("b")), "source": source, "target": target,
            "directed": directed, "type": p.get("type"), "confidence": p.get("confidence"),
            "reason": p.get("reason"),
            "direction_reason": p.get("direction_reason"),
            "coverage_a": p.get("coverage_a"), "coverage_b": p.get("coverage_b"),
            "source_outlet": view.outlet(source), "target_outlet": view.outlet(target), "passages": passages,
        })
    groups = [{
        "id": str(g.get("id")), "origin": g.get("origin"),
        "origin_outlet": view.outlet(g["origin"]) if g.get("origin") else None,
        "origin_reason": g.get("origin_reason"),
        "chips": view.chips(_ids(g)),
    } for g in layer.get("groups") or []]
    names = {str(a.get("id")): view.outlet(a.get("id")) for a in view.articles}
    graph = layout(view.articles, layer.get("pairs") or [], names)
    return {"pairs": pairs, "groups": groups, "graph": graph, "revisions": revisions(view, layer)}


def revisions(view: ReportView, layer: Mapping[str, Any]) -> list[dict[str, Any]]:
    out = []
    diffs = [p["diff"] for p in layer.get("pairs") or [] if isinstance(p.get("diff"), Mapping)]
    for r in [*diffs, *(_first(layer, "revisions", "revision_diffs", default=[]) or [])]:
        old = str(_first(r, "old", "a", "earlier", default=""))
        new = str(_first(r, "new", "b", "later", default=""))
        changes = []
        for c in _first(r, "entries", "changes", "ops", default=[]) or []:
            changes.append({
                "op": str(c.get("op") or c.get("tag") or "replace"),
                "old": _change_text(view, old, _first(c, "old", "a", "removed")),
                "new": _change_text(view, new, _first(c, "new", "b", "added")),
            })
        out.append({"old": old, "new": new, "old_outlet": view.outlet(old), "changes": changes,
                    "counts": r.get("counts") or {}})
    return out


def _change_text(view: ReportView, article_id: str, value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return {"text": value, "anchor": None}
    span = _span_of({"span": value}) if isinstance(value, list) else _span_of(value)
    if span is None:
        if not isinstance(value, Mapping):
            return None
        return {"text": str(_first(value, "text", default="")), "anchor": None}
    ev = view.evidence({"article_id": article_id, "span": list(span)}, "revision")
    return {"text": ev.text if ev else "", "anchor": ev.anchor if ev else None}


def fact_sheet(view: ReportView) -> list[dict[str, Any]] | None:
    layer = view.layer("verdicts")
    if layer is None:
        return None
    out = []
    for f in _first(layer, "fact_sheet", "facts", default=[]) or []:
        ev = view.evidence_list(_first(f, "evidence", "mentions", "support", default=[]), "fact")
        ids = _ids(f) or [e.article_id for e in ev]
        out.append({
            "id": str(f.get("id", "")), "group_id": f.get("group_id"),
            "text": str(_first(f, "text", "statement", "claim", default=ev[0].text if ev else "")),
            "evidence": ev, "chips": view.chips(ids),
            "n_independent": _first(f, "n_independent_sources", "n_independent", "independent_sources"),
            "n_articles": len(set(ids)), "note": f.get("note") or f.get("independence_note"),
            "n_reports": f.get("n_reports"), "origin": f.get("origin"), "label": f.get("label"),
            **_confidence(f),
        })
    return out


def _confidence(v: Mapping[str, Any]) -> dict[str, Any]:
    """How sure a finding is, and why (report schema 1.2.0; older reports have neither)."""
    return {"confidence": v.get("confidence"), "confidence_reason": v.get("confidence_reason")}


def _is_value(item: Any) -> bool:
    return isinstance(item, Mapping) and item.get("role") == "value"


def _side(view: ReportView, side: Mapping[str, Any], values: list[str], kind: str) -> dict[str, Any]:
    raw = list(_first(side, "evidence", "mentions", default=[]) or [])
    value_items = [e for e in raw if _is_value(e)]
    quotes = [e for e in raw if not _is_value(e)] or value_items
    ev = view.evidence_list(quotes, kind, values)
    # A value's own offsets, when given, say exactly what to highlight inside the quoted sentence.
    value_spans = [view.evidence(v, "value") for v in value_items] if quotes is not value_items else []
    for e in ev:
        view.mark_values(e, [v for v in value_spans if v is not None])
    ids = _ids(side) or [e.article_id for e in ev]
    return {"value": str(_first(side, "value", "claim", "text", "statement", default="")),
            "actor": _first(side, "actor", "speaker", "attributed_to"), "stance": side.get("stance"),
            "evidence": ev,
            "chips": view.chips(ids)}


# Facts a reader checks first (figures, dates, places) before differences in attribution or wording.
_CONFLICT_ORDER = ("numeric", "time", "place", "entity", "polarity", "attribution", "quote wording")


def _conflict_rank(c: Mapping[str, Any]) -> int:
    kind = str(c.get("type") or "").lower()
    return _CONFLICT_ORDER.index(kind) if kind in _CONFLICT_ORDER else len(_CONFLICT_ORDER) - 2


def conflicts(view: ReportView) -> list[dict[str, Any]] | None:
    layer = view.layer("verdicts")
    if layer is None:
        return None
    out = []
    for n, c in enumerate(layer.get("conflicts") or [], 1):
        sides_raw = _first(c, "values", "sides", default=[]) or []
        values = [str(_first(s, "value", "text", default="")) for s in sides_raw if isinstance(s, Mapping)]
        out.append({
            "id": str(c.get("id", "")), "n": n, "group_id": c.get("group_id"),
            "type": str(c.get("type") or "conflict"),
            "topic": _first(c, "topic", "about", "text", "statement", "slot"), "slot": c.get("slot"),
            "explanation": _first(c, "reason", "explanation"),
            "sides": [_side(view, s, values, "conflict") for s in sides_raw if isinstance(s, Mapping)],
            "update": bool(c.get("update")),
            **_confidence(c),
        })
    return sorted(out, key=lambda c: (-(c["confidence"] or 0), _conflict_rank(c)))


def wording(view: ReportView) -> list[dict[str, Any]] | None:
    """One statement printed in different words that keep its meaning: a note, not a conflict."""
    layer = view.layer("verdicts")
    if layer is None:
        return None
    out = []
    for w in layer.get("wording") or []:
        sides_raw = [s for s in _first(w, "values", "sides", default=[]) or [] if isinstance(s, Mapping)]
        out.append({
            "id": str(w.get("id", "")), "group_id": w.get("group_id"),
            "sides": [_side(view, s, [], "wording") for s in sides_raw],
        })
    return out


def disputes(view: ReportView) -> list[dict[str, Any]] | None:
    layer = view.layer("verdicts")
    if layer is None:
        return None
    out = []
    for d in layer.get("actor_disputes") or []:
        sides = _first(d, "sides", "positions", "actors", "values", default=[]) or []
        out.append({
            "id": str(d.get("id", "")), "group_id": d.get("group_id"),
            "topic": _first(d, "topic", "about", "text", "statement", "subject"),
            "explanation": _first(d, "reason", "explanation"),
            "sides": [_side(view, s, [], "dispute") for s in sides if isinstance(s, Mapping)],
            "chips": view.chips(_ids(d)),
            **_confidence(d),
        })
    return out


def single_source(view: ReportView) -> list[dict[str, Any]] | None:
    layer = view.layer("verdicts")
    if layer is None:
        return None
    out = []
    for s in layer.get("single_source") or []:
        ev = view.evidence_list(_first(s, "evidence", "mentions", default=[s]), "single")
        ids = _ids(s) or [e.article_id for e in ev]
        out.append({"id": str(s.get("id", "")),
                    "text": str(_first(s, "text", "statement", "claim", default=ev[0].text if ev else "")),
                    "evidence": ev, "chips": view.chips(ids), "note": s.get("note"),
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
