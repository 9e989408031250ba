"""Analyse stored stories: read their articles, run claims -> align -> verdicts, store the findings.

The stories are the store's persistent stories and the reuse layer is the store's reuse pairs
(both written by ``ingest``), so every surface counts the same independent sources. Stories are
analysed in batches bounded by the characters of text analysis reads, never by a count; the
models are loaded once for all batches. Each story's findings replace its previous ones in one
write transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from newsprism import analysis
from newsprism.analysis import PipelineOptions, StageRecord, build_pipeline
from newsprism.engines.base import EngineOptions, get_engine
from newsprism.findings.build import layers_of, story_findings
from newsprism.language import split_by_language
from newsprism.limits import ANALYSIS_MAX_CHARS, analysis_view
from newsprism.model import Article
from newsprism.pipeline import Batch
from newsprism.reuse.graph import build_groups
from newsprism.reuse.result import ReusePair, ReuseResult
from newsprism.reuse.tables import reuse_pairs, reuse_passages, reuse_signatures
from newsprism.store import Store
from newsprism.store.findings import StoryFindings, drop_story_findings, save_story_findings, story_analyses
from newsprism.store.tables import articles as articles_table
from newsprism.stories.queries import StoryNotFound, resolve_story_ids, story_objects
from newsprism.stories.result import StoriesResult, Story
from newsprism.stories.tables import stories as stories_table
from newsprism.stories.tables import story_members

# Layers read from the store rather than computed by a stage.
FROM_STORE = ("reuse", "stories")
# Characters of analysed text per batch: bounds what a batch holds (texts, claims, embeddings).
BATCH_CHARS = 8 << 20
_IN_CHUNK = 500
Progress = Callable[[str, int, int | None], None]

__all__ = ["StoredAnalysis", "StoryNotFound", "analyze_stories"]


@dataclass
class StoredAnalysis:
    """What ``analyze_stories`` did: the stories analysed, the rows stored, the stages' records."""

    story_ids: list[str] = field(default_factory=list)
    # Stories left with their stored findings because a stage failed on their batch.
    kept: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    records: list[dict[str, Any]] = field(default_factory=list)
    linked: int = 0  # stored articles that had no story and were linked first

    @property
    def failed_stages(self) -> list[dict[str, Any]]:
        return [r for r in self.records if r.get("status") == "failed"]

    def to_dict(self) -> dict[str, Any]:
        return {"story_ids": list(self.story_ids), "kept": list(self.kept), "rows": dict(self.rows),
                "stages": list(self.records), "linked": self.linked}


def _chunks(values: Sequence[str]) -> list[Sequence[str]]:
    return [values[i : i + _IN_CHUNK] for i in range(0, len(values), _IN_CHUNK)]


def stored_pairs(conn: Connection, ids: Sequence[str]) -> list[ReusePair] | None:
    """The stored reuse pairs among ``ids``; ``None`` when none of them was indexed for reuse (then
    each article counts as its own source, as ``stories list`` counts)."""
    wanted = set(ids)
    count = select(func.count()).select_from(reuse_signatures)
    indexed = sum(conn.execute(count.where(reuse_signatures.c.article_id.in_(c))).scalar_one()
                  for c in _chunks(ids))
    if not indexed:
        return None
    rows = [r for c in _chunks(ids) for r in conn.execute(select(reuse_pairs).where(reuse_pairs.c.a.in_(c)))
            if r.b in wanted]
    spans: dict[int, list] = {}
    for c in _chunks([r.id for r in rows]):
        for s in conn.execute(select(reuse_passages).where(reuse_passages.c.pair_id.in_(c))
                              .order_by(reuse_passages.c.id)):
            spans.setdefault(s.pair_id, []).append(((s.a_start, s.a_end), (s.b_start, s.b_end)))
    pairs = [ReusePair(r.a, r.b, r.type, r.direction, r.confidence, r.reason, r.coverage_a, r.coverage_b,
                       tuple(spans.get(r.id, ())), r.direction_reason) for r in rows]
    return pairs


# Finds paraphrased rewrites among one story's articles (``reuse.rewrite.detect_rewrites`` with the
# pipeline's embedder): ingest's index finds shared text only, a rewrite shares meaning.
FindRewrites = Callable[[list[Article], set[frozenset[str]]], list[ReusePair]]


