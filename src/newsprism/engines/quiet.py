"""Silence the progress bars that model libraries draw on stderr by themselves.

transformers ("Loading weights"), huggingface_hub and sentence-transformers write tqdm bars
straight to stderr: they bypass newsprism's own progress display, interleave with ``INPUT:
reason`` lines and land in the logs of ``--json`` runs. newsprism's display is the only one.
"""

from __future__ import annotations


def quiet_model_libraries() -> None:
    """Turn the libraries' bars off (process-wide; called just before a model is loaded)."""
    try:
        from transformers.utils import logging as transformers_logging
    except ImportError:  # a stage that needs transformers reports its absence elsewhere
        transformers_logging = None
    if transformers_logging is not None:
        transformers_logging.disable_progress_bar()  # also turns off huggingface_hub's bars
        return
    try:
        from huggingface_hub.utils import disable_progress_bars
    except ImportError:
        return
    disable_progress_bars()
