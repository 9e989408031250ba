"""Bulk ingest on Ray: articles built and stored by an actor pool, each actor with its own store.

The driver walks the inputs. A local record file (JSONL, CSV, JSON) is split into its records here
(reading a line is cheap; building the article from it is not); any other file (HTML, WARC, text)
goes to a worker whole. Object storage (``s3://`` and the like) is listed here and every object
goes to a worker by its URI, whatever its format: the worker reads it with its own credentials,
so no object's bytes pass through the driver. Workers build the articles (normalising, splitting
sentences) and store each batch in one transaction through ``newsprism.engines.sink``, which is
idempotent, so a batch retried after a lost node adds nothing twice. Work is sent in windows
bounded by bytes; linking (reuse index, stories) runs here after each window over its stored
articles, in input order, as plain ingest links each commit.

A retried batch reports its articles as duplicates (they were stored by the lost attempt): the
store is right, the new/duplicate split of the report can undercount ``new``.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from typing import Any

from newsprism.engines.options import EngineOptions
from newsprism.engines.ray_engine import ray_session
from newsprism.engines.ray_stages import pool

RECORD_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".tsv", ".json")
WINDOW_BYTES = 64 * 1024 * 1024
BATCH_ITEMS = 32


def _is_record_file(name: str) -> bool:
    name = name.lower().removesuffix(".gz")
    return name.endswith(RECORD_SUFFIXES)


def work_units(inputs: list[str], read: Any) -> Iterator[tuple[str, Any, int]]:
    """(kind, item, bytes): ``file`` (a LocalFile), ``raw`` (a RawDocument) or ``error`` (source,
    reason): a ``ReaderError`` does not pickle, so errors travel as plain pairs."""
    from newsprism.ingest import expand_inputs, read_input
    from newsprism.ingest.base import RawDocument, ReaderError
    from newsprism.ingest.files import LocalFile
    from newsprism.ingest.objects import ObjectFile

    for source in expand_inputs(inputs):
        if isinstance(source, ReaderError):
            yield "error", (source.source, source.reason), 0
        elif isinstance(source, ObjectFile):
            yield "file", source, source.size
        elif isinstance(source, LocalFile) and not _is_record_file(source.path):
            try:
                size = os.path.getsize(source.path)
            except OSError:
                size = 0
            yield "file", source, size
        else:
            for result in read_input(source, read):
                if isinstance(result, RawDocument):
                    yield "raw", result, len(result.text.encode("utf-8", "replace"))
                else:
                    yield "error", (result.source, result.reason), 0


class _Writer:
    """Builds and stores batches of work units; one store connection per actor."""

    def __init__(self, db_url: str, read: Any):
        from newsprism.store import Store

        self.store = Store.open(db_url)
        self.read = read

    def _built(self, kind: str, item: Any) -> list[Any]:
        from newsprism.ingest import build_result, read_input
        from newsprism.ingest.base import RawDocument, ReaderError

        if kind == "file":
            return [build_result(r, self.read.given) if isinstance(r, RawDocument) else r
                    for r in read_input(item, self.read)]
        if kind == "raw":
            return [build_result(item, self.read.given)]
        return [ReaderError(*item)]

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        from newsprism.engines.sink import write_articles
        from newsprism.model import Article

        built = []
        for n, blob in zip(batch["n"].tolist(), batch["item"], strict=True):
            kind, item = pickle.loads(blob)
            built.extend((n, x) for x in self._built(kind, item))
        articles = [(n, a) for n, a in built if isinstance(a, Article)]
        errors = [(n, (e.source, e.reason)) for n, e in built if not isinstance(e, Article)]
        statuses = write_articles(self.store, [a for _, a in articles], [e for _, e in errors])
        stored = [
            (n, status.value, given.source_path, s)
            for (n, given), (status, s) in zip(articles, statuses, strict=True)
        ]
        return {"out": [pickle.dumps((stored, errors))]}


def _windows(units: Iterator[tuple[str, Any, int]]) -> Iterator[list[dict[str, Any]]]:
    window: list[dict[str, Any]] = []
    size = 0
    for n, (kind, item, nbytes) in enumerate(units):
        window.append({"n": n, "item": pickle.dumps((kind, item))})
        size += nbytes
        if size >= WINDOW_BYTES:
            yield window
            window, size = [], 0
    if window:
        yield window


def _link(linker: Any, stored: list[tuple[int, Any]], report: Any, batch_size: int) -> None:
    """Link one window's stored articles in input order, as plain ingest links each commit."""
    articles = [s for _, s in sorted(stored, key=lambda x: x[0])]
    for lo in range(0, len(articles), batch_size):
        linker.link(articles[lo : lo + batch_size], report)


def ray_ingest(inputs: list[str], db: Any, options: Any, engine: EngineOptions, progress: Any = None) -> Any:
    """``newsprism.api.ingest`` with building and storing on Ray; returns its ``IngestReport``."""
    import ray.data

    from newsprism.api import open_store
    from newsprism.linking import IngestedArticle, IngestReport, InputError, Linker
    from newsprism.store.store import database_url

    url = db if isinstance(db, str) and "://" in db else database_url(db)
    report = IngestReport()
    entries: list[tuple[int, Any]] = []
    with ray_session(engine) as cpus, open_store(url) as store:
        linker = Linker(store) if options.link else None
        for window in _windows(work_units([os.fspath(i) for i in inputs], options.read)):
            ds = ray.data.from_items(window).map_batches(
                _Writer, fn_constructor_args=(url, options.read), batch_size=BATCH_ITEMS,
                batch_format="numpy", compute=pool(cpus),
            )
            stored_here: list[tuple[int, Any]] = []  # this window's texts, for linking only
            for row in ds.iter_rows():
                stored, errors = pickle.loads(row["out"])
                if linker:
                    stored_here.extend((n, s) for n, _, _, s in stored)
                entries.extend((n, IngestedArticle(s.id, st, src, s.revision_of)) for n, st, src, s in stored)
                report.errors.extend(InputError(src, reason) for _, (src, reason) in errors)
                if progress:
                    progress("read", len(entries) + len(report.errors), None)
            if linker:
                _link(linker, stored_here, report, options.batch_size)
    report.articles = [a for _, a in sorted(entries, key=lambda x: x[0])]
    return report
