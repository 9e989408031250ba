"""Metadata inference for fields an input did not give: outlet, dateline, date.

Every inferred value carries an ``Origin`` so a user can tell what was read from what was guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from dateutil import parser as dateparser

from newsprism.model import Origin

# Wire credit -> outlet name. Matched at the end of the text or in a caption credit.
_WIRE_CREDITS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bWith Post wires\b", re.I), "New York Post"),
    (re.compile(r"\(AP\)|\bvia AP\)|\bAssociated Press\b"), "Associated Press"),
    (re.compile(r"\(Reuters\)|\bReporting by\b.*\bEditing by\b", re.S), "Reuters"),
    (re.compile(r"\(AFP\)|\bAgence France-Presse\b"), "AFP"),
    (re.compile(r"\(UPI\)"), "UPI"),
)
# "KYIV, Ukraine >>", "ROME —", "KYIV –", "WASHINGTON (AP) —", "LONDON, June 3 (Reuters) -"
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .'\-]{1,40}?(?:,\s*[A-Z][A-Za-z .]{1,30}?)?)"
    r"(?:,\s*[A-Z][a-z]{2,8}\.? \d{1,2})?"
    r"(?:\s*\((?P<credit>[A-Za-z .]{2,30})\))?"
    r"\s*(?:>>|—|–|-{1,2}|:)\s+"
)
_ISO_DATE = re.compile(r"\b(20\d\d|19\d\d)-(\d\d)-(\d\d)\b")
_LONG_DATE = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{1,2},\s+\d{4}\b"
)
_KNOWN_DOMAINS = {
    "apnews.com": "Associated Press", "reuters.com": "Reuters", "bbc.co.uk": "BBC", "bbc.com": "BBC",
    "nypost.com": "New York Post", "cnn.com": "CNN", "nytimes.com": "The New York Times",
    "theguardian.com": "The Guardian", "washingtonpost.com": "The Washington Post",
    "aljazeera.com": "Al Jazeera", "foxnews.com": "Fox News", "npr.org": "NPR",
}
_TWO_LEVEL_SUFFIXES = {"co.uk", "com.au", "co.jp", "co.nz", "com.br", "co.in", "org.uk", "ac.uk", "gov.uk"}


@dataclass(slots=True)
class Inferred:
    text: str
    fields: dict[str, tuple[object, Origin]] = field(default_factory=dict)


def parse_datetime(value: str) -> datetime | None:
    """Parse a date string leniently; ``None`` when it is not a date. Naive results stay naive."""
    value = value.strip()
    if not value or len(value) > 100:
        return None
    try:
        return dateparser.parse(value, fuzzy=False)
    except (ValueError, OverflowError, TypeError):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None


def registered_domain(url: str) -> str | None:
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    host = host.removeprefix("www.")
    parts = host.split(".")
    keep = 3 if ".".join(parts[-2:]) in _TWO_LEVEL_SUFFIXES else 2
    return ".".join(parts[-keep:])


def outlet_from_domain(domain: str) -> str:
    if domain in _KNOWN_DOMAINS:
        return _KNOWN_DOMAINS[domain]
    return domain.split(".")[0].replace("-", " ").title()


def _infer_outlet(text: str, known: dict[str, object], out: Inferred) -> None:
    url = known.get("canonical_url") or known.get("url")
    if isinstance(url, str) and "outlet_domain" not in known:
        domain = registered_domain(url)
        if domain:
            out.fields["outlet_domain"] = (domain, Origin.URL)
            if "outlet" not in known:
                out.fields["outlet"] = (outlet_from_domain(domain), Origin.URL)
    if "outlet" in known or "outlet" in out.fields:
        return
    tail = text[-300:]
    for pattern, name in _WIRE_CREDITS:
        if pattern.search(tail):
            out.fields["outlet"] = (name, Origin.CREDIT)
            return


def _infer_dateline(text: str, known: dict[str, object], out: Inferred) -> None:
    if "dateline" in known:
        return
    for para in text.split("\n\n")[:3]:
        m = _DATELINE.match(para)
        if m and len(m.group("place").strip()) >= 3:
            out.fields["dateline"] = (m.group("place").strip(" ,"), Origin.DATELINE)
            return


def _infer_date(text: str, known: dict[str, object], out: Inferred) -> None:
    if "published" in known:
        return
    head = text.split("\n\n", 1)[0][:600]
    m = _ISO_DATE.search(head)
    if m:
        try:
            out.fields["published"] = (datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=UTC), Origin.CAPTION)
            return
        except ValueError:
            pass
    m = _LONG_DATE.search(head)
    if m:
        parsed = parse_datetime(m.group(0))
        if parsed:
            out.fields["published"] = (parsed.replace(tzinfo=UTC), Origin.CAPTION)


def infer_metadata(text: str, known: dict[str, object]) -> Inferred:
    """Infer outlet, outlet domain, dateline and date from the URL and the text."""
    out = Inferred(text=text)
    _infer_outlet(text, known, out)
    _infer_dateline(text, known, out)
    _infer_date(text, known, out)
    if "title" not in known:
        first = text.split("\n\n", 1)[0]
        if len(first) <= 160 and not first.rstrip().endswith((".", "”", '"')) and "\n\n" in text:
            out.fields["title"] = (first.strip(), Origin.FIRST_LINE)
    return out