def _rewrite_finder(options: PipelineOptions, assembled: Any) -> FindRewrites | None:
    """Rewrite detection as the batch reuse stage does it, unless its options turn it off or no
    stage that reads reuse (align) runs: then no model is loaded for it."""
    from newsprism.reuse.options import ReuseOptions
    from newsprism.reuse.rewrite import detect_rewrites

    reuse_options = options.stage_options.get("reuse") or ReuseOptions()
    if not reuse_options.rewrite or "align" not in assembled.present:
        return None
    return lambda articles, related: detect_rewrites(articles, assembled.backends.embedder, reuse_options,
                                                     related)


def _with_rewrites(pairs: list[ReusePair], stories: list[Story], articles: list[Article],
                   find: FindRewrites | None) -> list[ReusePair]:
    """The stored pairs plus the rewrites found within each story (never across stories)."""
    if find is None:
        return pairs
    related = {frozenset((p.a, p.b)) for p in pairs}
    by_id = {a.id: a for a in articles}
    found = []
    for story in stories:
        members = [by_id[a] for a in story.article_ids if a in by_id]
        if len(members) > 1:
            found += find(members, related)
    return pairs + found


def _recounted(story: Story, reuse: ReuseResult) -> Story:
    """The story's independent sources by the analysis's reuse groups (rewrites included), so the
    stored count is the one its findings were judged with."""
    groups = {reuse.group_of.get(a, a) for a in story.article_ids}
    return replace(story, n_independent_sources=len(groups), independent_basis="reuse")


def _reuse_layer(conn: Connection, articles: list[Article], stories: list[Story],
                 find: FindRewrites | None) -> ReuseResult | None:
    pairs = stored_pairs(conn, [a.id for a in articles])
    if pairs is None:
        return None
    # Ingest indexed the articles as far as analysis reads by default; a run told to read less
    # cites only what it read: passages are cut at each article's end of reading.
    read = {a.id: len(a.text) for a in articles}
    pairs = [replace(p, passages=tuple(((sa, min(ea, read[p.a])), (sb, min(eb, read[p.b])))
                                       for (sa, ea), (sb, eb) in p.passages
                                       if sa < read[p.a] and sb < read[p.b]))
             for p in pairs]
    pairs = _with_rewrites(pairs, stories, articles, find)
    groups, group_of = build_groups(articles, pairs)
    note = "reuse pairs as stored by ingest" + ("; rewrites found within each story" if find else "")
    return ReuseResult(tuple(pairs), tuple(groups), group_of, (note,), {})


def link_pending(store: Store) -> int:
    """Give every stored article without a story its story (and reuse index), as ``ingest`` does."""
    from newsprism.linking import IngestReport, Linker

    with store.engine.connect() as conn:
        linked = select(story_members.c.article_id)
        ids = list(conn.execute(select(articles_table.c.id).where(articles_table.c.id.not_in(linked))
                                .order_by(articles_table.c.seq)).scalars())
    if not ids:
        return 0
    linker, report = Linker(store), IngestReport()
    for chunk in _chunks(ids):
        linker.link(store.get_articles(chunk), report)
    if report.link_errors:
        raise RuntimeError(f"linking stored articles failed: {report.link_errors[0].reason}")
    return len(ids)


def _analysed_chars(conn: Connection, stories: list[Story]) -> dict[str, int]:
    """Characters analysis reads of each member article (its text, at most ``ANALYSIS_MAX_CHARS``)."""
    least = func.min if conn.dialect.name == "sqlite" else func.least  # SQLite's two-argument min
    size = least(func.length(articles_table.c.text), ANALYSIS_MAX_CHARS)
    ids = [a for s in stories for a in s.article_ids]
    return {r[0]: r[1] for c in _chunks(ids)
            for r in conn.execute(select(articles_table.c.id, size).where(articles_table.c.id.in_(c)))}


def _batches(stories: list[Story], chars: dict[str, int], max_chars: int) -> list[list[Story]]:
    """Stories cut into runs whose analysed text adds up to at most ``max_chars`` (a larger one alone)."""
    out: list[list[Story]] = []
    used = 0
    for s in stories:
        n = sum(chars.get(a, 0) for a in s.article_ids)
        if not out or (out[-1] and used + n > max_chars):
            out.append([])
            used = 0
        out[-1].append(s)
        used += n
    return out


