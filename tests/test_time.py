"""Publication dates and date expressions resolved against them (sitroom.time)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sitroom.time import parse_published

# --- parse_published --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "December 06, 2024",
        "Dec 6, 2024",
        "Dec. 6, 2024",
        "6 December 2024",
        "2024-12-06",
        "Friday, December 6, 2024",
    ],
)
def test_parse_published_reads_date_only_values_as_day_precision(value: str) -> None:
    assert parse_published(value) == (datetime(2024, 12, 6, tzinfo=UTC), "day")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-12-06T07:05:00+02:00", datetime(2024, 12, 6, 5, 5, tzinfo=UTC)),
        ("2024-12-06T07:05:00Z", datetime(2024, 12, 6, 7, 5, tzinfo=UTC)),
        ("Fri, 06 Dec 2024 07:05:00 GMT", datetime(2024, 12, 6, 7, 5, tzinfo=UTC)),
        ("Fri, 06 Dec 2024 07:05:00 +0300", datetime(2024, 12, 6, 4, 5, tzinfo=UTC)),
        ("2024-12-06T09:15:00", datetime(2024, 12, 6, 9, 15, tzinfo=UTC)),
    ],
)
def test_parse_published_converts_timestamps_to_utc(value: str, expected: datetime) -> None:
    parsed, precision = parse_published(value)
    assert precision == "time"
    assert parsed == expected
    assert parsed.utcoffset() is not None and parsed.utcoffset().total_seconds() == 0


def test_parse_published_offset_can_move_the_utc_day_back() -> None:
    parsed, _ = parse_published("2024-12-06T01:30:00+03:00")
    assert parsed.date().isoformat() == "2024-12-05"


@pytest.mark.parametrize(
    "value",
    ["", "   ", "garbage", "2024-13-01", "Foo 6, 2024", "2024-12-06T25:00", "вчера", "31 February 2024"],
)
def test_parse_published_rejects_garbage_with_value_error(value: str) -> None:
    with pytest.raises(ValueError):
        parse_published(value)
