"""Where a clause names its speaker before the reporting verb.

``SOURCE said``, ``SOURCE, who heads X, said``, ``ROLE, NAME, said``, ``NAME, the ROLE, said`` and a
list of sources ("Ukraine, the U.S. and South Korea all said"): the span of the source in the
quote-masked clause, or None when the words before the verb name nobody.
"""

from __future__ import annotations

import re

from newsprism.claims.clauses import _VERBISH

_TRAILING_ADVERBS = re.compile(
    r"(?:\s+(?:also|later|previously|initially|immediately|however|meanwhile|had|has|have|all|both|"
    r"then|now|again|earlier|further|still|even|once|quickly|swiftly|repeatedly|publicly|officially|reportedly|"
    r"separately|too|"
    r"[a-z]{3,}ly))+\s*$",
    re.IGNORECASE,
)
_LEADING_JUNK = re.compile(
    r"^\s*(?:(?:and|but|while|as|so|then|however|meanwhile|although|though|because|after|before|when|if|since|"
    r"until|once|today|yesterday|tonight|now|later|earlier)\s+)+",
    re.IGNORECASE,
)
_PREPOSITIONS = frozenset(
    "in on at during after before via through from with for by over across under".split()
)
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i"})


def _strip_range(text: str, a: int, b: int, chars: str = " ,;:.—–-\"'“”") -> tuple[int, int]:
    while a < b and text[a] in chars:
        a += 1
    while b > a and text[b - 1] in chars:
        b -= 1
    return a, b


_COMPOUND_MODIFIER = re.compile(r"[\w.]+-[a-z]+ed\b")


# A person of a body with a long proper name: "Tamer Ramadan of the International Federation of Red
# Cross and Red Crescent Societies" (capitalised words joined by of/the/and/for only).
_LONG_NAME = re.compile(r"[A-Z][\w.’'-]*(?:\s+(?:(?:of|the|and|for)\s+)*[A-Z][\w.’'-]*){2,15}")


_DEFINITE_NOUN = re.compile(r"the\s+[a-z]{3,}(?:\s+[a-z]{3,})?")


def _valid_source(src: str) -> bool:
    words = src.split()
    if not words or "_" in src or (len(words) > 9 and not _LONG_NAME.fullmatch(src)):
        return False
    if len(words) == 1 and words[0].lower() in _PRONOUNS:
        return True
    if words[-1].lower() in ("who", "which", "that", "whom"):
        return False  # "A second mother who testified": the verb belongs to a relative clause
    # Hyphenated modifiers ("New York-based", "Kremlin-backed") describe the source, they are no verb.
    plain = _COMPOUND_MODIFIER.sub("", src.replace("’s", "").replace("'s", ""))
    if _VERBISH.search(plain) and not re.search(r"[A-Z]\w*ed\b", src):
        return False
    return any(w[0].isupper() for w in words) or bool(
        re.search(
            r"\b(?:officials?|authorit(?:y|ies)|sources?|spokes\w+|ministry|military|army|police|government|"
            r"governor|analysts?|experts?|intelligence|agenc\w+|residents?|witnesses|observers|leaders?|media|"
            r"prosecutors?|investigators?|commanders?|staff|office|forces|defen[cs]es|ministers?|president|general|"
            r"chief|secretary|director|ambassador|envoy|mayor|premier|chancellor|spokes\w+|police|statement|post|"
            r"company|firm|operator|utility|judge|lawyers?|attorneys?|prosecution|forecasters|meteorologists|"
            r"weather service|coroner|sheriff)\b",
            src,
            re.IGNORECASE,
        )
    )


def _extend_list(masked: str, a: int) -> int:
    """Pull earlier list members into the source: "Ukraine, the U.S. and South Korea all said"."""
    while a > 0:
        comma = masked.rfind(",", 0, a)
        if comma < 0 or masked[comma + 1 : a].strip():
            return a
        prev = masked.rfind(",", 0, comma)
        seg = masked[prev + 1 : comma]
        words = seg.split()
        if not words or len(words) > 3 or not words[0][0].isupper() or words[0].lower() in _PREPOSITIONS:
            return a
        a = prev + 1 + (len(seg) - len(seg.lstrip()))
        if prev < 0:
            return a
    return a


