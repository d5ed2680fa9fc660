"""When: the date of an event, of a log line, of a speaker's words."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sitroom.extract.drafts import DocState, Frame, StepBase
from sitroom.extract.patterns import (
    _BACKGROUND_DATE,
    _BULLET,
    _CLAUSE_BREAK,
    _DATE_LABEL_GAP,
    _DAYS_AFTER,
    _NIGHT,
    _PERFECT,
    _PERFECT_BEFORE,
    _PRESENT_TRIGGER,
    _RETROSPECT_DAYS,
    _RETROSPECT_MIN_DAYS,
    _SPAN_WORDS,
    PAST_EVENTS,
    _in_relative_clause,
    _year_only,
)
from sitroom.extract.text import Sentence
from sitroom.model import DateSpan


class DateStep(StepBase):
    """When: a step of `RulesExtractor`."""

    def _event_date(self, st: DocState, sent: Sentence, group: Any, ts: int, te: int, lo: int, hi: int,
                    frame: Frame | None, stance: str, etype: str) -> tuple[DateSpan, bool, str]:  # fmt: skip
        """The event's date, whether it is a default range back from the report, and how it was found."""
        if stance == "hypothetical" or st.pub is None:
            return DateSpan(None, None), False, "no date: " + ("hypothetical" if st.pub else "the report has none")
        text = st.text
        region = frame.region if frame else (0, 0)
        ds = [d for d in self._in(st, sent.start, sent.end, "dates") if not (region[0] <= d.start < region[1])]
        ds = [d for d in ds if not _BACKGROUND_DATE.search(text[max(sent.start, d.start - 70) : d.start] + " ")
              or d.start > te]  # fmt: skip
        ds = [d for d in ds if not _BACKGROUND_DATE.search(text[max(sent.start, d.start - 70) : d.end])]
        ds = [d for d in ds if not _in_relative_clause(text, sent.start, d.start, ts)]
        if len(ds) > 1:
            precise = [d for d in ds if not _year_only(d)]
            ds = precise or ds
        speech = self._speech_date(st, sent, frames_region=region)
        said = speech or DateSpan.day(st.pub)
        if said.latest is None:
            said = DateSpan.day(st.pub)
        said_how = "the day it was said" if speech is not None and said is speech else "the report's day"
        if ds and all(d.rule.startswith("relative.") for d in ds) and self._looks_back(st):
            ds = []  # "overnight", "yesterday" in a retrospective are told from the narrative's day, not today's
        same_clause = [d for d in ds if not _CLAUSE_BREAK.search(text[min(d.end, te) : max(d.start, ts)])]
        ds = same_clause or ds
        night = _NIGHT.search(text, te, sent.end) or _NIGHT.search(text, max(sent.start, ts - 40), ts)
        if night is not None and not any(d.start <= night.start() < d.end for d in ds):
            told = None if ds else self._narrative_date(st, sent)
            anchor = next((d.span.exact for d in ds if d.span.exact), None) or (told and told.latest)
            anchor = anchor or said.latest or st.pub
            return DateSpan(anchor - timedelta(days=1), anchor), False, f"'{night.group(0)}': the night before {anchor}"
        if not ds:
            label = self._line_date(st, sent)
            if label is not None:
                return (
                    label,
                    False,
                    "the date that heads its line",
                )  # "Nov 30 - Aleppo falls. Maarat al-Numan taken.": the line's date
            told = self._narrative_date(st, sent)
            if told is not None:
                return told, False, "the day the narrative had reached (a retrospective)"
        if ds:
            after = [d for d in ds if d.start >= te and not _CLAUSE_BREAK.search(text[te : d.start])]
            inside = [d for d in ds if lo <= d.start < hi]
            pick = after[0] if after else min(inside or ds, key=lambda d: abs(d.start - ts))
            span = pick.span
            if pick.rule.startswith("since") or pick.text.lower().startswith("since"):
                if group.change or etype == "territory_captured":
                    # "under opposition control since 30 Nov": held since then, so taken then
                    return (
                        DateSpan.day(span.earliest) if span.earliest else span,
                        False,
                        f"'{pick.text}': held since, so taken then",
                    )
                return DateSpan(span.earliest, said.latest), False, f"'{pick.text}' up to when it was said"
            return span, False, f"'{pick.text}' in the clause"
        before_news = _DAYS_AFTER.search(text, max(sent.start, ts - 40), ts)
        if before_news is not None and said.latest is not None and etype in PAST_EVENTS:
            # "days after taking Aleppo, rebels pushed on": an earlier event the news builds on, not news of the day
            unit = before_news.group("unit").lower()
            back = 1 if unit.startswith(("hour", "day")) else 7 if unit.startswith("week") else 30
            far = {"hour": 2, "day": 14, "week": 60, "month": 365}.get(unit.rstrip("s"), 30)
            back_span = DateSpan(said.latest - timedelta(days=far), said.latest - timedelta(days=back))
            return back_span, False, f"'{before_news.group(0)}': before the news"
        if _PRESENT_TRIGGER.match(text[ts:te]):
            return (
                said,
                False,
                f"present tense: {said_how}",
            )  # "Rebels seize Dar'a": a headline or live entry in the present tense is news of the day
        perfect = _PERFECT.match(text[ts:te]) or _PERFECT_BEFORE.search(text[max(sent.start, ts - 30) : ts])
        if perfect and not _SPAN_WORDS.search(text, sent.start, sent.end):
            return (
                said,
                False,
                f"present perfect: {said_how}",
            )  # "the airport has been taken over": the present perfect is news of the day
        if (
            group.state
            or etype in ("advance", "statement")
            or (stance in ("denied", "announced") and group.change is False)
        ):
            return said, False, said_how
        if stance in ("denied", "announced"):
            return said, False, said_how
        if etype in PAST_EVENTS:
            if speech is not None and speech.exact and frame is not None and etype != "offensive":
                return speech, False, "the day it was said"
            return DateSpan(None, said.latest), True, "no day named: up to the report's day"
        return said, False, said_how

    def _narrative_date(self, st: DocState, sent: Sentence) -> DateSpan | None:
        """In a retrospective (a report whose every dated event lies days or months before it was published: a
        timeline, a digest, a year in review), a sentence without a date of its own is told at the time the
        paragraph reached: the last day named before it in the paragraph ("On 29 November rebels entered
        Aleppo. Government troops withdrew from Saraqib."). News of the day never reaches here: its dates run
        up to its publication."""
        if not self._looks_back(st):
            return None
        para = max(st.text.rfind("\n\n", 0, sent.start), st.text.rfind("\n", 0, sent.start) if st.roundup else -1)
        before = [d for d in self._in(st, para + 1, sent.start, "dates") if d.span.exact]
        if not before or before[-1].span.exact is None:
            return None
        return DateSpan.day(before[-1].span.exact)  # ("the next day" is a date of its own: sitroom.time)

    def _looks_back(self, st: DocState) -> bool:
        """Whether the report looks back: every day it dates an event to lies days or more before publication."""
        if st.pub is None:
            return False
        latest = st.latest_told
        if latest is None:
            days = {d.span.exact for d in st.dates if d.span.exact is not None}
            # a chronology names several days; news naming one earlier day ("the offensive began on 27
            # November") is still news of the day
            latest = max(days) if len(days) >= _RETROSPECT_MIN_DAYS else st.pub
            st.latest_told = latest
        return (st.pub - latest).days > _RETROSPECT_DAYS

    def _line_date(self, st: DocState, sent: Sentence) -> DateSpan | None:
        """A chronology's or a log's line label ("Nov 30 - ", "Dec 2-4 — ", "30 November:") dates every
        sentence of its line (a label after publication is no date of the past)."""
        if st.tables and (in_row := self._row_date(st, sent)) is not None:
            return in_row  # an incident log's row: its date column ("01/12 | Idlib city | ...")
        text = st.text
        line_lo = text.rfind("\n", 0, sent.start) + 1
        for d in self._in(st, line_lo, sent.end, "dates"):
            if _BULLET.fullmatch(text, line_lo, d.start) is None or not _DATE_LABEL_GAP.match(text, d.end):
                return None
            late = d.span.latest
            return d.span if late is not None and st.pub is not None and late <= st.pub else None
        return None

    def _speech_date(self, st: DocState, sent: Sentence, frames_region: tuple[int, int]) -> DateSpan | None:
        for d in self._in(st, frames_region[0], frames_region[1], "dates"):
            return d.span
        return None
