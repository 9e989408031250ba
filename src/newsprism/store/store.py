"""The store: SQLite by default, PostgreSQL from a URL; one write path, one transaction per batch.

Concurrency: one writer at a time on both backends (SQLite's write lock taken by ``BEGIN
IMMEDIATE``; a PostgreSQL advisory lock), taken before a writer reads what exists, so two
processes ingesting overlapping batches never store an article twice. Plain reads take no lock.

Time zones: every datetime is an aware instant (``newsprism.model.utc_instant``). ``published`` is
stored as a UTC instant plus the UTC offset it was given in, so it comes back as the same instant
in the same offset on SQLite and PostgreSQL; a value given without a zone was taken as UTC when
the article was built, so it comes back as UTC (as do rows written before this rule with a NULL
offset, which came back naive then). ``ingested_at`` is always an aware UTC instant.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Select, create_engine, event, func, inspect, select
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from newsprism.model import Article, Span, utc_instant
from newsprism.store.migrations import (
    LOCK_TIMEOUT_MS,
    SQLITE_BEGIN_OPTION,
    lock_for_write,
    migrate,
    write_transaction,
)
from newsprism.store.search import KINDS, SearchPage, article_doc, index_docs, remove_docs
from newsprism.store.search import search as search_docs
from newsprism.store.tables import articles, ingest_errors

DEFAULT_DB = "newsprism.db"
# Bound parameters per IN (...) query; far below SQLite's and PostgreSQL's limits.
_IN_CHUNK = 500
# Characters of article text read in one page by the streaming readers: pages of 500 articles were
# bounded by count, so 500 stored 19 MB articles would have been read at once (with their sentence
# and paragraph spans, several times the text). One larger article is read alone.
PAGE_CHARS = 32 << 20
K = TypeVar("K")


class AddStatus(StrEnum):
    NEW = "new"
    DUPLICATE = "duplicate"
    REVISION = "revision"


@dataclass(slots=True)
class AddResult:
    """What one ``add_articles`` batch did: the stored article (or the one it duplicated) per input."""

    statuses: list[tuple[AddStatus, Article]] = field(default_factory=list)

    def count(self, status: AddStatus) -> int:
        return sum(1 for s, _ in self.statuses if s == status)


class StoreOpenError(RuntimeError):
    """The store named could not be opened: ``url`` (password masked) and the ``reason``."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason = url, reason


def masked_url(url: str) -> str:
    """``url`` as safe to print: any password replaced by ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:  # not parseable as a URL: mask anything between ':' and '@' ourselves
        return re.sub(r"(//[^/:@]*:)[^/@]*@", r"\1***@", url)


def _open_reason(exc: Exception) -> str:
    """The driver's own words for why a store did not open, on one line, without SQL or links."""
    if isinstance(exc, NoSuchModuleError):
        return f"unknown database dialect ({exc})"
    if isinstance(exc, ImportError):
        return f"its database driver is not installed ({exc})"
    inner = getattr(exc, "orig", None) or exc
    text = " ".join(str(inner).split())
    return f"{type(inner).__name__}: {text}" if text else type(inner).__name__


def database_url(db: str | os.PathLike[str] | None) -> str:
    """A SQLAlchemy URL from what a user typed: a URL as is, anything else as a SQLite path."""
    if db is None:
        db = os.environ.get("NEWSPRISM_DB", DEFAULT_DB)
    db = str(db)
    if "://" in db:
        for prefix in ("postgresql://", "postgres://"):
            if db.startswith(prefix):
                # psycopg 3 is the driver newsprism installs; plain postgresql:// would ask for psycopg2.
                return "postgresql+psycopg://" + db[len(prefix) :]
        return db
    return f"sqlite:///{Path(db).expanduser()}"


def _require_existing(url: str) -> None:
    try:
        parsed = make_url(url)
    except ArgumentError:
        return  # not a URL at all: opening it says why
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return  # a server database either exists (and connects) or fails to connect
    if parsed.database.startswith("file:") or (parsed.query or {}).get("uri"):
        return  # SQLite URI filenames carry their own mode (e.g. ?mode=ro)
    if not Path(parsed.database).exists():
        raise StoreOpenError(masked_url(url), f"no store at {parsed.database}")


