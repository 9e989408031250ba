"""Stages over batches of articles.

Each stage declares the layers it ``requires`` and the layers it ``provides``. A ``Batch`` carries
the articles and the layers computed so far; a stage returns a new batch and never mutates its
input, so the same stage code runs in-process and inside a Ray Data ``map_batches`` call.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, runtime_checkable

from newsprism.model import Article

ARTICLES = "articles"


@dataclass(frozen=True, slots=True)
class Batch:
    """Articles plus named result layers (``"reuse"``, ``"stories"``, ``"claims"`` ...)."""

    articles: tuple[Article, ...]
    layers: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, articles: Iterable[Article]) -> Batch:
        return cls(tuple(articles), {})

    def layer(self, name: str) -> Any:
        if name not in self.layers:
            raise KeyError(f"layer {name!r} has not been computed; present: {sorted(self.layers)}")
        return self.layers[name]

    def with_layer(self, name: str, value: Any) -> Batch:
        return replace(self, layers={**self.layers, name: value})

    def has(self, name: str) -> bool:
        return name == ARTICLES or name in self.layers


@runtime_checkable
class Stage(Protocol):
    name: str
    requires: frozenset[str]
    provides: frozenset[str]

    def run(self, batch: Batch) -> Batch: ...


class PipelineError(RuntimeError):
    pass


@dataclass(slots=True)
class StageTiming:
    name: str
    seconds: float


ProgressHook = Callable[[str, int, int], None]


@dataclass
class Pipeline:
    """An ordered list of stages, checked at construction so a missing layer fails early."""

    stages: Sequence[Stage]
    timings: list[StageTiming] = field(default_factory=list)
    # Layers the batches will carry already (read from the store), besides the articles.
    given: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        available = {ARTICLES, *self.given}
        for stage in self.stages:
            missing = set(stage.requires) - available
            if missing:
                raise PipelineError(
                    f"stage {stage.name!r} requires {sorted(missing)}, which no earlier stage provides"
                )
            available |= set(stage.provides)

    @property
    def provides(self) -> frozenset[str]:
        out: set[str] = set()
        for stage in self.stages:
            out |= stage.provides
        return frozenset(out)

    def run(self, batch: Batch, progress: ProgressHook | None = None) -> Batch:
        self.timings = []
        for i, stage in enumerate(self.stages):
            if progress:
                progress(stage.name, i, len(self.stages))
            t0 = time.perf_counter()
            batch = stage.run(batch)
            self.timings.append(StageTiming(stage.name, time.perf_counter() - t0))
            missing = set(stage.provides) - set(batch.layers)
            if missing:
                raise PipelineError(f"stage {stage.name!r} did not provide {sorted(missing)}")
        if progress:
            progress("done", len(self.stages), len(self.stages))
        return batch
