"""Languages: detected at ingest with their origin; articles the models cannot read are reported,
not judged."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from newsprism.analysis import PipelineOptions, StageSpec
from newsprism.api import AnalyzeOptions, analyze_articles
from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.language import UNKNOWN, compared_languages, detect, model_languages, normalize_tag
from newsprism.model import Origin
from newsprism.pipeline import Batch
from newsprism.report.html import render_html
from newsprism.report.markdown import render_markdown
from newsprism.report.schema import validate_report

GERMAN_12 = (
    "Bei einem Brand in einem Wohnhaus in der Innenstadt sind zwölf Menschen ums Leben gekommen, teilte "
    "die Polizei am Sonntag mit.\n\nDie Feuerwehr war mit mehr als hundert Einsatzkräften vor Ort. Die "
    "Ursache des Feuers ist noch unklar."
)
GERMAN_9 = (
    "Bei dem Brand in einem Wohnhaus in der Innenstadt sind neun Menschen gestorben, sagte ein Sprecher "
    "der Polizei am Sonntag.\n\nMehr als hundert Feuerwehrleute kämpften stundenlang gegen die Flammen. "
    "Die Brandursache wird noch ermittelt."
)
ENGLISH = (
    "Twelve people were killed in a fire at an apartment building in the city centre, police said on "
    "Sunday.\n\nMore than a hundred firefighters fought the blaze for hours. The cause is not yet known."
)


def article(text: str, source: str, **meta: object):
    return build_article(RawDocument(text=text, source=source, format="text", **meta))  # type: ignore[arg-type]


def test_detect_names_the_language_with_a_confidence() -> None:
    de = detect(GERMAN_12)
    assert de.language == "de" and de.confidence > 0.9
    assert detect(ENGLISH).language == "en"
    assert detect("12 345 — 678").language == UNKNOWN


def test_ingest_stores_detected_language_with_origin_and_confidence() -> None:
    a = article(GERMAN_12, "de.txt")
    assert a.language == "de" and a.origins["language"] == Origin.DETECTED.value == "inferred:detector"
    assert a.extra["language_detected"]["language"] == "de"
    assert a.extra["language_detected"]["confidence"] > 0.9
    assert a.extra["language_detected"]["detector"] == "py3langid"


def test_given_language_wins_and_is_normalised() -> None:
    a = article(ENGLISH, "en.txt", language="en-GB")
    assert a.language == "en" and a.origins["language"] == "read"
    assert a.extra["language_detected"]["language"] == "en"  # the detection is kept as evidence
    b = article(GERMAN_12, "x.txt", language="German")  # not a language tag: kept aside, detected
    assert b.language == "de" and b.origins["language"] == "inferred:detector"
    assert b.extra["language_given"] == "German"
    assert normalize_tag("pt_BR") == "pt" and normalize_tag("??") is None


def test_compared_languages_are_a_property_of_the_configured_models() -> None:
    assert PipelineOptions().compared_languages() == {"en"}
    assert model_languages("paraphrase-multilingual-MiniLM-L12-v2") >= {"de", "fr", "en"}
    # The claims pipeline (spaCy, English) still limits a multilingual embedder ...
    assert compared_languages(["paraphrase-multilingual-MiniLM-L12-v2", None]) == {"en"}
    # ... unless every model named handles more, or the set is given.
    multilingual = "paraphrase-multilingual-MiniLM-L12-v2"
    assert "de" in compared_languages([multilingual, multilingual])
    assert PipelineOptions(languages=["en", "de-DE"]).compared_languages() == {"en", "de"}


@dataclass
class SeenStage:
    name: str = "seen"
    requires: frozenset = frozenset({"articles"})
    provides: frozenset = frozenset({"seen"})

    def run(self, batch: Batch) -> Batch:
        return batch.with_layer("seen", {"ids": [a.id for a in batch.articles]})


def _report(monkeypatch: pytest.MonkeyPatch, articles: list, **pipeline: object) -> dict:
    import newsprism.analysis

    specs = (StageSpec("seen", __name__, "SeenStage", "seen"),)
    monkeypatch.setattr(newsprism.analysis, "STAGES", {s.name: s for s in specs})
    options = AnalyzeOptions(pipeline=PipelineOptions(**pipeline))  # type: ignore[arg-type]
    return analyze_articles(articles, options)


def test_other_languages_are_reported_not_compared(monkeypatch: pytest.MonkeyPatch) -> None:
    de12, de9 = article(GERMAN_12, "de12.txt"), article(GERMAN_9, "de9.txt")
    en = article(ENGLISH, "en.txt")
    report = _report(monkeypatch, [de12, de9, en])
    assert report["languages"]["compared"] == ["en"]
    left_out = {a["id"]: a["reason"] for a in report["languages"]["not_compared"]}
    assert left_out == {de12.id: "not compared: language de", de9.id: "not compared: language de"}
    by_id = {a["id"]: a for a in report["articles"]}
    assert by_id[de12.id]["not_compared"] == "not compared: language de"
    assert "not_compared" not in by_id[en.id]
    assert by_id[de12.id]["language"] == "de"
    validate_report(report)
    for rendered in (render_markdown(report), render_html(report)):
        assert rendered.count("not compared: language de") >= 2 and "Not compared" in rendered


def test_not_compared_articles_never_reach_a_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    # The German pair (12 vs 9 dead) came out as a corroborated fact when it reached the verdicts.
    de12, de9 = article(GERMAN_12, "de12.txt"), article(GERMAN_9, "de9.txt")
    en = article(ENGLISH, "en.txt")
    import newsprism.api

    seen: list[list[str]] = []
    real = newsprism.api._run_analysis

    def spy(articles, options, progress, *rest):  # noqa: ANN001, ANN002, ANN202
        seen.append([a.id for a in articles])
        return real(articles, options, progress, *rest)

    monkeypatch.setattr(newsprism.api, "_run_analysis", spy)
    _report(monkeypatch, [de12, de9, en])
    assert seen == [[en.id]]
    # Named as handled, German is compared like English.
    seen.clear()
    _report(monkeypatch, [de12, de9, en], languages=["en", "de"])
    assert seen == [[de12.id, de9.id, en.id]]


def test_short_fragment_of_undetermined_language_is_still_compared(monkeypatch: pytest.MonkeyPatch) -> None:
    short = article("Senate votes.", "brief.txt")
    assert short.language is None and "language" not in short.origins
    report = _report(monkeypatch, [short])
    assert report["languages"]["not_compared"] == []


def test_web_app_lists_articles_not_compared(tmp_path) -> None:  # noqa: ANN001
    from fastapi.testclient import TestClient

    from newsprism.api import analyze
    from newsprism.web.app import create_app

    (tmp_path / "de12.txt").write_text("Title: Zwölf Tote bei Brand\n\n" + GERMAN_12 + "\n")
    (tmp_path / "en.txt").write_text(ENGLISH + "\n")
    db = tmp_path / "w.db"
    report = analyze([str(tmp_path / "de12.txt"), str(tmp_path / "en.txt")], db,
                     AnalyzeOptions(pipeline=PipelineOptions(stages=())))
    (left_out,) = report["languages"]["not_compared"]
    with TestClient(create_app(db)) as client:
        listing = client.get("/stories").text
        assert "not compared: language de" in listing and "Zwölf Tote bei Brand" in listing
        page = client.get(f"/articles/{left_out['id']}").text
        assert "Not compared: language de" in page
        data = client.get(f"/articles/{left_out['id']}?format=json").json()
        assert data["not_compared"] == "not compared: language de"
        en_id = next(a["id"] for a in report["articles"] if a["id"] != left_out["id"])
        assert client.get(f"/articles/{en_id}?format=json").json()["not_compared"] is None