# Words opening a time adverbial: "Last week, Khartoum ..." has Khartoum as its subject, not "Last".
_TIME_OPENERS = frozenset("last this next earlier later yesterday today overnight meanwhile".split())
# Conjunctions opening an adverbial clause: "When the dam broke, ..." has no subject "When".
_SUBORDINATORS = frozenset(
    "when while as although though because since if once until despite following".split()
)
_NEGATED_VERB = re.compile(r"(?:\bnot|\bnever|n[’']t|\bcannot|\bno one)\s*(?:\w+\s+)?$", re.IGNORECASE)


# A time between the source and its verb belongs to the verb: "Trudeau on Monday said", "India on
# Thursday announced", "the company that operates the dam on Tuesday said" name no one "on Monday".
_TRAILING_TIME = re.compile(
    r"\s+(?:(?:on|late|early|earlier|later)\s+)*(?:"
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?"
    r"|(?:this|last)\s+(?:week|month|year)|today|yesterday|tonight)\s*$"
)


def _without_trailing_time(pre: str) -> str:
    """``pre`` without trailing adverbs and times, which may alternate ("Trudeau on Monday also")."""
    while True:
        cut = _TRAILING_TIME.sub("", _TRAILING_ADVERBS.sub("", pre))
        if cut == pre:
            return cut
        pre = cut


def _source_before(masked: str, verb_start: int) -> tuple[int, int] | None:
    if _NEGATED_VERB.search(masked[max(0, verb_start - 24) : verb_start]):
        return None  # "would not say", "couldn't confirm": nobody asserts anything
    bound = max(masked.rfind(c, 0, verb_start) for c in ",_—–:;")
    a = bound + 1
    pre = masked[a:verb_start]
    pre_clean = _without_trailing_time(pre)
    lead = _LEADING_JUNK.match(pre_clean)
    if lead:
        a += lead.end()
        pre_clean = pre_clean[lead.end() :]
    b = a + len(pre_clean.rstrip())
    a, b = _strip_range(masked, a, b)
    if a >= b:
        if pre.strip():
            return None
        return _appositive_source(masked, bound) or _source_before_insert(masked, bound)
    if bound >= 0 and masked[bound] == "," and " and " in masked[a:b]:
        a = _extend_list(masked, a)
    words = masked[a:b].split()
    if words[0].lower() in _PREPOSITIONS or words[-1].lower() in ("and", "or", "but"):
        return None  # "..., on his X account and added": an adverbial before a second verb, no speaker
    if _valid_source(masked[a:b]):
        return a, b
    # "In its latest report, the bank said": a body named by what it is, after an opening adverbial,
    # is the subject that "The bank said" names when it opens the sentence.
    opening = bound == masked.find(",") and _adverbial_opening(masked)
    return (a, b) if opening and _DEFINITE_NOUN.fullmatch(masked[a:b]) else None


def _adverbial_opening(masked: str) -> bool:
    """The text before the first comma is an adverbial, not the subject: "In a statement, ...",
    "Last week, ...", "Shortly after the arrest, ..." (an -ly adverb, then a lower-case word)."""
    words = masked.split(",", 1)[0].split()
    if "," not in masked or not words:
        return False
    first = words[0].lower()
    if first in _PREPOSITIONS or first in _TIME_OPENERS or first in _SUBORDINATORS:
        return True
    return first.endswith("ly") and len(words) > 1 and words[1][:1].islower()


