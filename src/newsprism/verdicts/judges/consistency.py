"""Is every fact of a short text (a summary, a rewrite) backed by a long document?

The summary is split into sentences (its facts); for each fact the document sentences closest by
embedding are the candidate support, judged as premises with the fact as hypothesis. The summary is
only as consistent as its weakest fact (min over facts). With the offline judge a small logistic
aggregator, fitted on SummEdits' ``evaluation`` split, combines the per-fact judge outputs with
document-wide cues (numbers, names and content words of the fact found nowhere in the document).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from newsprism.sentences import split_sentences
from newsprism.verdicts.judges.base import LABELS, Judge
from newsprism.verdicts.judges.features import FEATURE_NAMES, text_info
from newsprism.verdicts.judges.pairmodel import logistic

AGG_FEATURES = (
    "min_support",
    "min_best_pe",
    "max_top_pc",
    "max_num_doc_only",
    "max_prop_doc_only",
    "max_content_doc_only",
    "max_content_doc_frac",
    "min_ctok_b_min",
    "max_ctok_b_n_lt60",
    "max_neg_mismatch",
    "max_antonym",
)
_F = {n: i for i, n in enumerate(FEATURE_NAMES)}


@dataclass
class ConsistencyOptions:
    top_k: int = 3  # document sentences judged per fact
    window: bool = True  # also judge the two best sentences joined, for facts that span them


@dataclass
class FactCheck:
    """One fact (``span``: offsets into the summary) and its best support (``support``: document offsets)."""

    fact: str
    span: tuple[int, int]
    support: list[tuple[int, int]]
    label: str
    score: float
    features: dict[str, Any] = field(default_factory=dict)


@dataclass
class ConsistencyResult:
    consistent: bool
    score: float
    facts: list[FactCheck]
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _spans(text: str) -> list[tuple[int, int]]:
    spans = [(s.start, s.end) for s in split_sentences(text) if text[s.start : s.end].strip()]
    return spans or ([(0, len(text))] if text.strip() else [])


def candidates(
    document: str, summary: str, embed: Callable[[list[str]], np.ndarray], options: ConsistencyOptions
) -> list[tuple[tuple[int, int], list[list[tuple[int, int]]]]]:
    """For each fact span of ``summary``: the candidate premises, each a list of document spans."""
    doc_spans, fact_spans = _spans(document), _spans(summary)
    if not doc_spans or not fact_spans:
        return []
    dv = embed([document[a:b] for a, b in doc_spans])
    fv = embed([summary[a:b] for a, b in fact_spans])
    sims = fv @ dv.T
    out = []
    for i, fspan in enumerate(fact_spans):
        top = [int(j) for j in np.argsort(-sims[i])[: options.top_k]]
        cands = [[doc_spans[j]] for j in top]
        if options.window and len(top) >= 2:
            cands.append([doc_spans[j] for j in sorted(top[:2])])
        out.append((fspan, cands))
    return out


def _premise(document: str, spans: list[tuple[int, int]]) -> str:
    return " ".join(document[a:b] for a, b in spans)


def _fact_features(fact: str, doc_info: Any, nli: np.ndarray, scalars: np.ndarray) -> dict[str, float]:
    fi = text_info(fact)
    missing = fi.content - doc_info.content
    top = scalars[0]
    return {
        "support": float((nli[:, 0] - nli[:, 2]).max()),
        "best_pe": float(nli[:, 0].max()),
        "top_pc": float(nli[0, 2]),
        "num_doc_only": float(len(fi.numbers - doc_info.numbers)),
        "prop_doc_only": float(sum(1 for p in fi.proper if p not in set(doc_info.words))),
        "content_doc_only": float(len(missing)),
        "content_doc_frac": len(missing) / max(len(fi.content), 1),
        "ctok_b_min": float(scalars[:, _F["ctok_b_min"]].max()),
        "ctok_b_n_lt60": float(scalars[:, _F["ctok_b_n_lt60"]].min()),
        "neg_mismatch": float(top[_F["neg_mismatch"]]),
        "antonym": float(top[_F["antonym"]]),
    }


def aggregate(facts: list[dict[str, float]]) -> np.ndarray:
    """Summary-level vector in ``AGG_FEATURES`` order: worst fact on each cue."""

    def worst(key: str, fn: Callable) -> float:
        return float(fn([f[key] for f in facts]))

    return np.array(
        [
            worst("support", min),
            worst("best_pe", min),
            worst("top_pc", max),
            worst("num_doc_only", max),
            worst("prop_doc_only", max),
            worst("content_doc_only", max),
            worst("content_doc_frac", max),
            worst("ctok_b_min", min),
            worst("ctok_b_n_lt60", max),
            worst("neg_mismatch", max),
            worst("antonym", max),
        ],
        dtype=np.float32,
    )


def _evidence(nli: np.ndarray) -> int:
    """The candidate to show for a fact: the one that entails it, else the one that contradicts it
    (a changed figure is best shown beside the figure it changed), else the closest by embedding."""
    for col in (0, 2):
        if nli[:, col].max() >= 0.5:
            return int(np.argmax(nli[:, col]))
    return 0


def offline_fact_checks(
    judge: Any, document: str, summary: str, options: ConsistencyOptions
) -> list[FactCheck]:
    """Per-fact checks with the offline judge's probabilities and the aggregator's cue values."""

    def embed(texts: list[str]) -> np.ndarray:
        return np.stack([np.asarray(e.sentence, np.float32) for e in judge.encoder.encode_tokens(texts)])

    plan = candidates(document, summary, embed, options)
    pairs = [(_premise(document, c), summary[a:b]) for (a, b), cands in plan for c in cands]
    res = judge.analyse(pairs)
    doc_info = text_info(document)
    checks, row = [], 0
    for (a, b), cands in plan:
        n = len(cands)
        nli, scal = res.nli[row : row + n], res.scalars[row : row + n]
        row += n
        best = _evidence(nli)
        feats = _fact_features(summary[a:b], doc_info, nli, scal)
        checks.append(
            FactCheck(
                summary[a:b],
                (a, b),
                cands[best],
                LABELS[int(np.argmax(nli[best]))],
                float(nli[best].max()),
                feats,
            )
        )
    return checks


def check_consistency(
    judge: Judge,
    document: str,
    summary: str,
    options: ConsistencyOptions | None = None,
    embed: Callable[[list[str]], np.ndarray] | None = None,
) -> ConsistencyResult:
    """Judge whether ``document`` backs every fact of ``summary``."""
    options = options or ConsistencyOptions()
    if not document.strip() or not summary.strip():
        return ConsistencyResult(False, 0.0, [], "empty document or summary")
    agg = (
        getattr(getattr(judge, "model", None), "meta", {}).get("consistency")
        if hasattr(judge, "analyse")
        else None
    )
    if agg:
        checks = offline_fact_checks(judge, document, summary, options)
        p = float(logistic(agg, aggregate([c.features for c in checks])))
        weakest = min(checks, key=lambda c: c.features["support"])
        return ConsistencyResult(p >= agg.get("cut", 0.5), p, checks, f"weakest fact: {weakest.fact!r}")
    return _generic_consistency(judge, document, summary, options, embed)


def _generic_consistency(
    judge: Judge,
    document: str,
    summary: str,
    options: ConsistencyOptions,
    embed: Callable[[list[str]], np.ndarray] | None,
) -> ConsistencyResult:
    if embed is None:
        from newsprism.engines.embedder import get_embedder

        embed = get_embedder().encode
    plan = candidates(document, summary, embed, options)
    pairs = [(_premise(document, c), summary[a:b]) for (a, b), cands in plan for c in cands]
    verdicts = judge.judge(pairs)
    checks, row = [], 0
    for (a, b), cands in plan:
        js = verdicts[row : row + len(cands)]
        row += len(cands)
        scores = [j.score if j.label == "entails" else 0.0 for j in js]
        best = int(np.argmax(scores))
        checks.append(FactCheck(summary[a:b], (a, b), cands[best], js[best].label, js[best].score))
    ok = all(c.label == "entails" for c in checks)
    score = min((c.score if c.label == "entails" else 0.0) for c in checks) if checks else 0.0
    return ConsistencyResult(
        ok and bool(checks), score, checks, "every fact entailed" if ok else "a fact lacks support"
    )
