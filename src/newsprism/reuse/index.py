"""``ReuseIndex``: incremental reuse detection over a ``Store``.

Band keys of every indexed article persist in ``reuse_signatures``; the in-memory band index holds
them. ``add`` fingerprints only the new articles, queries the existing ones, verifies the
candidates (fetching their texts from the store) and writes the new pairs with their passages.

Any number of processes may add to one store at once: ``add`` runs inside the store's write
transaction (one writer at a time), first loads the signatures other writers stored since this
index last looked, then numbers its new documents after the highest stored one. So no two writers
give out one ``doc``, and each new article is compared with every article stored before it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sqlalchemy import func, or_, select
from sqlalchemy.engine import Connection

from newsprism.limits import analysis_view
from newsprism.model import Article
from newsprism.reuse.candidates import CandidateFinder, Evidence, analysed_tokens, verify
from newsprism.reuse.engine import exact_evidence, prune
from newsprism.reuse.graph import build_groups
from newsprism.reuse.options import ReuseOptions
from newsprism.reuse.relations import Context, classify
from newsprism.reuse.result import ReusePair, ReuseResult
from newsprism.reuse.tables import reuse_pairs, reuse_passages, reuse_signatures
from newsprism.reuse.tokens import HASH_VERSION, Tokens
from newsprism.store import Store

_FINGERPRINT_FIELDS = (
    "shingle",
    "num_perm",
    "rows_per_band",
    "window",
    "block_tokens",
    "index_stride",
    "seed",
    "sentence_keys",
    "sentence_min_tokens",
    "sentence_end_keys",
)

# article id -> (band keys, token count) made with this index's options
Refreshed = dict[str, tuple[np.ndarray, int]]


class ReuseIndex:
    def __init__(self, store: Store, options: ReuseOptions | None = None):
        self.store = store
        self.options = options or ReuseOptions()
        fields = [f"{f}={getattr(self.options, f)}" for f in _FINGERPRINT_FIELDS]
        self.params = ",".join([*fields, f"hash={HASH_VERSION}"])
        self._pending_keys: list[np.ndarray] = []
        self._pending_lengths: list[int] = []
        self._reset()
        # Loaded without the write lock (opening an index must not wait for writers); keys of
        # signatures made with other options are written back under it.
        with self.store.engine.connect() as conn:
            refreshed = self._sync(conn)
        if refreshed:
            with self.store.transaction() as conn:
                self._write_back(conn, refreshed)
        self.stale = len(refreshed)  # signatures made with other fingerprint options or word hash

    def _reset(self) -> None:
        """Forget everything loaded: the next ``_sync`` loads the whole store again."""
        self.finder = CandidateFinder(self.options)
        self.doc_ids: list[str] = []
        self._indexed: set[str] = set()
        self.by_hash: dict[str, str] = {}
        self._last_doc = -1  # highest stored ``doc`` loaded so far

    def _sync(self, conn: Connection) -> Refreshed:
        """Load the signatures stored (by this process or another) since the last sync; returns
        the ones re-fingerprinted because they were made with other options."""
        sig = reuse_signatures.c
        rows = conn.execute(select(reuse_signatures).where(sig.doc > self._last_doc).order_by(sig.doc)).all()
        if not rows:
            return {}
        fresh = self._refresh([r.article_id for r in rows if r.params != self.params], conn)
        keys, docs = [], []
        for row in rows:
            self.by_hash.setdefault(row.content_hash, row.article_id)
            k = fresh[row.article_id][0] if row.article_id in fresh else None
            if k is None:
                k = np.frombuffer(row.index_keys, dtype="<u8").astype(np.uint64)
            keys.append(k)
            docs.append(np.full(k.shape[0], len(self.doc_ids), dtype=np.int64))
            self.doc_ids.append(row.article_id)
            self._indexed.add(row.article_id)
        self.finder.load(np.concatenate(keys), np.concatenate(docs), len(self.doc_ids))
        self._last_doc = rows[-1].doc
        return fresh

    def _refresh(self, stale: list[str], conn: Connection, chunk: int = 2000) -> Refreshed:
        """Re-fingerprint articles whose stored keys were made with other options or an older word
        hash: otherwise articles indexed before an upgrade would never meet new ones. Article
        texts come from the store, so nothing is lost."""
        out: Refreshed = {}
        for i in range(0, len(stale), chunk):
            arts = self.store.get_articles(set(stale[i : i + chunk]), conn)
            if not arts:
                continue
            words = self.finder.words(arts)
            keys, lengths = self.finder.keys(words), words.doc_lengths().tolist()
            for d, art in enumerate(arts):
                out[art.id] = (keys.index_keys[keys.index_docs == d], lengths[d])
        return out

    def _write_back(self, conn: Connection, refreshed: Refreshed) -> None:
        for article_id, (keys, n_tokens) in refreshed.items():
            conn.execute(
                reuse_signatures.update()
                .where(reuse_signatures.c.article_id == article_id)
                .values(params=self.params, n_tokens=n_tokens, index_keys=keys.astype("<u8").tobytes())
            )

    def __len__(self) -> int:
        return len(self.doc_ids)

    def add(self, articles: Sequence[Article]) -> list[ReusePair]:
        """Index new articles (stored first if needed); returns the pairs they form."""
        given = list(dict((a.id, a) for a in articles).values())
        if not given:
            return []
        try:
            with self.store.transaction() as conn:
                return self._add(conn, given)
        except BaseException:
            # The band index may hold documents whose signatures were rolled back.
            self._reset()
            raise

    def _add(self, conn: Connection, given: list[Article]) -> list[ReusePair]:
        self._write_back(conn, self._sync(conn))
        fresh = [a for a in given if a.id not in self._indexed]
        if not fresh:
            return []
        # The stored versions carry what the store inferred (revision links by URL).
        stored = {art.id: art for _, art in self.store.add_articles(fresh, conn).statuses}
        fresh = [stored.get(a.id, a) for a in fresh]
        evidence, reps = self._exact(fresh, conn)
        evidence += self._candidates(reps, conn)
        evidence = prune(evidence + self._neighbourhood(evidence, conn), self.options)
        new_ids = {a.id for a in fresh}
        ctx = Context([ev for ev in evidence if not ev.exact], self.options)
        pairs = [classify(ev, ctx, self.options) for ev in evidence if {ev.a.id, ev.b.id} & new_ids]
        # An exact copy keeps no signature of its own, so a re-run offers it again: its stored pair
        # is the record, and re-deriving it must neither fail nor count as new.
        pairs = self._unstored(pairs, conn)
        self._write(conn, reps, pairs)
        return pairs

    def _unstored(self, pairs: list[ReusePair], conn: Connection) -> list[ReusePair]:
        ids = list({x for p in pairs for x in (p.a, p.b)})
        if not ids:
            return pairs
        rows = conn.execute(
            select(reuse_pairs.c.a, reuse_pairs.c.b).where(reuse_pairs.c.a.in_(ids), reuse_pairs.c.b.in_(ids))
        ).all()
        stored = {frozenset(r) for r in rows}
        return [p for p in pairs if frozenset((p.a, p.b)) not in stored]

    def _exact(self, fresh: Sequence[Article], conn: Connection) -> tuple[list[Evidence], list[Article]]:
        """Exact copies (of stored texts or of each other) and the distinct new texts. Copies get
        no signature row: their representative's keys already find them."""
        reps: list[Article] = []
        batch: dict[str, Article] = {}
        copies: list[tuple[str, Article]] = []
        for art in fresh:
            rep_id = self.by_hash.get(art.content_hash)
            if rep_id is None:
                self.by_hash[art.content_hash] = art.id
                batch[art.id] = art
                reps.append(art)
            else:
                copies.append((rep_id, art))
        # A copy is found by its content hash; its evidence covers the part analysis reads.
        held = self._analysed_stored({r for r, _ in copies if r not in batch}, conn)
        out = []
        for rep_id, art in copies:
            if rep_id not in held and rep_id in batch:
                held[rep_id] = analysed_tokens(self.finder.hasher, batch[rep_id])
            if rep_id in held:
                view, tokens = held[rep_id]
                out.append(exact_evidence(view, analysis_view(art), tokens))
        return out, reps

    def _analysed_stored(self, ids: set[str], conn: Connection) -> dict[str, tuple[Article, Tokens]]:
        """Stored articles among ``ids`` as analysis reads them, with their tokens. Read a page at a
        time and cut at once, so many huge stored candidates hold only their analysed parts."""
        hasher = self.finder.hasher
        return {a.id: analysed_tokens(hasher, a) for a in self.store.iter_articles_of(ids, conn)}

    def _candidates(self, reps: list[Article], conn: Connection) -> list[Evidence]:
        self._pending_keys = []
        if not reps:
            return []
        hasher = self.finder.hasher
        words = self.finder.words(reps)
        self._pending_lengths = words.doc_lengths().tolist()
        keys = self.finder.keys(words)
        new = [analysed_tokens(hasher, a) for a in reps]
        q, h, base = self.finder.add_chunk(keys, len(reps))
        self.doc_ids.extend(a.id for a in reps)
        self._indexed.update(a.id for a in reps)
        self._pending_keys = [keys.index_keys[keys.index_docs == d] for d in range(len(reps))]
        old = self._analysed_stored({self.doc_ids[i] for i in q.tolist() if i < base}, conn)
        out = []
        for i, j in zip(q.tolist(), h.tolist(), strict=True):
            a = new[i - base] if i >= base else old.get(self.doc_ids[i])
            if a is None:
                continue
            ev = verify(*a, *new[j - base], self.options)
            if ev is not None:
                out.append(ev)
        return out

    def _neighbourhood(self, evidence: list[Evidence], conn: Connection) -> list[Evidence]:
        """Stored pairs of the articles involved, re-aligned, so merges and hosts are typed in context."""
        ids = {x for ev in evidence for x in (ev.a.id, ev.b.id)}
        if not ids:
            return []
        pair = reuse_pairs.c
        rows = conn.execute(select(pair.a, pair.b).where(or_(pair.a.in_(ids), pair.b.in_(ids)))).all()
        have = {frozenset((ev.a.id, ev.b.id)) for ev in evidence}
        todo = [(r.a, r.b) for r in rows if frozenset((r.a, r.b)) not in have]
        arts = self._analysed_stored({x for pair in todo for x in pair}, conn)
        out = []
        for a_id, b_id in todo:
            if a_id in arts and b_id in arts:
                ev = verify(*arts[a_id], *arts[b_id], self.options)
                if ev is not None:
                    out.append(ev)
        return out

    def _write(self, conn: Connection, reps: list[Article], pairs: list[ReusePair]) -> None:
        # Numbered under the write lock, after everything ``_sync`` just loaded: unique across writers.
        first = conn.execute(select(func.coalesce(func.max(reuse_signatures.c.doc), -1))).scalar_one() + 1
        if reps:
            empty = np.zeros(0, np.uint64)
            conn.execute(
                reuse_signatures.insert(),
                [
                    {
                        "article_id": art.id,
                        "doc": first + n,
                        "content_hash": art.content_hash,
                        "params": self.params,
                        "n_tokens": self._pending_lengths[n],
                        "index_keys": (self._pending_keys[n] if n < len(self._pending_keys) else empty)
                        .astype("<u8")
                        .tobytes(),
                    }
                    for n, art in enumerate(reps)
                ],
            )
            self._last_doc = first + len(reps) - 1
        for p in pairs:
            _insert_pair(conn, p)

    def pairs(self) -> list[ReusePair]:
        with self.store.engine.connect() as conn:
            rows = conn.execute(select(reuse_pairs).order_by(reuse_pairs.c.id)).all()
            spans: dict[int, list] = {}
            for s in conn.execute(select(reuse_passages).order_by(reuse_passages.c.id)):
                spans.setdefault(s.pair_id, []).append(((s.a_start, s.a_end), (s.b_start, s.b_end)))
        return [
            ReusePair(
                r.a,
                r.b,
                r.type,
                r.direction,
                r.confidence,
                r.reason,
                r.coverage_a,
                r.coverage_b,
                tuple(spans.get(r.id, ())),
                r.direction_reason,
            )
            for r in rows
        ]

    def result(self) -> ReuseResult:
        """The whole stored copy graph as a ``ReuseResult`` (groups over every stored article)."""
        pairs = self.pairs()
        articles = list(self.store.iter_articles())
        groups, group_of = build_groups(articles, pairs)
        return ReuseResult(tuple(pairs), tuple(groups), group_of, (), {"indexed": len(self.doc_ids)})


def _insert_pair(conn: Connection, p: ReusePair) -> None:
    res = conn.execute(
        reuse_pairs.insert().values(
            a=p.a,
            b=p.b,
            type=p.type,
            direction=p.direction,
            confidence=p.confidence,
            reason=p.reason,
            direction_reason=p.direction_reason,
            coverage_a=p.coverage_a,
            coverage_b=p.coverage_b,
        )
    )
    if p.passages:
        pid = res.inserted_primary_key[0]
        conn.execute(
            reuse_passages.insert(),
            [{"pair_id": pid, "a_start": pa[0], "a_end": pa[1], "b_start": pb[0], "b_end": pb[1]}
             for pa, pb in p.passages],
        )
