"""Claims benchmark: claim extraction + alignment + verdicts on ~1k articles in stories of 5-20.

    .venv/bin/python benchmarks/claims.py --ecb ../shared/data/ecbplus/ecbplus_docs.jsonl \
        --n 1000 --naive-sample 100 --out /tmp/claims_bench.json

Articles are the ECB+ documents grouped by their gold ``story`` (stories larger than 20 are cut
into chunks of 5-20); to reach ``--n``, verbatim reprints of random story members are added to
their story under another outlet (wire copy is what news streams are made of, and it is what the
sentence caches are for). The stories layer is the gold grouping, so the figure measures claims,
alignment and verdicts only.

``--sts DIR`` reports the embedder's cosine against the STS-B test scores (Spearman), the check
that a cheaper embedder configuration (``--quantize int8``, ``--threads``) keeps its accuracy.

One run reports: articles/s end to end; model inference alone (spaCy NER + sentence embeddings)
as measured inside the stages; the rule/alignment/verdict overhead as a share of inference; peak
RSS. ``--naive-sample`` articles are also run the naive way (full spaCy pipeline per sentence, no
batching, no caches; every claim embedded per article) to show what the optimisations save, and
the entities of the optimised path are compared with the naive ones to show accuracy holds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

from newsprism.align.stage import AlignStage
from newsprism.claims.entities import fix_entities
from newsprism.claims.extract import ExtractOptions, sentence_texts
from newsprism.claims.stage import ClaimsOptions, ClaimsStage
from newsprism.engines.embedder import EmbedderOptions, get_embedder
from newsprism.engines.nlp import NER_ONLY, load_spacy
from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.model import Article
from newsprism.pipeline import Batch
from newsprism.verdicts.stage import VerdictsStage

MIN_STORY, MAX_STORY = 5, 20


class GoldStories:
    """The benchmark's stories layer: gold ECB+ story groups."""

    def __init__(self, story_of: dict[str, str]):
        self.story_of = story_of

    def to_dict(self) -> dict:
        return {"n_stories": len(set(self.story_of.values()))}


def _chunks(docs: list[dict], rng: random.Random) -> list[list[dict]]:
    out, i = [], 0
    while i < len(docs):
        left = len(docs) - i
        size = left if left <= MAX_STORY else rng.randint(MIN_STORY, min(MAX_STORY, left - MIN_STORY))
        out.append(docs[i : i + size])
        i += size
    return out


def build(ecb: Path, n: int, seed: int = 7) -> tuple[list[Article], dict[str, str]]:
    rng = random.Random(seed)
    by_story: dict[str, list[dict]] = {}
    for line in ecb.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        by_story.setdefault(doc["story"], []).append(doc)
    stories = [c for _, docs in sorted(by_story.items()) for c in _chunks(docs, rng)]
    stories = [s for s in stories if len(s) >= MIN_STORY] or stories
    arts, story_of = [], {}
    for k, docs in enumerate(stories):
        for doc in docs:
            arts.append((k, doc, f"https://orig{len(arts) % 40}.example/{doc['id']}"))
    while len(arts) < n:
        k = rng.randrange(len(stories))
        if sum(1 for a in arts if a[0] == k) >= MAX_STORY:
            continue
        doc = rng.choice(stories[k])
        arts.append((k, doc, f"https://reprint{len(arts) % 60}.example/{doc['id']}/{len(arts)}"))
    out = []
    for k, doc, url in arts[:n]:
        a = build_article(RawDocument(text=doc["text"], source=url, format="text", url=url))
        out.append(a)
        story_of[a.id] = f"story{k}"
    return out, story_of


