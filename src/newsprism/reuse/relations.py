"""Typing verified pairs (copy, truncated, edited, merged, partial, partial-host, revision) in the
context of every other pair an article takes part in, and directing them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsprism.reuse.align import char_span
from newsprism.reuse.candidates import Evidence
from newsprism.reuse.direction import DirectionCue, by_date, by_markers, by_record
from newsprism.reuse.options import ReuseOptions
from newsprism.reuse.result import ReusePair

CONTAINED = 0.95


@dataclass
class Layout:
    """Where the uncovered words of one side lie relative to the shared text."""

    head: int
    middle: int
    tail: int
    n: int
    blocks: int = 0  # separate uncovered stretches between the first and last shared word

    @classmethod
    def of(cls, mask: np.ndarray) -> Layout:
        idx = np.flatnonzero(mask)
        n = int(mask.shape[0])
        if idx.shape[0] == 0:
            return cls(n, 0, 0, n)
        first, last = int(idx[0]), int(idx[-1])
        inner = ~mask[first : last + 1]
        blocks = int(np.count_nonzero(inner[1:] & ~inner[:-1]) + (inner[0] if inner.shape[0] else 0))
        return cls(first, int(inner.sum()), n - 1 - last, n, blocks)


class Context:
    """For each article, the masks its partners cover on it (a merge is seen only across pairs)."""

    def __init__(
        self,
        evidence: Sequence[Evidence],
        options: ReuseOptions,
        markers: dict[tuple[str, str], DirectionCue | None] | None = None,
    ):
        self.options = options
        # article -> (partner, mask the partner covers on it, partner's coverage, its own coverage)
        self.cover: dict[str, list[tuple[str, np.ndarray, float, float]]] = defaultdict(list)
        for ev in evidence:
            al = ev.alignment
            self.cover[ev.a.id].append((ev.b.id, al.mask_a, al.coverage_b, al.coverage_a))
            self.cover[ev.b.id].append((ev.a.id, al.mask_b, al.coverage_a, al.coverage_b))
        self._sources: dict[str, set[str]] = {}
        # Marker cues depend on the pair alone; ``classify`` may run twice over the same pairs
        # (engine.prune, then the final typing), so a caller can share this memo between runs.
        self.markers: dict[tuple[str, str], DirectionCue | None] = markers if markers is not None else {}

    def marker_cue(self, ev: Evidence) -> DirectionCue | None:
        key = (ev.a.id, ev.b.id)
        if key not in self.markers:
            al = ev.alignment
            self.markers[key] = by_markers(ev.a, ev.ta, al.mask_a, ev.b, ev.tb, al.mask_b)
        return self.markers[key]

    def merge_sources(self, x: str) -> set[str]:
        """Partners that each add a distinct share of x, skipping partners x wholly contains
        (those are more likely cut from x than sources of it)."""
        if x in self._sources:
            return self._sources[x]
        cover = self.cover.get(x, [])
        # A partner wholly inside x that fills most of it is a host with a passage inserted into
        # it (partial-host), not one of several merged sources.
        if any(other_cov >= CONTAINED and own >= 0.5 for _, _, other_cov, own in cover):
            self._sources[x] = set()
            return self._sources[x]
        # A merge is made of its sources' text; an original that several derived articles each
        # drew a different part from is covered only in those parts.
        if self.union_coverage(x) < self.options.merge_min_union:
            self._sources[x] = set()
            return self._sources[x]
        partners = [(p, m, own) for p, m, other_cov, own in cover if other_cov < CONTAINED]
        partners.sort(key=lambda pm: -pm[2])
        found: set[str] = set()
        if partners:
            n = partners[0][1].shape[0]
            union = np.zeros(n, dtype=bool)
            need = max(self.options.merge_min_share * n, self.options.min_passage_tokens)
            for p, m, _ in partners:
                if int((m & ~union).sum()) >= need:
                    found.add(p)
                union |= m
            # One partner covering most of x explains x alone: a merge takes parts of each source.
            if partners[0][2] >= self.options.high_coverage:
                found = set()
        self._sources[x] = found if len(found) >= 2 else set()
        return self._sources[x]

    def covered_by_others(self, x: str, exclude: str, region: np.ndarray) -> float:
        """Share of x's ``region`` tokens that partners other than ``exclude`` cover."""
        total = int(region.sum())
        if total == 0:
            return 0.0
        union = np.zeros_like(region)
        for p, m, p_cov, _ in self.cover.get(x, []):
            # A partner lying wholly inside x is likely cut from x: it explains nothing about x.
            if p != exclude and p_cov < CONTAINED:
                union |= m
        return float((union & region).sum()) / total

    def host_of(self, x: str, exclude: str, shared: np.ndarray) -> str | None:
        """A partner (other than ``exclude``) lying wholly inside x and filling most of it, whose
        text leaves out most of ``shared``: x is that host with a passage added, so x is the
        derived side of the pair that shares the passage."""
        need = 0.5 * int(shared.sum())
        for p, m, p_cov, own in self.cover.get(x, []):
            if p != exclude and p_cov >= CONTAINED and own >= 0.5 and int((shared & ~m).sum()) > need:
                return p
        return None

    def union_coverage(self, x: str) -> float:
        """Share of x that partners cover, leaving out partners that hold all of x: those are
        copies of x or hosts built on it, evidence of x being a source, not of being derived."""
        masks = [m for _, m, _, own in self.cover.get(x, []) if own < CONTAINED]
        if not masks:
            return 0.0
        return float(np.logical_or.reduce(masks).mean())


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def _contained(ev: Evidence, ctx: Context, opts: ReuseOptions) -> tuple[str, str | None, str]:
    """Types for a pair where one side (s) lies wholly inside the other (big)."""
    al = ev.alignment
    s, big = ("a", "b") if al.coverage_a >= al.coverage_b else ("b", "a")
    art = {"a": ev.a, "b": ev.b}
    mask_l = al.mask_b if big == "b" else al.mask_a
    cov_l = al.coverage_b if big == "b" else al.coverage_a
    lay = Layout.of(mask_l)
    extra = ~mask_l
    inserted_from_elsewhere = ctx.covered_by_others(art[big].id, art[s].id, extra) >= 0.5
    small_middle = lay.middle <= max(5, 0.05 * lay.n)
    sid, lid = art[s].id, art[big].id
    if inserted_from_elsewhere and (not small_middle or lay.middle >= opts.min_weak_tokens):
        return (
            "partial-host",
            big,
            (
                f"{lid} is {sid}'s text with a passage from another article inserted "
                f"({lay.middle} words in the middle, found elsewhere)"
            ),
        )
    if cov_l >= opts.high_coverage and small_middle:
        who = big if lay.head + lay.tail > 0 else None
        return (
            "copy",
            who,
            (
                f"{sid} lies wholly inside {lid}; {lid} adds only {lay.head + lay.tail} words "
                f"before/after it ({_pct(cov_l)} of {lid} shared)"
            ),
        )
    if small_middle:
        where = "end" if lay.tail >= lay.head else "beginning"
        return (
            "truncated",
            s,
            (
                f"{sid} is {lid} cut at the {where}: all of {sid} is in {lid}, which has "
                f"{lay.head + lay.tail} more words (superset is the source)"
            ),
        )
    if inserted_from_elsewhere or (lay.blocks == 1 and opts.single_insert_is_host):
        return (
            "partial-host",
            big,
            (
                f"{lid} is {sid}'s whole text with one block of {lay.middle} words inserted"
                + (" (found in another article)" if inserted_from_elsewhere else "")
            ),
        )
    return (
        "edited",
        s,
        (
            f"{sid} lies inside {lid} except for edits; {lid} has {lay.middle} words {sid} lacks "
            f"inside the shared text (superset is the source)"
        ),
    )


