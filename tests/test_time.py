"""Publication dates and date expressions resolved against them (sitroom.time)."""

from __future__ import annotations

import itertools
import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from sitroom.model import DateSpan
from sitroom.time import DateMention, find_dates, parse_published, parse_query_day, parse_query_time, resolve_date

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
    [
        "",
        "   ",
        "garbage",
        "2024-13-01",
        "Foo 6, 2024",
        "2024-12-06T25:00",
        "вчера",
        "31 February 2024",
        "Mon, 01 Jan 0001 00:00:00 GMT",  # the RFC 2822 parser read a written-out year 1 as 2001
    ],
)
def test_parse_published_rejects_garbage_with_value_error(value: str) -> None:
    with pytest.raises(ValueError):
        parse_published(value)


# --- days and moments in queries -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-12-06", date(2024, 12, 6)),
        ("2024-12-06T23:30", date(2024, 12, 6)),  # a timestamp stands for its day as written
        ("2024-12-06T23:30:00+14:00", date(2024, 12, 6)),
        ("1900-01-01", date(1900, 1, 1)),
        ("2199-12-31", date(2199, 12, 31)),
    ],
)
def test_parse_query_day_reads_a_day(value: str, expected: date) -> None:
    assert parse_query_day(value) == expected


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("2024-12-06junk", "is not a date"),
        ("2024-12-06 junk", "is not a date"),
        ("2024-12-06T", "is not a date"),
        ("20241206", "is not a date"),
        ("2024-W49-5", "is not a date"),
        ("2024-13-45", "is not a date"),
        ("", "is not a date"),
        ("0001-01-01", "outside the supported years 1900-2199 (year 1)"),
        ("9999-12-31", "outside the supported years 1900-2199 (year 9999)"),
        ("1899-12-31", "outside the supported years"),
        ("2200-01-01", "outside the supported years"),
    ],
)
def test_parse_query_day_says_why_a_value_is_not_a_day(value: str, why: str) -> None:
    with pytest.raises(ValueError, match=re.escape(why)) as caught:
        parse_query_day(value)
    assert repr(value) in str(caught.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-12-05T22:00+03:00", datetime(2024, 12, 5, 19, tzinfo=UTC)),
        ("2024-12-05T15:00:00Z", datetime(2024, 12, 5, 15, tzinfo=UTC)),
        ("2024-12-05T15:00", datetime(2024, 12, 5, 15, tzinfo=UTC)),  # UTC unless it carries an offset
        ("2024-12-05", datetime(2024, 12, 5, tzinfo=UTC)),  # a bare date is 00:00 UTC that day
        ("2199-12-31T23:59:59+14:00", datetime(2199, 12, 31, 9, 59, 59, tzinfo=UTC)),
    ],
)
def test_parse_query_time_reads_a_moment_in_utc(value: str, expected: datetime) -> None:
    parsed = parse_query_time(value)
    assert parsed == expected and parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("0001-01-01T00:00:00+14:00", "(year 1)"),  # has no UTC equivalent at all
        ("9999-12-31T23:59:59-05:00", "(year 9999)"),  # nor this one
        ("2199-12-31T23:59:59-05:00", "(year 2200 in UTC)"),
        ("1900-01-01T00:30+01:00", "(year 1899 in UTC)"),
        ("2024-12-06junk", "is not a timestamp"),
        ("2024-12-06T10:00junk", "is not a timestamp"),
        ("soon", "is not a timestamp"),
    ],
)
def test_parse_query_time_says_why_a_value_is_not_a_supported_moment(value: str, why: str) -> None:
    with pytest.raises(ValueError, match=re.escape(why)):
        parse_query_time(value)


# --- date expressions -------------------------------------------------------------------------------

FRI_6_DEC = date(2024, 12, 6)  # a Friday
SAT_7_DEC = date(2024, 12, 7)
MON_9_DEC = date(2024, 12, 9)
TUE_3_DEC = date(2024, 12, 3)
FRI_3_JAN = date(2025, 1, 3)
SAT_28_DEC = date(2024, 12, 28)


def _d(text: str) -> date:
    return date.fromisoformat(text)


def _only(text: str, published: date | datetime) -> DateMention:
    mentions = find_dates(text, published)
    assert len(mentions) == 1, mentions
    return mentions[0]


def _span(text: str, published: date | datetime) -> tuple[str | None, str | None]:
    span = _only(text, published).span
    return (
        span.earliest.isoformat() if span.earliest else None,
        span.latest.isoformat() if span.latest else None,
    )


