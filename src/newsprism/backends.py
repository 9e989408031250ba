"""The models the analyze stages use, loaded here and nowhere else.

A ``Backends`` loads each model at most once, when something first asks for it, and the stage
factories (``newsprism.analysis``) hand the loaded objects to the stages' constructors: a stage
never loads a model itself. One pipeline has one ``Backends``, so the claims of every batch share
one spaCy pipeline and a sentence embedded for reuse is not embedded again for alignment. The Ray
engine's actors build their own ``Backends`` from ``Models`` (names only, so it travels).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any


@dataclass(frozen=True, slots=True)
class Models:
    """Which models to load, by name."""

    embedder: str | None = None  # a sentence-transformers model; None: the offline MiniLM
    spacy_model: str | None = None  # None: the default small English pipeline (NER only)
    judge: str | None = None  # a pair judge (offline, nli, chat); None: no judge


class Backends:
    """The shared models; ``given`` holds objects that replace a load (``embedder``, ``nlp``,
    ``judge``: tests and the web app inject their own)."""

    def __init__(self, models: Models | None = None, given: Mapping[str, Any] | None = None):
        self.models = models or Models()
        self.given = dict(given or {})

    @cached_property
    def embedder(self) -> Any:
        if "embedder" in self.given:
            return self.given["embedder"]
        from newsprism.engines.embedder import get_embedder

        return get_embedder(self.models.embedder)

    @cached_property
    def nlp(self) -> Any:
        if "nlp" in self.given:
            return self.given["nlp"]
        from newsprism.engines.nlp import NER_ONLY, load_spacy

        # Claims read only named entities: the NER component alone runs several times faster.
        return load_spacy(self.models.spacy_model, components=NER_ONLY)

    @cached_property
    def parser(self) -> Any:
        """The spaCy pipeline with its dependency parser, for verdicts that must know which word a
        date hangs on; loaded only when one is asked (few sentences need it)."""
        from newsprism.engines.nlp import load_spacy

        # attribute_ruler gives the parts of speech the tagger's tags stand for.
        return load_spacy(self.models.spacy_model, components=("parser", "attribute_ruler"))

    @cached_property
    def judge(self) -> Any | None:
        """The pair judge, or None when none was named or given: a judge costs a transformer pass
        per reviewed conflict, so it reviews only when asked for."""
        if "judge" in self.given:
            return self.given["judge"]
        if not self.models.judge:
            return None
        from newsprism.verdicts.judges import get_judge

        return get_judge(self.models.judge)
