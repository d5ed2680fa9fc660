"""Dates relative to a document's publication date.

Three jobs live here:

* `parse_published` reads a publication date or timestamp as inputs carry it (a seed file's date line, a JSON
  document's ``date``, an RSS ``pubDate``, a Telegram export's ``date``) and returns a UTC datetime with its
  precision ("day" or "time").
* `parse_query_day` / `parse_query_time` read the days and moments a query asks about (the CLI's `--at`,
  `--since`, `--until`, `--known-at`; the API's `at`, `since`, `until`, `known_at`), strictly and within the
  years a publication may carry, so a query never reaches date arithmetic that overflows.
* `find_dates` / `resolve_date` resolve the date expressions newsrooms write ("on Friday", "Nov. 27",
  "since the offensive began on Nov. 27", "earlier this week", "14:05 GMT") against the publication date.
  Each `DateMention` keeps the text as written, its offsets and the rule that resolved it (for --explain):
  ``weekday``, ``weekday.last``, ``weekday.future``, ``month_day``, ``day_range``, ``range``, ``since``,
  ``recent``, ``duration.back``, ``relative.overnight``, ``clock_time``, ``relative_to_previous``, ...

How it runs: one combined, precompiled pattern is tried only at the few words just before an "anchor" (a
digit, a month or weekday name, "week", "ago", "overnight", ...), so a sentence with no date costs one scan.
A second pass joins neighbours into one expression (ranges, "since ...", "Friday, Dec. 6", "5 p.m. on
Sunday") and resolves "two days earlier" against the date written before it.

Only the standard library is used: general-purpose parsers such as dateparser get weekday anchoring and
abbreviated months wrong inside sentences and cost milliseconds per sentence (RESOURCES.md), while the
extractor runs this on every sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Literal

from sitroom import lang
from sitroom.model import DateSpan

Precision = Literal["day", "time"]

# month names and abbreviations as the language writes them (lang/en/grammar.toml, [dates])
_MONTHS = lang.numbers("dates", "months")
_MONTH_ABBR = lang.numbers("dates", "month_abbreviations")


def _month_number(word: str) -> int | None:
    w = word.lower().rstrip(".")
    return _MONTHS.get(w) or _MONTH_ABBR.get(w)


# --- publication dates ----------------------------------------------------------------------------

_MONTH_WORD = r"(?P<mon>[A-Za-z]{3,9})\.?"
_PUB_MDY = re.compile(rf"^{_MONTH_WORD}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})$")
_PUB_DMY = re.compile(rf"^(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_WORD},?\s+(?P<year>\d{{4}})$")
_PUB_ISO_DATE = re.compile(r"^(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})$")
_PUB_ISO_TS = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
# A weekday prefix some date lines carry ("Friday, December 6, 2024").
_PUB_WEEKDAY_PREFIX = re.compile(r"^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)


# A publication outside these years is a typo or a placeholder ("0001-01-01"), not a report: reading it as a
# date would put the document's knowledge time two thousand years off and overflow date arithmetic later.
PUBLISHED_YEARS = (1900, 2200)


def parse_published(value: str) -> tuple[datetime, Precision]:
    """Parse a publication date or timestamp into (aware UTC datetime, precision).

    Precision is "day" for a date-only value (the datetime is 00:00 UTC that day, which is also when a
    date-only document counts as known) and "time" for a timestamp. Naive timestamps are UTC (Telegram
    Desktop exports write them so). Raises ValueError when the value is not a date, or not a date between
    1900 and 2200.
    """
    try:
        when, precision = _parse_published(value)
    except OverflowError as exc:  # "0001-01-01T00:00:00+14:00" has no UTC equivalent
        raise ValueError(f"date out of range: {value!r}") from exc
    low, high = PUBLISHED_YEARS
    if not low <= when.year < high:
        raise ValueError(f"year {when.year} is outside {low}-{high - 1}: {value!r}")
    return when, precision


def _parse_published(value: str) -> tuple[datetime, Precision]:
    if not isinstance(value, str):
        raise ValueError(f"publication date must be a string, got {type(value).__name__}")
    text = " ".join(value.split())
    if not text:
        raise ValueError("publication date is empty")

    m = _PUB_ISO_DATE.match(text)
    if m:
        return _day_start(int(m["year"]), int(m["mon"]), int(m["day"]), value), "day"

    if _PUB_ISO_TS.match(text):
        iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
        try:
            ts = datetime.fromisoformat(iso)
        except ValueError as exc:
            raise ValueError(f"not a valid ISO timestamp: {value!r}") from exc
        return _to_utc(ts), "time"

    bare = _PUB_WEEKDAY_PREFIX.sub("", text)
    for pattern in (_PUB_MDY, _PUB_DMY):
        m = pattern.match(bare)
        if m:
            month = _month_number(m["mon"])
            if month is None:
                raise ValueError(f"unknown month {m['mon']!r} in publication date {value!r}")
            return _day_start(int(m["year"]), month, int(m["day"]), value), "day"

    # RFC 2822, as RSS pubDate carries it ("Fri, 06 Dec 2024 07:05:00 GMT").
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"not a recognised publication date: {value!r}") from None
    # The parser reads any year below 100 as two digits ("0001" -> 2001); a year written out is the year.
    written = _RFC_YEAR.search(bare)
    if written and len(written[1]) > 2 and int(written[1]) != parsed.year:
        raise ValueError(f"year {int(written[1])} is outside {PUBLISHED_YEARS[0]}-{PUBLISHED_YEARS[1] - 1}: {value!r}")
    return _to_utc(parsed), "time"


_RFC_YEAR = re.compile(r"^\d{1,2}\s+[A-Za-z]{3,}\.?\s+(\d+)\b")


def _day_start(year: int, month: int, day: int, original: str) -> datetime:
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError as exc:
        raise ValueError(f"impossible date in {original!r}: {exc}") from exc


def _to_utc(ts: datetime) -> datetime:
    if ts.tzinfo is None:
        return ts.replace(tzinfo=UTC)
    return ts.astimezone(UTC)


# --- days and moments in queries ------------------------------------------------------------------

# A query may ask about the years a publication may carry: nothing outside them is stored, and the picture's
# arithmetic on a day or a moment (the end of `at`, an offset moved to UTC) overflows at year 1 and 9999.
QUERY_YEARS = PUBLISHED_YEARS

# The shape a query's day or moment starts with; anything after the day must be a time (checked by
# fromisoformat), so "2024-12-06junk" is not read as 6 December.
_QUERY_DAY_PREFIX = re.compile(r"\d{4}-\d{2}-\d{2}(?=$|[T ])")


_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(m|min|h|d|w)?\s*", re.IGNORECASE)
_DURATION_UNITS = {"m": 1 / 60, "min": 1 / 60, "h": 1.0, "d": 24.0, "w": 168.0}


def parse_duration(value: str) -> timedelta:
    """A span of time as users write it in options: "90m", "6h", "2d", "1w"; a bare number is hours."""
    m = _DURATION.fullmatch(value)
    if m is None or float(m.group(1)) <= 0:
        raise ValueError(f"{value!r} is not a duration (e.g. 90m, 6h, 2d, 1w; a bare number is hours)")
    return timedelta(hours=float(m.group(1)) * _DURATION_UNITS[(m.group(2) or "h").lower()])


def parse_query_day(value: str) -> date:
    """The day a query names: ``YYYY-MM-DD`` (a full ISO timestamp stands for its day as written).

    Raises ValueError naming the value and why when it is not such a day, or its year is outside `QUERY_YEARS`.
    """
    not_a_day = f"{value!r} is not a date (YYYY-MM-DD)"
    if _QUERY_DAY_PREFIX.match(value) is None:
        raise ValueError(not_a_day)
    try:
        day = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(_iso(value)).date()
    except ValueError:
        raise ValueError(not_a_day) from None
    _check_query_year(value, day.year)
    return day


def parse_query_time(value: str) -> datetime:
    """The moment a query names, as an aware UTC datetime: an ISO timestamp, UTC unless it carries an offset;
    a bare date is 00:00 UTC that day (when a date-only publication counts as known).

    Raises ValueError naming the value and why when it is not a timestamp, or it falls outside `QUERY_YEARS`
    (as written or once moved to UTC).
    """
    not_a_time = f"{value!r} is not a timestamp (YYYY-MM-DDTHH:MM, UTC unless it carries an offset)"
    if _QUERY_DAY_PREFIX.match(value) is None:
        raise ValueError(not_a_time)
    try:
        ts = datetime.fromisoformat(_iso(value))
    except ValueError:
        raise ValueError(not_a_time) from None
    _check_query_year(value, ts.year)  # first: "0001-01-01T00:00:00+14:00" has no UTC equivalent to check
    utc = _to_utc(ts)
    _check_query_year(value, utc.year, " in UTC")
    return utc


def _iso(value: str) -> str:
    return value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value


def _check_query_year(value: str, year: int, where: str = "") -> None:
    low, high = QUERY_YEARS
    if not low <= year < high:
        raise ValueError(f"{value!r} is outside the supported years {low}-{high - 1} (year {year}{where})")


# --- date expressions in news text ----------------------------------------------------------------
#
# Conventions (how newsrooms write, checked against wire copy, live blogs and UN updates):
# * A bare weekday is the most recent such day, the publication day included ("said on Friday" in a
#   Friday story is that Friday). "last Friday" is the most recent Friday before the publication day.
#   A weekday in a future-tense clause ("will meet on Monday", "next Monday") is the coming one.
# * A year-less date is the most recent such day on or before publication (so "Dec. 28" in a January
#   story is last year's), the coming one in a future-tense clause, and the nearest one after
#   "until"/"by" (a deadline can be either side).
# * Vague spans ("recently", "in a little over a week", "earlier this week") become ranges that end
#   on the publication day; weeks start on Monday.
# * "May" and "March" are months only next to a day number or a year.

Direction = Literal["past", "future", "nearest"]


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression as written in a text, and the day or range it resolves to."""

    text: str
    start: int
    end: int
    span: DateSpan
    rule: str


