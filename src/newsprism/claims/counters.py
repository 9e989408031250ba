"""Counter-statements: a named source contradicting, in its own words, what another source just said.

    Prosecutors say Simpson called Flynn several times and arranged to meet her.
    Defense attorney Warren Gotcher said Simpson did not call Flynn and never owned such a phone.

The second sentence denies the first without a denial verb and without pointing back at it ("denied
the claim"), so it is no anaphoric response. Two readings are taken, both narrow on purpose:

- a negated restatement: the counter negates and shares the claim's own content words ("call",
  "Flynn", "Simpson"), not just its topic;
- a protest of innocence ("proving my innocence", "his client was innocent", "not guilty") by the
  accused or by someone speaking for them ("Simpson's attorney"), answering an earlier claim about
  the accused.

The claims a counter may answer are kept on it as ``response_candidates`` (with no ``response_to``:
it still states its own fact); verdicts attach it to the group the other articles' counters point to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsprism.claims.actors import person_key
from newsprism.claims.model import Claim

# Sentences back a counter-statement may answer: a denial follows its claim closely.
NEGATED_WINDOW = 2
# A protest of innocence answers the charge, which the article may have stated a few paragraphs up.
INNOCENCE_WINDOW = 6
MAX_TARGETS = 4
# Shared content words a negated restatement needs, at least one of them not a name.
MIN_SHARED = 3

# "his client was innocent", "proving my innocence"; not "innocent bystanders".
_INNOCENCE = re.compile(
    r"\b(?:(?:is|was|are|were|am|be|been|being)\s+(?:\w+\s+)?innocent|innocence|not guilty|"
    r"clear(?:ing)? (?:my|his|her|their) names?)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
_STOP = frozenset(
    """a an the and or but of to in on at for with by from as that this these those it its he she they him her
    his their them we our i my me you your was were is are be been being has have had do does did not no never
    nor n't any all some would could should will can may might must said says told say also there then than
    when where who whom which what after before while into over about against between during very just only
    more most such own same other""".split()
)
_SUFFIXES = ("ing", "ed", "es", "s")


def _stem(word: str) -> str:
    w = word.lower().strip("'’-")
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)]
    return w


def _content_words(text: str) -> dict[str, bool]:
    """Stem -> whether it is only ever written capitalised (a name)."""
    out: dict[str, bool] = {}
    for w in _WORD.findall(text):
        if w.lower() in _STOP:
            continue
        s = _stem(w)
        out[s] = out.get(s, True) and w[:1].isupper()
    return out


# The words a negation governs: "did not call Flynn", "never owned", "no one saw".
_NEGATED = re.compile(r"\b(?:not|never|no|n[’']t)\s+((?:[A-Za-z'’-]+\s+){0,2}[A-Za-z'’-]+)", re.IGNORECASE)


def _restates(counter: str, claim: str) -> bool:
    """The counter shares the claim's content words and negates one of them (not merely negates
    something else in a sentence on the same topic)."""
    mine, theirs = _content_words(counter), _content_words(claim)
    shared = set(mine) & set(theirs)
    if len(shared) < MIN_SHARED or all(mine[s] and theirs[s] for s in shared):
        return False
    negated = {_stem(w) for m in _NEGATED.finditer(counter) for w in m.group(1).split()}
    return any(s in negated and not mine[s] for s in shared)


def _accused(c: Claim) -> set[str]:
    """Who a protest of innocence is about: the speaker, and a client the source names ("Simpson's
    attorney, Warren Gotcher": Simpson)."""
    a = c.attribution
    out = {a.person} if a.person else set()
    out |= {person_key(m.group(1)) for m in re.finditer(r"([A-Z][\w-]+)['’]s\b", a.source)}
    return {k for k in out if k}


def _side(c: Claim) -> str | None:
    a = c.attribution
    if a.is_outlet:
        return None
    return a.person or a.source.lower()


def counter_targets(earlier: Sequence[Claim], c: Claim, text: str) -> list[str]:
    """Ids of the earlier claims of ``c``'s article ``text`` that ``c`` contradicts, likeliest first."""
    content = text[c.content_span.start : c.content_span.end]
    side = _side(c)
    if side is None or c.response_to or c.attribution.stance in ("denies", "disputes"):
        return []
    innocence = _INNOCENCE.search(content) is not None
    if not innocence and not c.negated:
        return []
    accused = _accused(c) if innocence else set()
    window = INNOCENCE_WINDOW if innocence else NEGATED_WINDOW
    out: list[tuple[int, str]] = []
    for n, t in enumerate(reversed(earlier)):
        if c.sentence_index - t.sentence_index > window or len(out) >= MAX_TARGETS:
            break
        other = _side(t)
        if other is None or other == side or t.negated or t.response_to:
            continue
        if t.attribution.stance not in ("asserts", "claims"):
            continue
        said = text[t.content_span.start : t.content_span.end]
        if innocence:
            if accused & {w.lower() for w in _WORD.findall(said)}:
                # An accusation ("prosecutors allege") is the charge a protest of innocence answers,
                # before any other claim about the accused.
                out.append(((t.attribution.stance != "claims") * 100 + n, t.id))
        elif _restates(content, said):
            out.append((n, t.id))
    return [cid for _, cid in sorted(out)]
