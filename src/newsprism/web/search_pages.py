"""Search (pages and ``/api/v1/search``) and the list of stored articles.

Search reads the store's full-text index (``newsprism.store.search``): articles, the claims of
saved analyses, and stories found through their articles. A story result links to the list of
its articles. Every page answers JSON too (``?format=json``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel
from sqlalchemy import select

from newsprism.store.search import KINDS, SearchHit
from newsprism.web.pages import _data, _respond

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1")
Kind = Literal["article", "claim", "story"]
PAGE = 20
QUERY_HELP = 'Words and "quoted phrases"; a result matches every one'


class SearchOut(BaseModel):
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


def _run(request: Request, q: str, kinds: list[str], limit: int, offset: int) -> tuple[list[SearchHit], int]:
    found = _data(request).store.search(q, kinds or KINDS, limit=limit, offset=offset)
    return found.hits, found.total


@api_router.get("/search", response_model=SearchOut)
def search_api(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500, description=QUERY_HELP)],
    kind: Annotated[list[Kind] | None, Query(description="article, claim or story (repeatable)")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> SearchOut:
    hits, total = _run(request, q, list(kind or []), limit, offset)
    return SearchOut(items=[h.to_dict() for h in hits], total=total, limit=limit, offset=offset)


def _parts(hit: SearchHit) -> list[tuple[str, bool]]:
    """The snippet cut at its highlights, for the template to wrap matches in <mark> (escaped)."""
    out, pos = [], 0
    for start, end in hit.highlights:
        out += [(hit.snippet[pos:start], False), (hit.snippet[start:end], True)]
        pos = end
    return [p for p in [*out, (hit.snippet[pos:], False)] if p[0]]


@router.get("/search")
def search_page(
    request: Request, q: str = Query("", max_length=500), kind: str = Query("", max_length=10),
    page: int = Query(1, ge=1, le=100_000),
) -> Any:
    if kind and kind not in KINDS:
        raise HTTPException(422, f"unknown kind {kind!r}; known: {', '.join(KINDS)}")
    hits, total = _run(request, q, [kind] if kind else [], PAGE, (page - 1) * PAGE) if q else ([], 0)
    data = {"q": q, "kind": kind or None, "total": total, "page": page,
            "items": [h.to_dict() for h in hits]}
    ctx = {"q": q, "kind": kind, "total": total, "page": page, "pages": max(1, -(-total // PAGE)),
           "hits": [{"hit": h, "parts": _parts(h)} for h in hits], "kinds": KINDS, "title": "Search"}
    return _respond(request, "search.html.j2", ctx, data)


def _story_articles(request: Request, story_id: str, limit: int, offset: int) -> tuple[list[Any], int]:
    from newsprism.stories.tables import story_members

    store = _data(request).store
    with store.engine.connect() as conn:
        ids = list(conn.execute(select(story_members.c.article_id)
                                .where(story_members.c.story_id == story_id)
                                .order_by(story_members.c.article_id)).scalars())
    return store.get_articles(ids[offset : offset + limit]), len(ids)


@router.get("/articles")
def articles_page(
    request: Request, outlet: str = Query("", max_length=300), story: str = Query("", max_length=32),
    page: int = Query(1, ge=1, le=100_000),
) -> Any:
    store, offset = _data(request).store, (page - 1) * PAGE
    if story:
        rows, total = _story_articles(request, story, PAGE, offset)
    else:
        rows = store.list_articles(limit=PAGE, offset=offset, outlet=outlet or None)
        total = store.count_articles(outlet or None)
    items = [{"id": a.id, "title": a.title, "outlet": a.outlet or a.outlet_domain,
              "published": a.published.isoformat() if a.published else None,
              "revision": a.revision, "revision_of": a.revision_of} for a in rows]
    params = {k: v for k, v in {"outlet": outlet, "story": story}.items() if v}
    data = {"total": total, "page": page, "items": items, **params}
    ctx = {"items": items, "total": total, "page": page, "pages": max(1, -(-total // PAGE)),
           "params": params, "title": "Articles"}
    return _respond(request, "articles.html.j2", ctx, data)