@pytest.mark.parametrize(
    ("sentence", "day"),
    [
        ("The embassy said on Friday that citizens should leave.", "2024-12-06"),  # publication day included
        ("The embassy said Friday that citizens should leave.", "2024-12-06"),
        ("Rebels entered the town on Wednesday, residents said.", "2024-12-04"),
        ("The ministry issued its denial on Saturday.", "2024-11-30"),
        ("The airport was shut last Friday.", "2024-11-29"),
        ("Talks were held last Thursday in Doha.", "2024-12-05"),
        ("The foreign ministers will meet in Doha on Monday.", "2024-12-09"),
        ("Delegations are due to meet on Friday.", "2024-12-06"),
        ("A second round is planned for next Monday.", "2024-12-09"),
        ("On Sunday, the council will vote on the truce.", "2024-12-08"),
        ("The town fell late on Saturday, a monitor said.", "2024-11-30"),
        ("Troops withdrew on Saturday morning.", "2024-11-30"),
        ("Jets struck the bridge early on Thursday.", "2024-12-05"),
        ("The spokesman said at Tuesday's briefing that aid was blocked.", "2024-12-03"),
    ],
)
def test_weekday_is_the_most_recent_one_unless_the_clause_is_about_the_future(sentence: str, day: str) -> None:
    assert _span(sentence, FRI_6_DEC) == (day, day)


def test_weekday_said_after_a_future_clause_is_when_it_was_said() -> None:
    # the Monday is when the ministry spoke, not when the withdrawal will happen
    assert _span("Troops will withdraw, the ministry said on Monday.", FRI_6_DEC) == ("2024-12-02", "2024-12-02")


def test_last_weekday_from_a_monday_is_the_friday_just_gone() -> None:
    assert _span("Jordan closed the crossing last Friday.", MON_9_DEC) == ("2024-12-06", "2024-12-06")


def test_weekday_anchoring_uses_a_publication_datetime_too() -> None:
    published = datetime(2024, 12, 6, 17, 45, tzinfo=UTC)
    assert _span("Rebels took the town on Friday.", published) == ("2024-12-06", "2024-12-06")


@pytest.mark.parametrize(
    ("sentence", "day"),
    [
        ("The offensive began on Nov. 27 in the north.", "2024-11-27"),
        ("The offensive began on Nov 27 in the north.", "2024-11-27"),
        ("The offensive began on November 27 in the north.", "2024-11-27"),
        ("The offensive began on 27 November in the north.", "2024-11-27"),
        ("The offensive began on 27 Nov in the north.", "2024-11-27"),
        ("The envoy arrived on Dec. 5th.", "2024-12-05"),
        ("The envoy arrived on December 5, 2024.", "2024-12-05"),
        ("The envoy arrived on the 5th of December.", "2024-12-05"),
        ("A ceasefire was signed on Sept. 3.", "2024-09-03"),
        ("Figures recorded as of 2024-12-02 show a rise.", "2024-12-02"),
        ("BEIRUT, Dec 6 (Wire) - Fighting went on.", "2024-12-06"),
        ("Fighting resumed on May 5 after the truce.", "2024-05-05"),
        ("The march began on March 15, 2011.", "2011-03-15"),
        ("Deliveries resumed on the 5th, officials said.", "2024-12-05"),
        ("The vote took place on the 20th.", "2024-11-20"),  # the 20th of December has not happened yet
    ],
)
def test_month_day_dates_in_the_forms_newsrooms_write(sentence: str, day: str) -> None:
    assert _span(sentence, FRI_6_DEC) == (day, day)


def test_year_less_date_after_new_year_is_last_years() -> None:
    assert _span("Fighters entered the city on Dec. 28.", FRI_3_JAN) == ("2024-12-28", "2024-12-28")


def test_year_less_date_in_a_future_clause_crosses_into_next_year() -> None:
    assert _span("Talks will resume on Jan. 2, the envoy said.", SAT_28_DEC) == ("2025-01-02", "2025-01-02")


def test_year_less_date_in_a_past_clause_stays_in_the_past() -> None:
    assert _span("The truce was signed on Jan. 2.", SAT_28_DEC) == ("2024-01-02", "2024-01-02")


