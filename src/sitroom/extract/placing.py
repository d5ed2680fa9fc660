"""Where: the place of an event from the clause, lists, anaphora ("the city", "it"), facilities, datelines and labels."""

from __future__ import annotations

from typing import Any

from sitroom.extract.drafts import DocState, Mention, StepBase
from sitroom.extract.patterns import (
    _AIRPORT_CODES,
    _APPOSITION,
    _APPOSITION_OF,
    _BOTH,
    _CHAIN_GAP,
    _CLAUSE_BREAK,
    _DESTINATION,
    _ENTRY_PREFIX,
    _EVENT_AGAIN,
    _FACILITY_AFTER,
    _FACILITY_BEFORE,
    _FACILITY_NOUN,
    _FIGHT_FOR_PLACE,
    _FOLLOWING,
    _HEADING,
    _HEADING_AFTER,
    _INCLUDING,
    _IT_OBJECT,
    _LABEL_AFTER,
    _LIST_END,
    _LOCATIVE_BEFORE,
    _OCCURRED,
    _OF_NAME,
    _ON_LAND,
    _REGIONS_AFTER,
    _RELATIVE_CLAUSE,
    _STOP_AFTER,
    _TAKEN_NOT_NEAR,
    _VIOLENCE,
    AREA_KINDS,
    FACILITY_KINDS,
    FORCE_KINDS,
    NEEDS_PLACE,
    _inside,
    _is_descriptor,
    _is_label,
    _is_origin,
    _is_reference,
    _prefer_not_reference,
    _spoken_from,
)
from sitroom.extract.text import Sentence
from sitroom.model import Place


