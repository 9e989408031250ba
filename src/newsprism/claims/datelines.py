"""Where a sentence's body starts: after a dateline or a rubric, which name a place or a label and
are part of no claim."""

from __future__ import annotations

import re

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DASH = r"(?:>>|—|–|--?)"
# A capitalised dateline ("KYIV, Ukraine >> ", "ROME — ", "TOKYO—A ...") or a capitalised rubric or
# dateline ending in a colon ("THE BIGGER PICTURE: ", "NEW DELHI: "; one word, "NATO: ...", names a
# speaker).
_CAPITALS = re.compile(
    rf"^(?:[A-Z]{{2,}}[A-Za-z .,'’]{{0,30}}?\s*{_DASH}(?:\s+|(?=[A-Z]))"
    r"|[A-Z][A-Z'’.-]+(?: [A-Z'’.-]+){1,5}:\s+)"
)
# A place in title case is a dateline only with the date or the agency that mark one ("Ankara, May
# 29 – ", "Lahaina, Hawaii (Reuters) - "): "Erdogan – who won ..." opens a sentence with a name.
_PLACE = r"[A-Z][a-z’'.-]+(?: [A-Z][a-z’'.-]+){0,2}(?:, [A-Z][a-z’'.-]+(?: [A-Z][a-z’'.-]+)?)?"
_DATED = re.compile(
    rf"^{_PLACE}(?:,? {_MONTH} \d{{1,2}}(?:,? \d{{4}})?(?: \([A-Za-z .]{{2,30}}\))?"
    rf"| \((?:AP|AFP|Reuters|IANS|PTI|ANI|Xinhua|dpa|UPI|PA|Bloomberg|CNN|AA|Anadolu)\))\s*{_DASH}\s+"
)


def body_start(text: str) -> int:
    """Skip a leading dateline ("KYIV, Ukraine >> ", "Ankara, May 29 – ") or rubric ("THE BIGGER
    PICTURE: "): a place or a label, not part of any claim."""
    m = _CAPITALS.match(text) or _DATED.match(text)
    return m.end() if m else 0
