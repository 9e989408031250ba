"""What tells one news event from another: lead embedding, hashed TF-IDF, shared names and numbers.

Every sparse profile uses a fixed-width hashing vectorizer so a new article can be compared with stored
story profiles without refitting a vocabulary; the IDF weights are frozen at the last batch build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, HashingVectorizer

from newsprism.model import Article

N_TEXT_FEATURES = 2**18
N_NAME_FEATURES = 2**16
LEAD_MAX_CHARS = 400

# A capitalised run ("Valery Gerasimov", "New York Post") or a number ("14,000", "6.1", "2013").
_NAME = re.compile(r"\b[A-Z][\w'’\-]*(?:\s+(?:of\s+|de\s+|al-)?[A-Z][\w'’\-]*)*")
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\w])")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’]?\s+(?=[\"'“‘]?[A-Z0-9])")
# Capitalised only because they open a sentence or a heading; they say nothing about an event.
_NAME_STOP = frozenset(
    """A An The This That These Those There Here It Its He She His Her They Their Them We Our I You Your
    In On At Of For From To By With Without After Before During Since Until As And But Or Nor So Yet If
    When While Where Who Whom Whose What Which Why How Not No Yes All Some Many Most More Any Each Both
    Also However Meanwhile According Despite Although Though Because Then Now Still Even Just Only
    Mr Mrs Ms Dr Said Says Is Are Was Were Be Been Has Have Had Do Does Did Will Would Can Could May
    Might Must Should Shall Monday Tuesday Wednesday Thursday Friday Saturday Sunday Today Yesterday
    Tomorrow Photo Image Video Read More Related Advertisement Updated Posted""".split()
)


@dataclass(slots=True)
class DocFeatures:
    """Row-aligned features of a batch of articles. Sparse rows and embeddings are L2-normalised."""

    embeddings: np.ndarray  # (n, d) float32
    text: sparse.csr_matrix  # (n, N_TEXT_FEATURES) TF-IDF, hashed
    names: sparse.csr_matrix  # (n, N_NAME_FEATURES) IDF-weighted names and numbers, hashed
    times: np.ndarray  # (n,) float64 days since epoch, NaN when unknown

    def __len__(self) -> int:
        return self.embeddings.shape[0]

    def rows(self, index: np.ndarray | list[int]) -> DocFeatures:
        idx = np.asarray(index, dtype=np.int64)
        return DocFeatures(self.embeddings[idx], self.text[idx], self.names[idx], self.times[idx])


def lead_of(article: Article) -> str:
    """Title and first sentence: where an article says which event it is about."""
    first = ""
    if article.sentences:
        first = article.sentences[0].text(article.text)
    else:
        parts = _SENTENCE_END.split(article.text.strip(), maxsplit=1)
        first = parts[0] if parts else ""
    title = (article.title or "").strip()
    lead = f"{title}. {first}" if title and title not in first else (first or title)
    return " ".join(lead.split())[:LEAD_MAX_CHARS]


def names_of(text: str) -> list[str]:
    """Capitalised runs and numbers, lower-cased; single stop-words that merely open a sentence dropped."""
    out: list[str] = []
    for m in _NAME.finditer(text):
        words = m.group(0).split()
        while words and words[0] in _NAME_STOP:
            words.pop(0)
        while words and words[-1] in _NAME_STOP:
            words.pop()
        if words:
            out.append(" ".join(words).lower())
    for m in _NUMBER.finditer(text):
        out.append("#" + m.group(0).replace(",", ""))
    return out


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9][a-z0-9'’\-]+", text.lower()) if w not in ENGLISH_STOP_WORDS]


def _stem(word: str) -> str:
    """A crude suffix cut so "checks", "checked", "checking" meet; only lead terms are cut."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def lead_terms(lead: str) -> list[str]:
    """The lead's words as their own features ("^" + stem): what happened, to whom, where.

    Two events that share protagonists share most of their body vocabulary and names; their leads
    differ in the main happening ("checks into rehab" vs "is arrested"), so the lead's terms count apart
    from, and on top of, the same words in the body.
    """
    return ["^" + _stem(w) for w in _words(lead)]