def run_optimised(
    arts: list[Article], story_of: dict[str, str], nlp, embedder, copts: ClaimsOptions | None = None
) -> dict:
    batch = Batch.of(arts).with_layer("stories", GoldStories(story_of))
    t0 = time.perf_counter()
    batch = ClaimsStage(copts, nlp=nlp).run(batch)
    t1 = time.perf_counter()
    batch = AlignStage(embedder=embedder).run(batch)
    t2 = time.perf_counter()
    batch = VerdictsStage().run(batch)
    t3 = time.perf_counter()
    claims, alignment = batch.layer("claims"), batch.layer("alignment")
    verdicts = batch.layer("verdicts").to_dict()
    ner, emb = claims.timings["ner_seconds"], alignment.timings["embed_seconds"]
    total = t3 - t0
    model = ner + emb
    return {
        "articles": len(arts),
        "stories": len(set(story_of.values())),
        "sentences": int(claims.timings["sentences"]),
        "sentences_ner": int(claims.timings["sentences_tagged"]),
        "claims": sum(len(v) for v in claims.claims.values()),
        "groups": len(alignment.groups),
        "embedded_texts": embedder.stats.encoded,
        "embed_requests": embedder.stats.requested,
        "verdict_counts": verdicts["counts"],
        "errors": len(claims.errors) + len(alignment.errors),
        "seconds": {
            "total": round(total, 3),
            "claims_stage": round(t1 - t0, 3),
            "align_stage": round(t2 - t1, 3),
            "verdicts_stage": round(t3 - t2, 3),
            "ner": round(ner, 3),
            "embed": round(emb, 3),
            "model_inference": round(model, 3),
            "overhead": round(total - model, 3),
        },
        "overhead_share_of_inference": round((total - model) / model, 4) if model else None,
        "articles_per_s": round(len(arts) / total, 2),
        "_batch": batch,
    }


def run_naive(arts: list[Article], full_nlp, embedder_name: str | None, batch, eopts=None) -> dict:
    """Full spaCy pipeline on every sentence one by one; every claim embedded per article, no cache."""
    opts = ExtractOptions()
    claims = batch.layer("claims")
    fresh = get_embedder(embedder_name, eopts)
    fresh.options.cache_size = 0  # no reuse across articles: each article pays for its sentences
    t0 = time.perf_counter()
    naive_ents = {}
    for a in arts:
        for off, s in sentence_texts(a, opts):
            doc = full_nlp(s)
            naive_ents[(a.id, off)] = fix_entities(
                s, [(e.start_char, e.end_char, e.label_) for e in doc.ents]
            )
    t1 = time.perf_counter()
    for a in arts:
        texts = [
            a.text[c.content_span.start : c.content_span.end]
            for c in claims.claims[a.id]
            if not c.response_to
        ]
        if texts:
            fresh.encode(texts)
        fresh.clear_cache()
    t2 = time.perf_counter()
    return {
        "articles": len(arts),
        "ner_seconds": round(t1 - t0, 3),
        "embed_seconds": round(t2 - t1, 3),
        "_ents": naive_ents,
    }


def entity_agreement(arts: list[Article], nlp, naive_ents: dict) -> dict:
    """Entities of the optimised path (NER-only, skip, cache) vs the naive full pipeline."""
    from newsprism.claims.entities import EntityTagger

    tagger = EntityTagger(nlp)
    tp = fp = fn = 0
    for a in arts:
        sents = sentence_texts(a, ExtractOptions())
        for (off, _), ents in zip(sents, tagger.tag([s for _, s in sents]), strict=True):
            ref = set(naive_ents[(a.id, off)])
            got = set(ents)
            tp, fp, fn = tp + len(ref & got), fp + len(got - ref), fn + len(ref - got)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
    }


def sts_eval(sts: Path, embedder_name: str | None, eopts: EmbedderOptions) -> dict:
    """Spearman of the embedder's cosine against the STS-B test gold scores (no threshold, no training)."""
    from newsprism.evaluation.pairs import load_sts, resolve_split, spearman

    rows = load_sts(resolve_split("sts", sts, "test"))
    embedder = get_embedder(embedder_name, eopts)
    t0 = time.perf_counter()
    emb = embedder.encode([t for r in rows for t in (r.a, r.b)])
    seconds = time.perf_counter() - t0
    cos = (emb[0::2] * emb[1::2]).sum(axis=1)
    return {
        "embedder": embedder.name,
        "threads": eopts.threads,
        "pairs": len(rows),
        "spearman": round(spearman([r.label for r in rows], cos.tolist()), 4),
        "encode_seconds": round(seconds, 2),
        "texts_per_s": round(2 * len(rows) / seconds, 1),
        "load_average": os.getloadavg(),
    }


