"""The library-first Python API; the CLI and the web app are thin layers over these functions.

>>> from newsprism.api import analyze
>>> report = analyze(["reports/"])            # a temporary store, every stage that is installed
>>> report["stages"]["ran"], sorted(report)   # doctest: +SKIP
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsprism.analysis import AnalysisPipeline, PipelineOptions, build_pipeline
from newsprism.engines.base import EngineOptions, get_engine
from newsprism.language import split_by_language
from newsprism.limits import ANALYSIS_MAX_CHARS, analysis_view
from newsprism.linking import IngestedArticle, IngestReport, InputError, Linker
from newsprism.model import Article
from newsprism.pipeline import Batch
from newsprism.report.json_report import stages_section
from newsprism.store import AddStatus, Store

if TYPE_CHECKING:
    from newsprism.ingest.base import ReaderError, ReadOptions

# (phase, done, total): phase is "read" while ingesting (total None: inputs stream) or a stage name.
Progress = Callable[[str, int, int | None], None]
DbArg = Store | str | os.PathLike[str] | None


def _read_options() -> ReadOptions:
    # Imported here: the readers' package pulls in trafilatura/lxml, which ``--version`` and
    # ``articles list`` never need.
    from newsprism.ingest.base import ReadOptions

    return ReadOptions()


@dataclass
class IngestOptions:
    read: ReadOptions = field(default_factory=_read_options)
    # Articles committed per transaction: a crash loses at most one batch, and 100k inputs never
    # sit in memory at once.
    batch_size: int = 200
    # ... and a batch is committed as soon as its article texts hold this many bytes, so memory is
    # bounded by size, not count: three 19 MB articles in one batch took 3.2 GB to ingest.
    batch_bytes: int = 8 * 1024 * 1024
    # Index each committed batch for text reuse and assign it to stories, incrementally. Both
    # skip what they already hold, so re-running an interrupted ingest completes the linking.
    link: bool = True
    # Input path -> the name to record as its source (articles' ``source_path``, errors' source):
    # the HTTP API records an upload under its client's file name, never the server's temp path.
    source_names: dict[str, str] = field(default_factory=dict)


@dataclass
class AnalyzeOptions:
    # analyze runs reuse and stories over its inputs in batch; incremental linking would be redone
    ingest: IngestOptions = field(default_factory=lambda: IngestOptions(link=False))
    pipeline: PipelineOptions = field(default_factory=PipelineOptions)
    include_text: bool = True  # carry article texts in the report (evidence offsets point into them)
    # With a named store: store the findings per story and report from the store. False analyses
    # the inputs in the store named without linking them or keeping anything but the articles.
    save: bool = True
    # Characters of each article that analysis reads; the report says where a longer one was cut.
    # Lower only: reuse fingerprints and verification never read past ANALYSIS_MAX_CHARS.
    max_chars: int = ANALYSIS_MAX_CHARS
    # Where the stages run: ``local`` (this process) or ``ray`` (a cluster; the ``ray`` extra).
    engine: EngineOptions = field(default_factory=EngineOptions)


@contextmanager
def open_store(db: DbArg, *, create: bool = True) -> Iterator[Store]:
    """A store from a ``Store`` (left open), a URL or a path (closed afterwards); ``create=False``
    refuses a SQLite path where no store exists yet (see ``Store.open``)."""
    if isinstance(db, Store):
        yield db
        return
    store = Store.open(db, create=create)
    try:
        yield store
    finally:
        store.close()


class _Pending:
    """The articles and errors read since the last commit, and the bytes of text they hold."""

    def __init__(self, options: IngestOptions):
        self.options = options
        self.articles: list[Article] = []
        self.errors: list[InputError] = []
        self.text_bytes = 0

    def add(self, item: Article | ReaderError) -> None:
        if isinstance(item, Article):
            if item.source_path:
                item.source_path = self._renamed(item.source_path)
            self.articles.append(item)
            self.text_bytes += sys.getsizeof(item.text)  # O(1): what the text holds in memory
        else:
            self.errors.append(InputError(self._renamed(item.source), item.reason))

    def _renamed(self, source: str) -> str:
        names = self.options.source_names
        if not names:
            return source
        if source in names:
            return names[source]
        path, sep, line = source.rpartition(":")  # "path:12": a record of a JSONL or CSV file
        return names[path] + sep + line if sep and line.isdigit() and path in names else source

    def full(self) -> bool:
        return len(self.articles) >= self.options.batch_size or self.text_bytes >= self.options.batch_bytes

    def clear(self) -> None:
        self.articles, self.errors, self.text_bytes = [], [], 0


def _commit(store: Store, pending: _Pending, report: IngestReport, linker: Linker | None) -> None:
    """Commit the pending articles and the errors met while reading them, together, then link the
    stored versions (duplicates included, so linking can finish what an interrupted run began)."""
    batch = pending.articles
    with store.transaction() as conn:
        result = store.add_articles(batch, conn) if batch else None
        store.record_errors([(e.source, e.reason) for e in pending.errors], conn)
    stored_articles: list[Article] = []
    if result is not None:
        for (status, stored), given in zip(result.statuses, batch, strict=True):
            report.articles.append(
                IngestedArticle(stored.id, status.value, given.source_path, stored.revision_of)
            )
            stored_articles.append(stored)
    report.errors.extend(pending.errors)
    pending.clear()
    if linker:
        linker.link(stored_articles, report)


def ingest(
    inputs: Iterable[str | os.PathLike[str]],
    db: DbArg = None,
    options: IngestOptions | None = None,
    *,
    progress: Progress | None = None,
) -> IngestReport:
    """Read every input (files, folders, URLs, ``-`` for stdin) into the store.

    A failing input is recorded (in the report and the store's ``ingest_errors``) and the run goes
    on. Reading the same content again adds nothing: it is reported as a duplicate.
    """
    from newsprism.ingest import iter_inputs

    options = options or IngestOptions()
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]  # one path, not its characters
    items = iter_inputs([os.fspath(i) for i in inputs], options.read)
    return ingest_items(items, db, options, progress=progress)


def ingest_items(
    items: Iterable[Article | ReaderError],
    db: DbArg = None,
    options: IngestOptions | None = None,
    *,
    progress: Progress | None = None,
) -> IngestReport:
    """Store articles already read (or record why an input could not be): the one write path that
    ``ingest`` and ``watch`` share."""
    options = options or IngestOptions()
    report = IngestReport()
    pending = _Pending(options)
    with open_store(db) as store:
        linker = Linker(store) if options.link else None
        for seen, item in enumerate(items, 1):
            pending.add(item)
            if progress:
                progress("read", seen, None)
            if pending.full():
                _commit(store, pending, report, linker)
        _commit(store, pending, report, linker)
    return report


def default_pipeline(options: PipelineOptions | None = None) -> AnalysisPipeline:
    """Every analyze stage that is installed, in order; the others are listed with the reason."""
    return build_pipeline(options)


def _is_articles(items: Sequence[Any]) -> bool:
    n = sum(1 for i in items if isinstance(i, Article))
    if 0 < n < len(items):
        raise TypeError("analyze() takes either inputs (paths, URLs, '-') or Article objects, not a mix")
    return n > 0


def _run_analysis(
    articles: Sequence[Article], options: AnalyzeOptions, progress: Progress | None,
    why_none: str = "no articles to analyze",
) -> tuple[Batch, list[dict[str, Any]]]:
    assembled = default_pipeline(options.pipeline)
    if not articles:
        records = [r.to_dict() for r in assembled.records]
        for r in records:
            if r["status"] == "ready":
                r.update(status="skipped", reason=why_none)
        return Batch.of(()), records
    batch, records = get_engine(options.engine).run(assembled, Batch.of(articles), progress)
    return batch, [r.to_dict() for r in records]


def analyze_articles(
    articles: Sequence[Article],
    options: AnalyzeOptions | None = None,
    inputs: dict[str, Any] | None = None,
    *,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Run the pipeline over articles already in hand and build the report (nothing is stored)."""
    from newsprism.report.json_report import ReportOptions, build_report
    from newsprism.store.analyses import new_analysis_id

    options = options or AnalyzeOptions()
    limit = min(options.max_chars, ANALYSIS_MAX_CHARS)
    views = [analysis_view(a, limit) for a in articles]
    full_chars = {a.id: len(a.text) for a, v in zip(articles, views, strict=True) if v is not a}
    # Articles in a language the models do not handle are listed, never judged (see language.py).
    languages = options.pipeline.compared_languages()
    compared, skipped = split_by_language(views, languages)
    why_none = "no articles to analyze"
    if skipped:
        shown = ", ".join(sorted({language for _, language in skipped}))
        why_none = f"no article in a compared language ({', '.join(sorted(languages))}); others: {shown}"
    batch, records = _run_analysis(compared, options, progress, why_none)
    report_options = ReportOptions(
        analysis_id=new_analysis_id(), include_text=options.include_text, full_chars=full_chars,
        languages=languages, not_compared={a.id: language for a, language in skipped},
    )
    summary = inputs if inputs is not None else {"articles_given": len(articles)}
    return build_report(views, batch.layers, records, summary, report_options)


@contextmanager
def _analysis_store(db: DbArg) -> Iterator[Store]:
    if db is not None:
        with open_store(db) as store:
            yield store
        return
    # No store named: work in a throwaway SQLite file so the user's default database is untouched.
    with tempfile.TemporaryDirectory(prefix="newsprism-", ignore_cleanup_errors=True) as tmp:
        with open_store(Path(tmp) / "analyze.db") as store:
            yield store


def analyze(
    inputs_or_articles: Iterable[str | os.PathLike[str] | Article],
    db: DbArg = None,
    options: AnalyzeOptions | None = None,
    *,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Ingest the inputs (or take the articles given), run every available stage, return the report.

    Without ``db`` the work happens in a temporary store. With ``db`` the inputs are ingested as
    ``ingest`` stores them (linked to the store's stories), the stories they touched are analysed
    and their findings stored, and the report is read back from the store. The report's ``inputs``
    section carries the ingest counts and every failing input with its reason.
    """
    options = options or AnalyzeOptions()
    single = isinstance(inputs_or_articles, str | os.PathLike | Article)
    items = [inputs_or_articles] if single else list(inputs_or_articles)
    if db is not None and options.save:
        return _analyze_into(items, db, options, progress)
    with _analysis_store(db) as store:
        if _is_articles(items):
            stored = store.add_articles(items)  # type: ignore[arg-type]
            by_id = {a.id: a for _, a in stored.statuses}
            articles, summary = list(by_id.values()), {"articles_given": len(items)}
        else:
            ingested = ingest(items, store, options.ingest, progress=progress)  # type: ignore[arg-type]
            articles = store.get_articles(ingested.article_ids)
            summary = {"given": [os.fspath(i) for i in items], **ingested.to_dict()}
            summary.pop("articles")
        return analyze_articles(articles, options, summary, progress=progress)


def _analyze_into(
    items: list[Any], db: DbArg, options: AnalyzeOptions, progress: Progress | None
) -> dict[str, Any]:
    """``analyze`` with a store: ingest and link, analyse the stories touched, report from the store."""
    from dataclasses import replace

    with open_store(db) as store:
        if _is_articles(items):
            linked = IngestReport()
            stored = store.add_articles(items)
            Linker(store).link([a for _, a in stored.statuses], linked)
            summary: dict[str, Any] = {"articles_given": len(items), "link_errors": [
                e.to_dict() for e in linked.link_errors]}
            touched = linked.story_ids
        else:
            ingested = ingest(items, store, replace(options.ingest, link=True), progress=progress)
            summary = {"given": [os.fspath(i) for i in items], **ingested.to_dict()}
            summary.pop("articles")
            touched = ingested.story_ids
        return _analyze_stored(store, sorted(touched), options, summary, progress)


def _analyze_stored(
    store: Store, story_ids: Sequence[str] | None, options: AnalyzeOptions, summary: dict[str, Any],
    progress: Progress | None,
) -> dict[str, Any]:
    from newsprism.findings.report import stored_report
    from newsprism.findings.run import analyze_stories

    done = analyze_stories(store, story_ids, options.pipeline, max_chars=options.max_chars, progress=progress,
                           engine=options.engine)
    shown = done.story_ids + done.kept
    report = stored_report(store, shown, {**summary, "linked": done.linked, "kept": done.kept},
                           include_text=options.include_text,
                           languages=options.pipeline.compared_languages())
    if done.failed_stages:  # the stored findings shown are the earlier ones: say why
        report["stages"] = stages_section(done.records)
    elif not shown:
        report["stages"] = stages_section(
            {**r.to_dict(), "status": "skipped", "reason": "no stories to analyze"}
            for r in default_pipeline(options.pipeline).records)
    return report


def analyze_changed(
    db: DbArg,
    ingested: IngestReport,
    options: AnalyzeOptions | None = None,
    *,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """After ``ingest``: analyse only the stories that its new articles and revisions joined (a
    duplicate changes no story), and return their report from the store."""
    from newsprism.stories.queries import stories_of_articles

    changed = [a.id for a in ingested.articles if a.status != AddStatus.DUPLICATE.value]
    with open_store(db) as store:
        with store.engine.connect() as conn:
            touched = stories_of_articles(conn, list(dict.fromkeys(changed)))
        summary = {"changed_articles": len(changed)}
        return _analyze_stored(store, touched, options or AnalyzeOptions(), summary, progress)


def analyze_stored(
    db: DbArg,
    story_ids: Sequence[str] | None = None,
    options: AnalyzeOptions | None = None,
    *,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Analyse what the store holds: the named stories (ids or unambiguous prefixes), or every
    active story; their findings are stored and the report is read back from the store. Raises
    ``newsprism.stories.queries.StoryNotFound`` for an id that names no story."""
    options = options or AnalyzeOptions()
    with open_store(db) as store:
        return _analyze_stored(store, story_ids, options, {"stories_given": list(story_ids or [])}, progress)
