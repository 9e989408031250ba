"""The news reuse bench's generator (benchmarks/make_reuse_bench_news.py): gold the text can decide."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "make_reuse_bench_news.py"


def _generator():
    spec = importlib.util.spec_from_file_location("make_reuse_bench_news", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the class body runs.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# Seeds 2 and 5 drew a Kursk wire report as a source: its twin holds nearly every sentence of it.
@pytest.mark.parametrize("seed", [2, 5])
def test_every_lifted_passage_has_one_source(shared_dir, seed):
    """A partial's lifted passage (the units the derived article adds to its host) shares no 8-word
    run with any original but its gold source: were it in two originals, the gold would name one of
    them by chance."""
    gen = _generator()
    docs, gold = gen.build(shared_dir, seed)
    by_id = {d.id: d for d in docs}
    originals = [d for d in docs if not d.id.startswith("n-")]
    host = {g["a"]: g["b"] for g in gold if g.get("type") == "partial-host"}
    partials = [g for g in gold if g.get("type") == "partial"]
    assert len(partials) == gen.COUNTS["partial"]
    for g in partials:
        kept = set(by_id[host[g["a"]]].units)
        lifted = " ".join(u for u in by_id[g["a"]].units if u not in kept)
        assert len(lifted.split()) >= gen.MIN_LIFT_WORDS
        grams = gen._grams(lifted)
        assert grams <= gen._grams(by_id[g["b"]].text), g
        others = [d.id for d in originals if d.id != g["b"] and grams & gen._grams(d.text)]
        assert not others, (g, others)
