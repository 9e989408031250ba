"""Named entities: spaCy NER on distinct sentences only, plus rules where the small model errs.

Sentences are de-duplicated by text across the whole batch (a wire story reprinted five times is
tagged once), sent through ``nlp.pipe`` in batches, and skipped entirely when they contain no
capitalised word that could start a name. The rules relabel places the model mistakes for products
or works ("forced from Kursk" tagged PRODUCT), add capitals and countries it misses, and drop
numeric labels (quantities and times have their own extractors).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsprism.claims.actors import countries_in, country_of, person_key
from newsprism.progress import step

KEEP = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})
_MISLABELS = frozenset({"PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE", "EVENT", "ORG", "PERSON"})
_PLACE_AFTER = re.compile(
    r"^\s*(?:region|province|oblast|city|town|village|district|county|state|border|"
    r"sector|area|front|peninsula|valley|island)\b",
    re.IGNORECASE,
)
_PLACE_BEFORE = re.compile(
    r"\b(?:in|from|into|near|across|towards?|outside|inside|around|of|to)\s+(?:the\s+)?$", re.IGNORECASE
)
_STARTERS = frozenset(
    """the a an it he she they we i this that these those in on at but and however meanwhile
there after before as while when if for with by from of to some many all most one two three""".split()
)
_CAP = re.compile(r"\b[A-Z][a-z]")

LocalEntity = tuple[int, int, str]  # start, end, label (local to the sentence)


def needs_ner(text: str) -> bool:
    """False for sentences whose only capital is an ordinary sentence-initial word."""
    caps = [m.start() for m in _CAP.finditer(text)]
    if not caps:
        return False
    if len(caps) > 1 or caps[0] > 0:
        return True
    first = text.split(None, 1)[0].strip("“\"'‘(").lower()
    return first not in _STARTERS


def _relabel(text: str, start: int, end: int, label: str) -> str:
    word = text[start:end]
    if country_of(word) and label != "NORP":
        return "GPE" if label not in ("GPE", "LOC") else label
    if label in _MISLABELS and label not in ("PERSON",) and " " not in word.strip():
        if _PLACE_AFTER.match(text[end:]) or _PLACE_BEFORE.search(text[:start]):
            return "LOC"
    return label


def fix_entities(text: str, raw: Sequence[LocalEntity]) -> list[LocalEntity]:
    """Apply the rules to one sentence's raw NER output."""
    out: list[LocalEntity] = []
    for start, end, label in raw:
        # Possessives stay outside the entity: "Russia’s" -> "Russia".
        while end - start > 2 and text[end - 2 : end] in ("’s", "'s"):
            end -= 2
        label = _relabel(text, start, end, label)
        if label in KEEP:
            out.append((start, end, label))
    for country, a, b in countries_in(text):
        if not any(a < e and s < b for s, e, _ in out):
            word = text[a:b]
            out.append((a, b, "GPE" if country.lower() == word.lower() or word[0].isupper() else "NORP"))
    return sorted(out)


def entity_key(text: str, label: str) -> str:
    if label == "PERSON":
        return person_key(text)
    if label in ("GPE", "NORP", "LOC"):
        country = country_of(re.sub(r"['’]s$", "", text.strip()))
        if country:
            return country.lower()
    plain = re.sub(r"['’]s\b", "", text.strip().lower())
    return " ".join(re.sub(r"^the\s+", "", re.sub(r"[^\w\s]", " ", plain)).split())


@dataclass
class EntityTagger:
    """spaCy NER behind a per-instance cache keyed by sentence text hash."""

    nlp: Any
    batch_size: int = 256
    skip_uncapitalised: bool = True
    # spaCy worker processes (``nlp.pipe(n_process=...)``); used only when there are at least two
    # batches to share, since each process costs a fork and Doc serialisation.
    processes: int = 1
    seconds: float = 0.0
    tagged: int = 0
    requested: int = 0
    _cache: dict[bytes, list[LocalEntity]] = field(default_factory=dict, repr=False)

    def tag(self, sentences: Sequence[str]) -> list[list[LocalEntity]]:
        keys = [hashlib.blake2b(s.encode("utf-8"), digest_size=16).digest() for s in sentences]
        self.requested += len(sentences)
        todo: dict[bytes, str] = {}
        for k, s in zip(keys, sentences, strict=True):
            if k in self._cache or k in todo:
                continue
            if self.skip_uncapitalised and not needs_ner(s):
                self._cache[k] = []
            else:
                todo[k] = s
        if todo:
            t0 = time.perf_counter()
            with self.nlp.select_pipes(enable=ner_components(self.nlp)):
                many = self.processes > 1 and len(todo) >= 2 * self.batch_size
                n_process = self.processes if many else 1
                docs = self.nlp.pipe(list(todo.values()), batch_size=self.batch_size, n_process=n_process)
                for n, (k, s, doc) in enumerate(zip(todo, todo.values(), docs, strict=True), 1):
                    raw = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
                    self._cache[k] = fix_entities(s, raw)
                    step(n, len(todo), "sentences tagged")
            self.seconds += time.perf_counter() - t0
            self.tagged += len(todo)
        return [self._cache[k] for k in keys]


def ner_components(nlp: Any) -> list[str]:
    """The components entity recognition needs: the NER (or entity ruler) and any shared embedding
    layer it listens to. An injected full pipeline thus runs without its parser and tagger."""
    names = [n for n in nlp.pipe_names if n in ("ner", "entity_ruler", "span_ruler")]
    for shared in ("tok2vec", "transformer"):
        if shared in nlp.pipe_names:
            listeners = getattr(nlp.get_pipe(shared), "listening_components", None) or []
            if "ner" in listeners:
                names.append(shared)
    return [n for n in nlp.pipe_names if n in names]
