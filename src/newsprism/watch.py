"""Live coverage: poll feeds, pages, folders and URL lists; store what is new; re-analyse.

Each source is polled at the interval. A URL is fetched conditionally (``If-None-Match`` /
``If-Modified-Since`` with what the server sent last time), so an unchanged feed costs one 304. A
folder is scanned for files that are new or changed since the last poll; a URL list (a text file,
one URL a line) for URLs not read before. A source that fails waits twice as long each time, up to
``max_backoff_s``, and is polled at the interval again once it answers. Everything goes through the
same guarded readers (size caps, SSRF rules) and the same write path as ``ingest``, so a document
seen twice is stored once.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsprism.api import IngestOptions, IngestReport, ingest_items
from newsprism.ingest import build_result, is_url, iter_inputs
from newsprism.ingest.base import ReaderError
from newsprism.ingest.url_reader import Validators, fetch
from newsprism.ingest.web_reader import read_fetched


@dataclass
class WatchOptions:
    interval_s: float = 300.0
    max_backoff_s: float = 3600.0
    ingest: IngestOptions = field(default_factory=IngestOptions)


@dataclass
class SourceState:
    """What one source has shown so far, and when it is due again."""

    source: str
    kind: str  # "url" | "folder" | "list"
    validators: Validators = Validators()
    seen: dict[str, tuple[int, int]] = field(default_factory=dict)  # folder file -> (mtime_ns, size)
    urls: set[str] = field(default_factory=set)  # URLs a list has given
    failures: int = 0
    due: float = 0.0
    last_error: str | None = None


@dataclass
class PollResult:
    """One poll of one source: what was stored, or why nothing was."""

    source: str
    report: IngestReport | None = None
    not_modified: bool = False
    error: str | None = None


def source_kind(source: str) -> str:
    """ "url", "folder" or "list"; raises ValueError for a source that is none of them."""
    if is_url(source):
        return "url"
    path = Path(source)
    if path.is_dir():
        return "folder"
    if path.is_file():
        return "list"
    raise ValueError(f"{source}: not a URL, a folder or a file of URLs")


def _changed_files(state: SourceState) -> list[str]:
    """Regular files under the folder that are new or changed since the last scan."""
    out = []
    for root, dirs, files in os.walk(state.source):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = os.path.join(root, name)
            try:
                st = os.stat(path, follow_symlinks=False)
            except OSError:
                continue
            signature = (st.st_mtime_ns, st.st_size)
            if state.seen.get(path) != signature:
                state.seen[path] = signature
                out.append(path)
    return out


def _listed_urls(state: SourceState) -> list[str]:
    """URLs in the list file not read before (one a line; blank lines and ``#`` comments skipped)."""
    text = Path(state.source).read_text(encoding="utf-8", errors="replace")
    new = []
    for line in text.splitlines():
        url = line.strip()
        if url and not url.startswith("#") and url not in state.urls:
            state.urls.add(url)
            new.append(url)
    return new


class Watcher:
    """Polls its sources until stopped; ``on_stored`` is called with each poll's ingest report that
    stored something (e.g. to re-analyse the stories it touched)."""

    def __init__(
        self,
        sources: list[str],
        db: Any,
        options: WatchOptions | None = None,
        on_stored: Callable[[IngestReport], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.options = options or WatchOptions()
        self.states = [SourceState(s, source_kind(s)) for s in sources]
        self.db = db
        self.on_stored = on_stored
        self.clock = clock
        self.stop = threading.Event()

    def poll(self, state: SourceState) -> PollResult:
        """Poll one source now and schedule its next poll."""
        try:
            result = self._read(state)
        except (ReaderError, OSError) as exc:
            reason = exc.reason if isinstance(exc, ReaderError) else f"{type(exc).__name__}: {exc}"
            result = PollResult(state.source, error=reason)
        now = self.clock()
        if result.error:
            state.failures += 1
            state.last_error = result.error
            delay = min(self.options.interval_s * 2**state.failures, self.options.max_backoff_s)
        else:
            state.failures, state.last_error = 0, None
            delay = self.options.interval_s
        state.due = now + max(delay, 0.0)
        if result.report is not None and (result.report.new or result.report.revision) and self.on_stored:
            self.on_stored(result.report)
        return result

    def _read(self, state: SourceState) -> PollResult:
        ingest = self.options.ingest
        if state.kind == "url":
            page = fetch(state.source, ingest.read, validators=state.validators)
            if page.not_modified:
                return PollResult(state.source, not_modified=True)
            state.validators = page.validators
            items: Iterator[Any] = _built(read_fetched(state.source, page, ingest.read), ingest)
        else:
            todo = _changed_files(state) if state.kind == "folder" else _listed_urls(state)
            if not todo:
                return PollResult(state.source, not_modified=True)
            items = iter_inputs(todo, ingest.read)
        return PollResult(state.source, report=ingest_items(items, self.db, ingest))

    def due(self) -> list[SourceState]:
        now = self.clock()
        return [s for s in self.states if s.due <= now]

    def run(self, max_polls: int | None = None, report: Callable[[PollResult], None] | None = None) -> int:
        """Poll due sources until ``stop`` is set (or each source was polled ``max_polls`` times).
        Returns how many polls ran."""
        polls = 0
        rounds = 0
        while not self.stop.is_set() and (max_polls is None or rounds < max_polls):
            for state in self.due():
                if self.stop.is_set():
                    break
                result = self.poll(state)
                polls += 1
                if report:
                    report(result)
            rounds += 1
            if max_polls is not None and rounds >= max_polls:
                break
            wait = min(s.due for s in self.states) - self.clock()
            self.stop.wait(max(wait, 0.0))
        return polls


def _built(results: Iterator[Any], options: IngestOptions) -> Iterator[Any]:
    """Raw documents of a fetched page as articles (the ``given`` metadata applied), errors as they are."""
    for r in results:
        yield r if isinstance(r, ReaderError) else build_result(r, options.read.given)
