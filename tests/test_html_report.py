"""The HTML report: self-contained, escaped, every highlight linked, absent layers said to be absent."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from newsprism.report.html import content_security_policy, csp_hash, render_html
from newsprism.report.json_report import build_report
from newsprism.report.schema import ReportSchemaError
from webfixtures import HOSTILE_TEXT, corpus, report_dict


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_bodies: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_bodies.append(data)


def _parse(html: str) -> _Collector:
    c = _Collector()
    c.feed(html)
    return c


def _render(hostile: bool = True, layers: bool = True) -> tuple[str, list]:
    arts = corpus(hostile=hostile)
    return render_html(report_dict(arts, layers=layers), {a.id: a.text for a in arts}), arts


def test_hostile_article_text_is_escaped_everywhere():
    html, _ = _render()
    parsed = _parse(html)
    scripts = [t for t, _ in parsed.tags if t == "script"]
    assert len(scripts) == 1  # only the report's own script
    assert all("__pwned" not in body for body in parsed.script_bodies)
    assert not [t for t, a in parsed.tags if t in ("img", "svg") and a.get("onerror") or a.get("onload")]
    assert not any((a.get("href") or "").startswith("javascript:") for _, a in parsed.tags)
    assert not any(k.startswith("on") for _, a in parsed.tags for k in a)
    assert "&lt;script&gt;window.__pwned=1" in html
    assert "Evil &lt;b&gt;Outlet&lt;/b&gt;" in html


def test_csp_meta_allows_exactly_the_inline_assets():
    html, _ = _render()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    assert csp.replace("&#39;", "'") == content_security_policy(style, script)
    assert csp_hash(script) in csp.replace("&#39;", "'")
    assert "default-src &#39;none&#39;" in csp
    assert "http://" not in html.split("<main>")[0] and "https://" not in html.split("<main>")[0]


def test_every_highlight_link_has_its_anchor():
    html, _ = _render()
    parsed = _parse(html)
    ids = {a.get("id") for _, a in parsed.tags if a.get("id")}
    links = [a["href"][1:] for t, a in parsed.tags if t == "a" and (a.get("href") or "").startswith("#")]
    assert links and all(link in ids for link in links), [x for x in links if x not in ids]
    assert any(link.startswith("p-") for link in links)


def test_sections_show_the_layers():
    html, arts = _render(hostile=False)
    assert "North Korean troops in Kursk" in html
    assert 'class="conflict"' in html and "<mark class=\"val\">10,000-12,000</mark>" in html
    # The value's own offsets decide the highlight (not a text match of the side's label).
    assert "<mark class=\"val\">14,000</mark> troops to Russia" in html
    assert "hl-value" in html
    assert "Actor disputes" in html and "Ukraine&#39;s General Staff" in html
    assert "<svg" in html and 'class="gedge k-truncated"' in html and 'marker-end="url(#arrow)"' in html
    assert html.count('class="doc"') == len(arts)
    assert "2 independent sources" in html


def test_absent_layers_are_said_to_be_absent_not_faked():
    html, _ = _render(hostile=False, layers=False)
    assert html.count("absent: stage not available") >= 5
    assert 'class="conflict"' not in html and "<svg" not in html


def test_report_from_json_report_renders_with_stage_reasons():
    arts = corpus()
    report = build_report(arts, {}, [{"name": "verdicts", "layer": "verdicts", "status": "absent",
                                      "reason": "newsprism.verdicts.stage not importable"}], {})
    html = render_html(report)
    assert "newsprism.verdicts.stage not importable" in html
    assert HOSTILE_TEXT not in html
    assert arts[0].text.split("\n")[0].replace("'", "&#39;") in html  # texts carried in the report


def test_malformed_report_is_refused_naming_each_problem():
    report = report_dict(corpus())
    report["articles"][1]["id"] = 5
    report["reuse"]["pairs"][0]["passages"][0]["b"] = None
    report["verdicts"]["fact_sheet"][0]["evidence"].append("junk")
    report["stages"]["absent"] = {"claims": None}
    with pytest.raises(ReportSchemaError) as caught:
        render_html(report)
    assert caught.value.errors[:4] == [
        "$.articles[1].id: Input should be a valid string",
        "$.stages.absent.claims: Input should be a valid string",
        "$.reuse.pairs[0].passages[0].b: Input should be a valid list",
        "$.verdicts.fact_sheet[0].evidence[2]: Input should be a valid dictionary or instance of Evidence",
    ], caught.value.errors
    with pytest.raises(ReportSchemaError, match="does not match the schema"):
        render_html({})


def test_a_span_outside_its_article_is_quoted_without_a_link():
    arts = corpus()
    report = report_dict(arts)
    fact = report["verdicts"]["fact_sheet"][0]
    fact["evidence"][0] = {**fact["evidence"][0], "span": [5, 10**6]}
    html = render_html(report, {a.id: a.text for a in arts})
    assert f"p-{arts[0].id}-5-1000000" not in html
    assert fact["evidence"][0]["text"] in html
