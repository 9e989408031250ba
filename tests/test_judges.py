"""Pair judges: features, the offline judge's plumbing (tiny fake encoder/model), registry, consistency."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from newsprism.verdicts.judges import LABELS, Judge, Judgement, get_judge
from newsprism.verdicts.judges.consistency import (
    AGG_FEATURES,
    ConsistencyOptions,
    candidates,
    check_consistency,
)
from newsprism.verdicts.judges.encoder import Encoded, SentenceTransformerTokenEncoder, load_cache, save_cache
from newsprism.verdicts.judges.features import FEATURE_NAMES, pair_scalars, text_info
from newsprism.verdicts.judges.offline import ENTAIL_CUES, OfflineJudge
from newsprism.verdicts.judges.pairmodel import PairModel

DIM = 8


def _vec(word: str) -> np.ndarray:
    seed = int.from_bytes(hashlib.blake2b(word.lower().encode(), digest_size=4).digest(), "little")
    v = np.random.default_rng(seed).normal(size=DIM).astype(np.float32)
    return v / np.linalg.norm(v)


class FakeEncoder:
    """Word vectors from a hash: the same word always gets the same vector, different words differ."""

    def __init__(self) -> None:
        self.calls = 0

    def encode_tokens(self, texts: list[str]) -> list[Encoded]:
        self.calls += 1
        out = []
        for t in texts:
            words = t.split() or ["<empty>"]
            vecs = np.stack([_vec(w) for w in words])
            sent = vecs.mean(0)
            out.append(Encoded(sent / (np.linalg.norm(sent) or 1.0), words, vecs))
        return out


def tiny_model(consistency: bool = False) -> PairModel:
    rng = np.random.default_rng(0)
    d = 4 * DIM + len(FEATURE_NAMES)
    w = {
        "mean": np.zeros(d, np.float32),
        "std": np.ones(d, np.float32),
        "W1": rng.normal(size=(d, 16)).astype(np.float32) * 0.3,
        "b1": np.zeros(16, np.float32),
        "para_W": rng.normal(size=(16, 1)).astype(np.float32),
        "para_b": np.zeros(1, np.float32),
        "sim_W": rng.normal(size=(16, 1)).astype(np.float32),
        "sim_b": np.zeros(1, np.float32),
        "nli_W": rng.normal(size=(16, 3)).astype(np.float32),
        "nli_b": np.zeros(3, np.float32),
    }
    meta: dict = {"thresholds": {"same_fact": 0.5, "entails": 0.4}}
    if consistency:
        k = len(AGG_FEATURES)
        meta["consistency"] = {
            "coef": [1.0] + [0.0] * (k - 1),
            "mean": [0.0] * k,
            "std": [1.0] * k,
            "intercept": 0.0,
            "cut": 0.5,
        }
    return PairModel(w, meta)


@pytest.fixture
def judge() -> OfflineJudge:
    return OfflineJudge(encoder=FakeEncoder(), model=tiny_model())


# ---------------------------------------------------------------- features


def test_text_info_slots():
    info = text_info("Russia said North Korea did not send 10,000 troops to Kursk in April.")
    assert info.numbers == {10000.0}
    assert {"korea", "kursk", "april"} <= info.proper
    assert "russia" not in info.proper  # sentence-initial capital is not evidence of a name
    assert info.negations == 1


def test_pair_scalars_flag_number_negation_and_antonym():
    enc = FakeEncoder()
    a, b = "Prices rose by 5 percent in Kyiv", "Prices did not fall by 7 percent in Odesa"
    ea, eb = enc.encode_tokens([a, b])
    f = dict(zip(FEATURE_NAMES, pair_scalars(a, b, ea, eb), strict=True))
    assert f["num_conflict"] == 1.0 and f["num_b_only"] > 0
    assert f["neg_mismatch"] == 1.0
    assert f["prop_b_only"] > 0
    same = dict(zip(FEATURE_NAMES, pair_scalars(a, a, ea, ea), strict=True))
    assert same["exact"] == 1.0 and same["num_b_only"] == 0 and same["neg_mismatch"] == 0
    assert same["cos"] == pytest.approx(1.0, abs=1e-5) and same["tok_b_min"] == pytest.approx(1.0, abs=1e-5)
    antonym = dict(
        zip(
            FEATURE_NAMES,
            pair_scalars("shares rise", "shares fall", *enc.encode_tokens(["shares rise", "shares fall"])),
            strict=True,
        )
    )
    assert antonym["antonym"] == 1.0


# ---------------------------------------------------------------- offline judge plumbing


def test_offline_judge_contract(judge: OfflineJudge):
    assert isinstance(judge, Judge)
    pairs = [
        ("A man plays a flute.", "A man plays music."),
        ("", "anything"),
        ("Troops left.", "Troops stayed."),
    ]
    out = judge.judge(pairs)
    assert len(out) == 3 and all(isinstance(j, Judgement) and j.label in LABELS for j in out)
    assert out[1].score == 0.0 and "empty" in out[1].reason
    probs = [out[0].features[f"p_{lab}"] for lab in LABELS]
    assert sum(probs) == pytest.approx(1.0, abs=1e-3) and out[0].score == pytest.approx(max(probs), abs=1e-3)
    assert "cos" in out[0].features and out[0].reason.startswith(out[0].label)


def test_similarity_and_same_fact_are_symmetric_and_bounded(judge: OfflineJudge):
    a, b = "Seven people died in the flood.", "The flood killed 7 people in the town."
    s_ab, s_ba = judge.similarity([(a, b)])[0], judge.similarity([(b, a)])[0]
    assert 0.0 <= s_ab <= 1.0 and s_ab == pytest.approx(s_ba, abs=1e-5)
    p_ab, p_ba = judge.same_fact([(a, b), (b, a)])
    assert p_ab == pytest.approx(p_ba, abs=1e-5)
    assert judge.similarity([]) == [] and judge.judge([]) == []


def test_judge_encodes_each_batch_once(judge: OfflineJudge):
    judge.judge([("x y", "y z"), ("x y", "z w")])
    assert judge.encoder.calls == 1


def test_reason_names_compared_numbers(judge: OfflineJudge):
    j = judge.judge([("North Korea sent 10,000 troops.", "North Korea sent 14,000 troops.")])[0]
    assert "14000" in j.reason and j.features["numbers_premise"] == [10000.0]


def test_pair_model_round_trip(tmp_path):
    model = tiny_model()
    model.save(tmp_path / "m")
    loaded = PairModel.load(tmp_path / "m.npz")
    x = np.random.default_rng(1).normal(size=(3, 4 * DIM + len(FEATURE_NAMES))).astype(np.float32)
    a, b = model.heads(x), loaded.heads(x)
    assert np.allclose(a["nli"], b["nli"], atol=2e-2) and loaded.cut("same_fact") == 0.5
    with pytest.raises(FileNotFoundError, match="train_judge"):
        PairModel.load(tmp_path / "missing.npz")


def test_shipped_params_match_feature_layout():
    model = PairModel.load("offline_v1")
    assert model.weights["W1"].shape[0] == 4 * 384 + len(FEATURE_NAMES)
    assert list(model.meta["feature_names"]) == list(FEATURE_NAMES)
    assert 0.0 < model.cut("same_fact") < 1.0 and 0.0 < model.cut("entails") < 1.0
    assert len(model.meta["consistency"]["coef"]) == len(AGG_FEATURES)


def test_shipped_cross_params_adapt_every_layer():
    model = PairModel.load("cross_v1")
    spec = model.meta["cross"]
    a_keys = [k for k in model.weights if k.startswith("lora.") and k.endswith(".A")]
    assert model.meta["kind"] == "cross" and len(a_keys) == spec["lora_modules"] == 6 * 6
    for key in a_keys:
        a, b = model.weights[key], model.weights[key[:-2] + ".B"]
        assert a.shape[0] == b.shape[1] == spec["rank"] and a.shape[1] in (384, 1536)
    assert model.weights["W1"].shape == (384, 384) and model.weights["nli_W"].shape == (384, 3)
    assert 0.0 <= model.meta["sim_blend"] <= 1.0 and 0.0 < model.cut("same_fact") < 1.0
    entail = model.meta["entailment"]
    assert entail["cues"] == list(ENTAIL_CUES)
    assert len(entail["coef"]) == len(entail["mean"]) == len(entail["std"]) == len(ENTAIL_CUES)


def test_entailment_is_p_entails_without_a_fitted_decision(judge):
    pairs = [
        ("The mayor opened the bridge.", "The bridge was opened."),
        ("", "x"),
        ("A cat sat.", "Dogs ran."),
    ]
    scores = judge.entailment(pairs)
    labelled = judge.judge(pairs)
    assert scores[1] == 0.0
    for i in (0, 2):
        assert scores[i] == pytest.approx(labelled[i].features["p_entails"], abs=1e-4)


def test_entailment_decision_uses_the_fitted_logistic(judge):
    k = len(ENTAIL_CUES)
    cover = ENTAIL_CUES.index("cover_b")
    judge.model.meta["entailment"] = {
        "cues": list(ENTAIL_CUES),
        "coef": [4.0 if i == cover else 0.0 for i in range(k)],
        "mean": [0.5] * k,
        "std": [1.0] * k,
        "intercept": 0.0,
    }
    covered, uncovered = judge.entailment(
        [
            ("The mayor opened the new bridge on Friday.", "The mayor opened the bridge."),
            ("The mayor opened the new bridge on Friday.", "Rebels shelled a distant airport."),
        ]
    )
    assert covered > 0.5 > uncovered
    judge.model.meta["entailment"]["cues"] = ["p_entails"]
    with pytest.raises(ValueError, match="entailment cues"):
        judge.entailment([("a b", "a")])


def test_fold_lora_adds_the_scaled_low_rank_product():
    torch = pytest.importorskip("torch")
    from newsprism.verdicts.judges.cross import fold_lora

    net = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Linear(3, 2))
    before = [m.weight.detach().clone() for m in net]
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2, 4)).astype(np.float32), rng.normal(size=(3, 2)).astype(np.float32)
    assert fold_lora(net, {"lora.0.A": a, "lora.0.B": b, "unrelated": a}, scaling=0.5) == 1
    assert torch.allclose(net[0].weight, before[0] + torch.from_numpy(b @ a) * 0.5, atol=1e-6)
    assert torch.equal(net[1].weight, before[1])


def test_token_cache_round_trip(tmp_path):
    enc = SentenceTransformerTokenEncoder(model=None)
    enc._cache[b"k" * 16] = FakeEncoder().encode_tokens(["alpha beta"])[0]
    save_cache(enc, tmp_path / "c.npz")
    other = SentenceTransformerTokenEncoder(model=None)
    assert load_cache(other, tmp_path / "c.npz") == 1
    got = other._cache[b"k" * 16]
    assert got.tokens == ["alpha", "beta"] and got.token_vecs.shape == (2, DIM)


# ---------------------------------------------------------------- registry


def test_registry():
    assert get_judge().name == "offline" and get_judge("NLI", model="some/model").name == "nli"
    assert get_judge("chat", base_url="http://127.0.0.1:1/v1").options.base_url.endswith("/v1")
    with pytest.raises(ValueError, match="unknown judge"):
        get_judge("oracle")
    with pytest.raises(ValueError, match="no option"):
        get_judge("offline", colour="red")


# ---------------------------------------------------------------- consistency


DOC = (
    "Russia said on Saturday it had retaken Kursk. Ukraine denied the claim. "
    "North Korea sent about 12,000 troops to the region, officials said. The fighting went on."
)


def test_candidates_pick_closest_sentences():
    enc = FakeEncoder()

    def embed(texts):
        return np.stack([e.sentence for e in enc.encode_tokens(texts)])

    plan = candidates(DOC, "Ukraine denied the claim.", embed, ConsistencyOptions(top_k=2))
    ((span, cands),) = plan
    assert span == (0, len("Ukraine denied the claim."))
    assert DOC[cands[0][0][0] : cands[0][0][1]] == "Ukraine denied the claim."
    assert len(cands) == 3  # two sentences plus their joined window


def test_offline_consistency_returns_evidence():
    judge = OfflineJudge(encoder=FakeEncoder(), model=tiny_model(consistency=True))
    res = check_consistency(judge, DOC, "Ukraine denied the claim. North Korea sent 14,000 troops.")
    assert len(res.facts) == 2 and 0.0 <= res.score <= 1.0
    second = res.facts[1]
    assert second.features["num_doc_only"] == 1.0  # 14,000 appears nowhere in the document
    assert all(0 <= a < b <= len(DOC) for a, b in second.support)
    assert check_consistency(judge, "", "x").consistent is False


class WordSubsetJudge:
    """Entails when every hypothesis word occurs in the premise (a rule judge for the generic path)."""

    name = "subset"

    def judge(self, pairs):
        out = []
        for a, b in pairs:
            ok = set(b.lower().split()) <= set(a.lower().split())
            out.append(Judgement("entails" if ok else "neutral", 1.0 if ok else 0.5))
        return out

    def similarity(self, pairs):
        return [0.0 for _ in pairs]


def test_generic_consistency_needs_every_fact_entailed():
    enc = FakeEncoder()

    def embed(texts):
        return np.stack([e.sentence for e in enc.encode_tokens(texts)])

    good = check_consistency(WordSubsetJudge(), DOC, "Ukraine denied the claim.", embed=embed)
    bad = check_consistency(
        WordSubsetJudge(), DOC, "Ukraine denied the claim. Belarus sent troops.", embed=embed
    )
    assert good.consistent and not bad.consistent
    assert bad.facts[1].label == "neutral"


# ---------------------------------------------------------------- the shipped judge on MiniLM


@pytest.fixture(scope="module")
def real_judge(embedder):
    from newsprism.verdicts.judges.encoder import SentenceTransformerTokenEncoder

    return OfflineJudge(encoder=SentenceTransformerTokenEncoder.from_embedder(embedder))


@pytest.mark.models
def test_offline_judge_on_minilm(real_judge):
    pairs = [
        ("A man is playing a guitar.", "A man is playing a guitar."),
        ("A man is playing a guitar.", "A man is not playing a guitar."),
        ("North Korea sent 12,000 troops to Russia.", "North Korea sent 14,000 troops to Russia."),
        ("The woman is slicing an onion.", "A woman is cutting an onion."),
        ("The woman is slicing an onion.", "Stocks fell sharply in Tokyo."),
    ]
    labels = [j.label for j in real_judge.judge(pairs)]
    assert labels[0] == "entails" and labels[1] == "contradicts" and labels[2] != "entails"
    sim = real_judge.similarity(pairs)
    assert sim[0] > 0.9 and sim[3] > sim[4] + 0.5
    same = real_judge.same_fact(pairs)
    assert same[3] >= real_judge.same_fact_cut > same[4]


@pytest.mark.models
def test_consistency_on_minilm_flags_changed_number(real_judge):
    doc = (
        "Russia said on Saturday it had retaken the Kursk region. Ukraine denied the claim. "
        "North Korea sent about 12,000 troops to the region, officials said."
    )
    res = check_consistency(real_judge, doc, "North Korea sent about 14,000 troops to the region.")
    assert not res.consistent
    fact = res.facts[0]
    assert fact.features["num_doc_only"] == 1.0
    assert "12,000" in doc[fact.support[0][0] : fact.support[0][1]]


class _FakeTokenizer:
    vocab = {101: "[CLS]", 102: "[SEP]", 5: "troops", 6: "left", 7: "kursk"}

    def __call__(self, texts, truncation=True, max_length=256):
        ids = {"troops": 5, "left": 6, "kursk": 7}
        return {"input_ids": [[101, *[ids[w] for w in t.split()], 102][:max_length] for t in texts]}

    def convert_ids_to_tokens(self, ids):
        return [self.vocab[i] for i in ids]


class _OldSentenceTransformer:
    """Mimics a sentence-transformers release whose ``encode(output_value=None)`` is broken."""

    max_seq_length = 256
    tokenizer = _FakeTokenizer()

    def encode(self, texts, output_value="sentence_embedding", convert_to_tensor=False, **kw):
        import torch

        if output_value is None:
            raise IndexError("string index out of range")
        toks = [torch.tensor(np.stack([_vec(str(i)) for i in range(len(t.split()) + 2)])) for t in texts]
        if output_value == "token_embeddings":
            return toks
        return torch.stack([t.mean(0) for t in toks])


def test_token_encoder_falls_back_to_two_passes():
    out = SentenceTransformerTokenEncoder(model=_OldSentenceTransformer()).encode_tokens(
        ["troops left kursk"]
    )[0]
    assert out.tokens == ["troops", "left", "kursk"]  # [CLS]/[SEP] dropped
    assert out.token_vecs.shape == (3, DIM) and np.linalg.norm(out.sentence) == pytest.approx(1.0, abs=1e-5)
