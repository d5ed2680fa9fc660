"""Dates relative to a document's publication date.

Two jobs live here:

* `parse_published` reads a publication date or timestamp as inputs carry it (a seed file's date line, a JSON
  document's ``date``, an RSS ``pubDate``, a Telegram export's ``date``) and returns a UTC datetime with its
  precision ("day" or "time").
* `find_dates` / `resolve_date` resolve the date expressions newsrooms write ("on Friday", "Nov. 27",
  "since the offensive began on Nov. 27", "earlier this week", "14:05 GMT") against the publication date.

Only the standard library is used: general-purpose parsers such as dateparser get weekday anchoring and
abbreviated months wrong inside sentences and cost milliseconds per sentence (RESOURCES.md), while the
extractor runs this on every sentence.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal

Precision = Literal["day", "time"]

_MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
# Abbreviations as news styles write them ("Sept." is AP style, "Sep" most others).
_MONTH_ABBR: dict[str, int] = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}


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
_PUB_WEEKDAY_PREFIX = re.compile(
    r"^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE
)


def parse_published(value: str) -> tuple[datetime, Precision]:
    """Parse a publication date or timestamp into (aware UTC datetime, precision).

    Precision is "day" for a date-only value (the datetime is 00:00 UTC that day, which is also when a
    date-only document counts as known) and "time" for a timestamp. Naive timestamps are UTC (Telegram
    Desktop exports write them so). Raises ValueError when the value is not a date.
    """
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
        ts = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        ts = None
    if ts is not None:
        return _to_utc(ts), "time"
    raise ValueError(f"not a recognised publication date: {value!r}")


def _day_start(year: int, month: int, day: int, original: str) -> datetime:
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError as exc:
        raise ValueError(f"impossible date in {original!r}: {exc}") from exc


def _to_utc(ts: datetime) -> datetime:
    if ts.tzinfo is None:
        return ts.replace(tzinfo=UTC)
    return ts.astimezone(UTC)
