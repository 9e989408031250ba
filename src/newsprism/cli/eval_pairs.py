"""``newsprism eval pairs --task T --data PATH``: score a pair judge on a public benchmark's test split.

Tasks: msrp (accuracy, F1), sts (Spearman), sick and nli (3-way accuracy, contradiction F1), rte
(accuracy), summedits (balanced accuracy of "is every summary fact backed by the document").
PATH is a data file, the dataset folder, or the data root holding the dataset folders.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from newsprism.cli.common import EXIT_INPUT_FAILED, JsonOption, echo_json, fail, stdout

app = typer.Typer(help="Evaluate components on public benchmarks.", no_args_is_help=True)


@app.callback()
def _group() -> None:
    """Evaluate components on public benchmarks."""


TaskOption = Annotated[str, typer.Option("--task", "-t", help="msrp, sts, sick, nli, rte or summedits.")]
DataOption = Annotated[Path, typer.Option("--data", "-d", help="Data file, dataset folder or data root.")]
JudgeOption = Annotated[str, typer.Option("--judge", help="offline (default), nli or chat.")]
SplitOption = Annotated[str, typer.Option("--split", help="Split to score (test; dev/train for checks).")]
LimitOption = Annotated[int | None, typer.Option("--limit", help="Score only the first N examples.")]
CacheOption = Annotated[
    Path | None,
    typer.Option(
        "--cache", help="Offline judge: a .npz file keeping token vectors between runs (e.g. in /tmp)."
    ),
]
JudgeOptOption = Annotated[
    list[str] | None,
    typer.Option(
        "--judge-option",
        "-o",
        metavar="KEY=VALUE",
        help="Judge option, e.g. -o model=cross-encoder/nli-deberta-v3-base or -o base_url=...; repeatable.",
    ),
]


def _judge_options(values: list[str] | None) -> dict[str, Any]:
    opts: dict[str, Any] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise fail(f"--judge-option expects KEY=VALUE, got {item!r}")
        opts[key.strip().replace("-", "_")] = _option_value(value)
    return opts


def _option_value(text: str) -> Any:
    """``true``/``false``/numbers become those types (``quantize=true``, ``batch_size=32``); else text."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if isinstance(value, bool | int | float) else text


def _print_table(result: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(title=f"{result['task']} ({result['split']}, n={result['n']}, judge={result['judge']})")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, value in result.items():
        if isinstance(value, float):
            table.add_row(key, f"{value:.4f}")
        elif isinstance(value, dict):
            for sub, v in value.items():
                table.add_row(f"{key}.{sub}", f"{v:.4f}")
    stdout().print(table)


@app.command("pairs")
def pairs(
    task: TaskOption,
    data: DataOption,
    judge: JudgeOption = "offline",
    split: SplitOption = "test",
    limit: LimitOption = None,
    cache: CacheOption = None,
    judge_option: JudgeOptOption = None,
    json_out: JsonOption = False,
) -> None:
    """Score a pair judge on a benchmark split (test by default) and print its metrics."""
    from newsprism.evaluation.pairs import DatasetError, evaluate, load_task
    from newsprism.verdicts.judges import get_judge

    try:
        examples = load_task(task, data, split)
    except DatasetError as exc:
        raise fail(str(exc), EXIT_INPUT_FAILED) from exc
    examples = examples[:limit] if limit else examples
    try:
        the_judge = get_judge(judge, **_judge_options(judge_option))
    except ValueError as exc:
        raise fail(str(exc)) from exc
    encoder = _cached_encoder(the_judge, cache)
    t0 = time.perf_counter()
    result = evaluate(task, examples, the_judge)
    result |= {"split": split, "data": str(data), "seconds": round(time.perf_counter() - t0, 1)}
    if encoder is not None and cache is not None:
        from newsprism.verdicts.judges.encoder import save_cache

        save_cache(encoder, cache)
    if json_out:
        echo_json(result)
    else:
        _print_table(result)


def _cached_encoder(judge: Any, cache: Path | None) -> Any:
    """With ``--cache``, give the offline judge an encoder whose vectors persist in that file."""
    if cache is None or not hasattr(judge, "encoder"):
        return None
    from newsprism.verdicts.judges.encoder import load_cache

    encoder = judge.encoder
    encoder.cache_size = max(encoder.cache_size, 10_000_000)
    load_cache(encoder, cache)
    return encoder


if __name__ == "__main__":
    app()
