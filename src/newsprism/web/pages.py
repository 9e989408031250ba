"""Browsable pages. Each view answers HTML, or JSON with ``?format=json`` / ``Accept: application/json``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import AfterValidator

from newsprism.limits import analysis_view
from newsprism.model import display_name
from newsprism.report import sections
from newsprism.report.highlight import Mark, passage_anchor, segments
from newsprism.report.html import report_context
from newsprism.report.view import ReportView, _span_of
from newsprism.web.data import StoryQuery, WebData, iso_date
from newsprism.web.negotiate import wants_json

router = APIRouter(include_in_schema=False)


def _respond(request: Request, template: str, ctx: dict[str, Any], data: Any) -> Any:
    if wants_json(request):
        return JSONResponse(data)
    app = request.app
    html = app.state.env.get_template(template).render(assets=app.state.assets, request=request, **ctx)
    return HTMLResponse(html)


def _data(request: Request) -> WebData:
    return request.app.state.data


def _tristate(value: str | None) -> bool | None:
    return {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}.get(
        (value or "").lower())


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/stories", status_code=307)


@router.get("/stories")
def stories_page(
    request: Request, q: str | None = Query(None, max_length=200),
    outlet: str | None = Query(None, max_length=300),
    since: Annotated[str | None, Query(max_length=40), AfterValidator(iso_date)] = None,
    until: Annotated[str | None, Query(max_length=40), AfterValidator(iso_date)] = None,
    has_conflicts: str | None = Query(None, max_length=5), page: int = Query(1, ge=1, le=100000),
) -> Any:
    size = request.app.state.options.page_size
    query = StoryQuery(q or None, outlet or None, since or None, until or None, _tristate(has_conflicts),
                       size, (page - 1) * size)
    rows, total = _data(request).stories(query)
    data = {"items": [r.to_dict() for r in rows], "total": total, "page": page, "page_size": size}
    params = {k: v for k, v in {"q": q, "outlet": outlet, "since": since, "until": until,
                                "has_conflicts": has_conflicts}.items() if v}
    ctx = {"rows": rows, "total": total, "page": page, "pages": max(1, -(-total // size)),
           "params": params, "outlets": _data(request).outlets(), "title": "Stories",
           "not_compared": _data(request).not_compared()}
    data["not_compared"] = ctx["not_compared"]
    return _respond(request, "stories.html.j2", ctx, data)


@router.get("/stories/{story_id}")
def story_page(request: Request, story_id: str) -> Any:
    data = _data(request)
    found = data.story(story_id)
    if found is None:
        raise HTTPException(404, f"no story {story_id!r}")
    row, report = found
    if wants_json(request):
        return JSONResponse({"story": row.to_dict(), "report": report})
    ctx = report_context(report, data.texts_for(report))
    ctx.update(row=row, title=row.label, claims_base="/claims/")
    return _respond(request, "story.html.j2", ctx, None)


def iter_claims(report: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Every claim in the claims layer, whether listed flat or per article."""
    layer = report.get("claims")
    if isinstance(layer, list):
        return [c for c in layer if isinstance(c, Mapping)]
    if not isinstance(layer, Mapping):
        return []
    if isinstance(layer.get("claims"), list):
        return [c for c in layer["claims"] if isinstance(c, Mapping)]
    per_article = layer.get("articles")
    if isinstance(per_article, Mapping):
        return [c for items in per_article.values() if isinstance(items, list)
                for c in items if isinstance(c, Mapping)]
    return []


def claims_of(report: Mapping[str, Any], article_id: str) -> list[dict[str, Any]]:
    """The claims layer's items for one article that carry a usable span."""
    out = []
    for c in iter_claims(report):
        if isinstance(c, Mapping) and str(c.get("article_id")) == article_id and _span_of(c):
            out.append(dict(c))
    return out


def _article_view(request: Request, article_id: str) -> dict[str, Any]:
    data = _data(request)
    article = data.store.get_article(article_id)
    if article is None:
        raise HTTPException(404, f"no article {article_id!r}")
    rows = data.stories_of_article(article.id)
    texts = {article.id: article.text}
    marks: list[Mark] = []
    passages: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    found = data.story(rows[0].story_id) if rows else None  # an article is in one story
    report = found[1] if found is not None else None
    if report is not None:
        texts.update(data.texts_for(report))
        view = ReportView(report, texts)
        reuse = sections.reuse(view)
        for name in ("fact_sheet", "conflicts", "disputes", "single_source"):
            getattr(sections, name)(view)  # each registers the highlights of the evidence it cites
        # What matters on the page: passages others reused, and the claims the verdicts rest on.
        # Single-source claims and claims without a verdict (most sentences) are listed, not marked.
        marks.extend(m for m in view.marks.get(article.id, []) if m.kind in PAGE_MARKS)
        passages = _passages_of(reuse, article.id)
        claims = claims_of(report, article.id)
        cited = verdict_claim_ids(report)
    for c in claims:
        c["in_verdict"] = str(c.get("id")) in cited
        if c["in_verdict"]:
            s, e = _span_of(c)
            marks.append(Mark(s, e, "claim", "claim a verdict rests on"))
            c["anchor"] = passage_anchor(article.id, s, e)
    # The page shows what analysis reads (a 19 MB article made a 19 MB page); nothing an analysis
    # cites lies past that cut, and the JSON views keep the whole text.
    shown = analysis_view(article).text
    cut = {"shown": len(shown), "total": len(article.text)} if len(shown) < len(article.text) else None
    return {"article": article, "stories": rows, "passages": passages, "claims": claims,
            "segments": segments(shown, marks, article.id), "cut": cut, "name": display_name(article),
            "not_compared": data.not_compared_reason(article.id)}


