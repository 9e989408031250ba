"""Hand-built articles and report layers for the renderer and web tests.

These exercise the HTML/web layer on a report whose every span is computed from the article text
here, independent of the analysis stages (which have their own tests).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.model import Article
from newsprism.report.json_report import article_summary

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


def ev(a: Article, needle: str) -> dict[str, Any]:
    return {"article_id": a.id, "span": span(a, needle), "text": needle}


def single(vid: str, evidence: dict[str, Any]) -> dict[str, Any]:
    """A single-source verdict in the verdicts layer's shape."""
    return {
        "id": vid,
        "label": "single-source",
        "text": evidence["text"],
        "article_ids": [evidence["article_id"]],
        "n_independent_sources": 1,
        "evidence": [evidence],
    }


def report_dict(arts: list[Article], layers: bool = True) -> dict[str, Any]:
    """A report in the shape ``report/json_report.py`` writes, with spans computed from the texts."""
    meta = [article_summary(a) for a in arts]
    report: dict[str, Any] = {
        "schema_version": "1.3.0",
        "generated_at": "2025-04-27T00:00:00+00:00",
        "newsprism_version": "0.1.0",
        "inputs": {"given": ["test"]},
        "articles": meta,
        "stages": {"ran": [], "timings": {}, "absent": {}},
    }
    if not layers:
        for name in ("reuse", "stories", "claims", "alignment", "verdicts"):
            report["stages"]["absent"][name] = "stage not available"
        return report
    wire, reprint, indep = arts[0], arts[1], arts[2]
    report["stages"]["ran"] = ["reuse", "stories", "verdicts"]
    report["stages"]["absent"] = {"claims": "stage not available", "alignment": "stage not available"}
    troops_w = "North Korea deployed 10,000-12,000 troops to Russia"
    report["reuse"] = {
        "pairs": [
            {
                "a": wire.id,
                "b": reprint.id,
                "type": "truncated",
                "direction": "a->b",
                "confidence": 0.97,
                "reason": "shares 100% of the reprint's 5-gram shingles",
                "coverage_a": 0.8,
                "coverage_b": 1.0,
                "passages": [{"a": span(wire, troops_w), "b": span(reprint, troops_w)}],
            }
        ],
        "groups": [
            {"id": "g1", "members": [wire.id, reprint.id], "origin": wire.id},
            {"id": "g2", "members": [a.id for a in arts[2:]], "origin": indep.id},
        ],
        "revisions": [],
    }
    report["stories"] = {
        "stories": [
            {
                "id": "s1",
                "label": "North Korean troops in Kursk",
                "article_ids": [a.id for a in arts],
                "outlets": sorted({a.outlet for a in arts}),
                "time_span": [meta[0]["published"], meta[-1]["published"]],
                "n_articles": len(arts),
                "n_independent_sources": 2,
            }
        ]
    }
    report["verdicts"] = {
        "fact_sheet": [
            {
                "id": "f1",
                "text": "The presidents met for about 15 minutes.",
                "article_ids": [wire.id, indep.id],
                "n_independent_sources": 2,
                "evidence": [
                    ev(wire, "The presidents met for about 15 minutes."),
                    ev(indep, "The presidents met for about 15 minutes."),
                ],
            }
        ],
        "conflicts": [
            {
                "id": "c1",
                "label": "conflicting",
                "text": troops_w,
                "article_ids": [a.id for a in arts],
                "n_independent_sources": 2,
                "evidence": [ev(wire, troops_w), ev(indep, "North Korea sent 14,000 troops to Russia")],
                "type": "number",
                "topic": "North Korean troops sent to Russia",
                "values": [
                    {
                        "value": "10,000-12,000",
                        "article_ids": [wire.id, reprint.id],
                        "evidence": [ev(wire, troops_w)],
                    },
                    {
                        "value": "14,000 troops",
                        "article_ids": [a.id for a in arts[2:]],
                        # As the verdicts stage writes it: the value's own span, then its sentence.
                        "evidence": [
                            dict(ev(indep, "14,000"), role="value"),
                            dict(ev(indep, "North Korea sent 14,000 troops to Russia"), role="claim"),
                        ],
                    },
                ],
            }
        ],
        "actor_disputes": [
            {
                "id": "d1",
                "label": "disputed",
                "topic": "Was Ukraine expelled from Kursk?",
                "evidence": [ev(wire, "Russia said Ukraine was expelled from Kursk.")],
                "article_ids": [wire.id, indep.id],
                "sides": [
                    {
                        "actor": "Russia",
                        "article_ids": [wire.id],
                        "value": "Ukraine was expelled from Kursk",
                        "evidence": [ev(wire, "Russia said Ukraine was expelled from Kursk.")],
                    },
                    {
                        "actor": "Ukraine's General Staff",
                        "article_ids": [wire.id],
                        "value": "denied the claim",
                        "evidence": [ev(wire, "Ukraine's General Staff denied the claim.")],
                    },
                ],
            }
        ],
        "single_source": [
            single("s1", ev(indep, "North Korea sent 14,000 troops to Russia, according to the Post."))
        ],
    }
    met = "The presidents met for about 15 minutes."
    claims = {
        a.id: [
            {"id": f"{a.id}:c0", "article_id": a.id, "sentence_index": 2, "span": span(a, met), "text": met}
        ]
        for a in (wire, indep)
    }
    report["claims"] = {"n_claims": 2, "articles": claims}
    report["alignment"] = {
        "groups": [
            {
                "id": "g1",
                "story_id": "s1",
                "score": 0.99,
                "article_ids": [wire.id, indep.id],
                "members": [dict(claims[a.id][0], claim_id=claims[a.id][0]["id"]) for a in (wire, indep)],
                "responses": [],
            }
        ]
    }
    report["stages"]["ran"] += ["claims", "align"]
    report["stages"]["absent"] = {}
    report["verdicts"]["fact_sheet"][0]["group_id"] = "g1"
    if len(arts) > 3:
        hostile = arts[3]
        report["verdicts"]["single_source"].append(single("s2", ev(hostile, hostile.text[:60])))
    return report


