"""Batches of stored stories as Ray tasks that read and write the store themselves.

Stories are independent once stored (their members, reuse pairs and texts are in the store), so
stored analysis is partitioned by story, not by stage. The caller (``findings.run``) plans batches of
story ids and names a task class; an actor pool builds one task per actor (models loaded once) and
hands it a batch at a time: the task reads the batch's stories from the store with queries on their
own ids, analyses them and stores their findings, returning what it did. The driver only collects
those outcomes. Writes must be idempotent (a task can run twice: a node lost, an actor restarted).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsprism.engines.options import EngineOptions, ProgressHook
from newsprism.engines.ray_engine import ray_session
from newsprism.engines.ray_stages import pool


def worker_url(engine_url: Any) -> str:
    """A SQLAlchemy URL as a worker process opens it: password kept, a SQLite path made absolute (a
    worker's working directory is not the driver's)."""
    url = engine_url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        url = url.set(database=str(Path(url.database).resolve()))
    return url.render_as_string(hide_password=False)


class _Worker:
    """One actor: the task built once, then called with each batch of story ids it is given."""

    def __init__(self, task: type, args: tuple[Any, ...]):
        self.task = task(*args)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, Any]:
        done = [pickle.dumps(self.task(pickle.loads(blob))) for blob in batch["ids"]]
        return {"n": batch["n"], "done": done}


def run_story_tasks(
    engine: EngineOptions,
    plan: Callable[[int], Sequence[Sequence[str]]],
    task: type,
    args: tuple[Any, ...],
    progress: ProgressHook | None = None,
) -> list[Any]:
    """``task(*args)(ids)`` for every batch ``plan(cpus)`` gives, on an actor pool; the outcomes in
    plan order."""
    import ray.data

    with ray_session(engine) as cpus:
        parts = [list(p) for p in plan(cpus) if p]
        if not parts:
            return []
        rows = [{"n": n, "ids": pickle.dumps(ids)} for n, ids in enumerate(parts)]
        ds = ray.data.from_items(rows).map_batches(
            _Worker, fn_constructor_args=(task, args), batch_size=1, batch_format="numpy",
            compute=pool(min(cpus, len(parts))),
        )
        done: dict[int, Any] = {}
        for row in ds.iter_rows():
            n = int(row["n"])
            done[n] = pickle.loads(row["done"])
            if progress:
                progress("stories", sum(len(parts[k]) for k in done), sum(len(p) for p in parts))
    return [done[n] for n in sorted(done)]
