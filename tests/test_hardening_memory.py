"""Memory bounded by bytes (issue #15): ingest batches by size, one huge one-line article scanned in
pieces, and analysis of a long article within a per-article cap that the report states."""

from __future__ import annotations

import random
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from newsprism.analysis import PipelineOptions
from newsprism.api import AnalyzeOptions, IngestOptions, analyze, ingest
from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.limits import analysis_view
from newsprism.report import render_report
from newsprism.report.json_report import dumps
from newsprism.report.schema import validate_report
from newsprism.reuse import fingerprint, tokens
from newsprism.reuse.candidates import CandidateFinder
from newsprism.reuse.options import ReuseOptions
from newsprism.store import Store
from newsprism.text import normalize

WORDS = ("troops minister said Tuesday officials denied attack residents reported explosions bridge "
         "Kursk region border drones village").split()


def one_line(n_chars: int, seed: int = 0) -> str:
    """Sentences of news-like words on one line, about ``n_chars`` long."""
    rng = random.Random(seed)
    out, n = [], 0
    while n < n_chars:
        s = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 20))).capitalize() + ". "
        out.append(s)
        n += len(s)
    return "".join(out).strip()


def _peak(fn, *args):
    tracemalloc.start()
    try:
        result = fn(*args)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_ingest_batches_are_bounded_by_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(5):
        (tmp_path / f"a{i}.txt").write_text(one_line(300_000, seed=i))
    sizes: list[int] = []
    real = Store.add_articles

    def spy(self, batch, conn=None):
        sizes.append(len(batch))
        return real(self, batch, conn)

    monkeypatch.setattr(Store, "add_articles", spy)
    options = IngestOptions(batch_size=200, batch_bytes=500_000, link=False)
    report = ingest([tmp_path], tmp_path / "s.db", options)
    assert report.new == 5
    # 300 KB each: a batch is committed as soon as it holds two (600 KB over a 500 KB budget).
    assert sizes == [2, 2, 1]


def test_normalize_does_not_rebuild_a_long_line_word_by_word() -> None:
    text = one_line(2_000_000)
    out, peak = _peak(normalize, text)
    assert out == text
    # The input and one copy; a string per word was ~14 bytes per character.
    assert peak < 5 * len(text), f"{peak / len(text):.1f} bytes per character"


def test_normalize_still_collapses_every_kind_of_horizontal_space() -> None:
    assert normalize("a  b\tc\u00a0d \u2003 e\u3000f  ") == "a b c d e f"
    assert normalize("one two") == "one two"


def test_tokens_of_a_long_text_are_scanned_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3)
    pieces = [rng.choice(["Kursk", "ÖSTERREICH", "naïve", "𝔘𝔫𝔦", "东京", "snake_case", "42,000", "—", "\n"])
              for _ in range(20_000)]
    text = " ".join(pieces)
    whole = tokens.TokenHasher().tokens(text)
    monkeypatch.setattr(tokens, "SCAN_CHARS", 997)
    cut = tokens.TokenHasher().tokens(text)
    for field in ("ids", "starts", "ends"):
        assert np.array_equal(getattr(whole, field), getattr(cut, field))
    # A run of word characters longer than two pieces (no real word is) is still covered, in pieces.
    endless = tokens.TokenHasher().tokens("a" * 3000 + " b")
    assert endless.starts.tolist()[0] == 0 and endless.ends.tolist()[-1] == 3002
    assert sum((endless.ends - endless.starts).tolist()) == 3001


def test_tokens_memory_does_not_grow_with_one_long_line() -> None:
    text = one_line(4_000_000)
    result, peak = _peak(tokens.TokenHasher().tokens, text)
    # The result is 24 bytes per word (~5 per character, twice while concatenating); a whole-text
    # scan held ~50 bytes per character of work arrays.
    assert len(result) > 500_000
    assert peak < 20 * len(text), f"{peak / len(text):.1f} bytes per character"


def _keys(arts):
    finder = CandidateFinder(ReuseOptions())
    k = finder.keys(finder.words(arts))
    return [k.query_keys, k.query_docs, k.index_keys, k.index_docs]


def _article(text: str, url: str):
    return build_article(RawDocument(text=text, source=url, format="text", url=url, outlet="X"))