def _uncontained(ev: Evidence, ctx: Context, opts: ReuseOptions) -> tuple[str, str | None, str]:
    al = ev.alignment
    a, b = ev.a.id, ev.b.id
    sides = [(x, y, side) for x, y, side in ((a, b, "a"), (b, a, "b")) if y in ctx.merge_sources(x)]
    # Both look built from several sources: the one more wholly made of others' text is the merge.
    sides.sort(key=lambda xys: -ctx.union_coverage(xys[0]))
    if sides:
        x, y, side = sides[0]
        others = ", ".join(sorted(ctx.merge_sources(x) - {y}))
        return (
            "merged",
            side,
            (
                f"{x} is built from several sources: {y} covers "
                f"{_pct(al.coverage_a if side == 'a' else al.coverage_b)} of it, {others} other parts"
            ),
        )
    if min(al.coverage_a, al.coverage_b) >= opts.partial_max_coverage:
        ua, ub = int((~al.mask_a).sum()), int((~al.mask_b).sum())
        side = "a" if ua < ub else "b" if ub < ua else None
        return (
            "edited",
            side,
            (
                f"both mostly shared ({_pct(al.coverage_a)} of {a}, {_pct(al.coverage_b)} of {b}) "
                f"with edits; the side with more material of its own is taken as the source"
            ),
        )
    ha, hb = ctx.host_of(a, b, al.mask_a), ctx.host_of(b, a, al.mask_b)
    if bool(ha) != bool(hb):
        side = "a" if ha else "b"
        why = f"; {a if ha else b} is {ha or hb}'s whole text with this passage added"
    else:
        xa, xb = ctx.union_coverage(a), ctx.union_coverage(b)
        side = "a" if xa - xb >= opts.union_margin else "b" if xb - xa >= opts.union_margin else None
        why = "" if side is None else f"; {a if side == 'a' else b} is made mostly of other articles' text"
    if len(al.passages) >= 2 and max(al.coverage_a, al.coverage_b) >= opts.merge_min_coverage:
        return (
            "merged",
            side,
            (
                f"{len(al.passages)} separate passages shared ({_pct(al.coverage_a)} of {a}, "
                f"{_pct(al.coverage_b)} of {b}): one is assembled from parts of the other{why}"
            ),
        )
    return (
        "partial",
        side,
        (
            f"a passage of {al.shared_tokens} words is shared ({_pct(al.coverage_a)} of {a}, "
            f"{_pct(al.coverage_b)} of {b}){why}"
        ),
    )