def _records(report: dict[str, Any]) -> list[dict[str, Any]]:
    layer = {"align": "alignment"}
    ran = [{"name": n, "layer": layer.get(n, n), "status": "ran"} for n in report["stages"]["ran"]]
    absent = [{"name": n, "layer": n, "status": "absent", "reason": why}
              for n, why in report["stages"]["absent"].items()]
    return ran + absent


def _story_findings(report: dict[str, Any], story: dict[str, Any], taken: set[str]) -> Any:
    """One story's rows from the hand-built report: the items that cite its articles (each item
    once, in the first story it cites, as a real analysis stores it)."""
    from newsprism.store.findings import VERDICT_SECTIONS, StoryFindings

    members = set(story["article_ids"])
    reuse, verdicts = report.get("reuse") or {}, report.get("verdicts") or {}
    by_article = (report.get("claims") or {}).get("articles", {})
    claims = [c for aid in story["article_ids"] for c in by_article.get(aid, [])]
    groups = [g for g in (report.get("alignment") or {}).get("groups", []) if set(g["article_ids"]) & members]
    found = [(k, v) for k in VERDICT_SECTIONS for v in verdicts.get(k) or []
             if set(v["article_ids"]) & members and v["id"] not in taken]
    taken.update(v["id"] for _, v in found)
    summary = {
        "newsprism_version": "test", "article_ids": story["article_ids"],
        "outlets": story.get("outlets") or [], "n_articles": len(members),
        "n_independent_sources": story.get("n_independent_sources") or len(members),
        "independent_basis": "reuse", "n_claims": len(claims), "n_fact_groups": len(groups),
        "n_corroborated": sum(1 for k, _ in found if k == "fact_sheet"),
        "n_conflicts": sum(1 for k, _ in found if k == "conflicts"),
        "n_disputes": sum(1 for k, _ in found if k == "actor_disputes"),
        "n_single_source": sum(1 for k, _ in found if k == "single_source"),
        "detail": {
            "stages": _records(report), "story": story,
            "reuse": {"groups": [g for g in reuse.get("groups", []) if set(g["members"]) & members],
                      "notes": []} if reuse else None,
            "claims": {"errors": {}} if "claims" in report else None,
            "alignment": {"notes": [], "errors": {}} if "alignment" in report else None,
            "verdicts": ({"independence": "reuse", "independence_note": "", "errors": {}}
                         if verdicts else None),
        },
    }
    return StoryFindings(
        story["id"], summary,
        [{"id": c["id"], "article_id": c["article_id"], "span_start": c["span"][0], "span_end": c["span"][1],
          "text": c["text"], "detail": c} for c in claims],
        [{"id": g["id"], "n_articles": len(g["article_ids"]), "score": g["score"],
          "claim_ids": [m["claim_id"] for m in g["members"]], "detail": g} for g in groups],
        [{"id": v["id"], "section": k, "label": v.get("label", k), "type": v.get("type"),
          "text": v.get("text", ""), "n_independent_sources": v.get("n_independent_sources", 1),
          "confidence": v.get("confidence", 0.5),
          "article_ids": v["article_ids"], "detail": v} for k, v in found],
        [{"id": f"{p['a']}-{p['b']}", "a": p["a"], "b": p["b"], "type": p["type"],
          "direction": p["direction"], "confidence": p["confidence"], "detail": p}
         for p in reuse.get("pairs", [])
         if p["a"] in members and p["b"] in members],
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
    """The hand-built report stored as the store holds an analysis: its stories as persistent
    stories, each with its findings in the findings tables."""
    from newsprism.store.findings import save_story_findings

    dates = {a.id: a.published for a in arts}
    taken: set[str] = set()
    with store.transaction() as conn:
        for story in report["stories"]["stories"]:
            add_story(conn, story, [dates[a] for a in story["article_ids"] if dates.get(a)])
            save_story_findings(conn, _story_findings(report, story, taken))
