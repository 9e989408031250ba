"""Pair-judge benchmarks: loaders for the public sentence-pair datasets and their metrics.

Each loader returns ``PairExample`` rows whatever the source format (MSRP/STS-B/SICK TSV, SNLI
JSONL, RTE-3 XML, SummEdits JSON). ``resolve_split`` maps a file, a dataset folder or the data root
to the file of the wanted split so the CLI and the training script agree on what "test" means.
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

TASKS = ("msrp", "sts", "sick", "nli", "rte", "summedits")
NLI_LABELS = ("entails", "neutral", "contradicts")
_NLI_NAMES = {
    "entailment": "entails",
    "entails": "entails",
    "neutral": "neutral",
    "contradiction": "contradicts",
    "contradicts": "contradicts",
}

# split -> file name inside the dataset folder; the folder name is the key used under the data root.
_FILES: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = {
    "msrp": (
        "msrp",
        {"train": ("msr-para-train.tsv",), "dev": ("msr-para-val.tsv",), "test": ("msr-para-test.tsv",)},
    ),
    "sts": (
        "sts-benchmark",
        {"train": ("sts-train.csv",), "dev": ("sts-dev.csv",), "test": ("sts-test.csv",)},
    ),
    "sick": (
        "sick",
        {"train": ("SICK_train.txt",), "dev": ("SICK_trial.txt",), "test": ("SICK_test_annotated.txt",)},
    ),
    "nli": ("snli", {"dev": ("snli_dev.jsonl",), "test": ("snli_test.jsonl",)}),
    "rte": ("rte3", {"dev": ("RTE3_pairs_dev-set-final.xml",), "test": ("RTE3-TEST-GOLD.xml",)}),
    "summedits": ("summedits", {"dev": ("summedits_news.json",), "test": ("summedits_news.json",)}),
}


class DatasetError(ValueError):
    """A benchmark file is missing or not in the expected format (the message names the file)."""


@dataclass(frozen=True)
class PairExample:
    """One labelled pair: ``a`` is the premise/first sentence (or document), ``b`` the hypothesis/second."""

    a: str
    b: str
    label: Any


def resolve_split(task: str, path: str | Path, split: str = "test") -> Path:
    """A file is returned as is; a dataset folder or the data root yields the file of ``split``."""
    if task not in _FILES:
        raise DatasetError(f"unknown task {task!r}; expected one of {', '.join(TASKS)}")
    path = Path(path)
    if path.is_file():
        return path
    folder, splits = _FILES[task]
    if split not in splits:
        raise DatasetError(f"task {task!r} has no {split!r} split (has {', '.join(splits)})")
    for base in (path, path / folder, path / "data" / folder):
        for name in splits[split]:
            if (base / name).is_file():
                return base / name
    raise DatasetError(f"no {split} file for task {task!r} under {path} (looked for {splits[split]})")


def _tsv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [row for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE) if row]


def load_msrp(path: Path) -> list[PairExample]:
    rows = _tsv_rows(path)
    out = [PairExample(r[3], r[4], int(r[0])) for r in rows[1:] if len(r) >= 5 and r[0] in ("0", "1")]
    if not out:
        raise DatasetError(f"{path}: no MSRP rows (Quality, #1 ID, #2 ID, #1 String, #2 String)")
    return out


def load_sts(path: Path) -> list[PairExample]:
    out = []
    for r in _tsv_rows(path):
        try:
            out.append(PairExample(r[5], r[6], float(r[4])))
        except (IndexError, ValueError):
            continue
    if not out:
        raise DatasetError(f"{path}: no STS-B rows (genre, file, year, id, score, s1, s2)")
    return out


def load_sick(path: Path, target: str = "entailment") -> list[PairExample]:
    """SICK rows labelled with the 3-way judgement, or relatedness (1-5) with ``target='relatedness'``."""
    out = []
    for r in _tsv_rows(path)[1:]:
        if len(r) < 5:
            continue
        label = float(r[3]) if target == "relatedness" else _NLI_NAMES.get(r[4].strip().lower())
        if label is not None:
            out.append(PairExample(r[1], r[2], label))
    if not out:
        raise DatasetError(f"{path}: no SICK rows (pair_ID, sentence_A, sentence_B, relatedness, judgement)")
    return out


def load_nli(path: Path) -> list[PairExample]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{path}:{n}: not JSON ({exc})") from exc
            label = _NLI_NAMES.get(str(row.get("label", "")).lower())
            if label is not None and row.get("premise") and row.get("hypothesis"):
                out.append(PairExample(row["premise"].strip(), row["hypothesis"].strip(), label))
    if not out:
        raise DatasetError(f"{path}: no NLI rows (premise, hypothesis, label)")
    return out


def load_rte(path: Path) -> list[PairExample]:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise DatasetError(f"{path}: not RTE XML ({exc})") from exc
    out = []
    for pair in root.iter("pair"):
        t, h = pair.findtext("t"), pair.findtext("h")
        flag = (pair.get("entailment") or pair.get("value") or "").upper()
        if t and h and flag in ("YES", "NO", "TRUE", "FALSE"):
            out.append(PairExample(t.strip(), h.strip(), int(flag in ("YES", "TRUE"))))
    if not out:
        raise DatasetError(f"{path}: no RTE pairs (<pair entailment=YES|NO><t/><h/></pair>)")
    return out


def load_summedits(path: Path, split: str | None = "test") -> list[PairExample]:
    """(document, summary, 1 consistent / 0 inconsistent) rows of one SummEdits ``split`` (None: all)."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DatasetError(f"{path}: not SummEdits JSON ({exc})") from exc
    split_name = {"dev": "evaluation"}.get(split or "", split)
    out = [
        PairExample(r["doc"], r["summary"], int(r["label"]))
        for r in rows
        if split_name is None or r.get("split") == split_name
    ]
    if not out:
        raise DatasetError(f"{path}: no SummEdits rows for split {split!r}")
    return out


