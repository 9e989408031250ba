"""``newsprism eval …``: score a component on a public benchmark (pairs, reuse, stories)."""

from __future__ import annotations

import typer

from newsprism.cli import eval_pairs, reuse_eval, stories_cmd, verdicts_eval

app = typer.Typer(help="Evaluate newsprism's components on public benchmarks.", no_args_is_help=True)
app.command("pairs")(eval_pairs.pairs)
app.command("reuse")(reuse_eval.reuse)
app.command("stories")(stories_cmd.eval_stories)
app.command("verdicts")(verdicts_eval.verdicts)