def test_weekday_next_to_a_date_picks_the_year_the_weekday_fits() -> None:
    mention = _only("Updated Monday 9 December with new closures.", FRI_6_DEC)
    assert mention.span == DateSpan.day(date(2024, 12, 9))
    assert mention.text == "Monday 9 December"


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("Residents fled yesterday.", FRI_6_DEC, ("2024-12-05", "2024-12-05")),
        ("The curfew starts today.", FRI_6_DEC, ("2024-12-06", "2024-12-06")),
        ("Leaders meet tonight in Doha.", FRI_6_DEC, ("2024-12-06", "2024-12-06")),
        ("Jets hit the bridge this morning.", FRI_6_DEC, ("2024-12-06", "2024-12-06")),
        ("Fighters captured two towns overnight.", FRI_6_DEC, ("2024-12-05", "2024-12-06")),
        ("Aircraft bombed the city overnight into Saturday.", SAT_7_DEC, ("2024-12-06", "2024-12-07")),
        ("Rebels reached the outskirts earlier this week.", date(2024, 12, 5), ("2024-12-02", "2024-12-04")),
        ("The alert was issued this week.", SAT_7_DEC, ("2024-12-02", "2024-12-07")),
        ("Shelling intensified last week.", FRI_6_DEC, ("2024-11-25", "2024-12-01")),
        ("Prices doubled last month.", FRI_6_DEC, ("2024-11-01", "2024-11-30")),
        ("The operation was launched over the weekend.", date(2024, 12, 1), ("2024-11-30", "2024-12-01")),
        ("Attacks have multiplied in recent days.", FRI_6_DEC, ("2024-12-01", "2024-12-06")),
        ("The rebels recently announced the capture.", FRI_6_DEC, ("2024-11-29", "2024-12-06")),
        ("In a little over a week the alliance took two cities.", FRI_6_DEC, ("2024-11-27", "2024-12-06")),
        ("In just over a week the alliance took two cities.", FRI_6_DEC, ("2024-11-27", "2024-12-06")),
        ("Within a week the front had collapsed.", FRI_6_DEC, ("2024-11-29", "2024-12-06")),
        ("In less than two weeks the map was redrawn.", FRI_6_DEC, ("2024-11-22", "2024-12-06")),
        ("Thousands left in the past two days.", TUE_3_DEC, ("2024-12-01", "2024-12-03")),
        ("Less than a week ago the alliance overran the city.", date(2024, 12, 5), ("2024-11-28", "2024-12-05")),
        ("The convoy left three days ago.", FRI_6_DEC, ("2024-12-03", "2024-12-03")),
    ],
)
def test_relative_expressions_resolve_against_publication(
    sentence: str, published: date, expected: tuple[str, str]
) -> None:
    assert _span(sentence, published) == expected


@pytest.mark.parametrize(
    ("sentence", "expected", "text"),
    [
        (
            "It is the first such push since the offensive began on Nov. 27.",
            ("2024-11-27", "2024-12-06"),
            "since the offensive began on Nov. 27",
        ),
        ("The airport has been closed since Nov. 27.", ("2024-11-27", "2024-12-06"), "since Nov. 27"),
        ("Since Wednesday the fighting has killed 300.", ("2024-12-04", "2024-12-06"), "Since Wednesday"),
        ("The town was held between Nov. 27 and Dec. 1.", ("2024-11-27", "2024-12-01"), "between Nov. 27 and Dec. 1"),
        ("Data from 27 November to 3 December.", ("2024-11-27", "2024-12-03"), "from 27 November to 3 December"),
        ("Displacement for 26–30 November passed 48,500.", ("2024-11-26", "2024-11-30"), "26–30 November"),
        ("The region has been calm since 2011.", ("2011-01-01", "2024-12-06"), "since 2011"),
        ("The uprising began in 2011.", ("2011-01-01", "2011-12-31"), "2011"),
        ("Both were retaken in 2019 and 2020.", ("2019-01-01", "2020-12-31"), "2019 and 2020"),
        ("Front lines have not moved since March 2020.", ("2020-03-01", "2024-12-06"), "since March 2020"),
    ],
)
def test_since_and_ranges_span_from_their_start(sentence: str, expected: tuple[str, str], text: str) -> None:
    mention = _only(sentence, FRI_6_DEC)
    assert _span(sentence, FRI_6_DEC) == expected
    assert mention.text == text
    assert sentence[mention.start : mention.end] == mention.text


def test_range_that_ends_after_publication_runs_forward() -> None:
    assert _span("The border is shut from 27 November to 8 December.", FRI_6_DEC) == ("2024-11-27", "2024-12-08")


