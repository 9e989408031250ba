"""Pairwise judges: does one text back, contradict or say nothing about another?

``get_judge(name)`` returns the offline default (MiniLM features + a small fitted model), an optional
cross-encoder NLI judge, or an optional OpenAI-compatible chat-endpoint judge; all follow ``Judge``.
"""

from newsprism.verdicts.judges.base import LABELS, Judge, Judgement
from newsprism.verdicts.judges.registry import get_judge

__all__ = ["LABELS", "Judge", "Judgement", "get_judge"]
