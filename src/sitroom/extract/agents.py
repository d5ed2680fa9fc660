"""Who acts: actor mentions, bodies and coalitions resolved, the doer of an event."""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from typing import Any

from sitroom.extract.drafts import DocState, Frame, Mention, StepBase
from sitroom.extract.lexicon import StateEntry
from sitroom.extract.matchers import BODY_TITLES
from sitroom.extract.patterns import (
    _ABBREV_AFTER,
    _ABBREV_BEFORE,
    _AREA_NOUN_AFTER,
    _ATTRIBUTED_TO,
    _BLAMING,
    _CHANNEL_BEFORE,
    _DEMONYM_LIST,
    _DESCRIBED_FORCE,
    _FORCE_ACTS,
    _FORCE_QUALIFIER,
    _MONITOR_TAIL,
    _NAME_BEFORE,
    _NAME_JOIN,
    _NOT_A_NAME,
    _OFFICIAL_LABEL,
    _ORG_TAIL,
    _OWN_MARK,
    _SUBJECT_BEFORE,
    _SUPPORTED_BY,
    _TERRORIST,
    _THAT,
    _UNITS,
    FORCE_KINDS,
    _kind_fits,
    _written_ref,
)
from sitroom.extract.text import Sentence
from sitroom.model import ActorRef, Document


