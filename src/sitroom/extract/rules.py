"""The default extractor, ``rules.v1``: deterministic, explainable claims from news text.

How a document is read (each step names the rule it records in `Claim.rule`):

1. Sentences (`text.split_sentences`), leaving out the document's non-news spans, boilerplate lines
   ("Read more:", "Related article:", captions with credits, bylines) and datelines.
2. Mentions over the whole text, once: actors (lexicon aliases; bodies of states by pattern; nationals),
   places (the geoparser, body zone only), dates (`sitroom.time.find_dates`).
3. Frames of attribution per sentence: "X said (that) ...", "..., X said on Friday.", "according to X",
   "X denied (claims) that ...". The outermost frame gives the speaker (`attributed_to`) of what it covers:
   "analysts said satellite images showed ..." is the analysts' claim. A pronoun speaker ("it said") is the
   previous speaker. With no frame the outlet speaks (null), except for advisories and statements in a
   document that is itself an official notice, whose issuer speaks.
4. Triggers per event type (lexicon groups) in the parts of the sentence a frame reports (or the whole
   sentence). For each: place (after/before the trigger as the group says, chained over "X and Y", or a
   phrase referring back: "the city", "the capital", "the airport"), actor (subject before the trigger, the
   agent after "fell to"; "its fighters" = the speaker), stance, date.
5. Stance: `denied` inside a denial frame; `hypothetical` under "if/would/could" or when the nominal trigger is
   the subject of "would" ("the capture of X would mean"); a plan ("vowed to march on") is no claim at all;
   `announced` when the speaker reports its own physical act; `asserted` otherwise. Figures are `projected`
   after "could swell to", "may reach".
6. Dates: the date written in the event's clause; "since X" dates a change (a closure, a capture) to X; a
   date in the frame ("said on Sunday") is when it was said: a standing situation, a denial, an advance "now"
   and an own announcement take it; a past event without its own date gets that day and the day before (news
   reports the latest events as such; background comes with its own date, "last week", "on 30 Nov"), or,
   under "since then" / "over the past week", the range from the start of the campaign the document names
   (or a week back) to that day.
7. Figures (displacement, casualties): counts next to a metric cue; "four of them" is part of a figure, not
   one; rough words ("thousands") are not counts.
8. Advisories: an advice phrase with an audience (nationals, "those who stay") or in an official notice; the
   issuer is the state of the body that speaks (or of the nationals advised); one claim per advice level.
9. Transport: a facility (airport, crossing, port; a road into a place) with a status cue.

Each step is a module of its own, mixed into `RulesExtractor`: `agents` (who acts), `attribution` (who says
so: frames, transcript turns, denials), `placing` (where), `dating` (when), `figures`, `advisories` and
`transport`. What they share: `drafts` (the state of one document being read), `patterns` (the shapes of
English clauses they match; the words are in lang/en/), `turns` (speakers of transcripts), `syntax` (the
parse). This module prepares a document, finds the triggers and turns each into a claim.
"""

from __future__ import annotations

import bisect
import logging
import re
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from sitroom.errors import ExtractionTimeout
from sitroom.extract.advisories import AdvisoryStep
from sitroom.extract.agents import ActorStep
from sitroom.extract.attribution import AttributionStep
from sitroom.extract.base import claim_id
from sitroom.extract.dating import DateStep
from sitroom.extract.drafts import DocState, Draft, Frame, Mention
from sitroom.extract.figures import FigureStep
from sitroom.extract.foreign import ForeignReader
from sitroom.extract.foreign import languages as foreign_languages
from sitroom.extract.lexicon import Lexicons, default_lexicons
from sitroom.extract.matchers import Matchers
from sitroom.extract.patterns import (
    _AT_HOME,
    _ATTEMPT,
    _BARE_PLACE_WORD,
    _CALLED_FALSE_BEFORE,
    _CALLED_REPORTS,
    _CAUSE_BEFORE,
    _CLAIM_LINE,
    _CLAIMING,
    _DIGIT_AFTER,
    _ENTRY,
    _FALSE_WORD,
    _FALSITY,
    _FALSITY_BEFORE,
    _FELL,
    _FLIGHT,
    _FORCE_ONLY,
    _FRONT_TYPES,
    _HOLDING_BEFORE,
    _INTO,
    _KNOWN_EVENT,
    _LOCATED_BEFORE,
    _LOSS,
    _MARKET_BEFORE,
    _MOVED_BEFORE,
    _NAMED_OBJECT,
    _NAMED_PLACE_BEFORE,
    _NEGATED,
    _NUMBERED_WORD,
    _OBJECT_HEAD,
    _PART_OF,
    _PEOPLE_FELL,
    _PEOPLE_MOVING,
    _POSITIONAL,
    _POSSESSIVE_FORCE,
    _PREVENT,
    _PRIZE_AFTER,
    _QUESTION_END,
    _REPORTS_THAT,
    _SPAN_WORDS,
    _STOP_AFTER,
    _TO_BEFORE,
    _UNCONFIRMED,
    _VIOLENCE,
    _WH_QUESTION,
    ANAPHOR_EVENTS,
    FIGHTING_OR_CONTROL,
    FORCE_KINDS,
    NEEDS_PLACE,
    PAST_EVENTS,
    PHYSICAL,
    _as_of,
    _clause_start,
    _confidence,
    _country_of,
    _day_headings,
    _inside,
    _overlaps_any,
)
from sitroom.extract.placing import PlaceStep
from sitroom.extract.syntax import Syntax
from sitroom.extract.tables import TableStep, find_tables
from sitroom.extract.text import DATELINE, Sentence, mask_markup, mask_repairs, split_sentences
from sitroom.extract.transport import TransportStep
from sitroom.extract.turns import speaker_turns
from sitroom.model import Claim, DateSpan, Document, Evidence, Place
from sitroom.time import PUBLISHED_YEARS

