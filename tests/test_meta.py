"""Metadata inference: every inferred value with its origin, and credits that must not set the outlet."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.ingest.meta import find_credits, infer_metadata, outlet_from_domain, registered_domain
from newsprism.model import Origin


def inferred(text: str, **known: object) -> dict[str, tuple[object, str]]:
    return {k: (v, o.value) for k, (v, o) in infer_metadata(text, dict(known)).fields.items()}


@pytest.mark.parametrize(
    ("first", "dateline"),
    [
        ("KYIV, Ukraine >> All troops have left the region.", "KYIV, Ukraine"),
        ("ROME — Talks began on Saturday.", "ROME"),
        ("KYIV – Troops were forced out, officials said.", "KYIV"),
        ("WASHINGTON (AP) — The Senate voted on Thursday.", "WASHINGTON"),
        ("LONDON, June 3 (Reuters) - Britain's economy grew.", "LONDON"),
        ("NEW DELHI -- Voting began on Friday.", "NEW DELHI"),
    ],
)
def test_datelines(first: str, dateline: str) -> None:
    fields = inferred(first + "\n\nSecond paragraph.")
    assert fields["dateline"] == (dateline, "inferred:dateline")


def test_no_dateline_in_ordinary_lead() -> None:
    assert "dateline" not in inferred("US President Donald Trump met Zelensky in Rome.\n\nMore.")
    assert "dateline" not in inferred("NATO allies met on Friday to discuss spending.")


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("WASHINGTON (AP) — The Senate voted.\n\nMore text.", "Associated Press"),
        ("LONDON, June 3 (Reuters) - Britain said.\n\nMore text.", "Reuters"),
        ("PARIS (AFP) - Talks ended.", "AFP"),
        ("A story.\n\nThe end of the story.\n\nWith Post wires", "New York Post"),
        ("A story.\n\nThe end of the story, officials said. — Reuters", "Reuters"),
        ("A story.\n\nReporting by Jane Doe in Kyiv; Editing by Bob Roe", "Reuters"),
        ("A story.\n\nThe holders won their first title since 1986. REUTERS", "Reuters"),
    ],
)
def test_publishing_credits_set_outlet(text: str, outlet: str) -> None:
    assert inferred(text)["outlet"] == (outlet, "inferred:credit")


@pytest.mark.parametrize(
    "text",
    [
        "Rescuers searched the rubble. (AP Photo/Efrem Lukatsky)\n\nMore text.",
        "Putin at the meeting (Alexander Kazakov, Sputnik, Kremlin Pool Photo via AP)\n\nThe story.",
        "A protest in Paris. REUTERS/Stephanie Lecocq\n\nThe story.",
        "The story ends here.\n\nThe Associated Press contributed to this report.",
        "The story ends here.\n\nReuters contributed reporting.",
    ],
)
def test_photo_and_contribution_credits_do_not_set_outlet(text: str) -> None:
    out = infer_metadata(text, {})
    assert "outlet" not in out.fields
    roles = {c["role"] for c in out.extra["credits"]}
    assert roles <= {"photo", "contributed"} and roles


def test_credit_spans_point_at_the_credit() -> None:
    text = "Body text.\n\nWith Post wires"
    (credit,) = find_credits(text)
    start, end = credit["span"]
    assert text[start:end].strip() == "With Post wires" and credit["role"] == "publisher"


def test_read_outlet_wins_over_credit() -> None:
    assert "outlet" not in inferred("WASHINGTON (AP) — Text.", outlet="Daily Planet")


def test_outlet_from_url() -> None:
    fields = inferred("Text.", url="https://www.bbc.co.uk/news/world-123")
    assert fields["outlet_domain"] == ("bbc.co.uk", "inferred:url")
    assert fields["outlet"] == ("BBC", "inferred:url")
    assert registered_domain("https://edition.cnn.com/2025/x") == "cnn.com"
    assert registered_domain("not a url") is None
    # An unknown domain names itself: a title-cased fragment ("Uk", "Go") is no outlet's name.
    assert outlet_from_domain("kyiv-independent.com") == "kyiv-independent.com"


def test_date_from_caption() -> None:
    text = (
        " date 2025-04-26 Putin listens to Gerasimov, Saturday, April 26, 2025. (Alexander Kazakov, "
        "Sputnik, Kremlin Pool Photo via AP)\n\nKYIV – Troops left."
    )
    assert inferred(text)["published"] == (datetime(2025, 4, 26, tzinfo=UTC), "inferred:caption")
    long_form = (
        "Leaders at the funeral on Saturday, April 26, 2025. (AP Photo/Gregorio Borgia)\n\nROME — Text."
    )
    assert inferred(long_form)["published"] == (datetime(2025, 4, 26, tzinfo=UTC), "inferred:caption")


def test_date_from_date_stamp_line_not_from_body() -> None:
    stamp = "Updated: April 26, 2025\n\nThe story."
    assert inferred(stamp)["published"] == (datetime(2025, 4, 26, tzinfo=UTC), "inferred:text")
    body = "Ukraine attacked in August 2024 and on March 3, 2025 lost ground.\n\nMore."
    assert "published" not in inferred(body)


def test_title_from_first_line_only_when_it_looks_like_one() -> None:
    assert inferred("Russia says troops left Kursk\n\nBody.")["title"] == (
        "Russia says troops left Kursk",
        "inferred:first-line",
    )
    assert "title" not in inferred("ROME — A lead paragraph\n\nBody.")
    assert "title" not in inferred("A full lead sentence.\n\nBody.")


def test_build_article_records_origins() -> None:
    raw = RawDocument(
        text="WASHINGTON (AP) — The Senate voted.\n\nMore.",
        source="x.txt",
        format="text",
        title="Senate votes",
    )
    article = build_article(raw)
    assert article.origins == {
        "title": "read",
        "outlet": Origin.CREDIT.value,
        "dateline": "inferred:dateline",
    }
    assert article.outlet == "Associated Press" and article.extra["credits"][0]["name"] == "Associated Press"


def test_labels_are_not_datelines() -> None:
    assert "dateline" not in inferred("BREAKING: Troops withdraw from the border.\n\nMore.")
    assert "dateline" not in inferred("EXCLUSIVE — The minister's letter.\n\nMore.")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-10T06:40:00+00:00", datetime(2026, 3, 10, 6, 40, tzinfo=UTC)),
        ("Sat, 26 Apr 2025 14:30:00 GMT", datetime(2025, 4, 26, 14, 30, tzinfo=UTC)),
        ("April 26, 2025 10:32 AM EDT", datetime(2025, 4, 26, 14, 32, tzinfo=UTC)),
        ("2025-07-21T10:00:00Z", datetime(2025, 7, 21, 10, tzinfo=UTC)),
    ],
)
def test_parse_datetime_gives_fixed_offsets(value: str, expected: datetime) -> None:
    from newsprism.ingest.meta import parse_datetime

    parsed = parse_datetime(value)
    assert parsed == expected
    assert type(parsed.tzinfo).__module__ == "datetime"  # never dateutil's machine-local zone


def test_parse_datetime_rejects_non_dates() -> None:
    from newsprism.ingest.meta import parse_datetime

    assert parse_datetime("nonsense") is None and parse_datetime("") is None
    assert parse_datetime("2025-04-26").tzinfo is None  # a bare date stays naive


def test_parse_datetime_unknown_zone_stays_naive_and_quiet() -> None:
    import warnings

    from newsprism.ingest.meta import parse_datetime

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # dateutil's UnknownTimezoneWarning would surface here
        parsed = parse_datetime("April 26, 2025 10:32 AM ET")
    assert parsed == datetime(2025, 4, 26, 10, 32) and parsed.tzinfo is None
