"""Browsable pages. Each view answers HTML, or JSON with ``?format=json`` / ``Accept: application/json``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import AfterValidator

from newsprism.limits import analysis_view
from newsprism.model import display_name
from newsprism.report import sections
from newsprism.report.highlight import Mark, passage_anchor, segments
from newsprism.report.html import report_context
from newsprism.report.types import Claim, ClaimGroup, GroupMember, Report
from newsprism.report.view import ReportView
from newsprism.web.data import StoryQuery, WebData, iso_date
from newsprism.web.negotiate import wants_json
from newsprism.web.whats_new import COOKIE_MAX_AGE, visit_window, whats_new

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
    topic: str | None = Query(None, max_length=64),
) -> Any:
    size = request.app.state.options.page_size
    query = StoryQuery(q or None, outlet or None, since or None, until or None, _tristate(has_conflicts),
                       size, (page - 1) * size, topic or None)
    rows, total = _data(request).stories(query)
    data = {"items": [r.to_dict() for r in rows], "total": total, "page": page, "page_size": size}
    params = {k: v for k, v in {"q": q, "outlet": outlet, "since": since, "until": until,
                                "has_conflicts": has_conflicts, "topic": topic}.items() if v}
    ctx = {"rows": rows, "total": total, "page": page, "pages": max(1, -(-total // size)),
           "params": params, "outlets": _data(request).outlets(), "topics": _data(request).topics(),
           "title": "Stories",
           "not_compared": _data(request).not_compared()}
    data["not_compared"] = ctx["not_compared"]
    since, cookies = visit_window(dict(request.cookies))
    news = whats_new(_data(request).store, since) if since is not None else []
    ctx.update(news=news, news_since=since.isoformat() if since else None)
    data["new_since_last_visit"] = {"since": ctx["news_since"], "stories": [n.to_dict() for n in news]}
    response = _respond(request, "stories.html.j2", ctx, data)
    for name, value in cookies.items():
        response.set_cookie(name, value, max_age=COOKIE_MAX_AGE, httponly=True, samesite="lax")
    return response


@router.get("/stories/{story_id}")
def story_page(request: Request, story_id: str) -> Any:
    data = _data(request)
    found = data.story(story_id)
    if found is None:
        raise HTTPException(404, f"no story {story_id!r}")
    row, report = found
    if wants_json(request):
        return JSONResponse({"story": row.to_dict(), "report": report.to_dict()})
    ctx = report_context(report, data.texts_for(report))
    ctx.update(row=row, title=row.label, claims_base="/claims/")
    return _respond(request, "story.html.j2", ctx, None)


def claims_of(report: Report, article_id: str) -> list[Claim]:
    """The claims layer's items for one article."""
    return list(report.claims.articles.get(article_id, [])) if report.claims else []


def _article_view(request: Request, article_id: str) -> dict[str, Any]:
    data = _data(request)
    article = data.store.get_article(article_id)
    if article is None:
        raise HTTPException(404, f"no article {article_id!r}")
    rows = data.stories_of_article(article.id)
    marks: list[Mark] = []
    passages: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    found = data.story(rows[0].story_id) if rows else None  # an article is in one story
    if found is not None:
        report = found[1]
        # The report's cut of the text (what analysis read) where it has one, else the whole text.
        view = ReportView(report, {article.id: article.text, **data.texts_for(report)})
        reuse = sections.reuse(view)
        for name in ("fact_sheet", "conflicts", "disputes", "single_source"):
            getattr(sections, name)(view)  # each registers the highlights of the evidence it cites
        # What matters on the page: passages others reused, and the claims the verdicts rest on.
        # Single-source claims and claims without a verdict (most sentences) are listed, not marked.
        marks.extend(m for m in view.marks.get(article.id, []) if m.kind in PAGE_MARKS)
        passages = _passages_of(reuse, article.id)
        cited = verdict_claim_ids(report)
        for c in claims_of(report, article.id):
            entry = {**c.to_dict(), "in_verdict": c.id in cited}
            if entry["in_verdict"]:
                s, e = c.span
                marks.append(Mark(s, e, "claim", "claim a verdict rests on"))
                entry["anchor"] = passage_anchor(article.id, s, e)
            claims.append(entry)
    # The page shows what analysis reads (a 19 MB article made a 19 MB page); nothing an analysis
    # cites lies past that cut, and the JSON views keep the whole text.
    shown = analysis_view(article).text
    cut = {"shown": len(shown), "total": len(article.text)} if len(shown) < len(article.text) else None
    return {"article": article, "stories": rows, "passages": passages, "claims": claims,
            "segments": segments(shown, marks, article.id), "cut": cut, "name": display_name(article),
            "not_compared": data.not_compared_reason(article.id)}


PAGE_MARKS = frozenset({"reuse", "fact", "conflict", "dispute", "value"})


def verdict_claim_ids(report: Report) -> set[str]:
    """Ids of the claims cited as evidence by corroborated facts, conflicts and disputes."""
    if report.verdicts is None:
        return set()
    parts = [p for v in report.verdicts.cited() for p in (v, *v.values, *v.sides)]
    return {e.claim_id for p in parts for e in p.evidence if e.claim_id}


def _passages_of(reuse: dict[str, Any] | None, article_id: str) -> list[dict[str, Any]]:
    out = []
    for p in (reuse or {}).get("pairs", []):
        if article_id not in (p["a"], p["b"]):
            continue
        mine, other = ("a", "b") if p["a"] == article_id else ("b", "a")
        for ps in p["passages"]:
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


def claim_group(report: Report, group_id: str) -> ClaimGroup | None:
    groups = report.alignment.groups if report.alignment else []
    return next((g for g in groups if g.id == group_id), None)


def _member_quotes(view: ReportView, members: list[GroupMember]) -> list[dict[str, Any]]:
    """Each member claim of a group, quoted from its article; a member carries its claim's id and,
    in reports that have them, its own offsets and text (else those of the claim it names)."""
    claims = view.report.claims
    by_id = {c.id: c for c in claims.all()} if claims else {}
    out = []
    for m in members:
        claim = by_id.get(m.claim_id)
        article_id = m.article_id or (claim.article_id if claim else None)
        if article_id is None:
            continue
        span = m.span or (claim.span if claim else None)
        text = m.text or (claim.text if claim else "")
        merged = {**(claim.to_dict() if claim else {}), **m.to_dict()}
        out.append({"claim": merged, "evidence": view.quote(article_id, span, "claim", text)})
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
    view = ReportView(report, data.texts_for(report))
    ctx = {"group": group, "members": _member_quotes(view, group.members),
           "responses": _member_quotes(view, group.responses), "title": f"Claim group {group_id}"}
    return _respond(request, "claim_group.html.j2", ctx, {"story_id": story_id, "group": group.to_dict()})
