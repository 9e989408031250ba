"""Attribution rules: who asserts a clause, with which reporting verb, and with which stance.

Rules over a quote-masked clause (so verbs inside quotes are not reporting verbs):
``SOURCE said (that) CONTENT``, ``CONTENT, SOURCE said``, ``CONTENT, said SOURCE``, ``according to
SOURCE``, ``SOURCE denied the claim`` (an anaphoric response to an earlier claim) and the appositive
``CLAIM, a claim which SOURCE has denied``. No parser is needed, which keeps spaCy to NER only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from newsprism.claims.speakers import (
    _PREPOSITIONS,
    _adverbial_opening,
    _source_before,
    _strip_range,
    _valid_source,
)

_STANCE_VERBS = {
    "asserts": "said|says|say|saying|told|tells|tell|telling|added|adds|adding|stated|wrote|writes|announced|"
    "announces|announcing|reported|reporting|posted|noted|explained|declared|insisted|warned|argued|"
    "briefed|informed|estimated|testified|testifies|testifying|argues|stating|emphasized|emphasised|"
    "emphasizes|emphasises|emphasizing|emphasising|stressed|stresses|stressing|remarked|commented|"
    "underscored|reiterated|reiterates|reiterating|pointed out|points out",
    # An accusation asserts what the accused did: "X has accused Y of ignoring warnings".
    "claims": "claimed|claiming|alleged|alleges|allege|alleging|contended|contends|contend|maintained|"
    "asserted|asserts|accused|accuses|accusing|blamed|blames|blaming|put the blame on|puts the blame on|"
    "laid the blame on|lays the blame on",
    "denies": "denied|denies|deny|denying|rejected|rejects|rejecting|dismissed|dismisses|dismissing|refuted|"
    "refutes|refuting",
    "confirms": "confirmed|confirms|confirming|acknowledged|acknowledges|admitted|admits|conceded|verified",
    "disputes": "disputed|contested|contests|questioned|challenged|pushed back|pushing back|pushes back|"
    "countered",
}
_STANCE_OF = {v: stance for stance, verbs in _STANCE_VERBS.items() for v in verbs.split("|")}
# Bounded by letters, not by \b: a masked quote mark ("_") glued to the verb ('got, "said Flynn') is
# a word character to \b.
_VERB_RE = re.compile(
    r"(?<![A-Za-z0-9])(" + "|".join(sorted(_STANCE_OF, key=len, reverse=True)) + r")(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_DENY = "denied|rejected|dismissed|refuted|disputed|contested"
_ACCORDING = re.compile(r"\baccording to\s+(?P<src>[^,;.]+)", re.IGNORECASE)
_ANAPHOR_NOUN = (
    r"(?:claims?|assertions?|statements?|reports?|allegations?|accounts?|accusations?|announcement)"
)
_ANAPHORIC_OBJECT = re.compile(
    rf"^\s*(?:(?:on|against|to)\s+)?(?:(?:the|this|that|these|those|such|its|their|his|her)\s+)?"
    rf"(?:[\w’'-]+\s+)?{_ANAPHOR_NOUN}\b(?!\s+that\b)|^\s*(?:it|them|this)\s*(?:[,.;]|$|as\b)",
    re.IGNORECASE,
)
APPOSITIVE_RESPONSE = re.compile(
    rf",\s+(?:a|an|the)\s+(?:claim|assertion|statement|allegation|account|report)\s+"
    rf"(?:(?:which|that)\s+(?P<src1>[^,;_]{{1,60}}?)\s+(?:(?:has|have|had)\s+)?(?:\w+ly\s+)?(?P<v1>{_DENY})"
    rf"|(?:\w+ly\s+)?(?P<v2>{_DENY})\s+by\s+(?P<src2>[^,;_]{{1,60}}?)"
    rf"(?=\s+(?:as|after|while|because|amid|on|in|with|who|which)\b|[,;.]|$))",
    re.IGNORECASE,
)
_THAT = re.compile(r"\bthat\s+", re.IGNORECASE)
_SUBJECT = re.compile(r"(?:(?:[A-Z][\w.’'-]*|of|the|for)\s+)*[A-Z][\w.’'-]*|(?i:he|she|they|it|we)\b")
_PARENTHETICAL = re.compile(
    r",\s*(?:however|meanwhile|though|too|also|in turn|in fact|for (?:its|his|her|their) part|"
    r"in response)\s*,",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class LocalAttribution:
    """Offsets are local to the clause."""

    source: str
    source_span: tuple[int, int]
    verb: str
    verb_span: tuple[int, int]
    stance: str
    content: tuple[int, int]
    response: bool = False


# Capitalised words that begin a noun phrase or an adverbial but name nobody on their own.
_NOT_A_NAME = frozenset("a an the his her their its our my this that these those there".split())


def _subject(masked: str) -> tuple[int, int] | None:
    """The clause subject after any leading adverbial ("In a statement, Putin ...")."""
    start = masked.index(",") + 1 if _adverbial_opening(masked) else 0
    m = _SUBJECT.match(masked, len(masked) - len(masked[start:].lstrip()))
    if m is None or m.group(0).lower() in _NOT_A_NAME:
        return None  # "His campaign released a T-shirt saying ...": "His" is no speaker
    return m.start(), m.end()


# Verbs that report speech only with a content clause ("stressed that ...") or after the words they
# report ('"...," she stressed'); with an object they report no statement ("stressed the need").
_THAT_ONLY = re.compile(
    r"^(?:stating|emphasi[sz](?:ed|es|ing)|stress(?:ed|es|ing)|remarked|commented|underscored|"
    r"reiterat(?:ed|es|ing)|points? out|pointed out)$",
    re.IGNORECASE,
)


# A time and a place after the verb ("said Monday in a speech to the House"): no content of its own,
# the words reported come before it.
_TIME_THEN_PLACE = re.compile(
    r"^\s*(?:on\s+)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|today|yesterday|tonight)"
    r"(?:\s+(?:morning|afternoon|evening|night))?\s*(?:[,.;]|$|(?:in|at|during|via|through|from|to)\s)",
    re.IGNORECASE,
)


def _content_after(masked: str, verb: str, end: int) -> tuple[int, int] | None:
    after = masked[end:]
    if is_accusation(verb):
        # The accused and the charge are the content: "blamed Skarnvale Hydro, the company that runs
        # the dam": that "that" is a relative pronoun, it opens no reported clause.
        return (end, len(masked)) if len(after.split()) >= 2 else None
    that = _THAT.search(after, 0, 160)
    if that and len(after[: that.start()].split()) <= 8:
        return end + that.end(), len(masked)
    if _THAT_ONLY.match(verb):
        return None
    words = after.split()
    if verb.lower().startswith("tell") or verb.lower() == "told" or len(words) < 3:
        return None
    if words[0].lower().strip(",") in _PREPOSITIONS or after.lstrip().startswith((",", ".")):
        return None
    if _TIME_THEN_PLACE.match(after):
        return None
    return end, len(masked)


# The source after its verb ("said Sgt. Marty Earley of the police"): up to a clause mark, a title's
# abbreviation point ("Sgt.", "Gov.") not being one.
_INVERTED_SOURCE = re.compile(
    r"\s*((?:(?:Mr|Mrs|Ms|Dr|Sgt|Lt|Gen|Col|Capt|Cpt|Det|Gov|Sen|Rep|Prof|Insp|Cpl|Maj|Adm|Supt|Cmdr|Atty|Gen)\.\s*"
    r"|[^,;.])+)"
)
# "accused of murder", "blamed for the delay": a participle naming the accused, not an accuser speaking.
_ACCUSATION = re.compile(r"^(?:accus|blam|puts? the blame|la(?:id|ys) the blame)", re.IGNORECASE)
_ACCUSED_PARTICIPLE = re.compile(r"^(?:accused|blamed)$", re.IGNORECASE)
_PARTICIPLE_OBJECT = re.compile(r"\s+(?:of|for|by|in)\b", re.IGNORECASE)
# "the accused", "two accused gangbangers": the participle used as an adjective.
_ADJECTIVE_BEFORE = re.compile(
    r"\b(?:the|a|an|his|her|their|two|three|four|five|several|\d+)\s+$", re.IGNORECASE
)
# A reporting verb right after a determiner is an adjective ("an alleged airstrike", "the reported
# toll"); an -ing form right after a preposition is a gerund ("after accusing Ukraine"): neither has
# its speaker before it.
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|his|her|their|its|this|these|those)\s+$", re.IGNORECASE)
_GERUND_BEFORE = re.compile(
    r"\b(?:after|before|since|without|by|of|for|upon|on|about|from)\s+$", re.IGNORECASE
)
# "X was quoted (by Reuters) as saying": X speaks, the outlet named only relays the words.
_QUOTED_AS = re.compile(
    r"\s+(?:was|were|is|are|has been|have been|had been)\s+(?:quoted|cited)"
    r"(?:\s+by\s+[^,;_]{1,60}?)?\s+as\s+$",
    re.IGNORECASE,
)
# "rejected the allegations made by Trudeau that New Delhi was involved": the denial states what it
# denies, a content clause after the noun ("that" opening a relative clause, "that was made", is not one).
_SPELLED_OUT = re.compile(
    r"^\s*(?:(?!(?:and|but|or)\s)[\w’'.-]+\s+){1,10}?that\s+"
    r"(?!(?:was|were|is|are|has|had|have|appeared|came|ran|went)\b)",
    re.IGNORECASE,
)


def _one(masked: str, m: re.Match[str]) -> LocalAttribution | None:
    verb = m.group(1)
    stance = _STANCE_OF[verb.lower()]
    if _ACCUSED_PARTICIPLE.match(verb) and (
        _PARTICIPLE_OBJECT.match(masked, m.end()) or _ADJECTIVE_BEFORE.search(masked, 0, m.start())
    ):
        return None
    before = masked[: m.start()]
    if _DETERMINER_BEFORE.search(before):
        return None
    # A gerund's speaker is the clause subject ("AMD ended speculation by saying ..."), never the
    # words before it ("A day after accusing ...").
    gerund = verb.lower().endswith("ing") and _GERUND_BEFORE.search(before) is not None
    quoted_as = _QUOTED_AS.search(before) if verb.lower().endswith("ing") else None
    src = None if gerund else _source_before(masked, quoted_as.start() if quoted_as else m.start())
    inverted = False
    if src is None:
        prefix = masked[: m.start()].rstrip()
        if verb.lower().endswith("ing") or prefix.endswith(" and") or not prefix:
            src = _subject(masked) if prefix else None
        # "..., said Earley" and "“...,” said Earley" (the quote, comma inside it, is masked)
        if src is None and (prefix.endswith((",", "_")) or not prefix):
            tail = _INVERTED_SOURCE.match(masked[m.end() :])
            # "posted on X", "said on Thursday": a place or a time after the verb, not its speaker
            if (
                tail
                and _valid_source(tail.group(1))
                and tail.group(1).split()[0].lower() not in _PREPOSITIONS
            ):
                src = _strip_range(masked, m.end() + tail.start(1), m.end() + tail.end(1))
                inverted = True
        if src is None:
            return None
    rest = masked[m.end() :]
    # "rejected that account": "that" here points back at a claim, it does not open a content clause.
    anaphoric = (
        stance in ("denies", "disputes")
        and _ANAPHORIC_OBJECT.match(rest) is not None
        and _SPELLED_OUT.match(rest) is None
    )
    content = None if inverted or anaphoric else _content_after(masked, verb, m.end())
    if _THAT_ONLY.match(verb) and not inverted and (content is None) != (len(rest.split()) < 3):
        return None  # "stressed the importance of the deal": an object, not a reported clause
    response = False
    if content is None:
        if anaphoric:
            response = True
            content = (0, len(masked))
        else:
            cut = min(src[0], m.start())
            cut = masked.rfind(",", 0, cut) if "," in masked[:cut] else cut
            content = (0, max(cut, 0)) if cut > 0 else (0, len(masked))
    content = _strip_range(masked, *content, chars=" ,;:—–-")
    return LocalAttribution(masked[src[0] : src[1]], src, verb, m.span(1), stance, content, response)


def is_accusation(verb: str) -> bool:
    """ "accused", "put the blame on": the content names the accused and the charge, often with no
    finite verb of its own ("accused Skarnvale Hydro of ignoring warnings")."""
    return _ACCUSATION.match(verb) is not None


def find_attribution(masked: str) -> LocalAttribution | None:
    """The clause's attribution, or None when the outlet states it in its own voice."""
    masked = _PARENTHETICAL.sub(lambda m: " " * len(m.group(0)), masked)
    acc = _ACCORDING.search(masked)
    if acc:
        a, b = _strip_range(masked, acc.start("src"), acc.end("src"))
        rest = (0, acc.start()) if acc.start() > 0 else (acc.end(), len(masked))
        content = _strip_range(masked, *rest, chars=" ,;:—–-")
        if a < b and content[0] < content[1]:
            # "According to the AP, the ministry said ...": the ministry speaks, the AP relays it.
            # So does '"...," she told the court, according to NBC': the speaker after the quote.
            inner = _first_attribution(masked[content[0] : content[1]])
            if inner is not None and _RELAYED.match(inner.verb) and _speaker_leads(inner):
                return _shifted(inner, content[0])
            return LocalAttribution(
                masked[a:b], (a, b), "according to", acc.span(0)[:1] + (acc.start("src"),), "asserts", content
            )
    return _first_attribution(masked)


