"""Articles and a report built from typed layers (``report.types``) for the renderer and web tests.

These exercise the HTML/web layer on a report whose every span is computed from the article text
here, independent of the analysis stages (which have their own tests). The report is assembled by
``build_report`` from the typed constructors, so it has the shape a run writes and nothing else.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.model import Article
from newsprism.report.json_report import ReportOptions, build_report
from newsprism.report.types import (
    Alignment,
    Claim,
    ClaimGroup,
    Claims,
    Conflict,
    Evidence,
    GroupMember,
    Passage,
    Report,
    Reuse,
    ReuseGroup,
    ReusePair,
    Side,
    Stories,
    Story,
    TimeSpan,
    Verdict,
    Verdicts,
    parse_report,
)

WIRE = (
    "KYIV — North Korea deployed 10,000-12,000 troops to Russia, officials said on Saturday.\n"
    "Russia said Ukraine was expelled from Kursk. Ukraine's General Staff denied the claim.\n"
    "The presidents met for about 15 minutes."
)
REPRINT = (
    "KYIV — North Korea deployed 10,000-12,000 troops to Russia, officials said on Saturday.\n"
    "Russia said Ukraine was expelled from Kursk. Ukraine's General Staff denied the claim."
)
INDEPENDENT = (
    "North Korea sent 14,000 troops to Russia, according to the Post.\n"
    "Russia said Ukraine was expelled from Kursk. Ukraine's General Staff denied the claim.\n"
    "The presidents met for about 15 minutes."
)
HOSTILE_TITLE = 'Breaking <script>window.__pwned=1</script><img src=x onerror="window.__pwned=1;alert(1)">'
HOSTILE_TEXT = (
    "Officials said <script>window.__pwned=1;alert('x')</script> the troops were 14,000 strong.\n"
    'Read more <a href="javascript:window.__pwned=1">here</a> and '
    '<img src=x onerror="window.__pwned=1">.\n'
    '<svg onload="window.__pwned=1"></svg> North Korea sent 14,000 troops to Russia.'
)


def article(text: str, outlet: str, url: str, hour: int, title: str | None = None) -> Article:
    raw = RawDocument(
        text=text,
        source=url,
        format="json",
        title=title or text.split(".")[0][:60],
        url=url,
        outlet=outlet,
        published=datetime(2025, 4, 26, hour, 0, tzinfo=UTC),
    )
    return build_article(raw)


def corpus(hostile: bool = False) -> list[Article]:
    arts = [
        article(WIRE, "Associated Press", "https://apnews.com/a1", 9),
        article(REPRINT, "Daily Reprint", "https://reprint.example/b", 10),
        article(INDEPENDENT, "New York Post", "https://nypost.com/c", 11),
    ]
    if hostile:
        arts.append(article(HOSTILE_TEXT, "Evil <b>Outlet</b>", "https://evil.example/x", 12, HOSTILE_TITLE))
    return arts


def span(a: Article, needle: str) -> list[int]:
    start = a.text.index(needle)
    return [start, start + len(needle)]


def ev(a: Article, needle: str, role: str | None = None) -> Evidence:
    if role is None:
        return Evidence(article_id=a.id, span=span(a, needle), text=needle)
    return Evidence(article_id=a.id, span=span(a, needle), text=needle, role=role)


def single(vid: str, evidence: Evidence) -> Verdict:
    """A single-source verdict."""
    return Verdict(id=vid, label="single-source", text=evidence.text, article_ids=[evidence.article_id],
                   n_independent_sources=1, evidence=[evidence])


LAYER_STAGES = {"reuse": "reuse", "stories": "stories", "claims": "claims", "alignment": "align",
                "verdicts": "verdicts"}


def report_dict(arts: list[Article], layers: bool = True) -> dict[str, Any]:
    """A report as a run assembles it (``build_report``) from typed layers whose every span is
    computed from the texts here; with ``layers=False`` every stage is absent."""
    status = "ran" if layers else "absent"
    records = [{"name": name, "layer": layer, "status": status, "seconds": 0.01} if layers else
               {"name": name, "layer": layer, "status": status, "reason": "stage not available"}
               for layer, name in LAYER_STAGES.items()]
    typed = _layers(arts) if layers else {}
    return build_report(arts, typed, records, {"given": ["test"]}, ReportOptions(include_text=False))


def _layers(arts: list[Article]) -> dict[str, Any]:
    wire, reprint, indep = arts[0], arts[1], arts[2]
    troops_w = "North Korea deployed 10,000-12,000 troops to Russia"
    troops_p = "North Korea sent 14,000 troops to Russia"
    met = "The presidents met for about 15 minutes."
    expelled = "Russia said Ukraine was expelled from Kursk."
    denied = "Ukraine's General Staff denied the claim."
    reuse = Reuse(
        pairs=[ReusePair(a=wire.id, b=reprint.id, type="truncated", direction="a->b", confidence=0.97,
                         reason="shares 100% of the reprint's 5-gram shingles",
                         coverage_a=0.8, coverage_b=1.0,
                         passages=[Passage(a=span(wire, troops_w), b=span(reprint, troops_w))])],
        groups=[ReuseGroup(id="g1", members=[wire.id, reprint.id], origin=wire.id),
                ReuseGroup(id="g2", members=[a.id for a in arts[2:]], origin=indep.id)],
    )
    dates = [a.published.isoformat() for a in arts if a.published]
    stories = Stories(stories=[Story(
        id="s1", label="North Korean troops in Kursk", article_ids=[a.id for a in arts],
        outlets=sorted({a.outlet for a in arts if a.outlet}),
        time_span=TimeSpan(start=dates[0], end=dates[-1]),
        n_articles=len(arts), n_independent_sources=2)])
    singles = [single("s1", ev(indep, "North Korea sent 14,000 troops to Russia, according to the Post."))]
    if len(arts) > 3:
        singles.append(single("s2", ev(arts[3], arts[3].text[:60])))
    verdicts = Verdicts(
        fact_sheet=[Verdict(id="f1", group_id="g1", label="corroborated", text=met,
                            article_ids=[wire.id, indep.id], n_independent_sources=2,
                            evidence=[ev(wire, met), ev(indep, met)])],
        conflicts=[Conflict(
            id="c1", label="conflicting", text=troops_w, type="number",
            article_ids=[a.id for a in arts],
            n_independent_sources=2, evidence=[ev(wire, troops_w), ev(indep, troops_p)],
            values=[Side(value="10,000-12,000", article_ids=[wire.id, reprint.id],
                         evidence=[ev(wire, troops_w)]),
                    # As the verdicts stage writes it: the value's own span, then its sentence.
                    Side(value="14,000 troops", article_ids=[a.id for a in arts[2:]],
                         evidence=[ev(indep, "14,000", "value"), ev(indep, troops_p, "claim")])])],
        actor_disputes=[Verdict(
            id="d1", label="disputed", text="Was Ukraine expelled from Kursk?",
            article_ids=[wire.id, indep.id],
            evidence=[ev(wire, expelled)],
            sides=[Side(actor="Russia", value="Ukraine was expelled from Kursk", article_ids=[wire.id],
                        evidence=[ev(wire, expelled)]),
                   Side(actor="Ukraine's General Staff", value="denied the claim", article_ids=[wire.id],
                        evidence=[ev(wire, denied)])])],
        single_source=singles,
    )
    claims = {a.id: Claim(id=f"{a.id}:c0", article_id=a.id, span=span(a, met), text=met)
              for a in (wire, indep)}
    alignment = Alignment(groups=[ClaimGroup(
        id="g1", story_id="s1", score=0.99, article_ids=[wire.id, indep.id],
        members=[GroupMember(claim_id=c.id, article_id=c.article_id, span=c.span, text=c.text)
                 for c in claims.values()])])
    return {"reuse": reuse, "stories": stories, "verdicts": verdicts, "alignment": alignment,
            "claims": Claims(n_claims=len(claims), articles={aid: [c] for aid, c in claims.items()})}


def _verdicts_of(report: Report, members: set[str], taken: set[str]) -> list[tuple[str, Verdict]]:
    """The verdicts that cite a story's articles, each once, in the first story that cites it."""
    v = report.verdicts
    if v is None:
        return []
    sections = {"fact_sheet": v.fact_sheet, "conflicts": v.conflicts, "actor_disputes": v.actor_disputes,
                "single_source": v.single_source}
    found = [(k, item) for k, items in sections.items() for item in items
             if set(item.article_ids) & members and item.id not in taken]
    taken.update(item.id for _, item in found)
    return found


