"""How many: casualty, displacement and evacuation figures with their area and date."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sitroom.extract.drafts import DocState, Draft, Frame, Mention, StepBase
from sitroom.extract.numbers import find_numbers
from sitroom.extract.patterns import (
    _AT_PLACE,
    _CLAUSE_BREAK,
    _COMBATANTS_AFTER,
    _CONTINUES_EVENT,
    _CRAFT_AFTER,
    _DESTINATION_BEFORE,
    _FIELD_COLON,
    _FIGURE_REF,
    _FIGURE_ROW,
    _GOVERNS,
    _MODAL,
    _NAMED_BY_NUMBER,
    _OTHER_FATE,
    _SINCE,
    _SPEAKER_WORDS,
    _SUBSET_AFTER,
    _SUBSET_BEFORE,
    _SUBSET_QUANT,
    _THE_PLACE_WORD,
    _THERE,
    _WITNESS_AT,
    FIGURE_TYPES,
    PHYSICAL,
    _fronts_speaker,
    _small_number,
    _spoken_from,
    _year_only,
)
from sitroom.extract.text import Sentence
from sitroom.model import DateSpan, Place


class FigureStep(StepBase):
    """How many: a step of `RulesExtractor`."""

    def _figures(self, st: DocState, sent: Sentence, actors: list[Mention], frames: list[Frame]) -> None:
        text = st.text
        metric_hits: list[tuple[int, int, str]] = []
        for metric, rx in self.m.metric_res.items():
            for x in self._hits(st, rx, sent.start, sent.end):
                metric_hits.append((x.start(), x.end(), metric))
        if not metric_hits:
            # "the total could climb to 1.5 million": a figure referring back to the last one's metric
            ref = _FIGURE_REF.search(text, sent.start, sent.end)
            last = next((d for d in reversed(st.drafts) if d.metric is not None), None)
            if last is None or last.metric is None:
                return
            row = _FIGURE_ROW.match(text, sent.start, sent.end)
            if row is not None and not self._in(st, sent.start, row.end(), "places"):
                row = None  # "Next review: 4 Dec, 09:00": a row is labelled with a place
            if ref is None and row is not None and sent.start - last.sent.end <= 800:
                # "– Aleppo: about 1,50,000" under a table's heading: a row of the figures just given
                ref = row
            if ref is None:
                return
            metric_hits.append((ref.start(), ref.end(), last.metric))
        dates = self._in(st, sent.start, sent.end, "dates")
        for n in find_numbers(text, sent.start, sent.end):
            if any(d.start <= n.start < d.end for d in dates) or any(a.start <= n.start < a.end for a in actors):
                continue
            if self.m.rough.match(n.text) or self.m.not_people.match(text[n.end : n.end + 14]):
                continue
            said = self.m.reporting.search(text, n.end, min(sent.end, n.end + 45))
            if (
                said is not None
                and _SPEAKER_WORDS.fullmatch(text, n.end, said.start())
                and not re.match(r"\s+to\s+(?:be|have)\b", text[said.end() : said.end() + 10])
            ):
                continue  # "two residents said", "three senior officials told Reuters": who speaks, not a count
            if 1900 <= n.value <= 2100 and "," not in n.text:
                continue
            if _NAMED_BY_NUMBER.search(text[max(0, n.start - 14) : n.start]):
                continue  # "Ward 11", "Battalion 5", "Route 7": the number names something, it counts nobody
            if _SUBSET_AFTER.match(text[n.end : n.end + 16]) or _SUBSET_BEFORE.search(
                text[max(0, n.start - 24) : n.start]
            ):
                continue  # "four of them children", "including 20 children": part of a figure, not one
            if re.match(r"^\s*(?:-|–)\s*\d", text[n.end : n.end + 4]) or re.search(
                r"\d\s*[-–]\s*$", text[n.start - 3 : n.start]
            ):
                continue
            clause_hits = [
                h
                for h in metric_hits
                if (
                    not _CLAUSE_BREAK.search(text[min(h[1], n.end) : max(h[0], n.start)])
                    or (h[1] <= n.start and _FIELD_COLON.fullmatch(text, h[1], n.start) is not None)
                )
                # "Twelve soldiers were captured, some of them wounded": neither says twelve were wounded
                and not (h[0] >= n.end and _OTHER_FATE.search(text, n.end, h[0]))
                and not (h[0] >= n.end and _SUBSET_QUANT.search(text, max(n.end, h[0] - 24), h[0]))
            ]
            if not clause_hits:
                continue
            governing = next(
                (h for h in clause_hits if h[1] <= n.start and _GOVERNS.fullmatch(text, h[1], n.start)), None
            )
            if governing is not None:
                # "killing 12, injuring 40 and displacing 3,000": a verb right before a figure counts it
                metric = governing[2]
            else:
                metric = min(clause_hits, key=lambda h: (h[0] - n.end) if h[0] >= n.end else (n.start - h[1]) + 15)[2]
            if metric in ("displaced", "refugees") and _COMBATANTS_AFTER.match(text, n.end):
                continue  # "2,000 Syrian soldiers crossed into Iraq": troops leaving are no refugees
            if _CRAFT_AFTER.match(text, n.end):
                continue  # "Two Turkish navy ships carried 1,846 people": ships are not people
            near = min(clause_hits, key=lambda h: abs(h[0] - n.start))
            if abs(near[0] - n.start) > 120:
                continue
            frame = self._frame_for(frames, n.start)
            if frame is None and any(f.region[0] <= n.start < f.region[1] for f in frames):
                frame = next(f for f in frames if f.region[0] <= n.start < f.region[1])
            stance = "asserted"
            if frame and frame.denial:
                stance = "denied"
            elif self.m.projection.search(text[max(sent.start, n.start - 30) : n.start]) or (
                near[0] >= n.end and _MODAL.search(text[n.end : near[0]])
            ):
                stance = "projected"  # "could swell to 1.5 million", "a million people could be displaced"
            speaker = frame.speaker if frame else None
            if speaker is None and re.search(
                r"\bits\s+(?:count|tally|figures?|estimate|toll|data)\b", text[sent.start : sent.end], re.I
            ):
                speaker = st.last_speaker
            etype = FIGURE_TYPES[metric]
            place, ptext = self._figure_place(st, sent, n.start, frame)
            when = self._figure_date(st, sent, n.start, frame)
            st.drafts.append(
                Draft(
                    type=etype,
                    stance=stance,
                    sent=sent,
                    rule=f"figure.{metric}",
                    cues=[n.text, text[near[0] : near[1]]],
                    confidence=0.7 if stance == "asserted" else 0.5,
                    speaker=speaker.ref if speaker else None,
                    place=place,
                    place_text=ptext,
                    when=when,
                    quantity=n.value,
                    metric=metric,
                )
            )

    def _figure_place(
        self, st: DocState, sent: Sentence, pos: int, frame: Frame | None
    ) -> tuple[Place | None, str | None]:
        region = frame.region if frame else (0, 0)
        cands = [
            p for p in self._in(st, sent.start, sent.end, "places")
            if not (region[0] <= p[0] < region[1])
            and (st.country_code is None or p[2].country == st.country_code
                 or _AT_PLACE.search(st.text, max(sent.start, p[0] - 12), p[0]))
            and not _DESTINATION_BEFORE.search(st.text[max(sent.start, p[0] - 16) : p[0]])
            and not _spoken_from(st.text, sent.start, p[0])
            and not (frame is not None and _fronts_speaker(st.text, sent.start, p, frame))
        ]  # fmt: skip
        if cands:
            p = min(cands, key=lambda p: abs(p[0] - pos))
            return p[2], p[3]
        # "17 killed in the city since Sunday": the city the report is about
        near = _THE_PLACE_WORD.search(st.text, max(sent.start, pos - 80), min(sent.end, pos + 80))
        if near is not None:
            found = self._anaphor_place(st, sent, near.start(), near.start(), near.start(), near.end(), "after")
            if found:
                return found[0][2], found[0][3]
        # "RSF artillery struck districts of the city, killing eight": where the sentence's event happened
        here = [d for d in st.drafts if d.sent is sent and d.place is not None and d.place.kind != "country"]
        if here:
            return here[-1].place, here[-1].place_text
        # "... took control of Suran. Fatalities: 7.", "Strikes hit Idlib. They killed eight": the event just told
        prev = self._continued_event(st, sent)
        if prev is not None:
            return prev.place, prev.place_text
        again = self._violence_again(st, sent)
        if again is not None:
            return again  # "Jets bombed the market in Ariha. Rescuers said the raids killed seven"
        # "Activists in the eastern districts of Homs said 15,000 people had left": with no other place, where
        # the witnesses are is where they count
        local = [
            p for p in self._in(st, region[0], region[1], "places")
            if p[2].kind in ("city", "town", "village") and _WITNESS_AT.search(st.text, max(sent.start, p[0] - 40), p[0])
        ]  # fmt: skip
        if local:
            return local[-1][2], local[-1][3]
        # "Our correspondent is in Lyptsi. A guided bomb hit a house; two people were killed": a figure with no
        # place of its own, in a paragraph that has named one town and no other, is at that town
        para_lo = st.text.rfind("\n", 0, sent.start) + 1
        if _SINCE.search(st.text, sent.start, sent.end):
            return st.country, None  # "200,000 people have fled since November": a running total, not the town's
        towns = [
            p for p in self._in(st, para_lo, sent.start, "places")
            if p[2].kind in ("city", "town", "village")
            and (st.country_code is None or p[2].country == st.country_code)  # not the speaker's Geneva
            and not _spoken_from(st.text, para_lo, p[0])
        ]  # fmt: skip
        if towns and len({p[2].key for p in towns}) == 1:
            return towns[-1][2], towns[-1][3]
        return st.country, None

    def _continued_event(self, st: DocState, sent: Sentence) -> Any:
        """The event of the sentence just before, when this one goes on about it ("Fatalities: 7", "They killed
        eight", "... there the next morning") rather than giving a total of its own ("... since November")."""
        text = st.text
        goes_on = _CONTINUES_EVENT.match(text, sent.start) or _THERE.search(text, sent.start, sent.end)
        if not goes_on or _SINCE.search(text, sent.start, sent.end):
            return None
        return self._previous_event(st, sent)

    def _previous_event(self, st: DocState, sent: Sentence) -> Any:
        """The last event of the sentence just before this one, in the same paragraph, with a place of its own."""
        text = st.text
        for d in reversed(st.drafts):
            if d.sent.end > sent.start or d.type not in PHYSICAL or d.place is None or d.place.kind == "country":
                continue
            if "\n" in text[d.sent.end : sent.start] or len(text[d.sent.end : sent.start].strip()) > 0:
                return None
            return d
        return None

    def _figure_date(self, st: DocState, sent: Sentence, pos: int, frame: Frame | None) -> DateSpan:
        if st.pub is None:
            return DateSpan(None, None)
        text = st.text
        ds = self._in(st, sent.start, sent.end, "dates")
        for d in ds:
            if re.search(r"\b(?:up to|as of|until|through|by|to)\s+$", text[max(sent.start, d.start - 12) : d.start]):
                if re.search(r"\bover the\b[^.;]{0,30}$", text[max(sent.start, d.start - 40) : d.start]):
                    days = re.search(r"(\w+) days", text[max(sent.start, d.start - 40) : d.start])
                    n = _small_number(days.group(1)) if days else None
                    if n and d.span.latest:
                        return DateSpan(d.span.latest - timedelta(days=n - 1), d.span.latest)
                return d.span
        plain = [d for d in ds if not d.text.lower().startswith(("since", "from")) and not d.rule.startswith("since")
                 and not _year_only(d) and not (frame and frame.region[0] <= d.start < frame.region[1])]  # fmt: skip
        if plain:
            return min(plain, key=lambda d: abs(d.start - pos)).span
        speech = self._speech_date(st, sent, frame.region if frame else (0, 0))
        if speech is not None and speech.exact:
            return speech
        label = self._line_date(st, sent)
        if label is not None:
            return label
        if not self._in(st, sent.start, sent.end, "places"):
            prev = self._continued_event(st, sent)  # "... took control of Suran on 3 December. Fatalities: 7."
            if prev is not None and prev.when.latest is not None:
                return prev.when
        return DateSpan.day(st.pub)
