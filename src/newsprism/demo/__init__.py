"""The bundled demo corpus: seven invented reports of one invented event.

Every place, outlet, person and company in it is fictional (outlets use ``.example`` domains). It is
built to show each thing newsprism reports: a wire story and its reprints (one trimmed, one lightly
edited with a wire credit), a revised version of the wire story at the same URL, a paraphrasing
rewrite that drifts one figure, an independent report with a different figure, and a claim by one
party that another party denies, carried by several outlets.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path


def corpus_entries() -> list[Traversable]:
    """The corpus files in name order (the order matters: a revision is ingested after its original)."""
    root = files("newsprism.demo").joinpath("corpus")
    return sorted((e for e in root.iterdir() if e.name.endswith(".txt")), key=lambda e: e.name)


@contextmanager
def corpus_files() -> Iterator[list[Path]]:
    """Real file paths for the corpus, valid inside the ``with`` block (even from a zipped install)."""
    with ExitStack() as stack:
        yield [stack.enter_context(as_file(entry)) for entry in corpus_entries()]
