"""From a pipeline run's typed layers to one story's rows (``StoryFindings``) with stable ids.

The stages name claims by their order in an article (``art:c3``) and groups by their order in a
run (``story:g0``); the stored ids come from content instead: a claim from its article and
character offsets, a fact group from its claims, a verdict from its section, label, slot and the
passages it cites, a reuse link from its two articles, type and passages. Every reference inside
a stored finding is rewritten to the stored ids, so the stored findings cite one another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from newsprism.align.model import AlignmentResult, ClaimGroup
from newsprism.claims.model import ClaimsResult
from newsprism.limits import ANALYSIS_MAX_CHARS
from newsprism.report.json_report import strict_json
from newsprism.reuse.result import ReuseResult
from newsprism.store.findings import VERDICT_SECTIONS, StoryFindings, stable_id
from newsprism.stories.result import Story
from newsprism.verdicts.model import Verdict, VerdictsResult


@dataclass(frozen=True, slots=True)
class StoryLayers:
    """The layers of one pipeline run (any may be missing when its stage did not run)."""

    reuse: ReuseResult | None
    claims: ClaimsResult | None
    alignment: AlignmentResult | None
    verdicts: VerdictsResult | None
    records: list[dict[str, Any]]
    max_chars: int = ANALYSIS_MAX_CHARS  # characters of each article the stages read


class _Ids:
    """Old (run-local) id -> stable id; a second finding with the same content gets ``~2``, ``~3``."""

    def __init__(self) -> None:
        self.map: dict[str, str] = {}
        self._taken: set[str] = set()

    def add(self, old: str, new: str) -> str:
        n, candidate = 1, new
        while candidate in self._taken:
            n += 1
            candidate = f"{new}~{n}"
        self._taken.add(candidate)
        self.map[old] = candidate
        return candidate


def _rewrite(value: Any, ids: Mapping[str, str]) -> Any:
    """``value`` with every string that is a run-local id replaced by its stable id."""
    if isinstance(value, str):
        return ids.get(value, value)
    if isinstance(value, dict):
        return {k: _rewrite(v, ids) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rewrite(v, ids) for v in value]
    return value


def _claim_rows(claims: ClaimsResult | None, article_ids: list[str], ids: _Ids) -> list[dict[str, Any]]:
    rows = []
    for aid in article_ids:
        for c in (claims.claims.get(aid, []) if claims else []):
            cid = ids.add(c.id, stable_id("c", aid, c.span.start, c.span.end, "claim"))
            rows.append({"id": cid, "article_id": aid, "span_start": c.span.start, "span_end": c.span.end,
                         "text": c.text, "detail": c.to_dict()})
    return rows


def _group_rows(alignment: AlignmentResult | None, story_id: str, ids: _Ids) -> list[dict[str, Any]]:
    groups: list[ClaimGroup] = [g for g in (alignment.groups if alignment else []) if g.story_id == story_id]
    rows = []
    for g in groups:
        members = sorted(ids.map.get(c, c) for c in (*g.claim_ids, *g.responses))
        gid = ids.add(g.id, stable_id("g", *members))
        rows.append({"id": gid, "n_articles": len(set(g.article_ids)), "score": float(g.score),
                     "claim_ids": [ids.map.get(c, c) for c in g.claim_ids],
                     "detail": g.to_dict(alignment.claims)})
    return rows


def _verdict_key(section: str, v: Verdict) -> str:
    cited = sorted((e.article_id, e.span[0], e.span[1]) for e in v.evidence)
    return stable_id("v", section, v.label, v.type or "", v.slot or "", *cited)


def _verdict_rows(verdicts: VerdictsResult | None, story_id: str, ids: _Ids) -> list[dict[str, Any]]:
    rows = []
    for section in VERDICT_SECTIONS:
        for v in (getattr(verdicts, section) if verdicts else []):
            if v.story_id != story_id:
                continue
            vid = ids.add(v.id, _verdict_key(section, v))
            rows.append({"id": vid, "section": section, "label": v.label, "type": v.type, "text": v.text,
                         "n_independent_sources": v.n_independent_sources,
                         "confidence": float(v.confidence), "article_ids": list(v.article_ids),
                         "detail": v.to_dict()})
    return rows


def _reuse_rows(reuse: ReuseResult | None, members: set[str]) -> list[dict[str, Any]]:
    rows, ids = [], _Ids()
    for p in (reuse.pairs if reuse else ()):
        if p.a in members and p.b in members:
            rid = ids.add(f"{p.a}|{p.b}|{p.type}", stable_id("r", p.a, p.b, p.type, *p.passages))
            rows.append({"id": rid, "a": p.a, "b": p.b, "type": p.type, "direction": p.direction,
                         "confidence": float(p.confidence), "detail": p.to_dict()})
    return rows


def _reuse_detail(reuse: ReuseResult | None, story_id: str, members: set[str]) -> dict[str, Any] | None:
    if reuse is None:
        return None
    # Group ids are per run ("g1"); the story's id in front keeps them apart across stories.
    groups = [g.to_dict() | {"id": f"{story_id}:{g.id}"} for g in reuse.groups if set(g.members) & members]
    return {"groups": groups, "notes": list(reuse.notes)}


def _errors_of(errors: Mapping[str, str], keep: Callable[[str], bool]) -> dict[str, str]:
    return {k: v for k, v in errors.items() if keep(k)}


def _detail(story: Story, layers: StoryLayers, members: set[str], group_ids: set[str]) -> dict[str, Any]:
    v = layers.verdicts
    return {
        "stages": layers.records,
        "max_chars": layers.max_chars,
        "story": story.to_dict(),
        "reuse": _reuse_detail(layers.reuse, story.id, members),
        "claims": None if layers.claims is None else {
            "errors": _errors_of(layers.claims.errors, lambda k: k in members)},
        "alignment": None if layers.alignment is None else {
            "notes": list(layers.alignment.notes),
            "errors": _errors_of(layers.alignment.errors, lambda k: k == story.id)},
        "verdicts": None if v is None else {
            "independence": v.independence, "independence_note": v.independence_note,
            "errors": _errors_of(v.errors, lambda k: k in group_ids or k == "judge")},
    }


def story_findings(story: Story, layers: StoryLayers, version: str | None) -> StoryFindings:
    """One story's rows from a run over a batch holding (at least) all of its articles."""
    members = set(story.article_ids)
    ids = _Ids()
    claims = _claim_rows(layers.claims, list(story.article_ids), ids)
    groups = _group_rows(layers.alignment, story.id, ids)
    verdicts = _verdict_rows(layers.verdicts, story.id, ids)
    for rows in (claims, groups, verdicts):
        for r in rows:
            r["detail"] = strict_json(_rewrite(r["detail"], ids.map))
    sections = [r["section"] for r in verdicts]
    labels = [r["label"] for r in verdicts]
    summary = {
        "newsprism_version": version,
        "article_ids": list(story.article_ids),
        "outlets": list(story.outlets),
        "n_articles": story.n_articles,
        "n_independent_sources": story.n_independent_sources,
        "independent_basis": story.independent_basis,
        "n_claims": len(claims),
        "n_fact_groups": sum(1 for g in groups if g["n_articles"] > 1),
        "n_corroborated": labels.count("corroborated"),
        "n_conflicts": sections.count("conflicts"),
        "n_disputes": sections.count("actor_disputes"),
        "n_single_source": sections.count("single_source"),
        "detail": strict_json(_rewrite(_detail(story, layers, members, set(ids.map)), ids.map)),
    }
    return StoryFindings(story.id, summary, claims, groups, verdicts, _reuse_rows(layers.reuse, members))


def layers_of(
    batch_layers: Mapping[str, Any], records: Iterable[Mapping[str, Any]], max_chars: int = ANALYSIS_MAX_CHARS
) -> StoryLayers:
    return StoryLayers(batch_layers.get("reuse"), batch_layers.get("claims"), batch_layers.get("alignment"),
                       batch_layers.get("verdicts"), [dict(r) for r in records], max_chars)