def _text_terms(doc: tuple[str, str]) -> list[str]:
    lead, body = doc
    return _words(body) + lead_terms(lead) * LEAD_REPEAT


def _name_terms(doc: tuple[str, str]) -> list[str]:
    return names_of(doc[1])


# How many times each lead term is counted (under sublinear tf: weight 1 + ln(repeat)). Chosen with
# ``StoryOptions.w_text`` on ECB+ odd topics, with and without dates (BENCHMARKS.md, "Stories").
LEAD_REPEAT = 4


def text_vectorizer() -> HashingVectorizer:
    """Hashes ``(lead, body)`` pairs: body words plus the lead's own terms."""
    return HashingVectorizer(
        n_features=N_TEXT_FEATURES, analyzer=_text_terms, alternate_sign=False, norm=None
    )


def name_vectorizer() -> HashingVectorizer:
    return HashingVectorizer(
        n_features=N_NAME_FEATURES, analyzer=_name_terms, alternate_sign=False, norm=None, binary=True
    )


@dataclass(slots=True)
class Idf:
    """Frozen inverse document frequencies for both hashed spaces (smoothed as scikit-learn does)."""

    text: np.ndarray
    names: np.ndarray
    n_docs: int

    @classmethod
    def fit(cls, text_counts: sparse.csr_matrix, name_counts: sparse.csr_matrix) -> Idf:
        n = text_counts.shape[0]
        return cls(_idf(text_counts, n), _idf(name_counts, n), n)


def _idf(counts: sparse.csr_matrix, n: int) -> np.ndarray:
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
    return (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)


def _weight(counts: sparse.csr_matrix, idf: np.ndarray, sublinear: bool) -> sparse.csr_matrix:
    """IDF-weighted, L2-normalised rows; O(nnz), so weighting one new article costs microseconds."""
    m = counts.astype(np.float32).tocsr()
    m.sum_duplicates()
    if sublinear:
        m.data = 1.0 + np.log(m.data)
    m.data *= idf[m.indices]
    return _l2_rows(m)


def _l2_rows(m: sparse.csr_matrix) -> sparse.csr_matrix:
    rows = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
    norms = np.sqrt(np.bincount(rows, weights=m.data.astype(np.float64) ** 2, minlength=m.shape[0]))
    norms[norms == 0] = 1.0
    m.data = (m.data / norms[rows]).astype(np.float32)
    return m


def article_time(article: Article) -> float:
    if article.published is None:
        return float("nan")
    published = article.published
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return published.timestamp() / 86400.0


def raw_counts(articles: list[Article]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    if not articles:  # the hashing vectorizer cannot transform an empty list
        empty = sparse.csr_matrix((0, N_TEXT_FEATURES), dtype=np.float32)
        return empty, sparse.csr_matrix((0, N_NAME_FEATURES), dtype=np.float32)
    docs = [(lead_of(a), f"{a.title or ''}\n{a.text}") for a in articles]
    return text_vectorizer().transform(docs).tocsr(), name_vectorizer().transform(docs).tocsr()


def featurize(
    articles: list[Article], embeddings: np.ndarray, idf: Idf | None = None
) -> tuple[DocFeatures, Idf]:
    """Features for ``articles``; fits the IDF on them when none is given (a batch build)."""
    text_counts, name_counts = raw_counts(articles)
    if idf is None:
        idf = Idf.fit(text_counts, name_counts)
    times = np.array([article_time(a) for a in articles], dtype=np.float64)
    feats = DocFeatures(
        embeddings=np.ascontiguousarray(embeddings, dtype=np.float32),
        text=_weight(text_counts, idf.text, sublinear=True),
        names=_weight(name_counts, idf.names, sublinear=False),
        times=times,
    )
    return feats, idf
