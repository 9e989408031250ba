"""``newsprism eval verdicts --gold DIR``: score conflicts, disputes, fact groups, independent counts
and single-source items against the hand-read verdict gold (docs/verdict-gold.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from newsprism.cli.common import EXIT_INPUT_FAILED, JsonOption, echo_json, fail, stdout

DEFAULT_ECB = Path("../shared/data/ecbplus/ecbplus_docs.jsonl")

GoldOption = Annotated[Path, typer.Option("--gold", "-g", help="A gold story file or a folder of them.")]
DataOption = Annotated[
    Path, typer.Option("--data", "-d", help="ECB+ ecbplus_docs.jsonl (the texts the gold refers to).")
]
SplitOption = Annotated[str, typer.Option("--split", help="dev, test or all.")]
DetailsOption = Annotated[
    Path | None, typer.Option("--details", help="Also write every finding, marked right or wrong, here.")
]
JudgeOption = Annotated[
    str | None, typer.Option("--judge", help="Review conflicts with a pair judge (offline, nli, chat).")
]


def verdicts(
    gold: GoldOption,
    data: DataOption = DEFAULT_ECB,
    split: SplitOption = "dev",
    details: DetailsOption = None,
    judge: JudgeOption = None,
    json_out: JsonOption = False,
) -> None:
    """Precision and recall of the report's findings on hand-read multi-outlet stories."""
    from newsprism.analysis import PipelineOptions
    from newsprism.evaluation.verdict_gold import GoldError
    from newsprism.evaluation.verdicts import METRICS, evaluate

    if split not in ("dev", "test", "all"):
        raise fail(f"--split must be dev, test or all, not {split!r}")
    if not gold.exists():
        raise fail(f"{gold}: no such file or folder")
    try:
        report = evaluate(gold, data if data.is_file() else None, split, PipelineOptions(judge=judge))
    except (GoldError, ValueError) as exc:
        raise fail(str(exc), EXIT_INPUT_FAILED) from exc
    if details:
        details.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    summary = {k: v for k, v in report.items() if k != "per_story"}
    if json_out:
        echo_json(summary)
        return
    out = stdout()
    out.print(
        f"{report['stories']} stories ({report['split']}), {report['articles']} articles, "
        f"{report['seconds']} s"
    )
    for key in METRICS:
        m = report["metrics"][key]
        value = "n/a" if m["value"] is None else f"{m['value']:.3f}"
        out.print(f"  {key:<28} {value:>6}  ({m['right']}/{m['total']})")
