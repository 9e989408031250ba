"""The offline judge's fitted model: a small multi-head MLP evaluated with numpy.

Parameters live in ``params/<name>.npz`` (weights, float16 to stay small) beside
``params/<name>.json`` (feature layout, per-task cuts chosen on dev splits, the SummEdits-style
consistency aggregator and how the file was trained). No pickles: a parameters file is data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

PARAMS_DIR = Path(__file__).resolve().parent / "params"
DEFAULT_PARAMS = "cross_v1"
HEADS = ("para", "sim", "nli")


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


def _softmax(x: np.ndarray) -> np.ndarray:
    z = x - x.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def output_heads(h: np.ndarray, w: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The three task heads on a trunk's output ``h``: ``para`` P(same fact), ``sim`` in [0, 1],
    ``nli`` (entails, neutral, contradicts)."""
    return {
        "para": _sigmoid(h @ w["para_W"] + w["para_b"]).ravel(),
        "sim": _sigmoid(h @ w["sim_W"] + w["sim_b"]).ravel(),
        "nli": _softmax(h @ w["nli_W"] + w["nli_b"]),
    }


def logistic(spec: dict[str, Any], x: np.ndarray) -> np.ndarray:
    """P(1) of a standardised logistic model stored in the parameters' JSON (``mean``, ``std``,
    ``coef``, ``intercept``); ``x`` is one cue vector or a matrix of them."""
    z = (np.asarray(x, np.float32) - np.asarray(spec["mean"], np.float32)) / np.asarray(
        spec["std"], np.float32
    )
    return _sigmoid(z @ np.asarray(spec["coef"], np.float32) + float(spec["intercept"]))


@dataclass
class PairModel:
    """Standardise inputs, a ReLU trunk, then one linear head per task family."""

    weights: dict[str, np.ndarray]
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, name_or_path: str | Path | None = None) -> PairModel:
        path = Path(name_or_path) if name_or_path and Path(name_or_path).suffix else None
        if path is None:
            path = PARAMS_DIR / f"{name_or_path or DEFAULT_PARAMS}.npz"
        meta_path = path.with_suffix(".json")
        if not path.is_file() or not meta_path.is_file():
            raise FileNotFoundError(
                f"judge parameters not found: {path} (+ .json); run scripts/train_judge.py"
            )
        with np.load(path) as data:
            weights = {k: data[k].astype(np.float32) for k in data.files}
        return cls(weights=weights, meta=json.loads(meta_path.read_text(encoding="utf-8")))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path.with_suffix(".npz"), **{k: v.astype(np.float16) for k, v in self.weights.items()}
        )
        path.with_suffix(".json").write_text(
            json.dumps(self.meta, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )

    def hidden(self, x: np.ndarray) -> np.ndarray:
        w = self.weights
        h = (np.asarray(x, dtype=np.float32) - w["mean"]) / w["std"]
        layer = 1
        while f"W{layer}" in w:
            h = np.maximum(h @ w[f"W{layer}"] + w[f"b{layer}"], 0.0)
            layer += 1
        return h

    def heads(self, x: np.ndarray) -> dict[str, np.ndarray]:
        """``para``: P(same fact); ``sim``: similarity in [0, 1]; ``nli``: (entails, neutral, contradicts)."""
        return output_heads(self.hidden(x), self.weights)

    def cut(self, task: str, default: float = 0.5) -> float:
        return float(self.meta.get("thresholds", {}).get(task, default))
