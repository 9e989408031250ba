"""Every conflict and actor dispute on the ECB+ stories the verdict gold does not hold, for reading by hand.

    .venv/bin/python benchmarks/verdicts_outside_gold.py [--ecb ../shared/data/ecbplus/ecbplus_docs.jsonl] \
        [--gold benchmarks/data/verdict-gold] > /tmp/outside.txt

The stories layer is ECB+'s own story grouping, as in ``newsprism eval verdicts``; the articles are
read the same way (one sentence a line, tokenisation spaces undone). These stories are neither dev
nor test, so reading their findings and fixing what is wrong tunes nothing the figures are taken on.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from newsprism.analysis import PipelineOptions
from newsprism.evaluation.verdict_corpus import _ecb_article, read_ecbplus
from newsprism.evaluation.verdict_gold import load_gold
from newsprism.evaluation.verdicts import _analyse

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ECB = ROOT.parent / "shared" / "data" / "ecbplus" / "ecbplus_docs.jsonl"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ecb", type=Path, default=DEFAULT_ECB)
    ap.add_argument("--gold", type=Path, default=ROOT / "benchmarks" / "data" / "verdict-gold")
    args = ap.parse_args(argv)
    docs = read_ecbplus(args.ecb)
    held = {s.story for s in load_gold(args.gold)}
    arts, story_of = [], {}
    for doc in docs.values():
        if doc["story"] not in held:
            a = _ecb_article(doc)
            arts.append(a)
            story_of[a.id] = doc["story"]
    verdicts = _analyse(arts, story_of, PipelineOptions()).layer("verdicts")
    name = {a.id: a.url or a.id for a in arts}
    print(f"{len(set(story_of.values()))} stories, {len(arts)} articles")
    for c in verdicts.conflicts:
        print(f"\n=== conflict {c.story_id} {c.type} confidence {c.confidence}: {c.reason[:300]}")
        for side in c.sides:
            print(f"  [{side.value}]")
            for e in side.evidence:
                if e.role == "claim":
                    print(f"     {name[e.article_id]}: {e.text}")
    for d in verdicts.actor_disputes:
        print(f"\n=== dispute {d.story_id} confidence {d.confidence}: {d.reason}")
        for side in d.sides:
            for e in side.evidence:
                print(f"     {side.actor} {side.stance} {name[e.article_id]}: {e.text}")
    print(json.dumps(verdicts.to_dict()["counts"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
