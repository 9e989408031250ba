"""Full-text search over what the store holds: articles, claims and stories, on both backends.

One table of documents, ``search_docs`` (``kind``, ``ref``, the ``parent`` article, ``title``, and
``body`` for a claim; an article's text is read from ``articles``, never copied), is indexed by
SQLite FTS5 (the external-content table ``search_fts`` over the view ``search_content``, same
rowid) or by a PostgreSQL ``tsvector`` column with a GIN index. Callers see one interface:
``index_docs``/``remove_docs`` inside a write transaction, ``search`` to read.

- Articles are indexed as they are stored (``Store.add_articles``); a new revision replaces the
  one it revises, so a search finds the text as it stands now.
- Claims are indexed when an analysis is saved (``newsprism.store.analyses``). A writer that
  stores claims elsewhere calls ``index_docs(conn, [claim_doc(...)])`` in its transaction.
- Stories are found through their articles (``story_members``): a story's score is the sum of
  its matching articles' scores, so the story results can never disagree with the article index.

A query is words and "quoted phrases", all of which must match (both backends tokenise the
same way on word characters; PostgreSQL's ``simple`` configuration keeps words as written, so no
language's stemming is imposed on multilingual coverage). Bodies are indexed up to
``BODY_MAX_CHARS`` characters: PostgreSQL refuses a tsvector over 1 MB.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from newsprism.model import Article

KINDS = ("article", "claim", "story")
BODY_MAX_CHARS = 100_000
MARK_START, MARK_END = "\x02", "\x03"  # snippet match markers; split into segments before display
_TERM = re.compile(r'"([^"]*)"|(\S+)')
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class SearchDoc:
    kind: str
    ref: str
    parent: str | None
    title: str | None
    body: str


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result: what it is (``kind``, ``ref``; ``parent`` is a claim's article) and where the
    query matched: ``snippet`` is text around the match, ``highlights`` the matched spans in it."""

    kind: str
    ref: str
    parent: str | None
    title: str | None
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.ref, "article_id": self.parent, "title": self.title,
                "snippet": self.snippet, "highlights": [list(h) for h in self.highlights],
                "score": round(self.score, 4)}


@dataclass(slots=True)
class SearchPage:
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0


def article_doc(article: Article) -> SearchDoc:
    return SearchDoc("article", article.id, None, article.title, article.text[:BODY_MAX_CHARS])


def claim_doc(claim_id: str, article_id: str, claim_text: str) -> SearchDoc:
    return SearchDoc("claim", claim_id, article_id, None, claim_text[:BODY_MAX_CHARS])


def claim_docs_of_report(report: Mapping[str, Any]) -> Iterator[SearchDoc]:
    """The claims of an analyze report (its ``claims`` layer) as search documents."""
    layer = report.get("claims")
    per_article = layer.get("articles") if isinstance(layer, Mapping) else None
    for article_id, claims in (per_article or {}).items():
        for c in claims or []:
            if isinstance(c, Mapping) and c.get("id") and c.get("text"):
                yield claim_doc(str(c["id"]), str(article_id), str(c["text"]))


def query_terms(query: str) -> list[str]:
    """``'kursk "north korean" troops'`` -> ``["kursk", "north korean", "troops"]``."""
    query = _CONTROL.sub(" ", query)  # PostgreSQL refuses NUL in a string; no term needs a control
    terms = [(phrase or word).strip() for phrase, word in _TERM.findall(query)]
    return [t for t in terms if re.search(r"\w", t)]


def _fts5_query(terms: Sequence[str]) -> str:
    # Every term quoted: FTS5 then reads it as a phrase of tokens, never as its query syntax.
    return " ".join('"' + t.replace('"', '""') + '"' for t in terms)


