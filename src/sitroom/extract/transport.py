"""Transport status: airports, crossings, ports and roads, open or shut."""

from __future__ import annotations

import re

from sitroom.extract.drafts import DocState, Draft, Frame, Mention, StepBase
from sitroom.extract.patterns import (
    _CITY_FLIGHTS,
    _CLAUSE_BREAK,
    _EXCEPT,
    _FLIGHTS,
    _FUTURE_BEFORE,
    _TRANSPORT_BREAK,
    _UNTIL_BEFORE,
    FACILITY_KINDS,
    _near,
    _year_only,
)
from sitroom.extract.text import Sentence
from sitroom.model import DateSpan, Place


class TransportStep(StepBase):
    """Transport status: a step of `RulesExtractor`."""

    def _transport(self, st: DocState, sent: Sentence, actors: list[Mention], frames: list[Frame]) -> None:
        """A facility (airport, crossing, port; "the airport" referring back; a road into a place) and the
        status cue nearest to it in its clause."""
        text = st.text
        cues: list[tuple[int, int, str]] = []
        for status, rx in self.m.status_res.items():
            for x in self._hits(st, rx, sent.start, sent.end):
                if status == "open" and re.search(r"\bno\s+$", text[max(sent.start, x.start() - 4) : x.start()]):
                    continue
                if any(c[0] <= x.start() < c[1] for c in cues):
                    continue
                cues.append((x.start(), x.end(), status))
        if not cues:
            return
        targets: list[tuple[int, int, Place, str]] = []
        for p in self._in(st, sent.start, sent.end, "places"):
            # a facility, or a named road ("M4 — closed at Saraqib", "the Beirut-Damascus highway is cut")
            if (p[2].kind in FACILITY_KINDS or p[2].kind == "road") and not any(
                _near(p[2], q[2], 5.0) for q in targets
            ):
                targets.append(p)
        named_road = any(t[2].kind == "road" for t in targets)
        for x in self._hits(st, self.m.ana_facility, sent.start, sent.end):
            if any(t[0] <= x.start() < t[1] for t in targets):
                continue
            for p in self._before(st, x.start(), "places"):
                if p[2].kind in FACILITY_KINDS:
                    if not any(_near(p[2], q[2], 5.0) for q in targets):
                        targets.append((x.start(), x.end(), p[2], x.group(0)))
                    break
        # "flights to Damascus were suspended", "Beirut flights cancelled": the city's airport
        served = [self._in(st, fl.end(), min(sent.end, fl.end() + 25), "places")[:1]
                  for fl in _FLIGHTS.finditer(text, sent.start, sent.end)]  # fmt: skip
        served += [[p for p in self._in(st, max(sent.start, fl.start() - 30), fl.start(), "places")
                    if not text[p[1] : fl.start()].strip()]
                   for fl in _CITY_FLIGHTS.finditer(text, sent.start, sent.end)]  # fmt: skip
        for found in served:
            for p in found:
                if p[2].kind in ("city", "town") and self.geoparser is not None:
                    cand = next((c for c in self.geoparser.gaz.lookup(f"{p[3]} airport") if c.kind == "airport"), None)
                    if cand is not None and not any(_near(cand, q[2], 5.0) for q in targets):
                        targets.append((p[0], p[1], cand, p[3]))
                break
        for r in [] if named_road else self._hits(st, self.m.roads, sent.start, sent.end):
            after = [p for p in self._in(st, r.end(), min(sent.end, r.end() + 30), "places") if p[2].kind != "country"]
            found = [after[0]] if after else self._anaphor_place(st, sent, r.end(), r.end(), r.end(), sent.end, "after")
            for p in found[:1]:
                if not any(_near(p[2], q[2], 5.0) for q in targets):
                    targets.append((r.start(), r.end(), _road_to(p[2], r.group(0)), p[3]))
        for t in targets:
            near = [c for c in cues if not _TRANSPORT_BREAK.search(text[min(c[1], t[1]) : max(c[0], t[0])])]
            if not near:
                continue
            # the status word nearest the facility speaks of it ("the airport is closed and flights suspended")
            near.sort(key=lambda c: (abs(c[0] - t[0]) > 80, abs(c[0] - t[0])))
            cue = near[0]
            if abs(cue[0] - t[0]) > 140:
                continue
            status = cue[2]
            if self._hypothetical(text, sent, sent.start, cue[0], cue[1]):
                continue  # "if Hama fell, the road to Homs would be open": no status yet
            if _FUTURE_BEFORE.search(text, max(sent.start, cue[0] - 20), cue[0]):
                continue  # "the airport will reopen on Tuesday": not its status yet
            if status in ("closed", "suspended") and cue[1] <= t[0] and _EXCEPT.search(text, cue[1], t[0]):
                status = "open"  # "closed all its crossings except Masnaa": the one left open
            frame = self._frame_for(frames, cue[0])
            if frame is None:
                frame = next((f for f in frames if f.region[0] <= cue[0] < f.region[1]), None)
            anchor = min(t[0], cue[0])
            usable = [a for a in actors if a.role == "actor" and not a.national and a.end <= anchor + 1
                      and not _CLAUSE_BREAK.search(text[a.end : anchor])
                      and (frame is None or not (frame.region[0] <= a.start < frame.region[1]))]  # fmt: skip
            actor = usable[-1] if usable else None
            speaker = frame.speaker if frame else None
            stance = "asserted"
            if frame and frame.denial:
                stance = "denied"
            elif (
                speaker is not None and actor is not None and speaker.role == "actor" and actor.family & speaker.family
            ):
                stance = "announced"
            ds = [d for d in self._in(st, sent.start, sent.end, "dates") if not _year_only(d)
                  and not _CLAUSE_BREAK.search(text[min(d.end, cue[1]) : max(d.start, cue[0])])
                  and not _UNTIL_BEFORE.search(text, max(sent.start, d.start - 14), d.start)]  # fmt: skip
            if ds:
                d = min(ds, key=lambda d: abs(d.start - cue[0]))
                since = d.text.lower().startswith("since") or d.rule.startswith("since")
                when = DateSpan.day(d.span.earliest) if since and d.span.earliest else d.span
            else:
                speech = self._speech_date(st, sent, frame.region if frame else (0, 0))
                speech = speech or self._line_date(st, sent)
                when = speech or (DateSpan.day(st.pub) if st.pub else DateSpan(None, None))
            st.drafts.append(
                Draft(
                    type="transport_status",
                    stance=stance,
                    sent=sent,
                    rule=f"transport.{status}",
                    cues=[text[cue[0] : cue[1]]],
                    confidence=0.7,
                    actor=actor.ref if actor else None,
                    speaker=speaker.ref if speaker else None,
                    place=t[2],
                    place_text=t[3],
                    when=when,
                    status=status,
                )
            )


def _road_to(place: Place, words: str) -> Place:
    """ "the roads into the city are cut": the status is the roads', not the city's - a road named after the
    words that lead to it, at the place ("Roads into Aleppo"), so no table says "Aleppo closed"."""
    if place.kind in FACILITY_KINDS or place.kind == "road":
        return place
    lead = " ".join(words.split())
    if not re.search(r"\s(?:into|to|in|around|between|from|linking|out of)$", lead, re.IGNORECASE):
        lead = f"{lead} to"  # "the highway ... Aleppo": the way to it
    name = f"{lead[0].upper()}{lead[1:]} {place.name}"
    # one key for the ways into a town however they are written ("roads into", "the road to"): one facility
    return Place(name, place.lat, place.lon, place.country, "road", admin1=place.admin1, id=f"road:to:{place.key}")