# Runs the assembled stages over one batch of stories (on the chosen engine).
RunStages = Callable[[Batch], tuple[Batch, list[StageRecord]]]


def _records(given: list[StageRecord], ran: list[StageRecord]) -> list[dict[str, Any]]:
    return [r.to_dict() for r in (*given, *ran)]


def _run_batch(store: Store, run: RunStages, stories: list[Story], max_chars: int,
               languages: frozenset[str], find: FindRewrites | None) -> tuple[list[dict[str, Any]], Any]:
    ids = [a for s in stories for a in s.article_ids]
    with store.engine.connect() as conn:
        # Read a page of texts at a time and keep only what analysis reads of each.
        articles = [analysis_view(a, max_chars) for a in store.iter_articles_of(ids, conn)]
        order = {a: i for i, a in enumerate(ids)}
        articles.sort(key=lambda a: order[a.id])  # story order, so every run sees the same batch
        # Articles in a language the models do not handle are listed by the report, never judged.
        articles, _ = split_by_language(articles, languages)
        reuse = _reuse_layer(conn, articles, stories, find)
    if reuse is not None:
        stories = [_recounted(s, reuse) for s in stories]
    layer = StoriesResult(tuple(stories), {a: s.id for s in stories for a in s.article_ids})
    layers: dict[str, Any] = {"stories": layer}
    given = [StageRecord("stories", "stories", "ran", 0.0, "the store's persistent stories")]
    if reuse is not None:
        layers["reuse"] = reuse
        given.insert(0, StageRecord("reuse", "reuse", "ran", 0.0, reuse.notes[0]))
    batch, ran = run(Batch(tuple(articles), layers))
    return _records(given, ran), batch.layers


@dataclass
class BatchOutcome:
    """One batch of stories analysed (and, unless a stage failed, its findings stored)."""

    story_ids: list[str]
    records: list[dict[str, Any]]
    rows: dict[str, int] = field(default_factory=dict)
    failed: bool = False


def analyse_batch(store: Store, run: RunStages, stories: list[Story], options: PipelineOptions,
                  max_chars: int, find: FindRewrites | None) -> BatchOutcome:
    """Analyse one batch of stories and store each story's findings (one transaction per story,
    replacing what it had: a batch analysed twice stores the same rows once). The one write path of
    stored analysis, wherever the batch runs (here, or a Ray task: ``engines.ray_stored``)."""
    from newsprism import __version__

    records, layers = _run_batch(store, run, stories, max_chars, options.compared_languages(), find)
    ids = [s.id for s in stories]
    if any(r["status"] == "failed" for r in records):
        # A failed stage would store fewer findings than the story has: keep what is stored.
        return BatchOutcome(ids, records, failed=True)
    out = BatchOutcome(ids, records)
    for s in layers["stories"].stories:  # as analysed: independent sources recounted
        _save(store, story_findings(s, layers_of(layers, records, max_chars), __version__), out.rows)
    return out


def analyze_stories(
    store: Store,
    story_ids: Sequence[str] | None = None,
    options: PipelineOptions | None = None,
    *,
    max_chars: int = ANALYSIS_MAX_CHARS,
    progress: Progress | None = None,
    engine: EngineOptions | None = None,
) -> StoredAnalysis:
    """Analyse the named stories (ids or unambiguous prefixes; all active stories when ``None``) and
    store their findings, reading at most ``max_chars`` of each article, on ``engine`` (local by
    default). Unlinked stored articles are linked first. ``StoryNotFound`` names an id that matches
    no story."""
    options = options or PipelineOptions()
    stages = [name for name in analysis.STAGES if name not in FROM_STORE
              and (options.stages is None or name in options.stages)]
    options = _with_stages(options, stages)
    max_chars = min(max_chars, ANALYSIS_MAX_CHARS)
    result = StoredAnalysis(linked=link_pending(store) if story_ids is None else 0)
    with store.engine.connect() as conn:
        ids = resolve_story_ids(conn, story_ids)
        stories = story_objects(conn, ids)
    _drop_retired(store)
    if engine is not None and _on_story_tasks(store, engine):
        from newsprism.engines.ray_stored import run_story_tasks, worker_url

        args = (worker_url(store.engine.url), options, max_chars)
        outcomes = run_story_tasks(engine, lambda cpus: _task_plan(store, stories, cpus), StoryTask, args,
                                   progress)
    else:
        outcomes = _analyse_here(store, stories, options, max_chars, engine, progress)
    for done in outcomes:
        if done.failed:
            result.kept += done.story_ids
            result.records = done.records  # a failure's records are the ones reported
            continue
        if not result.kept:
            result.records = done.records
        for name, n in done.rows.items():
            result.rows[name] = result.rows.get(name, 0) + n
        result.story_ids += done.story_ids
    return result


