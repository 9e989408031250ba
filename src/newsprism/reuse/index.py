"""``ReuseIndex``: incremental reuse detection over a ``Store``.

Band keys of every indexed article persist in ``reuse_signatures``; opening the index loads them
into the in-memory band index once, and ``add`` fingerprints only the new articles, queries the
existing ones, verifies the candidates (fetching their texts from the store) and writes the new
pairs with their passages, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sqlalchemy import or_, select

from newsprism.model import Article
from newsprism.reuse.candidates import CandidateFinder, Evidence, verify
from newsprism.reuse.engine import exact_evidence, prune
from newsprism.reuse.graph import build_groups
from newsprism.reuse.options import ReuseOptions
from newsprism.reuse.relations import Context, classify
from newsprism.reuse.result import ReusePair, ReuseResult
from newsprism.reuse.tables import reuse_pairs, reuse_passages, reuse_signatures
from newsprism.reuse.tokens import HASH_VERSION
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


class ReuseIndex:
    def __init__(self, store: Store, options: ReuseOptions | None = None):
        self.store = store
        self.options = options or ReuseOptions()
        fields = [f"{f}={getattr(self.options, f)}" for f in _FINGERPRINT_FIELDS]
        self.params = ",".join([*fields, f"hash={HASH_VERSION}"])
        self.finder = CandidateFinder(self.options)
        self.doc_ids: list[str] = []
        self.by_hash: dict[str, str] = {}
        self.stale = 0  # signatures made with other fingerprint options or word hash, now refreshed
        self._pending_keys: list[np.ndarray] = []
        self._pending_lengths: list[int] = []
        self._load()

    def _load(self) -> None:
        keys, docs = [], []
        with self.store.engine.connect() as conn:
            rows = conn.execute(select(reuse_signatures).order_by(reuse_signatures.c.doc)).all()
        fresh = self._refresh([r.article_id for r in rows if r.params != self.params])
        self.stale = len(fresh)
        for row in rows:
            self.by_hash.setdefault(row.content_hash, row.article_id)
            k = fresh.get(row.article_id)
            if k is None:
                k = np.frombuffer(row.index_keys, dtype="<u8").astype(np.uint64)
            keys.append(k)
            docs.append(np.full(k.shape[0], len(self.doc_ids), dtype=np.int64))
            self.doc_ids.append(row.article_id)
        if keys:
            self.finder.load(np.concatenate(keys), np.concatenate(docs), len(self.doc_ids))

    def _refresh(self, stale: list[str], chunk: int = 2000) -> dict[str, np.ndarray]:
        """Re-fingerprint articles whose stored keys were made with other options or an older word
        hash, and write the new keys back: otherwise articles indexed before an upgrade would never
        meet new ones. Article texts come from the store, so nothing is lost."""
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(stale), chunk):
            arts = list(self.store.get_articles(set(stale[i : i + chunk])))
            if not arts:
                continue
            words = self.finder.words(arts)
            keys, lengths = self.finder.keys(words), words.doc_lengths().tolist()
            with self.store.transaction() as conn:
                for d, art in enumerate(arts):
                    k = keys.index_keys[keys.index_docs == d]
                    out[art.id] = k
                    conn.execute(
                        reuse_signatures.update()
                        .where(reuse_signatures.c.article_id == art.id)
                        .values(params=self.params, n_tokens=lengths[d], index_keys=k.astype("<u8").tobytes())
                    )
        return out

    def __len__(self) -> int:
        return len(self.doc_ids)

    def add(self, articles: Sequence[Article]) -> list[ReusePair]:
        """Index new articles (stored first if needed); returns the pairs they form."""
        known = set(self.doc_ids)
        fresh = [a for a in dict((a.id, a) for a in articles).values() if a.id not in known]
        if not fresh:
            return []
        # The stored versions carry what the store inferred (revision links by URL).
        stored = {art.id: art for _, art in self.store.add_articles(fresh).statuses}
        fresh = [stored.get(a.id, a) for a in fresh]
        evidence, reps = self._exact(fresh)
        evidence += self._candidates(reps)
        evidence = prune(evidence + self._neighbourhood(evidence), self.options)
        new_ids = {a.id for a in fresh}
        ctx = Context([ev for ev in evidence if not ev.exact], self.options)
        pairs = [classify(ev, ctx, self.options) for ev in evidence if {ev.a.id, ev.b.id} & new_ids]
        # An exact copy keeps no signature of its own, so a re-run offers it again: its stored pair
        # is the record, and re-deriving it must neither fail nor count as new.
        pairs = self._unstored(pairs)
        self._write(reps, pairs)
        return pairs

    def _unstored(self, pairs: list[ReusePair]) -> list[ReusePair]:
        ids = list({x for p in pairs for x in (p.a, p.b)})
        if not ids:
            return pairs
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                select(reuse_pairs.c.a, reuse_pairs.c.b).where(
                    reuse_pairs.c.a.in_(ids), reuse_pairs.c.b.in_(ids)
                )
            ).all()
        stored = {frozenset(r) for r in rows}
        return [p for p in pairs if frozenset((p.a, p.b)) not in stored]

    def _exact(self, fresh: Sequence[Article]) -> tuple[list[Evidence], list[Article]]:
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
        older = {a.id: a for a in self.store.get_articles({r for r, _ in copies if r not in batch})}
        out = []
        for rep_id, art in copies:
            rep = batch.get(rep_id) or older.get(rep_id)
            if rep is not None:
                out.append(exact_evidence(rep, art, self.finder.hasher.tokens(rep.text)))
        return out, reps

    def _candidates(self, reps: list[Article]) -> list[Evidence]:
        self._pending_keys = []
        if not reps:
            return []
        hasher = self.finder.hasher
        words = self.finder.words(reps)
        self._pending_lengths = words.doc_lengths().tolist()
        keys = self.finder.keys(words)
        tokens = [hasher.tokens(a.text) for a in reps]
        q, h, base = self.finder.add_chunk(keys, len(reps))
        self.doc_ids.extend(a.id for a in reps)
        self._pending_keys = [keys.index_keys[keys.index_docs == d] for d in range(len(reps))]
        old = {a.id: a for a in self.store.get_articles({self.doc_ids[i] for i in q.tolist() if i < base})}
        out = []
        for i, j in zip(q.tolist(), h.tolist(), strict=True):
            a = reps[i - base] if i >= base else old.get(self.doc_ids[i])
            if a is None:
                continue
            ta = tokens[i - base] if i >= base else hasher.tokens(a.text)
            ev = verify(a, ta, reps[j - base], tokens[j - base], self.options)
            if ev is not None:
                out.append(ev)
        return out

    def _neighbourhood(self, evidence: list[Evidence]) -> list[Evidence]:
        """Stored pairs of the articles involved, re-aligned, so merges and hosts are typed in context."""
        ids = {x for ev in evidence for x in (ev.a.id, ev.b.id)}
        if not ids:
            return []
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                select(reuse_pairs.c.a, reuse_pairs.c.b).where(
                    or_(reuse_pairs.c.a.in_(ids), reuse_pairs.c.b.in_(ids))
                )
            ).all()
        have = {frozenset((ev.a.id, ev.b.id)) for ev in evidence}
        todo = [(r.a, r.b) for r in rows if frozenset((r.a, r.b)) not in have]
        arts = {a.id: a for a in self.store.get_articles({x for pair in todo for x in pair})}
        hasher, out = self.finder.hasher, []
        for a_id, b_id in todo:
            a, b = arts.get(a_id), arts.get(b_id)
            if a is not None and b is not None:
                ev = verify(a, hasher.tokens(a.text), b, hasher.tokens(b.text), self.options)
                if ev is not None:
                    out.append(ev)
        return out

    def _write(self, reps: list[Article], pairs: list[ReusePair]) -> None:
        rep_doc = {a.id: len(self.doc_ids) - len(reps) + n for n, a in enumerate(reps)}
        with self.store.transaction() as conn:
            for n, art in enumerate(reps):
                keys = self._pending_keys[n] if n < len(self._pending_keys) else np.zeros(0, np.uint64)
                conn.execute(
                    reuse_signatures.insert().values(
                        article_id=art.id,
                        doc=rep_doc[art.id],
                        content_hash=art.content_hash,
                        params=self.params,
                        n_tokens=self._pending_lengths[n],
                        index_keys=keys.astype("<u8").tobytes(),
                    )
                )
            for p in pairs:
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
                pid = res.inserted_primary_key[0]
                if p.passages:
                    conn.execute(
                        reuse_passages.insert(),
                        [
                            {
                                "pair_id": pid,
                                "a_start": pa[0],
                                "a_end": pa[1],
                                "b_start": pb[0],
                                "b_end": pb[1],
                            }
                            for pa, pb in p.passages
                        ],
                    )

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