def load_task(task: str, path: str | Path, split: str = "test") -> list[PairExample]:
    """Load ``split`` of ``task`` from a file, a dataset folder or the data root."""
    file = resolve_split(task, path, split)
    loaders: dict[str, Callable[[Path], list[PairExample]]] = {
        "msrp": load_msrp,
        "sts": load_sts,
        "sick": load_sick,
        "nli": load_nli,
        "rte": load_rte,
        "summedits": lambda p: load_summedits(p, split),
    }
    return loaders[task](file)


# ---------------------------------------------------------------- metrics


def accuracy(gold: Sequence[Any], pred: Sequence[Any]) -> float:
    if not gold:
        return 0.0
    return float(np.mean([g == p for g, p in zip(gold, pred, strict=True)]))


def f1(gold: Sequence[Any], pred: Sequence[Any], positive: Any = 1) -> float:
    tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == positive and p == positive)
    fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != positive and p == positive)
    fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == positive and p != positive)
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def balanced_accuracy(gold: Sequence[int], pred: Sequence[int]) -> float:
    recalls = []
    for cls in sorted(set(gold)):
        idx = [i for i, g in enumerate(gold) if g == cls]
        recalls.append(np.mean([pred[i] == cls for i in idx]))
    return float(np.mean(recalls)) if recalls else 0.0


def spearman(gold: Sequence[float], pred: Sequence[float]) -> float:
    from scipy.stats import spearmanr

    rho = spearmanr(gold, pred).statistic
    return float(rho) if np.isfinite(rho) else 0.0


def pearson(gold: Sequence[float], pred: Sequence[float]) -> float:
    if len(gold) < 2:
        return 0.0
    return float(np.corrcoef(np.asarray(gold, float), np.asarray(pred, float))[0, 1])


def best_threshold(scores: Sequence[float], gold: Sequence[int], metric: Callable = accuracy) -> float:
    """The cut (predict 1 when score >= cut) maximising ``metric`` on a train/dev split."""
    s = np.asarray(scores, dtype=float)
    cands = np.unique(s)
    if len(cands) > 400:
        cands = np.quantile(s, np.linspace(0, 1, 401))
    best, best_val = 0.5, -1.0
    for c in cands:
        val = metric(list(gold), [int(x >= c) for x in s])
        if val > best_val:
            best, best_val = float(c), val
    return best


# ---------------------------------------------------------------- evaluation


def _same_fact(judge: Any, pairs: list[tuple[str, str]]) -> list[int]:
    if hasattr(judge, "same_fact"):
        cut = judge.same_fact_cut
        return [int(p >= cut) for p in judge.same_fact(pairs)]
    # A generic judge: the same fact when each sentence entails the other.
    fwd = judge.judge(pairs)
    rev = judge.judge([(b, a) for a, b in pairs])
    return [int(f.label == "entails" and r.label == "entails") for f, r in zip(fwd, rev, strict=True)]


def _entails(judge: Any, pairs: list[tuple[str, str]]) -> list[int]:
    if hasattr(judge, "entailment"):
        cut = judge.entails_cut
        return [int(p >= cut) for p in judge.entailment(pairs)]
    return [int(j.label == "entails") for j in judge.judge(pairs)]


def evaluate(task: str, examples: list[PairExample], judge: Any) -> dict[str, Any]:
    """Score ``judge`` on labelled ``examples`` of ``task`` with that task's metrics."""
    pairs = [(e.a, e.b) for e in examples]
    gold = [e.label for e in examples]
    out: dict[str, Any] = {
        "task": task,
        "n": len(examples),
        "judge": getattr(judge, "name", type(judge).__name__),
    }
    if task == "msrp":
        pred = _same_fact(judge, pairs)
        out |= {"accuracy": accuracy(gold, pred), "f1": f1(gold, pred)}
    elif task == "sts":
        sim = judge.similarity(pairs)
        out |= {"spearman": spearman(gold, sim), "pearson": pearson(gold, sim)}
    elif task in ("sick", "nli"):
        pred = [j.label for j in judge.judge(pairs)]
        out |= {
            "accuracy": accuracy(gold, pred),
            "contradiction_f1": f1(gold, pred, "contradicts"),
            "f1_per_label": {lab: f1(gold, pred, lab) for lab in NLI_LABELS},
        }
    elif task == "rte":
        out |= {"accuracy": accuracy(gold, _entails(judge, pairs))}
    elif task == "summedits":
        from newsprism.verdicts.judges.consistency import check_consistency

        pred = [int(check_consistency(judge, e.a, e.b).consistent) for e in examples]
        out |= {"balanced_accuracy": balanced_accuracy(gold, pred), "accuracy": accuracy(gold, pred)}
    else:
        raise DatasetError(f"unknown task {task!r}; expected one of {', '.join(TASKS)}")
    return out
