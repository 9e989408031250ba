"""Which reports are independent: per article for whole copies, per passage for shared parts.

A reuse pair that makes one text of two (a reprint, a version, a cut, a copy with edits, a rewrite)
makes them one report for everything they say. A pair that shares only some passages (a press
notice's product list pasted into two outlets' own stories, a broadcaster merging a wire story with
its own reporting) makes a statement lying in what the pair shares the other article's report too;
the rest of each article is its own reporting. Chaining whole articles over such pairs (connected
components) would make every outlet that pasted one notice a single report for every fact,
including those each wrote on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher
from itertools import combinations
from typing import Any

from newsprism.claims.model import Claim
from newsprism.components import connected_components
from newsprism.ingest.meta import wire_name
from newsprism.model import Article

# Pair types that say the two texts are one text: a reprint, a cut of it, the same outlet's version,
# and a rewrite. The rewrite detector accepts only texts that follow each other sentence by sentence
# from start to end (in order, at the same relative places): a paraphrase of the whole source, whose
# unaligned sentences are the source's too, merged, split or garbled (the reference case's rewrite
# aligns 7 sentences, 27% of each text, and its other lines, "Two deaths were reported in the eastern
# town of Yarova", are the wire's lines reworded).
WHOLE_TYPES = frozenset({"copy", "truncated", "revision", "rewrite"})
# An edited copy is one text when the shared text is most of both articles (the reuse layer's own
# line between "edited" and "partial"); a short text inside a long one shares only that much of it.
WHOLE_IF_COVERED = frozenset({"edited"})
WHOLE_COVERAGE = 0.5
# A claim lies in the shared text when most of its characters do; it is printed whole in the other
# text when three quarters do (a wire line retyped in house style, "US" for "U.S.", "Pope
# Francis's funeral" for "the pope's funeral", keeps 79% of its characters in the shared text).
INSIDE = 0.5
WHOLLY = 0.75
# A pasted line retyped with other quotation marks or dashes is matched in pieces a few characters
# apart on both sides (a notice's product line pasted by two stations was matched 48%): passages in
# the same order with at most this many characters between them on each side are one stretch.
GAP = 40
# A line two reports print word for word, outside quotation marks, came to both from one text however
# the reuse pairs missed it: one lifted sentence ("The latest figure exceeded the 85 people who
# perished in a 2018 fire in the town of Paradise") is too little to pair two articles, not too
# little to say that the fact reached both from one report. Fifteen words in one unquoted run do not
# recur by chance; a quotation printed alike by both is the speaker's words, not a copy.
LIFTED_RUN = 15
_WORD = re.compile(r"\w+(?:[.,]\d+)*")  # "22.5", "2,200": one word each


def whole_copy(pair: Any) -> bool:
    """The pair makes its two articles one report for everything they say. "merged", "partial" and
    "partial-host" never do, however much they share: a merge's own passages are its own reporting
    (a broadcaster merging the wire with its own lines shares 55% of itself with the wire)."""
    if pair.type in WHOLE_TYPES:
        return True
    return pair.type in WHOLE_IF_COVERED and min(pair.coverage_a, pair.coverage_b) >= WHOLE_COVERAGE


def _wire_of(article: Article) -> str | None:
    """The one outlet an article credits as the publisher of its text ("LONDON (Reuters) -", a closing
    "— AP", "via Reuters"): the copy is that outlet's report, whoever carries it."""
    credits = article.extra.get("credits") if isinstance(article.extra, dict) else None
    names = {
        str(c.get("name"))
        for c in credits or ()
        if isinstance(c, dict) and c.get("role") == "publisher" and c.get("name")
    }
    return names.pop() if len(names) == 1 else None


def one_report_per_wire(articles: Sequence[Article], report: dict[str, str]) -> dict[str, str]:
    """Copies of one wire's text that share no passage the reuse layer found (two versions of the
    story, or texts cut differently) are still that wire's one report: the reports of articles
    crediting the same publisher are joined."""
    parent: dict[str, str] = {}

    def root(r: str) -> str:
        while parent.get(r, r) != r:
            r = parent[r]
        return r

    first: dict[str, str] = {}
    for a in articles:
        wire = _wire_of(a)
        if wire:
            ra, rb = root(report[a.id]), root(first.setdefault(wire, report[a.id]))
            if ra != rb:
                parent[ra] = rb
    return {aid: root(r) for aid, r in report.items()}