def _on_story_tasks(store: Store, engine: EngineOptions) -> bool:
    """Ray runs whole batches of stories as tasks that read and write the store themselves, where
    every node can reach it: PostgreSQL, or a SQLite file when Ray is private to this machine. (A
    SQLite store with a remote cluster keeps the driver reading and writing, stages on Ray.)"""
    if engine.name != "ray":
        return False
    return store.engine.dialect.name != "sqlite" or engine.address is None


# Batches per CPU for story tasks: enough that a slow batch does not leave the other CPUs idle at
# the end; and the smallest batch worth a task, in characters of analysed text.
TASKS_PER_CPU = 4
MIN_TASK_CHARS = 16 << 10


def _task_plan(store: Store, stories: list[Story], cpus: int) -> list[list[str]]:
    """Story ids in batches for story tasks: finer than the local engine cuts them, so every CPU
    gets work (results do not depend on the batching: each story is analysed on its own)."""
    if not stories:
        return []
    with store.engine.connect() as conn:
        chars = _analysed_chars(conn, stories)
    share = sum(chars.values()) // (TASKS_PER_CPU * max(1, cpus))
    budget = min(BATCH_CHARS, max(MIN_TASK_CHARS, share))
    return [[s.id for s in part] for part in _batches(stories, chars, budget) if part]


class StoryTask:
    """A batch of stored stories analysed where it runs (a Ray actor): reads them from the store by
    their ids, analyses them and stores their findings. Built once per actor (models loaded once)."""

    def __init__(self, url: str, options: PipelineOptions, max_chars: int):
        self.store = Store.open(url)
        self.assembled = build_pipeline(options, provided=FROM_STORE)
        self.find = _rewrite_finder(options, self.assembled)
        self.options, self.max_chars = options, max_chars

    def __call__(self, story_ids: list[str]) -> BatchOutcome:
        with self.store.engine.connect() as conn:
            stories = story_objects(conn, story_ids)
        return analyse_batch(self.store, self._run, stories, self.options, self.max_chars, self.find)

    def _run(self, batch: Batch) -> tuple[Batch, list[StageRecord]]:
        return analysis.run_stages(self.assembled, batch)


def _analyse_here(store: Store, stories: list[Story], options: PipelineOptions, max_chars: int,
                  engine: EngineOptions | None, progress: Progress | None) -> list[BatchOutcome]:
    with store.engine.connect() as conn:
        plan = _batches(stories, _analysed_chars(conn, stories), BATCH_CHARS)
    assembled = build_pipeline(options, provided=FROM_STORE)
    runner = get_engine(engine)
    find = _rewrite_finder(options, assembled)

    def run(batch: Batch) -> tuple[Batch, list[StageRecord]]:
        return runner.run(assembled, batch, progress)

    return [analyse_batch(store, run, part, options, max_chars, find) for part in plan]


def _save(store: Store, found: StoryFindings, rows: dict[str, int]) -> None:
    with store.transaction() as conn:
        save_story_findings(conn, found)
    for name, stored in (("claims", found.claims), ("fact_groups", found.fact_groups),
                         ("verdicts", found.verdicts), ("reuse_links", found.reuse_links)):
        rows[name] = rows.get(name, 0) + len(stored)


def _with_stages(options: PipelineOptions, stages: list[str]) -> PipelineOptions:
    return replace(options, stages=stages)


def _drop_retired(store: Store) -> None:
    """Forget the analyses of stories that were merged or split since they were analysed."""
    with store.engine.connect() as conn:
        retired = list(conn.execute(
            select(story_analyses.c.story_id)
            .join(stories_table, stories_table.c.id == story_analyses.c.story_id)
            .where(stories_table.c.status != "active")).scalars())
    if retired:
        with store.transaction() as conn:
            drop_story_findings(conn, retired)
