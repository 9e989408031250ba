"""Language detection on the shipped multilingual sample: accuracy and speed.

    .venv/bin/python benchmarks/languages.py
    .venv/bin/python benchmarks/languages.py --lingua   # also lingua-language-detector, if installed

Reads ``benchmarks/data/languages/sample.jsonl`` (72 texts, 12 languages, written for the project),
classifies each with ``newsprism.language.detect`` (py3langid) and prints JSON: accuracy overall, on
headline-length texts (< 80 characters) and on paragraphs, the confusions, the lowest confidence of
a correct answer, the model's load time and the median/mean time per text over ``--repeat`` passes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

SAMPLE = Path(__file__).parent / "data" / "languages" / "sample.jsonl"


def load(path: Path) -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["lang"], r["text"]) for r in rows]


def measure(name: str, load_model: Callable[[], Callable[[str], tuple[str, float]]],
            rows: list[tuple[str, str]], repeat: int) -> dict[str, object]:
    t0 = time.perf_counter()
    classify = load_model()
    classify("warm-up text")
    load_s = time.perf_counter() - t0
    got = [classify(text) for _, text in rows]
    per_text: list[float] = []
    for _ in range(repeat):
        for _, text in rows:
            t = time.perf_counter()
            classify(text)
            per_text.append(time.perf_counter() - t)
    right = [g[0] == lang for (lang, _), g in zip(rows, got, strict=True)]
    short = [ok for ok, (_, text) in zip(right, rows, strict=True) if len(text) < 80]
    long = [ok for ok, (_, text) in zip(right, rows, strict=True) if len(text) >= 80]
    return {
        "detector": name,
        "texts": len(rows),
        "languages": len({lang for lang, _ in rows}),
        "accuracy": round(sum(right) / len(rows), 4),
        "accuracy_headlines": round(sum(short) / max(1, len(short)), 4),
        "accuracy_paragraphs": round(sum(long) / max(1, len(long)), 4),
        "errors": [f"{lang}->{g[0]} ({g[1]:.2f}): {text[:40]}"
                   for (lang, text), g, ok in zip(rows, got, right, strict=True) if not ok],
        "min_confidence_correct": round(min((g[1] for g, ok in zip(got, right, strict=True) if ok),
                                            default=0.0), 4),
        "load_s": round(load_s, 3),
        "median_ms_per_text": round(statistics.median(per_text) * 1000, 4),
        "mean_ms_per_text": round(statistics.fmean(per_text) * 1000, 4),
    }


def newsprism_detector() -> Callable[[str], tuple[str, float]]:
    from newsprism.language import detect

    def classify(text: str) -> tuple[str, float]:
        found = detect(text)
        return found.language, found.confidence

    return classify


def lingua_detector() -> Callable[[str], tuple[str, float]]:
    from lingua import LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()

    def classify(text: str) -> tuple[str, float]:
        values = detector.compute_language_confidence_values(text)
        best = values[0]
        return best.language.iso_code_639_1.name.lower(), best.value

    return classify


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sample", type=Path, default=SAMPLE)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--lingua", action="store_true", help="also measure lingua-language-detector")
    args = ap.parse_args()
    rows = load(args.sample)
    results = [measure("py3langid (newsprism.language.detect)", newsprism_detector, rows, args.repeat)]
    if args.lingua:
        results.append(measure("lingua-language-detector (all languages, preloaded)",
                               lingua_detector, rows, max(1, args.repeat // 4)))
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