class PlaceStep(StepBase):
    """Where: a step of `RulesExtractor`."""

    @staticmethod
    def _adjacent(st: DocState, a: Sentence, b: Sentence) -> bool:
        """Two sentences next to each other: nothing but white space between them."""
        first, second = (a, b) if a.start < b.start else (b, a)
        return not st.text[first.end : second.start].strip()

    @staticmethod
    def _facility(gp: Any, text: str, start: int, end: int, place: Place, ptext: str) -> tuple[int, int, Place, str]:
        """ "Aleppo airport", "the airport in Aleppo", "Tartus port": the facility, not the city it serves."""
        if place.kind in FACILITY_KINDS or place.kind == "country":
            return start, end, place, ptext
        after = _FACILITY_AFTER.match(text, end)
        before = _FACILITY_BEFORE.search(text[max(0, start - 40) : start])
        word = (after.group("kind") if after else before.group("kind") if before else "").lower()
        if not word and _AIRPORT_CODES.search(text[max(0, start - 12) : start]):
            word = "airport"  # "BEY/OLBA Beirut: open"
        if not word:
            return start, end, place, ptext
        kind = (
            "border_crossing"
            if "cross" in word or "border" in word
            else "airport"
            if ("air" in word and "base" not in word) or word.startswith("intl")
            else "military_base"
            if "base" in word
            else "port"
        )
        suffix = {
            "airport": "airport",
            "port": "port",
            "military_base": "air base",
            "border_crossing": "border crossing",
        }[kind]
        for cand in gp.gaz.lookup(f"{ptext} {suffix}") or gp.gaz.lookup(f"{place.name} {suffix}"):
            if cand.kind == kind and (place.country is None or cand.country == place.country):
                if after:
                    return start, after.end(), cand, text[start : after.end()]
                return start, end, cand, ptext
        if kind != "military_base" and place.kind in ("city", "town", "village") and place.lat is not None:
            # "Kabul airport", "the airport in Khartoum", "the Adre crossing" that the gazetteer lacks: the
            # town's own airport (port, crossing), placed at the town, so that a closure is news about the
            # facility and not about the town
            own = Place(f"{place.name} {suffix}", place.lat, place.lon, place.country, kind,
                        id=f"{kind}-of:{place.key}")  # fmt: skip
            if after:
                return start, after.end(), own, text[start : after.end()]
            return start, end, own, ptext
        return start, end, place, ptext

    def _place_just_taken(self, st: DocState, sent: Sentence) -> tuple[Place, str | None] | None:
        """Where a flight with no place of its own fled from: the place taken in the same sentence, or in the
        one just before when this sentence names no place at all."""
        if self._in(st, sent.start, sent.end, "places"):
            here = [d for d in st.drafts if d.sent is sent]
        else:
            here = [d for d in st.drafts if d.sent is sent or self._adjacent(st, d.sent, sent)]
        taken = next((d for d in reversed(here) if d.type == "territory_captured" and d.place is not None
                      and d.place.kind != "country" and d.stance in ("asserted", "announced")), None)  # fmt: skip
        return (taken.place, taken.place_text) if taken is not None and taken.place is not None else None

    def _event_place(self, st: DocState, sent: Sentence, group: Any, ts: int, te: int, lo: int, hi: int,
                     actors: list[Mention]) -> list[tuple[Place, str | None]]:  # fmt: skip
        text = st.text
        direction = group.place
        following = _FOLLOWING.search(text, max(sent.start, ts - 120), min(sent.end, te + 120))
        if following is not None and group.type in _TAKEN_NOT_NEAR | {"withdrawal"}:
            # "liberated the following towns ... in the countryside of Aleppo: A, B and C": the list after the colon
            # (every place of it: a name the gazetteer lacks does not end the list)
            listed = [p for p in self._in(st, following.end(), sent.end, "places") if p[2].kind != "country"]
            if listed:
                return [(p[2], p[3]) for p in listed]
        in_scope = self._in(st, lo, hi, "places")
        if not in_scope and (lo, hi) != (sent.start, sent.end):
            in_scope = self._in(st, sent.start, sent.end, "places")  # the place is in the speaker's phrase
        cands = [
            p
            for p in in_scope
            if not _is_origin(text, lo, p[0], group.type)
            and not _is_descriptor(text, lo, p[0], p[1])
            and not _spoken_from(text, sent.start, p[0])
        ]
        if group.type in NEEDS_PLACE:
            cands = [p for p in cands if p[2].kind != "country"]
        if group.type == "withdrawal":
            # "withdrew from the city towards the coast": where they went is not what they left
            cands = [p for p in cands if p[0] < te or not _HEADING.search(text[max(te, p[0] - 18) : p[0]])]
        stop = _STOP_AFTER if direction == "after" else _CLAUSE_BREAK
        after = [
            p
            for p in cands
            if p[0] >= te and p[0] - te <= group.reach and not stop.search(_OCCURRED.sub("", text[te : p[0]], count=1))
        ]
        before = [
            p
            for p in cands
            if p[1] <= ts and (not _CLAUSE_BREAK.search(text[p[1] : ts]) or _is_label(text, p[0], p[1], ts))
        ]
        if before:
            # "Saraqib, which sits where the M4 and M5 meet, had been taken": not a place of the relative clause;
            # "The town, on the road from Aleppo to Damascus, was retaken": nor of an apposition before the verb
            rel = [(x.start(), x.end()) for x in _RELATIVE_CLAUSE.finditer(text, sent.start, ts)]
            app = _APPOSITION.search(text, sent.start, ts)
            if app is not None and app.start() > sent.start:
                rel.append((app.start(1), app.end(1)))
            if rel:
                before = [p for p in before if not _inside(p[0], rel)]
        after, before = _prefer_not_reference(text, lo, after), _prefer_not_reference(text, lo, before)
        if group.type in _TAKEN_NOT_NEAR:
            # "captured villages west of Aleppo": a place named only as a reference point was not itself taken
            after = [p for p in after if not _is_reference(text, lo, p)]
            before = [p for p in before if not _is_reference(text, lo, p)]
        chosen: list[tuple[int, int, Place, str]] = []
        if direction == "after":
            if not after:
                # "struck the supply lines of the terrorists in the Idlib countryside": past the object, a place
                # the clause locates with a preposition
                after = [p for p in cands if te <= p[0] <= te + 120 and not stop.search(text[te : p[0]])
                         and _LOCATIVE_BEFORE.search(text[max(te, p[0] - 24) : p[0]])
                         and not (group.type in _TAKEN_NOT_NEAR and _is_reference(text, lo, p))]  # fmt: skip
            if after:
                chosen = self._chain(text, after[0], [p for p in cands if p[0] > after[0][0]])
            else:
                chosen = self._anaphor_place(st, sent, lo, ts, te, hi, "after")
                if not chosen and not before and group.type in ("withdrawal", "territory_captured"):
                    # "Units that had been stationed in the city were redeployed outside it"
                    chosen = self._anaphor_place(st, sent, lo, ts, te, hi, "before")
                if not chosen and before and (group.state or group.type == "offensive"):
                    chosen = [before[-1]]
                elif not chosen and before and ts - before[-1][1] <= 25:
                    chosen = self._chain_back(text, before)  # "declared Aleppo liberated", "X and Y were captured"
        elif direction == "before":
            chosen = (
                self._chain_back(text, before) if before else self._anaphor_place(st, sent, lo, ts, te, hi, "before")
            )
        else:
            fine_after = [p for p in after if p[2].kind != "country"]
            if after and after[0][0] - te <= 20:
                chosen = self._chain(text, after[0], [p for p in cands if p[0] > after[0][0]])
            elif before and before[-1][2].kind == "country" and fine_after:
                # "the air force of the Russian Federation has struck ... in the Idlib countryside": the state
                # that acts is not where; a finer place in the clause after the trigger is
                chosen = self._chain(text, fine_after[0], [p for p in cands if p[0] > fine_after[0][0]])
            elif before:
                # "Rastan and Talbiseh now under opposition control": the list right before the trigger
                chosen = self._chain_back(text, before) if ts - before[-1][1] <= 25 else [before[-1]]
            elif after:
                chosen = self._chain(text, after[0], [p for p in cands if p[0] > after[0][0]])
            else:
                chosen = self._anaphor_place(st, sent, lo, ts, te, hi, "any")
        if chosen and group.type in ("territory_captured", "advance", "withdrawal", "remote_violence", "armed_clash"):
            inc = _INCLUDING.match(text, chosen[-1][1])
            if inc is not None:
                listed = [p for p in cands if p[0] >= inc.end() and p[2].kind != "country"]
                if listed and listed[0][0] - inc.end() <= 4:
                    # the container is where; the places the list names are what happened
                    chosen = self._chain(text, listed[0], listed[1:])
        if (
            len(chosen) >= 2
            and st.country is not None
            and _REGIONS_AFTER.match(text[chosen[-1][1] : chosen[-1][1] + 16])
        ):
            chosen = [(chosen[0][0], chosen[-1][1], st.country, text[chosen[0][0] : chosen[-1][1]])]
        if (
            not chosen
            and not in_scope
            and group.type == "withdrawal"
            and not _HEADING_AFTER.match(text, te)
            and not _FACILITY_NOUN.search(text, sent.start, sent.end)
            and any(
                a.role == "actor" and a.kind in FORCE_KINDS | {"state"} and not a.national and a.end <= ts
                for a in actors
            )
        ):
            # "The rebels entered Bukavu on Sunday. The army had already pulled out on Saturday.": a pull-out the
            # sentence does not place is from the place the paragraph's last fighting was at
            for d in self._recent_events(st, sent):
                if "\n\n" in text[d.sent.end : sent.start] or sent.start - d.sent.end > 400:
                    break
                if d.type in _FIGHT_FOR_PLACE and d.place is not None and d.place.kind in AREA_KINDS:
                    chosen = [(ts, te, d.place, d.place_text or d.place.name)]
                    break
        if group.type in NEEDS_PLACE:
            chosen = [p for p in chosen if p[2].kind != "country"]
        if group.type in _ON_LAND:
            chosen = [p for p in chosen if p[2].kind != "sea"]  # "Kherson, the Black Sea port city": no sea is taken
        fine = [p for p in chosen if p[2].kind != "country"]
        if fine:
            chosen = fine
        return [(p[2], p[3]) for p in chosen]

    def _chain(self, text: str, first: tuple[int, int, Place, str],
               rest: list[tuple[int, int, Place, str]]) -> list[tuple[int, int, Place, str]]:  # fmt: skip
        """ "captured Rastan and Talbiseh", "Aleppo, as well as the city of Hama": every place of the list."""
        out = [first]
        for p in rest:
            gap = text[out[-1][1] : p[0]]
            if len(gap) <= 60 and _CHAIN_GAP.match(gap.strip()) and not _APPOSITION_OF.match(gap):
                out.append(p)
            else:
                break
        return out

    def _chain_back(self, text: str, before: list[tuple[int, int, Place, str]]) -> list[tuple[int, int, Place, str]]:
        """ "Khan Shaykhun and Maarat al-Numan were captured": the list that ends just before the trigger."""
        out = [before[-1]]
        for p in reversed(before[:-1]):
            gap = text[p[1] : out[-1][0]]
            if len(gap) <= 40 and _CHAIN_GAP.match(gap.strip()):
                out.append(p)
            else:
                break
        return list(reversed(out))

    def _violence_again(self, st: DocState, sent: Sentence) -> tuple[Place, str | None] | None:
        """ "Aircraft struck Idlib city. The civil defence said the strikes killed four civilians.": a sentence
        naming no place that speaks of "the strikes" again is at the place of the violence just read, in the
        same paragraph."""
        x = _EVENT_AGAIN.search(st.text, sent.start, sent.end)
        if x is None:
            return None
        for d in reversed(st.drafts):
            if d.sent.start >= sent.start:
                continue
            if "\n" in st.text[d.sent.end : sent.start]:
                return None  # another paragraph (or line of a list): another story
            if d.type in _VIOLENCE and d.place is not None and d.place.kind != "country":
                return d.place, x.group(0)
        return None

    def _anaphor_place(self, st: DocState, sent: Sentence, lo: int, ts: int, te: int, hi: int,
                       direction: str) -> list[tuple[int, int, Place, str]]:  # fmt: skip
        """ "the city", "the town", "both towns", "the capital", "the airport": the place(s) they refer back to.
        A place named earlier in the same sentence comes first (not a destination: "drove north to X, and
        fighters moved into the city"), then the place of the last event read, then the last place named."""
        text = st.text
        win_lo = max(lo, ts - 45) if direction != "after" else ts
        win_hi = min(hi, te + 70) if direction != "before" else te
        x = _BOTH.search(text, win_lo, win_hi)
        if x is not None:
            prev = [
                d for d in st.drafts if d.sent.start < sent.start and d.place is not None and d.place.kind in AREA_KINDS
            ]
            if prev:
                last_sent = prev[-1].sent.start
                group: list[tuple[int, int, Place, str]] = []
                for d in prev:
                    if (
                        d.sent.start == last_sent
                        and d.place is not None
                        and all(d.place.key != g[2].key for g in group)
                    ):
                        group.append((x.start(), x.end(), d.place, x.group(0)))
                if len(group) >= 2:
                    return group
        for rx, kinds in (
            (self.m.ana_facility, FACILITY_KINDS),
            (self.m.ana_city, AREA_KINDS),
            (_IT_OBJECT, frozenset({"city", "town", "village"}) | FACILITY_KINDS),
        ):
            x = self._first(st, rx, win_lo, win_hi)
            if x is None:
                continue
            if rx is _IT_OBJECT and (direction == "before" or not te <= x.start() <= te + 2):
                continue  # "it" only as the trigger's object: "Fighters entered it in the afternoon"
            here = [p for p in self._in(st, sent.start, x.start(), "places")
                    if p[2].kind in kinds and not _DESTINATION.search(text[max(sent.start, p[0] - 14) : p[0]])
                    and not _spoken_from(text, sent.start, p[0])]  # fmt: skip
            here = _prefer_not_reference(text, sent.start, here)
            if here:
                p = here[-1]
                if (
                    rx is _IT_OBJECT
                    and here[0][0] - sent.start <= 4
                    and not _LIST_END.search(text, max(0, p[0] - 6), p[0])
                ):
                    # "El Fasher, the last city in Darfur held by ..., was encircled ... it": the subject; but in
                    # "Aleppo fell ..., Hama on Thursday, and Homs ..., after the army abandoned it" the last of a list
                    p = here[0]
                return [(x.start(), x.end(), p[2], x.group(0))]
            dl = self._dateline_place(st, sent)
            if dl is not None and dl[2].kind in kinds:
                named_since = [p for p in self._in(st, dl[1], x.start(), "places") if p[2].kind in kinds]
                if not named_since:
                    # "DEIR EZ-ZOR - The city changed hands on Friday": the paragraph's dateline
                    return [(x.start(), x.end(), dl[2], x.group(0))]
            word = x.group(0).lower()
            wanted = (
                {"town", "village"} if ("town" in word or "village" in word) else {"city"} if "city" in word else kinds
            )
            if st.checked is not None and "\n" not in text[st.checked[1] : sent.start]:
                # "CLAIM: 'Balakliia was retaken in a day.' - MISLEADING. The town was liberated on Thursday"
                checked = [p for p in self._in(st, st.checked[0], st.checked[1], "places") if p[2].kind in kinds]
                if checked:
                    return [(x.start(), x.end(), checked[-1][2], x.group(0))]
            for pref in (wanted, kinds):
                for d in self._recent_events(st, sent):
                    if d.place is not None and d.place.kind in pref:
                        return [(x.start(), x.end(), d.place, x.group(0))]
            for pref in (wanted, kinds):
                # "the city" is the last city named, not a region named after it ("El Fasher, ... in Darfur")
                for p in self._before(st, x.start(), "places"):
                    if p[2].kind in pref:
                        return [(x.start(), x.end(), p[2], x.group(0))]
        x = self._first(st, self.m.ana_capital, win_lo, win_hi)
        if x is not None and _OF_NAME.match(text, x.end()):
            x = None  # "Laukkaing, the capital of the Kokang region": a description of a town, not the capital
        if x is not None and st.country_code:
            capital = next(
                (v.capital for v in self.lex.states.values() if v.country == st.country_code and v.capital), None
            )
            if capital and self.geoparser is not None:
                place = self.geoparser.resolve(capital, st.country_code)
                if place is not None:
                    return [(x.start(), x.end(), place, x.group(0))]
        return []

    def _entry_label_place(self, st: DocState, sent: Sentence, before: int) -> tuple[Place, str] | None:
        """The place a log's or a board's line opens with ("[07 Dec 06:12] #Homs: ...", "HAMA — ...",
        "• Homs city: ...", a wire dateline "TADMUR - "): where the line's sentences happen when they name no
        place of their own ("Fighters entered it in the afternoon")."""
        if st.tables and (in_row := self._row_place(st, sent)) is not None:
            return in_row  # an incident log's row: its place column ("04/12 | Halfaya | ... capture town")
        text = st.text
        line_lo = text.rfind("\n", 0, sent.start) + 1
        for p in self._in(st, line_lo, before, "places"):
            if _ENTRY_PREFIX.fullmatch(text, line_lo, p[0]) is None:
                break
            return (p[2], p[3]) if _LABEL_AFTER.match(text, p[1]) and p[2].kind != "country" else None
        dl = self._dateline_place(st, sent)
        return (dl[2], dl[3]) if dl is not None else None

    def _dateline_place(self, st: DocState, sent: Sentence) -> tuple[int, int, Place, str] | None:
        """The place of the wire dateline that opens the sentence's paragraph ("ALBU KAMAL - ", "HAMA, Syria
        (Wire) — "), if it has one."""
        # (only roundups keep them: a single dateline is where the story was filed, not where things happened)
        return st.dateline_places.get(st.text.rfind("\n", 0, sent.start) + 1)