def _outlet_key(name: str | None) -> tuple[str | None, bool]:
    """A comparable key for an outlet's name, and whether it names a news agency."""
    if not name or not name.strip():
        return None, False
    bare = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE)
    wire = wire_name(name) or wire_name(bare)
    return (wire or bare).lower(), wire is not None


Stretches = list[tuple[int, int]]


def _stretches(passages: Sequence[Any]) -> tuple[Stretches, Stretches]:
    """The passages of one pair on each side, with pieces of one retyped stretch joined."""
    pa: Stretches = []
    pb: Stretches = []
    for (a0, a1), (b0, b1) in sorted((tuple(x[0]), tuple(x[1])) for x in passages):
        # in order on both sides (pieces may overlap), and close
        if pa and b0 >= pb[-1][0] and a0 - pa[-1][1] <= GAP and b0 - pb[-1][1] <= GAP:
            pa[-1], pb[-1] = (pa[-1][0], max(a1, pa[-1][1])), (pb[-1][0], max(b1, pb[-1][1]))
        else:
            pa.append((a0, a1))
            pb.append((b0, b1))
    return pa, pb


def _inside(span: Any, passages: Sequence[tuple[int, int]], share: float = INSIDE) -> bool:
    length = span.end - span.start
    if length <= 0:
        return False
    covered, reached = 0, span.start
    for a, b in sorted(passages):  # passages may overlap: count each character once
        a, b = max(a, reached), min(b, span.end)
        if b > a:
            covered, reached = covered + b - a, b
    return covered >= share * length


class Independence:
    """Article -> report over whole copies (``report_of``), and claim -> report for the statements
    of one fact, joined further where they lie in passages a partial pair shares (``claim_reports``):
    a statement inside text it shares with another article is that article's report too."""

    def __init__(
        self,
        articles: Sequence[Article],
        pairs: Sequence[Any] | None,
        group_of: dict[str, str],
        reports: dict[str, str] | None = None,
    ):
        """``reports``: the whole-copy reports already worked out over a larger batch (a story
        analysed on its own gets them with the partial pairs of its articles)."""
        ids = list(dict.fromkeys([a.id for a in articles] + list(group_of)))
        whole = [p for p in pairs or () if whole_copy(p)]
        report = {m: comp[0] for comp in connected_components(ids, ((p.a, p.b) for p in whole)) for m in comp}
        if reports is not None:
            report = {m: reports.get(m, m) for m in ids}
        elif pairs is None:  # groups without the pairs they came from: the groups are all there is
            report = {m: group_of.get(m, m) for m in ids}
        self._report = one_report_per_wire(articles, report)
        # outlet or agency name -> the report of its article here ("Reuters" -> the Reuters story)
        self._outlets: dict[str, str] = {}
        for a in articles:
            for name in (a.outlet, _wire_of(a)):
                if key := _outlet_key(name)[0]:
                    self._outlets.setdefault(key, self.report_of(a.id))
        # article -> (partner, the stretches a partial pair with it shares: its own, the partner's)
        self._shared: dict[str, list[tuple[str, Stretches, Stretches]]] = {}
        for p in pairs or ():
            if whole_copy(p) or not p.passages:
                continue
            pa, pb = _stretches(p.passages)
            self._shared.setdefault(p.a, []).append((p.b, pa, pb))
            self._shared.setdefault(p.b, []).append((p.a, pb, pa))

    def report_of(self, article_id: str) -> str:
        return self._report.get(article_id, article_id)

    def _credited(self, c: Claim) -> str | None:
        """The report a claim credits in the text ("..., reported Reuters", "according to the AP"):
        the credited outlet's story here, or that agency's one report when no story of its is here.
        A credited outlet relays its own reporting; the carrying article adds nothing to it."""
        a = c.attribution
        if a.is_outlet or a.person:
            return None
        key, wire = _outlet_key(a.source)
        if key in self._outlets:
            return self._outlets[key]
        return f"wire:{key}" if wire else None

    def _sources(self, c: Claim, claims: Sequence[Claim]) -> list[str]:
        """The reports whose text a statement lies in. A statement a partial pair's partner prints
        whole is the partner's too (whether or not the partner's own line was grouped with it: a
        wire line one outlet retyped in house style is not found as shared text). One that only
        mostly lies in the shared text is the partner's when a grouped statement of the partner's
        lies there too; two leads sharing a phrase ("in 13 states, including 33 hospitalizations
        and two deaths") are still two leads."""
        out = []
        for partner, mine, theirs in self._shared.get(c.article_id, ()):
            if _inside(c.span, mine, WHOLLY) or (
                _inside(c.span, mine)
                and any(_inside(o.span, theirs) for o in claims if o.article_id == partner)
            ):
                out.append(self.report_of(partner))
        return out

    def reports_of(self, c: Claim) -> frozenset[str]:
        """Every report one statement belongs to, on its own (no fact around it): its article's and
        those of the partial pairs' partners that print it whole. Two statements with no report in
        common are from different reports (single-source support looks only at those)."""
        mine = self._credited(c) or self.report_of(c.article_id)
        shared = self._shared.get(c.article_id, ())
        return frozenset([mine, *(self.report_of(p) for p, own, _ in shared if _inside(c.span, own, WHOLLY))])

    def claim_reports(self, claims: Sequence[Claim]) -> dict[str, str]:
        """Each claim's report for this one fact: the outlet it credits, else its article's whole-copy
        report; joined with the report of an article that shares the passage the claim lies in, so
        two outlets printing one notice's line, or one wire's, are one report for it, and with that of
        a claim printing a run of its words (``lifted``)."""
        report = {c.id: self._credited(c) or self.report_of(c.article_id) for c in claims}
        edges = [(report[c.id], other) for c in claims for other in self._sources(c, claims)]
        edges += [
            (report[a.id], report[b.id])
            for a, b in combinations(claims, 2)
            if report[a.id] != report[b.id] and a.article_id != b.article_id and lifted(a, b)
        ]
        names = list(dict.fromkeys([*report.values(), *(b for _, b in edges)]))
        root = {m: comp[0] for comp in connected_components(names, edges) for m in comp}
        return {cid: root[r] for cid, r in report.items()}


