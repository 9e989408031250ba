"""Text reuse and provenance: who copied whom, with the passages as evidence.

Candidates come from MinHash LSH over passage windows (so a lifted paragraph is found, not only
whole-document duplicates); each candidate pair is verified by a token alignment that yields char
offsets in both articles; pairs are typed (copy, revision, truncated, edited, merged, partial,
partial-host, rewrite) and directed from dates or textual evidence; derivation edges form the
independent-source groups other stages count.
"""

from newsprism.reuse.options import ReuseOptions

__all__ = ["ReuseOptions"]
