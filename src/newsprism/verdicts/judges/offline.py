"""The default offline pair judge: MiniLM sentence and word-piece vectors, typed slots and lexical
overlap fed to a small multi-head model fitted by ``scripts/train_judge.py`` on train/dev splits.

Heads: ``nli`` (entails / neutral / contradicts, directional), ``para`` (same fact, symmetric) and
``sim`` (graded similarity, symmetric). Symmetric heads average both orders of the pair.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from newsprism.verdicts.judges.base import LABELS, Judgement, unjudged
from newsprism.verdicts.judges.cross import CrossEncoderHeads, CrossOptions
from newsprism.verdicts.judges.encoder import Encoded, TokenEncoder, default_token_encoder
from newsprism.verdicts.judges.features import (
    FEATURE_NAMES,
    TextInfo,
    dense_features,
    pair_scalars,
    text_info,
)
from newsprism.verdicts.judges.pairmodel import PairModel, logistic


@dataclass
class OfflineJudgeOptions:
    params: str | None = None  # a name under params/ or a path to an .npz; None -> the shipped default
    batch_size: int = 512
    # The sentence-transformers model the parameters were fitted with (None: the offline MiniLM). Another
    # name only makes sense with parameters trained on it, or a copy of MiniLM at another path.
    embedder: str | None = None
    # Cross-encoder parameters only (``"kind": "cross"`` in the .json): the base transformer folder
    # (None: the offline MiniLM), int8 quantisation on CPU, and the torch device (None: cuda if present).
    base: str | None = None
    quantize: bool = False
    device: str | None = None


@dataclass
class PairAnalysis:
    """Head outputs and scalar features for a batch of pairs (rows in input order)."""

    nli: np.ndarray
    para: np.ndarray
    sim: np.ndarray
    scalars: np.ndarray
    infos: list[tuple[TextInfo, TextInfo]]


def _fmt(values: frozenset[float]) -> str:
    return ", ".join(f"{v:g}" for v in sorted(values))


def explain(label: str, ia: TextInfo, ib: TextInfo, feats: dict[str, float]) -> str:
    """Name the cues behind a label, with the values compared."""
    cues = []
    if ib.numbers - ia.numbers:
        cues.append(f"numbers {_fmt(ib.numbers - ia.numbers)} not in premise ({_fmt(ia.numbers) or 'none'})")
    names = sorted(p for p in ib.proper if p not in set(ia.words))
    if names:
        cues.append(f"names not in premise: {', '.join(names[:5])}")
    if feats.get("neg_mismatch"):
        cues.append(f"negation differs ({ia.negations} vs {ib.negations})")
    if feats.get("antonym"):
        cues.append("opposite word used")
    cues.append(f"embedding cosine {feats['cos']:.2f}, word coverage {feats['cover_b']:.2f}")
    return f"{label}: " + "; ".join(cues)


# Cues of the yes/no entailment decision: the model's P(entails), P(contradicts), then scalar features.
ENTAIL_CUES = (
    "p_entails",
    "p_contradicts",
    "cover_b",
    "ctok_b_min",
    "ctok_b_mean",
    "tok_b_min",
    "num_b_only",
    "prop_b_only",
    "neg_mismatch",
    "antonym",
    "jacc1",
    "log_len_a",
)


def entail_cues(res: PairAnalysis) -> np.ndarray:
    """One row of ``ENTAIL_CUES`` per analysed pair."""
    cols = [res.nli[:, 0], res.nli[:, 2]]
    cols += [res.scalars[:, FEATURE_NAMES.index(n)] for n in ENTAIL_CUES[2:]]
    return np.column_stack(cols).astype(np.float32)


_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


def figures(text: str) -> frozenset[float]:
    """Numbers written in digits ("14,000", "2.5"); spelled-out counts are left to the model."""
    out = set()
    for m in _FIGURE.findall(text):
        try:
            out.add(float(m.replace(",", "")))
        except ValueError:  # "1.2.3": a version or a date, not a figure
            continue
    return frozenset(out)


def number_veto(nli: np.ndarray, pairs: list[tuple[str, str]]) -> np.ndarray:
    """A hypothesis with a figure its premise lacks is not entailed: the cross-encoder, fitted on
    sentence pairs that seldom differ in a figure, reads "12,000 troops" and "14,000 troops" as the
    same. Where the premise has another figure instead, P(entails) moves to contradicts; where it has
    none, to neutral (the figure is new, not opposed). Spelled-out counts are not vetoed: "a man and
    a woman" does entail "two people"."""
    out = np.array(nli, dtype=np.float32, copy=True)
    for row, (a, b) in enumerate(pairs):
        fa, fb = figures(a), figures(b)
        if fb - fa:
            target = 2 if fa - fb else 1
            out[row, target] += out[row, 0]
            out[row, 0] = 0.0
    return out


