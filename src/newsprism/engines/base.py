"""Where the analyze pipeline runs: in this process (``local``) or on a Ray cluster (``ray``).

An engine takes the assembled pipeline and the articles and returns what ``run_stages`` returns:
the batch with every layer computed and one record per stage. The local engine is ``run_stages``
itself; the Ray engine (``newsprism.engines.ray_engine``, needing the ``ray`` extra) runs the same
stage code partitioned the way each algorithm allows and is tested to give the same results.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from newsprism.engines.options import ENGINE_NAMES, EngineError, EngineOptions, ProgressHook

if TYPE_CHECKING:
    from newsprism.analysis import AnalysisPipeline, StageRecord
    from newsprism.pipeline import Batch


class Engine(Protocol):
    name: str

    def run(
        self, assembled: AnalysisPipeline, batch: Batch, progress: ProgressHook | None = None
    ) -> tuple[Batch, list[StageRecord]]: ...


class LocalEngine:
    """Every stage in this process, in order (the default; needs no Ray)."""

    name = "local"

    def run(
        self, assembled: AnalysisPipeline, batch: Batch, progress: ProgressHook | None = None
    ) -> tuple[Batch, list[StageRecord]]:
        from newsprism.analysis import run_stages

        return run_stages(assembled, batch, progress)


def get_engine(options: EngineOptions | None = None) -> Engine:
    """The engine named by ``options``; ``EngineError`` when it cannot be had here."""
    options = options or EngineOptions()
    if options.name == "local":
        if options.address:
            raise EngineError("--ray-address needs --engine ray")
        return LocalEngine()
    if options.name == "ray":
        try:
            from newsprism.engines.ray_engine import RayEngine
        except ImportError as exc:
            raise EngineError(
                f"the ray engine needs Ray: pip install 'newsprism[ray]' ({exc})"
            ) from exc
        return RayEngine(options)
    raise EngineError(f"unknown engine {options.name!r}; known: {', '.join(ENGINE_NAMES)}")
