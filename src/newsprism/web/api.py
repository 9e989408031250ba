"""HTTP API ``/api/v1``: open reads; writes (ingest, analyze) need ``Authorization: Bearer <token>``."""

from __future__ import annotations

import json
import logging
import pathlib
import shutil
import tempfile
from typing import Annotated, Any, Literal

from fastapi import APIRouter, BackgroundTasks, Depends, File, HTTPException, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from newsprism.model import display_name
from newsprism.report.types import Report
from newsprism.web.data import StoryQuery, WebData, iso_date
from newsprism.web.tokens import TokenInfo, verify_token

_log = logging.getLogger(__name__)


class Error(BaseModel):
    error: str
    detail: Any = None


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Error}, 404: {"model": Error}, 413: {"model": Error}, 422: {"model": Error},
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {**ERRORS, 401: {"model": Error}}

router = APIRouter(prefix="/api/v1", responses=ERRORS)
bearer = HTTPBearer(auto_error=False, description="A token from `newsprism tokens create`")


class Page(BaseModel):
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


class StoryOut(BaseModel):
    story: dict[str, Any]
    report: Report  # the typed report: its schema is documented here from the same types


class IngestOut(BaseModel):
    new: int
    duplicate: int
    revision: int
    failed: int
    article_ids: list[str]
    articles: list[dict[str, Any]]  # each with "link": "linked" or "pending" (stored, not yet linked)
    errors: list[dict[str, Any]]
    link_errors: list[dict[str, Any]] = []
    # With ?analyze=now|background: the stories the new articles joined and what was done with them.
    analysis: dict[str, Any] | None = None


# After an ingest, the stories its new articles joined can be analysed again: not at all, within the
# request (the response waits), or in the background after the response (a later read shows them).
AnalyzeMode = Annotated[
    Literal["no", "now", "background"],
    Query(description="Re-analyse the stories the new articles joined: no, now (the response waits), "
          "or background (after the response)."),
]


class ArticleIn(BaseModel):
    model_config = ConfigDict(extra="allow")
    text: str = Field(min_length=1, max_length=2_000_000)
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    byline: str | None = None


class ArticlesIn(BaseModel):
    articles: list[ArticleIn] = Field(min_length=1, max_length=1000)


class UrlsIn(BaseModel):
    urls: list[Annotated[str, Field(min_length=1, max_length=2048)]] = Field(min_length=1, max_length=100)


StageName = Literal["reuse", "stories", "claims", "align", "verdicts"]


class AnalyzeIn(BaseModel):
    article_ids: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        min_length=1, max_length=2000)
    stages: list[StageName] | None = Field(None, description="stages to run; default: every available stage")


class AnalyzeOut(BaseModel):
    analysis_id: str | None
    stages: dict[str, Any]
    stories: list[dict[str, Any]]
    report_url: str


def _data(request: Request) -> WebData:
    return request.app.state.data


