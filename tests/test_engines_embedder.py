"""Embedder options: name suffixes, thread handling, parallel batch streams and int8 quantisation."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from newsprism.engines.embedder import (
    EmbedderOptions,
    SentenceTransformerEmbedder,
    get_embedder,
    quantize_int8,
    torch_threads,
)

TEXTS = [
    "North Korea sent between 10,000 and 12,000 troops to Russia last year.",
    "Pyongyang deployed 10,000-12,000 soldiers to fight for Moscow.",
    "The city council approved a new budget for school repairs on Tuesday.",
    "Sixty-six drones were destroyed overnight, the ministry said.",
    "Air defences intercepted 66 drones during the night.",
    "Shares rose.",
]


def test_int8_suffix_selects_quantisation_and_unknown_modes_fail():
    hashing = get_embedder("hashing+int8")
    assert hashing.name == "hashing" and hashing.options.quantize == "int8"
    with pytest.raises(ValueError, match="int4"):
        get_embedder("hashing", EmbedderOptions(quantize="int4"))


def test_torch_threads_restores_the_previous_count():
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    with torch_threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before
    with torch_threads(None):
        assert torch.get_num_threads() == before


def _with(model, **opts) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(name="t", options=EmbedderOptions(batch_size=2, **opts), model=model)


@pytest.mark.models
def test_parallel_batches_match_the_sequential_path(embedder):
    # Batches of 2 over 6 texts give 3 batches, so two streams really run side by side.
    seq = _with(embedder.model, workers=1).encode(TEXTS)
    par = _with(embedder.model, workers=2).encode(TEXTS)
    assert par.shape == seq.shape == (len(TEXTS), embedder.dim)
    assert np.allclose(par, seq, atol=1e-5)
    assert np.allclose(np.linalg.norm(par, axis=1), 1.0, atol=1e-5)


@pytest.mark.models
def test_int8_stays_close_to_full_precision(embedder):
    full = _with(embedder.model, workers=1).encode(TEXTS)
    q = _with(quantize_int8(copy.deepcopy(embedder.model)), workers=1).encode(TEXTS)
    assert q.dtype == np.float32 and q.shape == full.shape
    assert float((q * full).sum(axis=1).min()) > 0.9
    # What alignment reads from it survives: paraphrases stay nearer than unrelated sentences.
    sims = q @ q.T
    assert sims[0, 1] > sims[0, 2] and sims[3, 4] > sims[3, 2]
