"""How many independent original sources stand behind a fact, and which one when there is only one.

Two things make reports not independent. Copies: reprints and rewrites of one wire story are one
report (the reuse layer's groups). Attribution: ten outlets quoting the same spokesperson have one
source, the spokesperson, however independently they reported. So a fact's sources are the distinct
primary sources its claims are attributed to, plus one per independent report that states it in its
own voice. "5 outlets, 1 original source: X" is the product's answer to "who actually says this?".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from newsprism.claims.actors import countries_in, country_of, person_key
from newsprism.claims.model import Claim

# Words that name what kind of source someone is; "her publicist" and "publicist Harlan Boll" share
# the role, so a nameless role is taken to be the named one of the same role in the same fact.
_ROLE = re.compile(
    r"\b(publicist|spokes(?:wo)?man|spokesperson|representative|rep|lawyer|attorney|agent|manager|"
    r"police|sheriff|coroner|prosecutors?|governor|mayor|ministry|military|army|commander|president|judge|"
    r"family|officials?|authorities|company|firm|statement)\b",
    re.IGNORECASE,
)
_DETERMINERS = re.compile(r"^(?:the|a|an|his|her|their|its|our)\s+", re.IGNORECASE)
# Nameless sources that are one institution whatever the outlet calls it: "weather officials",
# "forecasters" and "the provincial weather service" are the one weather service of the story.
_INSTITUTIONS = (
    (re.compile(r"\b(?:weather|forecasters?|meteorolog\w*|met office)\b"), "weather service"),
    (
        re.compile(r"\b(?:fire ?fighters?|fire (?:department|service|officials?|brigade|crews?))\b"),
        "fire service",
    ),
    (re.compile(r"\b(?:prosecutors?|prosecution|district attorney(?:['’]s office)?)\b"), "prosecution"),
    (re.compile(r"\b(?:coroner|medical examiner)(?:['’]s office)?\b"), "coroner"),
)
_NAMELESS = frozenset(
    {
        "officials",
        "authorities",
        "sources",
        "source",
        "analysts",
        "experts",
        "reports",
        "others",
        "some",
        "many",
        "critics",
        "residents",
        "witnesses",
        "locals",
        "people",
        "survivors",
        "observers",
    }
)
# Who speaks for a body without a name of their own: "a spokesperson for the army", "an army
# spokesperson", "a health ministry official", "the ministry's press office" are the body itself.
# Not "officials": several unnamed people, whose words are no one body's statement.
_MOUTHPIECE = (
    r"(?:(?:chief|senior|deputy|military|official)\s+)?"
    r"(?P<role>spokes\w+|press (?:office|service)|representatives?|official)"
)
_MOUTHPIECE_MODIFIERS = frozenset({"chief", "senior", "deputy", "military", "official"})
_FOR_BODY = re.compile(rf"^{_MOUTHPIECE}\s+(?:for|of|from|at)\s+(?P<body>.+)$", re.IGNORECASE)
_BODY_FOR = re.compile(rf"^(?P<body>.+?)(?:['’]s)?\s+{_MOUTHPIECE}$", re.IGNORECASE)
# A country's armed forces speak for its state, as its seats of government do in the country table
# ("the IDF", "the Kremlin"): "the Israeli military", "Israel Defense Forces", "Ukraine's army".
_MILITARY = re.compile(
    r"^(?:military|army|armed forces|(?:defen[cs]e )?forces?|navy|air force|"
    r"(?:national )?(?:defen[cs]e|self-defen[cs]e) forces?)$"
)
_PARENTHESIS = re.compile(r"\s*\([^)]*\)")


@dataclass(frozen=True, slots=True)
class SourceCount:
    """``sources``: independent original sources; ``reports``: independent reports (copies once);
    ``origin``: the one primary source every claim is attributed to, when there is one."""

    sources: int
    reports: int
    origin: str | None
    outlets: int

    def describe(self) -> str:
        base = f"{self.outlets} outlet{'s' * (self.outlets != 1)}"
        if self.reports != self.outlets:
            base += f" ({self.reports} independent report{'s' * (self.reports != 1)})"
        if self.origin:
            return f"{base}, 1 original source: {self.origin}"
        return f"{base}, {self.sources} independent source{'s' * (self.sources != 1)}"


def _role(text: str) -> str | None:
    m = _ROLE.search(text)
    return m.group(1).lower() if m else None


def source_key(c: Claim) -> str | None:
    """Who a claim is attributed to, as a comparable key; None for the outlet's own voice or a source
    too vague to be one primary source ("officials", "he" unresolved)."""
    a = c.attribution
    if a.is_outlet:
        return None
    if a.person:
        return f"person:{a.person}"
    return _body_key(a.source, a.actor)


def _body_key(source: str, actor: str | None) -> str | None:
    text = body_name(source).lower()
    if not text or text in ("he", "she", "they", "it", "we", "i"):
        return None
    country = country_of(text) or _military_of(text)
    if country:
        return f"country:{country.lower()}"
    if text in _NAMELESS:
        return f"vague:{actor.lower()}" if actor else None
    institution = next((name for pattern, name in _INSTITUTIONS if pattern.search(text)), None)
    if institution:
        return f"body:{(actor or '').lower()}:{institution}"
    return f"body:{(actor or '').lower()}:{_body_head(text)}"


def body_name(source: str) -> str:
    """The body a source names, with its capitals: without determiner, possessive, a bracketed
    acronym, or a nameless spokesperson speaking for it ("a spokesperson for the Israel Defense
    Forces (IDF)" -> "Israel Defense Forces")."""
    text = _PARENTHESIS.sub("", source.strip())
    text = _DETERMINERS.sub("", text)
    m = _FOR_BODY.match(text) or _BODY_FOR.match(text)
    body = _DETERMINERS.sub("", m.group("body").strip()) if m else ""
    # An unnamed official of a whole country ("a US official") is not its government's statement.
    official = m is not None and m.group("role").lower() == "official"
    bare = " ".join(w for w in body.split() if w.lower() not in _MOUTHPIECE_MODIFIERS)
    if bare and not (official and country_of(bare)):
        text = body
    return re.sub(r"['’]s\b", "", text).strip()


def _military_of(text: str) -> str | None:
    """The country whose armed forces ``text`` names, if it names nothing else."""
    found = countries_in(text)
    if len({c for c, _, _ in found}) != 1:
        return None
    rest = text
    for _, a, b in reversed(found):
        rest = rest[:a] + rest[b:]
    rest = re.sub(r"\b(?:of|the)\b", " ", rest)
    return found[0][0] if _MILITARY.match(" ".join(rest.split())) else None


def _body_head(text: str) -> str:
    """The body a source names, without the country it belongs to: "Ukraine's General Staff" and
    "the General Staff of the Armed Forces of Ukraine" are one body of one side."""
    head = re.split(r"\s+(?:of|for|in|at|on)\s+", text, maxsplit=1)[0]
    words = [w for w in head.split() if not country_of(w)]
    return " ".join(words) or text


def _merge_roles(keys: dict[str, str], claims: Sequence[Claim]) -> dict[str, str]:
    """Map a nameless role ("her publicist") onto the one named source with that role in the fact."""
    named_roles: dict[str, set[str]] = {}
    for c in claims:
        k = keys.get(c.id)
        if k and k.startswith("person:"):
            r = _role(c.attribution.source)
            if r:
                named_roles.setdefault(r, set()).add(k)
    out = dict(keys)
    for c in claims:
        k = keys.get(c.id)
        if k and not k.startswith("person:"):
            r = _role(c.attribution.source)
            if r and len(named_roles.get(r, ())) == 1:
                out[c.id] = next(iter(named_roles[r]))
    return out


def _merge_names(keys: dict[str, str], claims: Sequence[Claim]) -> dict[str, str]:
    """One named body read as a person in one article and as an organisation in another ("Skarnvale
    Hydro denies" tagged a person, "the company said" resolved to the organisation): one source."""
    people = {k.removeprefix("person:") for k in keys.values() if k.startswith("person:")}
    out = dict(keys)
    for c in claims:
        k = keys.get(c.id)
        name = c.attribution.source
        if k and k.startswith("body::") and name[:1].isupper() and person_key(name) in people:
            out[c.id] = f"person:{person_key(name)}"
    return out


_ACRONYM = re.compile(r"^[A-Z]{2,6}$")
_BRACKETED_ACRONYM = re.compile(r"\(([A-Z]{2,6})\)")
_MINOR_WORDS = frozenset({"of", "and", "for", "the", "&", "on", "in", "to"})


def _initials(name: str) -> str | None:
    """ "Customs and Border Protection" -> "CBP": the acronym a capitalised name of several words makes."""
    words = [w for w in name.replace("-", " ").split() if w.lower() not in _MINOR_WORDS]
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return None
    return "".join(w[0] for w in words).upper()


def _acronyms(keys: dict[str, str], claims: Sequence[Claim]) -> dict[str, set[str]]:
    """Each acronym the fact's bodies go by (their initials, a bracketed acronym) -> their keys."""
    full: dict[str, set[str]] = {}
    for c in claims:
        k = keys.get(c.id)
        if not k or k.startswith("person:"):
            continue
        initials = _initials(body_name(c.attribution.source))
        for acronym in filter(None, [initials, *_BRACKETED_ACRONYM.findall(c.attribution.source)]):
            full.setdefault(acronym, set()).add(k)
    return full


def _merge_acronyms(keys: dict[str, str], claims: Sequence[Claim]) -> dict[str, str]:
    """A body named by its acronym in one report and in full in another ("the NTSB", "the National
    Transportation Safety Board") is one source, when the fact names exactly one body so."""
    full = _acronyms(keys, claims)
    out = dict(keys)
    for c in claims:
        k = keys.get(c.id)
        name = body_name(c.attribution.source).replace(".", "")
        if k and not k.startswith("person:") and _ACRONYM.match(name) and len(full.get(name, ())) == 1:
            out[c.id] = next(iter(full[name]))
    return out


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _merge_generic(keys: dict[str, str], claims: Sequence[Claim]) -> dict[str, str]:
    """ "The ministry" is the one ministry the fact names in full ("the health ministry"), when it
    names exactly one body of that kind; "the airline" is "Alaska Airlines" (a name's plural noun)."""
    bodies = {k for k in keys.values() if k.startswith("body:")}
    out = dict(keys)
    for cid, k in keys.items():
        head = k.split(":", 2)[2] if k.startswith("body:") else ""
        if not head or " " in head:
            continue
        fuller = {
            b
            for b in bodies
            if " " in (name := b.split(":", 2)[2]) and _singular(name.split()[-1]) == _singular(head)
        }
        if len(fuller) == 1:
            out[cid] = next(iter(fuller))
    return out


# A named spokesperson and the body they speak for: "MEA spokesperson Arindam Bagchi", "Kremlin
# spokesman Dmitry Peskov", "Karine Jean-Pierre, the White House press secretary".
_SPOKES = (
    r"(?:(?:chief\s+|senior\s+|deputy\s+)?(?:spokes(?:wo)?man|spokesperson|press secretary)"
    # A company's chief executive speaks for it as its spokesperson does.
    r"|CEO|[Cc]hief [Ee]xecutive(?:\s+[Oo]fficer)?)"
)
_BODY_SPOKES_NAME = re.compile(
    rf"^(?:the\s+)?(?P<body>.+?)(?:['’]s)?\s+{_SPOKES}\s+(?P<name>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*)$"
)
_NAME_SPOKES_BODY = re.compile(
    rf"^(?P<name>[A-Z][^,]*),\s+(?:a|an|the)\s+(?:(?P<before>.+?)\s+)?{_SPOKES}(?:\s+(?:for|of|at)\s+(?P<body>.+))?$"
)


def _spokesperson_body(source: str) -> str | None:
    """The body a named spokesperson's source text says they speak for."""
    m = _BODY_SPOKES_NAME.match(source.strip())
    if m:
        return m.group("body")
    m = _NAME_SPOKES_BODY.match(source.strip())
    return (m.group("body") or m.group("before")) if m else None


def _merge_spokespeople(keys: dict[str, str], raw: dict[str, str], claims: Sequence[Claim]) -> dict[str, str]:
    """A named spokesperson speaks for the body they are spokesperson of: their words and the body's
    statement in one fact are one source, when the fact names that body (the MEA's statement and
    "MEA spokesperson Arindam Bagchi" quoting it). A spokesperson of a body the fact does not name
    stays a person."""
    final_of = {raw[c.id]: keys[c.id] for c in claims if c.id in raw and c.id in keys}
    bodies = {k for k in keys.values() if not k.startswith("person:")}
    out = dict(keys)
    for c in claims:
        k = keys.get(c.id)
        body = _spokesperson_body(c.attribution.source) if k and k.startswith("person:") else None
        if not body:
            continue
        target = _body_key(body, c.attribution.actor)
        target = final_of.get(target, target) if target else None
        if target not in bodies:
            target = _acronym_target(body, claims, keys)
        if target:
            out = {cid: (target if v == k else v) for cid, v in out.items()}
    return out


def _acronym_target(body: str, claims: Sequence[Claim], keys: dict[str, str]) -> str | None:
    """The one body of the fact whose initials ``body`` is ("MEA": "the Ministry of External Affairs")."""
    name = body_name(body).replace(".", "")
    found = _acronyms(keys, claims).get(name, set()) if _ACRONYM.match(name) else set()
    return next(iter(found)) if len(found) == 1 else None


def _quoted(c: Claim) -> bool:
    """The claim's content is one quotation: somebody's words, whether or not the outlet says whose."""
    lo, hi = c.content_span.start, c.content_span.end
    return any(q.span.start <= lo + 2 and hi - 2 <= q.span.end for q in c.quotes)


def _merge_quotes(keys: dict[str, str], claims: Sequence[Claim]) -> dict[str, str]:
    """Outlets printing the same quotation report one speaker's words, not their own: an unattributed
    quotation is the speaker the fact's other quotations name, when they name one and their words
    are its words; else all the unattributed quotations are one (unnamed) speaker. A witness's words
    are not another witness's because one outlet named the other beside them."""
    named = [c for c in claims if c.id in keys and _quoted(c)]
    out = dict(keys)
    for c in claims:
        if c.id not in keys and c.attribution.is_outlet and _quoted(c):
            speakers = {keys[n.id] for n in named if _same_words(c, n)}
            out[c.id] = next(iter(speakers)) if len(speakers) == 1 else "quote:unattributed"
    return out


def _speaker_names(claims: Sequence[Claim], keys: dict[str, str]) -> list[str]:
    """The longest name each speaker goes by; unattributed quotations carry the outlet's own
    attribution, and the outlet is not their speaker."""
    names: dict[str, str] = {}
    for c in claims:
        k = keys.get(c.id)
        if k and not c.attribution.is_outlet and len(c.attribution.source) > len(names.get(k, "")):
            names[k] = c.attribution.source
    return sorted(names.values())


def _quote_words(c: Claim) -> list[str]:
    return re.findall(r"\w+", " ".join(q.text for q in c.quotes).lower())


def _one_wording(claims: Sequence[Claim]) -> bool:
    """The quotations are one utterance printed alike or retranslated (most words in common), not
    two people's different words ("We still don't know what happened here" / "we may never fully
    understand what happened here")."""
    first = _quote_words(claims[0])
    return all(
        SequenceMatcher(None, first, _quote_words(c), autojunk=False).ratio() >= ONE_WORDING
        for c in claims[1:]
    )


ONE_WORDING = 0.6
# Share of the shorter quotation's words, in order, found in the longer one: an outlet quoting a
# longer stretch of the same words.
QUOTED_WITHIN = 0.8


def _same_words(a: Claim, b: Claim) -> bool:
    """``a``'s quotation is ``b``'s, printed alike or one a longer stretch of the other."""
    wa, wb = _quote_words(a), _quote_words(b)
    if not wa or not wb:
        return False
    match = SequenceMatcher(None, wa, wb, autojunk=False)
    shared = sum(block.size for block in match.get_matching_blocks())
    shorter = min(len(wa), len(wb))
    return match.ratio() >= ONE_WORDING or (shorter >= 4 and shared >= QUOTED_WITHIN * shorter)


def count_sources(
    claims: Sequence[Claim], report_of: Callable[[str], str], claim_report: dict[str, str] | None = None
) -> SourceCount:
    """Sources behind one fact; ``report_of`` maps an article to its independent report (copy group),
    ``claim_report`` (when given) each claim to its report for this fact (passage-level copies)."""

    def report(c: Claim) -> str:
        return claim_report[c.id] if claim_report is not None else report_of(c.article_id)

    raw = {c.id: k for c in claims if (k := source_key(c))}
    keys = _merge_roles(_merge_generic(_merge_acronyms(raw, claims), claims), claims)
    keys = _merge_quotes(_merge_spokespeople(_merge_names(keys, claims), raw, claims), claims)
    reports = {report(c) for c in claims}
    outlets = len({c.article_id for c in claims})
    names = _speaker_names(claims, keys)
    if len(claims) > 1 and all(_quoted(c) for c in claims) and (not names or _one_wording(claims)):
        # One quotation printed by every outlet is one utterance, whoever each outlet says spoke it;
        # outlets naming different speakers disagree on the attribution, they are not two sources.
        # Quotations no outlet gives a name to are one unnamed source's; a named speaker's different
        # words beside them are not that source's.
        origin = names[0] if len(names) == 1 else "one quotation, attributed to " + " / ".join(names)
        return SourceCount(1, len(reports), origin if names else "one quotation, speaker not named", outlets)
    attributed = {keys[c.id] for c in claims if c.id in keys}
    own_voice = {report(c) for c in claims if c.id not in keys}
    sources = max(1, min(len(attributed) + len(own_voice), len(reports)))
    origin = None
    if len(attributed) == 1 and not own_voice:
        origin = names[0] if names else "one quotation, speaker not named"
    return SourceCount(sources, len(reports), origin, outlets)