def require_token(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> TokenInfo:
    """Writes need a valid, unrevoked bearer token; anything else is 401."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(401, "this endpoint needs an API token: Authorization: Bearer <token>",
                            headers={"WWW-Authenticate": "Bearer"})
    info = verify_token(_data(request).store, credentials.credentials)
    if info is None:
        raise HTTPException(401, "invalid or revoked API token", headers={"WWW-Authenticate": "Bearer"})
    return info


Token = Annotated[TokenInfo, Depends(require_token)]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


@router.get("/health")
def health(request: Request) -> dict[str, Any]:
    return {"status": "ok", "articles": _data(request).store.count_articles()}


@router.get("/articles", response_model=Page)
def list_articles(request: Request, limit: Limit = 50, offset: Offset = 0,
                  outlet: Annotated[str | None, Query(max_length=300)] = None) -> Page:
    data = _data(request)
    items = [_article_meta(a) for a in data.store.list_articles(limit=limit, offset=offset, outlet=outlet)]
    return Page(items=items, total=data.store.count_articles(outlet), limit=limit, offset=offset)


def _article_meta(article: Any) -> dict[str, Any]:
    d = article.to_dict()
    for key in ("text", "paragraphs", "sentences", "extra"):
        d.pop(key, None)
    d["display_name"] = display_name(article)
    return d


@router.get("/articles/{article_id}")
def get_article(request: Request, article_id: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
    article = _data(request).store.get_article(article_id)
    if article is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return {**article.to_dict(), "display_name": display_name(article)}


IsoDate = Annotated[str | None, Query(max_length=40, description="ISO 8601 date (or date-time)",
                                      json_schema_extra={"format": "date"}), AfterValidator(iso_date)]


@router.get("/stories", response_model=Page)
def list_stories(
    request: Request, limit: Limit = 20, offset: Offset = 0,
    q: Annotated[str | None, Query(max_length=200)] = None,
    outlet: Annotated[str | None, Query(max_length=300)] = None,
    since: IsoDate = None,
    until: IsoDate = None,
    has_conflicts: bool | None = None,
    topic: Annotated[str | None, Query(max_length=64, description="A topic id: only its stories")] = None,
) -> Page:
    query = StoryQuery(q, outlet, since, until, has_conflicts, limit, offset, topic)
    rows, total = _data(request).stories(query)
    return Page(items=[r.to_dict() for r in rows], total=total, limit=limit, offset=offset)


@router.get("/topics", response_model=Page)
def list_topics(request: Request, limit: Limit = 20, offset: Offset = 0) -> Page:
    """Topics: groups of stories about one subject, most stories first (filter stories with ?topic=)."""
    found = _data(request).topics()
    return Page(items=[t.to_dict() for t in found[offset : offset + limit]], total=len(found), limit=limit,
                offset=offset)


# Only the fields the report has: a field it leaves out is not sent as null.
@router.get("/stories/{story_id}", response_model=StoryOut, response_model_exclude_unset=True)
def get_story(request: Request, story_id: Annotated[str, Path(max_length=64)]) -> StoryOut:
    """One story and its report, read from its stored analysis."""
    found = _data(request).story(story_id)
    if found is None:
        raise HTTPException(404, f"no story {story_id!r}")
    return StoryOut(story=found[0].to_dict(), report=found[1])


@router.get("/reports", response_model=Page)
def list_reports(request: Request, limit: Limit = 50, offset: Offset = 0) -> Page:
    """Reports saved by versions before findings were stored per story (read only)."""
    from newsprism.store.analyses import count_analyses, list_analyses

    store = _data(request).store
    items = [a.to_dict() for a in list_analyses(store, limit=limit, offset=offset)]
    return Page(items=items, total=count_analyses(store), limit=limit, offset=offset)


@router.get("/reports/{analysis_id}")
def get_report(request: Request, analysis_id: str) -> dict[str, Any]:
    from newsprism.store.analyses import get_analysis

    report = get_analysis(_data(request).store, analysis_id)
    if report is None:
        raise HTTPException(404, f"no report {analysis_id!r}")
    return report


def _ingest(request: Request, inputs: list[str], names: dict[str, str] | None = None,
            analyze: str = "no", tasks: BackgroundTasks | None = None) -> dict[str, Any]:
    from newsprism.api import IngestOptions, ingest

    options = IngestOptions(source_names=names or {})
    report = ingest(inputs, _data(request).store, options)
    out = report.to_dict()
    if analyze == "now":
        out["analysis"] = {"mode": "now", **_reanalyse(request, report)}
    elif analyze == "background" and tasks is not None:
        tasks.add_task(_reanalyse, request, report)
        out["analysis"] = {"mode": "background", "story_ids": sorted(report.story_ids)}
    return out


def _reanalyse(request: Request, report: Any) -> dict[str, Any]:
    """Analyse the stories an ingest changed and store their findings (in a request or after it)."""
    from newsprism.analysis import PipelineOptions
    from newsprism.api import AnalyzeOptions, analyze_changed

    backends = request.app.state.options.analyze_backends or {}
    options = AnalyzeOptions(pipeline=PipelineOptions(backends=dict(backends)))
    try:
        found = analyze_changed(_data(request).store, report, options)
    except Exception:  # noqa: BLE001 - after the response nobody else would hear of the failure
        _log.exception("re-analysis after ingest failed")
        raise
    failed = [r["name"] for r in found["stages"]["records"] if r["status"] == "failed"]
    return {"story_ids": [st["id"] for st in found["stories"]["stories"]], "failed_stages": failed}


@router.post("/articles", response_model=IngestOut, status_code=201, responses=WRITE_ERRORS)
async def post_articles(
    request: Request, body: ArticlesIn, _token: Token, tasks: BackgroundTasks, analyze: AnalyzeMode = "no"
) -> Any:
    """Store JSON articles (``text`` required; metadata optional and marked as read)."""
    with tempfile.TemporaryDirectory(prefix="newsprism-api-") as tmp:
        path = pathlib.Path(tmp) / "articles.json"
        path.write_text(json.dumps([a.model_dump(exclude_none=True) for a in body.articles]), "utf-8")
        return await run_in_threadpool(
            _ingest, request, [str(path)], {str(path): "api:articles"}, analyze, tasks
        )


def _safe_name(name: str | None) -> str:
    """The client's file name, reduced to its last part in letters, digits and ``._-``."""
    base = pathlib.PurePosixPath((name or "").replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if ch.isalnum() or ch in "._-")[:100].lstrip(".")
    return cleaned or "upload"


def _save_uploads(files: list[UploadFile], tmp: str) -> dict[str, str]:
    """Copy each upload (already spooled to disk by the form parser, within the body limit) into
    its own folder under its client name, in chunks: path -> name. Nothing is decompressed here;
    the readers do that, under their byte caps."""
    names: dict[str, str] = {}
    for i, upload in enumerate(files):
        name = _safe_name(upload.filename)
        folder = pathlib.Path(tmp) / f"{i:04d}"
        folder.mkdir()
        path = folder / name
        with path.open("wb") as out:
            shutil.copyfileobj(upload.file, out, 1 << 20)
        names[str(path)] = name
    return names


@router.post("/ingest/files", response_model=IngestOut, status_code=201, responses=WRITE_ERRORS)
async def ingest_files(
    request: Request,
    files: Annotated[list[UploadFile], File(description="article files", min_length=1, max_length=100)],
    _token: Token,
    tasks: BackgroundTasks,
    analyze: AnalyzeMode = "no",
) -> Any:
    """Ingest uploaded files (text, HTML, JSON, JSONL, CSV, feeds, WARC — detected as on the CLI).

    Articles and errors name each upload by the file name the client gave (sanitised)."""
    with tempfile.TemporaryDirectory(prefix="newsprism-api-") as tmp:
        names = await run_in_threadpool(_save_uploads, files, tmp)
        return await run_in_threadpool(_ingest, request, list(names), names, analyze, tasks)


@router.post("/ingest/urls", response_model=IngestOut, status_code=201, responses=WRITE_ERRORS)
async def ingest_urls(
    request: Request, body: UrlsIn, _token: Token, tasks: BackgroundTasks, analyze: AnalyzeMode = "no"
) -> Any:
    """Fetch and ingest URLs; private, loopback and link-local addresses are refused (SSRF guard)."""
    max_urls = request.app.state.options.max_urls
    if len(body.urls) > max_urls:
        raise HTTPException(413, f"at most {max_urls} URLs per request")
    bad = [u for u in body.urls if not u.lower().startswith(("http://", "https://"))]
    if bad:
        raise HTTPException(400, f"only http(s) URLs can be ingested: {bad[:5]}")
    return await run_in_threadpool(_ingest, request, list(body.urls), None, analyze, tasks)


def _analyze(request: Request, body: AnalyzeIn) -> dict[str, Any]:
    from newsprism.analysis import PipelineOptions
    from newsprism.findings.run import analyze_stories, link_pending
    from newsprism.stories.queries import stories_of_articles

    store = _data(request).store
    ids = list(dict.fromkeys(body.article_ids))
    missing = sorted(set(ids) - {a.id for a in store.get_articles(ids)})
    if missing:
        raise HTTPException(404, f"unknown article ids: {missing[:10]}")
    backends = request.app.state.options.analyze_backends or {}
    options = PipelineOptions(stages=body.stages, backends=dict(backends))
    try:
        link_pending(store)  # an article stored without a story gets one first
        with store.engine.connect() as conn:
            story_ids = stories_of_articles(conn, ids)
        done = analyze_stories(store, story_ids, options)
    except ValueError as exc:  # an option the pipeline refuses, named in the message
        raise HTTPException(400, str(exc)) from exc
    found = _data(request).story(done.story_ids[0]) if done.story_ids else None
    stages = found[1].stages.to_dict() if found else {"ran": [], "absent": {}}
    return {"analysis_id": None, "stages": stages,
            "stories": [{"id": s, "url": f"/stories/{s}", "api_url": f"/api/v1/stories/{s}"}
                        for s in done.story_ids],
            "report_url": f"/api/v1/stories/{done.story_ids[0]}" if done.story_ids else "/api/v1/stories"}


@router.post("/analyses", response_model=AnalyzeOut, status_code=201, responses=WRITE_ERRORS)
async def post_analysis(request: Request, body: AnalyzeIn, _token: Token) -> Any:
    """Analyze the stories of these stored articles now and store their findings; returns where to
    read each story's report."""
    return await run_in_threadpool(_analyze, request, body)
