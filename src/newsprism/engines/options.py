"""What engines share: their options and errors (kept apart from ``base`` so that an engine's
module, imported by ``base.get_engine``, never imports ``base`` back)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

ProgressHook = Callable[[str, int, int], None]
ENGINE_NAMES = ("local", "ray")


class EngineError(RuntimeError):
    """The engine cannot run here (Ray not installed, cluster unreachable): a setup error."""


@dataclass(frozen=True)
class EngineOptions:
    """``name``: local or ray. ``address``: a Ray cluster (``auto``, ``ray://host:port``, ``host:port``);
    None starts a private local Ray with ``num_cpus`` CPUs and ``object_store_mb`` of object store."""

    name: str = "local"
    address: str | None = None
    num_cpus: int | None = None
    object_store_mb: int = 500
