"""Credit lines name the article's helpers; they are no claims about the story."""

from __future__ import annotations

import pytest

from newsprism.claims.extract import _is_claim


@pytest.mark.parametrize(
    "text",
    [
        "The Associated Press contributed to this report.",
        "Marc Walker reports contributed.",
        "Reuters contributed reporting from Washington and Kyiv.",
        "Associated Press writers Jane Doe and John Roe contributed to this story.",
        "Additional reporting by Jane Doe in London",
        "Reporting by Jane Doe; Editing by John Roe",
        "Editing by Jane Doe",
        "Contributing: Jane Doe, USA TODAY",
    ],
)
def test_credit_lines_are_not_claims(text: str) -> None:
    assert not _is_claim(text, 3)


@pytest.mark.parametrize(
    "text",
    [
        "Poor maintenance contributed to the crash, investigators said.",
        "Donors contributed $5 million to the relief fund.",
        "Several agencies contributed to the report, which found 40 deaths.",
        "Reporting rules changed in 2020.",
    ],
)
def test_facts_with_the_same_words_stay_claims(text: str) -> None:
    assert _is_claim(text, 3)