def index_docs(conn: Connection, docs: Iterable[SearchDoc]) -> None:
    """Add or replace documents (by ``kind`` and ``ref``) in the caller's write transaction.

    An article's text is not copied: the index reads it from ``articles`` (SQLite through the
    ``search_content`` view; PostgreSQL computes the tsvector from it here), so the article must
    be stored first. Claims have no table of their own yet, so their text is kept in ``body``.
    """
    docs = list({(d.kind, d.ref): d for d in docs}.values())
    for kind in {d.kind for d in docs}:
        remove_docs(conn, kind, [d.ref for d in docs if d.kind == kind])
    if not docs:
        return
    rows = [{"kind": d.kind, "ref": d.ref, "parent": d.parent, "title": d.title,
             "body": None if d.kind == "article" else d.body[:BODY_MAX_CHARS],
             "text": d.body[:BODY_MAX_CHARS]} for d in docs]
    if conn.dialect.name != "sqlite":
        conn.execute(text(
            "INSERT INTO search_docs (kind, ref, parent, title, body, tsv) VALUES (:kind, :ref, :parent, "
            ":title, :body, setweight(to_tsvector('simple', coalesce(:title, '')), 'A') "
            "|| setweight(to_tsvector('simple', :text), 'B'))"), rows)
        return
    conn.execute(text("INSERT INTO search_docs (kind, ref, parent, title, body) "
                      "VALUES (:kind, :ref, :parent, :title, :body)"), rows)
    for kind in {d.kind for d in docs}:
        for chunk in _chunks([d.ref for d in docs if d.kind == kind]):
            conn.execute(_in("INSERT INTO search_fts (rowid, title, body) SELECT id, title, body "
                             f"FROM search_content WHERE {_IDS}"), {"kind": kind, "refs": chunk})


_IDS = "id IN (SELECT id FROM search_docs WHERE kind = :kind AND ref IN :refs)"


def _in(sql: str) -> Any:
    return text(sql).bindparams(bindparam("refs", expanding=True))


def remove_docs(conn: Connection, kind: str, refs: Sequence[str]) -> None:
    for chunk in _chunks(list(refs)):
        params = {"kind": kind, "refs": chunk}
        if conn.dialect.name == "sqlite":
            # An external-content FTS5 index forgets a row only when told the values it indexed
            # (an article's text never changes: a new text is a new revision, a new row).
            conn.execute(_in("INSERT INTO search_fts (search_fts, rowid, title, body) "
                             f"SELECT 'delete', id, title, body FROM search_content WHERE {_IDS}"), params)
        conn.execute(_in("DELETE FROM search_docs WHERE kind = :kind AND ref IN :refs"), params)


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def search(conn: Connection, query: str, kinds: Sequence[str] = KINDS, limit: int = 20,
           offset: int = 0) -> SearchPage:
    """The documents of ``kinds`` matching every term of ``query``, best first; stories are ranked
    by their matching articles. An empty query (no word characters) matches nothing."""
    terms = query_terms(query)
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown search kind(s) {unknown}; known: {', '.join(KINDS)}")
    if not terms or not kinds:
        return SearchPage()
    backend = _SQLITE if conn.dialect.name == "sqlite" else _POSTGRES
    if backend is _SQLITE:
        params: dict[str, Any] = {"q": _fts5_query(terms)}
        tsquery = ""
    else:  # one phrase query per term, all of them required
        params = {f"t{i}": t for i, t in enumerate(terms)}
        tsquery = " && ".join(f"phraseto_tsquery('simple', :t{i})" for i in range(len(terms)))
    docs = [k for k in kinds if k != "story"]
    parts = [backend["docs"]] if docs else []
    parts += [backend["stories"]] if "story" in kinds else []
    page = SearchPage()
    rows: list[Any] = []
    # Each part is asked for its best offset+limit rows and the merged list is cut: a page costs
    # what it shows, and the parts never share one SQL statement (FTS5's ranking functions work
    # only in the statement that runs the MATCH).
    for sql in parts:
        sql = sql.replace("{tsquery}", tsquery)
        args = {**params, "kinds": docs, "n": offset + limit}
        rows += conn.execute(_bind(f"{sql} ORDER BY score DESC LIMIT :n", docs), args).mappings().all()
        page.total += conn.execute(_bind(f"SELECT count(*) FROM ({sql}) AS part", docs), args).scalar_one()
    rows.sort(key=lambda r: (-(r["score"] or 0.0), r["kind"], r["ref"]))
    page.hits = [_hit(r) for r in rows[offset : offset + limit]]
    return page


