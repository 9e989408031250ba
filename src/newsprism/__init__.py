"""newsprism: read many news reports of the same events and see what the coverage agrees on,
where it disagrees, who copied whom, and what only one outlet says.

The public names below are imported on first use, so ``import newsprism`` stays cheap (no database
driver, no model library is loaded until something needs it). ``newsprism.ingest`` is the readers'
subpackage; the ingest function is ``newsprism.api.ingest``.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any


def _version() -> str:
    try:
        return version("newsprism")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+unknown"

_LAZY = {
    "Article": "newsprism.model",
    "Span": "newsprism.model",
    "Store": "newsprism.store",
    "Batch": "newsprism.pipeline",
    "Stage": "newsprism.pipeline",
    "ReadOptions": "newsprism.ingest.base",
    "analyze": "newsprism.api",
    "default_pipeline": "newsprism.api",
    "IngestOptions": "newsprism.api",
    "AnalyzeOptions": "newsprism.api",
    "IngestReport": "newsprism.api",
}

__all__ = [
    "AnalyzeOptions", "Article", "Batch", "IngestOptions", "IngestReport", "ReadOptions",
    "Span", "Stage", "Store", "__version__", "analyze", "default_pipeline",
]

if TYPE_CHECKING:
    __version__: str
    from newsprism.api import (
        AnalyzeOptions,
        IngestOptions,
        IngestReport,
        analyze,
        default_pipeline,
    )
    from newsprism.ingest.base import ReadOptions
    from newsprism.model import Article, Span
    from newsprism.pipeline import Batch, Stage
    from newsprism.store import Store


def __getattr__(name: str) -> Any:
    if name == "__version__":
        globals()[name] = value = _version()
        return value
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'newsprism' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
