"""The report's JSON Schema (draft 2020-12) and a validator for it.

``schema.json`` is versioned by ``x-schema-version``; a change to a report field bumps it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker


class ReportSchemaError(ValueError):
    """A report does not match the schema; ``errors`` lists each problem with its JSON path."""

    def __init__(self, errors: list[str]):
        super().__init__("report does not match the schema:\n  " + "\n  ".join(errors))
        self.errors = errors


def load_schema() -> dict[str, Any]:
    text = resources.files("newsprism.report").joinpath("schema.json").read_text("utf-8")
    return json.loads(text)


def schema_version() -> str:
    return str(load_schema()["x-schema-version"])


def report_errors(report: Mapping[str, Any], schema: Mapping[str, Any] | None = None) -> list[str]:
    """Every schema violation in ``report`` as ``path: message``; empty when it is valid."""
    validator = Draft202012Validator(schema or load_schema(), format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(report), key=lambda e: list(e.absolute_path))
    return [f"{e.json_path}: {e.message}" for e in errors]


def validate_report(report: Mapping[str, Any]) -> None:
    """Raise ``ReportSchemaError`` naming every problem when ``report`` is not a valid report."""
    errors = report_errors(report)
    if errors:
        raise ReportSchemaError(errors)
