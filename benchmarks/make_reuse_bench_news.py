"""Derive a second reuse bench ("reuse-bench-news") from public news texts that are not ECB+.

    .venv/bin/python benchmarks/make_reuse_bench_news.py --shared ../shared --out build/reuse-bench-news
    .venv/bin/newsprism eval reuse --data build/reuse-bench-news --json

Make-style: the output is rebuilt only when an input, this script or the seed changed (``MANIFEST.json``
records their hashes); ``--force`` rebuilds. Nothing is committed: the texts are read from ``../shared``
at run time and the bench is written under ``build/`` (git-ignored).

Originals (46): the 25 news documents of SummEdits' news domain (``data/summedits/summedits_news.json``,
salesforce/factualNLG, Apache-2.0; 2023 web news with their page furniture: "Story continues below
advertisement", captions, embedded-tweet lines) and the five reports of one event in
``corpora/kursk-2025-04-26`` (independent reports sharing quotes and wire sentences: the hard negatives).
Their shapes differ from ECB+'s one-line texts: paragraphs, headline and caption lines without a full stop,
curly quotes. A document of 400 words or more gives two originals, its halves at a paragraph break (one
story, no sentence shared).

Derived articles follow reuse-bench's recipe (BENCHMARKS.md, "reuse-bench"), in the same files and
fields: ``copy`` (verbatim, sometimes with a credit or furniture line), ``truncated`` (the first 40-80 %
of units), ``edited`` (a unit dropped, words and a number changed, sometimes one unit swapped for another
report's), ``merged`` (whole units of two reports interleaved: two gold pairs), ``partial`` (one to four
consecutive units of a report, at least 15 words, inserted into a host: a ``partial`` pair with the report
and a ``partial-host`` pair with the host). A unit is a sentence, or a line without a full stop, by this
script's own splitter. Every derived/source pair is ``b->a``.

So that every gold pair can be told from the text: an original gives text to at most two derived
articles (reuse-bench: 324 once, 42 twice, 4 thrice); the source of a lifted passage gives text to no
other; a lifted passage is one no other original holds.

``ignore`` rows (left out of scoring): pairs sharing text by design but not designed as pairs (two articles
derived from one original, an original and an article holding part of its text through another), and any
other pair sharing >= 15 % of the smaller article's word 5-gram shingles.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

SEED = 20261207
COUNTS = {"partial": 18, "merged": 8, "copy": 7, "truncated": 7, "edited": 7}
# An original gives text to at most this many derived articles (reuse-bench: 324 once, 42 twice, 4
# thrice): with more, which relative a passage came from stops being a question the text can answer.
MAX_USES = 2
# A lifted passage has at least this many words: "Thanks for signing up!" lifted alone is no passage
# any detector could attribute (reuse-bench's lifts: median 48 words).
MIN_LIFT_WORDS = 15
SPLIT_MIN_WORDS = 400  # a longer SummEdits document makes two originals (its halves, one story)
SAME_STORY_SHARE = 0.3  # merged/partial drawing both reports from the one multi-report story
_SENT = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
# Words whose full stop ends no sentence ("St. Peter's", "Jan. 5", "Gov. Lysak").
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Sen|Rep|Gov|Gen|Col|Lt|Sgt|Capt|Prof|Jr|Sr|Inc|Co|Corp|Ltd|No|vs|Jan|Feb|Mar|"
    r"Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|\b[A-Z])\.$"
)
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\b")
CREDITS = ("(Reuters)", "— The Associated Press", "Story continues below advertisement",
           "Sign up for our morning newsletter.", "With wire services")


@dataclass
class Doc:
    id: str
    story: str
    paragraphs: list[list[str]]  # units per paragraph
    ancestors: set[str] = field(default_factory=set)

    @property
    def units(self) -> list[str]:
        return [u for p in self.paragraphs for u in p]

    @property
    def text(self) -> str:
        return "\n\n".join(" ".join(p) for p in self.paragraphs if p)


def split_units(text: str) -> list[list[str]]:
    """Paragraphs (lines) of units: sentences, by a splitter of this script's own (not newsprism's),
    so the bench does not hand the system its own sentence boundaries."""
    out = []
    for para in (" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", text)):
        units: list[str] = []
        for piece in _SENT.split(para):
            if units and _ABBREV.search(units[-1]):
                units[-1] = f"{units[-1]} {piece}"
            elif piece.strip():
                units.append(piece)
        if units:
            out.append(units)
    return out


def originals(shared: Path) -> list[Doc]:
    rows = json.loads((shared / "data/summedits/summedits_news.json").read_text(encoding="utf-8"))
    docs = list(dict.fromkeys(r["doc"] for r in rows))
    out = []
    for i, text in enumerate(docs):
        paras = split_units(text)
        if len(text.split()) < SPLIT_MIN_WORDS:
            out.append(Doc(f"se-{i:02d}", f"se-{i:02d}", paras))
            continue
        # Two halves at a paragraph break: two reports of one story that share no sentence.
        words = [len(" ".join(p).split()) for p in paras]
        cut = next(k for k in range(1, len(paras) + 1) if sum(words[:k]) >= sum(words) / 2)
        out.append(Doc(f"se-{i:02d}a", f"se-{i:02d}", paras[:cut]))
        out.append(Doc(f"se-{i:02d}b", f"se-{i:02d}", paras[cut:]))
    for path in sorted((shared / "corpora/kursk-2025-04-26").glob("*.txt")):
        out.append(Doc(f"kursk-{path.stem[:3]}", "kursk", split_units(path.read_text(encoding="utf-8"))))
    for d in out:
        d.ancestors = {d.id}
    return out


class Pool:
    """Originals with how often each has given text; picks spread the uses (at most ``MAX_USES``)."""

    def __init__(self, docs: list[Doc], rng: random.Random):
        self.docs, self.rng = docs, rng
        self.uses = dict.fromkeys((d.id for d in docs), 0)
        self.before: dict[str, int] = {}

    def free(self, docs: list[Doc]) -> list[Doc]:
        least = min((self.uses[d.id] for d in docs), default=MAX_USES)
        return [d for d in docs if self.uses[d.id] == least < MAX_USES]

    def one(self, among: list[Doc] | None = None, alone: bool = False) -> Doc:
        """An original with the fewest uses; ``alone``: one no other derived article draws on (the
        source of a lifted passage: were it copied too, which of the two the passage came from
        would be a guess)."""
        free = self.free(among or self.docs)
        if alone:
            free = [d for d in free if self.uses[d.id] == 0] or free
        doc = self.rng.choice(free)
        self.before[doc.id] = self.uses[doc.id]
        self.uses[doc.id] = MAX_USES if alone else self.uses[doc.id] + 1
        return doc

    def release(self, doc: Doc) -> None:
        """Undo the last pick of ``doc`` (a source that turned out to have no passage to lift)."""
        self.uses[doc.id] = self.before.pop(doc.id)

    def two(self, alone_second: bool = False) -> tuple[Doc, Doc]:
        multi = [d for d in self.docs if d.story == "kursk"]
        among = multi if self.rng.random() < SAME_STORY_SHARE and len(self.free(multi)) >= 2 else None
        a = self.one(among)
        b = self.one([d for d in among or self.docs if d.story != a.story or among], alone_second)
        return a, b


def _unique_run(rng: random.Random, src: Doc, others: list[Doc], k: int) -> list[str] | None:
    """``k`` consecutive units of ``src`` (at least ``MIN_LIFT_WORDS`` words) that no other original
    holds (real reports of one event share wire sentences: a passage two originals carry has no single
    source to find); None when there is none."""
    units = src.units
    starts = list(range(max(1, len(units) - k + 1)))
    rng.shuffle(starts)
    seen = set().union(*(_grams(d.text) for d in others))
    for start in starts:
        run = units[start : start + k]
        if len(" ".join(run).split()) >= MIN_LIFT_WORDS and not _grams(" ".join(run)) & seen:
            return run
    return None


def _lift(rng: random.Random, pool: Pool, host: Doc, src: Doc) -> tuple[Doc, list[str]]:
    """The source of a partial's lifted passage and the passage. When the drawn source has no run
    that no other original holds (two wire versions of one report share nearly every sentence),
    another free original is drawn: a passage that two originals carry has no single source, and the
    gold would name one of them by chance."""
    k = rng.choice((1, 2, 2, 3, 4))
    tried, same_story = {host.id}, src.story == host.story
    while True:
        tried.add(src.id)
        lifted = _unique_run(rng, src, [d for d in pool.docs if d.id != src.id], k)
        if lifted is not None:
            return src, lifted
        pool.release(src)
        rest = [d for d in pool.docs if d.id not in tried and (d.story != host.story or same_story)]
        if not pool.free(rest):
            raise SystemExit(f"no original left with a {k}-unit passage that no other original holds")
        src = pool.one(rest, alone=True)


def _grams(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _edit_unit(rng: random.Random, unit: str) -> str:
    words = unit.split()
    if _NUMBER.search(unit) and rng.random() < 0.5:
        return _NUMBER.sub(lambda m: str(int(float(m.group().replace(",", ""))) + rng.randint(1, 9)), unit, 1)
    if len(words) > 6:
        i = rng.randrange(1, len(words) - 1)
        words[i] = rng.choice(("reportedly", "also", "then", "later", "officially"))
    return " ".join(words)


def _some(rng: random.Random, n: int, lo: float, hi: float) -> list[int]:
    """Sorted indices of a random share (``lo``-``hi``, at least two) of ``n`` units."""
    return sorted(rng.sample(range(n), min(n, max(2, int(n * rng.uniform(lo, hi))))))


def derive(kind: str, rng: random.Random, pool: Pool, n: int) -> tuple[Doc, list[dict]]:
    did = f"n-{kind}-{n:03d}"
    if kind == "merged":
        a, b = pool.two()
        ua, ub = a.units, b.units
        take_a = _some(rng, len(ua), 0.5, 0.7)
        take_b = _some(rng, len(ub), 0.3, 0.5)
        # Interleaved by relative position, so each report's units keep their order.
        merged = [(i / len(ua), ua[i]) for i in take_a]
        merged += [(j / len(ub) + 1e-6, ub[j]) for j in take_b]
        units = [u for _, u in sorted(merged)]
        paras = [units[i : i + 3] for i in range(0, len(units), 3)]
        doc = Doc(did, a.story, paras, a.ancestors | b.ancestors)
        return doc, [_pair(doc, a, "merged"), _pair(doc, b, "merged")]
    if kind == "partial":
        host, src = pool.two(alone_second=True)
        src, lifted = _lift(rng, pool, host, src)
        paras = [list(p) for p in host.paragraphs]
        at = rng.randrange(1, max(2, len(paras)))
        if rng.random() < 0.5:
            paras.insert(at, lifted)  # its own paragraph
        else:
            paras[at - 1] = paras[at - 1] + lifted  # run on at the end of a host paragraph
        doc = Doc(did, host.story, paras, host.ancestors | src.ancestors)
        return doc, [_pair(doc, src, "partial"), _pair(doc, host, "partial-host")]
    src = pool.one()
    paras = [list(p) for p in src.paragraphs]
    ancestors = set(src.ancestors)
    if kind == "copy":
        if rng.random() < 0.5:
            line = [rng.choice(CREDITS)]
            paras = [line, *paras] if rng.random() < 0.5 else [*paras, line]
    elif kind == "truncated":
        units = src.units
        keep = max(3, int(len(units) * rng.uniform(0.4, 0.8)))
        paras, left = [], keep
        for p in src.paragraphs:
            if left <= 0:
                break
            paras.append(p[:left])
            left -= len(p)
    elif kind == "edited":
        paras, other = _edited(rng, paras, pool.docs, src)
        ancestors |= other
    doc = Doc(did, src.story, paras, ancestors)
    return doc, [_pair(doc, src, kind)]


def _edited(
    rng: random.Random, paras: list[list[str]], docs: list[Doc], src: Doc
) -> tuple[list[list[str]], set[str]]:
    spots = [(i, j) for i, p in enumerate(paras) for j in range(len(p))]
    drop = rng.choice(spots)
    paras[drop[0]] = [u for j, u in enumerate(paras[drop[0]]) if j != drop[1]]
    spots = [(i, j) for i, p in enumerate(paras) for j in range(len(p))]
    for i, j in rng.sample(spots, min(2, len(spots))):
        paras[i][j] = _edit_unit(rng, paras[i][j])
    swapped: set[str] = set()
    if rng.random() < 0.5:  # one unit swapped for a unit of another report
        other = rng.choice([d for d in docs if d.id != src.id])
        i, j = rng.choice(spots)
        paras[i][j] = rng.choice(other.units)
        swapped = set(other.ancestors)
    return [p for p in paras if p], swapped


def _pair(derived: Doc, source: Doc, kind: str) -> dict:
    return {"a": derived.id, "b": source.id, "type": kind, "direction": "b->a"}


def _shingles(text: str) -> set[int]:
    words = re.findall(r"\w+", text.lower())
    return {hash(tuple(words[i : i + 5])) for i in range(len(words) - 4)}


def ignores(docs: list[Doc], gold: list[dict]) -> list[dict]:
    designed = {frozenset((g["a"], g["b"])) for g in gold}
    sh = {d.id: _shingles(d.text) for d in docs}
    out = []
    for a, b in combinations(docs, 2):
        if frozenset((a.id, b.id)) in designed:
            continue
        small = min(len(sh[a.id]), len(sh[b.id])) or 1
        if a.ancestors & b.ancestors or len(sh[a.id] & sh[b.id]) / small >= 0.15:
            out.append({"ignore": [a.id, b.id], "why": "shares text outside the designed pairs"})
    return out


def build(shared: Path, seed: int) -> tuple[list[Doc], list[dict]]:
    rng = random.Random(seed)
    docs = originals(shared)
    pool = Pool(docs, rng)
    derived, gold = [], []
    for kind, count in COUNTS.items():
        for n in range(count):
            doc, pairs = derive(kind, rng, pool, n)
            derived.append(doc)
            gold.extend(pairs)
    every = docs + derived
    return every, gold + ignores(every, gold)


def _digest(paths: list[Path], seed: int) -> str:
    h = hashlib.sha256(str(seed).encode())
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    ap.add_argument("--out", type=Path, default=Path("build/reuse-bench-news"))
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--force", action="store_true")
    args = ap.parse_args()
    inputs = [args.shared / "data/summedits/summedits_news.json", Path(__file__),
              *sorted((args.shared / "corpora/kursk-2025-04-26").glob("*.txt"))]
    missing = [str(p) for p in inputs if not p.is_file()]
    if missing:
        raise SystemExit(f"{missing[0]}: not found (pass --shared PATH to the shared data)")
    digest = _digest(inputs, args.seed)
    manifest = args.out / "MANIFEST.json"
    if not args.force and manifest.is_file() and json.loads(manifest.read_text())["digest"] == digest:
        print(f"{args.out}: up to date")
        return
    docs, gold = build(args.shared, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "articles.jsonl").open("w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps({"id": d.id, "story": d.story, "text": d.text}, ensure_ascii=False) + "\n")
    with (args.out / "gold.jsonl").open("w", encoding="utf-8") as f:
        for g in gold:
            f.write(json.dumps(g) + "\n")
    pairs = [g for g in gold if "type" in g]
    manifest.write_text(json.dumps({"digest": digest, "seed": args.seed, "articles": len(docs),
                                    "pairs": len(pairs), "ignore": len(gold) - len(pairs)}, indent=2))
    print(f"{args.out}: {len(docs)} articles, {len(pairs)} gold pairs, {len(gold) - len(pairs)} ignored")


if __name__ == "__main__":
    main()