class ActorStep(StepBase):
    """Who acts: a step of `RulesExtractor`."""

    def _rebind_descriptions(
        self,
        text: str,
        actors: list[Mention],
        country_code: str,
        countries: frozenset[str] = frozenset(),
    ) -> list[Mention]:
        """ "the army", "government forces", "the authorities": in a report about another country (Sudan,
        Ukraine, Lebanon) a description the lexicon gives the crisis state's forces is that country's own.
        "Rebels", "fighters", "insurgents" in a report that names no place of the crisis state are the one
        armed group the report names (the Taliban, the RSF), or an unidentified armed group."""
        state = next((v for v in self.lex.states.values() if v.country == country_code), None)
        local_groups = {
            a.ref.id: a
            for a in actors
            if a.named and a.kind == "armed_group" and self._actor_country(a.ref.id) in (country_code, None)
        }
        out = []
        for a in actors:
            entry = self.lex.actors.get(a.ref.id)
            country = getattr(entry.actor, "country", None) if entry is not None else None
            if (
                not a.named
                and entry is not None
                and a.kind == "armed_group"
                and country is not None
                and country != country_code
                and country not in countries
            ):
                if len(local_groups) == 1:
                    (only_group,) = local_groups.values()
                    out.append(replace(only_group, start=a.start, end=a.end, named=False, role=a.role))
                else:
                    words = " ".join(text[a.start : a.end].split()).lower().removeprefix("the ")
                    ref = ActorRef("unidentified_armed_group", words)
                    out.append(Mention(a.start, a.end, ref, "armed_group", a.role, generic=True,
                                       family=frozenset({ref.id})))  # fmt: skip
                continue
            if (
                a.named
                or entry is None
                or a.kind not in ("state", "government_body")
                or country is None
                or country == country_code
            ):
                out.append(a)
                continue
            if state is None:
                # a country the lexicon has no state for: its own forces, named as written ("government troops"),
                # never the crisis state's
                words = " ".join(text[a.start : a.end].split()).lower().removeprefix("the ")
                ref = ActorRef(f"forces_of_{country_code.lower()}", words)
                out.append(Mention(a.start, a.end, ref, "government_body", a.role, family=frozenset({ref.id})))
                continue
            words = " ".join(text[a.start : a.end].lower().split())
            body = words.removeprefix("the ").split()[-1] if words else "government"
            if body not in self.m.body_words:
                army = re.search(r"forces|troops|soldiers|army|military|artillery|command", words)
                body = "forces" if army else "government"
            owner = self._owner(text, a, out)
            out.append(replace(self._state_body(owner or state, body, None, a.start, a.end), role=a.role))
        # "M23/AFC fighters", "ELN rebels": a description right after a group's name is that group's people
        for i in range(1, len(out)):
            a, b = out[i - 1], out[i]
            if (
                a.named
                and a.kind == "armed_group"
                and not b.named
                and b.kind == "armed_group"
                and b.ref.id != a.ref.id
                and _NAME_JOIN.fullmatch(text, a.end, b.start)
            ):
                out[i] = replace(a, start=b.start, end=b.end, named=False, role=b.role)
        return out

    def _owner(self, text: str, a: Mention, before: list[Mention]) -> StateEntry | None:
        """ "The Russian defence ministry said its troops had taken ...": the state whose "its" / "their" the
        description follows - the nearest state or state body named before it in the same sentence."""
        if not re.search(r"\b(?:its|their)\s+(?:own\s+)?$", text[max(0, a.start - 12) : a.start], re.IGNORECASE):
            return None
        for b in reversed(before):
            if a.start - b.end > 200 or re.search(r"[.!?]\s", text[b.end : a.start]):
                return None
            if b.state is not None and not b.national and b.kind in ("state", "government_body"):
                return self.lex.states.get(b.state)
        return None

    def _actor_kind(self, actor_id: str) -> str | None:
        entry = self.lex.actors.get(actor_id)
        return entry.actor.kind if entry is not None else None

    def _actor_country(self, actor_id: str) -> str | None:
        entry = self.lex.actors.get(actor_id)
        return getattr(entry.actor, "country", None) if entry is not None else None

    def _issuer(self, doc: Document) -> Mention | None:
        """The body a document speaks for when it is an official notice (an embassy, a UN office)."""
        for label in (doc.outlet or "", (doc.source_kind == "official" and doc.title) or ""):
            if not label:
                continue
            for m in self._actor_mentions(label):
                official = m.kind in ("state", "government_body", "international_organisation", "monitor")
                channel = m.kind == "armed_group" and m.named  # a group's own channel ("Military Operations Command")
                if m.national or not (official or channel):
                    continue
                if m.bare_state and not _OFFICIAL_LABEL.search(label):
                    continue  # "Shelter Cluster, Turkey cross-border hub": a state named as a place, not the issuer
                if not m.named and re.search(r"\b[A-Z][a-z]\w*\s+$", label[: m.start]):
                    # "Crisis Desk Monitor": a description ("monitor") inside another outlet's own name is not it
                    continue
                return Mention(0, 0, m.ref, m.kind, state=m.state, family=m.family)
            if _OFFICIAL_LABEL.search(label):
                # "Government of the Transition, Republic of Mali": a state's own office names the state
                for x in self.m.state_name_re.finditer(label):
                    st = self.m.state_by_name.get(x.group("sname"))
                    if st is not None:
                        return Mention(0, 0, ActorRef(st.id, st.name), "state", state=st.id,
                                       family=frozenset({st.id}))  # fmt: skip
        return None

    def _channel_voice(self, doc: Document, text: str) -> Mention | None:
        """A channel the lexicons do not know that writes of "our forces" speaks as a force: its name is the
        actor of what it says its forces did, and those claims are its own (announced)."""
        if doc.source_kind not in ("social", "official") or not doc.outlet or not self.m.own_forces.search(text):
            return None
        name = doc.outlet.strip()
        ref = _written_ref(name)
        return Mention(0, 0, ref, "armed_group", named=True, family=frozenset({ref.id}))

    def _family(self, actor_id: str) -> frozenset[str]:
        known = self._families.get(actor_id)
        if known is not None:
            return known
        out = [actor_id]
        seen = {actor_id}
        cur = self.lex.actors.get(actor_id)
        while cur is not None and cur.actor.parent and cur.actor.parent not in seen:
            out.append(cur.actor.parent)
            seen.add(cur.actor.parent)
            cur = self.lex.actors.get(cur.actor.parent)
        self._families[actor_id] = frozenset(out)
        return self._families[actor_id]

    def _entry_mention(self, start: int, end: int, aid: str, text: str) -> Mention:
        entry = self.lex.actors[aid]
        a = entry.actor
        name = " ".join(text.split()).lower() if entry.role == "source" else a.name
        # an umbrella group ("rebels", "the opposition") is a description; a named faction under it is not
        generic = a.parent is None and a.kind == "armed_group" and a.id in self._parents
        state = self._body_state.get(a.id)
        if state is None and a.kind == "government_body" and a.country:
            # "the IDF", "the Sudanese Armed Forces": a state's own force belongs to that state
            state = self._state_by_country.get(a.country)
        fam = self._family(aid)
        if state:
            fam = fam | {state}
        return Mention(
            start,
            end,
            ActorRef(a.id, name),
            a.kind,
            entry.role,
            state,
            generic,
            family=fam,
            body=self._speaking_actor.get(a.id),
        )

    def _acting_force(self, m: Mention) -> Mention:
        """Who acts when a speaking body is written as the actor of fighting or a change of control: "the
        defence ministry said it had withdrawn from Kherson" is the state's armed forces' act."""
        if m.body not in self._speaking or m.state is None or m.state not in self.lex.states:
            return m
        force = self._state_body(self.lex.states[m.state], "forces", None, m.start, m.end)
        return replace(force, role=m.role, named=m.named)

    def _state_body(self, st: StateEntry, body_word: str, loc: str | None, start: int, end: int) -> Mention:
        kind = self.m.body_words.get(" ".join(body_word.split()).lower(), "government")
        mapped = st.bodies.get(kind)
        if mapped and mapped in self.lex.actors:
            m = self._entry_mention(start, end, mapped, body_word)
            return replace(m, state=st.id, family=m.family | {st.id}, body=kind)
        dem = st.demonyms[0] if st.demonyms else st.name
        title = BODY_TITLES.get(kind, body_word)
        name = f"{dem} {title}" + (f" in {loc}" if loc and kind == "embassy" else "")
        gkind = "state" if kind == "government" else "government_body"
        # a body is referred to by its state's id (embassy ⊂ state, DESIGN.md); the name says which body
        return Mention(
            start, end, ActorRef(st.id, name), gkind, state=st.id, family=frozenset({st.id}), loc=loc, body=kind
        )

    def _actor_mentions(self, text: str) -> list[Mention]:
        m = self.m
        found: list[Mention] = []
        for rx in (m.alias_cs_re, m.alias_ci_re):
            for x in rx.finditer(text):
                key = x.group(0)
                aid = m.alias_cs.get(key.replace("’", "'")) or m.alias_cs.get(key)
                if aid is None:
                    aid = m.alias_ci.get(" ".join(key.replace("’", "'").split()).lower())
                if aid is None:
                    continue
                mention = self._entry_mention(x.start(), x.end(), aid, key)
                found.append(replace(mention, named=rx is m.alias_cs_re))
        for rx in (m.body_re, m.body_of_re):
            for x in rx.finditer(text):
                st = m.state_by_demonym.get(x.group("dem") or "") if "dem" in rx.rx.groupindex else None
                st = st or m.state_by_name.get(x.group("sname") or "")
                if st is None:
                    continue
                found.append(self._state_body(st, x.group("body"), x.group("loc"), x.start(), x.end()))
        for x in m.state_force_re.finditer(text):
            st = m.state_by_force.get(x.group("force"))
            if st is not None:
                found.append(replace(self._state_body(st, "forces", None, x.start(), x.end()), named=True))
        for x in m.nationals_re.finditer(text):
            st = m.state_by_nationals.get(x.group("nat") or "") or m.state_by_demonym.get(x.group("dem") or "")
            if st is None:
                continue
            found.append(
                Mention(x.start(), x.end(), ActorRef(st.id, st.name), "population", "source", st.id,
                        national=True, family=frozenset({st.id}))
            )  # fmt: skip
        for x in m.state_name_re.finditer(text):
            st = m.state_by_name.get(x.group("sname"))
            if st is None or not _SUBJECT_BEFORE.search(text[max(0, x.start() - 24) : x.start()]):
                continue  # "in Syria", "leave Syria": a place here, not an actor
            if _AREA_NOUN_AFTER.match(text, x.end()):
                continue  # "the Kyiv region", "Damascus countryside": an area named after the capital, no government
            found.append(
                Mention(x.start(), x.end(), ActorRef(st.id, st.name), "state", state=st.id, family=frozenset({st.id}),
                        bare_state=True)
            )  # fmt: skip
        # longest match wins where mentions overlap; then in text order
        # where mentions overlap the longest wins ("the Military Operations Command" over "the military",
        # "a Syrian military source" over "Syrian military"); then in text order
        found.sort(key=lambda a: (-(a.end - a.start), a.start))
        out: list[Mention] = []
        starts: list[int] = []  # of `out`, kept sorted: kept mentions never overlap, so neighbours decide
        for a in found:
            i = bisect.bisect_left(starts, a.start)
            if (i > 0 and out[i - 1].end > a.start) or (i < len(out) and out[i].start < a.end):
                continue
            out.insert(i, a)
            starts.insert(i, a.start)
        out = [self._unknown_org(text, a) for a in out]
        return self._abbreviated(text, out)

    @staticmethod
    def _abbreviated(text: str, mentions: list[Mention]) -> list[Mention]:
        """Short forms a report defines for a known actor - "the Military Operations Command (MOC)", a glossary's
        "MOC = Military Operations Command" - stand for that actor wherever they recur."""
        short: dict[str, Mention] = {}
        for a in mentions:
            if a.national or a.kind not in FORCE_KINDS | {"state", "international_organisation", "monitor"}:
                continue
            after = _ABBREV_AFTER.match(text, a.end)
            before = _ABBREV_BEFORE.search(text, max(0, a.start - 14), a.start)
            for m in (after, before):
                if m is not None and m.group(1) not in short and _initials_of(m.group(1), text[a.start : a.end]):
                    short[m.group(1)] = a
        if not short:
            return mentions
        taken = [(a.start, a.end) for a in mentions]
        extra = []
        for m in re.finditer(r"\b(" + "|".join(map(re.escape, short)) + r")\b", text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            a = short[m.group(1)]
            extra.append(replace(a, start=m.start(), end=m.end()))
        return sorted([*mentions, *extra], key=lambda a: a.start)

    @staticmethod
    def _unknown_org(text: str, a: Mention) -> Mention:
        """ "the United Wa State Army": a generic force word ending a name the lexicons do not know is that
        group, named as written, not the army of the country the report is about."""
        word = text[a.start : a.end]
        kind = "armed_group" if _ORG_TAIL.fullmatch(word) else "monitor" if _MONITOR_TAIL.fullmatch(word) else None
        if kind is None:
            return a
        name = _NAME_BEFORE.search(text, max(0, a.start - 60), a.start)
        if name is None:
            return a
        words = name.group(1).split()
        at_start = name.start(1) == 0 or text[: name.start(1)].rstrip()[-1:] in (".", "\n", ":", "")
        if len(words) < 2 and at_start:
            return a  # "Army units ..." opening a sentence
        full = " ".join([*words, word])
        return Mention(name.start(1), a.end, _written_ref(full), kind, a.role, named=True)

    def _resolve_bodies(self, st: DocState, sent: Sentence, actors: list[Mention]) -> None:
        """ "the Foreign Ministry", "the Embassy": a body whose state the text leaves to the reader. The state
        is one the sentence names (a state, its nationals), else the document's issuer, else (for an army, a
        defence or interior ministry) the state of the country the report is about."""
        for x in self._hits(st, self.m.unqualified_body_re, sent.start, sent.end):
            if any(a.start < x.end() and x.start() < a.end for a in actors):
                continue
            kind = self.m.body_words.get(" ".join(x.group("body").split()).lower(), "government")
            state = None
            named = [a for a in actors if a.state is not None and a.kind in ("state", "population")]
            if named:
                state = self.lex.states.get(min(named, key=lambda a: abs(a.start - x.start())).state or "")
            if state is None and st.issuer is not None and st.issuer.state is not None:
                state = self.lex.states.get(st.issuer.state)
            if state is None and kind in ("embassy", "foreign_ministry"):
                for a in self._before(st, x.start(), "actors"):
                    if a.state is not None and a.kind in ("state", "government_body") and not a.national:
                        state = self.lex.states.get(a.state)
                        break
            if state is None and st.country_code:
                state = next((v for v in self.lex.states.values() if v.country == st.country_code), None)
            if state is None:
                continue
            mention = self._state_body(state, x.group("body"), None, x.start(), x.end())
            pos = bisect.bisect_left(st.actor_starts, x.start())
            st.actors.insert(pos, mention)
            st.actor_starts.insert(pos, x.start())
            actors.append(mention)
        actors.sort(key=lambda a: a.start)

    def _resolve_coalitions(self, st: DocState, sent: Sentence, actors: list[Mention]) -> None:
        """ "The alliance", "the same alliance": the last coalition named before (HTS in this crisis)."""
        for x in self._hits(st, self.m.coalition_ref, sent.start, sent.end):
            if any(a.start <= x.start() < a.end for a in actors):
                continue
            target = None
            for a in self._before(st, x.start(), "actors"):
                entry = self.lex.actors.get(a.ref.id)
                if entry is not None and entry.coalition:
                    target = a
                    break
            if target is None:
                continue
            mention = replace(target, start=x.start(), end=x.end())
            pos = bisect.bisect_left(st.actor_starts, x.start())
            st.actors.insert(pos, mention)
            st.actor_starts.insert(pos, x.start())
            actors.append(mention)
        actors.sort(key=lambda a: a.start)

    def _pronoun(self, st: DocState, idx: int, word: str) -> Mention | None:
        w = " ".join(word.lower().split())
        subj = st.last_subject
        if (
            w == "it"
            and subj is not None
            and st.last_subject_sent == idx - 1
            and st.last_speaker_sent < idx - 1
            and subj.kind in ("state", "government_body", "international_organisation", "monitor")
        ):
            # "Russia's defence ministry did not mention the town. It said instead ...": the body just named
            return subj
        if w in ("it", "they", "he", "she") or w.startswith("the "):
            recent = st.last_speaker is not None and idx - st.last_speaker_sent <= 3
            if (
                recent
                and st.last_speaker is not None
                and (w in ("it", "they", "he", "she") or _kind_fits(w, st.last_speaker))
            ):
                return st.last_speaker
            if w.startswith("the ") and st.issuer is not None and _kind_fits(w, st.issuer):
                return st.issuer
            if st.last_subject is not None and (w in ("it", "they") or _kind_fits(w, st.last_subject)):
                return st.last_subject
        return None

    def _event_actor(self, st: DocState, sent: Sentence, group: Any, ts: int, te: int, lo: int, hi: int,
                     actors: list[Mention], frame: Frame | None) -> Mention | None:  # fmt: skip
        # an actor inside the trigger counts when it opens it ("Soldiers fled", "Rockets were fired") or when the
        # trigger describes a situation ("in rebel hands"); not when it is the object ("drove government forces out")
        usable = [
            a
            for a in actors
            if a.role == "actor" and not a.national and (group.state or a.start <= ts or not (ts <= a.start < te))
        ]
        found = self._actor_in_clause(st, sent, group, ts, te, lo, usable, frame)
        if found is None and group.actor != "after":
            # the parse's subject, where the words around the trigger named none ("the rebels, who had crossed
            # the river at dawn and met little resistance, entered Hama")
            by_grammar = self._grammatical_agent(st, sent, ts, usable, group)
            if by_grammar is not None:
                found = self._specific(st, by_grammar[0], frame)
        if found is None and group.actor != "after" and group.type in _FORCE_ACTS:
            found = self._unlisted_actor(st, sent, ts, actors)
        if found is not None or group.type not in ("territory_captured", "advance", "offensive"):
            return found
        # a capture the clause names no taker for: the armed group named next in the sentence ("... and that
        # local fighters controlled ..."), else the last armed group the report named
        later = [a for a in usable if a.start >= te and a.kind == "armed_group"]
        if later:
            return self._specific(st, later[0], frame)
        for a in self._before(st, ts, "actors"):
            if group.actor == "after" and a.start >= sent.start:
                continue  # "the military handed Hopang over to ...": the subject is who lost the place
            if a.kind == "armed_group" and a.role == "actor" and not a.national:
                return a
        return None

    def _actor_in_clause(self, st: DocState, sent: Sentence, group: Any, ts: int, te: int, lo: int,
                         usable: list[Mention], frame: Frame | None) -> Mention | None:  # fmt: skip
        text = st.text
        if group.actor == "after":
            # "fell to the rebels", "lost control of Aleppo to HTS": the taker follows; the subject, if any, lost
            nxt = [a for a in usable if te <= a.start <= te + 40 and a.kind not in ("monitor", "population")]
            if nxt:
                return self._specific(st, nxt[0], frame)
            ours = self.m.own_forces.search(text, te, min(sent.end, te + 40))
            if ours is not None and frame is not None and frame.speaker is not None and frame.speaker.role == "actor":
                return frame.speaker  # "now under the full control of our forces": the speaker's own
            return None
        clause_lo = max(lo, sent.start)
        blamed = _ATTRIBUTED_TO.match(text, te)
        if blamed is not None:
            # "air strikes attributed to Russian aircraft hit Idlib", "shelling blamed on the army"
            named = [a for a in usable if te <= a.start <= blamed.end() + 12]
            if named:
                return self._specific(st, named[0], frame)
        by_grammar = self._grammatical_agent(st, sent, ts, usable, group, marked_only=True)
        if by_grammar is not None and by_grammar[1] != "subject":
            return self._specific(st, by_grammar[0], frame)  # marked by "by" or a possessive: no doubt left
        prev = [a for a in usable if clause_lo <= a.start and (a.start < te if group.state else a.start <= ts)]
        if frame is not None:
            prev = [a for a in prev if not (frame.region[0] <= a.start < frame.region[1])]
            # "the rebels announced on state television that they had taken Damascus": the channel the speaker
            # used, between its verb and what it says, is nobody's doer
            prev = [
                a
                for a in prev
                if not (
                    frame.verb_end <= a.start
                    and _CHANNEL_BEFORE.search(text[frame.verb_end : a.start])
                    and _THAT.search(text, a.end, ts)
                )
            ]
        helpers = [a for a in prev if _SUPPORTED_BY.search(text, max(clause_lo, a.start - 30), a.start)]
        if helpers and len(helpers) < len(prev):
            # "the army, supported by Wagner, retook Kidal": the helper is not the one that retook it
            prev = [a for a in prev if a not in helpers]
        if not prev and (blaming := _BLAMING.search(text, te, sent.end)) is not None:
            # "shelling of the market killed 54, the ministry said, blaming the RSF"; "accusing the M23 of the attack"
            named = [a for a in usable if blaming.end() <= a.start <= blaming.end() + 12]
            if named:
                return self._specific(st, named[0], frame)
        if prev:
            chain_head = prev[-1]
            # "The Hayat Tahrir al-Sham (HTS) rebel alliance": the named group, not the description
            for a in reversed(prev[:-1]):
                gap = text[a.end : chain_head.start]
                if re.fullmatch(r"[\s()'’-]*", gap):
                    if chain_head.generic or a.ref.id in chain_head.family:
                        chain_head = a
                else:
                    break
            if (
                self.m.possessive_own.search(text[max(lo, chain_head.start - 12) : chain_head.start])
                and chain_head.generic
            ):
                if frame is not None and frame.speaker is not None and frame.speaker.role == "actor":
                    return frame.speaker
                return self._specific(st, chain_head, frame)
            return self._specific(st, chain_head, frame)
        dem = _DEMONYM_LIST.search(text[max(clause_lo, ts - 40) : ts])
        if dem is not None:
            # "Syrian and Russian air strikes": the first state named, by its forces
            first = re.match(r"[\w-]+", dem.group(0))
            state = self.m.state_by_demonym.get(first.group(0)) if first else None
            if state is not None:
                body = "air force" if group.type == "remote_violence" else "forces"
                return self._state_body(state, body, None, ts, ts)
        sp = frame.speaker if frame is not None else None
        own_words = _OWN_MARK.search(text[max(lo, ts - 60) : ts]) is not None
        violent = group.type in ("remote_violence", "armed_clash", "attack_on_civilians")
        speaker_acts = (
            sp is not None and sp.role == "actor" and sp.kind not in ("monitor", "international_organisation", "media")
        )
        if speaker_acts and (own_words or not violent):
            # "the alliance said its units had reached ...": the speaker acts; but state media reporting
            # shelling is not saying that it shelled
            return sp
        own = self.m.possessive_own.search(text[max(lo, ts - 20) : ts]) or re.match(r"^\s*(?:its|their)\b", text[lo:ts])
        if (
            not own
            and st.issuer is not None
            and st.issuer.state is not None
            and sp is st.issuer
            and _UNITS.search(text, max(lo, sent.start), ts)
        ):
            # a state's own briefing: "units of the North group repelled ...", its own units
            state = self.lex.states.get(st.issuer.state)
            if state is not None:
                return self._state_body(state, "forces", None, ts, ts)
        if not own and violent and _TERRORIST.search(text, sent.start, sent.end):
            # a state's own media calling the targets "terrorists" reports its own forces' strikes
            for a in self._in(st, sent.start, sent.end, "actors"):
                state = self.lex.states.get(a.state or "")
                if state is not None and a.kind in ("state", "government_body", "media") and not a.national:
                    return self._state_body(state, "forces", None, ts, ts)
        return st.last_subject if own else None

    def _unlisted_actor(self, st: DocState, sent: Sentence, ts: int, actors: list[Mention]) -> Mention | None:
        """A doer no lexicon lists, named by a proper name in the parse's subject or "by" phrase ("Fano militias
        took over Lalibela", "the ENDF regained it", "People's Defence Force units captured Kawlin"): the name as
        written is the actor, so its claims are not left without one."""
        if st.syntax is None:
            return None
        span = st.syntax.agent_name(sent.start, sent.end, ts)
        if span is None:
            return self._described_force(st, sent, ts, actors)
        lo, hi = span
        if self._overlaps_known(st, sent, lo, hi, actors, places=True):
            return None  # a known actor (already weighed), a place or a date: not a new name
        name = " ".join(st.text[lo:hi].split())
        if len(name) < 2 or _NOT_A_NAME.fullmatch(name) or self.m.state_by_demonym.get(name) is not None:
            return None  # "Ukrainian units": a state's forces the lexicons read, not a new name
        ref = _written_ref(name)
        st.parse_notes.append(f"parse: doer named '{name}', in no lexicon")
        return Mention(lo, hi, ref, "armed_group", named=True, family=frozenset({ref.id}))

    def _overlaps_known(
        self, st: DocState, sent: Sentence, lo: int, hi: int, actors: list[Mention], *, places: bool
    ) -> bool:
        """Whether [lo, hi) holds a known actor, a date or (with `places`) a place of the sentence: words already
        read as something else, so no name of a new actor."""
        return (
            any(a.start < hi and lo < a.end for a in actors)
            or (places and any(p[0] < hi and lo < p[1] for p in self._in(st, sent.start, sent.end, "places")))
            or any(d.start < hi and lo < d.end for d in self._in(st, sent.start, sent.end, "dates"))
        )

    def _described_force(self, st: DocState, sent: Sentence, ts: int, actors: list[Mention]) -> Mention | None:
        """A doer the parse names by a description no lexicon lists, with words that set it apart from the groups
        named before ("Druze groups seized Suwayda", "factions in the south took Daraa"): an actor named as
        written. A bare "fighters" or "the factions" sets nothing apart and is left to the caller."""
        who = st.syntax.agent(sent.start, sent.end, ts) if st.syntax is not None else None
        if who is None or who.how != "subject" or who.end > ts:
            return None
        text = st.text
        phrase = _DESCRIBED_FORCE.fullmatch(text, who.start, who.end)
        if phrase is None:
            return None
        hi = who.end
        qualifier = _FORCE_QUALIFIER.match(text, hi, ts)
        if qualifier is not None:
            hi = qualifier.end()
        mods = (phrase.group("mods") or "").split()
        if not mods and qualifier is None:
            return None
        if self._overlaps_known(st, sent, who.start, hi, actors, places=False):
            return None  # a known actor (already weighed) or a date ("fighters from Daraa" may name a place)
        name = " ".join(text[who.start : hi].split())
        name = re.sub(r"^(?i:the)\s+", "", name)
        ref = _written_ref(name)
        st.parse_notes.append(f"parse: doer described as '{name}', in no lexicon")
        return Mention(who.start, hi, ref, "armed_group", family=frozenset({ref.id}))

    @staticmethod
    def _grammatical_agent(
        st: DocState, sent: Sentence, ts: int, usable: list[Mention], group: Any, marked_only: bool = False
    ) -> tuple[Mention, str] | None:
        """The actor the parse names as the doer of the trigger ("was captured by HTS fighters", "the rebels'
        capture of Aleppo", "the rebels entered Hama and seized the airport"), when one actor mention is in it."""
        if st.syntax is None or group.state:
            return None
        if not usable:
            return None
        who = st.syntax.agent(sent.start, sent.end, ts, marked_only=marked_only)
        if who is None or (marked_only and who.how == "subject"):
            return None
        inside = [a for a in usable if who.start <= a.start and a.end <= who.end]
        if len(inside) != 1:
            return None
        st.parse_notes.append(f"parse: doer by {who.how} '{st.text[who.start : who.end]}'")
        return inside[0], who.how

    def _specific(self, st: DocState, m: Mention, frame: Frame | None) -> Mention:
        """ "its fighters" / "their units": the group named before, rather than the bare description."""
        if not m.generic:
            return m
        left = st.text[max(0, m.start - 8) : m.start].lower()
        if (
            re.search(r"\bour\s+$", left)
            and frame is not None
            and frame.speaker is not None
            and frame.speaker.role == "actor"
        ):
            return frame.speaker  # "our fighters", in the speaker's own words
        if re.search(r"\b(?:its|their)\s+$", left):
            if frame is not None and frame.speaker is not None and frame.speaker.role == "actor":
                return frame.speaker
            if st.last_subject is not None and st.last_subject.ref.id != m.ref.id:
                return st.last_subject
        return m


def _initials_of(short: str, name: str) -> bool:
    """Whether `short` is made of the initials of `name`'s words, in order ("MOC", "Military Operations
    Command"; "SDF", "the Syrian Democratic Forces"), so "PALMYRA — The Syrian Free Army" defines nothing."""
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z][\w'’]*", name) if w[0].isupper())
    letters = iter(initials.upper())
    return len(short) >= 2 and all(ch in letters for ch in short.upper() if ch.isalpha())
