"""Every conflict and dispute on the ECB+ stories that are in neither split of the verdict gold.

The gold scores what it annotates; these 54 stories (639 articles) are the check on coverage the
rules were never fitted to: each finding printed here is read by hand (BENCHMARKS.md, "Verdicts").
Stories are the ECB+ stories (as ``eval verdicts`` uses the gold's), so the figures measure verdicts.

    .venv/bin/python benchmarks/verdicts_outside_gold.py --data ../shared/data/ecbplus/ecbplus_docs.jsonl
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from newsprism.analysis import PipelineOptions
from newsprism.evaluation.verdict_corpus import _ecb_article, read_ecbplus
from newsprism.evaluation.verdict_gold import load_gold
from newsprism.evaluation.verdicts import _analyse


def _name(article) -> str:
    return (article.url or article.id).rstrip("/").rsplit("/", 1)[-1][:28]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ecbplus/ecbplus_docs.jsonl"))
    parser.add_argument("--gold", type=Path, default=Path("benchmarks/data/verdict-gold"))
    args = parser.parse_args()
    docs = read_ecbplus(args.data)
    gold = {s.story for s in load_gold(args.gold)}
    articles, story_of = [], {}
    for doc in docs.values():
        if doc["story"] not in gold:
            a = _ecb_article(doc)
            articles.append(a)
            story_of[a.id] = doc["story"]
    print(f"{len(set(story_of.values()))} stories, {len(articles)} articles")
    batch = _analyse(articles, story_of, PipelineOptions())
    verdicts = batch.layer("verdicts")
    names = {a.id: _name(a) for a in articles}
    for c in verdicts.conflicts:
        print(f"=== CONFLICT {c.story_id} {c.type} confidence {c.confidence}")
        for side in c.sides:
            print(f"  [{side.value}]")
            for e in side.evidence:
                if e.role == "claim":
                    print(f"     {names[e.article_id]}: {e.text[:200]}")
    for d in verdicts.actor_disputes:
        print(f"=== DISPUTE {d.story_id} confidence {d.confidence}: {d.reason[:150]}")
        for side in d.sides:
            for e in side.evidence[:3]:
                print(f"     {side.actor} {side.stance} {names[e.article_id]}: {e.text[:200]}")
    print(json.dumps(verdicts.to_dict()["counts"]))


if __name__ == "__main__":
    main()