@pytest.mark.parametrize(
    "entry",
    [
        "14:05 GMT - Rebels enter the city.",
        "Rebels entered the city at 0600 GMT.",
        "At 07:30 local time the sirens sounded.",
    ],
)
def test_clock_times_are_the_publication_day_when_publication_has_no_time(entry: str) -> None:
    assert _span(entry, FRI_6_DEC) == ("2024-12-06", "2024-12-06")


def test_live_blog_entry_time_opening_a_line_is_a_date_mention() -> None:
    text = "LIVE - Friday 6 December\n18:20 — Factions seized the police command."
    mentions = find_dates(text, FRI_6_DEC)
    assert [m.text for m in mentions] == ["Friday 6 December", "18:20"]
    assert all(m.span == DateSpan.day(FRI_6_DEC) for m in mentions)


def test_clock_time_after_publication_time_is_the_day_before() -> None:
    published = datetime(2024, 12, 6, 9, 0, tzinfo=UTC)
    assert _span("Jets struck at 14:05 GMT.", published) == ("2024-12-05", "2024-12-05")
    assert _span("Jets struck at 08:05 GMT.", published) == ("2024-12-06", "2024-12-06")


@pytest.mark.parametrize(
    "sentence",
    [
        "Thousands joined the march on Damascus.",
        "Rebels may march on Homs next.",
        "They may 5 times have tried.",
        "The Sunday Times reported the claim.",
        "The operation, Deterrence of Aggression, drew in 2,000 fighters.",
        "The 26th Division withdrew.",
        "Shops offered Black Friday discounts.",
        "USA Today reported the claim.",
        "Casualties rose to 12.30 per cent.",
        "Some 1,500 people were evacuated by 20 buses.",
    ],
)
def test_words_that_look_like_dates_but_are_not(sentence: str) -> None:
    assert find_dates(sentence, FRI_6_DEC) == []


@pytest.mark.parametrize("text", ["", "   ", "Москва заявила в пятницу", "قالت الوزارة يوم الجمعة", "🙂🙂", "\x00\x01"])
def test_bad_or_foreign_input_gives_no_dates_and_does_not_crash(text: str) -> None:
    assert find_dates(text, FRI_6_DEC) == []
    assert resolve_date(text, FRI_6_DEC) is None


def test_mentions_are_in_order_and_do_not_overlap() -> None:
    text = (
        "Rebels launched the offensive on Nov. 27 and took Aleppo on Saturday. Since Wednesday, 300 have died; "
        "the UN said on Friday that 280,000 had fled in recent days."
    )
    mentions = find_dates(text, FRI_6_DEC)
    assert [m.text for m in mentions] == ["Nov. 27", "Saturday", "Since Wednesday", "Friday", "in recent days"]
    for first, second in itertools.pairwise(mentions):
        assert first.end <= second.start
    assert all(text[m.start : m.end] == m.text for m in mentions)
    assert all(m.rule for m in mentions)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("on Friday", DateSpan.day(date(2024, 12, 6))),
        ("Wednesday", DateSpan.day(date(2024, 12, 4))),
        ("last Friday", DateSpan.day(date(2024, 11, 29))),
        ("next Monday", DateSpan.day(date(2024, 12, 9))),
        ("Nov. 27", DateSpan.day(date(2024, 11, 27))),
        ("last week", DateSpan(date(2024, 11, 25), date(2024, 12, 1))),
        ("in 2011", DateSpan(date(2011, 1, 1), date(2011, 12, 31))),
        ("no date here", None),
    ],
)
def test_resolve_date_reads_one_expression(expression: str, expected: DateSpan | None) -> None:
    assert resolve_date(expression, FRI_6_DEC) == expected


def test_publication_date_and_midnight_datetime_resolve_alike() -> None:
    text = "Rebels took the city on Thursday, days after the offensive began on Nov. 27."
    as_date = [(m.text, m.span) for m in find_dates(text, FRI_6_DEC)]
    as_datetime = [(m.text, m.span) for m in find_dates(text, datetime(2024, 12, 6, tzinfo=UTC))]
    assert as_date == as_datetime
    assert as_date[0][1] == DateSpan.day(date(2024, 12, 5))


