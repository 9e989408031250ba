"""RawDocument -> Article: normalise, infer missing metadata, split, and assign the stable id."""

from __future__ import annotations

import re
from datetime import datetime

from newsprism.ingest.base import RawDocument, ReaderError
from newsprism.ingest.meta import infer_metadata, parse_datetime
from newsprism.language import MIN_CONFIDENCE, UNKNOWN, detect, normalize_tag
from newsprism.model import META_FIELDS, Article, Origin, article_id, content_hash
from newsprism.sentences import split_sentences
from newsprism.text import normalize, paragraph_spans

MIN_TEXT_CHARS = 1
# A lone surrogate comes from a JSON "\ud800" escape; no database or JSON encoder accepts one, and
# one such field in a batch would lose the whole batch at commit.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_unicode(raw: RawDocument) -> None:
    for name in ("text", "external_id", "source_path", *META_FIELDS):
        value = getattr(raw, name, None)
        if isinstance(value, str) and (m := _SURROGATE.search(value)):
            raise ReaderError(
                raw.source, f"invalid Unicode: lone surrogate \\u{ord(m.group()):04x} in {name}"
            )


def _set_language(text: str, fields: dict[str, object], origins: dict[str, str], extra: dict) -> None:
    """A given language tag wins (normalised: ``en-US`` -> ``en``); otherwise the detector's answer
    when it is confident. The detection is kept as evidence either way, with its confidence."""
    found = detect(text)
    extra["language_detected"] = found.to_dict()
    given = normalize_tag(fields.get("language"))  # type: ignore[arg-type]
    if given:
        fields["language"] = given
        return
    if "language" in fields:  # a value that is no language tag ("English", "??"): kept as read
        extra["language_given"] = fields.pop("language")
        origins.pop("language", None)
    if found.language != UNKNOWN and found.confidence >= MIN_CONFIDENCE:
        fields["language"] = found.language
        origins["language"] = Origin.DETECTED.value


def build_article(raw: RawDocument) -> Article:
    """Turn what a reader found into an ``Article``; raises ``ReaderError`` when no text is left."""
    _check_unicode(raw)
    text = normalize(raw.text, single_newline_paragraphs=raw.line_paragraphs)
    if len(text.strip()) < MIN_TEXT_CHARS:
        raise ReaderError(raw.source, "no article text found")
    fields: dict[str, object] = {}
    origins: dict[str, str] = {}
    for name in META_FIELDS:
        value = getattr(raw, name, None)
        if isinstance(value, str):
            value = " ".join(value.split()) or None
        if name == "published" and value is not None and not isinstance(value, datetime):
            value = parse_datetime(value)
        if value is not None:
            fields[name] = value
            origins[name] = raw.origins.get(name, Origin.READ.value)
    inferred = infer_metadata(text, fields)
    for name, (value, origin) in inferred.fields.items():
        if name not in fields and value is not None:
            fields[name] = value
            origins[name] = origin.value
    text = inferred.text
    _set_language(text, fields, origins, inferred.extra)
    paragraphs = paragraph_spans(text)
    sentences = split_sentences(text, paragraphs)
    text_hash = content_hash(text)
    article = Article(
        id="",
        text=text,
        content_hash=text_hash,
        source_format=raw.format,
        source_path=raw.source_path or raw.source,
        external_id=raw.external_id,
        paragraphs=paragraphs,
        sentences=sentences,
        origins=origins,
        extra={**inferred.extra, **raw.extra},
        **fields,  # type: ignore[arg-type]
    )
    article.id = article_id(article.identity_key, article.outlet_domain or article.outlet, text_hash)
    return article
