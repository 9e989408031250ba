"""Report dict -> view model for the HTML report and the web story page.

The report is read defensively: a layer that is missing is shown as absent with its reason, and an
evidence item without a usable span is shown without a link rather than guessed. Every quoted sentence
comes from the article text at the cited offsets, so the page can always point at its evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from newsprism.model import display_name
from newsprism.report.highlight import Mark, Segment, passage_anchor, quote_segments, segments

LAYERS = ("reuse", "stories", "claims", "alignment", "verdicts")
ABSENT = "absent (stage not available)"
KIND_TITLES = {
    "reuse": "passage shared with another article", "fact": "fact agreed by several sources",
    "conflict": "value in conflict with another outlet", "dispute": "claim disputed by another actor",
    "single": "claim only one source carries", "revision": "changed in a revision",
    "value": "the value compared across outlets",
}


@dataclass(slots=True)
class Evidence:
    article_id: str
    outlet: str
    start: int | None
    end: int | None
    text: str
    anchor: str | None
    quote: list[Segment] = field(default_factory=list)


def _first(d: Mapping[str, Any], *keys: str, default: Any = None) -> Any:
    for key in keys:
        if isinstance(d, Mapping) and d.get(key) not in (None, ""):
            return d[key]
    return default


def _span_of(d: Mapping[str, Any]) -> tuple[int, int] | None:
    for key in ("span", "char_span", "offsets", "sentence_span"):
        v = d.get(key)
        if isinstance(v, list | tuple) and len(v) == 2 and all(isinstance(x, int) for x in v):
            return int(v[0]), int(v[1])
    if isinstance(d.get("start"), int) and isinstance(d.get("end"), int):
        return int(d["start"]), int(d["end"])
    return None


class ReportView:
    """Everything the templates need, computed once from a report dict and the article texts."""

    def __init__(self, report: Mapping[str, Any], texts: Mapping[str, str] | None = None):
        self.report = report
        self.articles: list[dict[str, Any]] = [dict(a) for a in report.get("articles") or []]
        self.by_id = {str(a.get("id")): a for a in self.articles}
        self.texts: dict[str, str] = {str(a["id"]): a["text"] for a in self.articles if a.get("text")}
        self.texts.update(texts or {})
        self.marks: dict[str, list[Mark]] = {}
        stages = report.get("stages") or {}
        self.absent: dict[str, str] = {}
        for name, reason in (stages.get("absent") or {}).items():
            self.absent[name] = str(reason) if reason else ABSENT
        for name in LAYERS:
            if not isinstance(report.get(name), Mapping) and name not in self.absent:
                self.absent[name] = ABSENT

    # -- lookups --------------------------------------------------------------------------------

    def layer(self, name: str) -> Mapping[str, Any] | None:
        value = self.report.get(name)
        return value if isinstance(value, Mapping) else None

    def outlet(self, article_id: str) -> str:
        """The article's display name (``newsprism.model.display_name``), the same on every surface."""
        a = self.by_id.get(str(article_id))
        return display_name(a) if a else f"article {str(article_id)[:8]}"

    def heading(self, article: Mapping[str, Any]) -> str:
        """The article's title, else the start of its text (marked as such)."""
        if article.get("title"):
            return str(article["title"])
        text = self.texts.get(str(article.get("id")), "")
        first = text.split("\n", 1)[0][:100]
        return f"(no title) {first}…" if first else "(no title)"

    def absent_reason(self, name: str) -> str:
        reason = self.absent.get(name, ABSENT)
        return reason if reason.startswith("absent") else f"absent ({reason})"

    def evidence(
        self, item: Mapping[str, Any], kind: str, values: list[str] | None = None
    ) -> Evidence | None:
        """One cited passage; registers a highlight so the article view has the anchor it links to."""
        if not isinstance(item, Mapping):
            return None
        aid = _first(item, "article_id", "article")
        if aid is None:
            return None
        aid = str(aid)
        span = _span_of(item)
        text = self.texts.get(aid, "")
        quoted = str(_first(item, "text", "sentence", "quote", default=""))
        anchor = None
        if span and text and 0 <= span[0] < span[1] <= len(text):
            quoted = text[span[0] : span[1]]
            anchor = passage_anchor(aid, *span)
            self.marks.setdefault(aid, []).append(Mark(span[0], span[1], kind, KIND_TITLES.get(kind, kind)))
        start, end = span if span else (None, None)
        ev = Evidence(aid, self.outlet(aid), start, end, quoted, anchor)
        ev.quote = quote_segments(quoted, values or [])
        return ev

    def mark_values(self, quote: Evidence, values: list[Evidence]) -> None:
        """Highlight, inside a quoted sentence, the value spans that fall within it."""
        if quote.start is None:
            return
        marks = [Mark(v.start - quote.start, v.end - quote.start, "value") for v in values
                 if v.article_id == quote.article_id and v.start is not None and v.end is not None
                 and quote.start <= v.start < v.end <= quote.end]
        if marks:
            quote.quote = segments(quote.text, marks)
            for seg in quote.quote:
                seg.anchors = []

    def evidence_list(self, items: Any, kind: str, values: list[str] | None = None) -> list[Evidence]:
        out = []
        for item in items or []:
            ev = self.evidence(item, kind, values)
            if ev is not None:
                out.append(ev)
        return out

    def chips(self, article_ids: Any) -> list[dict[str, Any]]:
        """One chip per outlet (two versions from one outlet make one chip, counted), linking to the first."""
        by_outlet: dict[str, dict[str, Any]] = {}
        for aid in dict.fromkeys(str(a) for a in article_ids or []):
            name = self.outlet(aid)
            chip = by_outlet.setdefault(name, {"id": aid, "outlet": name, "ids": []})
            chip["ids"].append(aid)
        for chip in by_outlet.values():
            chip["n"] = len(chip["ids"])
        return list(by_outlet.values())

    def article_segments(self, article_id: str) -> list[Segment]:
        text = self.texts.get(article_id)
        if text is None:
            return []
        return segments(text, self.marks.get(article_id, []), article_id)