def test_ranges_and_since_keep_true_offsets_deep_in_a_long_text() -> None:
    text = (
        "Aid agencies have warned for weeks that the situation in the north-west was getting worse by the hour. "
        "The crossing was held between Nov. 27 and Dec. 1, and the airport has been shut since Nov. 30."
    )
    mentions = find_dates(text, FRI_6_DEC)
    assert [m.text for m in mentions] == ["between Nov. 27 and Dec. 1", "since Nov. 30"]
    assert all(text[m.start : m.end] == m.text for m in mentions)
    assert mentions[1].span == DateSpan(date(2024, 11, 30), FRI_6_DEC)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Forty-six were wounded over the three days to 28 November.", ("2024-11-26", "2024-11-28")),
        ("Prices rose in the week to Friday.", ("2024-11-30", "2024-12-06")),
        ("The town changed hands twice in the 1980s.", ("1980-01-01", "1989-12-31")),
        ("Checkpoints were abandoned during the night, residents said.", ("2024-12-05", "2024-12-06")),
        ("The airport was shut early in the day.", ("2024-12-06", "2024-12-06")),
        ("Fighting flared in late November.", ("2024-11-20", "2024-11-30")),
        ("The truce held until mid-2020.", ("2020-05-01", "2020-08-31")),
    ],
)
def test_spans_that_end_on_a_date_and_coarse_periods(sentence: str, expected: tuple[str, str]) -> None:
    assert _span(sentence, FRI_6_DEC) == expected


def test_date_one_day_after_publication_is_not_pushed_a_year_back() -> None:
    # a story stamped 23:00 UTC on 26 Nov can already be dated 27 Nov where it was written
    published = datetime(2024, 11, 26, 23, 0, tzinfo=UTC)
    assert _span("The offensive was launched on Nov. 27.", published) == ("2024-11-27", "2024-11-27")


def test_dev_corpus_documents_yield_well_formed_mentions() -> None:
    shared = Path(__file__).resolve().parents[1] / ".." / "shared"
    docs = sorted((shared / "corpus" / "dev" / "docs").glob("*.json"))
    if not docs:
        pytest.skip(f"../shared not found: {shared}")
    total = 0
    for path in docs:
        doc = json.loads(path.read_text(encoding="utf-8"))
        published = date.fromisoformat(doc["date"])
        mentions = find_dates(doc["text"], published)
        total += len(mentions)
        for first, second in itertools.pairwise(mentions):
            assert first.end <= second.start
        for m in mentions:
            assert doc["text"][m.start : m.end] == m.text
            lo, hi = m.span.earliest, m.span.latest
            assert lo is None or hi is None or lo <= hi
            # every date in these reports is history or the crisis itself, none far in the future
            assert hi is None or hi <= published + timedelta(days=31), (path.name, m)
    assert total > len(docs)  # the reports are full of dates; finding almost none would be a regression


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Fighting peaked in mid-November.", ("2024-11-10", "2024-11-20")),
        ("The lines held until the end of November.", ("2024-11-20", "2024-11-30")),
        ("Clashes were reported Thursday-Friday.", ("2024-12-05", "2024-12-06")),
        ("The siege lasted Nov 30-Dec 1.", ("2024-11-30", "2024-12-01")),
        ("The envoy visited this past Friday.", ("2024-11-29", "2024-11-29")),
        ("Crowds gathered at dawn Sunday.", ("2024-12-01", "2024-12-01")),
        ("Shelling resumed this past weekend.", ("2024-11-30", "2024-12-01")),
        ("The same town fell on Nov. 27 last year.", ("2023-11-27", "2023-11-27")),
        ("The decree is dated 28.11.2024.", ("2024-11-28", "2024-11-28")),
        ("The decree is dated 06/12/2024.", ("2024-12-06", "2024-12-06")),
        ("Strikes intensified in the past 24 hours.", ("2024-12-05", "2024-12-06")),
        ("The convoy left 48 hours ago.", ("2024-12-04", "2024-12-04")),
        ("The border closed a fortnight ago.", ("2024-11-22", "2024-11-22")),
        ("Ministers will meet this week.", ("2024-12-06", "2024-12-08")),
        ("The statement went out at 5:30 a.m. ET.", ("2024-12-06", "2024-12-06")),
    ],
)
def test_other_common_newsroom_forms(sentence: str, expected: tuple[str, str]) -> None:
    assert _span(sentence, FRI_6_DEC) == expected


def test_lower_case_posts_still_carry_dates_but_not_may_or_march() -> None:
    assert _span("rebels entered the city on friday", FRI_6_DEC) == ("2024-12-06", "2024-12-06")
    assert _span("clashes since nov 27 in the north", FRI_6_DEC) == ("2024-11-27", "2024-12-06")
    assert find_dates("they may 5 times more march 3 abreast", FRI_6_DEC) == []


