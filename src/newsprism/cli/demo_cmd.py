"""``newsprism demo``: analyze the bundled fictional corpus, to see what newsprism reports."""

from __future__ import annotations

from newsprism.cli.analyze_cmd import EmbedderOption, OutputOption, analyze_options, run_analyze
from newsprism.cli.common import JsonOption
from newsprism.cli.ingest_cmd import read_options


def demo(output: OutputOption = None, json_out: JsonOption = False, embedder: EmbedderOption = None) -> None:
    """Analyze the bundled demo corpus: seven invented reports of one invented event.

    The corpus holds a wire story, two reprints, a revision, a drifting rewrite, an independent
    report and a disputed claim, so every part of the report has something to show.
    """
    from newsprism.demo import corpus_files

    with corpus_files() as files:
        options = analyze_options(None, embedder, read_options(None, False, False))
        run_analyze([str(f) for f in files], output, json_out, None, options)