def _bind(sql: str, kinds: Sequence[str]) -> Any:
    statement = text(sql)
    return statement.bindparams(bindparam("kinds", expanding=True)) if ":kinds" in sql else statement


def _hit(row: Any) -> SearchHit:
    if row["kind"] == "story":
        n = int(row["snippet"])
        snippet, highlights = f"{n} matching article{'' if n == 1 else 's'}", ()
    else:
        snippet, highlights = _segments(row["snippet"] or "")
    return SearchHit(row["kind"], row["ref"], row["parent"], row["title"], snippet, highlights,
                     float(row["score"] or 0.0))


def _segments(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Marker-delimited text -> plain text and the matched spans in it."""
    out, spans, start = [], [], None
    pos = 0
    for piece in re.split(f"([{MARK_START}{MARK_END}])", marked):
        if piece == MARK_START:
            start = pos
        elif piece == MARK_END:
            if start is not None and pos > start:
                spans.append((start, pos))
            start = None
        else:
            out.append(piece)
            pos += len(piece)
    return "".join(out), tuple(spans)


# The stories part reads ``stories`` and ``story_members`` by name: the store layer does not
# import the stories package that declares them.
_SQLITE = {
    "docs": (
        "SELECT d.kind AS kind, d.ref AS ref, d.parent AS parent, d.title AS title, "
        f"snippet(search_fts, 1, '{MARK_START}', '{MARK_END}', '…', 24) AS snippet, "
        "-bm25(search_fts, 4.0, 1.0) AS score "
        "FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid "
        "WHERE search_fts MATCH :q AND d.kind IN :kinds"
    ),
    "stories": (
        "WITH h AS MATERIALIZED (SELECT rowid AS id, -bm25(search_fts, 4.0, 1.0) AS score "
        "FROM search_fts WHERE search_fts MATCH :q) "
        "SELECT 'story' AS kind, s.id AS ref, NULL AS parent, s.label AS title, "
        "CAST(count(*) AS TEXT) AS snippet, sum(h.score) AS score "
        "FROM h JOIN search_docs d ON d.id = h.id AND d.kind = 'article' "
        "JOIN story_members m ON m.article_id = d.ref JOIN stories s ON s.id = m.story_id "
        "GROUP BY s.id, s.label"
    ),
}
_PG_QUERY = "(SELECT {tsquery})"
_POSTGRES = {
    "docs": (
        "SELECT d.kind AS kind, d.ref AS ref, d.parent AS parent, d.title AS title, "
        f"ts_headline('simple', coalesce(d.body, left(a.text, {BODY_MAX_CHARS})), q.query, "
        f"'StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, MaxFragments=1') AS snippet, "
        "ts_rank(d.tsv, q.query) AS score "
        f"FROM search_docs d CROSS JOIN {_PG_QUERY} AS q(query) "
        "LEFT JOIN articles a ON d.kind = 'article' AND a.id = d.ref "
        "WHERE d.tsv @@ q.query AND d.kind IN :kinds"
    ),
    "stories": (
        "SELECT 'story' AS kind, s.id AS ref, NULL AS parent, s.label AS title, "
        "CAST(count(*) AS TEXT) AS snippet, sum(ts_rank(d.tsv, q.query)) AS score "
        f"FROM search_docs d, {_PG_QUERY} AS q(query), story_members m, stories s "
        "WHERE d.tsv @@ q.query AND d.kind = 'article' AND m.article_id = d.ref AND s.id = m.story_id "
        "GROUP BY s.id, s.label"
    ),
}
