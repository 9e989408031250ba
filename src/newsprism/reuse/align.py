"""Verification: seed-and-extend alignment of two token streams into passages with char offsets.

Seeds are shared word k-gram shingles; seeds on one diagonal in consecutive positions form a run;
runs that follow each other in both texts within ``max_gap`` tokens (an edited word, a dropped
clause) join into one passage. Coverage counts only tokens inside runs, so an edited passage is
credited for what it shares, not for its gaps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from newsprism.reuse.fingerprint import shingle_hashes
from newsprism.reuse.options import ReuseOptions
from newsprism.reuse.tokens import Tokens


@dataclass(frozen=True, slots=True)
class Passage:
    """Aligned token ranges ``[a0, a1)`` and ``[b0, b1)`` and the tokens they share exactly."""

    a0: int
    a1: int
    b0: int
    b1: int
    shared: int


@dataclass(frozen=True)
class Alignment:
    passages: tuple[Passage, ...]
    mask_a: np.ndarray  # token-level: True where a's token lies in a shared run
    mask_b: np.ndarray
    coverage_a: float = field(init=False)
    coverage_b: float = field(init=False)

    def __post_init__(self) -> None:
        # Computed once: classification reads coverages many times per pair.
        for side, mask in (("coverage_a", self.mask_a), ("coverage_b", self.mask_b)):
            object.__setattr__(self, side, float(mask.mean()) if mask.shape[0] else 0.0)

    @property
    def shared_tokens(self) -> int:
        return int(min(self.mask_a.sum(), self.mask_b.sum()))

    def swapped(self) -> Alignment:
        return Alignment(
            tuple(Passage(p.b0, p.b1, p.a0, p.a1, p.shared) for p in self.passages), self.mask_b, self.mask_a
        )


def _runs(sa: np.ndarray, sb: np.ndarray) -> np.ndarray:
    """Runs of shared shingles as rows (a_start, a_end, b_start) in shingle positions, a-ordered."""
    order = np.argsort(sb, kind="stable")
    sorted_b = sb[order]
    pos = np.searchsorted(sorted_b, sa)
    pos_c = np.minimum(pos, sorted_b.shape[0] - 1)
    hit = sorted_b[pos_c] == sa
    i = np.flatnonzero(hit)
    if i.shape[0] == 0:
        return np.zeros((0, 3), dtype=np.int64)
    j = order[pos_c[hit]]
    diag = j - i
    brk = np.flatnonzero((i[1:] != i[:-1] + 1) | (diag[1:] != diag[:-1])) + 1
    starts = np.concatenate(([0], brk))
    ends = np.concatenate((brk, [i.shape[0]])) - 1
    return np.stack([i[starts], i[ends] + 1, j[starts]], axis=1)


def _mask(n: int, ranges: list[tuple[int, int]]) -> np.ndarray:
    delta = np.zeros(n + 1, dtype=np.int32)
    for s, e in ranges:
        delta[s] += 1
        delta[e] -= 1
    return np.cumsum(delta[:-1]) > 0


def align(a: Tokens, b: Tokens, options: ReuseOptions) -> Alignment:
    k = options.shingle
    sa, sb = shingle_hashes(a.ids, k), shingle_hashes(b.ids, k)
    runs = _runs(sa, sb) if sa.shape[0] and sb.shape[0] else np.zeros((0, 3), dtype=np.int64)
    groups: list[list[tuple[int, int, int, int]]] = []
    for a0, a1, b0 in runs.tolist():
        run = (a0, a1 + k - 1, b0, b0 + (a1 - a0) + k - 1)  # token ranges
        if groups:
            last = groups[-1][-1]
            gap_a, gap_b = run[0] - last[1], run[2] - last[3]
            if -k < gap_a <= options.max_gap and -k < gap_b <= options.max_gap:
                groups[-1].append(run)
                continue
        groups.append([run])
    passages, ranges_a, ranges_b = [], [], []
    for group in groups:
        shared = int(
            _mask(group[-1][1] - group[0][0], [(r[0] - group[0][0], r[1] - group[0][0]) for r in group]).sum()
        )
        if shared < options.min_passage_tokens:
            continue
        passages.append(
            Passage(
                group[0][0],
                max(r[1] for r in group),
                min(r[2] for r in group),
                max(r[3] for r in group),
                shared,
            )
        )
        ranges_a.extend((r[0], r[1]) for r in group)
        ranges_b.extend((r[2], r[3]) for r in group)
    return Alignment(tuple(passages), _mask(len(a), ranges_a), _mask(len(b), ranges_b))


def char_span(tokens: Tokens, t0: int, t1: int) -> tuple[int, int]:
    """Char offsets ``[start, end)`` of the token range ``[t0, t1)``."""
    return int(tokens.starts[t0]), int(tokens.ends[t1 - 1])
