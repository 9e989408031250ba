"""Pick a pair judge by name: ``offline`` (default), ``nli`` (a cross-encoder), ``chat`` (an endpoint).

Options are passed as keywords and go to that judge's options dataclass, e.g.
``get_judge("nli", model="cross-encoder/nli-deberta-v3-base")`` or
``get_judge("chat", base_url="http://127.0.0.1:8080/v1", model="qwen2.5-7b-instruct")``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from newsprism.verdicts.judges.base import Judge

JUDGES = ("offline", "nli", "chat")


def _options(cls: type, opts: dict[str, Any], judge: str) -> Any:
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(opts) - known)
    if unknown:
        raise ValueError(f"judge {judge!r} has no option(s) {unknown}; known: {sorted(known)}")
    return cls(**opts)


def get_judge(name: str | None = None, **opts: Any) -> Judge:
    """A judge by name (None -> ``offline``); models load lazily, on the first pair judged."""
    name = (name or "offline").lower()
    injected = {
        k: opts.pop(k) for k in ("encoder", "model", "client") if k in opts and not isinstance(opts[k], str)
    }
    if name == "offline":
        from newsprism.verdicts.judges.offline import OfflineJudge, OfflineJudgeOptions

        return OfflineJudge(_options(OfflineJudgeOptions, opts, name), **injected)
    if name == "nli":
        from newsprism.verdicts.judges.nli import NLIJudge, NLIJudgeOptions

        return NLIJudge(_options(NLIJudgeOptions, opts, name), **injected)
    if name == "chat":
        from newsprism.verdicts.judges.chat import ChatJudge, ChatJudgeOptions

        return ChatJudge(_options(ChatJudgeOptions, opts, name), **injected)
    raise ValueError(f"unknown judge {name!r}; choose one of {', '.join(JUDGES)}")
