"""The report JSON Schema: itself valid, accepts real reports, names what is wrong in bad ones."""

from __future__ import annotations

import copy

import pytest
from jsonschema import Draft202012Validator

from newsprism.report.json_report import build_report
from newsprism.report.schema import (
    ReportSchemaError,
    load_schema,
    report_errors,
    schema_version,
    validate_report,
)
from webfixtures import corpus, report_dict


def test_schema_is_valid_draft_2020_12():
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema_version() == "1.3.0"


def test_report_built_by_json_report_validates():
    arts = corpus()
    report = build_report(arts, {}, [{"name": "reuse", "layer": "reuse", "status": "absent", "reason": "x"}],
                          {"given": ["t"]})
    assert report_errors(report) == []
    validate_report(report)


def test_report_with_every_layer_validates():
    assert report_errors(report_dict(corpus(hostile=True))) == []


def test_bad_reports_are_refused_with_paths():
    report = report_dict(corpus())
    broken = copy.deepcopy(report)
    del broken["articles"][0]["id"]
    broken["reuse"]["pairs"][0]["passages"][0]["a"] = [1]
    broken["verdicts"].pop("conflicts")
    errors = report_errors(broken)
    assert any("$.articles[0]" in e and "'id'" in e for e in errors)
    assert any("passages[0].a" in e for e in errors)
    assert any("conflicts" in e for e in errors)
    with pytest.raises(ReportSchemaError):
        validate_report(broken)


@pytest.mark.models
def test_real_analyze_report_validates(kursk_dir, embedder, nlp):
    from newsprism.analysis import PipelineOptions
    from newsprism.api import AnalyzeOptions, analyze

    # Every stage that is installed, with the session's shared models: all layers meet the schema.
    options = AnalyzeOptions(pipeline=PipelineOptions(backends={"embedder": embedder, "nlp": nlp}))
    report = analyze([kursk_dir], options=options)
    assert len(report["articles"]) == 5
    assert report_errors(report) == []
