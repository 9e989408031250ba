"""Clock-time conflicts: one event timed differently by two reports (verdicts.clock)."""

from __future__ import annotations

import pytest

import test_verdict_dates as date_tests
from newsprism.verdicts.clock import minutes
from newsprism.verdicts.decide import VerdictOptions

# The date tests' pipeline: an entity ruler for the claims, the default parser for the happenings.
ruler, models = date_tests.ruler, date_tests.models


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5:47 p.m.", 17 * 60 + 47),
        ("12 a.m.", 0),
        ("12:30 p.m.", 12 * 60 + 30),
        ("4:00 PM", 16 * 60),
        ("11pm", 23 * 60),
        # A 24-hour figure wins over a stray "pm"; a leading zero says 24-hour too.
        ("17:06 pm", 17 * 60 + 6),
        ("08:47", 8 * 60 + 47),
        ("23: 51", 23 * 60 + 51),
        # Either half of the day, or no time at all.
        ("5:40", None),
        ("25:10", None),
    ],
)
def test_printed_clock_times_read_as_minutes_after_midnight(text: str, expected: int | None) -> None:
    assert minutes(text) == expected


def _clock(models, docs: list[str], p_same: float = 0.9, options: VerdictOptions | None = None):
    found, texts = date_tests._verdicts(models, docs, p_same=p_same, options=options)
    return [v for v in found if v.slot == "clock"], texts


def test_one_collision_timed_seven_minutes_apart_is_a_conflict_by_default(models) -> None:
    found, texts = _clock(
        models,
        [
            "The coast guard aircraft collided with the airliner around 5:47 p.m. on the runway.",
            "The coast guard aircraft collided with the airliner at 5:40 p.m. on the runway.",
        ],
    )
    assert len(found) == 1
    v = found[0]
    assert (v.type, v.slot, v.label) == ("date/time", "clock", "conflicting")
    # The hedge is part of what each report prints, and shown with it.
    assert sorted(s.value for s in v.sides) == ["5:40 p.m.", "around 5:47 p.m."]
    values = [e for s in v.sides for e in s.evidence if e.role == "value"]
    assert all(texts[e.article_id][e.span[0] : e.span[1]] == e.text for e in values)
    assert 0.5 <= v.confidence < 1 and v.confidence_reason


def test_one_moment_printed_in_two_zones_is_one_time(models) -> None:
    found, _ = _clock(
        models,
        [
            "The airliner collided with the coast guard aircraft at 5:47 p.m. local time on Tuesday "
            "(3:47 a.m. EST) after landing.",
            "The airliner collided with the coast guard aircraft at 5:40 p.m. on Tuesday after landing.",
        ],
    )
    assert [sorted(s.value for s in v.sides) for v in found] == [["5:40 p.m.", "5:47 p.m."]]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # A hedge on a round figure reaches far; on an exact minute, "just before" reaches one way.
        ("The quake struck around 6 p.m. near the coast.", "The quake struck at 5:40 p.m. near the coast."),
        ("The jury reached its verdict just before 7:40 p.m.", "The jury reached its verdict at 7:37 p.m."),
        # Two zones: one moment may be printed in both.
        ("The jury reached its verdict at 7:37 p.m. ET.", "The jury reached its verdict at 11:37 p.m. GMT."),
        # One article prints both times: it converts one, or tells two moments apart.
        (
            "The earthquake struck at 5:47 p.m. local time (8:47 a.m. GMT) near the coast.",
            "The earthquake struck at 8:47 a.m. near the coast.",
        ),
        # An article timing two quakes, one of them as the other report does: its other is another.
        (
            "The earthquake struck at about 7:30 a.m. near the geysers. "
            "The earthquake struck at about 9:30 a.m. near the geysers.",
            "The earthquake struck at approximately 9:27 a.m. near the geysers.",
        ),
        # Two printed days: two moments, whatever the clock says.
        ("The earthquake struck on Thursday at 11 p.m.", "The earthquake struck on Saturday at 1:30 a.m."),
        # A bound or a range times no moment.
        ("The jury reached its verdict after 3 p.m.", "The jury reached its verdict at 7:37 p.m."),
        ("The jury deliberated from 3:15 p.m. to 7:40 p.m.", "The jury deliberated at 5:40 p.m."),
        ("Voting ran 8 a.m. to 6 across the country.", "Voting ran at 9:30 a.m. across the country."),
        # Two moments in one claim: which one the other report times is not known.
        (
            "The jury reached a verdict around 3:15 p.m., pausing for dinner at approximately 6 p.m.",
            "The jury reached a verdict just before 7:40 p.m.",
        ),
        # One sentence, two happenings: 3:15 is when the jury got the case.
        (
            "The jury swiftly returned a verdict after receiving the case around 3:15 p.m.",
            "The jury swiftly returned a verdict just before 7:40 p.m.",
        ),
        # The story has several quakes, and one report says which it times.
        ("The first quake struck at 4:43 a.m. off the coast.", "The quake struck at 7:48 a.m. offshore."),
        # A bare "5:40" may be either half of the day.
        ("The quake struck at 5:40 near the coast.", "The quake struck at 5:47 p.m. near the coast."),
    ],
)
def test_times_that_do_not_time_one_moment_differently_are_no_conflict(models, a: str, b: str) -> None:
    assert _clock(models, [a, b])[0] == []


def test_times_of_claims_unlikely_to_be_one_fact_are_not_compared(models) -> None:
    docs = [
        "The coast guard aircraft collided with the airliner around 5:47 p.m. on the runway.",
        "The coast guard aircraft collided with the airliner at 5:40 p.m. on the runway.",
    ]
    assert _clock(models, docs, p_same=0.5)[0] == []
    assert _clock(models, docs, options=VerdictOptions(conflict_types=("numeric",)))[0] == []
