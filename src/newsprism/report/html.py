"""The HTML report: one self-contained file (inline CSS and JS, no network) for a laptop or a phone.

Jinja2 autoescapes everything; article-derived strings are never marked safe. Highlights are built
as escaped segments (``report.highlight``). The inline style and script are allowed by their SHA-256
hashes in a Content-Security-Policy meta tag, so an injected script or event handler cannot run.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from importlib import resources
from typing import Any

from jinja2 import ChainableUndefined, ChoiceLoader, Environment, FileSystemLoader, PackageLoader
from markupsafe import Markup

from newsprism.report import sections
from newsprism.report.types import Report
from newsprism.report.view import ReportView


def asset(name: str) -> str:
    return resources.files("newsprism.report").joinpath("templates", name).read_text("utf-8")


def csp_hash(content: str) -> str:
    digest = hashlib.sha256(content.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(style: str, script: str) -> str:
    """A policy that allows only the page's own inline style and script, and nothing from the network."""
    return (
        "default-src 'none'; "
        f"style-src {csp_hash(style)}; script-src {csp_hash(script)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def make_environment(*extra_dirs: str) -> Environment:
    """The Jinja environment for report templates; web templates are added via ``extra_dirs``."""
    loaders = [FileSystemLoader(list(extra_dirs))] if extra_dirs else []
    loaders.append(PackageLoader("newsprism.report", "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,  # on for every template, whatever its file extension
        undefined=ChainableUndefined,  # a report missing an optional field still renders
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = lambda v: "" if v is None else f"{float(v) * 100:.0f}%"
    env.filters["num"] = lambda v: "" if v is None else (f"{v:.2f}" if isinstance(v, float) else str(v))
    return env


def _assets() -> tuple[str, str]:
    return asset("report.css"), asset("report.js")


def report_context(
    report: Report | Mapping[str, Any], texts: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Everything the report body template needs; sections first so their highlights reach the articles."""
    view = ReportView(report, texts)
    facts = sections.fact_sheet(view)
    confl = sections.conflicts(view)
    disp = sections.disputes(view)
    ctx: dict[str, Any] = {
        "report": view.report,
        "view": view,
        "stories": sections.stories(view),
        "reuse": sections.reuse(view),
        "facts": facts,
        "conflicts": confl,
        "disputes": disp,
        "single": sections.single_source(view),
        "wording": sections.wording(view),
        "summary": sections.summary(facts, confl, disp),
        "timeline": sections.timeline(view),
        "verdict_notes": _verdict_notes(view.report),
        "timings": list(view.report.stages.timings.items()),
        "overview": _overview(view),
        "claims_base": None,  # the web app links claim groups to its own pages
        **_languages(view.report),
    }
    ctx["article_views"] = [
        {"article": a, "id": a.id, "outlet": a.name, "segments": view.article_segments(a.id),
         "has_text": a.id in view.texts}
        for a in view.articles
    ]
    return ctx


def _overview(view: ReportView) -> dict[str, Any]:
    """What the article metadata alone says (outlets, dates), for a report without a stories layer."""
    dates = sorted(a.published[:16].replace("T", " ") for a in view.articles if a.published)
    outlets = sorted({a.outlet for a in view.articles if a.outlet})
    unknown = sum(1 for a in view.articles if not a.outlet)
    return {"dates": [dates[0], dates[-1]] if dates else [], "outlets": outlets, "unknown_outlets": unknown}


def _languages(report: Report) -> dict[str, Any]:
    section = report.languages
    return {"compared_languages": list(section.compared) if section else [],
            "not_compared": list(section.not_compared) if section else []}


def _verdict_notes(report: Report) -> list[str]:
    note = report.verdicts.independence_note if report.verdicts else None
    return [note] if note else []


def render_html(report: Report | Mapping[str, Any], texts: Mapping[str, str] | None = None) -> str:
    """Render a report (typed, or a dict parsed against ``report/schema.json``) as one self-contained
    HTML page.

    ``texts`` maps article id -> canonical text, used for quotes and the article view when the
    report itself does not carry article text.
    """
    style, script = _assets()
    env = make_environment()
    ctx = report_context(report, texts)
    # Our own package assets, not article text: emitted verbatim so they match their CSP hashes.
    ctx.update(style=Markup(style), script=Markup(script), csp=content_security_policy(style, script))
    return env.get_template("report.html.j2").render(ctx)