def _sqlite_connect(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API objects are untyped
    # SQLAlchemy's documented pysqlite recipe: stop the driver's own (lazy, DML-only) BEGIN so
    # the "begin" listener below decides how each transaction starts.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    # busy_timeout first: switching a new file to WAL needs a lock another process may hold.
    cur.execute(f"PRAGMA busy_timeout={LOCK_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    # In WAL mode NORMAL loses no committed transaction when a process dies, only on power loss.
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    # Writers ask for IMMEDIATE (see ``write_transaction``); reads stay DEFERRED and never block.
    mode = conn.get_execution_options().get(SQLITE_BEGIN_OPTION, "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(db: str | os.PathLike[str] | None) -> Engine:
    url = database_url(db)
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    path = url[len("sqlite:///") :]
    if path and path != ":memory:" and url.startswith("sqlite:///"):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _published_out(value: datetime | None, offset: int | None) -> datetime | None:
    if value is None:
        return None
    # A NULL offset is a value given without a zone, taken as UTC (older stores returned it naive,
    # and naive and aware values in one story crashed every later ingest).
    return value.astimezone(UTC if offset is None else timezone(timedelta(seconds=offset)))


def _published_in(value: datetime | None) -> tuple[datetime | None, int | None]:
    if value is None:
        return None, None
    value = utc_instant(value)  # an attribute set after the Article was built may still be naive
    return value, int(value.utcoffset().total_seconds())


def _row_to_article(row) -> Article:  # noqa: ANN001 - a SQLAlchemy Row
    m = row._mapping
    return Article(
        id=m["id"], text=m["text"], content_hash=m["content_hash"], source_format=m["source_format"],
        title=m["title"], url=m["url"], canonical_url=m["canonical_url"], outlet=m["outlet"],
        outlet_domain=m["outlet_domain"], byline=m["byline"], dateline=m["dateline"],
        published=_published_out(m["published"], m["published_utcoffset"]),
        language=m["language"], source_path=m["source_path"], external_id=m["external_id"],
        ingested_at=m["ingested_at"], paragraphs=[Span(a, b) for a, b in m["paragraphs"]],
        sentences=[Span(a, b) for a, b in m["sentences"]], origins=dict(m["origins"]),
        revision_of=m["revision_of"], revision=m["revision"], extra=dict(m["extra"]),
    )


def _article_row(article: Article, seq: int) -> dict:
    published, offset = _published_in(article.published)
    return {
        "id": article.id, "content_hash": article.content_hash, "identity_key": article.identity_key,
        "text": article.text, "title": article.title, "url": article.url,
        "canonical_url": article.canonical_url, "outlet": article.outlet,
        "outlet_domain": article.outlet_domain, "byline": article.byline, "dateline": article.dateline,
        "published": published, "published_utcoffset": offset, "language": article.language,
        "source_path": article.source_path, "source_format": article.source_format,
        "external_id": article.external_id, "ingested_at": article.ingested_at,
        "paragraphs": [s.to_list() for s in article.paragraphs],
        "sentences": [s.to_list() for s in article.sentences],
        "origins": article.origins, "extra": article.extra, "revision_of": article.revision_of,
        "revision": article.revision, "seq": seq,
    }


def _of_outlet(query: Select, outlet: str | None) -> Select:
    return query.where(articles.c.outlet == outlet) if outlet else query


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(values), _IN_CHUNK):
        yield values[i : i + _IN_CHUNK]


def _pages(sizes: Iterable[tuple[K, int]], max_chars: int) -> Iterator[list[K]]:
    """Keys in order, cut into runs whose sizes add up to at most ``max_chars`` (a larger one alone)."""
    page: list[K] = []
    used = 0
    for key, n in sizes:
        if page and used + (n or 0) > max_chars:
            yield page
            page, used = [], 0
        page.append(key)
        used += n or 0
    if page:
        yield page


def _existing(conn: Connection, ids: Sequence[str]) -> dict[str, Article]:
    found: dict[str, Article] = {}
    for chunk in _chunks(ids):
        for row in conn.execute(select(articles).where(articles.c.id.in_(chunk))):
            found[row.id] = _row_to_article(row)
    return found


def _latest_revisions(conn: Connection, keys: Sequence[str]) -> dict[str, tuple[str, int]]:
    """identity key -> (id, revision) of its latest stored version."""
    latest: dict[str, tuple[str, int]] = {}
    cols = (articles.c.identity_key, articles.c.id, articles.c.revision)
    for chunk in _chunks(keys):
        for key, art_id, rev in conn.execute(select(*cols).where(articles.c.identity_key.in_(chunk))):
            if key not in latest or rev > latest[key][1]:
                latest[key] = (art_id, rev)
    return latest


def _reindex(conn: Connection, stored: list[Article]) -> None:
    """Keep full-text search on the current text: a new revision replaces the one it revises.

    A store whose search migration has not run yet (opened with ``migrate_schema=False``) is
    written without it: that migration indexes every current article when it runs."""
    if not inspect(conn).has_table("search_docs"):
        return
    superseded = {a.revision_of for a in stored if a.revision_of}
    remove_docs(conn, "article", sorted(superseded))
    index_docs(conn, [article_doc(a) for a in stored if a.id not in superseded])


class Store:
    """All reads and writes of newsprism data. Construct with ``Store.open(url_or_path)``."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @classmethod
    def open(
        cls, db: str | os.PathLike[str] | None = None, *, migrate_schema: bool = True, create: bool = True
    ) -> Store:
        """Open (and bring up to date) the store; ``StoreOpenError`` says why one cannot be.

        ``create=False`` (read commands) refuses a SQLite file that does not exist instead of
        creating an empty store there: a mistyped path must not look like an empty newsroom.
        """
        url = database_url(db)
        if not create:
            _require_existing(url)
        engine = None
        try:
            engine = make_engine(url)
            if migrate_schema:
                migrate(engine)
            else:  # still connect once, so a bad URL fails here and not mid-command
                engine.connect().close()
        except (SQLAlchemyError, OSError, ImportError) as exc:
            if engine is not None:
                engine.dispose()
            raise StoreOpenError(masked_url(url), _open_reason(exc)) from exc
        return cls(engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """The one write path: everything written inside commits together or not at all.

        It holds the store's write lock from its start (one writer at a time), so keep it
        short and never open a second one inside it: that waits for the first, then fails.
        """
        with write_transaction(self.engine) as conn:
            yield conn

    # -- articles -------------------------------------------------------------------------

    def add_articles(self, batch: Sequence[Article], conn: Connection | None = None) -> AddResult:
        """Store a batch atomically. Same id again (same text from the same source) is a
        duplicate; new text at a known URL or source id is a new revision linked to the latest
        earlier one. Pass ``conn`` from ``transaction()`` to join a larger transaction."""
        if conn is None:
            with self.transaction() as tx:
                return self.add_articles(batch, tx)
        lock_for_write(conn)
        batch = list(batch)
        existing = _existing(conn, list(dict.fromkeys(a.id for a in batch)))
        latest = _latest_revisions(conn, list(dict.fromkeys(a.identity_key for a in batch if a.identity_key)))
        seq = conn.execute(select(func.coalesce(func.max(articles.c.seq), 0))).scalar_one()
        now = datetime.now(UTC)
        result = AddResult()
        rows: list[dict] = []
        for article in batch:
            known = existing.get(article.id)
            if known is not None:
                result.statuses.append((AddStatus.DUPLICATE, known))
                continue
            key = article.identity_key
            previous = latest.get(key) if key else None
            stored = article.with_updates(
                ingested_at=utc_instant(article.ingested_at) or now,
                revision_of=previous[0] if previous else None,
                revision=previous[1] + 1 if previous else 1,
            )
            seq += 1
            rows.append(_article_row(stored, seq))
            existing[stored.id] = stored
            if key:
                latest[key] = (stored.id, stored.revision)
            result.statuses.append((AddStatus.REVISION if previous else AddStatus.NEW, stored))
        if rows:
            conn.execute(articles.insert(), rows)
            _reindex(conn, [a for status, a in result.statuses if status != AddStatus.DUPLICATE])
        return result

    def record_errors(self, errors: Iterable[tuple[str, str]], conn: Connection | None = None) -> None:
        rows = [{"source": s, "reason": r, "at": datetime.now(UTC)} for s, r in errors]
        if not rows:
            return
        if conn is None:
            with self.transaction() as tx:
                tx.execute(ingest_errors.insert(), rows)
        else:
            conn.execute(ingest_errors.insert(), rows)

    def get_article(self, article_id: str) -> Article | None:
        """The article with this id, or with this unambiguous id prefix (as git does for commits)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
            if row is None:
                rows = self._by_prefix(conn, article_id)
                row = rows[0] if len(rows) == 1 else None
        return _row_to_article(row) if row is not None else None

    def _by_prefix(self, conn: Connection, prefix: str) -> list:
        prefix = prefix.strip().lower()
        # Ids are lowercase hex: every id starting with the prefix lies in [prefix, prefix + "g").
        if not prefix or any(c not in "0123456789abcdef" for c in prefix):
            return []
        if self.dialect == "postgresql":
            # Served by the varchar_pattern_ops index (m0001) whatever the database's collation.
            query = select(articles).where(articles.c.id.like(prefix + "%")).limit(2)
        else:
            # SQLite's LIKE is case-insensitive and so cannot use the primary key index; a range can.
            query = select(articles).where(articles.c.id >= prefix, articles.c.id < prefix + "g").limit(2)
        return [r for r in conn.execute(query) if r.id.startswith(prefix)]

    def get_articles(self, ids: Iterable[str], conn: Connection | None = None) -> list[Article]:
        """The stored articles among ``ids``, in the order asked (read in ``conn`` when given)."""
        ids = list(ids)
        if conn is None:
            with self.engine.connect() as own:
                return self.get_articles(ids, own)
        by_id = _existing(conn, list(dict.fromkeys(ids)))
        return [by_id[i] for i in ids if i in by_id]

    def iter_articles(
        self, *, after_seq: int = 0, batch_size: int = 500, max_chars: int | None = None
    ) -> Iterator[Article]:
        """All articles in insertion order, streamed in pages of at most ``batch_size`` articles
        and ``max_chars`` (``PAGE_CHARS``) characters of text, so a caller keeping little of each
        holds one page."""
        max_chars = max_chars or PAGE_CHARS
        seq, size = articles.c.seq, func.length(articles.c.text)
        last = after_seq
        while True:
            with self.engine.connect() as conn:
                page = select(seq, size).where(seq > last).order_by(seq).limit(batch_size)
                sizes = conn.execute(page).all()
                if not sizes:
                    return
                upto = next(_pages(sizes, max_chars))[-1]
                rows = conn.execute(select(articles).where(seq > last, seq <= upto).order_by(seq)).all()
            for row in rows:
                yield _row_to_article(row)
            last = rows[-1].seq

    def iter_articles_of(
        self, ids: Iterable[str], conn: Connection, *, max_chars: int | None = None
    ) -> Iterator[Article]:
        """The stored articles among ``ids`` (each once, in no set order), read in pages of at most
        ``max_chars`` (``PAGE_CHARS``) characters of text, as ``iter_articles`` reads."""
        max_chars = max_chars or PAGE_CHARS
        ids = list(dict.fromkeys(ids))
        sizes = []
        for chunk in _chunks(ids):
            query = select(articles.c.id, func.length(articles.c.text)).where(articles.c.id.in_(chunk))
            sizes.extend(conn.execute(query).all())
        for page in _pages(sizes, max_chars):
            yield from _existing(conn, page).values()

    def search(
        self, query: str, kinds: Sequence[str] = KINDS, *, limit: int = 20, offset: int = 0
    ) -> SearchPage:
        """Full-text search over stored articles, claims and stories (``newsprism.store.search``)."""
        with self.engine.connect() as conn:
            return search_docs(conn, query, kinds, limit, offset)

    def list_articles(self, *, limit: int = 50, offset: int = 0, outlet: str | None = None) -> list[Article]:
        """A page of articles in insertion order, optionally of one outlet."""
        query = _of_outlet(select(articles), outlet).order_by(articles.c.seq).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            return [_row_to_article(r) for r in conn.execute(query)]

    def count_articles(self, outlet: str | None = None) -> int:
        """Stored articles, of one outlet when given: the same filter as ``list_articles``, so a
        page's total counts what the listing can show."""
        query = _of_outlet(select(func.count()).select_from(articles), outlet)
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one()
