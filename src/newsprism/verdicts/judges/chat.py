"""An optional judge that asks an OpenAI-compatible chat endpoint (vLLM, llama.cpp server, Ollama,
a hosted API) for each pair's label, over plain HTTP with httpx.

The endpoint is told to answer with one JSON object; anything else (HTTP errors, timeouts, prose,
an unknown label) becomes an ``unjudged`` Judgement naming the problem, so one bad reply never
stops a run.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any

import httpx

from newsprism.verdicts.judges.base import LABELS, Judgement, unjudged

_SYSTEM = (
    "You are a careful fact-checking assistant. Given a PREMISE and a HYPOTHESIS, decide whether the "
    "premise entails the hypothesis (every fact in it is backed), contradicts it (some fact conflicts: a "
    "different number, name, negation or opposite), or is neutral (neither). Reply with one JSON object "
    'only: {"label": "entails"|"neutral"|"contradicts", "confidence": <0..1>, "reason": "<short>"}'
)
_SIM_SYSTEM = (
    "Rate how similar in meaning two sentences are, from 0 (unrelated) to 1 (same meaning). Reply with "
    'one JSON object only: {"similarity": <0..1>}'
)
_JSON = re.compile(r"\{.*\}", re.S)


@dataclass
class ChatJudgeOptions:
    base_url: str = "http://127.0.0.1:8000/v1"
    model: str = "default"
    api_key: str | None = None  # else $NEWSPRISM_CHAT_API_KEY, else none sent
    timeout: float = 60.0
    max_tokens: int = 200


class ChatJudge:
    """Judges pairs one request at a time; ``client`` may be injected (tests, proxies)."""

    name = "chat"

    def __init__(self, options: ChatJudgeOptions | None = None, client: httpx.Client | None = None) -> None:
        self.options = options or ChatJudgeOptions()
        self._client = client

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            key = self.options.api_key or os.environ.get("NEWSPRISM_CHAT_API_KEY")
            headers = {"Authorization": f"Bearer {key}"} if key else {}
            self._client = httpx.Client(timeout=self.options.timeout, headers=headers)
        return self._client

    def _ask(self, system: str, user: str) -> dict[str, Any]:
        url = self.options.base_url.rstrip("/") + "/chat/completions"
        body = {
            "model": self.options.model,
            "temperature": 0,
            "max_tokens": self.options.max_tokens,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
        }
        resp = self.client.post(url, json=body)
        resp.raise_for_status()
        content = resp.json()["choices"][0]["message"]["content"]
        match = _JSON.search(content or "")
        if not match:
            raise ValueError(f"reply is not JSON: {content[:80]!r}")
        return json.loads(match.group(0))

    def _judge_one(self, premise: str, hypothesis: str) -> Judgement:
        if not premise.strip() or not hypothesis.strip():
            return unjudged("empty premise or hypothesis")
        try:
            reply = self._ask(_SYSTEM, f"PREMISE: {premise}\nHYPOTHESIS: {hypothesis}")
            label = str(reply.get("label", "")).strip().lower()
            label = {"entailment": "entails", "contradiction": "contradicts"}.get(label, label)
            if label not in LABELS:
                return unjudged(f"chat endpoint gave unknown label {label!r}")
            conf = min(max(float(reply.get("confidence", 0.5)), 0.0), 1.0)
            return Judgement(
                label,
                conf,
                str(reply.get("reason", ""))[:500],
                {"endpoint": self.options.base_url, "model": self.options.model},
            )
        except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
            return unjudged(f"chat endpoint {self.options.base_url}: {type(exc).__name__}: {exc}")

    def judge(self, pairs: list[tuple[str, str]]) -> list[Judgement]:
        return [self._judge_one(a, b) for a, b in pairs]

    def similarity(self, pairs: list[tuple[str, str]]) -> list[float]:
        """Graded similarity in [0, 1]; a failed call gives 0.0."""
        out = []
        for a, b in pairs:
            try:
                reply = self._ask(_SIM_SYSTEM, f"SENTENCE 1: {a}\nSENTENCE 2: {b}")
                out.append(min(max(float(reply["similarity"]), 0.0), 1.0))
            except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError):
                out.append(0.0)
        return out
