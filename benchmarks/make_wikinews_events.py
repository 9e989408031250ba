"""Derive the Wikinews related-events set (benchmarks/data/wikinews-events/) from WikinewsSum's dump.

Input: ``endataset.json`` from github.com/airKlizz/WikinewsSum at commit 1d98503 (101 English Wikinews
articles of Nov-Dec 2004 as wikitext; the script reads only their ``text`` and ``title``, never the
``sources``, which are third-party news). Wikinews articles of 2004 carry {{PD-Article}}: public domain.

Wikinews writes one article per event, so each chosen article becomes ``REPORTS`` reports: every report
opens with the article's lead sentence (as reports built on one wire lead do) and then takes a disjoint
share of the other sentences (report k takes sentences 1+k, 1+k+REPORTS, ...), so the reports of one event
share one sentence and otherwise only the event's names and vocabulary. Events are chosen in groups
that share protagonists (same president, disaster, country or campaign), which is what the set tests.

    python benchmarks/make_wikinews_events.py /tmp/endataset.json benchmarks/data/wikinews-events/events.jsonl
    python benchmarks/make_wikinews_events.py /tmp/endataset.json \
        benchmarks/data/wikinews-events/events-no-shared-lead.jsonl --no-shared-lead

``--no-shared-lead`` makes the harder variant: no sentence is shared, the lead goes to report 0 only
(report k takes sentences k, k+REPORTS, ...), so only one report per event has the real lead.
"""

from __future__ import annotations

import json
import re
import sys

REPORTS = 4
MIN_SENTENCES = 1 + 2 * REPORTS

# Groups of distinct events that share protagonists (title prefixes in the dump).
GROUPS = {
    "bush-cabinet": [
        "Colin Powell Resigns",
        "US Secretary of Homeland Security Tom Ridge",
        "Kerik nominated",
        "Rumsfeld to remain",
        "US president Bush visits Canada",
        "Bush to Propose Major Overhaul",
    ],
    "tsunami": [
        "Asian earthquake toll nears",
        "Tsunami toll passes",
        "U.S. and U.K. governments warn",
        "Americans contribute to relief",
        "UN 'optimistic'",
        "Australia to deport asylum",
    ],
    "lula": [
        "President of China lunches",
        "President of Brazil meets Vietnamese",
        "Brazilian President meets President of South Korea",
        "South American Community of Nations",
        "Brazilian delegation returns from Arafat",
    ],
    "spam": [
        "World's most-spammed man",
        "Lycos launches screensaver",
        "Lycos Europe ends",
        "Security firm identifies United States",
    ],
    "us-election": ["Republicans Subpoenaed in Ohio", "Democrats ask GAO", "Gregoire wins"],
    "asteroid": ["Near-Earth asteroid 2004 MN4", "MN4 2004 asteroid now", "16 Foot Asteroid"],
    "kidnap": ["Brazilian soccer player's mother has been", "Brazilian soccer player's mother freed"],
    "ukraine": ["Ukrainian opposition leader calls", "Yushchenko claims victory"],
    "iraq": ["Beheaded bodies found", "Twin bombings hit Baghdad", "US army gives medical"],
    "mst": ["Brazilian Landless Workers Movement invades", "MST attack in Rondonia"],
    "cricket": ["Australians talk tough", "Australia in a good position"],
    "pinochet": ["Valech Report released", "Pinochet arrested"],
    "box-office": ["'Fockers' set to meet", "'Noise' takes on 'Fockers'"],
    "microsoft": ["New Beta Version of MSN Search", "Longhorn for 2006"],
}


def plain(wikitext: str) -> str:
    """Wikitext to plain text: link and template display text kept, markup, files and templates dropped."""
    t = re.sub(r"\[\[(?:File|Image):[^\]]*\]\]", " ", wikitext)
    t = re.sub(r"\{\{w\|(?:[^|{}]*\|)?([^|{}]*)\}\}", r"\1", t)
    t = re.sub(r"\[\[(?:w:)?(?:[^|\]]*\|)?([^\]]*)\]\]", r"\1", t)
    t = re.sub(r"\[https?://\S+\s*([^\]]*)\]", r"\1", t)
    t = re.sub(r"\{\{[^{}]*\}\}", " ", t)
    t = re.sub(r"\{[^{}]*\}\}|\{\{[^{}]*$", " ", t)
    t = re.sub(r"'{2,}", "", t).replace("&mdash;", "—").replace("&nbsp;", " ")
    t = re.sub(r"<[^>]+>", " ", t)
    return " ".join(t.split())


def sentences(paragraphs: list[str]) -> list[str]:
    from newsprism.sentences import split_sentences
    from newsprism.text import normalize, paragraph_spans

    text = normalize("\n\n".join(plain(p) for p in paragraphs))
    out = []
    for span in split_sentences(text, paragraph_spans(text)):
        sent = span.text(text).strip()
        # A sentence that starts mid-word lost its opening to a broken template in the dump.
        if len(sent.split()) >= 5 and (sent[0].isupper() or sent[0] in '"“'):
            out.append(sent)
    return out


def main(src: str, dst: str, shared_lead: bool = True) -> None:
    rows = [json.loads(line) for line in open(src, encoding="utf-8") if line.strip()]
    out = []
    for group, prefixes in GROUPS.items():
        for prefix in prefixes:
            (row,) = [r for r in rows if r["title"].startswith(prefix)]
            sents = sentences(row["text"])
            if len(sents) < MIN_SENTENCES:
                continue
            parts = [
                [sents[0], *sents[1 + k :: REPORTS]] if shared_lead else sents[k::REPORTS]
                for k in range(REPORTS)
            ]
            event = re.sub(r"[^a-z0-9]+", "-", row["title"].lower()).strip("-")[:60]
            for k in range(REPORTS):
                out.append(
                    {
                        "id": f"{event}#{k}",
                        "group": group,
                        "event": event,
                        "source_title": row["title"],
                        "text": " ".join(parts[k]),
                    }
                )
    with open(dst, "w", encoding="utf-8") as fh:
        for r in out:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    events = {r["event"] for r in out}
    groups = {r["group"] for r in out}
    print(f"{len(out)} reports, {len(events)} events in {len(groups)} groups", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], "--no-shared-lead" not in sys.argv[3:])
