"""Metadata inference for fields an input did not give: outlet, dateline, date.

Every inferred value carries an ``Origin`` so a user can tell what was read from what was guessed.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime, timezone
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from dateutil import parser as dateparser

from newsprism.model import Origin

# Credits that name the *publishing* outlet: a wire's own dateline tag or sign-off, a paper's
# "With Post wires". Credits for a contribution or a photo name someone else and never set the outlet.
_CREDIT_NAMES = {
    "ap": "Associated Press",
    "associated press": "Associated Press",
    "the associated press": "Associated Press",
    "reuters": "Reuters",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "upi": "UPI",
    "cnn": "CNN",
    "dpa": "dpa",
    "bloomberg": "Bloomberg",
    "ani": "ANI",
    "pti": "PTI",
    "efe": "EFE",
    "ansa": "ANSA",
    "xinhua": "Xinhua",
    "tass": "TASS",
    "yonhap": "Yonhap",
    "kyodo": "Kyodo",
}
_WIRE = r"(?:The )?Associated Press|AP|Reuters|AFP|Agence France-Presse|UPI|Bloomberg|dpa|Xinhua|TASS"
_PUBLISHER_TAIL: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (re.compile(r"(?m)^\s*With Post wires\.?\s*$"), "New York Post"),
    (re.compile(rf"(?:^|\s)(?:—|–|--?)\s*({_WIRE})\.?\s*$"), None),
    (re.compile(r"\bReporting by\b[^\n]{0,300}?\bEditing by\b[^\n]*$"), "Reuters"),
    (re.compile(r"\bCopyright \d{4} The Associated Press\b"), "Associated Press"),
    # A wire's name in capitals signing off the last sentence: "... since 1986. REUTERS".
    (re.compile(r"(?<=[.!?\"”’])\s+(REUTERS|AFP|AP|UPI|XINHUA|TASS)\s*$"), None),
    # "via AP" / "— via Reuters" closing a text: that wire's copy, carried by someone else.
    (re.compile(rf"(?:^|\n|\s(?:—|–|--?)\s*)via ({_WIRE})\.?\s*$", re.I), None),
)
_CONTRIBUTED = re.compile(rf"\b({_WIRE})(?: reporters?| writers?| staff)? contributed\b")
_PHOTO = re.compile(
    rf"\((?:[^()\n]{{0,120}}?\bvia |(?:{_WIRE}) Photo/)[^()\n]*\)|\((?:{_WIRE}) Photo\)"
    rf"|\b(?:REUTERS|AFP)/[A-Z][\w .-]{{1,40}}|\b(?:Getty Images|Shutterstock)\b"
)
# "KYIV, Ukraine >>", "ROME —", "KYIV –", "WASHINGTON (AP) —", "LONDON, June 3 (Reuters) -"
_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z .'\-]{1,40}?(?:,\s*[A-Z][A-Za-z .]{1,30}?)?)"
    r"(?:,\s*[A-Z][a-z]{2,8}\.? \d{1,2})?"
    r"(?:\s*\((?P<credit>[A-Za-z .\-]{2,30})\))?"
    r"\s*(?:>>|—|–|-{1,2}|:)\s+"
)
# Zone abbreviations news sites print; dateutil knows none of them but the machine's own.
_TZ_NAMES = {
    name: int(hours * 3600)
    for name, hours in (
        ("UTC", 0),
        ("GMT", 0),
        ("Z", 0),
        ("EST", -5),
        ("EDT", -4),
        ("CST", -6),
        ("CDT", -5),
        ("MST", -7),
        ("MDT", -6),
        ("PST", -8),
        ("PDT", -7),
        ("BST", 1),
        ("CET", 1),
        ("CEST", 2),
        ("EET", 2),
        ("EEST", 3),
        ("MSK", 3),
        ("IST", 5.5),
        ("JST", 9),
        ("AEST", 10),
        ("AEDT", 11),
    )
}
# All-caps labels that look like a dateline place but are not one ("BREAKING: ...").
_NOT_PLACES = frozenset(
    (
        "BREAKING",
        "BREAKING NEWS",
        "UPDATE",
        "UPDATED",
        "EXCLUSIVE",
        "WATCH",
        "LIVE",
        "NEW",
        "ANALYSIS",
        "OPINION",
        "EDITORIAL",
        "CORRECTION",
        "EDITOR'S NOTE",
        "FILE",
        "FILE PHOTO",
        "PHOTO",
        "VIDEO",
        "LISTEN",
        "READ MORE",
        "ADVERTISEMENT",
    )
)
_ISO_DATE = re.compile(r"\b(20\d\d|19\d\d)-(\d\d)-(\d\d)\b")
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# "Saturday, April 26, 2025", "April 26, 2025", "26 April 2025"
_LONG_DATE = re.compile(
    rf"\b(?:{_DAYS},?\s+)?(?:{_MONTHS}\s+\d{{1,2}},\s+\d{{4}}|\d{{1,2}}\s+{_MONTHS}\s+\d{{4}})\b"
)
# A paragraph that is only a date stamp: "Published April 26, 2025 10:32 AM EDT", "Updated: 2025-04-26".
_DATE_LINE = re.compile(r"^(?:(?:Published|Updated|Posted|Date)\s*:?\s*)?(?P<date>[\w ,:./+-]{6,60})$", re.I)
# Registrable domains (and hosts, for outlets living under a shared domain) with a known name. An
# unknown domain names itself ("kyiv-independent.com"): a title-cased fragment of it ("Uk", "Go",
# "Xhuffingtonpost") is a name no outlet uses.
_KNOWN_DOMAINS = {
    "apnews.com": "Associated Press",
    "ap.org": "Associated Press",
    "reuters.com": "Reuters",
    "bbc.co.uk": "BBC",
    "bbc.com": "BBC",
    "nypost.com": "New York Post",
    "cnn.com": "CNN",
    "nytimes.com": "The New York Times",
    "theguardian.com": "The Guardian",
    "guardian.co.uk": "The Guardian",
    "washingtonpost.com": "The Washington Post",
    "aljazeera.com": "Al Jazeera",
    "foxnews.com": "Fox News",
    "npr.org": "NPR",
    "huffingtonpost.com": "HuffPost",
    "huffingtonpost.co.uk": "HuffPost",
    "huffpost.com": "HuffPost",
    "abcnews.go.com": "ABC News",
    "abc.net.au": "ABC News (Australia)",
    "nbcnews.com": "NBC News",
    "cbsnews.com": "CBS News",
    "usatoday.com": "USA Today",
    "wsj.com": "The Wall Street Journal",
    "bloomberg.com": "Bloomberg",
    "latimes.com": "Los Angeles Times",
    "politico.com": "Politico",
    "independent.co.uk": "The Independent",
    "telegraph.co.uk": "The Telegraph",
    "dailymail.co.uk": "Daily Mail",
    "ft.com": "Financial Times",
    "afp.com": "AFP",
    "dw.com": "Deutsche Welle",
    "france24.com": "France 24",
    "kyivindependent.com": "The Kyiv Independent",
}
# Wires and outlets recognised on a line of their own in an article's header block.
_MASTHEADS = {name.lower(): name for name in _KNOWN_DOMAINS.values()} | _CREDIT_NAMES
_HEADER_FIELD = re.compile(
    r"^(?:Source|Publisher|Published by|Outlet|Site)\s*:\s*(?P<name>[^\n]{2,80}?)\s*$", re.I
)
# "By Jane Doe, Associated Press", "By JANE DOE | Reuters", "Jane Doe (AFP)"
_BYLINE_CREDIT = re.compile(
    r"^(?:By\s+)?[A-Z][\w.'\- ]{1,60}?(?:,|\||—|–|\bof\b|\()\s*(?:the\s+)?"
    r"(?P<name>[A-Z][\w .&'\-]{1,40}?)\)?\.?\s*$"
)


@dataclass(slots=True)
class Inferred:
    text: str
    fields: dict[str, tuple[object, Origin]] = field(default_factory=dict)
    extra: dict[str, object] = field(default_factory=dict)  # evidence, e.g. credits with their spans


def parse_datetime(value: str) -> datetime | None:
    """Parse a date string leniently; ``None`` when it is not a date. Naive results stay naive.

    Aware results get a fixed UTC offset: dateutil would otherwise hand back the machine's local
    zone for "UTC" or "+00:00" on a machine set to UTC, making stored values machine-dependent.
    """
    value = value.strip()
    if not value or len(value) > 100:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            # A zone name we do not know ("ET", which is EST or EDT by season) leaves the time
            # naive, as dateutil does; its warning would only reach the user's terminal as noise.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", dateparser.UnknownTimezoneWarning)
                parsed = dateparser.parse(value, fuzzy=False, tzinfos=_TZ_NAMES)
        except (ValueError, OverflowError, TypeError):
            return None
    if parsed is None or parsed.tzinfo is None:
        return parsed
    offset = parsed.utcoffset()
    if offset is None:
        return parsed.replace(tzinfo=None)
    return parsed.replace(tzinfo=UTC if not offset else timezone(offset))


@lru_cache(maxsize=1)
def _suffixes() -> Any:
    import tldextract

    # The public-suffix snapshot bundled in the wheel, never the network: no list URLs to fetch and
    # no cache directory (a fetched list would make a run's outlets depend on the day and network).
    # Private suffixes on: "someone.blogspot.com" is someone's site, not Blogspot's.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


def _host(url: str) -> str | None:
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    return host if host and "." in host else None


def registered_domain(url: str) -> str | None:
    """The registrable domain of ``url`` by the public suffix list ("news.bbc.co.uk" -> "bbc.co.uk")."""
    host = _host(url)
    if host is None:
        return None
    parts = _suffixes().extract_str(host)
    if parts.ipv4 or ":" in host or not parts.domain:
        return None  # an IP address, or a public suffix alone ("gov.uk")
    if not parts.suffix:
        # A top-level domain the list does not hold (reserved ones such as ".example", an intranet's
        # own): its last two labels, as for any single-label suffix.
        return ".".join(host.removeprefix("www.").split(".")[-2:])
    return f"{parts.domain}.{parts.suffix}"


def outlet_from_domain(domain: str, host: str | None = None) -> str:
    """The outlet's known name for a domain (or for its host, e.g. "abcnews.go.com"), else the
    domain itself."""
    if host:
        host = host.removeprefix("www.")
        if host in _KNOWN_DOMAINS:
            return _KNOWN_DOMAINS[host]
    return _KNOWN_DOMAINS.get(domain, domain)


def _credit_name(credit: str) -> str:
    credit = " ".join(credit.split())
    return _CREDIT_NAMES.get(credit.lower(), credit)


def wire_name(name: str) -> str | None:
    """The news agency ``name`` is ("the AP", "Agence France-Presse" -> "Associated Press", "AFP")."""
    return _CREDIT_NAMES.get(" ".join(name.split()).lower())


def find_credits(text: str) -> list[dict[str, object]]:
    """Every outlet credit in ``text`` with its role and character span, for evidence.

    Roles: ``publisher`` (dateline tag or sign-off: the text is that outlet's copy), ``contributed``
    (another outlet helped) and ``photo`` (an image credit, which says nothing about the text).
    """
    credits: list[dict[str, object]] = []
    for start, end in _paragraphs(text)[:3]:
        m = _DATELINE.match(text, start, end)
        if m and m.group("credit"):
            credits.append(
                {
                    "name": _credit_name(m.group("credit")),
                    "role": "publisher",
                    "span": [m.start("credit"), m.end("credit")],
                }
            )
            break
    tail_start = max(0, len(text) - 400)
    for pattern, name in _PUBLISHER_TAIL:
        m = pattern.search(text, tail_start)
        if m:
            credits.append(
                {"name": name or _credit_name(m.group(1)), "role": "publisher", "span": [m.start(), m.end()]}
            )
    for m in _CONTRIBUTED.finditer(text, max(0, len(text) - 1500)):
        credits.append(
            {"name": _credit_name(m.group(1)), "role": "contributed", "span": [m.start(), m.end()]}
        )
    photo_hints = ("via ", "Photo", "REUTERS/", "AFP/", "Getty", "Shutterstock")
    for m in _PHOTO.finditer(text) if any(h in text for h in photo_hints) else ():
        credits.append({"name": m.group(0).strip("()"), "role": "photo", "span": [m.start(), m.end()]})
    return credits


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for part in text.split("\n\n"):
        if part:
            spans.append((pos, pos + len(part)))
        pos += len(part) + 2
    return spans


def _infer_outlet(text: str, known: dict[str, object], out: Inferred) -> None:
    url = known.get("canonical_url") or known.get("url")
    if isinstance(url, str) and "outlet_domain" not in known:
        domain = registered_domain(url)
        if domain:
            out.fields["outlet_domain"] = (domain, Origin.URL)
            if "outlet" not in known:
                out.fields["outlet"] = (outlet_from_domain(domain, _host(url)), Origin.URL)
    credits = find_credits(text)
    if credits:
        out.extra["credits"] = credits
    if "outlet" in known or "outlet" in out.fields:
        return
    header = header_outlet(text)
    if header:
        out.fields["outlet"] = (header, Origin.HEADER)
        return
    publishers = [c for c in credits if c["role"] == "publisher"]
    if publishers:
        out.fields["outlet"] = (publishers[-1]["name"], Origin.CREDIT)


def _header_name(line: str) -> str | None:
    """The outlet a header line names: "Source: Reuters", a masthead alone ("REUTERS"), or a byline
    credit ("By Jane Doe, Associated Press"); None for any other line."""
    line = " ".join(line.split())
    if len(line) > 100:
        return None
    m = _HEADER_FIELD.match(line)
    if m:
        return _credit_name(m.group("name"))
    if line.lower().strip(" .") in _MASTHEADS:
        return _MASTHEADS[line.lower().strip(" .")]
    m = _BYLINE_CREDIT.match(line)
    if m and m.group("name").lower() in _MASTHEADS:
        return _MASTHEADS[m.group("name").lower()]
    return None


def header_outlet(text: str) -> str | None:
    """The outlet named in the header block: the short lines before the body (title, byline, date)."""
    for start, end in _paragraphs(text)[:4]:
        if end - start > 100:
            break  # the body has begun
        for line in text[start:end].split("\n"):
            name = _header_name(line)
            if name:
                return name
    return None


def _infer_dateline(text: str, known: dict[str, object], out: Inferred) -> None:
    if "dateline" in known:
        return
    for start, end in _paragraphs(text)[:3]:
        m = _DATELINE.match(text, start, end)
        place = m.group("place").strip(" ,") if m else ""
        if len(place) >= 3 and place.split(",")[0] not in _NOT_PLACES:
            out.fields["dateline"] = (place, Origin.DATELINE)
            return


def _date_in(paragraph: str) -> datetime | None:
    m = _ISO_DATE.search(paragraph)
    if m:
        try:
            return datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=UTC)
        except ValueError:
            pass
    m = _LONG_DATE.search(paragraph)
    parsed = parse_datetime(m.group(0)) if m else None
    return parsed.replace(tzinfo=UTC) if parsed and parsed.tzinfo is None else parsed


def _is_caption(paragraph: str) -> bool:
    return bool(_PHOTO.search(paragraph)) or paragraph.lstrip().lower().startswith("date ")


def _infer_date(text: str, known: dict[str, object], out: Inferred) -> None:
    """A date from a photo caption or a date stamp near the top; never from the story's body."""
    if "published" in known:
        return
    for start, end in _paragraphs(text)[:3]:
        para = text[start:end]
        if _is_caption(para[:600]):
            found = _date_in(para[:600])
            if found:
                out.fields["published"] = (found, Origin.CAPTION)
                return
        stamp = _DATE_LINE.match(para) if len(para) <= 80 else None
        if stamp and any(ch.isdigit() for ch in para):
            found = _date_in(para) or parse_datetime(stamp.group("date"))
            if found:
                out.fields["published"] = (found, Origin.TEXT)
                return


def _infer_title(text: str, known: dict[str, object], out: Inferred) -> None:
    if "title" in known or "\n\n" not in text:
        return
    first = text.split("\n\n", 1)[0].strip()
    if (
        _header_name(first)
        or len(first) > 160
        or first.endswith((".", "”", '"', ")"))
        or _DATELINE.match(first)
        or _is_caption(first)
    ):
        return
    if "published" in out.fields and out.fields["published"][1] is Origin.TEXT and _DATE_LINE.match(first):
        return
    out.fields["title"] = (first, Origin.FIRST_LINE)


def infer_metadata(text: str, known: dict[str, object]) -> Inferred:
    """Infer outlet, outlet domain, dateline, date and title from the URL and the text.

    Language is left to the input: no installed detector is both light and reliable on news.
    """
    out = Inferred(text=text)
    _infer_outlet(text, known, out)
    _infer_dateline(text, known, out)
    _infer_date(text, known, out)
    _infer_title(text, known, out)
    return out
