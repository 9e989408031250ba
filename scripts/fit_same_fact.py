"""Fit the same-fact pair model (src/newsprism/align/same_fact.json) on the verdict gold's dev split.

    .venv/bin/python scripts/fit_same_fact.py --gold benchmarks/data/verdict-gold \
        --data ../shared/data/ecbplus/ecbplus_docs.jsonl [--out src/newsprism/align/same_fact.json]

Every cross-article pair of claims in a dev story whose embeddings have cosine >= 0.3 (what the
aligner ever scores) is an example; it is positive when the gold sentences the two claims overlap
share a fact. The regularisation strength is chosen by 5-fold cross-validation grouped by story, so
no story is both fitted and scored; the test split is never read.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from itertools import combinations
from pathlib import Path

import numpy as np

from newsprism.align.pairs import PAIR_FEATURES, SameFactModel, StoryPairs
from newsprism.align.score import features
from newsprism.backends import Backends
from newsprism.claims.stage import ClaimsStage
from newsprism.evaluation.verdict_corpus import read_ecbplus, story_articles
from newsprism.evaluation.verdict_gold import load_gold
from newsprism.evaluation.verdict_score import MentionMap
from newsprism.pipeline import Batch

MIN_COSINE = 0.3
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src" / "newsprism" / "align" / "same_fact.json"


def examples(gold: Path, data: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    stories = load_gold(gold, "dev")
    docs = read_ecbplus(data)
    per = {s.story: story_articles(s, docs) for s in stories}
    arts = [ga.article for s in stories for ga in per[s.story].values()]
    backends = Backends()
    claims = ClaimsStage(nlp=backends.nlp).run(Batch.of(arts)).layer("claims")
    texts = {a.id: a.text for a in arts}
    embedder = backends.embedder
    X, y, groups = [], [], []
    for s in stories:
        mm, facts_of = MentionMap(per[s.story]), s.facts_of()
        cs = [
            c
            for ga in per[s.story].values()
            for c in claims.claims.get(ga.article.id, [])
            if not c.response_to
        ]
        contents = [texts[c.article_id][c.content_span.start : c.content_span.end] for c in cs]
        if len(cs) < 2:
            continue
        sp = StoryPairs.build(
            embedder.encode(contents), [features(c, t) for c, t in zip(cs, contents, strict=True)]
        )
        facts = [
            set().union(*(facts_of.get(m, set()) for m in mm.over(c.article_id, c.span.start, c.span.end)))
            for c in cs
        ]
        for i, j in combinations(range(len(cs)), 2):
            if cs[i].article_id == cs[j].article_id or float(sp.emb[i] @ sp.emb[j]) < MIN_COSINE:
                continue
            X.append(sp.features(i, j))
            y.append(bool(facts[i] & facts[j]))
            groups.append(s.story)
    return np.array(X, np.float64), np.array(y), np.array(groups)


def fit(X: np.ndarray, y: np.ndarray, groups: np.ndarray) -> tuple[SameFactModel, dict]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import GroupKFold

    best = None
    for c in (0.01, 0.1, 1.0):
        p = np.zeros(len(y))
        for tr, te in GroupKFold(5).split(X, y, groups):
            p[te] = LogisticRegression(C=c, max_iter=5000).fit(X[tr], y[tr]).predict_proba(X[te])[:, 1]
        auc = roc_auc_score(y, p)
        if best is None or auc > best[1]:
            best = (c, auc, p)
    c, auc, p = best
    model = LogisticRegression(C=c, max_iter=5000).fit(X, y)
    precision = {
        f"{t:.1f}": round(float(y[p >= t].mean()), 4) for t in (0.5, 0.6, 0.7, 0.8) if (p >= t).any()
    }
    meta = {
        "fitted": date.today().isoformat(),
        "data": "verdict gold dev split (docs/verdict-gold.md), claim pairs with cosine >= 0.3",
        "examples": int(len(y)),
        "positives": int(y.sum()),
        "C": c,
        "cv_auc": round(float(auc), 4),
        "cv_precision_at": precision,
    }
    return SameFactModel(tuple(float(w) for w in model.coef_[0]), float(model.intercept_[0]), meta), meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, required=True)
    ap.add_argument("--data", type=Path, required=True, help="ECB+ ecbplus_docs.jsonl")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    X, y, groups = examples(args.gold, args.data)
    model, meta = fit(X, y, groups)
    args.out.write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
    print(json.dumps({"features": PAIR_FEATURES, **meta}, indent=1), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