def test_sketches_in_slices_equal_sketches_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    arts = [_article(one_line(20_000, seed=s), f"https://x.example/{s}") for s in range(3)]
    # One sentence much longer than a slice, so a slice edge falls inside it.
    arts.append(_article(" ".join(WORDS * 40) + ".", "https://x.example/long"))
    at_once = _keys(arts)
    monkeypatch.setattr(fingerprint, "SKETCH_SHINGLES", 37)
    for a, b in zip(at_once, _keys(arts), strict=True):
        assert np.array_equal(a, b)


def test_sketch_memory_is_bounded_per_slice() -> None:
    art = _article(one_line(3_000_000), "https://x.example/big")
    spans = [(s.start, s.end) for s in art.sentences]
    ids, unit = tokens.TokenHasher().chunk_words([art.text], [spans])  # the whole text, uncapped
    lengths = np.bincount(unit, minlength=len(spans))
    words = fingerprint.ChunkWords(ids, lengths, np.zeros(len(spans), np.int64), 1)
    options = ReuseOptions()
    _, peak = _peak(fingerprint.chunk_keys, words, options, fingerprint.Permutations.make(options))
    n = ids.shape[0]
    # All shingles at once took ~170 bytes per word here (3 arrays of 16 permutations x 4 bytes
    # per shingle), growing to ~600 MB on a 19 MB article; sliced, ~80 here and less the longer.
    assert peak < 110 * n, f"{peak / n:.0f} bytes per word"


def test_analysis_view_cuts_at_a_sentence_end_and_keeps_offsets() -> None:
    art = _article(one_line(50_000), "https://x.example/v")
    view = analysis_view(art, 10_000)
    assert 5_000 <= len(view.text) <= 10_000 and art.text.startswith(view.text)
    assert view.text.endswith(".") and view.id == art.id
    assert view.sentences == [s for s in art.sentences if s.end <= len(view.text)]
    assert analysis_view(art, len(art.text)) is art
    endless = _article("word " * 5000, "https://x.example/e")  # no sentence end at all
    view = analysis_view(endless, 1000)
    assert len(view.text) == 1000 and view.sentences[-1].end == 1000


def test_long_article_is_analysed_in_part_and_the_report_says_so(tmp_path: Path) -> None:
    text = one_line(400_000)
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(f"Outlet: {name.upper()} News\n\n{text}\n")
    options = AnalyzeOptions(pipeline=PipelineOptions(stages=["reuse"]), max_chars=20_000)
    db = tmp_path / "s.db"
    report = analyze([tmp_path / "a.txt", tmp_path / "b.txt"], db, options)
    validate_report(report)
    entries = report["articles"]
    assert len(entries) == 2
    for entry in entries:
        cut = entry["analysis_truncated_at"]
        assert cut <= 20_000 and len(entry["text"]) == cut and entry["n_chars"] > 390_000
        assert f"truncated for analysis at offset {cut}" in entry["notice"]
    pairs = report["reuse"]["pairs"]
    ends = [p[side][1] for pair in pairs for p in pair["passages"] for side in ("a", "b")]
    assert ends and max(ends) <= 20_000
    assert len(dumps(report)) < 200_000  # the report carries what was analysed, not 2 x 400 KB
    with Store.open(db) as store:  # the stored articles stay whole
        assert all(len(a.text) > 390_000 for a in store.get_articles([e["id"] for e in entries]))
    for fmt in ("markdown", "html"):
        assert "truncated for analysis at offset" in render_report(report, fmt)


def test_ingest_links_long_articles_within_the_analysis_cap(tmp_path: Path) -> None:
    from newsprism.limits import ANALYSIS_MAX_CHARS
    from newsprism.reuse.index import ReuseIndex

    text = one_line(2 * ANALYSIS_MAX_CHARS)
    (tmp_path / "a.txt").write_text(f"Outlet: A News\n\n{text}\n")
    (tmp_path / "b.txt").write_text(f"Outlet: B News\n\n{text} One more line.\n")
    db = tmp_path / "s.db"
    assert ingest([tmp_path / "a.txt", tmp_path / "b.txt"], db).new == 2
    with Store.open(db) as store:
        pairs = ReuseIndex(store).pairs()
    assert pairs  # found from the first part, as analyze would find it
    ends = [end for p in pairs for pa, pb in p.passages for end in (pa[1], pb[1])]
    assert max(ends) <= ANALYSIS_MAX_CHARS


