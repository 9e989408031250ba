"""Tools for annotating the verdict gold (docs/verdict-gold.md).

    .venv/bin/python scripts/verdict_gold.py show 7b [--ecb PATH]     # a story's articles, numbered
    .venv/bin/python scripts/verdict_gold.py skeleton 7b --split dev  # an empty gold file to fill in
    .venv/bin/python scripts/verdict_gold.py check benchmarks/data/verdict-gold/   # validate files

``show`` prints every article of an ECB+ story (or ``demo``) with its sentences numbered as the gold
refers to them, plus the ECB+ event-coreference chains that cross articles (a hint, not the answer).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from newsprism.evaluation.verdict_corpus import demo_articles, read_ecbplus
from newsprism.evaluation.verdict_gold import GoldError, load_gold, validate

ECB = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ecbplus"


def _story_docs(story: str, ecb: Path) -> list[tuple[str, str, list[str]]]:
    if story == "demo":
        return [(k, v.article.url or "", list(v.sentences)) for k, v in sorted(demo_articles().items())]
    docs = [d for d in read_ecbplus(ecb / "ecbplus_docs.jsonl").values() if d["story"] == story]
    docs.sort(key=lambda d: (d["id"].split("_")[1].rstrip("ecbplus").isdigit(), d["id"]))
    return [(d["id"], d.get("url") or "", d["sentences"]) for d in docs]


def show(story: str, ecb: Path) -> None:
    docs = _story_docs(story, ecb)
    for doc_id, url, sents in docs:
        print(f"\n=== {doc_id}  {url}")
        for i, s in enumerate(sents):
            print(f"[{i}] {s}")
    if story == "demo":
        return
    chains: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    ids = {d for d, _, _ in docs}
    for line in (ecb / "ecbplus_event_mentions.jsonl").read_text(encoding="utf-8").splitlines():
        m = json.loads(line)
        if m["doc_id"] in ids and not m["singleton"]:
            chains[m["chain"]].append((m["doc_id"], m["sentence_index"], m["mention"]))
    print("\n=== ECB+ event chains across articles (hint only)")
    for chain, ms in sorted(chains.items(), key=lambda kv: -len(kv[1])):
        if len({d for d, _, _ in ms}) > 1:
            print(chain, " ".join(f"{d}:{s}:{w!r}" for d, s, w in sorted(ms)))


def skeleton(story: str, split: str, ecb: Path) -> None:
    docs = _story_docs(story, ecb)
    print(
        json.dumps(
            {
                "story": story,
                "corpus": "demo" if story == "demo" else "ecbplus",
                "split": split,
                "articles": [d for d, _, _ in docs],
                "copies": [],
                "facts": [],
                "conflicts": [],
                "disputes": [],
                "wording": [],
                "skip": [],
                "notes": "",
            },
            indent=1,
        )
    )


def check(path: Path, ecb: Path) -> int:
    try:
        stories = load_gold(path)
    except GoldError as exc:
        print(exc, file=sys.stderr)
        return 1
    ecbdocs = read_ecbplus(ecb / "ecbplus_docs.jsonl")
    demo = None
    bad = 0
    for story in stories:
        if story.corpus == "demo":
            demo = demo or {k: list(v.sentences) for k, v in demo_articles().items()}
            sentences = demo
        else:
            sentences = {a: ecbdocs[a]["sentences"] for a in story.articles if a in ecbdocs}
        problems = validate(story, sentences)
        n_sent = sum(len(sentences.get(a, [])) for a in story.articles)
        status = "ok" if not problems else f"{len(problems)} problem(s)"
        print(
            f"{story.story} ({story.split}): {len(story.articles)} articles, {n_sent} sentences, "
            f"{len(story.facts)} facts, {len(story.conflicts)} conflicts, "
            f"{len(story.disputes)} disputes: {status}"
        )
        for p in problems:
            print(f"  - {p}")
        bad += bool(problems)
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=("show", "skeleton", "check"))
    ap.add_argument("target", help="story (e.g. 7b, or demo) for show/skeleton; a file or folder for check")
    ap.add_argument("--split", choices=("dev", "test"), default="dev")
    ap.add_argument("--ecb", type=Path, default=ECB, help="folder holding ecbplus_docs.jsonl")
    args = ap.parse_args(argv)
    if args.command == "show":
        show(args.target, args.ecb)
    elif args.command == "skeleton":
        skeleton(args.target, args.split, args.ecb)
    else:
        return check(Path(args.target), args.ecb)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