def _summary(report: Report, story: Story, counts: dict[str, int], found: list[tuple[str, Verdict]]) -> dict:
    reuse, members = report.reuse, set(story.article_ids)
    sections = (("corroborated", "fact_sheet"), ("conflicts", "conflicts"), ("disputes", "actor_disputes"),
                ("single_source", "single_source"))
    verdicts = {"independence": "reuse", "independence_note": "", "errors": {}}
    return {
        "newsprism_version": "test", "article_ids": story.article_ids, "outlets": story.outlets,
        "n_articles": len(members), "n_independent_sources": story.n_independent_sources or len(members),
        "independent_basis": "reuse", **counts,
        **{f"n_{name}": sum(1 for k, _ in found if k == section) for name, section in sections},
        "detail": {
            "stages": [r.to_dict() for r in report.stages.records], "story": story.to_dict(),
            "reuse": {"groups": [g.to_dict() for g in reuse.groups if set(g.members) & members],
                      "notes": []} if reuse else None,
            "claims": {"errors": {}} if report.claims else None,
            "alignment": {"notes": [], "errors": {}} if report.alignment else None,
            "verdicts": verdicts if report.verdicts else None,
        },
    }


def _story_findings(report: Report, story: Story, taken: set[str]) -> Any:
    """One story's rows from a report, as a real analysis stores them."""
    from newsprism.store.findings import StoryFindings

    members = set(story.article_ids)
    by_article = report.claims.articles if report.claims else {}
    claims = [c for aid in story.article_ids for c in by_article.get(aid, [])]
    aligned = report.alignment.groups if report.alignment else []
    groups = [g for g in aligned if set(g.article_ids) & members]
    found = _verdicts_of(report, members, taken)
    pairs = [p for p in (report.reuse.pairs if report.reuse else []) if {p.a, p.b} <= members]
    summary = _summary(report, story, {"n_claims": len(claims), "n_fact_groups": len(groups)}, found)
    return StoryFindings(
        str(story.id), summary,
        [{"id": c.id, "article_id": c.article_id, "span_start": c.span[0], "span_end": c.span[1],
          "text": c.text, "detail": c.to_dict()} for c in claims],
        [{"id": g.id, "n_articles": len(g.article_ids), "score": g.score,
          "claim_ids": [m.claim_id for m in g.members], "detail": g.to_dict()} for g in groups],
        [{"id": v.id, "section": k, "label": v.label or k, "type": v.type, "text": v.text or "",
          "n_independent_sources": v.n_independent_sources or 1,
          "confidence": v.confidence if v.confidence is not None else 0.5,
          "article_ids": v.article_ids, "detail": v.to_dict()} for k, v in found],
        [{"id": f"{p.a}-{p.b}", "a": p.a, "b": p.b, "type": p.type, "direction": p.direction,
          "confidence": p.confidence, "detail": p.to_dict()} for p in pairs],
    )


def add_story(conn: Any, story: dict[str, Any], published: list[datetime]) -> None:
    """A persistent story row with its members, as ``ingest`` links them."""
    from newsprism.stories.tables import stories, story_members

    now = datetime.now(UTC)
    conn.execute(stories.insert().values(
        id=story["id"], label=story["label"], n_articles=len(story["article_ids"]), status="active",
        first_published=min(published, default=None), last_published=max(published, default=None),
        created_at=now, updated_at=now))
    conn.execute(story_members.insert(), [{"article_id": a, "story_id": story["id"], "added_at": now,
                                           "how": "batch"} for a in story["article_ids"]])


def store_report(store: Any, arts: list[Article], report: dict[str, Any]) -> None:
    """The report stored as the store holds an analysis: its stories as persistent stories, each
    with its findings in the findings tables."""
    from newsprism.store.findings import save_story_findings

    typed = parse_report(report)
    dates = {a.id: a.published for a in arts}
    taken: set[str] = set()
    with store.transaction() as conn:
        for story in typed.stories.stories if typed.stories else []:
            add_story(conn, story.to_dict(), [dates[a] for a in story.article_ids if dates.get(a)])
            save_story_findings(conn, _story_findings(typed, story, taken))
