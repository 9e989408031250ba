"""Progress inside a stage: the runner says where ticks go, a stage's long loop reports them.

``run_stages`` wraps each ``stage.run(batch)`` in ``reporting(hook)``; a loop inside a stage calls
``step(done, total, "articles")``. The hook travels in a context variable rather than as a new
``run`` argument because ``Stage.run(batch)`` is the contract every stage (user stages and the
Ray engine's workers included) implements; a stage run outside a runner, or in a worker process,
reports to no one and pays one lookup per tick.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

StepHook = Callable[[int, int, str], None]
_hook: ContextVar[StepHook | None] = ContextVar("newsprism_step_hook", default=None)


@contextmanager
def reporting(hook: StepHook | None) -> Iterator[None]:
    """Send the ``step`` calls made inside the block to ``hook(done, total, unit)``."""
    token = _hook.set(hook)
    try:
        yield
    finally:
        _hook.reset(token)


def step(done: int, total: int, unit: str) -> None:
    """``done`` of ``total`` ``unit`` (e.g. ``"stories"``) finished in the running stage."""
    hook = _hook.get()
    if hook is not None:
        hook(done, total, unit)