# Verbs that only report speech: "X admitted herself to a clinic, according to TMZ" is TMZ's account
# of what X did, while "X said ..., according to TMZ" is X's words.
_RELAYED = re.compile(
    r"^(?:said|says|told|tells|stated|added|announced|claimed|claims|alleged|denied|denies|insisted|warned)$",
    re.IGNORECASE,
)


def _speaker_leads(inner: LocalAttribution) -> bool:
    """The relayed statement is the speaker's own: the speaker opens it ("the ministry said ...") or
    follows the words it reports ('"...," she said'), rather than being named inside them."""
    return inner.source_span[0] == 0 or inner.content[1] <= inner.source_span[0]


def _first_attribution(masked: str) -> LocalAttribution | None:
    """The first reporting verb that has a speaker."""
    for m in _VERB_RE.finditer(masked):
        found = _one(masked, m)
        if found is not None:
            return found
    return None


def _shifted(la: LocalAttribution, by: int) -> LocalAttribution:
    """``la`` found in a part of the clause starting at ``by``, in the clause's offsets."""

    def move(span: tuple[int, int]) -> tuple[int, int]:
        return span[0] + by, span[1] + by

    return replace(
        la, source_span=move(la.source_span), verb_span=move(la.verb_span), content=move(la.content)
    )