class OfflineJudge:
    """The default judge; ``encoder`` and ``model`` may be injected (tests, other embedders)."""

    name = "offline"

    def __init__(
        self,
        options: OfflineJudgeOptions | None = None,
        encoder: TokenEncoder | None = None,
        model: PairModel | None = None,
    ) -> None:
        self.options = options or OfflineJudgeOptions()
        self._encoder = encoder
        self._model = model
        self._cross: CrossEncoderHeads | None = None

    @property
    def encoder(self) -> TokenEncoder:
        if self._encoder is None:
            embedder = None
            if self.options.embedder:
                from newsprism.engines.embedder import get_embedder

                embedder = get_embedder(self.options.embedder)
            self._encoder = default_token_encoder(embedder)
        return self._encoder

    @property
    def model(self) -> PairModel:
        if self._model is None:
            self._model = PairModel.load(self.options.params)
        return self._model

    @property
    def cross(self) -> CrossEncoderHeads | None:
        """The cross-encoder behind the heads, when the parameters are of that kind (built once)."""
        if self.model.meta.get("kind") != "cross":
            return None
        if self._cross is None:
            opts = self.options
            spec = self.model.meta.get("cross", {})
            self._cross = CrossEncoderHeads(
                self.model.weights,
                self.model.meta,
                CrossOptions(
                    base=opts.base,
                    quantize=opts.quantize,
                    device=opts.device,
                    max_length=int(spec.get("max_length", 128)) * 2,
                ),
            )
        return self._cross

    def _encode(self, texts: list[str]) -> dict[str, Encoded]:
        unique = list(dict.fromkeys(texts))
        return dict(zip(unique, self.encoder.encode_tokens(unique), strict=True))

    def features(self, pairs: list[tuple[str, str]], enc: dict[str, Encoded] | None = None) -> PairAnalysis:
        """Scalar features of ``pairs`` (both texts encoded in one batch) and the heads run on them."""
        enc = enc if enc is not None else self._encode([t for p in pairs for t in p])
        info_of: dict[str, TextInfo] = {t: text_info(t) for t in dict.fromkeys(t for p in pairs for t in p)}
        infos = [(info_of[a], info_of[b]) for a, b in pairs]
        scal = np.stack(
            [pair_scalars(a, b, enc[a], enc[b], i) for (a, b), i in zip(pairs, infos, strict=True)]
        )
        if self.cross is not None:
            heads = self.cross.heads(pairs)
            heads["nli"] = number_veto(heads["nli"], pairs)
        else:
            u = np.stack([np.asarray(enc[a].sentence, np.float32) for a, _ in pairs])
            v = np.stack([np.asarray(enc[b].sentence, np.float32) for _, b in pairs])
            heads = self.model.heads(np.concatenate([dense_features(u, v), scal], axis=1))
        return PairAnalysis(heads["nli"], heads["para"], heads["sim"], scal, infos)

    def analyse(self, pairs: list[tuple[str, str]], symmetric: bool = False) -> PairAnalysis:
        """Run the model in batches; with ``symmetric`` the para/sim heads average both pair orders."""
        parts = []
        step = self.options.batch_size
        for i in range(0, len(pairs), step):
            chunk = pairs[i : i + step]
            enc = self._encode([t for p in chunk for t in p])
            fwd = self.features(chunk, enc)
            if symmetric:
                rev = self.features([(b, a) for a, b in chunk], enc)
                fwd.para, fwd.sim = (fwd.para + rev.para) / 2, (fwd.sim + rev.sim) / 2
            parts.append(fwd)
        if not parts:
            empty = np.zeros((0,), np.float32)
            return PairAnalysis(
                np.zeros((0, 3), np.float32), empty, empty, np.zeros((0, len(FEATURE_NAMES)), np.float32), []
            )
        return PairAnalysis(
            *(np.concatenate([getattr(p, f) for p in parts]) for f in ("nli", "para", "sim", "scalars")),
            [i for p in parts for i in p.infos],
        )

    @staticmethod
    def _valid(pairs: list[tuple[str, str]]) -> tuple[list[int], list[tuple[str, str]]]:
        idx = [i for i, (a, b) in enumerate(pairs) if a and b and a.strip() and b.strip()]
        return idx, [pairs[i] for i in idx]

    def judge(self, pairs: list[tuple[str, str]]) -> list[Judgement]:
        out: list[Judgement] = [unjudged("empty premise or hypothesis")] * len(pairs)
        idx, valid = self._valid(pairs)
        res = self.analyse(valid)
        for row, i in enumerate(idx):
            probs = res.nli[row]
            label = LABELS[int(np.argmax(probs))]
            feats: dict[str, Any] = {
                n: round(float(x), 4) for n, x in zip(FEATURE_NAMES, res.scalars[row], strict=True)
            }
            feats.update({f"p_{lab}": round(float(p), 4) for lab, p in zip(LABELS, probs, strict=True)})
            ia, ib = res.infos[row]
            feats["numbers_premise"], feats["numbers_hypothesis"] = sorted(ia.numbers), sorted(ib.numbers)
            out[i] = Judgement(label, float(probs.max()), explain(label, ia, ib, feats), feats)
        return out

    def _symmetric_head(self, pairs: list[tuple[str, str]], head: str) -> list[float]:
        out = [0.0] * len(pairs)
        idx, valid = self._valid(pairs)
        res = self.analyse(valid, symmetric=True)
        values = self.blended_sim(res) if head == "sim" else getattr(res, head)
        for row, i in enumerate(idx):
            out[i] = float(values[row])
        return out

    def blended_sim(self, res: PairAnalysis) -> np.ndarray:
        """The sim head mixed with the bi-encoder cosine by the weight chosen on STS-B dev: the two
        read a pair differently (jointly vs apart), so their errors are partly independent."""
        w = float(self.model.meta.get("sim_blend", 1.0))
        if w >= 1.0 or not len(res.sim):
            return res.sim
        cos = np.clip(res.scalars[:, FEATURE_NAMES.index("cos")], 0.0, 1.0)
        return w * res.sim + (1.0 - w) * cos

    def similarity(self, pairs: list[tuple[str, str]]) -> list[float]:
        """Graded similarity in [0, 1] (STS-like: 1 = same meaning)."""
        return self._symmetric_head(pairs, "sim")

    def same_fact(self, pairs: list[tuple[str, str]]) -> list[float]:
        """Score that the two sentences report the same fact; compare with ``same_fact_cut``. The head
        (paraphrase, similarity or their mean) is the one that did best on MSRP dev when trained."""
        source = self.model.meta.get("same_fact_head", "para")
        if source == "mean":
            return [
                (p + s) / 2
                for p, s in zip(
                    self._symmetric_head(pairs, "para"), self._symmetric_head(pairs, "sim"), strict=True
                )
            ]
        return self._symmetric_head(pairs, "sim" if source == "sim" else "para")

    @property
    def same_fact_cut(self) -> float:
        return self.model.cut("same_fact")

    def entailment(self, pairs: list[tuple[str, str]]) -> list[float]:
        """Score that the premise (a sentence or a paragraph) entails the hypothesis, for a yes/no
        decision against ``entails_cut``. The cross-encoder was fitted on single sentences and reads
        most paragraph premises as neutral, so where the parameters hold an ``entailment`` model (a
        logistic over ``ENTAIL_CUES``, fitted on RTE-3 dev) that model decides; else P(entails)."""
        out = [0.0] * len(pairs)
        idx, valid = self._valid(pairs)
        if not valid:
            return out
        res = self.analyse(valid)
        spec = self.model.meta.get("entailment")
        if spec and list(spec.get("cues", ())) != list(ENTAIL_CUES):
            raise ValueError(f"judge parameters' entailment cues {spec.get('cues')} are not {ENTAIL_CUES}")
        values = logistic(spec, entail_cues(res)) if spec else res.nli[:, 0]
        for row, i in enumerate(idx):
            out[i] = float(values[row])
        return out

    @property
    def entails_cut(self) -> float:
        """Cut on ``entailment`` scores (chosen on RTE-3 dev)."""
        return self.model.cut("entails")
