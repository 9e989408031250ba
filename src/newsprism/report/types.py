"""The report's types, defined once: every surface (Markdown, HTML, web pages, API, terminal) reads a
report through ``parse_report``, which checks a report dict against these types and gives a
``Report``, or raises ``ReportSchemaError`` naming each problem with its JSON path.

The fields mirror ``schema.json`` (a test holds the two together: the same names, the same required
fields). Fields a stage writes beyond the documented ones (statistics, timings, claim details) are
kept as extra fields, so ``Report.to_dict()`` gives back the dict it was parsed from.
Validation is strict: a number written as a string, or a span that is not two offsets, is an error
rather than a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from newsprism.model import display_name
from newsprism.report.schema import ReportSchemaError

Span = Annotated[list[Annotated[int, Field(ge=0)]], Field(min_length=2, max_length=2)]
Id = str | int  # story and reuse-group ids: strings from the store, integers from older reports


class Part(BaseModel):
    """A part of the report: strict about its documented fields, keeping any others as they are."""

    model_config = ConfigDict(extra="allow", strict=True, frozen=True)

    def to_dict(self) -> dict[str, Any]:
        """The dict this was parsed from (the same keys and values)."""
        return self.model_dump(mode="json", exclude_unset=True)


# -- articles and bookkeeping ---------------------------------------------------------------------


class ReportArticle(Part):
    id: Annotated[str, Field(min_length=1)]
    title: str | None
    outlet: str | None
    outlet_domain: str | None
    url: str | None
    dateline: str | None
    published: str | None
    byline: str | None
    origins: dict[str, str]
    n_sentences: Annotated[int, Field(ge=0)]
    revision_of: str | None
    display_name: Annotated[str, Field(min_length=1)] | None = None
    language: str | None = None
    n_chars: Annotated[int, Field(ge=0)] | None = None
    analysis_truncated_at: Annotated[int, Field(ge=0)] | None = None
    notice: str | None = None
    text: str | None = None
    not_compared: str | None = None
    source_path: str | None = None

    @property
    def name(self) -> str:
        """The one name the article is shown under (``newsprism.model.display_name``)."""
        return self.display_name or display_name(self)


class StageRecord(Part):
    name: str
    status: str
    layer: str | None = None
    seconds: float | None = None
    reason: str | None = None


class Stages(Part):
    ran: list[str]
    absent: dict[str, str]
    timings: dict[str, float | None] = {}
    records: list[StageRecord] = []


class InputError(Part):
    source: str | None = None
    reason: str | None = None


class Inputs(Part):
    """What was given and what came of it; free-form in the schema beyond these counts."""

    new: int | None = None
    duplicate: int | None = None
    revision: int | None = None
    failed: int | None = None
    articles_given: int | None = None
    errors: list[InputError] = []


class NotCompared(Part):
    id: str
    display_name: str
    language: str
    reason: str


class Languages(Part):
    compared: list[str]
    not_compared: list[NotCompared]


# -- reuse and stories ----------------------------------------------------------------------------


class Passage(Part):
    a: Span
    b: Span


class DiffEntry(Part):
    op: Literal["added", "removed", "changed"]
    old: Span | None = None
    new: Span | None = None


class RevisionDiff(Part):
    old: str
    new: str
    entries: list[DiffEntry]
    counts: dict[str, Any] = {}


class ReusePair(Part):
    a: str
    b: str
    type: str
    direction: Literal["a->b", "b->a", "unknown"] | None
    confidence: float | None
    reason: str | None = None
    coverage_a: float | None = None
    coverage_b: float | None = None
    passages: list[Passage] = []
    direction_reason: str | None = None
    diff: RevisionDiff | None = None


class ReuseGroup(Part):
    id: Id
    members: list[str]
    origin: str | None = None
    origin_reason: str | None = None


class Reuse(Part):
    pairs: list[ReusePair]
    groups: list[ReuseGroup]
    group_of: dict[str, str] = {}


class TimeSpan(Part):
    start: str | None = None
    end: str | None = None


class Story(Part):
    id: Id
    label: str | None
    article_ids: list[str]
    outlets: list[str | None] = []
    # An object from the pipeline and the store; a [start, end] list in reports of early versions.
    time_span: TimeSpan | list[str | None] | None = None
    n_articles: Annotated[int, Field(ge=0)] | None = None
    n_independent_sources: Annotated[int, Field(ge=0)] | None = None

    @property
    def bounds(self) -> list[str]:
        """The story's first and last dates that are known."""
        span = self.time_span
        values = [span.start, span.end] if isinstance(span, TimeSpan) else list(span or [])
        return [v for v in values if v]


