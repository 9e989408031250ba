"""What an ingest did (``IngestReport``) and the ``Linker`` that indexes stored articles for reuse
and assigns them to stories as they arrive.

Kept apart from ``newsprism.api`` so that analysis of stored stories (``findings.run``), which
links stored articles that have no story yet, does not import the API that calls it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newsprism.limits import analysis_view
from newsprism.model import Article
from newsprism.store import AddStatus, Store


@dataclass(frozen=True, slots=True)
class InputError:
    source: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class IngestedArticle:
    id: str
    status: str  # new / duplicate / revision
    source: str | None
    revision_of: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "source": self.source, "revision_of": self.revision_of}


@dataclass(frozen=True, slots=True)
class LinkError:
    """Articles stored (committed) whose reuse/story linking failed; ingesting them again links them."""

    article_ids: list[str]
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"article_ids": list(self.article_ids), "reason": self.reason}


@dataclass
class IngestReport:
    """What an ingest did, per article and per failing input."""

    articles: list[IngestedArticle] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    reuse_pairs: int = 0  # reuse pairs the new articles formed with stored ones
    story_ids: set[str] = field(default_factory=set)  # the stories the ingested articles belong to
    # article id -> "linked" or "pending" (stored, not linked: see link_errors); empty with link=False
    links: dict[str, str] = field(default_factory=dict)
    link_errors: list[LinkError] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for a in self.articles if a.status == status)

    @property
    def new(self) -> int:
        return self._count(AddStatus.NEW.value)

    @property
    def duplicate(self) -> int:
        return self._count(AddStatus.DUPLICATE.value)

    @property
    def revision(self) -> int:
        return self._count(AddStatus.REVISION.value)

    @property
    def failed(self) -> int:
        return len(self.errors)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.link_errors

    @property
    def article_ids(self) -> list[str]:
        """Stored ids in input order, each once (a duplicate names the article it duplicated)."""
        return list(dict.fromkeys(a.id for a in self.articles))

    def to_dict(self) -> dict[str, Any]:
        return {
            "new": self.new, "duplicate": self.duplicate, "revision": self.revision, "failed": self.failed,
            "reuse_pairs": self.reuse_pairs, "stories": sorted(self.story_ids),
            "article_ids": self.article_ids,
            "articles": [{**a.to_dict(), "link": self.links.get(a.id)} for a in self.articles],
            "errors": [e.to_dict() for e in self.errors],
            "link_errors": [e.to_dict() for e in self.link_errors],
        }


class Linker:
    """Incremental reuse index and story assignment over one store, loaded once per ingest."""

    def __init__(self, store: Store):
        from newsprism.reuse.index import ReuseIndex
        from newsprism.stories.repo import StoryStore

        self.reuse = ReuseIndex(store)
        self.stories = StoryStore(store)

    def link(self, articles: list[Article], report: IngestReport) -> None:
        if not articles:
            return
        ids = list(dict.fromkeys(a.id for a in articles))
        try:
            pairs = self.reuse.add(articles)
            # Stories are assigned from what analysis reads of each article (``newsprism.limits``).
            assigned = self.stories.add([analysis_view(a) for a in articles])
        except Exception as exc:  # noqa: BLE001 - whatever failed, the articles are committed
            # Report the truth (stored, not linked, and why) and go on with the next batch: a
            # caller told "failed" would retry data that is already stored.
            reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:500]
            report.link_errors.append(LinkError(ids, reason))
            report.links.update(dict.fromkeys(ids, "pending"))
            return
        report.reuse_pairs += len(pairs)
        report.story_ids.update(a.story_id for a in assigned)
        report.links.update(dict.fromkeys(ids, "linked"))
