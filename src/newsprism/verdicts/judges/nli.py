"""An optional cross-encoder NLI judge (e.g. ``cross-encoder/nli-deberta-v3-base``) for users with a network.

The model is named by the user and loaded through sentence-transformers' ``CrossEncoder`` (which
downloads it the first time). Label order differs between NLI models, so it is read from the
model's ``id2label`` config rather than assumed. Nothing here runs unless the user asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from newsprism.verdicts.judges.base import LABELS, Judgement, unjudged

_LABEL_NAMES = {
    "entailment": "entails",
    "entails": "entails",
    "neutral": "neutral",
    "contradiction": "contradicts",
    "contradicts": "contradicts",
    "non-entailment": "neutral",
    "not_entailment": "neutral",
}


@dataclass
class NLIJudgeOptions:
    model: str = "cross-encoder/nli-deberta-v3-base"
    batch_size: int = 32
    device: str | None = None


def _softmax(x: np.ndarray) -> np.ndarray:
    z = x - x.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def label_order(model: Any) -> list[str]:
    """Our label for each output column, from the model's ``config.id2label``."""
    config = getattr(model, "config", None) or getattr(getattr(model, "model", None), "config", None)
    id2label = getattr(config, "id2label", None) or {}
    names = [_LABEL_NAMES.get(str(id2label[k]).lower()) for k in sorted(id2label, key=int)]
    if not names or any(n is None for n in names):
        raise ValueError(f"cannot map NLI model labels {id2label!r} to {LABELS}")
    return names  # type: ignore[return-value]


class NLIJudge:
    """Cross-encoder NLI; ``model`` may be injected (any object with ``predict`` and ``config.id2label``)."""

    name = "nli"

    def __init__(self, options: NLIJudgeOptions | None = None, model: Any = None) -> None:
        self.options = options or NLIJudgeOptions()
        self._model = model
        self._order: list[str] | None = None

    @property
    def model(self) -> Any:
        if self._model is None:
            try:
                from sentence_transformers import CrossEncoder

                from newsprism.engines.quiet import quiet_model_libraries

                quiet_model_libraries()
                self._model = CrossEncoder(self.options.model, device=self.options.device)
            except Exception as exc:  # noqa: BLE001 - report any loader failure with the model name
                raise RuntimeError(f"could not load NLI cross-encoder {self.options.model!r}: {exc}") from exc
        return self._model

    def probabilities(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Rows of P(entails, neutral, contradicts) in our label order."""
        if self._order is None:
            self._order = label_order(self.model)
        logits = np.asarray(
            self.model.predict(pairs, batch_size=self.options.batch_size, show_progress_bar=False),
            dtype=np.float64,
        )
        logits = logits.reshape(len(pairs), -1)
        probs = _softmax(logits)
        out = np.zeros((len(pairs), 3))
        for col, lab in enumerate(self._order):
            out[:, LABELS.index(lab)] += probs[:, col]
        return out

    def judge(self, pairs: list[tuple[str, str]]) -> list[Judgement]:
        valid = [i for i, (a, b) in enumerate(pairs) if a.strip() and b.strip()]
        out = [unjudged("empty premise or hypothesis")] * len(pairs)
        if not valid:
            return out
        probs = self.probabilities([pairs[i] for i in valid])
        for row, i in enumerate(valid):
            k = int(np.argmax(probs[row]))
            feats = {f"p_{lab}": round(float(p), 4) for lab, p in zip(LABELS, probs[row], strict=True)}
            out[i] = Judgement(LABELS[k], float(probs[row, k]), f"{self.options.model}: {LABELS[k]}", feats)
        return out

    def similarity(self, pairs: list[tuple[str, str]]) -> list[float]:
        """Mutual entailment as a graded similarity: mean of P(entails) in both directions."""
        if not pairs:
            return []
        fwd = self.probabilities(pairs)[:, 0]
        rev = self.probabilities([(b, a) for a, b in pairs])[:, 0]
        return [float(x) for x in (fwd + rev) / 2]
