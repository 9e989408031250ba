"""Article -> claims: clauses, attribution, and the slot extractors, every value with its span."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from newsprism.claims.actors import affiliation, countries_in, country_of, person_key
from newsprism.claims.attribution import (
    APPOSITIVE_RESPONSE,
    LocalAttribution,
    find_attribution,
    is_accusation,
)
from newsprism.claims.clauses import (
    _VERBISH,
    LocalQuote,
    find_quotes,
    hedge_cues,
    negation_cues,
    quote_mask,
    split_clauses,
)
from newsprism.claims.counters import counter_targets
from newsprism.claims.credits import is_credit_line
from newsprism.claims.datelines import body_start
from newsprism.claims.entities import LocalEntity, entity_key
from newsprism.claims.model import OUTLET, Attribution, Claim, Entity, Marker, Quote
from newsprism.claims.quantities import extract_quantities
from newsprism.claims.quote_runs import QuoteRuns
from newsprism.claims.rebuttals import Rebuttal, find_rebuttal, rebuttal_targets
from newsprism.claims.times import extract_times
from newsprism.model import Article, Span


@dataclass
class ExtractOptions:
    max_sentence_chars: int = 1500  # longer "sentences" (flattened tables) are cut, keeping time linear
    min_content_words: int = 3
    response_window: int = 3  # sentences back an anaphoric denial ("denied the claim") may refer to


_TITLES = (
    "general gen commander chief president minister spokes\\w+ governor gov secretary director "
    "ambassador envoy leader mayor premier chancellor king"
).split()
_PERSON_TITLE = re.compile(rf"\b(?:{'|'.join(_TITLES)}|prime minister|official)\b", re.IGNORECASE)
# A capitalised title before a name names that person even where NER missed the name: "Amatrice
# Mayor Sergio Pirozzi", "Prime Minister Benjamin Netanyahu". Abbreviations keep their point ("Gen.").
_TITLED_NAME = re.compile(
    r"\b(?:"
    + "|".join(t.capitalize() + ("\\." if t in ("gen", "gov") else "") for t in _TITLES)
    + r"|Sen\.|Senator|Rep\.|Judge)\s+((?:[A-Z][\w’'.-]*\s+){0,2}[A-Z][\w’'-]+)$"
)
# Words that continue a title rather than name a person: "Chief Executive", "Secretary General".
_ROLE_WORDS = frozenset(
    "executive officer general minister secretary director justice council office ministry spokesperson "
    "spokesman spokeswoman commander chief".split()
)
_VAGUE_SOURCE = re.compile(
    r"\b(?:officials?|authorities|sources?|analysts?|experts?|intelligence|agencies|"
    r"observers|residents|witnesses|media|reports?)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z0-9]+")
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i"})


@dataclass
class _Context:
    """Per-article state: the last named source (for "he said") and person affiliations."""

    article: Article
    ref: date | None
    people: dict[str, str] = field(default_factory=dict)  # person key -> a mention of the name
    _affiliation: dict[str, str | None] = field(default_factory=dict)

    def affiliation(self, key: str) -> str | None:
        """Computed on demand: only people who are quoted as sources need a side."""
        if key not in self._affiliation:
            name = self.people.get(key)
            self._affiliation[key] = affiliation(self.article.text, name) if name else None
        return self._affiliation[key]

    last: Attribution | None = None
    last_si: int = -1  # sentence of ``last``
    # The first person named in the latest earlier sentence that names one, and that sentence: "he"
    # after "Zelensky spoke with Trump." is Zelensky even though nobody was quoted yet.
    subject: Entity | None = None
    subject_si: int = -1
    # The latest organisation named ("Skarnvale Hydro") and its sentence: what "the company" right
    # after it refers to.
    organisation: Entity | None = None
    organisation_si: int = -1
    si: int = 0  # the sentence being read
    claims: list[Claim] = field(default_factory=list)

    def antecedent(self, pronoun: str) -> Attribution | None:
        """Who "he"/"she"/"they" said it: the last named source, unless a person named since then
        (only for he/she) is the likelier referent."""
        if pronoun in ("he", "she") and self.subject is not None and self.subject_si > self.last_si:
            key = person_key(self.subject.text)
            actor = self.affiliation(key)
            return Attribution(self.subject.text, "person", "asserts", actor=actor, person=key)
        return self.last


def _ref_date(article: Article) -> date | None:
    return article.published.date() if article.published else None


# A body named by what it is rather than who ("the company rejected that account"): the latest
# organisation the article named is meant.
_DEFINITE_BODY = re.compile(
    r"^(?:the|this)\s+(?:company|firm|operator|group|organi[sz]ation|agency|ministry|department|utility|"
    r"club|team|network|studio|airline|bank|manufacturer|retailer|publisher)$",
    re.IGNORECASE,
)


# A business is "the company", "the firm" or "the operator" interchangeably; other bodies keep their noun.
_BUSINESS = "company|firm|operator|utility|manufacturer|retailer|airline|bank|publisher|studio|network"
_NAME = r"((?:[A-Z][\w&.'’-]*\s+){0,4}[A-Z][\w&.'’-]*)"
# How long "the company" reaches back to the organisation last named when no appositive names it.
ORGANISATION_REACH = 1


def _named_as(ctx: _Context, noun: str, before: int) -> str | None:
    """The name the article gave the noun, only where the text says so: an appositive after the name
    ("Skarnvale Hydro, the company that runs the dam") or before it ("the dam's operator, Skarnvale
    Hydro"); otherwise an organisation named in this or the previous sentence."""
    nouns = _BUSINESS if noun in _BUSINESS.split("|") else re.escape(noun)
    det = r"(?:the|a|an|its|their|[\w’']+['’]s)\s+(?:[\w-]+\s+){0,2}"
    after = re.compile(rf"{_NAME},\s+{det}(?:{nouns})\b")
    before_name = re.compile(rf"\b{det}(?:{nouns}),\s+{_NAME}(?=[,.;]|\s+(?:said|says|has|had|was|is)\b)")
    found = [
        (m.start(), m.group(1)) for p in (after, before_name) for m in p.finditer(ctx.article.text, 0, before)
    ]
    if found:
        return max(found)[1]
    org = ctx.organisation
    if org is None or ctx.si - ctx.organisation_si > ORGANISATION_REACH:
        return None
    # A government body carries its kind in its name ("the Health Ministry"): "the ministry" is not
    # the news agency named last.
    return None if noun in _NAMED_KINDS and noun not in org.text.lower() else org.text


_NAMED_KINDS = frozenset({"ministry", "department"})


def _source(ctx: _Context, la: LocalAttribution, base: int, ents: list[Entity]) -> Attribution:
    src = la.source.strip()
    org = _named_as(ctx, src.split()[-1].lower(), base) if _DEFINITE_BODY.match(src) else None
    if org:
        return Attribution(
            org,
            "organisation",
            la.stance,
            la.verb,
            Span(base + la.source_span[0], base + la.source_span[1]),
            Span(base + la.verb_span[0], base + la.verb_span[1]),
            ", ".join(sorted({c for c, _, _ in countries_in(org)})) or None,
        )
    span = Span(base + la.source_span[0], base + la.source_span[1])
    verb_span = Span(base + la.verb_span[0], base + la.verb_span[1])
    last = ctx.antecedent(src.lower()) if src.lower() in _PRONOUNS else _same_role(ctx, src)
    if last is not None:
        return Attribution(
            last.source, last.kind, la.stance, la.verb, span, verb_span, last.actor, last.person
        )
    inside = [e for e in ents if span.start <= e.span.start and e.span.end <= span.end]
    countries = sorted({c for c, _, _ in countries_in(src)})
    persons = [e for e in inside if e.label == "PERSON"]
    actor = ", ".join(countries) or None
    if not persons and person_key(src) in ctx.people:
        persons = [Entity(span, src, "PERSON", person_key(src))]
    titled = _TITLED_NAME.search(src) if not persons else None
    if titled and titled.group(1).split()[-1].lower() not in _ROLE_WORDS:
        persons = [Entity(span, titled.group(1), "PERSON", person_key(titled.group(1)))]
    if persons:
        kind = "person"
        actor = actor or ctx.affiliation(person_key(_speaker(persons, span, src).text))
    elif _VAGUE_SOURCE.search(src) and not _PERSON_TITLE.search(src):
        kind = "officials"
    elif _PERSON_TITLE.search(src):
        kind = "person"
    elif country_of(re.sub(r"^the\s+|['’]s$", "", src, flags=re.IGNORECASE)):
        kind = "country"
    elif src.lower() in _PRONOUNS:
        kind = "person"
    else:
        kind = "organisation"
    person = person_key(_speaker(persons, span, src).text) if persons else None
    return Attribution(src, kind, la.stance, la.verb, span, verb_span, actor, person)


# "the spokesperson added" right after "a spokesperson for the army said": the one just quoted.
_DEFINITE_ROLE = re.compile(
    r"^the\s+(spokes(?:wo)?man|spokesperson|official|minister|lawyer|attorney|publicist|representative|"
    r"mayor|governor|president|commander|director|secretary|ambassador|envoy|prosecutor|judge|sheriff|"
    r"coroner)$",
    re.IGNORECASE,
)
# How many sentences back "the spokesperson" may refer to the source last named with that role.
ROLE_REACH = 2


def _same_role(ctx: _Context, src: str) -> Attribution | None:
    """The source a definite role refers back to: the last one named, if its description has that
    role and it was named in the last ``ROLE_REACH`` sentences."""
    m = _DEFINITE_ROLE.match(src)
    last = ctx.last
    if m is None or last is None or ctx.si - ctx.last_si > ROLE_REACH:
        return None
    return last if re.search(rf"\b{m.group(1)}\b", last.source, re.IGNORECASE) else None


def _speaker(persons: list[Entity], span: Span, src: str) -> Entity:
    """The person who speaks among those a source names: the name first, then its role ("Mirela Osk,
    an aide to Annika Sollberg"), else the last ("Simpson's attorney, Warren Gotcher")."""
    first = persons[0]
    if first.span.start == span.start and src[first.span.end - span.start :].startswith(","):
        return first
    return persons[-1]


def _outlet(article: Article) -> Attribution:
    return Attribution(article.outlet or article.outlet_domain or OUTLET, OUTLET, "asserts", actor=None)


def _entities(text: str, offset: int, local: list[LocalEntity]) -> list[Entity]:
    return [
        Entity(Span(offset + a, offset + b), text[a:b], label, entity_key(text[a:b], label))
        for a, b, label in local
    ]


# Words of a time stamp or byline line ("Posted: Sep 27, 2013 5:50 PM EDT", "Updated 05/03/2013 at
# 11:00 AM", "By Jonas Brekke"): page furniture that states nothing about the story.
_STAMP_WORD = re.compile(
    r"^(?:\d+\w{0,2}|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*|"
    r"mon\w*|tue\w*|wed\w*|thu\w*|fri\w*|sat\w*|sun\w*|am|pm|a|m|p|gmt|utc|bst|cet|[ecmp][sd]t|et|pt|ct|"
    r"posted|updated|published|last|first|modified|at|on|by|and|uk|us|the|of|time|local|edited|original)$",
    re.IGNORECASE,
)


_BYLINE = re.compile(r"^\s*by\s+(?:[A-Z][\w.'’-]*\s*){1,4}$", re.IGNORECASE)


def _is_stamp(content: str) -> bool:
    words = _WORD.findall(content)
    if _BYLINE.match(content) and all(w[:1].isupper() for w in content.split()[1:]):
        return True
    return bool(words) and sum(1 for w in words if not _STAMP_WORD.match(w)) <= 1


def _is_claim(content: str, min_words: int) -> bool:
    words = _WORD.findall(content)
    if len(words) < min_words or _is_stamp(content) or is_credit_line(content):
        return False
    return bool(_VERBISH.search(content) or re.search(r"\d", content))


@dataclass(frozen=True, slots=True)
class _Piece:
    """One clause of a sentence, local offsets into the sentence."""

    start: int
    end: int
    appositive: re.Match[str] | None = None


def _pieces(masked: str, start: int) -> list[_Piece]:
    out: list[_Piece] = []
    ap = APPOSITIVE_RESPONSE.search(masked, start)
    main_end = ap.start() if ap else len(masked)
    for a, b in split_clauses(masked[start:main_end]):
        out.append(_Piece(start + a, start + b))
    if ap:
        first = ap.start() + 1
        while first < len(masked) and masked[first].isspace():
            first += 1
        out.append(_Piece(first, len(masked), ap))
    return out


def _appositive_attribution(masked: str, piece: _Piece) -> LocalAttribution:
    m = piece.appositive
    assert m is not None
    src_group, verb_group = ("src1", "v1") if m.group("src1") else ("src2", "v2")
    rel = lambda g: (m.start(g) - piece.start, m.end(g) - piece.start)  # noqa: E731
    src_span, verb_span = rel(src_group), rel(verb_group)
    stance = "disputes" if m.group(verb_group).lower() in ("disputed", "contested") else "denies"
    return LocalAttribution(
        masked[m.start(src_group) : m.end(src_group)],
        src_span,
        m.group(verb_group),
        verb_span,
        stance,
        (0, piece.end - piece.start),
        response=True,
    )


def _quotes(
    sentence: str, offset: int, quotes: list[LocalQuote], lo: int, hi: int, speaker: Attribution
) -> tuple[Quote, ...]:
    out = []
    for q in quotes:
        if q.start < hi and lo < q.end:
            named = not speaker.is_outlet
            out.append(
                Quote(
                    Span(offset + q.start, offset + q.end),
                    sentence[q.start : q.end],
                    speaker.source if named else None,
                    speaker.source_span if named else None,
                    q.closed,
                )
            )
    return tuple(out)


# Claims an anaphoric denial ("dismissed the statement as false") may answer, nearest first. Five
# reach back past a quote or two to the lead claim that other outlets' denials answer.
MAX_RESPONSE_TARGETS = 5


def _response_targets(ctx: _Context, attribution: Attribution, sentence_index: int, window: int) -> list[str]:
    def answerable(c: Claim) -> bool:
        if c.response_to or c.attribution.is_outlet or c.attribution.stance in ("denies", "disputes"):
            return False
        return not (attribution.actor and c.attribution.actor == attribution.actor)

    out = []
    for c in reversed(ctx.claims):
        if sentence_index - c.sentence_index > window or len(out) >= MAX_RESPONSE_TARGETS:
            break
        if answerable(c):
            out.append(c.id)
    # The lead's claim comes last, whatever the distance: a news report opens with the claim the
    # story is about, and a later "dismissed the statement" answers it when other outlets' denials
    # answer that same claim (the aligner's vote decides; alone, the nearest claim still wins).
    lead = [c for c in ctx.claims if c.sentence_index == ctx.claims[0].sentence_index] if ctx.claims else []
    out += [c.id for c in lead if c.id not in out and answerable(c)]
    return out


def _claim(
    ctx: _Context,
    si: int,
    sentence: str,
    offset: int,
    piece: _Piece,
    la: LocalAttribution | None,
    ents: list[Entity],
    quotes: list[LocalQuote],
    opts: ExtractOptions,
    rebuttal: Rebuttal | None = None,
) -> Claim | None:
    lo, hi = piece.start, piece.end
    if la is None:
        c_lo, c_hi, attribution = lo, hi, _outlet(ctx.article)
    else:
        c_lo, c_hi = lo + la.content[0], lo + la.content[1]
        attribution = _source(ctx, la, offset + lo, ents)
    content = sentence[c_lo:c_hi]
    exempt = la is not None and (la.response or is_accusation(la.verb))
    if c_hi <= c_lo or (not exempt and not _is_claim(content, opts.min_content_words)):
        return None
    src_span = attribution.source_span
    times = extract_times(sentence[lo:hi], offset + lo, ctx.ref)
    masks = [(t.span.start - offset - c_lo, t.span.end - offset - c_lo) for t in times]
    claim = Claim(
        id=f"{ctx.article.id}:c{len(ctx.claims)}",
        article_id=ctx.article.id,
        sentence_index=si,
        span=Span(offset + lo, offset + hi),
        content_span=Span(offset + c_lo, offset + c_hi),
        text=sentence[lo:hi],
        attribution=attribution,
        quantities=tuple(extract_quantities(content, offset + c_lo, masks)),
        times=tuple(times),
        entities=tuple(
            e
            for e in ents
            if offset + lo <= e.span.start
            and e.span.end <= offset + hi
            and not (src_span and src_span.start <= e.span.start < src_span.end)
        ),
        quotes=_quotes(sentence, offset, quotes, lo, hi, attribution),
        negations=tuple(
            Marker(Span(offset + c_lo + a, offset + c_lo + b), content[a:b])
            for a, b in negation_cues(content)
        ),
        hedges=tuple(
            Marker(Span(offset + c_lo + a, offset + c_lo + b), content[a:b]) for a, b in hedge_cues(content)
        ),
    )
    if rebuttal is not None:
        targets = rebuttal_targets(ctx.claims, attribution, rebuttal, si, ctx.article.text)
        if not targets:
            return None
        claim = _with_response(claim, targets)
    elif la and la.response:
        targets = _response_targets(ctx, attribution, si, opts.response_window)
        if not targets:
            return None
        claim = _with_response(claim, targets)
    elif la is not None:
        # A counter-statement keeps its own fact and names the claims it may answer.
        counters = counter_targets(ctx.claims, claim, ctx.article.text)
        claim = replace(claim, response_candidates=tuple(counters))
    return claim


def _names_a_source(a: Attribution) -> bool:
    """A source later "he" or "it" can stand for: not the outlet, a pronoun or an unresolved "the company"."""
    return (
        not a.is_outlet and a.source.lower() not in _PRONOUNS and not _DEFINITE_BODY.match(a.source.strip())
    )


def _in_quote(e: Entity, offset: int, quotes: list[LocalQuote]) -> bool:
    return any(offset + q.start <= e.span.start and e.span.end <= offset + q.end for q in quotes)


def _with_response(claim: Claim, targets: list[str]) -> Claim:
    return replace(claim, response_to=targets[0], response_candidates=tuple(targets))


def sentence_texts(article: Article, opts: ExtractOptions) -> list[tuple[int, str]]:
    """(offset, text) of each sentence to analyse: dateline removed, over-long ones cut."""
    out = []
    for span in article.sentences:
        text = span.text(article.text)[: opts.max_sentence_chars]
        skip = body_start(text)
        out.append((span.start + skip, text[skip:]))
    return out


def extract_claims(
    article: Article, sentence_entities: list[list[LocalEntity]], opts: ExtractOptions | None = None
) -> list[Claim]:
    """Claims of one article; ``sentence_entities`` are NER results for ``sentence_texts(article)``."""
    opts = opts or ExtractOptions()
    sentences = sentence_texts(article, opts)
    people = {
        person_key(s[a:b]): s[a:b]
        for (_, s), loc in zip(sentences, sentence_entities, strict=True)
        for a, b, label in loc
        if label == "PERSON"
    }
    ctx = _Context(article, _ref_date(article), {k: v for k, v in people.items() if k})
    runs, last_end = QuoteRuns(ctx.claims), 0
    for si, ((offset, sentence), local) in enumerate(zip(sentences, sentence_entities, strict=True)):
        if not sentence.strip():
            continue
        ctx.si = si
        ents = _entities(sentence, offset, local)
        new_paragraph = "\n" in article.text[last_end:offset]
        quotes = find_quotes(sentence, open_at_start=runs.open, reopened=new_paragraph)
        last_end = offset + len(sentence)
        first_claim = len(ctx.claims)
        masked = quote_mask(sentence, quotes)
        heard = None  # the speaker of a quotation too short to be a claim of its own
        for piece in _pieces(masked, 0):
            la = (
                _appositive_attribution(masked, piece)
                if piece.appositive
                else find_attribution(masked[piece.start : piece.end])
            )
            claim = _claim(ctx, si, sentence, offset, piece, la, ents, quotes, opts)
            rebut = find_rebuttal(sentence[piece.start : piece.end], masked[piece.start : piece.end], la)
            if rebut is not None:
                # Answering an earlier claim of another source, it is a denial of that claim; else
                # it stays what it was read as.
                args = (ctx, si, sentence, offset, piece, rebut.attribution, ents, quotes, opts)
                claim = _claim(*args, rebuttal=rebut) or claim
            if claim is None:
                if la is not None and not la.response:
                    # A clause too short to be a claim still names who speaks: a later "he" or a
                    # following quotation is that speaker's.
                    said = _source(ctx, la, offset + piece.start, ents)
                    heard = (heard or said) if quotes else heard
                    if _names_a_source(said):
                        ctx.last, ctx.last_si = said, si
                continue
            ctx.claims.append(claim)
            if _names_a_source(claim.attribution):
                ctx.last, ctx.last_si = claim.attribution, si
        runs.sentence(offset, quotes, first_claim, heard)
        orgs = [e for e in ents if e.label == "ORG"]
        if orgs:
            ctx.organisation, ctx.organisation_si = orgs[-1], si
        # Someone named inside a quotation is spoken about, not the one speaking: the "she" of
        # "“Skarnvale Hydro was warned ...,” she told members" is not Skarnvale Hydro.
        named = [e for e in ents if e.label == "PERSON" and not _in_quote(e, offset, quotes)]
        if named:
            ctx.subject, ctx.subject_si = named[0], si
    return ctx.claims