class Stories(Part):
    stories: list[Story]


# -- claims and alignment -------------------------------------------------------------------------


class Attribution(Part):
    source: str | None = None


class Claim(Part):
    id: str
    article_id: str
    span: Span
    text: str
    attribution: Attribution | None = None
    quantities: list[Any] = []


class Claims(Part):
    n_claims: Annotated[int, Field(ge=0)] | None = None
    articles: dict[str, list[Claim]] = {}
    errors: dict[str, Any] = {}

    def all(self) -> list[Claim]:
        return [c for items in self.articles.values() for c in items]


class GroupMember(Part):
    claim_id: str
    article_id: str | None = None
    span: Span | None = None
    text: str | None = None


class ClaimGroup(Part):
    id: str
    members: list[GroupMember]
    story_id: Id | None = None
    article_ids: list[str] = []
    score: float | None = None
    responses: list[GroupMember] = []


class Alignment(Part):
    groups: list[ClaimGroup] = []
    notes: list[str] = []


# -- verdicts -------------------------------------------------------------------------------------


class Evidence(Part):
    article_id: str
    span: Span
    text: str | None = None
    claim_id: str | None = None
    role: str | None = None


class Side(Part):
    value: str | None
    article_ids: list[str]
    evidence: list[Evidence]
    actor: str | None = None
    stance: str | None = None


VerdictLabel = Literal["corroborated", "single-origin", "conflicting", "disputed", "single-source", "wording"]


class Verdict(Part):
    id: str
    article_ids: list[str]
    evidence: list[Evidence]
    group_id: str | None = None
    story_id: Id | None = None
    label: VerdictLabel | None = None
    text: str | None = None
    n_independent_sources: Annotated[int, Field(ge=0)] | None = None
    type: str | None = None
    slot: str | None = None
    values: list[Side] = []
    sides: list[Side] = []
    reason: str | None = None
    note: str | None = None
    confidence: Annotated[float, Field(ge=0, le=1)] | None = None
    confidence_reason: str | None = None
    n_reports: Annotated[int, Field(ge=0)] | None = None
    origin: str | None = None
    update: bool = False


class Conflict(Verdict):
    values: list[Side]


class Verdicts(Part):
    fact_sheet: list[Verdict]
    conflicts: list[Conflict]
    actor_disputes: list[Verdict]
    single_source: list[Verdict]
    independence: str | None = None
    independence_note: str | None = None
    dismissed: list[Verdict] = []
    wording: list[Verdict] = []
    counts: dict[str, int] = {}

    def cited(self) -> list[Verdict]:
        """The verdicts whose evidence a reader checks: facts, conflicts and disputes."""
        return [*self.fact_sheet, *self.conflicts, *self.actor_disputes]


# -- the report -----------------------------------------------------------------------------------

LAYERS = ("reuse", "stories", "claims", "alignment", "verdicts")


class Report(Part):
    schema_version: Annotated[str, Field(pattern=r"^1\.[0-9]+(\.[0-9]+)?$")]
    generated_at: str
    newsprism_version: str
    inputs: Inputs
    articles: list[ReportArticle]
    stages: Stages
    analysis_id: str | None = None
    languages: Languages | None = None
    reuse: Reuse | None = None
    stories: Stories | None = None
    claims: Claims | None = None
    alignment: Alignment | None = None
    verdicts: Verdicts | None = None


def parse_report(report: Report | Mapping[str, Any]) -> Report:
    """The typed report of a report dict (``schema.json``); ``ReportSchemaError`` lists each problem."""
    if isinstance(report, Report):
        return report
    try:
        return Report.model_validate(report)
    except ValidationError as exc:
        raise ReportSchemaError([_problem(e) for e in exc.errors(include_url=False)]) from None


def _problem(error: Any) -> str:
    path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"])
    return f"{path}: {error['msg']}"
