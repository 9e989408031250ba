"""The stage contract: ``Batch`` and ``Stage`` (the runner is ``newsprism.analysis``).

Each stage declares the layers it ``requires`` and the layers it ``provides``. A ``Batch`` carries
the articles and the layers computed so far; a stage returns a new batch and never mutates its
input, so the same stage code runs in-process and inside a Ray Data ``map_batches`` call.
"""

from __future__ import annotations

from collections.abc import Iterable
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