log = logging.getLogger(__name__)

EXTRACTOR_NAME = "rules.v1"
# Events that ended this long before the report are its history, not claims of the crisis: a battle of 1944 in
# an anniversary piece, a general's campaigns in his obituary, "took control of Kirkuk in 2014" in a report of
# 2017. (Background from the same war up to two years before is still read: a year-in-review or a chronology
# published months later tells its events; one year cut those, five kept three-year-old backgrounds.)
HISTORY_DAYS = 2 * 365
# the war words that sport and markets borrow
_METAPHOR_TYPES = frozenset({"territory_captured", "advance", "withdrawal", "offensive", "armed_clash"})

# Seconds one document may take to read: extraction is linear in the text, about 8 s per MiB on one core here,
# so the largest document ingest accepts (10 MiB) fits. Past it the document becomes a rejection naming the
# reason and the batch goes on, so no input can hold an ingest, a POST /documents or a watch cycle for long.
TIME_BUDGET = 120.0


def _geoparser() -> Any:
    try:
        from sitroom.geo import Geoparser
    except ImportError:  # the geo stage is optional for unit tests of the extractor's grammar
        return None
    return Geoparser.default()


def _find_dates(text: str, published: date) -> list[Any]:
    try:
        from sitroom.time import find_dates
    except ImportError:
        return []
    return list(find_dates(text, published))