def _same_source(ev: Evidence) -> str | None:
    a, b = ev.a, ev.b
    if a.identity_key and a.identity_key == b.identity_key:
        return f"same identity ({a.identity_key})"
    oa, ob = a.outlet_domain or a.outlet, b.outlet_domain or b.outlet
    if oa and ob and oa.lower() == ob.lower():
        return f"same outlet ({oa})"
    return None


def _direct(ev: Evidence, structural: DirectionCue, contained: bool, ctx: Context) -> DirectionCue:
    cues = [by_record(ev.a, ev.b), by_date(ev.a, ev.b)]
    # When one text lies wholly inside the other, the containment says more than a stray
    # "updated" or credit line in the part only one of them has.
    if not (contained and structural.derived):
        cues.append(ctx.marker_cue(ev))
    for cue in cues:
        if cue is not None:
            return cue
    return structural


def classify(ev: Evidence, ctx: Context, opts: ReuseOptions) -> ReusePair:
    al = ev.alignment
    if ev.exact:
        rtype, side, reason = "copy", None, "identical text (same content hash)"
    elif max(al.coverage_a, al.coverage_b) >= CONTAINED:
        rtype, side, reason = _contained(ev, ctx, opts)
    else:
        rtype, side, reason = _uncontained(ev, ctx, opts)
    structural = DirectionCue(
        side, "structure: " + reason if side else "no evidence of order", 0.6 if side else 0.0
    )
    contained = max(al.coverage_a, al.coverage_b) >= CONTAINED
    cue = _direct(ev, structural, contained, ctx)
    same = _same_source(ev)
    markers = cue.reason.startswith("revision marker") or cue.reason.startswith(f"{ev.a.id} is stored")
    # Correction markers make a revision only of texts that each keep material of their own.
    versions = rtype in ("edited", "partial") or (
        rtype == "merged" and not (ctx.merge_sources(ev.a.id) or ctx.merge_sources(ev.b.id))
    )
    by_marker = markers and versions and min(al.coverage_a, al.coverage_b) >= 0.3
    if rtype in ("edited", "truncated", "copy", "partial", "merged") and not ev.exact and (same or by_marker):
        reason = f"revision ({same or cue.reason}): {reason}"
        rtype = "revision"
    direction = {"a": "b->a", "b": "a->b"}.get(cue.derived or "", "unknown")
    confidence = min(0.97, 0.5 + ev.unquoted_shared / 400 + 0.2 * max(al.coverage_a, al.coverage_b))
    passages = tuple((char_span(ev.ta, p.a0, p.a1), char_span(ev.tb, p.b0, p.b1)) for p in al.passages)
    return ReusePair(
        ev.a.id,
        ev.b.id,
        rtype,
        direction,
        round(confidence, 3),
        reason,
        al.coverage_a,
        al.coverage_b,
        passages,
        cue.reason,
    )