@pytest.mark.parametrize(
    ("sentence", "text", "day"),
    [
        (
            "The count passed 48,500 for 26–30 November, up from 14,000 two days earlier.",
            "two days earlier",
            "2024-11-28",
        ),
        ("Rebels took one town on Saturday and a second late the same night.", "late the same night", "2024-11-30"),
        ("The army withdrew on Monday; the next day it shelled the road.", "the next day", "2024-12-03"),
        ("Talks failed on Dec. 2 and fighting resumed three days later.", "three days later", "2024-12-05"),
    ],
)
def test_relative_days_count_from_the_date_written_before_them(sentence: str, text: str, day: str) -> None:
    mention = find_dates(sentence, FRI_6_DEC)[-1]
    assert mention.text == text
    assert mention.span == DateSpan.day(date.fromisoformat(day))


@pytest.mark.parametrize(
    "sentence",
    ["The next day, rebels attacked the airport.", "Two days after the offensive began, the city fell."],
)
def test_relative_days_with_nothing_to_count_from_are_not_dates(sentence: str) -> None:
    assert find_dates(sentence, FRI_6_DEC) == []


def test_the_night_before_a_named_morning_is_anchored_to_that_morning() -> None:
    sentence = "Staff were ordered out on Sunday morning; the capital had fallen during the night."
    mentions = find_dates(sentence, MON_9_DEC)
    assert [m.text for m in mentions] == ["Sunday morning", "during the night"]
    assert mentions[1].span == DateSpan(date(2024, 12, 7), date(2024, 12, 8))


@pytest.mark.parametrize(
    ("sentence", "text", "day"),
    [
        ("Prisoners were freed at 5 p.m. on Sunday.", "5 p.m. on Sunday", "2024-12-08"),
        ("Last updated: 07 December 2024 at 10:00 CET", "07 December 2024 at 10:00 CET", "2024-12-07"),
    ],
)
def test_a_clock_time_next_to_a_day_takes_that_day(sentence: str, text: str, day: str) -> None:
    mention = _only(sentence, MON_9_DEC)
    assert mention.text == text
    assert mention.span == DateSpan.day(date.fromisoformat(day))


@pytest.mark.parametrize(
    "sentence",
    [
        "The council meeting is set for Dec. 10.",
        "Envoys met ahead of the Dec. 10 vote.",
        "The vote is slated for Tuesday.",
    ],
)
def test_scheduling_words_point_a_date_forward(sentence: str) -> None:
    (lo, hi) = _span(sentence, FRI_6_DEC)
    assert lo == hi and lo is not None and lo > "2024-12-06"


def test_the_previous_weekend_and_week_count_from_the_date_written_before():
    pub = date(2024, 12, 8)
    spans = {d.text: d.span for d in find_dates("Homs fell on Sunday 8 Dec. Aleppo fell the weekend before.", pub)}
    assert (spans["the weekend before"].earliest, spans["the weekend before"].latest) == (
        date(2024, 11, 30),
        date(2024, 12, 1),
    )
    text = "Hama fell on Thursday. The previous week, rebels took Aleppo."
    spans = {d.text: d.span for d in find_dates(text, pub)}
    assert (spans["The previous week"].earliest, spans["The previous week"].latest) == (
        date(2024, 11, 25),
        date(2024, 12, 1),
    )
    assert find_dates("Aleppo fell the previous week.", pub) == []  # no date before it to count from


def test_short_day_slash_month_needs_a_date_preposition_and_the_week_before_ends_a_clause():
    pub = date(2025, 2, 10)
    assert find_dates("A 2/3 majority of the council backed it.", pub) == []
    assert find_dates("About 1/12 of the city was destroyed.", pub) == []
    assert [d.text for d in find_dates("Rebels took Hama on 5 December. The week before Christmas is quiet.",
                                       date(2024, 12, 9))] == ["5 December"]  # fmt: skip


def test_a_deadline_weekday_in_a_past_tense_clause_is_the_past_one() -> None:
    sunday = date(2024, 12, 8)
    [past] = find_dates("Rebels had taken Hama by Wednesday.", sunday)
    assert past.span == DateSpan.day(date(2024, 12, 4))
    [coming] = find_dates("Foreigners must leave the country by Wednesday.", sunday)
    assert coming.span == DateSpan.day(date(2024, 12, 11))