def _unquoted_words(c: Claim, side: str) -> list[str]:
    """The claim's words, lower case, each quoted word a token of its own that matches nothing."""
    quoted = [(q.span.start - c.span.start, q.span.end - c.span.start) for q in c.quotes]
    return [
        f"\0{side}{i}" if any(s <= m.start() < e for s, e in quoted) else m.group(0).lower()
        for i, m in enumerate(_WORD.finditer(c.text))
    ]


def lifted(a: Claim, b: Claim, run: int = LIFTED_RUN) -> bool:
    """The two claims share a run of at least ``run`` unquoted words. Headlines are left out: their
    set formulas ("X sentenced to 22.5 years in prison for the murder of Y") recur by themselves."""
    if a.sentence_index == 0 or b.sentence_index == 0:
        return False
    wa, wb = _unquoted_words(a, "a"), _unquoted_words(b, "b")
    if min(len(wa), len(wb)) < run or len(set(wa) & set(wb)) < run * 2 // 3:
        return False  # too few words in common for a run of ``run`` (words repeat, hence 2/3)
    match = SequenceMatcher(None, wa, wb, autojunk=False).find_longest_match(0, len(wa), 0, len(wb))
    return match.size >= run


def partial_pairs(pairs: Sequence[Any]) -> dict[str, list[Any]]:
    """Each article's pairs that share only part of it (what a story analysed on its own needs)."""
    out: dict[str, list[Any]] = {}
    for p in pairs:
        if not whole_copy(p) and p.passages:
            out.setdefault(p.a, []).append(p)
            out.setdefault(p.b, []).append(p)
    return out


def independence_of(reuse: Any, articles: Sequence[Article]) -> Independence | None:
    """The reuse layer's independence, or None without one (each article is then its own report)."""
    group_of = getattr(reuse, "group_of", None) if reuse is not None else None
    if not isinstance(group_of, dict):
        return None
    return Independence(articles, getattr(reuse, "pairs", None), group_of, getattr(reuse, "reports", None))


ClaimReports = Callable[[Sequence[Claim]], dict[str, str]]
