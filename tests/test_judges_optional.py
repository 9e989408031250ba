"""The optional judges: a cross-encoder NLI judge (tiny fake model) and a chat-endpoint judge (a local
fake OpenAI-compatible server on 127.0.0.1). Neither needs a network."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import SimpleNamespace

import numpy as np
import pytest

from newsprism.verdicts.judges import get_judge
from newsprism.verdicts.judges.chat import ChatJudge, ChatJudgeOptions
from newsprism.verdicts.judges.nli import NLIJudge, label_order


class FakeCrossEncoder:
    """Columns in the order (contradiction, entailment, neutral), as some hub NLI models have it."""

    config = SimpleNamespace(id2label={0: "CONTRADICTION", 1: "ENTAILMENT", 2: "NEUTRAL"})

    def __init__(self) -> None:
        self.seen: list = []

    def predict(self, pairs, batch_size=32, show_progress_bar=False):
        self.seen.extend(pairs)
        rows = []
        for a, b in pairs:
            if "not" in b.split():
                rows.append([5.0, 0.0, 0.0])
            elif set(b.split()) <= set(a.split()):
                rows.append([0.0, 5.0, 0.0])
            else:
                rows.append([0.0, 0.0, 5.0])
        return np.array(rows)


def test_nli_label_order_read_from_config():
    assert label_order(FakeCrossEncoder()) == ["contradicts", "entails", "neutral"]
    with pytest.raises(ValueError, match="cannot map"):
        label_order(SimpleNamespace(config=SimpleNamespace(id2label={0: "LABEL_0"})))


def test_nli_judge_maps_columns_and_skips_empty():
    fake = FakeCrossEncoder()
    judge = NLIJudge(model=fake)
    out = judge.judge(
        [
            ("troops left the city", "troops left"),
            ("troops left", "troops did not leave"),
            ("troops left", "tanks arrived"),
            ("", "x"),
        ]
    )
    assert [j.label for j in out] == ["entails", "contradicts", "neutral", "neutral"]
    assert out[0].features["p_entails"] > 0.9 and out[3].score == 0.0
    assert len(fake.seen) == 3  # the empty pair never reached the model
    sim = judge.similarity([("a b", "a b"), ("a b", "c")])
    assert sim[0] > 0.9 and sim[1] < 0.1


def test_nli_judge_via_registry_with_injected_model():
    judge = get_judge("nli", model=FakeCrossEncoder())
    assert judge.judge([("a b", "a")])[0].label == "entails"


class _Handler(BaseHTTPRequestHandler):
    replies: list = []
    requests: list = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append((self.path, body, self.headers.get("Authorization")))
        status, content = type(self).replies.pop(0)
        payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def chat_server():
    server = HTTPServer(("127.0.0.1", 0), _Handler)
    _Handler.replies, _Handler.requests = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/v1", _Handler
    server.shutdown()
    server.server_close()


def test_chat_judge_parses_replies_and_survives_bad_ones(chat_server):
    url, handler = chat_server
    handler.replies = [
        (200, 'Sure! {"label": "contradicts", "confidence": 0.9, "reason": "14,000 vs 12,000"}'),
        (200, "I think they agree."),
        (500, "boom"),
        (200, '{"label": "maybe", "confidence": 1}'),
    ]
    judge = ChatJudge(ChatJudgeOptions(base_url=url, model="tiny", api_key="k"))
    out = judge.judge([("p1", "h1"), ("p2", "h2"), ("p3", "h3"), ("p4", "h4"), ("", "h5")])
    assert out[0].label == "contradicts" and out[0].score == 0.9 and "14,000" in out[0].reason
    assert [j.score for j in out[1:]] == [0.0] * 4
    assert (
        "not JSON" in out[1].reason
        and "HTTPStatusError" in out[2].reason
        and "unknown label" in out[3].reason
    )
    path, body, auth = handler.requests[0]
    assert path == "/v1/chat/completions" and body["model"] == "tiny" and auth == "Bearer k"
    assert "PREMISE: p1" in body["messages"][1]["content"] and len(handler.requests) == 4


def test_chat_similarity(chat_server):
    url, handler = chat_server
    handler.replies = [(200, '{"similarity": 0.8}'), (200, '{"similarity": 7}'), (200, "nope")]
    judge = get_judge("chat", base_url=url)
    assert judge.similarity([("a", "b"), ("c", "d"), ("e", "f")]) == [0.8, 1.0, 0.0]


def test_chat_unreachable_endpoint_is_reported():
    judge = ChatJudge(ChatJudgeOptions(base_url="http://127.0.0.1:9/v1", timeout=2))
    j = judge.judge([("a", "b")])[0]
    assert j.label == "neutral" and "127.0.0.1:9" in j.reason