class RulesExtractor(
    ActorStep, AttributionStep, PlaceStep, DateStep, FigureStep, AdvisoryStep, TransportStep, TableStep
):
    """Claims from lexicons and patterns; every claim names its rule, cues and evidence span."""

    name = EXTRACTOR_NAME

    def __init__(
        self,
        lexicons: Lexicons | None = None,
        geoparser: Any = None,
        syntax: bool = True,
        time_budget: float | None = TIME_BUDGET,
    ) -> None:
        self.use_syntax = syntax
        self.time_budget = time_budget  # seconds per document; past it the document is rejected
        self.lex = lexicons or default_lexicons()
        self.m = Matchers(self.lex)
        self._families: dict[str, frozenset[str]] = {}
        self._parents = {e.actor.parent for e in self.lex.actors.values() if e.actor.parent}
        # actors that are a state's body (the crisis state's army, ministry): which state
        self._body_state = {aid: st.id for st in self.lex.states.values() for aid in st.bodies.values()}
        # bodies that speak for a state but do not fight (states.toml [roles]); an actor mapped only to such
        # bodies ("syrian_defence_ministry") is one of them
        self._speaking = frozenset(self.lex.cue("roles", "speaking_bodies"))
        body_kinds: dict[str, set[str]] = {}
        for st in self.lex.states.values():
            for kind, aid in st.bodies.items():
                body_kinds.setdefault(aid, set()).add(kind)
        self._speaking_actor = {aid: next(iter(k)) for aid, k in body_kinds.items() if k <= self._speaking}
        self._state_by_country = {st.country: st.id for st in self.lex.states.values() if st.country}
        self._capitals = frozenset(st.capital for st in self.lex.states.values() if st.capital)
        self._gp = geoparser
        self._gp_loaded = geoparser is not None
        self._readers: dict[str, ForeignReader] = {}

    # --- public -------------------------------------------------------------------------------------

    def _foreign(self, code: str) -> ForeignReader:
        reader = self._readers.get(code)
        if reader is None:
            reader = self._readers[code] = ForeignReader(code, self)
        return reader

    @property
    def geoparser(self) -> Any:
        if not self._gp_loaded:
            self._gp = _geoparser()
            self._gp_loaded = True
        return self._gp

    def extract(self, doc: Document) -> list[Claim]:
        if doc.language and doc.language != "en" and doc.language in foreign_languages():
            return self._foreign(doc.language).extract(doc)  # Arabic, Russian: word lists, no parser
        text = mask_repairs(mask_markup(doc.text))
        skip = [(s.start, s.end) for s in doc.non_news]
        sentences = split_sentences(text, skip)
        if not sentences:
            return []
        deadline = None if self.time_budget is None else time.monotonic() + self.time_budget
        st = self._prepare(doc, text, skip, sentences)
        published = st.pub
        headings = _day_headings(text, st.dates, published) if published is not None else []
        k = 0
        for i, sent in enumerate(sentences):
            if deadline is not None and i and i % 16 == 0 and time.monotonic() > deadline:
                raise ExtractionTimeout(
                    f"reading took longer than {self.time_budget:g} s (at sentence {i} of {len(sentences)}, "
                    f"{len(text):,} characters); split the document or raise the budget"
                )
            if headings:
                # a live blog's day heading ("Friday 29 November") dates the entries under it
                while k < len(headings) and headings[k][0] <= sent.start:
                    k += 1
                st.pub = headings[k - 1][1] if k > 0 else published
            self._sentence(st, i, sent)
        st.pub = published
        return self._finish(st)

    # --- document-level preparation -------------------------------------------------------------------

    def _prepare(self, doc: Document, text: str, skip: list[tuple[int, int]], sentences: list[Sentence]) -> DocState:
        actors = self._actor_mentions(text)
        pub = doc.published_at.date() if doc.published_at else None
        if pub is not None and not (PUBLISHED_YEARS[0] <= pub.year <= PUBLISHED_YEARS[1]):
            pub = None  # readers never keep such a date; a caller's Document might: read it as undated
        places: list[tuple[int, int, Place, str]] = []
        gp = self.geoparser
        country_counts: Counter[str] = Counter()
        datelines: list[str] = []
        dateline_places: dict[int, tuple[int, int, Place, str]] = {}  # line start -> its dateline's place
        sent_starts = [x.start for x in sentences]
        if gp is not None:
            zones = [(s, e, "boilerplate") for s, e in skip]
            blocking = [a for a in actors if not a.bare_state]
            starts = [a.start for a in blocking]
            for pm in gp.parse(doc.text, zones=zones):
                if pm.place is None or pm.zone != "body":
                    continue
                if _overlaps_any(pm.start, pm.end, blocking, starts):
                    continue
                if _NUMBERED_WORD.fullmatch(pm.text) and _DIGIT_AFTER.match(text, pm.end):
                    continue  # "Level 4", "Phase 2": a grade, not the Hungarian village of Level
                if pm.text in self._capitals and _POSSESSIVE_FORCE.match(text, pm.end):
                    continue  # "Moscow's jets carried out raids": the state acting, not where it happened
                start, end, place, ptext = self._facility(gp, text, pm.start, pm.end, pm.place, pm.text)
                places.append((start, end, place, ptext))
                # the country the report is about: counted over the news sentences only (not datelines,
                # "Read more" lines or headers), so "BEIJING, Dec 5 -" does not make a Syria story Chinese
                k = bisect.bisect_right(sent_starts, pm.start) - 1
                if pm.place.country and k >= 0 and pm.start < sentences[k].end:
                    country_counts[pm.place.country] += 1
                elif pm.place.country and pm.place.kind != "country":
                    line_lo = text.rfind("\n", 0, pm.start) + 1
                    m = DATELINE.match(text[line_lo : line_lo + 120])
                    if m is not None and pm.end <= line_lo + m.end():
                        datelines.append(pm.place.country)
                        dateline_places.setdefault(line_lo, (start, end, place, ptext))
        roundup = len(datelines) >= 2
        if not roundup and dateline_places:
            # "BEIRUT - Clashes erupted overnight": where the story was filed is no place of its events
            filed = {(p[0], p[1]) for p in dateline_places.values()}
            places = [p for p in places if (p[0], p[1]) not in filed]
            dateline_places = {}
        if roundup:
            # a roundup by datelines ("DEIR EZ-ZOR - ...", "ALBU KAMAL - ..."): its datelines are its subject
            country_counts.update(datelines)
        country_code = country_counts.most_common(1)[0][0] if country_counts else None
        country = None
        if country_code and gp is not None:
            country = gp.gaz.country(country_code)
        if country_code is not None:
            actors = self._rebind_descriptions(text, actors, country_code, frozenset(country_counts))
        dates = _find_dates(text, pub) if pub else []
        if pub is not None:
            pub = _as_of(doc, text, dates, pub)
        issuer = self._issuer(doc) or self._channel_voice(doc, text)
        turns = speaker_turns(text, doc.outlet)
        labels = [(t.label_start, t.label_end) for t in turns.values() if t.label_end > t.label_start]
        if labels:
            # "YUSUF DEMIR, CORRESPONDENT, GAZIANTEP:": where a speaker stands is not what the turn is about
            places = [p for p in places if not _inside(p[0], labels)]
        return DocState(
            doc=doc,
            text=text,
            pub=pub,
            actors=actors,
            actor_starts=[a.start for a in actors],
            places=places,
            place_starts=[p[0] for p in places],
            dates=dates,
            date_starts=[d.start for d in dates],
            country=country,
            country_code=country_code,
            issuer=issuer,
            roundup=roundup,
            dateline_places=dateline_places,
            syntax=Syntax(text) if self.use_syntax else None,
            turns=turns,
            tables=find_tables(text, pub) if ("|" in text or "\t" in text) else {},
        )

    # --- matches over the whole document, once per pattern ----------------------------------------------------

    @staticmethod
    def _hits(st: DocState, rx: Any, lo: int, hi: int) -> list[re.Match[str]]:
        """Matches of `rx` inside [lo, hi): the pattern runs once over the document, sentences take slices."""
        key = id(rx)
        found = st.hits.get(key)
        if found is None:
            found = list(rx.finditer(st.text))
            st.hits[key] = found
            st.hit_starts[key] = [m.start() for m in found]
        if not found:
            return []  # most cue lists have no match in a document at all
        i = bisect.bisect_left(st.hit_starts[key], lo)
        out = []
        while i < len(found) and found[i].start() < hi:
            if found[i].end() <= hi:
                out.append(found[i])
            i += 1
        return out

    def _first(self, st: DocState, rx: Any, lo: int, hi: int) -> re.Match[str] | None:
        hits = self._hits(st, rx, lo, hi)
        return hits[0] if hits else None

    # --- per sentence -------------------------------------------------------------------------------------

    def _in(self, st: DocState, lo: int, hi: int, what: str) -> list[Any]:
        seq: Sequence[Any]
        if what == "actors":
            seq, starts = st.actors, st.actor_starts
        elif what == "places":
            seq, starts = st.places, st.place_starts
        else:
            seq, starts = st.dates, st.date_starts
        i = bisect.bisect_left(starts, lo)
        out = []
        while i < len(seq):
            item = seq[i]
            s = item.start if not isinstance(item, tuple) else item[0]
            if s >= hi:
                break
            out.append(item)
            i += 1
        return out

    @staticmethod
    def _recent_events(st: DocState, sent: Sentence) -> Iterator[Draft]:
        """Events with a place reported before `sent`, most recent first - except that the last sentence that
        reported any gives its events in text order, main clause first ("Hama was captured ..., a week after the
        same alliance swept into Aleppo": the city is Hama). Lazy: a long document is not scanned for each
        anaphor."""
        found = (
            d
            for d in reversed(st.drafts)
            if d.sent.start < sent.start and d.place is not None and d.type in ANAPHOR_EVENTS
        )
        first = next(found, None)
        if first is None:
            return
        last = [first]
        for d in found:
            if d.sent.start != first.sent.start:
                yield from reversed(last)
                yield d
                yield from found
                return
            last.append(d)
        yield from reversed(last)

    @staticmethod
    def _before(st: DocState, pos: int, what: str) -> Iterator[Any]:
        """Actors or places that start before `pos`, nearest first, without copying the document's list."""
        seq: Sequence[Any] = st.actors if what == "actors" else st.places
        starts = st.actor_starts if what == "actors" else st.place_starts
        for i in range(bisect.bisect_left(starts, pos) - 1, -1, -1):
            yield seq[i]

    def _sentence(self, st: DocState, idx: int, sent: Sentence) -> None:
        text = st.text
        actors = [a for a in self._in(st, sent.start, sent.end, "actors")]
        self._resolve_coalitions(st, sent, actors)
        self._resolve_bodies(st, sent, actors)
        frames = self._frames(st, idx, sent, actors)
        st.frames[sent.start] = frames
        if _CLAIM_LINE.match(text, sent.start):
            st.checked = (sent.start, sent.end)
            return  # a fact-check's "Claim: Israel has taken the crossing": what is checked, not what happened
        if _QUESTION_END.search(text, sent.start, sent.end):
            return  # "Can you confirm that Hama has fallen?", "Now that Homs has fallen, is Damascus next?": asks
        cands = self._triggers(st, sent)
        drafted = len(st.drafts)
        for trig_start, trig_end, group, cue in cands:
            self._event(st, idx, sent, actors, frames, trig_start, trig_end, group, cue, cands)
        self._figures(st, sent, actors, frames)
        self._advisories(st, idx, sent, actors, frames)
        self._transport(st, sent, actors, frames)
        if not cands and len(st.drafts) == drafted:
            self._unread(st, idx, sent, actors, frames)
        # the subject of this sentence, for "its fighters" and "it said" in the next one
        subj = next((a for a in actors if a.role == "actor" and not a.national), None)
        if subj is not None:
            st.last_subject = subj
            st.last_subject_sent = idx
        _ = text

    def _unread(self, st: DocState, idx: int, sent: Sentence, actors: list[Mention], frames: list[Frame]) -> None:
        """A sentence no rule fired on (no trigger word, no figure, advisory or transport status): the rules leave
        it; an extractor with a learned layer (`sitroom.extract.hybrid`) reads it here."""

    # --- frames of attribution -------------------------------------------------------------------------------

    # --- triggers ---------------------------------------------------------------------------------------------

    def _triggers(self, st: DocState, sent: Sentence) -> list[tuple[int, int, Any, str]]:
        if st.triggers is None:
            # every trigger group over the whole document once, merged in text order
            every = [
                (x.start(), x.end(), t.group, x.group(0)) for t in self.m.triggers for x in t.regex.finditer(st.text)
            ]
            every.sort(key=lambda c: (c[0], -(c[1] - c[0])))
            st.triggers = every
            st.trigger_starts = [c[0] for c in every]
        i = bisect.bisect_left(st.trigger_starts, sent.start)
        out = []
        while i < len(st.triggers) and st.triggers[i][0] < sent.end:
            if st.triggers[i][1] <= sent.end:
                out.append(st.triggers[i])
            i += 1
        kept: list[tuple[int, int, Any, str]] = []
        for c in out:
            if any(k[0] <= c[0] < k[1] for k in kept):
                continue
            kept.append(c)
        return kept

    def _event(self, st: DocState, idx: int, sent: Sentence, actors: list[Mention], frames: list[Frame],
               ts: int, te: int, group: Any, cue: str, cands: list[Any]) -> None:  # fmt: skip
        text = st.text
        etype = group.type
        frame = self._frame_for(frames, ts)
        if frame is None and any(f.region[0] <= ts < f.region[1] for f in frames):
            return  # the trigger is part of the speaker's description
        if any(a.start <= ts < a.end and te <= a.end and a.named for a in actors):
            return  # inside a name ("Deterrence of Aggression", "Military Operations Command")
        if etype in _METAPHOR_TYPES and (
            _PRIZE_AFTER.match(text, te) or _MARKET_BEFORE.search(text[max(sent.start, ts - 40) : ts])
        ):
            return  # "Melrose captured the shield", "the DAX stormed to a record": a game or a market, no war
        if _WH_QUESTION.match(text, sent.start) and text[sent.start : sent.end].rstrip(' "”’)').endswith("?"):
            return  # "Who controls Homs now?": an explainer's question asks, it claims nothing
        if etype == "armed_clash" and re.search(r"\bthe\s+(?:\w+\s+)?$", text[max(sent.start, ts - 12) : ts]):
            return  # "uprooted by the fighting": fighting already known, named as a cause
        if _KNOWN_EVENT.match(text, ts) and re.search(r"\b(?:its|their)\s+$", text[max(sent.start, ts - 8) : ts], re.I):
            return  # "Its capture takes the offensive to ...": the capture already reported, named again
        if etype == "remote_violence" and _CAUSE_BEFORE.search(text[max(sent.start, ts - 24) : ts]):
            return  # "killed in the strikes on Beirut": the strikes already reported, named as the cause
        if etype == "advance" and _PEOPLE_MOVING.search(text[max(_clause_start(text, sent.start, ts), ts - 50) : ts]):
            return  # "Most families headed for Homs", "5,000 people entered through the crossing": people, no front
        lo = frame.scope[0] if frame else sent.start
        hi = frame.scope[1] if frame else sent.end
        # reported parts of the sentence other than the frame's own words
        before = text[max(lo, ts - 60) : ts]
        clause_lo = max(lo, _clause_start(text, sent.start, ts))
        planned = self.m.plan.search(text[max(clause_lo, ts - 28) : ts]) and etype != "statement"
        if planned and not re.search(r"\b(?:would|could|might|may)\s*$", text[max(lo, ts - 12) : ts]):
            return  # "vowed to march on Damascus": an intention, not an event
        when_ref = self.m.time_reference.search(text[max(sent.start, ts - 45) : ts])
        if when_ref is not None and not re.search(r"[,;:]", text[max(sent.start, ts - 45) + when_ref.end() : ts]):
            return  # "around the time the capital was seized, the president fled": a time, not a new event
        if _PREVENT.search(text, max(sent.start, ts - 90), ts):
            return  # "We will not allow the occupation factions to take Manbij": a resolve, not an event
        if etype in ("advance", "territory_captured", "offensive") and _ATTEMPT.search(text[max(lo, ts - 60) : ts]):
            return  # "repelled an attempt by the rebels to advance on Hama": the advance did not happen
        positional = etype == "advance" and _POSITIONAL.search(cue) is not None
        holding = _HOLDING_BEFORE.search(text, max(clause_lo, ts - 50), ts) if positional else None
        if holding is not None and not any(holding.start() < a.start < ts for a in actors):
            return  # "our forces hold firm positions on the northern approaches of Homs": a defence, not an advance
        # "In Kalaban Coro, on the southern edge of the capital": where a place named just before lies, unless a
        # force stands there ("M23 fighters reported in Munigi, at the northern edge of the city")
        if (
            positional
            and not _MOVED_BEFORE.search(text, clause_lo, ts)
            and self._located_before(st, sent, ts, clause_lo, actors)
        ):
            return  # "the camp on the northern edge of El Fasher", "shells landed on the outskirts of": where, not who
        circumstance = etype == "armed_clash" and self.m.circumstance.search(text[max(lo, ts - 14) : ts])
        if circumstance and any(c[2].type != "armed_clash" for c in cands):
            return  # "following street battles": the circumstance of the capture, not its own claim
        if (
            etype == "territory_captured"
            and _FELL.match(cue)
            and _PEOPLE_FELL.search(text, max(sent.start, ts - 60), ts)
        ):
            return  # "four young men from Tafas fell in the battle": they died; no town fell
        stance = "asserted"
        negated = _NEGATED.search(text[max(lo, ts - 24) : ts]) is not None
        false_report = (
            (frame is not None and frame.speaker is not None) or _REPORTS_THAT.search(text, sent.start, ts) is not None
        ) and _FALSITY.search(text, ts, sent.end) is not None
        false_before = _FALSITY_BEFORE.search(text, max(sent.start, ts - 90), ts) is not None
        false_before = false_before or _CALLED_FALSE_BEFORE.search(text, max(sent.start, ts - 220), ts) is not None
        # "called reports of its fall fakes", "called the reports propaganda"
        false_before = false_before or (
            _CALLED_REPORTS.search(text, max(sent.start, ts - 60), ts) is not None
            and _FALSE_WORD.search(text, te, min(sent.end, te + 60)) is not None
        )
        if (frame and frame.denial) or negated or false_report or false_before:
            stance = "denied"  # "said its forces had not withdrawn", "said reports that ... were false"
        elif self._hypothetical(text, sent, lo, ts, te) or _UNCONFIRMED.search(text, sent.start, ts):
            stance = "hypothetical"  # also "we cannot confirm reports that ...": not asserted by anyone here
        if stance == "asserted" and self._retracted(st, sent, ts, te):
            stance = "denied"  # "We reported earlier that the army had retaken X. That was wrong."
        elif stance == "asserted" and self.m.rumour.search(text[sent.start : ts]):
            stance = "hypothetical"  # "accounts are spreading a claim that the army has recaptured Hama"
        if stance == "asserted" and etype in PHYSICAL and _CLAIMING.search(text, max(sent.start, ts - 30), ts):
            stance = "announced"  # "hours after claiming the capture of Homs": the doer's own claim, not a fact
        scope = self._scope(st, sent, ts)
        st.parse_notes = []
        if stance == "asserted" and etype != "statement":
            if scope.intention or scope.near_miss:
                return  # "vowed to push on and take Damascus", "almost took the airport": it did not happen
            dated = scope.nominal and bool(self._in(st, te, min(sent.end, te + 40), "dates"))
            if scope.modal and not dated:
                # "the fall of Hama could mark a turning point"; not "the fall of Hama on Thursday should end
                # any illusion": a dated fall is a fact the sentence builds on
                stance = "hypothetical"
                st.parse_notes.append(f"parse: modal '{scope.modal}' governs it")
            elif scope.negated:
                stance = "denied"  # "the army has not withdrawn from any of its positions"
                st.parse_notes.append("parse: negated")
        # place
        places = self._event_place(st, sent, group, ts, te, lo, hi, actors)
        if (
            etype in _FRONT_TYPES
            and group.place == "after"
            and places
            and all(pl.kind in ("admin1", "region", "country") for pl, _ in places)
            and (obj := _NAMED_OBJECT.match(text, te)) is not None
            and not self._in(st, obj.start(1), obj.end(1), "places")
            and not self._in(st, obj.start(1), obj.end(1), "actors")
        ):
            return  # "occupied Bweremana, on the limit between North and South Kivu": a place the gazetteer lacks
            # is not the province named after it
        if st.tables and (row := self._row(st, ts)) is not None and (ev := row.cell("event")) and ev[0] <= ts < ev[1]:
            # an incident log's event cell that names no place of its own happens at the row's place column
            in_row = self._row_place(st, sent)
            if in_row is not None and not self._in(st, ev[0], ev[1], "places"):
                places = [in_row]
        if not places:
            label = self._entry_label_place(st, sent, ts)
            if label is not None:
                places = [label]  # "#Homs: heavy clashes near the military academy": the entry's place
            elif (
                etype == "withdrawal"
                and _FLIGHT.search(cue)
                and not _BARE_PLACE_WORD.search(text, sent.start, sent.end)
                and (fled := self._place_just_taken(st, sent))
            ):
                places = [fled]  # "Our forces liberated Hama. The regime's militias fled towards Homs"
            elif etype in NEEDS_PLACE:
                return
            elif etype in _VIOLENCE and (again := self._violence_again(st, sent)) is not None:
                places = [again]
            elif st.country is not None:
                places = [(st.country, None)]
        # actor
        actor = self._event_actor(st, sent, group, ts, te, lo, hi, actors, frame)
        actor = self._army_of_the_place(st, sent, actor, places)
        if actor is None and etype == "withdrawal" and group.actor == "after":
            return  # "the airport was abandoned by staff": no force left it
        if (
            actor is not None
            and actor.start >= te
            and _LOSS.search(cue)
            and (not _TO_BEFORE.search(text, 0, actor.start) or _STOP_AFTER.search(text, te, actor.start))
        ):
            actor = None  # "the loss of Ghazni was a blow to the government": only "the loss of X to Y" names Y
        if (
            etype == "advance"
            and _FORCE_ONLY.search(cue)
            and (actor is None or actor.kind not in FORCE_KINDS or actor.end > ts)
        ):
            return  # "aid convoys reached Aleppo", "civilians inside Homs": only a force's presence is an advance
        if actor is not None and actor.bare_state and len(places) > 0:
            # "Jordan has evacuated its nationals from Syria": the state acting is not where it acts; but a town in
            # its own land is ("Ukraine has withdrawn its forces from Avdiivka")
            home = _country_of(self, actor)
            rest = [
                p
                for p in places
                if p[1] != st.text[actor.start : actor.end]
                and not (p[0].country == home and (p[0].kind == "country" or etype not in _AT_HOME))
            ]
            places = rest or ([(st.country, None)] if st.country is not None and etype not in NEEDS_PLACE else [])
            if not places:
                return
        if etype in ("territory_captured", "advance") and places:
            building = self._civilian_target(text, te, sent.end)
            if building is not None:
                # "stormed the main hospital in El Fasher": an attack on the people in it, not the town taken
                etype = "attack_on_civilians"
                group = next((t.group for t in self.m.triggers if t.group.type == etype), group)
        if etype == "territory_captured" and _INTO.match(cue) and _PART_OF.match(text, te):
            etype = "advance"  # "swept into the suburbs of Damascus": into its edges, not the city taken
        if etype == "advance" and _ENTRY.match(cue) and actor is not None:
            left = {d.place.key for d in st.drafts if d.type == "withdrawal" and d.place is not None
                    and d.stance not in ("denied", "hypothetical") and not (d.actor and d.actor.id in actor.family)}  # fmt: skip
            if any(pl.key in left for pl, _ in places):
                # "troops left Manbij overnight; hours later SDF fighters entered the town": it changed hands
                etype = "territory_captured"
                group = next((t.group for t in self.m.triggers if t.group.type == etype and t.group.change), group)
        speaker = frame.speaker if frame else None
        own_act = speaker is not None and actor is not None and speaker.role == "actor" and speaker.kind != "monitor"
        if stance == "asserted" and own_act and etype in PHYSICAL and actor.family & speaker.family:  # type: ignore[union-attr]
            stance = "announced"
        elif stance == "asserted" and actor is not None and etype in PHYSICAL and any(
            f.scope[0] <= ts < f.scope[1] and f.speaker is not None and f.speaker.role == "actor"
            and f.speaker.kind != "monitor" and f.speaker.family & actor.family
            for f in frames
        ):  # fmt: skip
            # "the monitor said the rebels had claimed the capture of X": nested, the actor's own claim relayed
            stance = "announced"
        if etype == "statement":
            stance = "asserted" if stance not in ("denied", "hypothetical") else stance
            if speaker is None and st.issuer is not None:
                speaker = st.issuer
        when, default_range, date_how = self._event_date(st, sent, group, ts, te, lo, hi, frame, stance, etype)
        rule = f"{etype}.{'frame' if frame else 'plain'}"
        if actor is not None and etype in FIGHTING_OR_CONTROL:
            actor = self._acting_force(actor)
        for pl, ptext in places:
            st.drafts.append(
                Draft(
                    type=etype,
                    stance=stance,
                    sent=sent,
                    rule=rule,
                    cues=[cue]
                    + ([text[frame.verb_start : frame.verb_end]] if frame else [])
                    + st.parse_notes
                    + [f"date: {date_how}", self._place_note(text[sent.start : sent.end], pl, ptext)],
                    confidence=_confidence(stance, frame is not None, actor is not None),
                    actor=actor.ref if actor else None,
                    speaker=speaker.ref if speaker else None,
                    place=pl,
                    place_text=ptext,
                    when=when,
                    default_range=default_range,
                )
            )
        _ = before

    @staticmethod
    def _place_note(sentence: str, place: Place | None, written: str | None) -> str:
        """How the place was found, for --explain: as written in the sentence, or carried from elsewhere."""
        if place is None:
            return "place: none found"
        what = f"{place.name} ({place.kind}{', ' + place.country if place.country else ''})"
        if written and written.lower() in sentence.lower():
            if written.lower() == place.name.lower():
                return f"place: '{written}' in the sentence -> {what}"
            return f"place: '{written}' in the sentence, resolved to {what}"
        return f"place: {what}, from elsewhere in the report" + (f" ('{written}')" if written else "")

    @staticmethod
    def _headline(st: DocState) -> Sentence | None:
        """The document's headline when its text opens with one: the title itself, or a short first line with no
        full stop that a blank line separates from the story."""
        first = next((d.sent for d in st.drafts), None)
        if first is None or st.text[: first.start].strip():
            return None
        line = st.text[first.start : first.end].strip()
        title = " ".join((st.doc.title or "").split())
        if title and " ".join(line.split()) == title:
            return first
        rest = st.text[first.end : first.end + 3]
        if (
            len(line.split()) <= 16
            and not line.endswith((".", "!", "?", '"', "”"))
            and rest.startswith(("\n\n", "\r\n"))
        ):
            return first
        return None

    def _civilian_target(self, text: str, te: int, end: int) -> re.Match[str] | None:
        """The object right after a capture word, when it is a civilian building: "stormed the main hospital"."""
        obj = _OBJECT_HEAD.match(text, te, min(end, te + 50))
        if obj is None:
            return None
        hit = self.m.civilian_building.search(text, obj.start(1), obj.end(1))
        return hit if hit is not None and hit.end() == obj.end(1) else None

    # --- dates ------------------------------------------------------------------------------------------------

    # --- figures -------------------------------------------------------------------------------------------

    # --- advisories ----------------------------------------------------------------------------------------

    # --- transport ----------------------------------------------------------------------------------------

    # --- finishing ----------------------------------------------------------------------------------------

    def _army_of_the_place(
        self, st: DocState, sent: Sentence, actor: Mention | None, places: list[Any]
    ) -> Mention | None:
        """ "In Burkina Faso, the army said it had repelled an attack on Djibo", in a Malian paper: "the army", a
        description the report's country was given, is the army of the country where it acts, when that is
        another state's land."""
        if (
            actor is None
            or actor.named
            or actor.kind not in ("state", "government_body")
            or st.country_code is None
            or actor.state != self._state_by_country.get(st.country_code)
            or not places
        ):
            return actor
        where = places[0][0].country
        other = self._state_by_country.get(where) if where and where != st.country_code else None
        if other is None or other not in self.lex.states:
            return actor
        state = self.lex.states[other]
        said = st.text[sent.start : sent.end]
        if not any(re.search(rf"\b{re.escape(n)}\b", said) for n in (*state.names, *state.demonyms)):
            return actor  # the sentence must name that country ("In Burkina Faso, the army said ...")
        words = " ".join(st.text[actor.start : actor.end].lower().split()).removeprefix("the ")
        if self.m.body_words.get(words) != "army":
            return actor  # only the words for an army ([bodies] army in states.toml): "the army", "troops"
        return replace(self._state_body(state, "forces", None, actor.start, actor.end), role=actor.role)

    def _located_before(self, st: DocState, sent: Sentence, ts: int, clause_lo: int, actors: list[Mention]) -> bool:
        """Whether "on the northern edge of" at `ts` locates what was just named (a camp, a shell's landing, "In
        Kalaban Coro,") rather than a force, which a force named before it in the sentence would be."""
        text = st.text
        if _LOCATED_BEFORE.search(text, max(clause_lo, ts - 40), ts):
            return True
        if any(a.kind in FORCE_KINDS and sent.start <= a.start < ts for a in actors):
            return False  # "M23 fighters reported in Munigi, at the northern edge of the city"
        return bool(_NAMED_PLACE_BEFORE.search(text[max(sent.start, ts - 60) : ts])) or any(
            re.fullmatch(r"\s*,\s*", text[p[1] : ts]) for p in self._in(st, max(sent.start, ts - 60), ts, "places")
        )

    def _finish(self, st: DocState) -> list[Claim]:
        doc = st.doc
        if st.tables:
            self._caption_drafts(st)  # "SETTLEMENTS NAMED" rows under "... said were 'liberated'"
        window_start = None
        for d in st.drafts:
            if d.type == "offensive" and d.when.exact is not None and (st.pub is None or d.when.exact <= st.pub):
                window_start = d.when.exact if window_start is None else min(window_start, d.when.exact)
        claims: list[Claim] = []
        seen: set[tuple[Any, ...]] = set()
        per_sentence: set[tuple[Any, ...]] = set()
        counted = {(d.sent.start, d.type) for d in st.drafts if d.quantity is not None}
        # "Jalalabad has fallen. Taliban fighters entered the city before dawn": an agentless fall takes the force
        # that the next (or previous) sentence of its paragraph has entering or taking the same place
        same_place: dict[str, list[int]] = {}  # captures and advances by their place, in draft order
        for i, o in enumerate(st.drafts):
            if o.type in ("territory_captured", "advance") and o.place is not None:
                same_place.setdefault(o.place.key, []).append(i)
        for k, d in enumerate(st.drafts):
            if d.type != "territory_captured" or d.actor is not None or d.place is None or d.stance != "asserted":
                continue
            for i in same_place[d.place.key]:
                o = st.drafts[i]  # read now: a fall given its force above can pass it on to the next sentence
                if (
                    o is not d
                    and o.actor is not None
                    and o.stance in ("asserted", "announced")
                    and o.sent is not d.sent
                    and "\n" not in st.text[min(d.sent.end, o.sent.end) : max(d.sent.start, o.sent.start)]
                    and self._adjacent(st, d.sent, o.sent)
                    and self._actor_kind(o.actor.id) in FORCE_KINDS
                ):
                    st.drafts[k] = replace(d, actor=o.actor)
                    break
        # "Jordan has brought home 3,000 Jordanians": the count's claim takes the evacuating state of the sentence
        evacuators = {d.sent.start: d for d in st.drafts if d.type == "evacuation" and d.quantity is None and d.actor}
        for k, d in enumerate(st.drafts):
            if d.type == "evacuation" and d.quantity is not None and d.actor is None and d.sent.start in evacuators:
                ev = evacuators[d.sent.start]
                st.drafts[k] = replace(d, actor=ev.actor, stance=ev.stance if d.stance == "asserted" else d.stance,
                                       place=ev.place or d.place, place_text=ev.place_text or d.place_text)  # fmt: skip
        headline = self._headline(st)
        told_below = {
            (d.type, d.place.key if d.place else None, d.stance == "denied", d.quantity)
            for d in st.drafts
            if headline is None or d.sent.start != headline.start
        }
        for d in st.drafts:
            if d.quantity is None and d.type == "evacuation" and (d.sent.start, d.type) in counted:
                continue  # "evacuated 250 of its nationals": the figure claim says it with the count
            if st.pub is not None and d.when.latest is not None and (st.pub - d.when.latest).days > HISTORY_DAYS:
                continue  # "in 1989, when the town fell", "the evacuation from the beaches in 1940": history
            if (
                headline is not None
                and d.sent.start == headline.start
                and (d.type, d.place.key if d.place else None, d.stance == "denied", d.quantity) in told_below
            ):
                continue  # "Rebels seize Hama" over the story that tells it: one document, one claim
            issuer = d.actor.id if d.actor and d.type == "travel_advisory" else None  # one claim per state advising
            # "rebels said they had captured Hama, but the army denied that the city had fallen": a denial by
            # another speaker is a claim of its own beside the assertion, never folded into it
            denier = d.speaker.id if d.stance == "denied" and d.speaker is not None else None
            skey = (d.sent.start, d.type, d.place.key if d.place else None, d.quantity, d.advice, d.status, issuer,
                    denier)  # fmt: skip
            if skey in per_sentence:
                continue  # one claim per event, place and sentence: the first trigger read it best
            per_sentence.add(skey)
            when = d.when
            if d.default_range and when.latest is not None:
                if _SPAN_WORDS.search(doc.text, d.sent.start, d.sent.end):
                    # "since then", "over the past week": any day of the campaign the report names (or a week)
                    lo = (
                        window_start
                        if window_start and window_start <= when.latest
                        else when.latest - timedelta(days=7)
                    )
                else:
                    lo = when.latest - timedelta(days=1)  # undated news is the latest news
                when = DateSpan(lo, when.latest)
            elif (
                window_start
                and when.earliest
                and when.latest
                and when.earliest < window_start <= when.latest
                and d.type in PAST_EVENTS
            ):
                # an event of the campaign cannot precede the campaign's start the report gives
                when = DateSpan(window_start, when.latest)
            pkey = d.place.key if d.place else None
            key = (d.type, pkey, d.stance, d.actor.id if d.actor else None, d.speaker.id if d.speaker else None,
                   d.quantity, d.advice, d.status)  # fmt: skip
            if key in seen:
                continue
            seen.add(key)
            ev_text = doc.text[d.sent.start : d.sent.end]
            cid = claim_id(doc.id, self.name, d.sent.start, d.sent.end, d.type, pkey, d.stance, d.quantity,
                           d.advice, d.status, d.actor.id if d.actor else None)  # fmt: skip
            claims.append(
                Claim(
                    id=cid,
                    document_id=doc.id,
                    type=d.type,
                    stance=d.stance,
                    evidence=Evidence(ev_text, d.sent.start, d.sent.end),
                    extractor=self.name,
                    rule=d.rule,
                    confidence=d.confidence,
                    actor=d.actor,
                    attributed_to=d.speaker
                    or (self._row_source(st, d.sent.start) if st.tables else None)
                    or self._label_speaker(st, d.sent.start),
                    place=d.place,
                    place_text=d.place_text,
                    when=when,
                    quantity=d.quantity,
                    metric=d.metric,
                    advice=d.advice,
                    audience=d.audience,
                    means=d.means,
                    status=d.status,
                    cues=tuple(c for c in d.cues if c),
                    published_at=doc.published_at,
                    outlet=doc.outlet,
                    language=doc.language,
                )
            )
        return claims
