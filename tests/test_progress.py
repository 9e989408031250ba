"""Progress: ticks from inside a stage reach the CLI's bar, and logs get plain, counted lines."""

from __future__ import annotations

import io
from dataclasses import dataclass

from rich.console import Console
from rich.progress import Progress

from newsprism.analysis import AnalysisPipeline, StageSpec, build_pipeline, run_stages
from newsprism.cli.common import CliProgress, PlainProgress
from newsprism.pipeline import Batch
from newsprism.progress import step


@dataclass
class CountingStage:
    name: str
    unit: str = "items"
    requires: frozenset[str] = frozenset({"articles"})
    provides: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.provides = frozenset({self.name})

    def run(self, batch: Batch) -> Batch:
        for i in range(1, 101):
            step(i, 100, self.unit)
        return batch.with_layer(self.name, len(batch.articles))


def _pipeline(*stages: tuple[str, str]) -> AnalysisPipeline:
    def spec(name: str, unit: str) -> StageSpec:
        return StageSpec(name, __name__, "CountingStage", name, lambda cls, _o, _b: cls(name, unit))

    return build_pipeline(specs=[spec(name, unit) for name, unit in stages])


def test_ticks_inside_a_stage_reach_the_runner_hook() -> None:
    seen: list[tuple[str, int, int | None]] = []
    batch = Batch.of(())
    _, records = run_stages(_pipeline(("first", "items"), ("second", "stories")), batch,
                            lambda *tick: seen.append(tick))
    assert [r.status for r in records] == ["ran", "ran"]
    inner = [t for t in seen if "/" in t[0]]
    assert [t for t in inner if t[0] == "first/items"][-1] == ("first/items", 100, 100)
    assert len([t for t in inner if t[0] == "second/stories"]) == 100
    # each stage's ticks come after that stage starts and before the next one
    assert seen.index(("second", 1, 2)) > max(i for i, t in enumerate(seen) if t[0] == "first/items")
    step(1, 1, "outside")  # no runner listening: nothing happens, nothing fails


def test_plain_lines_are_counted_and_bounded() -> None:
    lines: list[str] = []
    plain = PlainProgress(lines.append)
    plain("claims", 2, 5)
    for i in range(1, 1001):
        plain("claims/articles", i, 1000)
    for i in range(1, 10):
        plain("align/stories", i, 9)  # a short loop logs nothing
    for i in range(1, 2001):
        plain("read", i, None)
    plain("done", 5, 5)
    assert lines == ["stage 3/5: claims", "claims: 250/1000 articles", "claims: 500/1000 articles",
                     "claims: 750/1000 articles", "read 1000 inputs", "read 2000 inputs"]


def test_the_bar_shows_the_inner_loop_and_restarts_it_per_stage() -> None:
    progress = Progress(console=Console(file=io.StringIO(), force_terminal=True))
    display = CliProgress(progress)
    display("claims", 2, 5)
    display("claims/articles", 40, 100)
    [inner] = [t for t in progress.tasks if t.description == "  claims: articles"]
    assert (inner.completed, inner.total) == (40, 100)
    display("align", 3, 5)
    assert not [t for t in progress.tasks if "claims:" in t.description]
    display("align/stories", 1, 3)
    assert [t.description for t in progress.tasks] == ["Stage align", "  align: stories"]
    display("done", 5, 5)
    assert [t.description for t in progress.tasks] == ["Stage align"]
