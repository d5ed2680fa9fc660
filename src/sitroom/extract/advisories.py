"""Travel advisories: who advises whom about where, at which level."""

from __future__ import annotations

from sitroom.extract.drafts import DocState, Draft, Frame, Mention, StepBase
from sitroom.extract.patterns import (
    _BOARD_LABEL,
    _COPULA_AFTER,
    _year_only,
)
from sitroom.extract.text import Sentence
from sitroom.model import ActorRef, DateSpan, Place


class AdvisoryStep(StepBase):
    """Travel advisories: a step of `RulesExtractor`."""

    def _advisories(self, st: DocState, idx: int, sent: Sentence, actors: list[Mention], frames: list[Frame]) -> None:
        text = st.text
        levels: list[tuple[str, str]] = []
        for level, rx in self.m.advice_res.items():
            x = self._first(st, rx, sent.start, sent.end)
            if x is not None:
                levels.append((level, x.group(0)))
        if not levels:
            return
        aud = self._first(st, self.m.audience, sent.start, sent.end)
        nationals = [a for a in actors if a.national]
        bodies = [a for a in actors if not a.national and a.state is not None and a.kind in ("state", "government_body")
                  and a.ref.id not in ("syrian_government_forces",)]  # fmt: skip
        board = _BOARD_LABEL.match(text, sent.start, sent.end)
        board_state = self.m.state_by_name.get(board.group(1).strip()) if board is not None else None
        if board is not None and board_state is not None:
            # a board's line "United Kingdom: leave by commercial means": that state's advice, compiled by the outlet
            bodies = [Mention(sent.start + board.start(1) - board.start(), sent.start + board.end(1) - board.start(),
                              ActorRef(board_state.id, board_state.name), "state", state=board_state.id,
                              family=frozenset({board_state.id}))]  # fmt: skip
            aud = aud or board
        header = self._header_speaker(st, sent)
        official = (st.issuer is not None and st.issuer.state is not None) or (
            header is not None and header.state is not None
        )
        inherent = any(level in ("do_not_travel", "reconsider_travel") for level, _ in levels) and bodies
        if aud is None and not nationals and not official and not inherent:
            return  # "should leave" with no one advised is not an advisory ("the army agreed to leave")
        if not bodies and not nationals and not official and not frames:
            return
        frame = next((f for f in frames if f.speaker is not None), None)
        issuers: list[Mention] = []
        subj_states = [a for a in bodies if a.kind == "state" and a.ref.name == self.lex.states[a.state].name]  # type: ignore[index]
        if len(subj_states) > 1 and frame is None:
            issuers = subj_states  # "Several governments, among them A, B and C, have told ..."
        elif frame is not None and frame.speaker is not None and frame.speaker.state is not None:
            issuers = [frame.speaker]
        elif bodies:
            issuers = [bodies[0]]
        elif frame is not None and frame.speaker is not None:
            issuers = [frame.speaker]
        elif nationals:
            issuers = [nationals[0]]
        elif official:
            issuers = [st.issuer]  # type: ignore[list-item]
        # armed groups issue no advisories; "Syria has long been at Level 4": the state is what is advised about
        issuers = [i for i in issuers if i.kind != "armed_group"
                   and not (i.bare_state and _COPULA_AFTER.match(text, i.end))]  # fmt: skip
        if not issuers:
            return
        # an unqualified body ("the Foreign Ministry said") advises its own nationals
        for k, iss in enumerate(issuers):
            if iss.state is None and nationals:
                issuers[k] = nationals[0]
        means_m = self._first(st, self.m.means, sent.start, sent.end)
        audience = nationals[0] if nationals else None
        area = self._advisory_area(st, sent, issuers[0], actors)
        own = self.lex.states.get(issuers[0].state or "")
        if own is not None and area is not None and area.country == own.country and len(issuers) == 1:
            return  # "Syria has long been at Level 4": a state is not advising about itself
        dates = [d for d in self._in(st, sent.start, sent.end, "dates") if not _year_only(d)]
        when = dates[0].span if dates else (DateSpan.day(st.pub) if st.pub else DateSpan(None, None))
        for iss in issuers:
            state = self.lex.states.get(iss.state or "")
            actor = ActorRef(state.id, state.name) if state else iss.ref
            if frame is not None and frame.speaker is not None:
                speaker: ActorRef | None = frame.speaker.ref
            elif board_state is not None:
                speaker = None
            elif len(issuers) == 1 and iss in bodies:
                speaker = iss.ref
            elif official:
                speaker = st.issuer.ref  # type: ignore[union-attr]
            else:
                speaker = None
            if speaker is not None and speaker.id.startswith("source:") is False and speaker.id == actor.id:
                pass
            for level, cue in levels:
                st.drafts.append(
                    Draft(
                        type="travel_advisory",
                        stance="asserted",
                        sent=sent,
                        rule=f"advisory.{level}",
                        cues=[cue] + ([aud.group(0)] if aud else []),
                        confidence=0.75,
                        actor=actor,
                        speaker=speaker,
                        place=area,
                        place_text=None,
                        when=when,
                        advice=level,
                        audience=text[audience.start : audience.end] if audience else (aud.group(0) if aud else None),
                        means=means_m.group(0) if means_m else None,
                    )
                )

    def _advisory_area(self, st: DocState, sent: Sentence, issuer: Mention, actors: list[Mention]) -> Place | None:
        own = self.lex.states.get(issuer.state or "")
        own_cc = own.country if own else None
        # "Several governments, among them China, India and Jordan, told ...": the states named are issuers
        issuing = {
            self.lex.states[a.state].country
            for a in actors
            if a.state and a.state in self.lex.states and not a.national
        }
        named = [
            p[2]
            for p in self._in(st, sent.start, sent.end, "places")
            if p[2].country and p[2].country != own_cc and p[2].country not in issuing
        ]
        host = self.geoparser.resolve(issuer.loc) if issuer.loc and self.geoparser is not None else None
        # "urged its nationals to leave Goma": the advice names a city or a province, and that is its area;
        # only advice about a whole country ("leave Lebanon") or naming facilities only is the country's, and
        # the city the embassy sits in ("Belgium's embassy in Kinshasa told ... in South Kivu") is not the area.
        areas = [
            p
            for p in named
            if p.kind in ("city", "town", "village", "admin1", "region")
            and not (host is not None and p.key == host.key)
        ]
        if areas and not any(p.kind == "country" for p in named):
            return areas[0]
        if host is not None and host.country and host.country != own_cc and self.geoparser is not None:
            c = self.geoparser.gaz.country(host.country)
            if c is not None:
                return c
        for p in named:
            if p.kind == "country":
                return p
            if self.geoparser is not None:
                c = self.geoparser.gaz.country(p.country)
                if c is not None:
                    return c
        return st.country
