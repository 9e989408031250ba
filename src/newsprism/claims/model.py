"""Claims and their slots. Every slot keeps its own span into ``Article.text`` so any value a verdict
compares can be shown exactly where the outlet printed it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newsprism.model import Span

STANCES = ("asserts", "claims", "denies", "confirms", "disputes")
OUTLET = "outlet"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit or head noun: ``low``..``high`` in the printed unit, ``si_*`` converted."""

    span: Span
    text: str
    low: float
    high: float
    approx: bool = False
    unit: str | None = None  # canonical unit ("km2", "min", "%", "usd") when the number has one
    head: str | None = None  # canonical head noun for counts ("troop", "drone")
    qualifiers: tuple[str, ...] = ()
    dimension: str = "count"
    si_low: float = 0.0
    si_high: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "span": self.span.to_list(),
            "text": self.text,
            "low": self.low,
            "high": self.high,
            "approx": self.approx,
            "unit": self.unit,
            "head": self.head,
            "qualifiers": list(self.qualifiers),
            "dimension": self.dimension,
        }


@dataclass(frozen=True, slots=True)
class TimeRef:
    """A time expression; ``start``/``end`` are ISO dates when resolved against the article date."""

    span: Span
    text: str
    kind: str  # date | month | year | weekday | relative | season | part
    start: str | None = None
    end: str | None = None
    key: str | None = None  # comparable form when unresolved ("weekday:5", "season:autumn")

    def to_dict(self) -> dict[str, Any]:
        return {
            "span": self.span.to_list(),
            "text": self.text,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "key": self.key,
        }


@dataclass(frozen=True, slots=True)
class Entity:
    span: Span
    text: str
    label: str  # PERSON | ORG | GPE | LOC | NORP | FAC | EVENT
    key: str  # normalised for matching ("peskov", "russia")

    @property
    def is_place(self) -> bool:
        return self.label in ("GPE", "LOC", "FAC")

    def to_dict(self) -> dict[str, Any]:
        return {"span": self.span.to_list(), "text": self.text, "label": self.label, "key": self.key}


@dataclass(frozen=True, slots=True)
class Quote:
    span: Span  # the quoted words, without the quote marks
    text: str
    speaker: str | None = None
    speaker_span: Span | None = None
    closed: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "span": self.span.to_list(),
            "text": self.text,
            "speaker": self.speaker,
            "speaker_span": self.speaker_span.to_list() if self.speaker_span else None,
            "closed": self.closed,
        }


@dataclass(frozen=True, slots=True)
class Marker:
    """A negation or hedge cue."""

    span: Span
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"span": self.span.to_list(), "text": self.text}


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who asserts a claim: ``kind`` is person/organisation/country/officials/outlet; ``actor`` is the
    side the source speaks for (a country when one is named or implied), used for actor disputes."""

    source: str
    kind: str
    stance: str
    verb: str | None = None
    source_span: Span | None = None
    verb_span: Span | None = None
    actor: str | None = None
    person: str | None = None  # surname key when the source names a person

    @property
    def is_outlet(self) -> bool:
        return self.kind == OUTLET

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind,
            "stance": self.stance,
            "verb": self.verb,
            "source_span": self.source_span.to_list() if self.source_span else None,
            "verb_span": self.verb_span.to_list() if self.verb_span else None,
            "actor": self.actor,
            "person": self.person,
        }


@dataclass(frozen=True, slots=True)
class Claim:
    """One fact-bearing clause. ``span`` covers the clause; ``content_span`` the part stating the fact
    (without the attribution). ``response_to`` names the claim an anaphoric denial answers."""

    id: str
    article_id: str
    sentence_index: int
    span: Span
    content_span: Span
    text: str
    attribution: Attribution
    quantities: tuple[Quantity, ...] = ()
    times: tuple[TimeRef, ...] = ()
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    negations: tuple[Marker, ...] = ()
    hedges: tuple[Marker, ...] = ()
    response_to: str | None = None
    response_candidates: tuple[str, ...] = ()

    @property
    def negated(self) -> bool:
        return bool(self.negations)

    @property
    def places(self) -> tuple[Entity, ...]:
        return tuple(e for e in self.entities if e.is_place)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article_id": self.article_id,
            "sentence_index": self.sentence_index,
            "span": self.span.to_list(),
            "content_span": self.content_span.to_list(),
            "text": self.text,
            "attribution": self.attribution.to_dict(),
            "quantities": [q.to_dict() for q in self.quantities],
            "times": [t.to_dict() for t in self.times],
            "entities": [e.to_dict() for e in self.entities],
            "quotes": [q.to_dict() for q in self.quotes],
            "negated": self.negated,
            "negations": [m.to_dict() for m in self.negations],
            "hedges": [m.to_dict() for m in self.hedges],
            "response_to": self.response_to,
            "response_candidates": list(self.response_candidates),
        }


@dataclass
class ClaimsResult:
    """The ``claims`` layer: claims per article, per-article errors, and model timings."""

    claims: dict[str, list[Claim]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def all(self) -> list[Claim]:
        return [c for cs in self.claims.values() for c in cs]

    def by_id(self) -> dict[str, Claim]:
        return {c.id: c for c in self.all()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_claims": sum(len(v) for v in self.claims.values()),
            "articles": {aid: [c.to_dict() for c in cs] for aid, cs in self.claims.items()},
            "errors": dict(self.errors),
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
        }
