"""Sentence and token vectors for the pair judge from one transformer pass.

The offline judge needs both the pooled sentence vector and the contextual word-piece vectors
(alignment features: which words of one sentence have no counterpart in the other). A
sentence-transformers model returns both from one forward pass with ``output_value=None``; this
wraps that with an instance-level cache keyed by text hash, like the shared embedder's.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

_SPECIAL = frozenset({"[CLS]", "[SEP]", "[PAD]", "<s>", "</s>", "<pad>"})


@dataclass
class Encoded:
    """One text: its L2-normalised sentence vector and its word pieces with L2-normalised vectors."""

    sentence: np.ndarray
    tokens: list[str]
    token_vecs: np.ndarray


class TokenEncoder(Protocol):
    def encode_tokens(self, texts: list[str]) -> list[Encoded]: ...


def _unit(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return rows / norms


@dataclass
class SentenceTransformerTokenEncoder:
    """Token-level access to a sentence-transformers model (default: the offline MiniLM)."""

    model: Any
    batch_size: int = 64
    cache_size: int = 50_000
    _cache: OrderedDict[bytes, Encoded] = field(default_factory=OrderedDict, repr=False)

    @classmethod
    def from_embedder(cls, embedder: Any) -> SentenceTransformerTokenEncoder:
        """Reuse the model inside ``newsprism.engines.embedder``'s sentence-transformers embedder."""
        model = getattr(embedder, "model", None)
        if model is None or not hasattr(model, "tokenizer"):
            raise TypeError(f"embedder {getattr(embedder, 'name', embedder)!r} has no token-level model")
        return cls(model=model)

    def _outputs(self, texts: list[str]) -> list[dict[str, Any]]:
        """Per text: input ids, attention mask, token and sentence vectors, from one pass when the
        installed sentence-transformers supports ``output_value=None`` (some 6.0 releases fail on it)."""
        try:
            return self.model.encode(
                texts, batch_size=self.batch_size, output_value=None, show_progress_bar=False
            )
        except (IndexError, KeyError, TypeError):
            pass
        kw = {"batch_size": self.batch_size, "show_progress_bar": False}
        tokens = self.model.encode(texts, output_value="token_embeddings", **kw)
        sents = self.model.encode(texts, output_value="sentence_embedding", convert_to_tensor=True, **kw)
        ids = self.model.tokenizer(texts, truncation=True, max_length=self.model.max_seq_length)["input_ids"]
        return [
            {"input_ids": np.asarray(i[: len(t)]), "token_embeddings": t, "sentence_embedding": s}
            for i, t, s in zip(ids, tokens, sents, strict=True)
        ]

    def _run(self, texts: list[str]) -> list[Encoded]:
        encoded = []
        for out in self._outputs(texts):
            ids = out["input_ids"].tolist()
            mask = out["attention_mask"].tolist() if "attention_mask" in out else [1] * len(ids)
            pieces = self.model.tokenizer.convert_ids_to_tokens(ids)
            keep = [i for i, (p, m) in enumerate(zip(pieces, mask, strict=False)) if m and p not in _SPECIAL]
            vecs = out["token_embeddings"].float().cpu().numpy()
            sent = out["sentence_embedding"].float().cpu().numpy()
            encoded.append(Encoded(_unit(sent), [pieces[i] for i in keep], _unit(vecs[keep])))
        return encoded

    def encode_tokens(self, texts: list[str]) -> list[Encoded]:
        keys = [hashlib.blake2b(t.encode("utf-8"), digest_size=16).digest() for t in texts]
        missing: dict[bytes, str] = {}
        for k, t in zip(keys, texts, strict=True):
            if k not in self._cache:
                missing.setdefault(k, t)
        if missing:
            for k, enc in zip(missing, self._run(list(missing.values())), strict=True):
                self._cache[k] = enc
        out = [self._cache[k] for k in keys]
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return out


def save_cache(encoder: SentenceTransformerTokenEncoder, path: Path) -> None:
    """Write the encoder's cache as one .npz (float16 vectors; no pickles), atomically."""
    items = list(encoder._cache.items())
    dim = items[0][1].token_vecs.shape[1] if items else 0
    lengths = np.array([len(e.tokens) for _, e in items], dtype=np.int64)
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez(
        tmp,
        keys=np.frombuffer(b"".join(k for k, _ in items), dtype=np.uint8).reshape(-1, 16),
        sentences=np.stack([e.sentence for _, e in items]).astype(np.float16)
        if items
        else np.zeros((0, dim)),
        tokens=np.array(json.dumps([e.tokens for _, e in items])),
        lengths=lengths,
        vecs=np.concatenate([e.token_vecs for _, e in items]).astype(np.float16)
        if items
        else np.zeros((0, dim)),
    )
    tmp.replace(path)


def load_cache(encoder: SentenceTransformerTokenEncoder, path: Path) -> int:
    """Fill the encoder's cache from ``save_cache``'s file; returns the number of texts loaded."""
    if not path.is_file():
        return 0
    with np.load(path, allow_pickle=False) as data:
        keys, sents, vecs, lengths = data["keys"], data["sentences"], data["vecs"], data["lengths"]
        tokens = json.loads(str(data["tokens"]))
    ends = np.cumsum(lengths)
    for i, key in enumerate(keys):
        encoder._cache[bytes(key)] = Encoded(sents[i], tokens[i], vecs[ends[i] - lengths[i] : ends[i]])
    return len(keys)


def default_token_encoder(embedder: Any = None) -> SentenceTransformerTokenEncoder:
    """The shared embedder's model when given, else the shared default (offline MiniLM)."""
    if embedder is None:
        from newsprism.engines.embedder import get_embedder

        embedder = get_embedder()
    return SentenceTransformerTokenEncoder.from_embedder(embedder)
