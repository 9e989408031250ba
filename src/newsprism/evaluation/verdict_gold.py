"""The verdict gold: hand-read facts, conflicts and disputes of multi-outlet stories, a JSON file each.

The format and the reading rules are in ``docs/verdict-gold.md``. A mention is an article and a sentence
index into that article's gold sentence list; the gold holds no article text (the ECB+ texts stay in
``../shared``), so :func:`story_sentences` rebuilds each sentence list from the corpus it names.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFLICT_TYPES = ("number", "date", "place", "person", "event", "attribution", "polarity", "quote", "detail")
SKIP_REASONS = ("headline-dup", "dateline", "boilerplate", "opinion", "question", "fragment", "other")
SPLITS = ("dev", "test")
CORPORA = ("ecbplus", "demo")


class GoldError(ValueError):
    """A gold file that does not follow the format."""


@dataclass(frozen=True, slots=True, order=True)
class Mention:
    article: str
    sentence: int

    @classmethod
    def parse(cls, raw: Any, where: str) -> Mention:
        if not (
            isinstance(raw, list) and len(raw) == 2 and isinstance(raw[0], str) and isinstance(raw[1], int)
        ):
            raise GoldError(f"{where}: a mention is [article_id, sentence_index], got {raw!r}")
        return cls(raw[0], raw[1])


def _mentions(raw: Any, where: str) -> tuple[Mention, ...]:
    if not isinstance(raw, list) or not raw:
        raise GoldError(f"{where}: expected a non-empty list of mentions")
    return tuple(Mention.parse(m, where) for m in raw)


@dataclass(frozen=True, slots=True)
class GoldFact:
    id: str
    summary: str
    mentions: tuple[Mention, ...]
    origin: str | None
    independent_sources: int


@dataclass(frozen=True, slots=True)
class GoldSide:
    value: str
    mentions: tuple[Mention, ...]


@dataclass(frozen=True, slots=True)
class GoldConflict:
    fact: str
    type: str
    sides: tuple[GoldSide, ...]
    update: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class GoldDispute:
    fact: str
    claimant: str
    denier: str
    proposition: str
    claim_mentions: tuple[Mention, ...]
    denial_mentions: tuple[Mention, ...]


@dataclass(frozen=True, slots=True)
class GoldStory:
    story: str
    corpus: str
    split: str
    articles: tuple[str, ...]
    copies: tuple[tuple[str, ...], ...]
    facts: tuple[GoldFact, ...]
    conflicts: tuple[GoldConflict, ...] = ()
    disputes: tuple[GoldDispute, ...] = ()
    skip: dict[Mention, str] = field(default_factory=dict)
    wording: tuple[GoldSide, ...] = ()

    def source_of(self) -> dict[str, str]:
        """article -> its copy group (an article in no group is its own source)."""
        out = {a: a for a in self.articles}
        for group in self.copies:
            for a in group:
                out[a] = group[0]
        return out

    def facts_of(self) -> dict[Mention, set[str]]:
        out: dict[Mention, set[str]] = {}
        for f in self.facts:
            for m in f.mentions:
                out.setdefault(m, set()).add(f.id)
        return out

    def reports(self, fact: GoldFact) -> int:
        """Independent reports of a fact: its articles, copies counted once."""
        src = self.source_of()
        return len({src[m.article] for m in fact.mentions})


def _fact(raw: dict[str, Any], where: str) -> GoldFact:
    try:
        fid, summary = str(raw["id"]), str(raw["summary"])
        n = int(raw["independent_sources"])
    except (KeyError, TypeError, ValueError) as exc:
        raise GoldError(f"{where}: fact needs id, summary, independent_sources ({exc})") from None
    return GoldFact(fid, summary, _mentions(raw.get("mentions"), f"{where} {fid}"), raw.get("origin"), n)


def _conflict(raw: dict[str, Any], where: str) -> GoldConflict:
    ctype = raw.get("type")
    if ctype not in CONFLICT_TYPES:
        raise GoldError(f"{where}: conflict type {ctype!r} is not one of {CONFLICT_TYPES}")
    sides = tuple(
        GoldSide(str(s["value"]), _mentions(s.get("mentions"), f"{where} side"))
        for s in raw.get("sides") or []
    )
    if len(sides) < 2:
        raise GoldError(f"{where}: a conflict needs two sides")
    return GoldConflict(
        str(raw.get("fact", "")), ctype, sides, bool(raw.get("update")), str(raw.get("note", ""))
    )


def _dispute(raw: dict[str, Any], where: str) -> GoldDispute:
    try:
        return GoldDispute(
            str(raw.get("fact", "")),
            str(raw["claimant"]),
            str(raw["denier"]),
            str(raw["proposition"]),
            _mentions(raw.get("claim_mentions"), f"{where} claim_mentions"),
            _mentions(raw.get("denial_mentions"), f"{where} denial_mentions"),
        )
    except KeyError as exc:
        raise GoldError(f"{where}: dispute needs {exc}") from None


def parse_story(raw: dict[str, Any], where: str = "gold") -> GoldStory:
    if raw.get("corpus") not in CORPORA:
        raise GoldError(f"{where}: corpus must be one of {CORPORA}")
    if raw.get("split") not in SPLITS:
        raise GoldError(f"{where}: split must be one of {SPLITS}")
    skip = {}
    for item in raw.get("skip") or []:
        if not (isinstance(item, list) and len(item) == 3 and item[2] in SKIP_REASONS):
            raise GoldError(
                f"{where}: skip entries are [article, sentence, reason in {SKIP_REASONS}]: {item!r}"
            )
        skip[Mention(item[0], item[1])] = item[2]
    return GoldStory(
        story=str(raw["story"]),
        corpus=raw["corpus"],
        split=raw["split"],
        articles=tuple(raw.get("articles") or ()),
        copies=tuple(tuple(g) for g in raw.get("copies") or ()),
        facts=tuple(_fact(f, where) for f in raw.get("facts") or ()),
        conflicts=tuple(_conflict(c, where) for c in raw.get("conflicts") or ()),
        disputes=tuple(_dispute(d, where) for d in raw.get("disputes") or ()),
        skip=skip,
        wording=tuple(
            GoldSide(str(w.get("note", "")), _mentions(w.get("mentions"), f"{where} wording"))
            for w in raw.get("wording") or ()
        ),
    )


def gold_files(path: Path) -> list[Path]:
    return sorted(path.glob("*.json")) if path.is_dir() else [path]


def load_gold(path: Path, split: str | None = None) -> list[GoldStory]:
    """Every story in a gold file or folder, optionally only one split."""
    out = []
    for file in gold_files(path):
        try:
            raw = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise GoldError(f"{file}: {exc}") from None
        story = parse_story(raw, str(file))
        if split is None or story.split == split:
            out.append(story)
    return out


def _check_mentions(
    story: GoldStory, sentences: dict[str, list[str]], ms: Iterable[Mention], where: str
) -> list[str]:
    out = []
    for m in ms:
        if m.article not in story.articles:
            out.append(f"{where}: article {m.article} is not in the story's articles")
        elif m.article in sentences and not 0 <= m.sentence < len(sentences[m.article]):
            out.append(f"{where}: {m.article} has no sentence {m.sentence}")
    return out


def _check_facts(story: GoldStory, sentences: dict[str, list[str]]) -> list[str]:
    ids = [f.id for f in story.facts]
    out = [f"fact id {fid} is used twice" for fid in sorted({i for i in ids if ids.count(i) > 1})]
    for f in story.facts:
        out += _check_mentions(story, sentences, f.mentions, f"fact {f.id}")
        if not 1 <= f.independent_sources <= story.reports(f):
            out.append(
                f"fact {f.id}: independent_sources {f.independent_sources} not in 1..{story.reports(f)}"
            )
    return out


def _check_conflicts(story: GoldStory, sentences: dict[str, list[str]]) -> list[str]:
    by_id = {f.id: f for f in story.facts}
    out = []
    for c in story.conflicts:
        if c.fact not in by_id:
            out.append(f"conflict on unknown fact {c.fact!r}")
            continue
        for s in c.sides:
            out += _check_mentions(story, sentences, s.mentions, f"conflict {c.fact}")
            stray = [m for m in s.mentions if m not in by_id[c.fact].mentions]
            if stray:
                out.append(f"conflict {c.fact}: side mentions {stray} are not mentions of the fact")
    return out


def validate(story: GoldStory, sentences: dict[str, list[str]]) -> list[str]:
    """Problems with one story: unknown mentions, facts not referenced, sentences left unread."""
    known = set(story.articles)
    problems = [f"article {a} not found in corpus {story.corpus}" for a in sorted(known - set(sentences))]
    problems += _check_facts(story, sentences) + _check_conflicts(story, sentences)
    for d in story.disputes:
        problems += _check_mentions(
            story, sentences, d.claim_mentions + d.denial_mentions, f"dispute {d.fact}"
        )
    covered = set(story.facts_of()) | set(story.skip)
    for a in sorted(known & set(sentences)):
        missing = [i for i in range(len(sentences[a])) if Mention(a, i) not in covered]
        if missing:
            problems.append(f"article {a}: sentences {missing} are in no fact and not skipped")
    return problems