def inspect_conflicts(ecb: Path, stories: str, embedder_name: str | None) -> dict:
    """Every conflict found in a slice of the benchmark's stories (originals only), for reading by hand."""
    lo, hi = (int(x) for x in stories.split(":"))
    arts, story_of = build(ecb, 1000)
    keep = set(sorted(set(story_of.values()), key=lambda s: int(s[5:]))[lo:hi])
    arts = [a for a in arts if story_of[a.id] in keep and "reprint" not in (a.url or "")]
    batch = Batch.of(arts).with_layer("stories", GoldStories(story_of))
    batch = ClaimsStage(nlp=load_spacy(components=NER_ONLY)).run(batch)
    batch = AlignStage(embedder=get_embedder(embedder_name)).run(batch)
    verdicts = VerdictsStage().run(batch).layer("verdicts").to_dict()
    shown = [
        {
            "type": c["type"],
            "slot": c.get("slot"),
            "values": [
                {
                    "value": s["value"],
                    "articles": s["article_ids"],
                    "claim": next(e["text"] for e in s["evidence"] if e["role"] == "claim"),
                }
                for s in c["values"]
            ],
        }
        for c in verdicts["conflicts"]
    ]
    return {"articles": len(arts), "counts": verdicts["counts"], "conflicts": shown}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ecb", type=Path, default=None, help="path to ecbplus_docs.jsonl")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--naive-sample", type=int, default=100, help="articles also run the naive way (0: skip)")
    ap.add_argument("--embedder", default=None)
    ap.add_argument("--quantize", default=None, choices=["int8"], help="embedder quantisation (default none)")
    ap.add_argument(
        "--threads", type=int, default=EmbedderOptions.threads, help="torch threads to embed (0: torch's own)"
    )
    ap.add_argument("--ner-processes", type=int, default=1, help="spaCy NER worker processes")
    ap.add_argument("--sts", type=Path, default=None, help="STS-B folder: evaluate the embedder instead")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument(
        "--inspect", default=None, metavar="A:B", help="print the conflicts of stories A..B instead"
    )
    args = ap.parse_args(argv)
    eopts = EmbedderOptions(threads=args.threads or None, quantize=args.quantize)
    if args.sts:
        print(json.dumps(sts_eval(args.sts, args.embedder, eopts), indent=2))
        return 0
    if args.inspect and args.ecb:
        print(json.dumps(inspect_conflicts(args.ecb, args.inspect, args.embedder), indent=2))
        return 0
    if args.ecb is None or not args.ecb.is_file():
        print(f"ECB+ file not found: {args.ecb}", file=sys.stderr)
        return 2
    arts, story_of = build(args.ecb, args.n)
    nlp = load_spacy(components=NER_ONLY)
    embedder = get_embedder(args.embedder, eopts)
    load_before = os.getloadavg()
    embedder.encode(["warm-up"])  # load lazily initialised weights outside the timed run
    embedder.stats.requested = embedder.stats.encoded = 0
    embedder.stats.model_seconds = 0.0
    embedder.clear_cache()
    result = run_optimised(arts, story_of, nlp, embedder, ClaimsOptions(ner_processes=args.ner_processes))
    batch = result.pop("_batch")
    if args.naive_sample:
        sample = arts[: args.naive_sample]
        full = load_spacy()
        naive = run_naive(sample, full, args.embedder, batch, eopts)
        ents = naive.pop("_ents")
        opt_ner = result["seconds"]["ner"] * len(sample) / len(arts)
        opt_emb = result["seconds"]["embed"] * len(sample) / len(arts)
        naive["optimised_pro_rata"] = {"ner_seconds": round(opt_ner, 3), "embed_seconds": round(opt_emb, 3)}
        naive["entity_agreement_vs_naive"] = entity_agreement(sample, nlp, ents)
        result["naive_sample"] = naive
    result["embedder"] = {"name": embedder.name, "threads": eopts.threads, "quantize": eopts.quantize}
    result["ner_processes"] = args.ner_processes
    result["load_average"] = {"start": load_before, "end": os.getloadavg()}
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
