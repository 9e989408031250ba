"""The store: SQLite by default, PostgreSQL from a URL; one write path, one transaction per batch."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import create_engine, event, func, select
from sqlalchemy.engine import Connection, Engine

from newsprism.model import Article, Span
from newsprism.store.migrations import migrate
from newsprism.store.tables import articles, ingest_errors

DEFAULT_DB = "newsprism.db"


class AddStatus(StrEnum):
    NEW = "new"
    DUPLICATE = "duplicate"
    REVISION = "revision"


@dataclass(slots=True)
class AddResult:
    """What one ``add_articles`` batch did: the stored article (or the one it duplicated) per input."""

    statuses: list[tuple[AddStatus, Article]] = field(default_factory=list)

    def count(self, status: AddStatus) -> int:
        return sum(1 for s, _ in self.statuses if s is status)


def database_url(db: str | os.PathLike[str] | None) -> str:
    """A SQLAlchemy URL from what a user typed: a URL as is, anything else as a SQLite path."""
    if db is None:
        db = os.environ.get("NEWSPRISM_DB", DEFAULT_DB)
    db = str(db)
    if "://" in db:
        if db.startswith("postgresql://"):
            # psycopg 3 is the driver newsprism installs; plain postgresql:// would ask for psycopg2.
            return "postgresql+psycopg://" + db[len("postgresql://") :]
        return db
    return f"sqlite:///{Path(db).expanduser()}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API objects are untyped
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_engine(db: str | os.PathLike[str] | None) -> Engine:
    url = database_url(db)
    engine = create_engine(url, future=True, pool_pre_ping=url.startswith("postgresql"))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _row_to_article(row) -> Article:  # noqa: ANN001 - a SQLAlchemy Row
    m = row._mapping
    published = m["published"]
    if published is not None and published.tzinfo is None and m["origins"].get("published_tz") != "naive":
        published = published.replace(tzinfo=UTC)
    return Article(
        id=m["id"], text=m["text"], content_hash=m["content_hash"], source_format=m["source_format"],
        title=m["title"], url=m["url"], canonical_url=m["canonical_url"], outlet=m["outlet"],
        outlet_domain=m["outlet_domain"], byline=m["byline"], dateline=m["dateline"], published=published,
        language=m["language"], source_path=m["source_path"], external_id=m["external_id"],
        ingested_at=m["ingested_at"], paragraphs=[Span(a, b) for a, b in m["paragraphs"]],
        sentences=[Span(a, b) for a, b in m["sentences"]], origins=dict(m["origins"]),
        revision_of=m["revision_of"], revision=m["revision"], extra=dict(m["extra"]),
    )


def _article_row(article: Article, seq: int, now: datetime) -> dict:
    published = article.published
    if published is not None and published.tzinfo is not None:
        published = published.astimezone(UTC)
    return {
        "id": article.id, "content_hash": article.content_hash, "identity_key": article.identity_key,
        "text": article.text, "title": article.title, "url": article.url,
        "canonical_url": article.canonical_url, "outlet": article.outlet,
        "outlet_domain": article.outlet_domain, "byline": article.byline, "dateline": article.dateline,
        "published": published, "language": article.language, "source_path": article.source_path,
        "source_format": article.source_format, "external_id": article.external_id,
        "ingested_at": article.ingested_at or now,
        "paragraphs": [s.to_list() for s in article.paragraphs],
        "sentences": [s.to_list() for s in article.sentences],
        "origins": article.origins, "extra": article.extra, "revision_of": article.revision_of,
        "revision": article.revision, "seq": seq,
    }


class Store:
    """All reads and writes of newsprism data. Construct with ``Store.open(url_or_path)``."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @classmethod
    def open(cls, db: str | os.PathLike[str] | None = None, *, migrate_schema: bool = True) -> Store:
        store = cls(make_engine(db))
        if migrate_schema:
            migrate(store.engine)
        return store

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
        """The one write path: everything written inside commits together or not at all."""
        with self.engine.begin() as conn:
            yield conn

    # -- articles -------------------------------------------------------------------------

    def add_articles(self, batch: Sequence[Article], conn: Connection | None = None) -> AddResult:
        """Store a batch atomically. Same content again is a duplicate; new content at a known
        URL or source id is a new revision linked to the latest earlier one."""
        if conn is None:
            with self.transaction() as tx:
                return self.add_articles(batch, tx)
        result = AddResult()
        now = datetime.now(UTC)
        ids = [a.id for a in batch]
        existing = {row.id: row for row in conn.execute(select(articles).where(articles.c.id.in_(ids)))}
        seq = conn.execute(select(func.coalesce(func.max(articles.c.seq), 0))).scalar_one()
        seen: dict[str, Article] = {}
        for article in batch:
            if article.id in existing:
                result.statuses.append((AddStatus.DUPLICATE, _row_to_article(existing[article.id])))
                continue
            if article.id in seen:
                result.statuses.append((AddStatus.DUPLICATE, seen[article.id]))
                continue
            status = AddStatus.NEW
            previous = self._latest_for_identity(conn, article.identity_key)
            if previous is not None:
                article = article.with_updates(revision_of=previous[0], revision=previous[1] + 1)
                status = AddStatus.REVISION
            seq += 1
            article = article.with_updates(ingested_at=article.ingested_at or now)
            conn.execute(articles.insert().values(**_article_row(article, seq, now)))
            seen[article.id] = article
            result.statuses.append((status, article))
        return result

    @staticmethod
    def _latest_for_identity(conn: Connection, key: str | None) -> tuple[str, int] | None:
        if key is None:
            return None
        row = conn.execute(
            select(articles.c.id, articles.c.revision)
            .where(articles.c.identity_key == key)
            .order_by(articles.c.revision.desc())
            .limit(1)
        ).first()
        return (row.id, row.revision) if row else None

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
        with self.engine.connect() as conn:
            row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
            if row is None:
                # Accept an unambiguous id prefix, as git does for commits.
                rows = conn.execute(
                    select(articles).where(articles.c.id.like(f"{article_id}%")).limit(2)
                ).all()
                row = rows[0] if len(rows) == 1 else None
        return _row_to_article(row) if row is not None else None

    def get_articles(self, ids: Iterable[str]) -> list[Article]:
        ids = list(ids)
        with self.engine.connect() as conn:
            rows = conn.execute(select(articles).where(articles.c.id.in_(ids))).all()
        by_id = {r.id: _row_to_article(r) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def iter_articles(self, *, after_seq: int = 0, batch_size: int = 500) -> Iterator[Article]:
        """All articles in insertion order, streamed in pages so 100k articles fit in memory."""
        last = after_seq
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(articles).where(articles.c.seq > last).order_by(articles.c.seq).limit(batch_size)
                ).all()
            if not rows:
                return
            for row in rows:
                yield _row_to_article(row)
            last = rows[-1].seq

    def list_articles(self, *, limit: int = 50, offset: int = 0, outlet: str | None = None) -> list[Article]:
        query = select(articles).order_by(articles.c.seq).limit(limit).offset(offset)
        if outlet:
            query = query.where(articles.c.outlet == outlet)
        with self.engine.connect() as conn:
            return [_row_to_article(r) for r in conn.execute(query)]

    def count_articles(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(articles)).scalar_one()