_WEEKDAYS = lang.numbers("dates", "weekdays")
# counts before a unit of time: "two days ago", "a week earlier"
_NUMBER_WORDS: dict[str, int] = {**lang.numbers("numbers", "articles"), **lang.numbers("numbers", "units"),
                                 **lang.numbers("numbers", "tens")}  # fmt: skip
_UNIT_DAYS: dict[str, int] = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365}
_HOUR = "hour"
# Fixed offsets of the zone names live blogs and wires use, in minutes east of UTC.
_ZONES: dict[str, int] = {
    "gmt": 0,
    "utc": 0,
    "z": 0,
    "bst": 60,
    "cet": 60,
    "cest": 120,
    "eet": 120,
    "eest": 180,
    "msk": 180,
    "est": -300,
    "et": -300,
    "ct": -360,
    "pt": -480,
    "edt": -240,
    "pst": -480,
    "pdt": -420,
}
# A clock time with no zone (or "local time") is compared with a UTC publication time only this loosely:
# the crisis regions sitroom follows are within a few hours of UTC.
_UNKNOWN_ZONE_SLACK = timedelta(hours=3)

_WD = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_MON = (
    r"(?:(?:january|february|march|april|may|june|july|august|september|october|november|december)(?![a-z])"
    r"|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)(?:\.|(?![a-z])))"
)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
_ORD = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)"
_YEAR = r"(?:19\d\d|20\d\d)(?!\d|,\d|-\d\d-\d)"  # not a count (2,000) nor an ISO date
_NUM = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty)"
_ZONE = (
    r"(?:(?:gmt|utc)\s*[+-]\s*\d{1,2}(?::?\d\d)?|gmt|utc|z|bst|cet|cest|eet|eest|msk|est|edt|pst|pdt|et|ct|pt"
    r"|local\s+time|[a-z]+\s+time)"
)
_NOT_AFTER_DAY = r"(?!,\d|\s*(?:%|km|per\s*cent|percent|people|civilians|fighters))"

