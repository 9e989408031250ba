"""The analyze report as a JSON-ready dict: inputs, articles, stages and one key per layer present.

The layer sections are each layer's own ``to_dict()``, so a stage owns its part of the report and
this module only assembles them.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from newsprism.language import not_compared_reason
from newsprism.limits import truncation_notice
from newsprism.model import Article, display_name

SCHEMA_VERSION = "1.3.0"
# Report key for each pipeline layer, in pipeline order.
LAYER_KEYS: tuple[str, ...] = ("reuse", "stories", "claims", "alignment", "verdicts")


@dataclass(frozen=True, slots=True)
class ReportOptions:
    analysis_id: str | None = None
    include_text: bool = True
    # Article id -> length of its whole stored text, for articles analysed only in part (their
    # ``Article.text`` here is the part read; see ``newsprism.limits``).
    full_chars: Mapping[str, int] = field(default_factory=dict)
    # The languages analysis compared, and article id -> language of each article it did not.
    languages: frozenset[str] | None = None
    not_compared: Mapping[str, str] = field(default_factory=dict)


def article_summary(
    article: Article, include_text: bool = False, full_chars: int | None = None
) -> dict[str, Any]:
    """The report's entry for an article; ``full_chars`` is its stored length when ``article`` is
    the part of it that analysis read."""
    out: dict[str, Any] = {
        "id": article.id,
        "display_name": display_name(article),
        "title": article.title,
        "outlet": article.outlet,
        "outlet_domain": article.outlet_domain,
        "url": article.url,
        "dateline": article.dateline,
        "published": article.published.isoformat() if article.published else None,
        "byline": article.byline,
        "language": article.language,
        "origins": dict(article.origins),
        "n_paragraphs": len(article.paragraphs),
        "n_sentences": len(article.sentences),
        "n_chars": max(full_chars or 0, len(article.text)),
        "revision": article.revision,
        "revision_of": article.revision_of,
        "source_path": article.source_path,
    }
    if full_chars is not None and full_chars > len(article.text):
        out["analysis_truncated_at"] = len(article.text)
        out["notice"] = truncation_notice(len(article.text), full_chars)
    if include_text:
        # Evidence offsets point into this text; carrying it makes a saved report self-contained.
        # Of a truncated article only the part analysed: no evidence points past it.
        out["text"] = article.text
    return out


def stages_section(records: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Which stages ran (with timings) and, per report layer key, why a layer is absent."""
    records = [dict(r) for r in records]
    ran = [r for r in records if r.get("status") == "ran"]
    absent = {
        r["layer"]: f"{r['status']}: {r.get('reason') or 'no reason given'}"
        for r in records
        if r.get("status") != "ran"
    }
    return {
        "ran": [r["name"] for r in ran],
        "timings": {r["name"]: r.get("seconds") for r in ran},
        "total_seconds": round(sum(r.get("seconds") or 0.0 for r in records), 4),
        "absent": absent,
        "records": records,
    }


def languages_section(
    articles: Sequence[Article], compared: frozenset[str], not_compared: Mapping[str, str]
) -> dict[str, Any]:
    """The languages compared and each article left out of comparison, with why; the same articles'
    entries in ``articles`` carry the reason too, so no surface can show one as judged."""
    left_out = []
    for article in articles:
        if article.id in not_compared:
            language = not_compared[article.id]
            left_out.append({"id": article.id, "display_name": display_name(article), "language": language,
                             "reason": not_compared_reason(language)})
    return {"compared": sorted(compared), "not_compared": left_out}


def layer_to_dict(value: Any) -> Any:
    """A layer's JSON-ready form: its ``to_dict()``, else a dataclass's fields, else itself."""
    if hasattr(value, "to_dict"):
        value = value.to_dict()
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    return strict_json(value)


def strict_json(value: Any) -> Any:
    """``value`` with every non-finite float replaced by ``None``.

    JSON has no Infinity or NaN: browsers' ``JSON.parse`` and PostgreSQL's JSON type reject them,
    so an open bound ("at least 3,200": high = inf) is written as null.
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: strict_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [strict_json(v) for v in value]
    return value


def _version() -> str:
    from newsprism import __version__

    return __version__


def build_report(
    articles: Sequence[Article],
    layers: Mapping[str, Any],
    stages: Iterable[Mapping[str, Any]],
    inputs: Mapping[str, Any] | None = None,
    options: ReportOptions | None = None,
) -> dict[str, Any]:
    """Assemble the report; ``stages`` are the stage records' dicts, ``inputs`` the ingest summary."""
    options = options or ReportOptions()
    report: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "newsprism_version": _version(),
        "analysis_id": options.analysis_id,
        "inputs": dict(inputs or {}),
        "articles": [
            article_summary(a, options.include_text, options.full_chars.get(a.id)) for a in articles
        ],
        "stages": stages_section(stages),
    }
    if options.languages is not None:
        report["languages"] = languages_section(articles, options.languages, options.not_compared)
        for entry in report["articles"]:
            if entry["id"] in options.not_compared:
                entry["not_compared"] = not_compared_reason(options.not_compared[entry["id"]])
    for key in LAYER_KEYS:
        if key in layers:
            report[key] = layer_to_dict(layers[key])
    return report


def dumps(report: Mapping[str, Any], indent: int | None = 2) -> str:
    """Serialise a report; values a layer left as dates or paths become strings rather than errors."""
    return json.dumps(report, indent=indent, ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return value.tolist()
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return str(value)
