"""The typed report -> what the HTML report and the web pages show, computed once.

``ReportView`` takes a ``Report`` (``report.types``; a report dict is parsed first, and refused with
a clear error when it does not match the schema). A layer that is missing is shown as absent with
its reason. Every quoted sentence comes from the article text at the cited offsets, so the page can
always point at its evidence; an offset outside the text gives a quote without a link, never a guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsprism.report.highlight import Mark, Segment, passage_anchor, quote_segments, segments
from newsprism.report.types import LAYERS, Evidence, Report, ReportArticle, parse_report

ABSENT = "absent (stage not available)"
KIND_TITLES = {
    "reuse": "passage shared with another article", "fact": "fact agreed by several sources",
    "conflict": "value in conflict with another outlet", "dispute": "claim disputed by another actor",
    "single": "claim only one source carries", "revision": "changed in a revision",
    "value": "the value compared across outlets", "claim": "claim",
}


@dataclass(slots=True)
class Quote:
    """A cited passage as shown: its outlet, offsets, the quoted text and where it is in the article."""

    article_id: str
    outlet: str
    start: int | None
    end: int | None
    text: str
    anchor: str | None
    quote: list[Segment] = field(default_factory=list)


class ReportView:
    """Everything the templates need, computed once from a typed report and the article texts."""

    def __init__(self, report: Report | Mapping[str, Any], texts: Mapping[str, str] | None = None):
        self.report = parse_report(report)
        self.articles: list[ReportArticle] = list(self.report.articles)
        self.by_id = {a.id: a for a in self.articles}
        self.texts: dict[str, str] = {a.id: a.text for a in self.articles if a.text}
        self.texts.update(texts or {})
        self.marks: dict[str, list[Mark]] = {}
        self.absent = {name: reason or ABSENT for name, reason in self.report.stages.absent.items()}
        for name in LAYERS:
            if getattr(self.report, name) is None and name not in self.absent:
                self.absent[name] = ABSENT

    # -- lookups --------------------------------------------------------------------------------

    def outlet(self, article_id: str) -> str:
        """The article's display name (``newsprism.model.display_name``), the same on every surface."""
        a = self.by_id.get(str(article_id))
        return a.name if a else f"article {str(article_id)[:8]}"

    def heading(self, article: ReportArticle) -> str:
        """The article's title, else the start of its text (marked as such)."""
        if article.title:
            return article.title
        first = self.texts.get(article.id, "").split("\n", 1)[0][:100]
        return f"(no title) {first}…" if first else "(no title)"

    def absent_reason(self, name: str) -> str:
        reason = self.absent.get(name, ABSENT)
        return reason if reason.startswith("absent") else f"absent ({reason})"

    def quote(self, article_id: str, span: Sequence[int] | None, kind: str, text: str = "",
              values: Sequence[str] = ()) -> Quote:
        """One cited passage; registers a highlight so the article view has the anchor it links to."""
        article_text = self.texts.get(article_id, "")
        anchor = None
        if span is not None and article_text and 0 <= span[0] < span[1] <= len(article_text):
            text = article_text[span[0] : span[1]]
            anchor = passage_anchor(article_id, span[0], span[1])
            self.marks.setdefault(article_id, []).append(
                Mark(span[0], span[1], kind, KIND_TITLES.get(kind, kind)))
        start, end = (span[0], span[1]) if span is not None else (None, None)
        return Quote(article_id, self.outlet(article_id), start, end, text, anchor,
                     quote_segments(text, list(values)))

    def evidence(self, item: Evidence, kind: str, values: Sequence[str] = ()) -> Quote:
        return self.quote(item.article_id, item.span, kind, item.text or "", values)

    def evidence_list(self, items: Iterable[Evidence], kind: str, values: Sequence[str] = ()) -> list[Quote]:
        return [self.evidence(item, kind, values) for item in items]

    def mark_values(self, quote: Quote, values: list[Quote]) -> None:
        """Highlight, inside a quoted sentence, the value spans that fall within it."""
        if quote.start is None or quote.end is None:
            return
        marks = [Mark(v.start - quote.start, v.end - quote.start, "value") for v in values
                 if v.article_id == quote.article_id and v.start is not None and v.end is not None
                 and quote.start <= v.start < v.end <= quote.end]
        if marks:
            quote.quote = segments(quote.text, marks)
            for seg in quote.quote:
                seg.anchors = []

    def chips(self, article_ids: Iterable[str]) -> list[dict[str, Any]]:
        """One chip per outlet (two versions from one outlet make one chip, counted), linking to the first."""
        by_outlet: dict[str, dict[str, Any]] = {}
        for aid in dict.fromkeys(article_ids):
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