def test_reuse_index_tokenises_only_what_analysis_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stored candidates, exact copies and neighbours are tokenised within the analysis cap: whole
    texts took ~100 MB of tokens per 19 MB candidate, and many of them took ingest past 1 GB."""
    from newsprism.limits import ANALYSIS_MAX_CHARS
    from newsprism.reuse.index import ReuseIndex

    text = one_line(2 * ANALYSIS_MAX_CHARS + 50_000, seed=5)
    base = _article(text, "https://a.example/1")
    near = _article(text.replace("bridge", "bridges"), "https://b.example/1")
    copy = build_article(RawDocument(text=text, source="c", format="text", url="https://c.example/1",
                                     outlet="Y"))
    assert copy.content_hash == base.content_hash and copy.id != base.id
    scanned: list[int] = []
    real = tokens.TokenHasher.tokens
    monkeypatch.setattr(tokens.TokenHasher, "tokens", lambda self, t: scanned.append(len(t)) or real(self, t))
    with Store.open(tmp_path / "r.db") as store:
        # A fresh index per add, as separate ingests: every earlier article comes from the store.
        assert ReuseIndex(store).add([base]) == []
        [near_pair] = ReuseIndex(store).add([near])
        [copy_pair] = ReuseIndex(store).add([copy])  # exact copy of a stored text; base-near re-aligned
        assert max(scanned) <= ANALYSIS_MAX_CHARS + 1, f"tokenised {max(scanned):,} characters"
        assert {near_pair.a, near_pair.b} == {base.id, near.id}
        assert {copy_pair.a, copy_pair.b} == {base.id, copy.id} and copy_pair.type == "copy"
        assert copy_pair.coverage_a == copy_pair.coverage_b == 1.0
        cut = len(analysis_view(base).text)
        [((a0, a1), (b0, b1))] = copy_pair.passages  # the whole analysed part, to its last word
        assert a0 == b0 == 0 and a1 == b1 and cut - 3 <= a1 <= cut
        assert len(ReuseIndex(store).pairs()) == 2


def test_story_rebuild_holds_what_analysis_reads_a_page_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild clusters every stored article: it read them all whole (a list of full texts) and
    computed features from whole texts, so memory grew with the store's bytes (~8 MB per stored
    1 MB article here); now it grows with what analysis reads of each."""
    import newsprism.store.store as store_module
    from newsprism.limits import ANALYSIS_MAX_CHARS
    from newsprism.stories import features
    from newsprism.stories.repo import StoryStore

    n_chars = 1_000_000
    huge = [_article(one_line(n_chars, seed=s), f"https://x.example/{s}") for s in range(5)]
    short = [_article(f"Short {s}. " + one_line(2_000, seed=s), f"https://y.example/{s}") for s in range(3)]
    featurized: list[int] = []
    real = features.raw_counts
    monkeypatch.setattr(features, "raw_counts", lambda a: featurized.extend(len(x.text) for x in a)
                        or real(a))
    # one huge article per page (raising=False: the name is new with the fix)
    monkeypatch.setattr(store_module, "PAGE_CHARS", n_chars + 10_000, raising=False)
    peaks = []
    for n_huge in (2, 5):
        with Store.open(tmp_path / f"s{n_huge}.db") as store:
            store.add_articles(short + huge[:n_huge])
            report, peak = _peak(StoryStore(store).rebuild)
            with store.engine.connect() as conn:
                members = conn.exec_driver_sql("SELECT count(DISTINCT article_id) FROM story_members")
                members = members.scalar()
        assert report.n_articles == members == 3 + n_huge
        peaks.append(peak)
    per_article = (peaks[1] - peaks[0]) / 3
    assert per_article < 4 * ANALYSIS_MAX_CHARS, f"{per_article / 1e6:.1f} MB more per stored 1 MB article"
    assert max(featurized) <= ANALYSIS_MAX_CHARS


def test_streaming_readers_page_by_characters(tmp_path: Path) -> None:
    from newsprism.store.store import _pages

    assert list(_pages([("a", 5), ("b", 5), ("c", 20), ("d", 1)], 10)) == [["a", "b"], ["c"], ["d"]]
    arts = [_article(f"Story {i}. " + "word " * (50 * i), f"https://p.example/{i}") for i in range(1, 8)]
    with Store.open(tmp_path / "p.db") as store:
        store.add_articles(arts)
        ids = [a.id for a in arts]
        assert [a.id for a in store.iter_articles(max_chars=600)] == ids
        assert [a.id for a in store.iter_articles(batch_size=2, max_chars=1)] == ids
        with store.engine.connect() as conn:
            got = [a.id for a in store.iter_articles_of([*ids[::-1], ids[0], "nope"], conn, max_chars=700)]
        assert sorted(got) == sorted(ids)
