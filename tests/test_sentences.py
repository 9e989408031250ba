"""The sentence splitter on hand-checked news sentences, and its span invariants."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.sentences import split_sentences
from newsprism.text import normalize, paragraph_spans

DATA = Path(__file__).parent / "data" / "sentences"


def _cases(name: str) -> list[dict]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("name", ["news_sentences.json", "news_sentences_heldout.json"])
def test_gold_sets_are_well_formed(name: str) -> None:
    cases = _cases(name)
    assert all(len(c["sentences"]) >= 2 or c["tag"] == "plain" for c in cases)
    assert all(s == s.strip() and "\n" not in s for c in cases for s in c["sentences"])


def test_gold_set_has_at_least_sixty_sentences() -> None:
    assert sum(len(c["sentences"]) for c in _cases("news_sentences.json")) >= 60


@pytest.mark.parametrize("name", ["news_sentences.json", "news_sentences_heldout.json"])
def test_splitter_on_hand_checked_news(name: str) -> None:
    cases = _cases(name)
    wrong = []
    for case in cases:
        text = " ".join(case["sentences"])
        got = [s.text(text) for s in split_sentences(text)]
        if got != case["sentences"]:
            wrong.append((case["tag"], got))
    # The rule splitter gets all but the truly ambiguous "by the U.S. Moscow ..." right (see
    # docs/sentence-splitting.md); more than one miss per set is a regression.
    assert len(wrong) <= 1, wrong


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gen. Smith spoke. Mr. Jones left.", ["Gen. Smith spoke.", "Mr. Jones left."]),
        (
            "“Why now?” the minister asked. Nobody answered.",
            ["“Why now?” the minister asked.", "Nobody answered."],
        ),
        ("“Stop!” Trump wrote. It was shared.", ["“Stop!” Trump wrote.", "It was shared."]),
        ("Polls close at 8 p.m. Results come later.", ["Polls close at 8 p.m.", "Results come later."]),
        ("It rose 1.5 percent. Then fell.", ["It rose 1.5 percent.", "Then fell."]),
        ("The talks stalled… Then they resumed.", ["The talks stalled…", "Then they resumed."]),
    ],
)
def test_specific_boundaries(text: str, expected: list[str]) -> None:
    assert [s.text(text) for s in split_sentences(text)] == expected


def _check_invariants(text: str) -> None:
    paragraphs = paragraph_spans(text)
    spans = split_sentences(text, paragraphs)
    for span in spans:
        assert span.text(text).strip() == span.text(text) and len(span) > 0
        assert any(p.start <= span.start and span.end <= p.end for p in paragraphs), "crosses a paragraph"
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.end <= b.start and text[a.end : b.start].strip() == ""
    covered = "".join(s.text(text) for s in spans)
    assert "".join(covered.split()) == "".join(text.split()), "text outside every sentence"


_NEWSY = st.lists(
    st.sampled_from(
        list("abcXYZ .!?…,“”\"'()-—\n") + ["Gen.", "U.S.", "Mr.", " said", "1.5", "p.m.", "eBay"]
    ),
    max_size=120,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_NEWSY)
def test_spans_cover_text_and_respect_paragraphs(raw: str) -> None:
    _check_invariants(normalize(raw))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400))
def test_spans_on_arbitrary_unicode(raw: str) -> None:
    _check_invariants(normalize(raw))


def test_invariants_on_kursk(kursk_dir: Path) -> None:
    for path in sorted(kursk_dir.glob("*.txt")):
        _check_invariants(normalize(path.read_text(encoding="utf-8")))