def _appositive_source(masked: str, comma: int) -> tuple[int, int] | None:
    """The source set off by commas right before its verb: "Simpson's attorney, Warren Gotcher, argued"
    and "The provincial governor, Annika Sollberg, put the blame on", or the name first: "Sergio
    Pirozzi, the mayor of Amatrice, told". Only at the clause start, so that "In Orlevan, residents,
    ..." is not read as a speaker. A quotation before it ends where the clause starts."""
    if comma < 0 or masked[comma] != ",":
        return None
    prev = masked.rfind(",", 0, comma)
    if prev < 0:
        return None
    name = _strip_range(masked, prev + 1, comma)
    role = _strip_range(masked, masked.rfind("_", 0, prev) + 1, prev)
    if _NAME_THEN_ROLE.match(masked[name[0] : name[1]]):
        # The name is the segment before the role; an opener before it ("However, John Ging, the
        # top UN official, said") or a quotation is no part of it.
        opener = max(masked.rfind(",", 0, prev), masked.rfind("_", 0, prev))
        if opener >= 0 and masked[opener] == "," and len(masked[:opener].split()) > 4:
            return None
        return _name_before_role(masked, _strip_range(masked, opener + 1, prev), name)
    if masked[name[0] : name[1]][:1].islower() and not _INSERT.match(masked[name[0] : name[1]]):
        # "Tadzhigul Begmedova, director of the foundation, said": a bare role after the name.
        # Otherwise it opens a titled name: "the candidate, regional bureaucrat Resul Mammedov, said".
        found = _name_before_role(masked, role, name)
        if found is not None:
            return found
    words = masked[role[0] : role[1]].split()
    # A role is a common noun phrase ("his lawyer"), not an adverbial ("Meanwhile", "In Kyiv").
    if not (0 < len(words) <= 5) or words[0].lower() in _PREPOSITIONS or _LEADING_JUNK.match(words[0] + " "):
        return None
    if not any(w.islower() for w in words[1:] + words[:1]) or _VERBISH.search(
        " ".join(words).replace("’s", "").replace("'s", "")
    ):
        return None
    text = masked[name[0] : name[1]]
    if not _valid_source(text) or not _NAME_WITH_TITLE.match(text):
        return None
    return role[0], name[1]


# A name, perhaps after a lower-case title: "Warren Gotcher", "regional bureaucrat Resul Mammedov".
_NAME_WITH_TITLE = re.compile(r"^(?:[a-z][\w-]*\s+){0,3}[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*$")


# An insert set off by commas between a source and its verb: a relative clause ("Dana Ives, who
# heads research at a bank, wrote") or an adverbial ("Peskov, without giving evidence, said").
_INSERT = re.compile(
    r"^\s*(?:who|whose|which|without|in|on|at|during|after|before|speaking|citing|when|while)\b",
    re.IGNORECASE,
)


# A person's age set off by commas: '"...," Ms. Nguyen, 22, said' and "Elizabeth Le, 20, said".
_AGE = re.compile(r"\s*\d{1,3}\s*")


def _source_before_insert(masked: str, comma: int) -> tuple[int, int] | None:
    """The source before an insert that ends at ``comma``, right before the verb. Only a relative
    clause, an adverbial or an age counts as an insert, so "In Kyiv, officials, said" stays sourceless."""
    if comma < 0 or masked[comma] != ",":
        return None
    prev = masked.rfind(",", 0, comma)
    if prev < 0 or not (_INSERT.match(masked[prev + 1 : comma]) or _AGE.fullmatch(masked[prev + 1 : comma])):
        return None
    start = max(masked.rfind(c, 0, prev) for c in ",_—–:;") + 1
    a, b = _strip_range(masked, start, prev)
    words = masked[a:b].split()
    if not words or words[0].lower() in _PREPOSITIONS | _TIME_OPENERS | _SUBORDINATORS:
        return None
    if _LEADING_JUNK.match(words[0] + " ") or not _valid_source(masked[a:b]):
        return None
    return a, b


# The role after a name: a lower-case noun phrase with its determiner ("the mayor of Amatrice",
# "a spokesman for the ministry", "its chief executive").
_NAME_THEN_ROLE = re.compile(r"^(?:the|a|an|its|his|her|their)\s+[a-z]")


# A role after a name may name its body in full: "a manager in the Trustworthy Computing group and
# its usual spokesman".
_MAX_ROLE_WORDS = 12


def _name_before_role(masked: str, name: tuple[int, int], role: tuple[int, int]) -> tuple[int, int] | None:
    """ "NAME, the ROLE, verb": the name is the whole clause start, capitalised and no adverbial."""
    words = masked[name[0] : name[1]].split()
    if not (0 < len(words) <= 5) or words[0].lower() in _PREPOSITIONS | _TIME_OPENERS:
        return None
    if _LEADING_JUNK.match(words[0] + " ") or not all(w[:1].isupper() for w in words):
        return None
    if len(masked[role[0] : role[1]].split()) > _MAX_ROLE_WORDS or not _valid_source(" ".join(words)):
        return None
    return name[0], role[1]