# Each alternative is a named group; `m.lastgroup` says which one matched (inner groups carry the
# alternative's prefix so names stay unique).
_PATTERNS: list[tuple[str, str]] = [
    (
        "rdm",  # 26–30 November, between 26 and 30 November, from 26 to 30 Nov 2024
        rf"(?:between\s+(?P<rdm_b>{_DAY})\s+and|from\s+(?P<rdm_f>{_DAY})\s+(?:to|until|till|through)"
        rf"|(?P<rdm_a>{_DAY})\s*(?:[–—-]|to|until|through)(?!\d\d\d))\s*(?P<rdm_d>{_DAY})\s+(?:of\s+)?"
        rf"(?P<rdm_m>{_MON})(?:,?\s+(?P<rdm_y>{_YEAR}))?",
    ),
    (
        "rmd",  # Nov. 27-30, November 27 to 30
        rf"(?P<rmd_m>{_MON})\s+(?P<rmd_a>{_DAY})\s*(?:[–—-]|to|through)\s*(?P<rmd_d>{_DAY})"
        rf"(?:,?\s+(?P<rmd_y>{_YEAR}))?",
    ),
    (
        "iso",  # 2024-12-06 in running text
        r"(?<![\d-])(?P<iso_y>\d{4})-(?P<iso_m>\d\d)-(?P<iso_d>\d\d)(?![\d-])",
    ),
    (
        "num",  # 06/12/2024, 6.12.2024, 12/06/2024 (day or month first: whichever fits, else the nearer)
        r"(?P<num_a>[0-3]?\d)[/.](?P<num_b>[0-3]?\d)[/.](?P<num_y>(?:19|20)\d\d)(?![\d/.]\d)",
    ),
    (
        "numshort",  # 27/11, 30/11 on a status board: day and month, read only near publication
        r"(?:(?<=on )|(?<=since )|(?<=from )|(?<=until )|(?<=till )|(?<=by )|(?<=of )|(?<=\()|(?<=, )|(?<=- )|"
        r"(?<=– )|(?<=— ))(?P<ns_a>[0-3]?\d)/(?P<ns_b>[0-3]?\d)(?![\d/])(?!\s*(?:%|of\b|per\b))",
    ),
    (
        "md",  # Nov. 27, November 27, Dec. 5th, December 5, 2024
        rf"(?P<md_m>{_MON})\s+(?P<md_d>{_DAY}){_NOT_AFTER_DAY}(?:,?\s+(?P<md_y>{_YEAR}))?",
    ),
    (
        "dm",  # 27 November, 27 Nov, the 5th of December, 6 December 2024
        rf"(?:the\s+)?(?P<dm_d>{_DAY})\s+(?:of\s+)?(?P<dm_m>{_MON})(?:,?\s+(?P<dm_y>{_YEAR}))?",
    ),
    (
        "my",  # December 2016, March 2020
        rf"(?:(?P<my_q>early|late|mid-?|the\s+end\s+of|the\s+start\s+of)\s*)?(?P<my_m>{_MON}),?\s+"
        rf"(?P<my_y>{_YEAR})",
    ),
    (
        "mon",  # in November, since October, early December (never May/March: see _h_month)
        rf"(?P<mon_p>in|since|during|until|by|from|through|throughout|early|late|mid|last|next|this"
        r"|earlier\s+in|later\s+in|early\s+in|late\s+in|(?:the\s+)?(?:end|beginning|start|middle)\s+of"
        rf"|end|start)(?:\s+|(?<=mid|end)-|(?<=start)-)(?P<mon_m>{_MON})(?!\.?\s*\d)",
    ),
    (
        "wd",  # Friday, on Friday, last Friday, late on Saturday, Saturday morning, Friday's
        r"(?:(?P<wd_p>last|next|this\s+coming|this|coming|late\s+on|early\s+on|later\s+on|earlier\s+on"
        r"|late|early|(?:before|at|after)\s+dawn(?:\s+on)?|(?:in\s+)?the\s+early\s+hours\s+of"
        r"|this\s+past|overnight\s+into|overnight\s+to|overnight(?:\s+on)?|on\s+the\s+night\s+of)\s+)?"
        rf"(?P<wd_d>{_WD})(?P<wd_s>\s+(?:morning|afternoon|evening|night|overnight)|'s|’s)?"
        r"(?!\s+(?:times|telegraph|mail|express|herald|post|mirror|star|sport|independent|observer"
        r"|review|night\s+live)\b)",
    ),
    (
        "decade",  # the 1980s, the early 2000s
        r"(?:the\s+)?(?P<decade_q>early|late|mid-?)?\s*(?P<decade_y>(?:19|20)\d0)['’]?s\b",
    ),
    (
        "yr",  # in 2011, since 2011, in 2019 and 2020, early 2020, mid-2020
        rf"(?:(?P<yr_p>in|since|from|until|till|by|during|through|between|before|after|of|around)\s+)?"
        rf"(?P<yr_q>early|late|mid-?|the\s+end\s+of|the\s+start\s+of|the\s+summer\s+of)?\s*"
        rf"(?P<yr_y>{_YEAR})(?:\s*(?:and|to|or|[–—-])\s*(?P<yr_y2>{_YEAR}))?",
    ),
    (
        "ago",  # three days ago, a week ago, less than a week ago, a few days ago
        rf"(?:(?P<ago_q>less\s+than|more\s+than|over|under|about|around|nearly|almost|just)\s+)?"
        rf"(?P<ago_n>{_NUM}|a\s+few|several|few)\s+(?P<ago_u>hour|day|week|fortnight|month|year)s?\s+ago",
    ),
    (
        "dur",  # in a little over a week, within a week, over the past ten days, in less than two weeks
        r"(?P<dur_p>in\s+(?:a\s+little|just|slightly)\s+(?:over|more\s+than)|in\s+(?:just\s+)?under"
        r"|in\s+less\s+than|in\s+fewer\s+than|within(?:\s+(?:less\s+than|about))?|in\s+(?:the\s+)?(?:past|last)"
        r"|(?:over|during|for|throughout)\s+the\s+(?:past|last)|in)\s+"
        rf"(?P<dur_n>{_NUM}|a\s+few|several|few)\s+(?P<dur_u>hour|day|week|fortnight|month|year)s?"
        r"(?!\s+(?:ago|earlier|later))",
    ),
    (
        "vague",  # in recent days, recently, in the coming days
        r"(?P<vague_w>in\s+recent\s+(?:days|weeks|months)|over\s+recent\s+(?:days|weeks)|recently"
        r"|in\s+the\s+(?:coming|next)\s+(?:few\s+)?(?:days|weeks)|in\s+the\s+past\s+few\s+(?:days|weeks)"
        r"|over\s+the\s+past\s+few\s+(?:days|weeks)|in\s+the\s+last\s+few\s+(?:days|weeks)"
        r"|(?:in|over|during)\s+the\s+(?:past|last)\s+(?:fortnight|few\s+hours|hours))",
    ),
    (
        "wk",  # earlier this week, last week, this week, next week, the weekend, last month, this year
        r"(?P<wk_p>earlier\s+this|later\s+this|this\s+past|this|last|next|over\s+the|at\s+the|on\s+the|the\s+past"
        r"|(?:early|late)\s+last|(?:early|late)\s+next|earlier\s+in\s+the|later\s+in\s+the)\s+"
        r"(?P<wk_u>weekend|week|month|year)\b",
    ),
    (
        "rel",  # yesterday, today, tonight, this morning, overnight, last night, earlier today
        r"(?P<rel_w>the\s+day\s+before\s+yesterday|yesterday(?:\s+(?:morning|afternoon|evening))?"
        r"|(?:earlier|later)\s+today|(?:early|earlier|later)\s+in\s+the\s+day|today|tonight"
        r"|(?:during|in)\s+the\s+night"
        r"|(?:early\s+|late\s+|earlier\s+|later\s+)?this\s+(?:morning|afternoon|evening)"
        r"|last\s+night|overnight|the\s+day\s+after\s+tomorrow|tomorrow(?:\s+(?:morning|afternoon|evening))?)",
    ),
    (
        "prev",  # two days earlier, the next day, later that day, late the same night: from the date before
        rf"(?P<prev_w>(?P<prev_n>{_NUM})\s+(?P<prev_u>day|week)s?\s+(?P<prev_d>earlier|later|before|after)"
        r"(?!\s+(?:the|a|an|his|her|its|their|this|that|it|he|she|they)\b)"
        r"|the\s+(?:previous|next|following)\s+day|the\s+day\s+(?:before|after)(?!\s+(?:yesterday|tomorrow|the|a|an)\b)"
        r"|the\s+(?:previous|preceding)\s+week(?:end)?|the\s+week(?:end)?\s+before(?=\s*[,.;:)]|\s*$)"
        r"|(?:(?:early|late|later|earlier)\s+)?(?:the\s+same|that)\s+(?:day|night|evening|morning|afternoon))",
    ),
    (
        "nth",  # on the 5th (of the publication month, or the one before)
        rf"(?P<nth_p>on|by|until|since|from|before|after)\s+the\s+(?P<nth_d>{_ORD})(?!\s+(?:of\s+)?{_MON})"
        r"(?!\s+(?:division|brigade|regiment|battalion|army|corps|century|anniversary|floor|place|time|round"
        r"|day|week|month|year|of)\b)",
    ),
    (
        "clock",  # 14:05 GMT, at 0600 GMT, 07:30 local time, 9 a.m., 18:20 (live-blog entry)
        r"(?P<clock_p>(?:at|by|around|about|from|since|until|before|after)\s+)?"
        r"(?P<clock_h>[01]?\d|2[0-3])(?:(?P<clock_sep>[:.h])?(?P<clock_m>[0-5]\d)(?!\d))?"
        r"(?:\s*(?P<clock_ap>a\.m\.|p\.m\.|am\b|pm\b))?"
        r"(?:(?<=\d\d)|(?<=\.m\.)|(?<=am)|(?<=pm))"
        rf"(?:\s*\(?(?P<clock_z>{_ZONE})\b\)?)?",
    ),
]

_COMBINED_SOURCE = r"\b(?:" + "|".join(f"(?P<{name}>{body})" for name, body in _PATTERNS) + r")"
_COMBINED = re.compile(_COMBINED_SOURCE)  # applied to lower-cased text
_COMBINED_ANYCASE = re.compile(_COMBINED_SOURCE, re.IGNORECASE)

