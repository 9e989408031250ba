"""The report's types and its JSON Schema say the same thing, and every report parses into them."""

from __future__ import annotations

import copy
import json
import types
import typing
from typing import Any

import pytest

from newsprism.report.json_report import build_report
from newsprism.report.schema import ReportSchemaError, load_schema
from newsprism.report.types import Part, Report, parse_report

# Fields a stage writes that the schema leaves free (the schema allows any extra field): the types
# name them because a renderer reads them. Adding a field to the types means adding it here or to
# ``schema.json``, never silently.
BEYOND_SCHEMA = {
    ("ReportArticle", "source_path"),
    ("Stages", "records"),  # the schema lists records, with name and status required, but no properties
    ("Claims", "errors"), ("Claim", "attribution"), ("Claim", "quantities"),
    ("Alignment", "notes"), ("ClaimGroup", "score"), ("ClaimGroup", "responses"),
    ("Verdicts", "counts"),
}


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in node:
        merged: dict[str, Any] = {"properties": {}, "required": []}
        for part in node["allOf"]:
            part = _resolve(schema, part)
            merged["properties"].update(part.get("properties", {}))
            merged["required"] += part.get("required", [])
        return merged
    if node.get("type") == "array" and "items" in node:
        return _resolve(schema, node["items"])
    if "additionalProperties" in node and isinstance(node["additionalProperties"], dict) and (
            "properties" not in node):
        return _resolve(schema, node["additionalProperties"])
    return node


def _args(annotation: Any) -> list[Any]:
    """Every type named inside an annotation (through unions, lists, dicts and ``Annotated``)."""
    out = [annotation]
    for arg in typing.get_args(annotation):
        out += _args(arg)
    return out


def _model_in(annotation: Any) -> type[Part] | None:
    return next((t for t in _args(annotation) if isinstance(t, type) and issubclass(t, Part)), None)


def _literals(annotation: Any) -> set[Any] | None:
    found = [t for t in _args(annotation) if typing.get_origin(t) is typing.Literal]
    if not found:
        return None
    values = {v for t in found for v in typing.get_args(t)}
    if any(t is types.NoneType for t in _args(annotation)):
        values.add(None)
    return values


def _same_values(enum: list[Any], annotation: Any, required: bool) -> bool:
    """An optional field may be left out (``None`` in the types) where the schema has no null."""
    values = _literals(annotation) or set()
    return values == set(enum) or (not required and values - {None} == set(enum))


def _compare(schema: dict[str, Any], node: dict[str, Any], model: type[Part], path: str,
             problems: list[str]) -> None:
    node = _resolve(schema, node)
    props = node.get("properties")
    if props is None:
        return
    fields = model.model_fields
    for name in props:
        if name not in fields:
            problems.append(f"{path}.{name}: in schema.json, not in {model.__name__}")
    for name in fields:
        if name not in props and (model.__name__, name) not in BEYOND_SCHEMA:
            problems.append(f"{path}.{name}: in {model.__name__}, not in schema.json")
    required = {n for n, f in fields.items() if f.is_required()}
    if required != set(node.get("required", [])):
        problems.append(f"{path}: required {sorted(node.get('required', []))} in schema.json, "
                        f"{sorted(required)} in {model.__name__}")
    for name, sub in props.items():
        if name not in fields:
            continue
        annotation = fields[name].annotation
        enum = _resolve(schema, sub).get("enum")
        if enum is not None and not _same_values(enum, annotation, fields[name].is_required()):
            problems.append(f"{path}.{name}: enum {enum} in schema.json, {_literals(annotation)} in types")
        inner = _model_in(annotation)
        if inner is not None:
            _compare(schema, sub, inner, f"{path}.{name}", problems)


def test_types_and_schema_name_the_same_fields():
    problems: list[str] = []
    _compare(load_schema(), load_schema(), Report, "$", problems)
    assert problems == []


def test_a_field_missing_from_the_types_is_caught():
    schema = load_schema()
    schema["$defs"]["evidence"]["properties"]["page"] = {"type": "integer"}
    schema["$defs"]["side"]["required"].append("actor")
    problems: list[str] = []
    _compare(schema, schema, Report, "$", problems)
    assert any(p.endswith(".evidence.page: in schema.json, not in Evidence") for p in problems)
    assert any("actor" in p and "required" in p for p in problems)


def _minimal() -> dict[str, Any]:
    return build_report([], {}, [], {})


def test_parse_keeps_every_field_it_was_given():
    report = _minimal()
    report["stages"]["records"] = [{"name": "reuse", "status": "ran", "layer": "reuse", "x": [1, {"y": 2}]}]
    report["inputs"]["anything"] = {"nested": True}
    parsed = parse_report(report)
    assert parsed.to_dict() == json.loads(json.dumps(report))
    assert parsed.stages.records[0].name == "reuse" and parse_report(parsed) is parsed


@pytest.mark.parametrize(("change", "named"), [
    (lambda r: r.pop("articles"), "$.articles: Field required"),
    (lambda r: r.update(verdicts={"fact_sheet": [], "conflicts": [], "actor_disputes": []}),
     "$.verdicts.single_source: Field required"),
    (lambda r: r.update(reuse={"pairs": [{"a": "x", "b": "y", "type": "t", "direction": "a->b",
                                          "confidence": "0.9"}], "groups": []}),
     "$.reuse.pairs[0].confidence"),
    (lambda r: r.update(claims={"articles": {"x": [{"id": "c", "article_id": "x", "span": [3],
                                                   "text": "t"}]}}),
     "$.claims.articles.x[0].span"),
    (lambda r: r["stages"].update(absent={"claims": None}), "$.stages.absent.claims"),
])
def test_a_malformed_report_is_refused_naming_the_place(change, named):
    report = _minimal()
    change(report)
    with pytest.raises(ReportSchemaError) as caught:
        parse_report(report)
    assert any(e.startswith(named) for e in caught.value.errors), caught.value.errors
    assert named in str(caught.value)


def test_parse_refuses_what_is_not_a_report():
    with pytest.raises(ReportSchemaError):
        parse_report(copy.deepcopy([1, 2]))  # type: ignore[arg-type]


@pytest.mark.models
def test_the_pipeline_and_the_store_give_reports_that_parse_whole(tmp_path, embedder, nlp):
    from newsprism.analysis import PipelineOptions
    from newsprism.api import AnalyzeOptions, analyze
    from newsprism.demo import corpus_files
    from newsprism.report.json_report import dumps

    options = AnalyzeOptions(pipeline=PipelineOptions(backends={"embedder": embedder, "nlp": nlp}))
    with corpus_files() as files:
        run = analyze(files, options=options)
        stored = analyze(files, f"sqlite:///{tmp_path}/s.db", options)  # read back from the store
    for report in (run, stored):
        parsed = parse_report(report)
        assert parsed.verdicts and parsed.verdicts.conflicts and parsed.claims and parsed.claims.all()
        assert parsed.reuse and parsed.stories and parsed.alignment and parsed.alignment.groups
        assert parsed.to_dict() == json.loads(dumps(report))
