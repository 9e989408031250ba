"""AlignStage: ``claims`` + ``stories`` -> ``alignment`` (groups of claims stating one fact)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newsprism.align.apart import PairGuard
from newsprism.align.group import GroupOptions, group_claims
from newsprism.align.model import AlignmentResult, ClaimGroup
from newsprism.align.pairs import StoryPairs
from newsprism.align.score import features
from newsprism.claims.model import Claim, ClaimsResult
from newsprism.pipeline import Batch
from newsprism.progress import step


@dataclass
class AlignOptions:
    grouping: GroupOptions = field(default_factory=GroupOptions)
    # Pairs kept apart but at least this likely the same fact are passed on: verdicts compare their
    # values (on strong pairs) and keep claims another report may state off the single-source list.
    near_threshold: float = 0.1


def story_membership(layer: Any, article_ids: list[str]) -> dict[str, str]:
    """article id -> story id from a ``stories`` layer value; unassigned articles get a story of their own.

    Accepts a ``story_of`` mapping/method or a ``to_dict()`` with ``stories: [{id, article_ids}]``.
    """
    out: dict[str, str] = {}
    story_of = getattr(layer, "story_of", None)
    if isinstance(story_of, Mapping):
        out.update({a: str(story_of[a]) for a in article_ids if a in story_of})
    elif callable(story_of):
        for a in article_ids:
            sid = story_of(a)
            if sid is not None:
                out[a] = str(sid)
    else:
        data = layer.to_dict() if hasattr(layer, "to_dict") else layer
        for story in (data or {}).get("stories", []) if isinstance(data, Mapping) else []:
            for a in story.get("article_ids") or story.get("members") or []:
                out[str(a)] = str(story.get("id"))
    for a in article_ids:
        out.setdefault(a, f"solo:{a}")
    return out


def _attach_responses(responses: list[Claim], group_of: dict[str, str]) -> dict[str, list[str]]:
    """Response claim -> group. An anaphoric denial may refer to any of its candidate claims; the group
    the other articles' denials point to wins (outlets report the same exchange), then the nearest."""
    votes: Counter[str] = Counter()
    for r in responses:
        for g in {group_of[c] for c in r.response_candidates if c in group_of}:
            votes[g] += 1
    out: dict[str, list[str]] = {}
    for r in responses:
        cands = [group_of[c] for c in r.response_candidates if c in group_of]
        if not cands:
            continue
        best = max(cands, key=lambda g: (votes[g], -cands.index(g)))
        out.setdefault(best, []).append(r.id)
    return out


class AlignStage:
    name = "align"
    requires = frozenset({"claims", "stories"})
    provides = frozenset({"alignment"})

    def __init__(self, options: AlignOptions | None = None, *, embedder: Any):
        self.options = options or AlignOptions()
        self.embedder = embedder

    def run(self, batch: Batch) -> Batch:
        claims: ClaimsResult = batch.layer("claims")
        texts = {a.id: a.text for a in batch.articles}
        story_of = story_membership(batch.layer("stories"), list(claims.claims))
        result = AlignmentResult(
            claims=claims.by_id(),
            story_of=story_of,
            article_meta={
                a.id: {
                    "published": a.published.isoformat() if a.published else None,
                    "revision_of": a.revision_of,
                    "outlet": a.outlet or a.outlet_domain,
                }
                for a in batch.articles
            },
        )
        sizes = Counter(story_of[a] for a in claims.claims)
        # Claims of a story with one article have nothing to align with: no embedding needed.
        plain = [c for c in claims.all() if not c.response_to and c.article_id in texts]
        lone = [c for c in plain if sizes[story_of[c.article_id]] < 2]
        plain = [c for c in plain if sizes[story_of[c.article_id]] >= 2]
        contents = [texts[c.article_id][c.content_span.start : c.content_span.end] for c in plain]
        t0 = time.perf_counter()
        emb = self.embedder.encode(contents) if contents else np.zeros((0, 1), dtype=np.float32)
        result.timings["embed_seconds"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        by_story: dict[str, list[int]] = {}
        for i, c in enumerate(plain):
            by_story.setdefault(story_of[c.article_id], []).append(i)
        for n, (sid, idx) in enumerate(sorted(by_story.items()), 1):
            step(n, len(by_story), "stories")
            try:
                groups, near, sp = self._story_groups(sid, idx, plain, contents, emb)
                result.groups.extend(groups)
                result.near.extend(near)
                result.story_pairs[sid] = (tuple(plain[i].id for i in idx), sp)
            except Exception as exc:  # noqa: BLE001 - one story failing must not lose the others
                result.errors[sid] = f"alignment failed for story {sid}: {exc!r}"
        result.groups.extend(
            ClaimGroup(f"{story_of[c.article_id]}:{c.id}", story_of[c.article_id], (c.id,), (c.article_id,))
            for c in lone
        )
        responses = [c for c in claims.all() if c.response_to]
        attached = _attach_responses(responses, result.group_of())
        result.groups = [
            ClaimGroup(
                g.id,
                g.story_id,
                g.claim_ids,
                g.article_ids,
                tuple(attached.get(g.id, ())),
                g.score,
                g.link_scores,
            )
            for g in result.groups
        ]
        result.timings["group_seconds"] = time.perf_counter() - t1
        return batch.with_layer("alignment", result)

    def _story_groups(
        self, sid: str, idx: list[int], plain: list[Claim], contents: list[str], emb: np.ndarray
    ) -> tuple[list[ClaimGroup], list[tuple[str, str, float]], StoryPairs]:
        """The story's groups, the likely same-fact pairs the grouping kept apart, and the pair state."""
        arts = [plain[i].article_id for i in idx]
        sp = StoryPairs.build(emb[idx], [features(plain[i], contents[i]) for i in idx])
        guard = PairGuard.build([plain[i] for i in idx])
        groups, probs = group_claims(sp, arts, self.options.grouping, apart=guard.apart)
        home = {m: n for n, members in enumerate(groups) for m in members}
        inside: dict[int, list[tuple[str, str, float]]] = {}
        near = []
        for (i, j), p in probs.items():
            if arts[i] == arts[j]:
                continue
            pair = (plain[idx[i]].id, plain[idx[j]].id, p)
            if home[i] == home[j]:
                inside.setdefault(home[i], []).append(pair)
            elif p >= self.options.near_threshold:
                near.append(pair)
        out = []
        for n, members in enumerate(groups):
            ids = tuple(plain[idx[m]].id for m in members)
            link = tuple(inside.get(n, ()))
            # The weakest cross-article pair is what the grouping can vouch for.
            score = min((p for _, _, p in link), default=1.0)
            out.append(
                ClaimGroup(
                    f"{sid}:g{n}",
                    sid,
                    ids,
                    tuple(plain[idx[m]].article_id for m in members),
                    score=score,
                    link_scores=link,
                )
            )
        return out, near, sp
