"""Who says so, and how: reporting frames, transcript turns, denials, retractions, hypotheticals."""

from __future__ import annotations

import re
from dataclasses import replace

from sitroom.extract.drafts import DocState, Frame, Mention, StepBase
from sitroom.extract.patterns import (
    _BRACKET_SOURCE,
    _CIRCUMSTANCE_TAIL,
    _COORDINATION,
    _DESCRIPTION,
    _HEADER,
    _OWN_VOICE,
    _PASSIVE_REPORT,
    _RELATIVE_OPEN,
    _SOURCE_KINDS,
    _SPEAKER_LABEL,
    _WE_BEFORE,
    _clause_start,
    _inside,
    _next_break,
    _next_frame_end,
    _post_subject_start,
    _written_ref,
)
from sitroom.extract.syntax import Scope
from sitroom.extract.text import Sentence
from sitroom.extract.turns import Turn
from sitroom.model import ActorRef


class AttributionStep(StepBase):
    """Who says so, and how: a step of `RulesExtractor`."""

    def _speaker_before(self, st: DocState, idx: int, sent: Sentence, verb_start: int, actors: list[Mention],
                        lo: int) -> Mention | None:  # fmt: skip
        """The subject of a reporting verb: the first actor of the phrase before it (back to a clause
        break), or what a pronoun refers to, or a capitalised name the lexicon does not know."""
        text = st.text
        seg_lo = max(lo, sent.start)
        head = text[seg_lo:verb_start]
        # the subject phrase: back over appositive commas ("the monitor's director, Rami Abdel Rahman,")
        parts = [p for p in re.split(r"(,\s+)", head)]
        # rebuild from the right: last part, then earlier ones while they look like part of one noun phrase
        phrase_lo = verb_start
        acc = ""
        relative: list[tuple[int, int]] = []
        for k in range(len(parts) - 1, -1, -1):
            piece = parts[k]
            if piece.startswith(",") and piece.strip() == ",":
                acc = piece + acc
                continue
            cand_lo = verb_start - len(piece + acc)
            if k > 0 and _RELATIVE_OPEN.match(piece):
                # "The army, which holds the city with allied armed groups, said": the relative clause
                # describes the subject; its actors are not the speaker
                relative.append((cand_lo, cand_lo + len(piece)))
                acc = piece + acc
                continue
            inner = [a for a in actors if cand_lo <= a.start < verb_start and not _inside(a.start, relative)]
            phrase_lo = cand_lo
            acc = piece + acc
            words = piece.split()
            if inner and not (len(words) <= 4 and all(w[:1].isupper() for w in words) and k > 0):
                break
            if len(words) > 12:
                break
        inner = [
            a
            for a in actors
            if phrase_lo <= a.start < verb_start and a.end <= verb_start and not _inside(a.start, relative)
        ]
        if inner:
            # the head of the phrase: its first actor, preferring a named one over a description in one chain
            first = inner[0]
            for a in inner[1:]:
                gap = text[first.end : a.start]
                if re.fullmatch(r"(?:['’]s)?[\s()'’-]*", gap) and (first.generic or a.ref.id in first.family):
                    first = a
            return first
        if st.issuer is not None and _WE_BEFORE.search(text[max(seg_lo, verb_start - 30) : verb_start]):
            return st.issuer
        own = _OWN_VOICE.search(text, seg_lo, verb_start)
        if own is not None:
            # "The SDF also secured Albu Kamal, its spokesman said": the subject speaks through its own spokesman
            subject = next((a for a in actors if sent.start <= a.start < own.start() and a.role == "actor"
                            and not a.national and a.kind in ("armed_group", "government_body", "state",
                                                              "international_organisation", "monitor")), None)  # fmt: skip
            if subject is not None:
                return replace(subject, start=own.start(), end=own.end())
        pm = self.m.pronoun_speaker.search(text[max(seg_lo, verb_start - 40) : verb_start])
        if pm:
            ref = self._pronoun(st, idx, pm.group("p"))
            if ref is not None or not pm.group("p").lower().startswith("the"):
                return ref
            # "The ministry denied ...", with no ministry named before: kept as written below
        # an unknown name: capitalised words right before the verb ("Sham FM said")
        nm = re.search(r"((?:[A-Z][\w'’.-]+\s+){0,3}[A-Z][\w'’.-]+)\s*(?:,[^,]{0,60},)?\s*$", text[seg_lo:verb_start])
        if nm and nm.group(1).split()[0].lower() not in ("the", "in", "on", "it", "a", "an", "but", "and"):
            name = nm.group(1).strip()
            capital_of = next((v for v in self.lex.states.values() if v.capital == name), None)
            if capital_of is not None:
                # "Damascus rejected ...", "Moscow said ...": a capital speaking is its government
                return self._state_body(capital_of, "government", None, seg_lo + nm.start(1), seg_lo + nm.end(1))
            return Mention(seg_lo + nm.start(1), seg_lo + nm.end(1), _written_ref(name),
                           "media", "source")  # fmt: skip
        # a description the lexicon does not know ("an airport official said", "aid agencies warn"): kept as written
        np_ = _DESCRIPTION.search(text[seg_lo:verb_start])
        if np_ is not None and not re.fullmatch(r"\s*(?:it|they|he|she)\s*", np_.group("np"), re.I):
            name = re.sub(r"^(?:the|a|an)\s+", "", np_.group("np").strip(), flags=re.I)
            return Mention(seg_lo + np_.start("np"), seg_lo + np_.end("np"), _written_ref(name),
                           "population", "source")  # fmt: skip
        return None

    def _frames(self, st: DocState, idx: int, sent: Sentence, actors: list[Mention]) -> list[Frame]:
        text = st.text
        frames: list[Frame] = []
        s0, s1 = sent.start, sent.end
        body_end = s1 - (len(text[s0:s1]) - len(text[s0:s1].rstrip(' ."”’')))
        # "according to X"
        for x in self._hits(st, self.m.according, s0, s1):
            stop = _next_break(text, x.end(), body_end)
            sp = next((a for a in actors if x.end() <= a.start < stop), None)
            if sp is None:
                poss = re.match(r"\s*(the\s+[a-z]+)['’]s\s", text[x.end() : stop] + " ")
                if poss is not None:
                    # "according to the ministry's latest count": the ministry named before
                    sp = self._pronoun(st, idx, poss.group(1))
            if sp is None:
                name = re.sub(r"^(?:the|a|an|three|two|several|some)\s+", "", text[x.end() : stop].strip(), flags=re.I)
                if name:
                    sp = Mention(x.end(), stop, _written_ref(name), "media", "source")
            if sp is None:
                continue
            sp_end = max(sp.end, stop)
            region = (x.start(), sp_end)
            scope = (sp_end, s1) if x.start() - s0 < 4 or text[s0 : x.start()].strip() in ("", ",") else (s0, x.start())
            frames.append(Frame(sp, x.start(), x.end(), scope, region))
        colon = re.match(r"\s*([^:;,.]{2,60}):\s", text[s0:s1])
        if colon is not None:
            # "SOHR: regime forces have withdrawn from ...": a monitor's or a desk's post names its source first
            sp0 = next((a for a in actors if s0 <= a.start < s0 + colon.end(1)), None)
            if sp0 is not None:
                frames.append(
                    Frame(sp0, s0 + colon.end(1), s0 + colon.end(1), (s0 + colon.end(), s1), (s0, s0 + colon.end()))
                )
        for x in _BRACKET_SOURCE.finditer(text, s0, s1):
            # a board's or a log's line credits its source in brackets or after "per": "~280k displaced (OCHA)",
            # "Rastan + Talbiseh under opposition control per 2 local contacts"
            g = "src" if x.group("src") is not None else "src2"
            sp = next((a for a in actors if x.start(g) <= a.start < x.end(g) and a.role in ("actor", "source")
                       and a.kind in _SOURCE_KINDS and not a.national), None)  # fmt: skip
            if sp is not None and any(a.start < x.start() and a.ref.id == sp.ref.id for a in actors):
                sp = None  # "the Syrian Democratic Forces (SDF)": the bracket spells out a name, it credits no one
            if sp is not None and g == "src" and s1 - s0 > 160 and sp.kind not in ("monitor", "media", "population"):
                sp = None  # in running prose a bracket explains; boards and logs credit their sources in brackets
            if sp is not None and not any(f.region[0] <= x.start() < f.region[1] for f in frames):
                frames.append(Frame(sp, x.start(), x.start(), (s0, x.start()), (x.start(), x.end())))
        header = self._header_speaker(st, sent)
        if header is not None and not frames:
            # "[Embassy of India, 7 Dec 19:40] Update: Damascus airport operating. Register with the embassy."
            frames.append(Frame(header, s1 + 1, s1 + 1, (s0, s1), (s0, s0)))
        turn = st.turns.get(text.rfind("\n", 0, s0) + 1)
        if turn is not None:
            frames = [f for f in frames if not (f.region[0] < turn.label_end and f.region[1] <= turn.label_end + 1)]
            if turn.voice == "speaker" and not frames:
                # "DR SAMER: Since yesterday morning we have received forty-one dead." (a transcript's turn)
                frames.append(Frame(self._turn_speaker(st, turn, s1), s1 + 1, s1 + 1, (s0, s1), (s0, s0)))
        verbs = [(x.start(), x.end(), False) for x in self._hits(st, self.m.reporting, s0, s1)]
        verbs += [(x.start(), x.end(), True) for x in self._hits(st, self.m.denial, s0, s1)]
        verbs.sort()
        taken: list[tuple[int, int]] = [f.region for f in frames]
        for vs, ve, denial in verbs:
            if any(a <= vs < b for a, b in taken) or any(a.start <= vs < a.end for a in actors):
                continue
            if text[vs].isupper() and re.search(r"[A-Z][\w.'’-]*\s+$", text[max(s0, vs - 30) : vs]):
                continue  # "United States", "Islamic State": a capitalised word inside a name is no verb
            if _PASSIVE_REPORT.search(text, max(s0, vs - 24), vs) and not re.match(
                r"\s+(?:by|to)\b", text[ve : ve + 4]
            ):
                # "opposition fighters were reported at the edge of Homs": what is reported, not who reports it
                continue
            word = text[vs:ve].lower()
            if word.startswith(("saying", "warning", "adding", "citing", "announcing", "reporting")) and frames:
                # a participle continues the previous frame's speaker
                prev = frames[-1]
                frames.append(Frame(prev.speaker, vs, ve, (ve, _next_frame_end(text, ve, body_end)), (vs, ve),
                                    denial or prev.denial))  # fmt: skip
                continue
            tail = text[ve : _next_break(text, ve, body_end, commas_only=True)]
            comma_before = text.rfind(",", s0, vs)
            post = (
                comma_before >= 0
                and (len(tail.split()) <= 6 or (len(tail.split()) <= 12 and _CIRCUMSTANCE_TAIL.match(tail) is not None))
                and not re.search(r"\d", tail)
                and not re.match(r"\s*(?:that|:)", tail)
                and not any(t.regex.search(tail) for t in self.m.triggers if t.group.type != "statement")
            )
            inverted = None
            if re.search(r",\s*$", text[s0:vs]) and not re.match(r"\s*(?:that\b|:)", text[ve:body_end]):
                # "..., said Rami Abdel Rahman, the head of the Observatory.": the speaker follows the verb
                stop = _next_break(text, ve, body_end, commas_only=True)
                inverted = next((a for a in actors if ve <= a.start <= ve + 6 and a.start < body_end), None)
                if inverted is None:
                    nm2 = re.match(r"\s+((?:[A-Z][\w'’.-]+\s*){1,4})", text[ve:stop])
                    if nm2:
                        name = nm2.group(1).strip()
                        inverted = Mention(ve + nm2.start(1), ve + nm2.end(1), _written_ref(name),
                                           "media", "source")  # fmt: skip
            if inverted is not None:
                comma = text.rfind(",", s0, vs)
                region = (comma, body_end)
                frames.append(Frame(inverted, vs, ve, (s0, comma), region, denial))
                taken.append(region)
                continue
            if post:
                lo = comma_before + 1
                # "..., the monitor's director, Rami Abdel Rahman, told reporters": reach back over appositions
                sp = self._speaker_before(st, idx, sent, vs, actors, _post_subject_start(text, s0, vs))
                if sp is None:
                    continue
                lo = min(lo, sp.start)
                region = (min(lo, sp.start), _next_break(text, ve, s1, commas_only=True))
                scope = (s0, max(s0, text.rfind(",", s0, lo) if text.rfind(",", s0, lo) > s0 else lo))
                frames.append(Frame(sp, vs, ve, scope, region, denial))
                # what follows the frame (", seizing a town ...") is the same speaker's
                frames.append(Frame(sp, vs, ve, (region[1], s1), region, denial))
                taken.append(region)
            else:
                # a verb inside another speaker's words ("X said that the rebels had claimed ...") has its own
                # subject after that frame's "that", not the outer speaker
                inner_lo = max([r[1] for r in taken if r[1] <= vs], default=s0)
                sp = self._speaker_before(st, idx, sent, vs, actors, max(inner_lo, _clause_start(text, s0, vs)))
                if sp is None:
                    continue
                # the frame's own words run to "that" or to the first word of what is said
                mm = re.match(r"(?:\s+(?:on|late on|early on|later on|earlier on|in|at|via|by|through)\s+[^,]{0,40}?)?"
                              r"(?:\s+(?:claims|reports|rumours|rumors|suggestions|allegations|accounts?|the account))?"
                              r"\s*(?:that\b|,)?", text[ve:body_end])  # fmt: skip
                said_end = ve + (mm.end() if mm and "that" in mm.group(0) else 0)
                region = (sp.start, said_end)
                scope = (said_end, _next_frame_end(text, said_end, body_end))
                for f in frames:
                    if f.scope[0] <= sp.start < f.scope[1] and f.speaker is not sp:
                        co = _COORDINATION.search(text, f.scope[0], sp.start)
                        if co is not None:
                            # "X said they had reached Homs, and after Y said ...": Y's words are not X's
                            f.scope = (f.scope[0], co.start())
                frames.append(Frame(sp, vs, ve, scope, region, denial))
                taken.append(region)
        if st.issuer is not None and (turn is None or turn.voice == "speaker"):
            # a document that is itself a statement (an army communique, an embassy alert, a UN flash update, a
            # monitor's post) speaks for its issuer wherever no one else is quoted (DESIGN.md, attributed_to);
            # "We have withdrawn our units ..." is the issuer in the first person
            # (its verb position is past the sentence, so any quoted speaker is the outer frame where one is)
            frames.append(Frame(st.issuer, s1 + 1, s1 + 1, (s0, s1), (s0, s0)))
        if frames:
            named = next((f.speaker for f in frames if f.speaker is not None), None)
            if named is not None:
                st.last_speaker = named
                st.last_speaker_sent = idx
        return frames

    def _frame_for(self, frames: list[Frame], pos: int) -> Frame | None:
        """The outermost frame whose scope holds `pos` (the earliest verb); any denial on the way counts."""
        holding = [f for f in frames if f.scope[0] <= pos < f.scope[1]]
        if not holding:
            return None
        outer = min(holding, key=lambda f: f.verb_start)
        if any(f.denial for f in holding) and not outer.denial:
            return Frame(outer.speaker, outer.verb_start, outer.verb_end, outer.scope, outer.region, True)
        return outer

    def _label_speaker(self, st: DocState, start: int) -> ActorRef | None:
        """The speaker a line's label names ("• Sumy regional administration: Russian shelling hit ..."): a known
        actor inside the label, else the label as written."""
        line_lo = st.text.rfind("\n", 0, start) + 1
        m = _SPEAKER_LABEL.match(st.text, line_lo)
        if m is None:
            return None
        lo, hi = m.start("label"), m.end("label")
        known = [a for a in self._in(st, lo, hi, "actors") if a.kind != "armed_group" or a.role == "source"]
        if known:
            return known[-1].ref
        label = " ".join(st.text[lo:hi].split())
        return _written_ref(label)

    def _retracted(self, st: DocState, sent: Sentence, ts: int, te: int) -> bool:
        """An earlier report the outlet takes back: framed as what it (or an earlier entry) said, and called wrong
        in the same sentence or within the next few lines."""
        head = st.text[sent.start : ts]
        if not self.m.earlier_report.search(head):
            return False
        if self.m.correction_label.search(head):
            return True  # "CORRECTION: An item at 18:02 said fighters had entered Hama": the line takes it back
        return self.m.retracted.search(st.text[te : min(len(st.text), sent.end + 240)]) is not None

    @staticmethod
    def _scope(st: DocState, sent: Sentence, ts: int) -> Scope:
        return st.syntax.scope(sent.start, sent.end, ts) if st.syntax is not None else Scope()

    def _hypothetical(self, text: str, sent: Sentence, lo: int, ts: int, te: int) -> bool:
        if text[sent.start : sent.end].rstrip(' "”’)').endswith("?"):
            return True  # "Could the rebels take Homs?": a question asserts nothing
        clause_lo = max(lo, _clause_start(text, sent.start, ts))
        if self.m.hypothetical.search(text[max(clause_lo, ts - 60) : ts]):
            return True
        # a nominal trigger as the subject of a conditional: "the capture of Homs would mean", "its capture would"
        after = text[te : min(sent.end, te + 40)]
        if re.match(r"^\s*(?:of\s+)?(?:[\w'’-]+\s+){0,3}?(?:would|could|might)\b", after):
            return True
        head = text[sent.start : ts]
        # "If ...", "Should hostilities reach Hama, ...", "Had the army held ..." - after a list's bullet too
        return (
            bool(re.match(r"^[\s•*·▪◦‣–—-]*(?:if|should|unless|were|had)\b", head, re.IGNORECASE)) and "," not in head
        )

    def _header_speaker(self, st: DocState, sent: Sentence) -> Mention | None:
        """The body a forwarded message is from, named in its line's bracketed header ("[U.S. Embassy Damascus,
        7 Dec 08:30] Depart Syria now ..."): the speaker of every sentence of the message."""
        text = st.text
        line_lo = text.rfind("\n", 0, sent.start) + 1
        m = _HEADER.match(text, line_lo)
        if m is None or m.end() > sent.end:
            return None
        for a in self._in(st, line_lo, m.end(), "actors"):
            if a.kind in ("state", "government_body", "international_organisation", "monitor") and not a.national:
                return replace(a, start=sent.end + 1, end=sent.end + 1)  # outside the sentence: a speaker only
        return None

    def _turn_speaker(self, st: DocState, turn: Turn, s1: int) -> Mention:
        """Who speaks a transcript's turn: an actor the label names ("Lebanese Health Minister:"), else the person
        the label or its aside names, as a source of its own."""
        for a in self._in(st, turn.label_start, turn.label_end, "actors"):
            if a.kind in _SOURCE_KINDS and not a.national:
                return replace(a, start=s1 + 1, end=s1 + 1)  # outside the sentence: a speaker only
        return Mention(s1 + 1, s1 + 1, _written_ref(turn.name), "media", "source")
