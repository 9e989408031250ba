"""Every tunable of the reuse stage in one dataclass (one configuration for all datasets)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReuseOptions:
    # Fingerprints: word k-gram shingles, MinHash per sentence, min-merged into windows of
    # ``window`` sentences. The index keeps every ``index_stride``-th window, queries use all:
    # a passage of a few sentences still meets one indexed window exactly.
    shingle: int = 5
    num_perm: int = 16
    rows_per_band: int = 2
    window: int = 3
    # Group words into blocks of this many (0: into the article's sentences) before windowing.
    block_tokens: int = 0
    index_stride: int = 3
    seed: int = 1729
    # Exact per-sentence keys beside the band keys (see fingerprint.sentence_keys), for sentences
    # of at least this many words.
    sentence_keys: bool = True
    sentence_min_tokens: int = 8
    sentence_end_keys: bool = True
    # A band bucket shared by more articles than this yields only its earliest members, so a
    # boilerplate passage or thousands of near-copies cost O(cap) per article, not O(N).
    max_fanout: int = 16
    # Verification: runs of shared shingles closer than ``max_gap`` tokens (on both sides) are
    # one passage; a pair needs ``min_passage_tokens`` aligned tokens to count at all.
    max_gap: int = 12
    min_passage_tokens: int = 8
    # A pair is reuse when one article lies (almost) wholly inside the other (short items,
    # headlines), or by the lifted sentences below.
    short_whole_coverage: float = 0.6
    # A smaller shared passage counts when it fills the gap another source leaves in an article
    # (the passage lifted into a host text, the second source of a merge).
    min_weak_tokens: int = 12
    # Whole sentences (of at least ``lifted_min_tokens`` words, outside quotation marks) lying in
    # the shared text: ``min_lifted`` of them make a pair on their own, fewer need context.
    lifted_min_tokens: int = 6
    min_lifted: int = 2
    min_weak_lifted: int = 1
    # A passage that begins a sentence in both texts and shares its first ``anchor_tokens`` words
    # counts as a lifted unit for a weak pair (a headline line glued to the next sentence; 0: off).
    anchor_tokens: int = 8
    # A passage holding two quotes and the words between them ('"…," said X. "…"', at most this
    # many words) in both texts counts as a lifted unit for a weak pair (0: off).
    quote_bridge_tokens: int = 20
    # Without any lifted unit, a shared passage of at least this many words, quoted speech included,
    # makes a weak pair kept only where it fills the gap a host leaves (candidates.gap_passages; 0: off;
    # 8-15 keep the same pairs on both benches, 20 loses news lifts of 17-18 words).
    gap_passage_tokens: int = 12
    # A weak pair is kept beside a host lying wholly inside the article (``weak_host_inside``)
    # when this share of its shared text lies outside the host's, or when that text fills this
    # share of the gap the host leaves (see engine.resolve_weak).
    weak_outside_share: float = 0.8
    weak_host_inside: float = 0.95
    weak_gap_fill: float = 0.8
    # Transitive reduction of low-coverage pairs (see engine.drop_indirect).
    indirect_max_coverage: float = 0.5
    indirect_inside_share: float = 0.8
    # Typing thresholds, shares of an article's tokens covered by the other.
    copy_coverage: float = 0.92
    high_coverage: float = 0.80
    partial_max_coverage: float = 0.50
    merge_min_share: float = 0.10
    merge_min_coverage: float = 0.30
    merge_min_union: float = 0.7
    # The side more wholly made of other articles' text is the derived one, by at least this much.
    union_margin: float = 0.05
    # A single block inserted into an otherwise whole copy of another text marks a host (even when
    # the inserted passage's source is not in the collection); off: treat it as an edit.
    single_insert_is_host: bool = True
    prefix_slack: float = 0.05
    # Rewrites: sentence-embedding alignment, one-to-one and in order.
    rewrite: bool = True
    rewrite_min_similarity: float = 0.76
    rewrite_min_aligned: float = 0.25
    rewrite_max_exact: float = 0.50
    rewrite_neighbours: int = 5
    # Mean |i/len_a - j/len_b| over aligned sentences: a rewrite follows its source through the
    # text; independent reports of one event match sentences from scattered places.
    rewrite_max_drift: float = 0.10
    rewrite_min_article_similarity: float = 0.60

    @property
    def bands(self) -> int:
        return self.num_perm // self.rows_per_band