_FUTURE = re.compile(
    r"\b(?:will|won't|shall|going\s+to|is\s+to|are\s+to|expected\s+to|expects?\s+to|due\s+on"
    r"|due\s+to\s+(?:be|take|meet|hold|start|begin|resume|open|arrive|vote|travel|visit|return)"
    r"|set\s+to|scheduled|plans?\s+to|planning\s+to|intends?\s+to|upcoming|forthcoming"
    r"|to\s+be\s+held|(?:set|slated|planned|penciled|pencilled)\s+for|ahead\s+of)\b|['’]ll\b",
    re.IGNORECASE,
)
_REPORTING = re.compile(
    r"\b(?:said|says|told|announced|warned|added|reported|stated|confirmed|denied|claimed|declared"
    r"|insisted|noted|wrote|posted)\b",
    re.IGNORECASE,
)
_PAST_TENSE = re.compile(r"\b(?:was|were|had)\b", re.IGNORECASE)
_DEADLINE = re.compile(r"\b(?:until|till|by|before|deadline\s+of)\s+(?:the\s+)?$", re.IGNORECASE)
_SINCE = re.compile(
    r"\bsince\s+(?:(?:[\w'’-]+\s+){0,6}?(?:on|in|at)\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
# "over the three days to 28 November", "in the week to Friday": a span that ends on the date
_DAYS_TO = re.compile(
    rf"\b(?:the\s+)?(?:(?P<n>{_NUM})\s+)?(?P<u>day|week)s?\s+(?:to|up\s+to|until|ending)\s+$",
    re.IGNORECASE,
)
_RANGE_OPEN = re.compile(r"\b(?P<w>between|from)\s+(?:the\s+)?$", re.IGNORECASE)
_RANGE_JOIN_BETWEEN = re.compile(r"^\s*and\s+(?:the\s+)?$", re.IGNORECASE)
_RANGE_JOIN_FROM = re.compile(r"^\s*(?:to|until|till|through|[–—-])\s*(?:the\s+)?$", re.IGNORECASE)
_RANGE_JOIN_BARE = re.compile(r"^\s*(?:[–—-]|to|until|through)\s*$", re.IGNORECASE)
# Same line only: a live blog's date header and its first entry time are two mentions.
_CLOCK_THEN_DAY = re.compile(r"^[ \t]*,?[ \t]*(?:on[ \t]+)?(?:the[ \t]+)?$", re.IGNORECASE)
_DAY_THEN_CLOCK = re.compile(r"^[ \t]*,?[ \t]*(?:at[ \t]+)?$", re.IGNORECASE)
_DATE_THEN_YEAR = re.compile(r"^,?\s*(?:of\s+)?$", re.IGNORECASE)
_WEEKDAY_THEN_DATE = re.compile(r"^,?\s*(?:the\s+)?$", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.!?;\n]")
_MORNING = re.compile(r"\b(?:morning|dawn|daybreak|early\s+hours)\b", re.IGNORECASE)
# Words before a weekday that make it a name, not a date ("Black Friday", "Bloody Sunday").
_WEEKDAY_NAME_PREFIX = frozenset(
    {"good", "black", "bloody", "super", "ash", "holy", "palm", "easter", "cyber", "maundy", "whit"}
)
_CONTEXT_CHARS = 90
# Every alternative of _COMBINED contains one of these; a match starts at most _ANCHOR_BEFORE characters
# before it ("in the early hours of Saturday"). Lower-case: it runs on the lower-cased text.
# Factored by first letter: the scan runs over every character of every sentence.
_ANCHOR = re.compile(
    r"(?<!\w)(?:\d+|(?:j(?:an(?:uary)?|une?|uly?)|f(?:eb(?:ruary)?|riday)|m(?:ar(?:ch)?|ay|onday|orning|onths?)"
    r"|a(?:pr(?:il)?|ug(?:ust)?|fternoon|go)|s(?:ep(?:t|tember)?|aturday|unday)|o(?:ct(?:ober)?|vernight)"
    r"|n(?:ov(?:ember)?|ight)|d(?:ec(?:ember)?|ays?)|t(?:uesday|hursday|oday|onight|omorrow)"
    r"|w(?:ednesday|eekends?|eeks?)|y(?:esterday|ears?)|evening|recent(?:ly)?|hours?|fortnights?)\b)"
)
_ANCHOR_ANYCASE = re.compile(_ANCHOR.pattern, re.IGNORECASE)
# The words an expression can open with, besides the anchor itself ("since the offensive began on ...",
# "in a little over a week", "late on Saturday"): only these are tried as starts before an anchor.
_STARTER = re.compile(
    r"\b(?:a|about|after|almost|an|around|at|before|beginning|between|by|coming|during|early|earlier|eight|eleven|end"
    r"|fifteen|five|few|for|four|from|in|just|last|late|later|less|mid|more|nearly|next|nine|of|on|one"
    r"|over|overnight|recently|seven|several|since|six|start|ten|the|thirty|this|three|through|throughout|till"
    r"|that|today|tomorrow|tonight|twelve|twenty|two|under|until|within|yesterday)\b"
)
_ANCHOR_BEFORE = 48


# --- anchoring helpers ----------------------------------------------------------------------------


def _pub_parts(published: date | datetime) -> tuple[date, datetime | None]:
    """The publication day, and the publication instant in UTC when it carries a time."""
    if isinstance(published, datetime):
        instant = published if published.tzinfo is not None else published.replace(tzinfo=UTC)
        return published.date(), instant.astimezone(UTC)
    return published, None


def _weekday_on_or_before(pub: date, weekday: int) -> date:
    return pub - timedelta(days=(pub.weekday() - weekday) % 7)


def _weekday_on_or_after(pub: date, weekday: int) -> date:
    return pub + timedelta(days=(weekday - pub.weekday()) % 7)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_day(month: int, day: int, year: int | None, pub: date, direction: Direction) -> date | None:
    """A day of a month, in the year the direction implies when the text gives none."""
    if year is not None:
        return _safe_date(year, month, day)
    if _safe_date(2024, month, day) is None:  # not a day of that month in any year (31 Nov)
        return None
    past = next((d for y in range(pub.year, pub.year - 9, -1) if (d := _safe_date(y, month, day)) and d <= pub), None)
    future = next((d for y in range(pub.year, pub.year + 9) if (d := _safe_date(y, month, day)) and d >= pub), None)
    if direction == "future":
        return future
    if direction == "nearest" and past is not None and future is not None:
        return past if (pub - past) <= (future - pub) else future
    if future is not None and future - pub <= timedelta(days=1):
        # The day after publication is that day, not a year back: publication times are often UTC
        # while the story is dated in local time ahead of it.
        return future
    return past


def _month_span(month: int, year: int) -> DateSpan:
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return DateSpan(first, nxt - timedelta(days=1))


def _month_in_direction(month: int, pub: date, direction: Direction) -> DateSpan:
    year = pub.year
    if direction == "future":
        if month < pub.month:
            year += 1
    elif month > pub.month:
        year -= 1
    span = _month_span(month, year)
    return _clip_to(span, pub) if direction != "future" else span


def _clip_to(span: DateSpan, pub: date) -> DateSpan:
    """A past range cannot end after the publication day."""
    if span.latest is not None and span.latest > pub and span.earliest is not None and span.earliest <= pub:
        return DateSpan(span.earliest, pub)
    return span


def _part_of_year(qualifier: str | None, year: int) -> DateSpan:
    q = (qualifier or "").lower().replace(" ", "")
    if q.startswith("early") or q == "thestartof":
        return DateSpan(date(year, 1, 1), date(year, 4, 30))
    if q.startswith("mid"):
        return DateSpan(date(year, 5, 1), date(year, 8, 31))
    if q.startswith("late") or q == "theendof":
        return DateSpan(date(year, 9, 1), date(year, 12, 31))
    if q == "thesummerof":
        return DateSpan(date(year, 6, 1), date(year, 8, 31))
    return DateSpan(date(year, 1, 1), date(year, 12, 31))


def _part_of_month(qualifier: str, span: DateSpan) -> DateSpan:
    if span.earliest is None or span.latest is None:
        return span
    first, last = span.earliest, span.latest
    q = qualifier.lower()
    if q.startswith("early"):
        return DateSpan(first, first.replace(day=10))
    if q.startswith("mid"):
        return DateSpan(first.replace(day=10), first.replace(day=20))
    if q.startswith("late"):
        return DateSpan(first.replace(day=20), last)
    return span


def _number(word: str) -> tuple[int, int] | None:
    """A count as written ("three", "12", "a few") -> (low, high)."""
    w = " ".join(word.lower().split())
    if w.isdigit():
        n = int(w)
        return (n, n) if n > 0 else None
    if w in ("a few", "few"):
        return (2, 5)
    if w == "several":
        return (3, 7)
    named = _NUMBER_WORDS.get(w)
    return (named, named) if named else None


def _clause_before(text: str, start: int) -> str:
    window = text[max(0, start - _CONTEXT_CHARS) : start]
    # the clause starts after the last sentence or clause break
    last = max((m.end() for m in _CLAUSE_END.finditer(window)), default=0)
    return window[last:]


def _clause_after(text: str, end: int) -> str:
    window = text[end : end + _CONTEXT_CHARS // 2]
    cut = _CLAUSE_END.search(window)
    return window[: cut.start()] if cut else window


def _direction(text: str, start: int, end: int) -> Direction:
    """Past unless the clause is about the future ("will meet on Monday") or sets a deadline ("by Friday").

    A future marker counts when no reporting verb stands between it and the date: in "X will leave,
    the ministry said on Monday" the Monday is when it was said.
    """
    before = _clause_before(text, start)
    if _DEADLINE.search(before):
        # "had taken Hama by Wednesday", "were on its edge by Friday": a deadline already past; "must leave by
        # Friday", or no tense to tell: the nearest such day
        if _PAST_TENSE.search(before) and not _FUTURE.search(before):
            return "past"
        return "nearest"
    markers = list(_FUTURE.finditer(before))
    if markers and not _REPORTING.search(before[markers[-1].end() :]):
        return "future"
    # "On Monday, the council will vote": only when the date opens the clause.
    if re.fullmatch(r"\s*(?:on|by|from|early|late|and|but|then|[\"'“‘(—–-])?\s*", before, re.IGNORECASE):
        after = _clause_after(text, end)
        marker = _FUTURE.search(after)
        if marker and not _REPORTING.search(after[: marker.start()]):
            return "future"
    return "past"


# --- one handler per pattern ----------------------------------------------------------------------

_Resolved = tuple[DateSpan, str, int]  # span, rule, start offset of the mention (the end is the match's)


class _Ctx:
    """What every handler needs: the text, the match, and the publication anchor."""

    __slots__ = ("instant", "m", "pub", "text")

    def __init__(self, text: str, m: re.Match[str], pub: date, instant: datetime | None) -> None:
        self.text = text
        self.m = m
        self.pub = pub
        self.instant = instant

    def g(self, name: str) -> str | None:
        """A group as written in the original text (the match may run on a lower-cased copy)."""
        start = self.m.start(name)
        return None if start < 0 else self.text[start : self.m.end(name)]

    def direction(self) -> Direction:
        return _direction(self.text, self.m.start(), self.m.end())


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


_AMBIGUOUS_MONTHS = frozenset({"may", "march", "mar"})


def _month_of(word: str, *, needs_number: bool = False) -> int | None:
    """The month a word names, when it is written as one.

    Lower-case month names are common in social-media posts and are accepted, except the ones that are
    also ordinary words ("may", "march"), which must be capitalised; May/March need a number nearby too.
    """
    bare = word.rstrip(".").lower()
    if bare in _AMBIGUOUS_MONTHS and not _is_capitalised(word):
        return None
    month = _month_number(word)
    if needs_number and bare in _AMBIGUOUS_MONTHS:
        return None
    return month


def _day_of(token: str) -> int:
    return int(re.sub(r"\D", "", token))


def _year_of(token: str | None) -> int | None:
    return int(token) if token else None


def _h_md(c: _Ctx, prefix: str) -> _Resolved | None:
    month = _month_of(c.g(f"{prefix}_m") or "")
    if month is None:
        return None
    year = _year_of(c.g(f"{prefix}_y"))
    day = _month_day(month, _day_of(c.g(f"{prefix}_d") or ""), year, c.pub, c.direction())
    if day is None:
        return None
    rule = "month_day_year" if year else "month_day"
    if prefix == "dm":
        rule = "day_month_year" if year else "day_month"
    return DateSpan.day(day), rule, c.m.start()


def _h_day_range(c: _Ctx, prefix: str) -> _Resolved | None:
    month = _month_of(c.g(f"{prefix}_m") or "")
    if month is None:
        return None
    first_tok = c.g(f"{prefix}_a") or c.g(f"{prefix}_b") or c.g(f"{prefix}_f") or ""
    first, last = _day_of(first_tok), _day_of(c.g(f"{prefix}_d") or "")
    if first >= last:
        return None
    year = _year_of(c.g(f"{prefix}_y"))
    end = _month_day(month, last, year, c.pub, c.direction())
    if end is None:
        return None
    start = _safe_date(end.year, month, first)
    if start is None:
        return None
    return DateSpan(start, end), "day_range", c.m.start()


def _h_iso(c: _Ctx) -> _Resolved | None:
    day = _safe_date(int(c.g("iso_y") or 0), int(c.g("iso_m") or 0), int(c.g("iso_d") or 0))
    return (DateSpan.day(day), "iso_date", c.m.start()) if day else None


def _h_numeric(c: _Ctx) -> _Resolved | None:
    a, b, year = int(c.g("num_a") or 0), int(c.g("num_b") or 0), int(c.g("num_y") or 0)
    options = {d for d in (_safe_date(year, b, a), _safe_date(year, a, b)) if d is not None}
    if not options:
        return None
    # Both readings valid (06/12/2024): take the one nearer publication, preferring the past.
    day = min(options, key=lambda d: (d > c.pub + timedelta(days=1), abs((d - c.pub).days)))
    return DateSpan.day(day), "numeric_date", c.m.start()


def _h_numeric_short(c: _Ctx) -> _Resolved | None:
    """ "since 27/11": a day and a month without a year, the reading (day first, then month first) that falls
    within two months before publication (or a day after); "24/7" or "3/4 of them" fit none and are no date."""
    a, b = int(c.g("ns_a") or 0), int(c.g("ns_b") or 0)
    options = []
    for year in (c.pub.year, c.pub.year - 1):
        for order, d in enumerate((_safe_date(year, b, a), _safe_date(year, a, b))):
            if d is not None and c.pub - timedelta(days=62) <= d <= c.pub + timedelta(days=1):
                options.append((order, d))
    if not options:
        return None
    return DateSpan.day(min(options)[1]), "numeric_date", c.m.start()


def _h_month_year(c: _Ctx) -> _Resolved | None:
    month = _month_of(c.g("my_m") or "")
    if month is None:
        return None
    span = _month_span(month, int(c.g("my_y") or 0))
    qualifier = c.g("my_q")
    if qualifier:
        span = _part_of_month(qualifier, span)
    return span, "month_year", c.m.start()


_MONTH_PART_WORDS = {
    "end of": "late",
    "end": "late",
    "beginning of": "early",
    "start of": "early",
    "start": "early",
    "middle of": "mid",
}


def _h_month(c: _Ctx) -> _Resolved | None:
    word = c.g("mon_m") or ""
    month = _month_of(word, needs_number=True)
    if month is None or word.rstrip(".").lower() in _AMBIGUOUS_MONTHS:
        return None
    prep = " ".join((c.g("mon_p") or "").lower().split())
    prep = _MONTH_PART_WORDS.get(prep.removeprefix("the "), prep)
    direction: Direction = "future" if prep == "next" else c.direction()
    if prep == "last":
        direction = "past"
    span = _month_in_direction(month, c.pub, direction)
    if prep == "last" and span.earliest is not None and span.earliest.month == c.pub.month:
        span = _month_span(month, c.pub.year - 1)
    if prep in ("early", "mid", "late", "early in", "late in"):
        span = (
            _clip_to(_part_of_month(prep, _month_span(month, span.earliest.year)), c.pub) if (span.earliest) else span
        )
    start = c.m.start("mon_m") if prep in ("in", "during", "by", "until", "from", "through") else c.m.start()
    return span, "month", start


def _h_weekday(c: _Ctx) -> _Resolved | None:
    word = c.g("wd_d") or ""
    # Weekday names are never ordinary words, so lower-case ones (social-media posts) count too.
    before = c.text[max(0, c.m.start() - 12) : c.m.start()].split()
    if before and before[-1].lower() in _WEEKDAY_NAME_PREFIX and not c.g("wd_p"):
        return None
    weekday = _WEEKDAYS[word.lower()]
    prep = " ".join((c.g("wd_p") or "").lower().split())
    pub = c.pub
    if prep in ("last", "this past"):
        day, rule = _weekday_on_or_before(pub - timedelta(days=1), weekday), "weekday.last"
    elif prep == "next":
        day, rule = _weekday_on_or_after(pub + timedelta(days=1), weekday), "weekday.next"
    elif prep in ("this coming", "coming"):
        day, rule = _weekday_on_or_after(pub, weekday), "weekday.next"
    elif prep == "this":
        # The day of the publication's Monday-to-Sunday week.
        day, rule = pub - timedelta(days=pub.weekday()) + timedelta(days=weekday), "weekday.this"
    else:
        direction = c.direction()
        if direction == "future":
            day, rule = _weekday_on_or_after(pub, weekday), "weekday.future"
        elif direction == "nearest":
            past, future = _weekday_on_or_before(pub, weekday), _weekday_on_or_after(pub, weekday)
            day, rule = (past if pub - past <= future - pub else future), "weekday.deadline"
        else:
            day, rule = _weekday_on_or_before(pub, weekday), "weekday"
    if prep in ("overnight into", "overnight to"):
        # the night that ends on that day
        return DateSpan(day - timedelta(days=1), day), "weekday.overnight", c.m.start()
    return DateSpan.day(day), rule, c.m.start()


def _h_year(c: _Ctx) -> _Resolved | None:
    prep = (c.g("yr_p") or "").lower()
    qualifier = c.g("yr_q")
    if not prep and not qualifier:
        return None  # a bare four-digit number is as likely a count as a year
    year = int(c.g("yr_y") or 0)
    if year > c.pub.year + 10:
        return None
    second = c.g("yr_y2")
    if second:
        last = int(second)
        if not year < last <= year + 50:
            return None
        span = DateSpan(date(year, 1, 1), date(last, 12, 31))
        rule = "year_range"
    else:
        span = _part_of_year(qualifier, year)
        rule = "year_part" if qualifier else "year"
    start = c.m.start("yr_q") if qualifier else c.m.start("yr_y")
    if prep == "since" and span.earliest is not None and span.earliest <= c.pub:
        return DateSpan(span.earliest, c.pub), "since", c.m.start()
    if second and prep in ("between", "from"):
        start = c.m.start()
    # Other prepositions ("from 2011 to 2015") are left outside so the post-pass can join the ends.
    return _clip_to(span, c.pub), rule, start


def _h_decade(c: _Ctx) -> _Resolved | None:
    first = int(c.g("decade_y") or 0)
    if first > c.pub.year:
        return None
    span = DateSpan(date(first, 1, 1), date(first + 9, 12, 31))
    q = (c.g("decade_q") or "").lower()
    if q.startswith("early"):
        span = DateSpan(date(first, 1, 1), date(first + 3, 12, 31))
    elif q.startswith("mid"):
        span = DateSpan(date(first + 3, 1, 1), date(first + 6, 12, 31))
    elif q.startswith("late"):
        span = DateSpan(date(first + 6, 1, 1), date(first + 9, 12, 31))
    return _clip_to(span, c.pub), "decade", c.m.start()


def _h_ago(c: _Ctx) -> _Resolved | None:
    count = _number(c.g("ago_n") or "")
    if count is None:
        return None
    if (c.g("ago_u") or "").lower() == _HOUR:
        # hours back from publication: the day they reach into
        back = (count[1] + 23) // 24 if count[1] >= 24 else 0
        return DateSpan.day(c.pub - timedelta(days=back)), "ago.hours", c.m.start()
    unit = _UNIT_DAYS[(c.g("ago_u") or "day").lower()]
    low, high = count[0] * unit, count[1] * unit
    q = " ".join((c.g("ago_q") or "").lower().split())
    pub = c.pub
    if q in ("less than", "under", "just"):
        return DateSpan(pub - timedelta(days=high), pub), "ago.within", c.m.start()
    if q in ("more than", "over"):
        return DateSpan(None, pub - timedelta(days=low)), "ago.before", c.m.start()
    if unit >= 30 or low != high or q in ("about", "around", "nearly", "almost"):
        slack = max(1, high // 7) if unit < 30 else unit // 4
        return (
            DateSpan(pub - timedelta(days=high + slack), pub - timedelta(days=max(low - slack, 0))),
            "ago.approx",
            c.m.start(),
        )
    return DateSpan.day(pub - timedelta(days=low)), "ago", c.m.start()


def _h_duration(c: _Ctx) -> _Resolved | None:
    count = _number(c.g("dur_n") or "")
    if count is None:
        return None
    unit_word = (c.g("dur_u") or "day").lower()
    days = -(-count[1] // 24) if unit_word == _HOUR else count[1] * _UNIT_DAYS[unit_word]
    prep = " ".join((c.g("dur_p") or "").lower().split())
    if "over" in prep.split()[1:] or "more than" in prep:
        # "in a little over a week": a quarter more, at least a day
        days += max(1, round(days * 0.25))
    pub = c.pub
    if c.direction() == "future":
        if prep == "in":
            return DateSpan.day(pub + timedelta(days=days)), "duration.ahead", c.m.start()
        return DateSpan(pub, pub + timedelta(days=days)), "duration.ahead", c.m.start()
    return DateSpan(pub - timedelta(days=days), pub), "duration.back", c.m.start()


def _h_vague(c: _Ctx) -> _Resolved | None:
    w = " ".join((c.g("vague_w") or "").lower().split())
    pub = c.pub
    if "coming" in w or "next" in w:
        back, ahead = 0, 7 if "days" in w else 28
        return DateSpan(pub, pub + timedelta(days=ahead)), "recent.ahead", c.m.start()
    if w.endswith("hours"):
        return DateSpan.day(pub), "recent.hours", c.m.start()
    if w.endswith("fortnight"):
        back = 14
    elif w == "recently":
        back = 7
    elif "months" in w:
        back = 120
    elif "weeks" in w:
        back = 28
    else:
        back = 5
    return DateSpan(pub - timedelta(days=back), pub), "recent", c.m.start()


def _h_week(c: _Ctx) -> _Resolved | None:
    prep = " ".join((c.g("wk_p") or "").lower().split())
    unit = (c.g("wk_u") or "").lower()
    pub = c.pub
    monday = pub - timedelta(days=pub.weekday())
    rule = f"{unit}.{prep.replace(' ', '_')}"
    span: DateSpan | None = None
    if prep == "this past" and unit != "weekend":
        prep = "the past"  # "this past week": the seven days to publication
    if unit == "weekend":
        if (prep in ("next", "this") and c.direction() == "future") or prep == "next":
            sat = _weekday_on_or_after(pub, 5)
            span = DateSpan(sat, sat + timedelta(days=1))
        elif prep == "last" and pub.weekday() >= 5:
            sat = _weekday_on_or_before(pub, 5) - timedelta(days=7)
            span = DateSpan(sat, sat + timedelta(days=1))
        else:
            sat = _weekday_on_or_before(pub, 5) if pub.weekday() != 6 else pub - timedelta(days=1)
            span = _clip_to(DateSpan(sat, sat + timedelta(days=1)), pub)
    elif unit == "week":
        if prep == "this" and c.direction() == "future":
            span = DateSpan(pub, monday + timedelta(days=6))
        elif prep in ("this", "earlier in the"):
            span = DateSpan(monday, pub)
        elif prep == "earlier this":
            span = DateSpan(min(monday, pub - timedelta(days=1)), pub - timedelta(days=1))
        elif prep in ("later this", "later in the"):
            span = DateSpan(pub, monday + timedelta(days=6))
        elif prep in ("last", "early last", "late last"):
            span = DateSpan(monday - timedelta(days=7), monday - timedelta(days=1))
        elif prep in ("next", "early next", "late next"):
            span = DateSpan(monday + timedelta(days=7), monday + timedelta(days=13))
        elif prep in ("the past", "over the"):
            span = DateSpan(pub - timedelta(days=7), pub)
    elif unit == "month":
        first = pub.replace(day=1)
        if prep == "this" and c.direction() == "future":
            month_end = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            span = DateSpan(pub, month_end)
        elif prep in ("this", "earlier in the"):
            span = DateSpan(first, pub)
        elif prep == "earlier this":
            span = DateSpan(min(first, pub - timedelta(days=1)), pub - timedelta(days=1))
        elif prep in ("last", "early last", "late last"):
            prev_last = first - timedelta(days=1)
            span = _month_span(prev_last.month, prev_last.year)
            if prep != "last":
                span = _part_of_month(prep.split()[0], span)
        elif prep in ("next", "early next", "late next"):
            nxt = first + timedelta(days=32)
            span = _month_span(nxt.month, nxt.year)
        elif prep in ("the past", "over the"):
            span = DateSpan(pub - timedelta(days=30), pub)
    elif unit == "year":
        if prep == "this" and c.direction() == "future":
            span = DateSpan(pub, date(pub.year, 12, 31))
        elif prep in ("this", "earlier in the"):
            span = DateSpan(date(pub.year, 1, 1), pub)
        elif prep == "earlier this":
            span = DateSpan(date(pub.year, 1, 1), max(date(pub.year, 1, 1), pub - timedelta(days=1)))
        elif prep in ("last", "early last", "late last"):
            span = _part_of_year(prep.split()[0] if prep != "last" else None, pub.year - 1)
        elif prep == "next":
            span = DateSpan(date(pub.year + 1, 1, 1), date(pub.year + 1, 12, 31))
        elif prep in ("the past", "over the"):
            span = DateSpan(pub - timedelta(days=365), pub)
    if span is None:
        return None
    return span, rule, c.m.start()


def _h_relative(c: _Ctx) -> _Resolved | None:
    w = " ".join((c.g("rel_w") or "").lower().split())
    pub = c.pub
    if w == "today":
        word = c.g("rel_w") or ""
        prev = c.text[max(0, c.m.start() - 8) : c.m.start()].split()
        # "USA Today", "Russia Today": a capitalised Today after a capitalised word is a name
        if word[:1].isupper() and prev and prev[-1][:1].isupper() and not prev[-1].endswith((".", ":")):
            return None
    if w.startswith("the day before yesterday"):
        return DateSpan.day(pub - timedelta(days=2)), "relative.day_before_yesterday", c.m.start()
    if w.startswith("yesterday"):
        return DateSpan.day(pub - timedelta(days=1)), "relative.yesterday", c.m.start()
    if w in ("overnight", "last night", "during the night", "in the night"):
        # The night before publication straddles midnight.
        return DateSpan(pub - timedelta(days=1), pub), "relative.overnight", c.m.start()
    if w.startswith("the day after tomorrow"):
        return DateSpan.day(pub + timedelta(days=2)), "relative.day_after_tomorrow", c.m.start()
    if w.startswith("tomorrow"):
        return DateSpan.day(pub + timedelta(days=1)), "relative.tomorrow", c.m.start()
    return DateSpan.day(pub), "relative.today", c.m.start()


# A mention resolved against the date written before it rather than the publication date; _combine
# replaces the placeholder span.
_PREVIOUS_RULE = "relative_to_previous"


def _h_previous(c: _Ctx) -> _Resolved | None:
    w = " ".join((c.g("prev_w") or "").lower().split())
    if c.g("prev_n"):
        count = _number(c.g("prev_n") or "")
        if count is None:
            return None
        days = count[1] * _UNIT_DAYS[(c.g("prev_u") or "day").lower()]
        shift = -days if (c.g("prev_d") or "").lower() in ("earlier", "before") else days
    elif "week" in w:
        # "the previous weekend", "the week before": the whole weekend (week) before the date written before it
        return DateSpan(None, None), f"{_PREVIOUS_RULE}:{'weekend' if 'weekend' in w else 'week'}", c.m.start()
    elif "previous" in w or "before" in w:
        shift = -1
    elif "next" in w or "following" in w or "after" in w:
        shift = 1
    else:
        shift = 0  # the same day, that night
    return DateSpan(None, None), f"{_PREVIOUS_RULE}:{shift}", c.m.start()


def _h_nth(c: _Ctx) -> _Resolved | None:
    day_no = _day_of(c.g("nth_d") or "")
    pub = c.pub
    direction = c.direction()
    prep = (c.g("nth_p") or "").lower()
    if prep in ("by", "until", "before"):
        direction = "nearest"
    candidates = []
    for shift in (-2, -1, 0, 1, 2):
        y, mth = divmod(pub.month - 1 + shift, 12)
        d = _safe_date(pub.year + y, mth + 1, day_no)
        if d is not None:
            candidates.append(d)
    past = [d for d in candidates if d <= pub]
    future = [d for d in candidates if d >= pub]
    if direction == "future" and future:
        day = future[0]
    elif direction == "nearest" and candidates:
        day = min(candidates, key=lambda d: abs((d - pub).days))
    elif past:
        day = past[-1]
    else:
        return None
    start = c.m.start() if prep in ("since", "from") else c.text.rfind("the", c.m.start(), c.m.start("nth_d"))
    return DateSpan.day(day), "day_of_month", start


def _h_clock(c: _Ctx) -> _Resolved | None:
    hour = int(c.g("clock_h") or 0)
    minute_tok, zone_tok, ampm = c.g("clock_m"), c.g("clock_z"), c.g("clock_ap")
    sep = c.g("clock_sep")
    if ampm:
        if hour == 0 or hour > 12:
            return None
        hour = hour % 12 + (12 if ampm.lower().startswith("p") else 0)
    elif minute_tok is None:
        return None  # a bare number
    elif not sep and not zone_tok:
        return None  # "1400" with no zone is as likely a count
    elif sep == "." and not zone_tok:
        return None  # "12.30" with no zone is as likely a decimal
    elif not zone_tok and not c.g("clock_p"):
        # A bare "18:20" is a time only where live blogs put their entry times: opening a line or
        # followed by a dash.
        line_start = c.text[: c.m.start()].rstrip(" \t*#>-").endswith("\n") or not c.text[: c.m.start()].strip()
        dashed = re.match(r"\s*[—–-]", c.text[c.m.end() :]) is not None
        if not (line_start or dashed):
            return None
    minute = int(minute_tok or 0)
    offset: int | None = None
    if zone_tok:
        z = " ".join(zone_tok.lower().split())
        sign = re.search(r"([+-])\s*(\d{1,2})(?::?(\d\d))?$", z)
        if sign and z.startswith(("gmt", "utc")):
            offset = (int(sign[2]) * 60 + int(sign[3] or 0)) * (1 if sign[1] == "+" else -1)
        else:
            offset = _ZONES.get(z)
        if offset is None and not z.endswith("time"):
            return None
    day = c.pub
    if c.instant is not None:
        clock = datetime(c.pub.year, c.pub.month, c.pub.day, hour, minute, tzinfo=UTC)
        if offset is not None:
            clock -= timedelta(minutes=offset)
            later = clock > c.instant
        else:
            later = clock > c.instant + _UNKNOWN_ZONE_SLACK
        if later:
            day = c.pub - timedelta(days=1)  # an entry timed after publication is from the day before
    start = c.m.start("clock_h")
    return DateSpan.day(day), "clock_time", start


def _h_range_md(c: _Ctx) -> _Resolved | None:
    return _h_day_range(c, "rmd")


def _h_range_dm(c: _Ctx) -> _Resolved | None:
    return _h_day_range(c, "rdm")


_HANDLERS = {
    "rdm": _h_range_dm,
    "rmd": _h_range_md,
    "iso": _h_iso,
    "num": _h_numeric,
    "numshort": _h_numeric_short,
    "md": lambda c: _h_md(c, "md"),
    "dm": lambda c: _h_md(c, "dm"),
    "my": _h_month_year,
    "mon": _h_month,
    "wd": _h_weekday,
    "yr": _h_year,
    "decade": _h_decade,
    "ago": _h_ago,
    "dur": _h_duration,
    "vague": _h_vague,
    "wk": _h_week,
    "rel": _h_relative,
    "nth": _h_nth,
    "prev": _h_previous,
    "clock": _h_clock,
}


# --- the public entry points ----------------------------------------------------------------------


def find_dates(text: str, published: date | datetime) -> list[DateMention]:
    """All date expressions in a text, resolved against the publication date, in order, not overlapping."""
    if not text or not isinstance(text, str):
        return []
    pub, instant = _pub_parts(published)
    # Matching runs on the lower-cased text without IGNORECASE (2-3 times faster); handlers read the
    # original text at the same offsets, so capitalisation checks still see what was written.
    low = text.lower()
    if len(low) != len(text):  # a few letters change length when lower-cased; keep offsets true
        low, combined, anchors = text, _COMBINED_ANYCASE, _ANCHOR_ANYCASE
    else:
        combined, anchors = _COMBINED, _ANCHOR
    found: list[DateMention] = []
    pos = 0
    for anchor in anchors.finditer(low):
        if anchor.end() <= pos:
            continue
        # Speed: the combined pattern is tried only at the few word starts just before a word every date
        # expression contains, not at every word of the text.
        window = max(pos, anchor.start() - _ANCHOR_BEFORE)
        starts = [w.start() for w in _STARTER.finditer(low, window, anchor.start())]
        starts.append(anchor.start())
        for at in starts:
            m = combined.match(low, at)
            if m is None:
                continue
            handler = _HANDLERS.get(m.lastgroup or "")
            try:
                resolved = handler(_Ctx(text, m, pub, instant)) if handler else None
            except (ValueError, OverflowError):
                # date arithmetic beyond year 1..9999 ("999 years ago" read in year 500): not a usable date
                resolved = None
            if resolved is None:
                continue  # not a date after all ("may 5 times"); a later start may still hold one
            span, rule, start = resolved
            end = m.end()
            while end > start and text[end - 1] in " \t\n,":
                end -= 1
            found.append(DateMention(text[start:end], start, end, span, rule))
            pos = m.end()
            break
    return _combine(text, found, pub)


def resolve_date(expression: str, published: date | datetime) -> DateSpan | None:
    """The day or range one date expression names ("on Friday", "Nov. 27", "last week"), or None."""
    mentions = find_dates(expression, published)
    return mentions[0].span if mentions else None


def _combine(text: str, mentions: list[DateMention], pub: date) -> list[DateMention]:
    """Join mentions that the words between them make one expression: ranges, "since", weekday + date."""
    out: list[DateMention] = []
    i = 0
    while i < len(mentions):
        cur = mentions[i]
        if cur.rule.startswith(_PREVIOUS_RULE):
            # "two days earlier", "late the same night": counted from the last date written before it;
            # with none, the text does not say which day, so it is not a mention
            base = out[-1].span.latest if out else None
            i += 1
            unit = cur.rule.rsplit(":", 1)[1]
            if base is not None and unit in ("week", "weekend"):
                # the Saturday and Sunday (the Monday-to-Sunday week) wholly before the base day
                wd = base.weekday()
                if unit == "weekend":
                    sat = base - timedelta(days=wd - 5 + 7) if wd >= 5 else base - timedelta(days=wd + 2)
                    span = DateSpan(sat, sat + timedelta(days=1))
                else:
                    monday = base - timedelta(days=wd + 7)
                    span = DateSpan(monday, monday + timedelta(days=6))
                out.append(DateMention(cur.text, cur.start, cur.end, span, _PREVIOUS_RULE))
                continue
            if base is not None:
                shift = int(unit)
                try:
                    day = base + timedelta(days=shift)
                except OverflowError:
                    continue
                out.append(DateMention(cur.text, cur.start, cur.end, DateSpan.day(day), _PREVIOUS_RULE))
            continue
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        prev_end = out[-1].end if out else 0
        before_start = max(prev_end, cur.start - _CONTEXT_CHARS)
        before = text[before_start : cur.start]
        if nxt is not None:
            between = text[cur.end : nxt.start]
            opener = _RANGE_OPEN.search(before)
            joined: DateMention | None = None
            if (
                cur.rule in ("month_day", "day_month")
                and nxt.rule in ("year.last", "year.this")
                and _DATE_THEN_YEAR.match(between)
                and cur.span.exact is not None
            ):
                # "on Nov. 27 last year": the year word fixes the year
                year = pub.year - 1 if nxt.rule == "year.last" else pub.year
                fixed = _safe_date(year, cur.span.exact.month, cur.span.exact.day)
                if fixed is not None:
                    joined = DateMention(
                        text[cur.start : nxt.end], cur.start, nxt.end, DateSpan.day(fixed), f"{cur.rule}_year"
                    )
            elif (
                cur.rule == "clock_time"
                and nxt.span.exact
                and nxt.rule != "clock_time"
                and _CLOCK_THEN_DAY.match(between)
            ):
                # "at 5 p.m. on Sunday": the day is Sunday, not the publication day
                joined = DateMention(text[cur.start : nxt.end], cur.start, nxt.end, nxt.span, "clock_day")
            elif (
                nxt.rule == "clock_time"
                and cur.span.exact
                and cur.rule != "clock_time"
                and _DAY_THEN_CLOCK.match(between)
            ):
                # "7 December 2024 at 10:00 CET", "Friday, 14:05"
                joined = DateMention(text[cur.start : nxt.end], cur.start, nxt.end, cur.span, "day_clock")
            elif cur.rule.startswith("weekday") and _WEEKDAY_THEN_DATE.match(between) and nxt.span.exact:
                # "Friday, Dec. 6" / "Friday 6 December": the date says which Friday, and the weekday
                # which year when the date has none
                span = _weekday_fixes_year(cur, nxt, pub)
                joined = DateMention(text[cur.start : nxt.end], cur.start, nxt.end, span, "weekday_date")
            elif opener and (
                (opener["w"].lower() == "between" and _RANGE_JOIN_BETWEEN.match(between))
                or (opener["w"].lower() == "from" and _RANGE_JOIN_FROM.match(between))
            ):
                joined = _range(text, cur, nxt, before_start + opener.start())
            elif _RANGE_JOIN_BARE.match(between) and cur.span.exact and nxt.span.exact:
                joined = _range(text, cur, nxt, cur.start)
            if joined is not None:
                out.append(joined)
                i += 2
                continue
        morning = out[-1].span.exact if out and cur.rule == "relative.overnight" else None
        if morning is not None and morning > date.min:
            prev = out[-1]
            if _MORNING.search(prev.text) and not _CLAUSE_END.search(text[prev.end : cur.start].replace(";", ",")):
                # "ordered out on Sunday morning ... had fallen during the night": the night before that morning
                night = DateSpan(morning - timedelta(days=1), morning)
                cur = DateMention(cur.text, cur.start, cur.end, night, cur.rule)
        lead = _DAYS_TO.search(before)
        if lead is not None and cur.span.exact is not None:
            count = _number(lead["n"] or "1")
            if count is not None:
                days = count[1] * _UNIT_DAYS[lead["u"].lower()]
                start = before_start + lead.start()
                try:
                    span = DateSpan(cur.span.exact - timedelta(days=days - 1), cur.span.exact)
                except OverflowError:  # a span reaching before year 1
                    span = cur.span
                out.append(DateMention(text[start : cur.end], start, cur.end, span, "days_to"))
                i += 1
                continue
        since = _SINCE.search(before)
        if since is not None and cur.span.earliest is not None and cur.span.earliest <= pub:
            start = before_start + since.start()
            cur = DateMention(text[start : cur.end], start, cur.end, DateSpan(cur.span.earliest, pub), "since")
        out.append(cur)
        i += 1
    return out


def _weekday_fixes_year(weekday: DateMention, dated: DateMention, pub: date) -> DateSpan:
    day = dated.span.exact
    if day is None or dated.rule not in ("month_day", "day_month"):
        return dated.span
    name = next((w for w in re.findall(r"[a-z]+", weekday.text.lower()) if w in _WEEKDAYS), None)
    if name is None:
        return dated.span
    fits = [
        d
        for y in (pub.year - 1, pub.year, pub.year + 1)
        if (d := _safe_date(y, day.month, day.day)) is not None and d.weekday() == _WEEKDAYS[name]
    ]
    return DateSpan.day(min(fits, key=lambda d: abs((d - pub).days))) if fits else dated.span


def _range(text: str, first: DateMention, last: DateMention, start: int) -> DateMention | None:
    try:
        return _range_unchecked(text, first, last, start)
    except OverflowError:  # a weekday range at the very edge of the calendar
        return None


def _range_unchecked(text: str, first: DateMention, last: DateMention, start: int) -> DateMention | None:
    lo, hi = first.span.earliest, last.span.latest
    if lo is None or hi is None:
        return None
    yearless = ("month_day", "day_month", "weekday", "day_of_month")
    if lo > hi and last.rule in yearless and first.rule not in ("weekday", "day_of_month"):
        # "from 27 November to 8 December" read on 6 December: each end alone falls back to its most
        # recent past, but a range runs forward from its start, into the future if need be.
        hi = _safe_date(hi.year + 1, hi.month, hi.day) if last.rule != "weekday" else hi + timedelta(days=7)
    elif lo > hi and first.rule in yearless:
        lo = _safe_date(lo.year - 1, lo.month, lo.day) if first.rule != "weekday" else lo - timedelta(days=7)
    if lo is None or hi is None or lo > hi or (hi - lo).days > 366 * 50:
        return None
    return DateMention(text[start : last.end], start, last.end, DateSpan(lo, hi), "range")
