"""The Ray engine: the analyze pipeline's stages on a Ray cluster (or a private local Ray).

It runs ``run_stages`` with a runner that sends each stage to its Ray implementation
(``ray_stages``, ``ray_story``); a stage without one runs here unchanged. Stage records, failure
handling and the report are therefore the local engine's own.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import ray
import ray.data

from newsprism.engines.options import EngineError, EngineOptions, ProgressHook
from newsprism.pipeline import Batch

if TYPE_CHECKING:
    from newsprism.analysis import AnalysisPipeline, ReadyStage, StageRecord


def check_reachable(address: str) -> None:
    """Fail in seconds on a cluster address nothing listens at: ``ray.init`` retries for minutes."""
    if address == "auto":
        return
    host, sep, port = address.removeprefix("ray://").rpartition(":")
    if not sep or not port.isdigit():
        raise EngineError(f"Ray address {address!r} is not auto, HOST:PORT or ray://HOST:PORT")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port)), timeout=5):
            pass
    except OSError as exc:
        raise EngineError(f"no Ray cluster answers at {address}: {exc.strerror or exc}") from exc


def _connect(options: EngineOptions) -> None:
    common: dict[str, Any] = {
        "include_dashboard": False,
        "log_to_driver": False,
        "logging_level": logging.WARNING,
    }
    if options.address:
        check_reachable(options.address)
    try:
        if options.address:
            ray.init(address=options.address, **common)
        else:
            # "local": a private instance, even when a cluster started by ``ray start`` runs here.
            ray.init(
                address="local",
                num_cpus=options.num_cpus or os.cpu_count() or 1,
                object_store_memory=options.object_store_mb * 1024 * 1024,
                **common,
            )
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = options.address or "a local Ray instance"
        raise EngineError(f"could not start or reach Ray at {where}: {exc}") from exc


@contextmanager
def ray_session(options: EngineOptions) -> Iterator[int]:
    """Ray connected for the duration (reusing a connection the caller made); yields its CPU count."""
    if ray.is_initialized():
        yield int(ray.cluster_resources().get("CPU", 1))
        return
    # Ray's driver threads print cluster events ("Raylet is terminated ...") to stdout, which carries
    # the command's report (--json); while Ray is connected they go to stderr with the other logs.
    with contextlib.redirect_stdout(sys.stderr):
        _connect(options)
        try:
            ctx = ray.data.DataContext.get_current()
            ctx.enable_progress_bars = False
            ctx.print_on_execution_start = False
            # One INFO line per dataset execution would bury the CLI's own output.
            logging.getLogger("ray.data").setLevel(logging.WARNING)
            yield int(ray.cluster_resources().get("CPU", 1))
        finally:
            ray.shutdown()


class RayEngine:
    name = "ray"

    def __init__(self, options: EngineOptions):
        self.options = options

    def run(
        self, assembled: AnalysisPipeline, batch: Batch, progress: ProgressHook | None = None
    ) -> tuple[Batch, list[StageRecord]]:
        from newsprism.analysis import run_stages

        with ray_session(self.options) as cpus:
            runner = _Runner(assembled, cpus)
            return run_stages(assembled, batch, progress, runner)


class _Runner:
    """Sends each stage to its Ray implementation; align also computes the verdicts per story.

    Stages that run on actors are not built here (their models load on the actors, from the
    pipeline's ``Models``); the others are built and run here, with the pipeline's ``Backends``.
    """

    def __init__(self, assembled: AnalysisPipeline, cpus: int):
        self.assembled = assembled
        self.cpus = cpus
        self.story_parts: list | None = None

    def _spec(self, align: ReadyStage) -> Any:
        from newsprism.engines.ray_story import StorySpec

        verdicts = next((s for s in self.assembled.stages if s.name == "verdicts"), None)
        verdicts_options = verdicts.stage_options if verdicts is not None else None
        models = self.assembled.backends.models
        return StorySpec(align.stage_options, verdicts is not None, verdicts_options, models)

    def __call__(self, stage: ReadyStage, batch: Batch) -> Batch:
        from newsprism.engines import ray_stages, ray_story

        name = stage.name
        if name == "claims":
            models = self.assembled.backends.models
            return ray_stages.run_claims(stage.stage_options, batch, self.cpus, models)
        if name == "reuse":
            return ray_stages.run_reuse(stage.stage_options, batch, self.cpus, self.assembled.backends)
        if name == "stories":
            return ray_stages.run_stories(stage.build(), batch, self.cpus)
        if name == "align":
            self.story_parts = ray_story.run_story_stages(batch, self._spec(stage), self.cpus)
            return batch.with_layer("alignment", ray_story.merge_alignment(batch, self.story_parts))
        if name == "verdicts" and self.story_parts is not None:
            return batch.with_layer("verdicts", ray_story.merge_verdicts(self.story_parts))
        return stage.build().run(batch)
