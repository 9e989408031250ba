"""The article model: one canonical text per article, everything else is offsets into it.

Like spaCy's Doc/Span, later stages (sentences, entities, quotes, claims, reuse passages) never copy
article text; they hold ``Span`` offsets into ``Article.text`` so evidence can always be traced back
to the exact characters an outlet published.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open character range ``[start, end)`` into an article's canonical text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def text(self, source: str) -> str:
        return source[self.start : self.end]

    def __len__(self) -> int:
        return self.end - self.start

    def to_list(self) -> list[int]:
        return [self.start, self.end]


class Origin(StrEnum):
    """Where a metadata field's value came from: read from the input, or inferred by newsprism."""

    READ = "read"
    GIVEN = "given"  # by the user for the inputs of one call (``--outlet``, ``--title``)
    URL = "inferred:url"
    CREDIT = "inferred:credit"
    HEADER = "inferred:header"  # outlet: a masthead, "Source:" line or byline credit above the body
    DATELINE = "inferred:dateline"
    CAPTION = "inferred:caption"
    TEXT = "inferred:text"
    FIRST_LINE = "inferred:first-line"
    DETECTED = "inferred:detector"  # language: the detector's answer (confidence in ``extra``)
    DEFAULT = "inferred:default"


def utc_instant(value: datetime | None) -> datetime | None:
    """An aware instant: a value with a zone is kept as given (its offset is information: the
    outlet's local time); a naive one (a bare ``Date: 2024-05-01``) is taken as UTC.

    Every datetime an ``Article`` holds goes through here, so naive and aware values never meet:
    comparing them raises ``TypeError`` in sorting, story time spans and reuse direction.
    """
    if value is None or (value.tzinfo is not None and value.utcoffset() is not None):
        return value
    return value.replace(tzinfo=UTC)


# Fields whose origin is tracked in ``Article.origins``.
META_FIELDS = (
    "url", "canonical_url", "outlet", "outlet_domain", "title", "byline",
    "dateline", "published", "language",
)


@dataclass(slots=True)
class Article:
    """A news article as newsprism keeps it.

    ``text`` is the canonical body: NFC, whitespace normalised, paragraphs separated by one blank
    line, quote characters kept exactly as published (a curly quote is evidence of copying).
    """

    id: str
    text: str
    content_hash: str
    source_format: str
    title: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    outlet: str | None = None
    outlet_domain: str | None = None
    byline: str | None = None
    dateline: str | None = None
    published: datetime | None = None
    language: str | None = None
    source_path: str | None = None
    external_id: str | None = None
    ingested_at: datetime | None = None
    paragraphs: list[Span] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)
    revision_of: str | None = None
    revision: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # At build time, whichever reader built it: later stages compare these values freely.
        self.published = utc_instant(self.published)
        self.ingested_at = utc_instant(self.ingested_at)

    def sentence_texts(self) -> list[str]:
        return [s.text(self.text) for s in self.sentences]

    @property
    def identity_key(self) -> str | None:
        """What makes two versions 'the same article': its URL, or an id given by the source."""
        if self.canonical_url or self.url:
            return f"url:{self.canonical_url or self.url}"
        if self.external_id:
            return f"ext:{self.external_id}"
        return None

    def with_updates(self, **changes: Any) -> Article:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["paragraphs"] = [s.to_list() for s in self.paragraphs]
        d["sentences"] = [s.to_list() for s in self.sentences]
        for key in ("published", "ingested_at"):
            value = getattr(self, key)
            d[key] = value.isoformat() if value else None
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        data = dict(d)
        data["paragraphs"] = [Span(a, b) for a, b in data.get("paragraphs") or []]
        data["sentences"] = [Span(a, b) for a, b in data.get("sentences") or []]
        for key in ("published", "ingested_at"):
            if isinstance(data.get(key), str):
                data[key] = datetime.fromisoformat(data[key])
        return cls(**data)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_id(identity_key: str | None, outlet: str | None, text_hash: str) -> str:
    """Stable id: the same text from the same source always gets the same id.

    Identical text from two different outlets (a verbatim reprint) stays two articles, because
    counting who carried a story is the point of newsprism.
    """
    basis = "\x1f".join((identity_key or "", (outlet or "").lower(), text_hash))
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


DISPLAY_TITLE_CHARS = 60


def display_name(article: Article | Mapping[str, Any]) -> str:
    """The one name an article is shown under on every surface (CLI, reports, web pages, API):
    its outlet, else its title, else its input file's name, else its id.

    Takes an ``Article`` or any mapping with its fields (a report entry, an API row), so each
    surface calls this rather than choosing its own fallback.
    """
    def get(key: str) -> Any:
        value = article.get(key) if isinstance(article, Mapping) else getattr(article, key, None)
        return " ".join(value.split()) if isinstance(value, str) else value

    if get("outlet"):
        return str(get("outlet"))
    title = get("title")
    if title:
        return title if len(title) <= DISPLAY_TITLE_CHARS else title[: DISPLAY_TITLE_CHARS - 1] + "…"
    source = get("source_path")
    if source:
        name = str(source).replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
        return name[:DISPLAY_TITLE_CHARS] or str(source)
    return f"article {str(get('id') or '')[:8]}"
