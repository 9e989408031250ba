"""The ``stories`` layer value and the summary of one story (label, span, outlets, independent sources)."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from newsprism.model import Article
from newsprism.stories.features import lead_of, names_of

LABEL_MAX_CHARS = 140


def story_id(first_article_id: str, attempt: int = 0) -> str:
    """A story is named after the article that opened it, so the id survives re-runs and restarts.

    ``attempt`` > 0 names it again when that id is already taken (a rebuild beside an ingest can
    give a cluster the name of an article it later loses); still the same for the same store."""
    basis = f"story\x1f{first_article_id}" + (f"\x1f{attempt}" if attempt else "")
    return "s" + hashlib.sha256(basis.encode()).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    label: str
    article_ids: tuple[str, ...]
    outlets: tuple[str, ...]
    time_span: tuple[str | None, str | None]
    n_articles: int
    n_independent_sources: int
    independent_basis: str  # "reuse" (copy groups count once) or "articles" (no reuse layer)
    key_names: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "article_ids": list(self.article_ids),
            "outlets": list(self.outlets),
            "time_span": {"start": self.time_span[0], "end": self.time_span[1]},
            "n_articles": self.n_articles,
            "n_independent_sources": self.n_independent_sources,
            "independent_basis": self.independent_basis,
            "key_names": list(self.key_names),
        }


@dataclass(frozen=True, slots=True)
class StoriesResult:
    """Stories of a batch plus the article -> story mapping (``story_of``) the align stage reads."""

    stories: tuple[Story, ...]
    story_of: dict[str, str]
    notes: tuple[str, ...] = ()
    stats: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "stories": [s.to_dict() for s in self.stories],
            "story_of": dict(self.story_of),
            "notes": list(self.notes),
            "stats": dict(self.stats),
        }

    def story(self, story_id_: str) -> Story | None:
        return next((s for s in self.stories if s.id == story_id_), None)


def _label(members: Sequence[Article], text_rows: sparse.csr_matrix | None) -> str:
    """The headline (or lead) of the member most similar to the rest: the story's medoid."""
    best = 0
    if text_rows is not None and len(members) > 2:
        centroid = np.asarray(text_rows.sum(axis=0)).ravel()
        best = int(np.argmax(text_rows @ centroid))
    label = members[best].title or lead_of(members[best])
    label = " ".join(label.split())
    if not label:
        return "(no text)"
    return label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1].rstrip() + "…"


def _key_names(members: Sequence[Article], limit: int = 5) -> tuple[str, ...]:
    """Names shared by most members (numbers left out: they label poorly)."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for a in members:
        # In order of appearance, not a set's order: ties of ``most_common`` then break the same
        # way in every process (a set of strings iterates by the per-process hash seed).
        for name in dict.fromkeys(names_of(f"{a.title or ''}\n{a.text[:3000]}")):
            if not name.startswith("#"):
                counts[name] += 1
    need = 2 if len(members) > 1 else 1
    top = [n for n, c in counts.most_common() if c >= need][:limit]
    for a in members[:50]:
        for part in (a.title or "", a.text[:3000]):
            low = part.lower()
            for name in top:
                if name not in shown and name in low:
                    i = low.index(name)
                    shown[name] = part[i : i + len(name)]
    return tuple(shown.get(n, n) for n in top)


def summarize(
    members: Sequence[Article], text_rows: sparse.csr_matrix | None, independent: list[set[str]] | None
) -> Story:
    """A ``Story`` for ``members`` (in a stable order); ``independent`` is the reuse layer's partition."""
    ordered = sorted(members, key=lambda a: (a.published is None, a.published or 0, a.id))
    ids = tuple(a.id for a in ordered)
    dated = sorted(a.published for a in ordered if a.published is not None)
    outlets = tuple(
        dict.fromkeys(a.outlet or a.outlet_domain for a in ordered if a.outlet or a.outlet_domain)
    )
    basis = "reuse" if independent is not None else "articles"
    return Story(
        id=story_id(min(ids)),
        label=_label(list(members), text_rows),
        article_ids=ids,
        outlets=outlets,
        time_span=(dated[0].isoformat() if dated else None, dated[-1].isoformat() if dated else None),
        n_articles=len(ids),
        n_independent_sources=len(independent) if independent is not None else len(ids),
        independent_basis=basis,
        key_names=_key_names(ordered),
    )
