"""Credit lines: who helped write the article, not what happened.

    The Associated Press contributed to this report.
    Marc Walker reports contributed.
    Reporting by Jane Doe in London; Editing by John Roe

Such a line has a verb and a subject, so it reads as a claim in the outlet's voice; two outlets that
both ran wire copy would then "corroborate" the credit. Only the fixed phrasings of a credit match:
"contributed to the crash" or "donors contributed $5 million" state facts and stay claims.
"""

from __future__ import annotations

import re

# A place the helpers reported from may follow the credit ("... contributed from Washington.").
_FROM_PLACE = r"(?:\s+(?:from|in)\s+[A-Z][\w’'.-]*(?:[\s,]+(?:and\s+)?[A-Z][\w’'.-]*)*)?"
_CREDIT = re.compile(
    # "Reporting by X; Editing by Y", "Additional reporting by X", "Contributing: X", "Compiled by X"
    r"^\W*(?:(?:additional|further|contributing|extra)\s+)?"
    r"(?:reporting|editing|writing|research|translation|compiled|contributing(?:\s+(?:reporters?|writers?|editors?))?)"
    r"(?:\s+by\b|\s*:)"
    # "X contributed to this report", "X contributed reporting (from Y)", "X contributes additional reporting"
    r"|\bcontribut(?:ed|es|ing)\s+(?:(?:additional\s+|further\s+)?(?:reporting|research|writing)"
    rf"|to\s+this\s+(?:report|story|article|coverage)){_FROM_PLACE}\W*$"
    # "Marc Walker reports contributed.", "Reporting contributed from Paris."
    rf"|\b(?:reports?|reporting)\s+contributed{_FROM_PLACE}\W*$",
    re.IGNORECASE,
)


def is_credit_line(content: str) -> bool:
    """``content`` credits the article's reporters or editors rather than stating a fact."""
    return _CREDIT.search(content) is not None
