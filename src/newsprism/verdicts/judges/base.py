"""The pair-judge contract: given (premise, hypothesis) pairs, say whether the first backs the second.

Every judge returns one ``Judgement`` per pair, in order, and a graded similarity in [0, 1]. A
judge that cannot judge a pair (empty text, a failed endpoint call) still returns a Judgement for it:
label ``neutral``, score 0 and the reason, so one bad pair never sinks a batch.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Protocol, runtime_checkable

LABELS = ("entails", "neutral", "contradicts")


@dataclass(frozen=True)
class Judgement:
    """``label`` of hypothesis given premise; ``score`` the judge's confidence in that label (0-1);
    ``reason`` a short human-readable why; ``features`` the evidence (probabilities, compared values)."""

    label: str
    score: float
    reason: str = ""
    features: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.label not in LABELS:
            raise ValueError(f"label must be one of {LABELS}, got {self.label!r}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def unjudged(reason: str) -> Judgement:
    """The Judgement for a pair the judge could not assess."""
    return Judgement("neutral", 0.0, reason, {"error": reason})


@runtime_checkable
class Judge(Protocol):
    """Judges (premise, hypothesis) pairs. ``similarity`` is symmetric and graded in [0, 1]."""

    name: str

    def judge(self, pairs: list[tuple[str, str]]) -> list[Judgement]: ...

    def similarity(self, pairs: list[tuple[str, str]]) -> list[float]: ...
