"""Stories are events: neighbouring events that share protagonists stay apart; dates can be removed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from newsprism.model import Article, content_hash
from newsprism.pipeline import Batch
from newsprism.sentences import split_sentences
from newsprism.stories.features import lead_terms
from newsprism.stories.stage import StoriesStage
from newsprism.stories.undate import scrub_dates, scrub_rows
from newsprism.text import normalize, paragraph_spans

# One fortnight, one cast: the same president, envoy, leader and country in every report, each report
# with its own background paragraph. Only the lead says which happening a report is about: a secret
# envoy trip, or a halt to missile tests.
BACKGROUND = [
    "Trump has said he will meet Kim Jong Un, and Moon Jae-in of South Korea backs a summit.",
    "The White House wants North Korea to give up its nuclear weapons before any summit.",
    "Seoul and Moon Jae-in welcomed the prospect of talks between Trump and Kim Jong Un.",
    "North Korea and the United States traded threats for a year before the talks began.",
]
TRIP = [
    "Mike Pompeo made a secret trip to Pyongyang and met Kim Jong Un, the envoy visit confirmed by Trump.",
    "Pompeo travelled secretly to Pyongyang for a visit with Kim Jong Un, Trump confirmed of the trip.",
    "A secret trip: Pompeo flew to Pyongyang and met Kim Jong Un, Trump said, confirming the visit.",
    "Trump confirmed Pompeo's secret visit to Pyongyang, where the envoy met Kim Jong Un on the trip.",
]
HALT = [
    "North Korea will halt missile tests and close its nuclear test site, Kim Jong Un announced.",
    "Kim Jong Un announced North Korea halts nuclear and missile tests and will close the test site.",
    "North Korea halts missile tests and closes a nuclear test site, Kim Jong Un announced.",
    "Missile tests halted: Kim Jong Un announced North Korea will close its nuclear test site.",
]


def _article(lead: str, aid: str, background: str) -> Article:
    text = normalize(f"{lead} {background}")
    paragraphs = paragraph_spans(text)
    return Article(
        id=aid,
        text=text,
        content_hash=content_hash(text),
        source_format="test",
        paragraphs=paragraphs,
        sentences=split_sentences(text, paragraphs),
    )


def test_events_sharing_protagonists_are_different_stories():
    articles = [_article(t, f"trip{i}", BACKGROUND[i]) for i, t in enumerate(TRIP)]
    articles += [_article(t, f"halt{i}", BACKGROUND[3 - i]) for i, t in enumerate(HALT)]
    result = StoriesStage().run(Batch.of(articles)).layer("stories")
    found = {frozenset(s.article_ids) for s in result.stories}
    assert found == {frozenset(f"trip{i}" for i in range(4)), frozenset(f"halt{i}" for i in range(4))}


def test_lead_terms_meet_across_inflections():
    assert lead_terms("Lohan checks into rehab") == lead_terms("Lohan checked into rehab")
    assert "^arrest" in lead_terms("Police arrested the singer")


def test_scrub_dates_removes_calendar_dates_and_keeps_the_rest():
    text = (
        "On Tuesday, May 3, 2013 she checked in. She may go home. Released 05/03/2013 and in "
        "December 2012. In 2003 and in the 1990s. They met on the 29th. She left yesterday, the "
        "33-year-old said, two days later. He will march in March. The 2013 Academy Awards, updated "
        "4 / 9 / 2007, on May. 3 at about 2045 GMT cost $1999."
    )
    for use_model in (False, True):
        out = scrub_dates([text], use_model=use_model)[0]
        dates = ("Tuesday", "May", "2013", "05/03", "December", "2003", "1990s", "29th", "March", "2007")
        for date in dates:
            assert date not in out, (use_model, date, out)
        for kept in ("She may go home", "yesterday", "33-year-old", "two days later", "will march",
                     "2045 GMT", "$1999"):
            assert kept in out, (use_model, kept, out)


def test_scrub_rows_drops_date_fields_and_dateline_sentences():
    rows = [{"id": "a", "story": "1", "url": "http://x.example/2013/may/03/a", "published": "2013-05-03",
             "sentences": ["Lohan checks into Betty Ford", "May 03, 2013", "She arrived on Friday."]}]
    (out,) = scrub_rows(rows, use_model=False)
    assert "url" not in out and "published" not in out and out["story"] == "1"
    assert out["sentences"] == ["Lohan checks into Betty Ford", "She arrived."]
    assert out["text"] == "Lohan checks into Betty Ford She arrived."


def test_eval_stories_reports_ari_and_removes_dates(tmp_path: Path):
    data = tmp_path / "rows.jsonl"
    rows = [{"id": f"t{i}", "event": "trip", "text": f"{t} {BACKGROUND[i]} May 3, 2018."}
            for i, t in enumerate(TRIP)]
    rows += [{"id": f"h{i}", "event": "halt", "text": f"{t} {BACKGROUND[3 - i]}", "published": "2018-04-21"}
             for i, t in enumerate(HALT)]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    cmd = [sys.executable, "-m", "newsprism.cli", "eval", "stories", "--data", str(data), "--label", "event"]
    report = json.loads(subprocess.run([*cmd, "--no-dates", "--json"], capture_output=True, text=True,
                                       check=True).stdout)
    assert report["dates_removed"] is True
    assert report["f1"] == 1.0 and report["ari"] == 1.0 and report["n_clusters"] == 2
    plain = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    assert "ARI" in plain and "B-cubed f1" in plain
