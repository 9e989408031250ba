"""``newsprism eval reuse --data DIR``: score reuse detection on a reuse-bench style folder.

DIR holds ``articles.jsonl`` (id, text, optional story) and ``gold.jsonl``. Ids and story labels
are used only to score: the system sees the texts alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsprism.cli.common import JsonOption, echo_json, fail, stdout

DataOption = Annotated[Path, typer.Option("--data", "-d", help="Folder with articles.jsonl and gold.jsonl.")]
RewritesOption = Annotated[
    bool,
    typer.Option("--rewrites/--no-rewrites", help="Also detect paraphrased rewrites (loads the embedder)."),
]
StoriesOption = Annotated[
    int | None, typer.Option("--stories", help="Score only the first N stories (smoke runs).")
]


def reuse(
    data: DataOption,
    json_out: JsonOption = False,
    rewrites: RewritesOption = False,
    stories: StoriesOption = None,
) -> None:
    """Pair precision/recall/F1, per-type recall, type and direction accuracy on reuse-bench."""
    from newsprism.reuse.evaluate import evaluate

    if not (data / "articles.jsonl").is_file() or not (data / "gold.jsonl").is_file():
        raise fail(f"{data}: expected articles.jsonl and gold.jsonl in this folder")
    embedder = None
    if rewrites:
        from newsprism.backends import Backends

        embedder = Backends().embedder
    report = evaluate(data, embedder=embedder, limit_stories=stories)
    if json_out:
        echo_json(report)
        return
    out = stdout()
    out.print(
        f"reuse-bench: {report['articles']} articles, {report['pairs_gold']} gold pairs, "
        f"{report['seconds']} s"
    )
    for key in ("precision", "recall", "f1", "type_accuracy", "direction_accuracy"):
        out.print(f"  {key:<20} {report[key]:.4f}")
    for t, r in report["recall_by_type"].items():
        out.print(f"  recall[{t}]".ljust(22) + f" {r:.4f}")


if __name__ == "__main__":  # ``python -m newsprism.cli.reuse_eval`` until ``eval reuse`` is registered
    typer.run(reuse)
