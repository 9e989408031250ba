"""Small closed word lists the pair judge's typed-slot features use (English news register).

They are cues, not rules: the judge's learned weights decide how much a negation mismatch or a
swapped antonym counts, alongside the embedding and alignment features.
"""

from __future__ import annotations

from newsprism.claims.numbers import CARDINAL_WORDS

NEGATIONS = frozenset(
    """not no never nobody nothing none neither nor nowhere without cannot n't nor
    fail fails failed deny denies denied refuse refuses refused lack lacks lacked absent""".split()
)

HEDGES = frozenset(
    """may might could possibly reportedly allegedly apparently likely unlikely perhaps probably
    claimed claims claim suggest suggests suggested suspected believed expected estimated about around
    nearly almost approximately roughly unconfirmed according reported rumoured rumored purportedly
    seemingly appears appear seems seem""".split()
)

NUMBER_WORDS = {
    **CARDINAL_WORDS,
    "hundred": 100,
    "thousand": 1000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "dozen": 12,
    "dozens": 24,
    "hundreds": 200,
    "thousands": 2000,
    "millions": 2_000_000,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "single": 1,
    "couple": 2,
    "pair": 2,
    "twice": 2,
    "half": 0.5,
}

# Pairs of opposites frequent in news and caption text; both directions are looked up.
_ANTONYM_PAIRS = """
increase decrease|rise fall|rise drop|raise lower|gain loss|gain lose|win lose|won lost|up down|high low
higher lower|more less|more fewer|most least|many few|large small|big small|big little|long short
tall short|old young|old new|young elderly|early late|before after|first last|begin end|start end
start finish|open close|opened closed|accept reject|approve reject|approved rejected|allow ban
allow forbid|allow prohibit|support oppose|supported opposed|agree disagree|confirm deny|confirmed denied
admit deny|true false|right wrong|correct incorrect|legal illegal|guilty innocent|convicted acquitted
alive dead|live die|born died|birth death|peace war|friend enemy|ally enemy|victory defeat|success failure
succeed fail|strong weak|strengthen weaken|rich poor|wealthy poor|expensive cheap|full empty
hot cold|warm cold|heavy light|fast slow|quick slow|quickly slowly|happy sad|smiling frowning
laughing crying|love hate|buy sell|bought sold|buying selling|lend borrow|import export|imports exports
push pull|pushing pulling|give take|giving taking|enter leave|entering leaving|arrive depart|arrived left
come go|inside outside|indoors outdoors|in out|on off|above below|over under|top bottom|front back
north south|east west|left right|day night|morning evening|sunrise sunset|summer winter|wet dry
man woman|men women|boy girl|boys girls|male female|husband wife|father mother|son daughter
brother sister|king queen|he she|his her|sitting standing|sits stands|sit stand|asleep awake
sleeping awake|standing lying|walking running|walk run|stop continue|stopped continued|resume halt
resumed halted|withdraw deploy|withdrew deployed|withdraw advance|retreat advance|attack defend
offensive defensive|arrest release|arrested released|hire fire|hired fired|appoint dismiss|elected defeated
include exclude|included excluded|join leave|joined left|add remove|added removed|present absent
public private|domestic foreign|internal external|majority minority|maximum minimum|positive negative
optimistic pessimistic|better worse|best worst|good bad|safe dangerous|easy difficult|easy hard
simple complex|cheap costly|profit loss|surplus deficit|growth decline|expand shrink|expanded shrank
higher-than-expected lower-than-expected|upgrade downgrade|bullish bearish|ascend descend|climb descend
climbing descending|always never|all none|everyone nobody|everything nothing|someone nobody|with without
empty crowded|clean dirty|quiet loud|black white|dark light|wide narrow|thick thin|fat thin|deep shallow
""".replace("\n", "|")


def _antonym_table(spec: str) -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for pair in filter(None, (p.strip() for p in spec.split("|"))):
        a, b = pair.split()
        table.setdefault(a, set()).add(b)
        table.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in table.items()}


ANTONYMS: dict[str, frozenset[str]] = _antonym_table(_ANTONYM_PAIRS)
