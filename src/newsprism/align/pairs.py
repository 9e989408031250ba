"""Does a pair of claims of one story state the same fact? A small fitted model over cheap features.

Inside a story every claim shares the story's vocabulary ("Lohan", "rehab", "Betty Ford"), so plain
similarity says little: what separates "checked into Betty Ford on Friday" from "left Morningside on
Thursday" is the rarer words. Two features read the pair against its story: word overlap weighted by
how rare each word is among the story's claims, and the cosine of the two embeddings after the
story's mean vector is taken away (what is left is what this claim says that the others do not).

The logistic weights are fitted by ``scripts/fit_same_fact.py`` on the dev split of the verdict gold
(``docs/verdict-gold.md``) and shipped as ``same_fact.json``; the test split is never read.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import numpy as np

from newsprism.align.score import ClaimFeatures, jaccard

PAIR_FEATURES = ("cos", "ccos", "wjac", "cont", "entj", "num", "minlen")


@dataclass
class StoryPairs:
    """Per-story state the pair features need, computed once for all the story's claims."""

    emb: np.ndarray  # L2-normalised claim embeddings
    centred: np.ndarray  # the same, story mean removed, re-normalised
    feats: list[ClaimFeatures]
    idf: dict[str, float]

    @classmethod
    def build(cls, emb: np.ndarray, feats: list[ClaimFeatures]) -> StoryPairs:
        centred = emb - emb.mean(axis=0, keepdims=True) if len(emb) > 1 else emb.copy()
        centred = centred / (np.linalg.norm(centred, axis=1, keepdims=True) + 1e-9)
        df = Counter(t for f in feats for t in f.tokens)
        n = len(feats)
        idf = {t: math.log((1 + n) / (1 + k)) + 1.0 for t, k in df.items()}
        return cls(emb, centred.astype(np.float32), feats, idf)

    def features(self, i: int, j: int) -> list[float]:
        a, b = self.feats[i], self.feats[j]
        shared = a.tokens & b.tokens
        union = sum(self.idf[t] for t in a.tokens | b.tokens)
        return [
            float(self.emb[i] @ self.emb[j]),
            float(self.centred[i] @ self.centred[j]),
            sum(self.idf[t] for t in shared) / union if union else 0.0,
            len(shared) / min(len(a.tokens), len(b.tokens)) if a.tokens and b.tokens else 0.0,
            jaccard(a.entities, b.entities),
            float(bool(a.numbers & b.numbers)),
            math.log1p(min(len(a.tokens), len(b.tokens))),
        ]


@dataclass(frozen=True)
class SameFactModel:
    """P(same fact) = logistic(weights . features + bias); ``meta`` records how it was fitted."""

    weights: tuple[float, ...]
    bias: float
    meta: dict[str, Any]

    def prob(self, x: list[float] | np.ndarray) -> float:
        z = float(np.dot(self.weights, x)) + self.bias
        return 1.0 / (1.0 + math.exp(-z)) if z > -50 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(PAIR_FEATURES),
            "weights": list(self.weights),
            "bias": self.bias,
            **self.meta,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SameFactModel:
        if tuple(d.get("features", ())) != PAIR_FEATURES:
            raise ValueError(f"same-fact model features {d.get('features')} do not match {PAIR_FEATURES}")
        meta = {k: v for k, v in d.items() if k not in ("features", "weights", "bias")}
        return cls(tuple(float(w) for w in d["weights"]), float(d["bias"]), meta)


@cache
def shipped_model() -> SameFactModel:
    raw = files("newsprism.align").joinpath("same_fact.json").read_text(encoding="utf-8")
    return SameFactModel.from_dict(json.loads(raw))