PAGE_MARKS = frozenset({"reuse", "fact", "conflict", "dispute", "value"})
VERDICT_LISTS = ("fact_sheet", "conflicts", "actor_disputes")


def verdict_claim_ids(report: Mapping[str, Any]) -> set[str]:
    """Ids of the claims cited as evidence by corroborated facts, conflicts and disputes."""
    layer = report.get("verdicts")
    if not isinstance(layer, Mapping):
        return set()
    items = [v for key in VERDICT_LISTS for v in layer.get(key) or [] if isinstance(v, Mapping)]
    parts = [p for v in items for p in (v, *(v.get("values") or []), *(v.get("sides") or []))]
    return {str(e["claim_id"]) for p in parts if isinstance(p, Mapping) for e in p.get("evidence") or []
            if isinstance(e, Mapping) and e.get("claim_id")}


def _passages_of(reuse: dict[str, Any] | None, article_id: str) -> list[dict[str, Any]]:
    out = []
    for p in (reuse or {}).get("pairs", []):
        if article_id not in (p["a"], p["b"]):
            continue
        mine, other = ("a", "b") if p["a"] == article_id else ("b", "a")
        for ps in p["passages"]:
            if ps[mine] is not None and ps[other] is not None:
                out.append({"pair": p, "mine": ps[mine], "other": ps[other]})
    return out


@router.get("/articles/{article_id}")
def article_page(request: Request, article_id: str) -> Any:
    ctx = _article_view(request, article_id)
    article = ctx["article"]
    data = {
        "article": article.to_dict(), "stories": [r.to_dict() for r in ctx["stories"]],
        "reused_passages": [{"other_article": p["other"].article_id, "span": [p["mine"].start, p["mine"].end],
                             "other_span": [p["other"].start, p["other"].end], "type": p["pair"]["type"]}
                            for p in ctx["passages"]],
        "claims": ctx["claims"], "display_name": ctx["name"], "not_compared": ctx["not_compared"],
    }
    ctx["title"] = article.title or ctx["name"]
    return _respond(request, "article.html.j2", ctx, data)


def claim_group(report: Mapping[str, Any], group_id: str) -> dict[str, Any] | None:
    layer = report.get("alignment")
    if not isinstance(layer, Mapping):
        return None
    for key in ("groups", "claim_groups", "clusters"):
        for g in layer.get(key) or []:
            if isinstance(g, Mapping) and str(g.get("id")) == group_id:
                return dict(g)
    return None


def _group_members(report: Mapping[str, Any], group: Mapping[str, Any]) -> list[dict[str, Any]]:
    by_id = {str(c.get("id")): c for c in iter_claims(report)}
    members = group.get("members") or group.get("claims") or group.get("claim_ids") or []
    out = []
    for m in members:
        if isinstance(m, Mapping):
            claim = {**by_id.get(str(m.get("claim_id")), {}), **m}
        else:
            claim = by_id.get(str(m))
        if claim:
            out.append(dict(claim))
    return out


@router.get("/claims/{group_id}")
def claim_group_page(request: Request, group_id: str) -> Any:
    data = _data(request)
    story_id = data.group_story(group_id)
    found = data.story(story_id) if story_id else None
    group = claim_group(found[1], group_id) if found else None
    if found is None or group is None:
        raise HTTPException(404, f"no claim group {group_id!r} in the stored analyses")
    report = found[1]
    view = ReportView(report, _data(request).texts_for(report))
    members, responses = [], []
    for out, key in ((members, "members"), (responses, "responses")):
        for c in _group_members(report, {"members": group.get(key) or []} if key == "responses" else group):
            ev = view.evidence(c, "claim")
            if ev is not None:
                out.append({"claim": c, "evidence": ev})
    ctx = {"group": group, "members": members, "responses": responses, "title": f"Claim group {group_id}"}
    return _respond(request, "claim_group.html.j2", ctx, {"story_id": story_id, "group": group})
