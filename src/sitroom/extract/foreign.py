"""Reading Arabic and Russian reports: claims from word lists, without a parser.

sitroom's parser and most of its rules are English. For a language with a ``lang/<code>/reader.toml`` this
module reads a report sentence by sentence, the way the English rules began: a sentence that holds an event word
of a type (stems with their endings, clitics allowed in Arabic) becomes a claim of that type at the place the
sentence names nearest the word (the gazetteer holds GeoNames' Arabic and Russian names; Russian case endings and
Arabic clitics are tried off), by the actor named nearest before it, said by the speaker a reporting word names,
denied when a negation or a denial word governs it, hypothetical under a modal or an intention, announced when a
side reports its own act. Dates come from ``dateparser`` in that language against the publication day (Arabic-
Indic digits read), else the report's day. Figures take the number beside a casualty or displacement word;
embassies' advice and the status of airports and crossings have word lists of their own.

Claims keep the original sentence as evidence; places and actors carry sitroom's English names. Every claim's
rule is ``<type>.<language>`` and its cues name the words that fired it.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from difflib import SequenceMatcher
from functools import cache
from typing import Any

from sitroom.errors import DataFileError
from sitroom.extract.base import claim_id
from sitroom.geo.names import norm
from sitroom.lang import ROOT
from sitroom.model import ActorRef, Claim, DateSpan, Document, Evidence, Place

# A name matched through its Latin spelling must be this close to the place's own name (difflib's ratio): the
# gazetteer's loose key alone takes "Нанесено" (inflicted) for Nizhyn and "Город не" for Gorodnya.
LOOSE_MATCH = 0.7
CONFIDENCE = 0.55  # word lists without a parse: below what the English rules give a plain reading
_SENTENCE = re.compile(r"[^.!?؟\n]+(?:[.!?؟]+|\n|$)")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:[ ,.\u00a0\u066c]\d{3})+|\d+)(?![\d])")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")
_PLACE_KINDS = frozenset(
    {"city", "town", "village", "admin1", "admin2", "country", "airport", "border_crossing", "port", "military_base"}
)
_FRONT = frozenset({"territory_captured", "withdrawal", "advance"})


@cache
def languages() -> tuple[str, ...]:
    """The languages read by this module: those with a reader.toml (looked up once: every report asks)."""
    return tuple(sorted(p.name for p in ROOT.iterdir() if (p / "reader.toml").is_file()))


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    what: str  # event type, actor id, state id...
    text: str


class ForeignReader:
    """Word-list reading of one language (lang/<code>/reader.toml)."""

    def __init__(self, code: str, owner: Any) -> None:
        """`owner` is the rules extractor this reader serves: its lexicons, geoparser and the way it names a
        state's forces and an actor's family are shared, so claims in any language name actors alike."""
        self.code = code
        self.owner = owner
        self.extractor_name = owner.name
        self.lex = owner.lex
        self.gp = owner.geoparser
        data = _reader(code)
        arabic = code == "ar"
        # Arabic clitics before a word: conjunctions and prepositions, and the article
        # Arabic: clitics, then the article or a verb's imperfect prefix ("تسيطر", "يسيطرون")
        lead = r"(?:(?<=^)|(?<=[\s\"'«»(،:؛]))(?:[وفبلك]{0,2})(?:ال|[يتنس]{1,2})?" if arabic else r"\b"
        tail = r"(?=$|[\s\"'«»).,:;!?،؛؟-])" if arabic else r"\b"
        self._lead, self._tail = lead, tail

        def rx(frags: list[str]) -> re.Pattern[str]:
            alts = "|".join(sorted((norm_text(f) if arabic else f for f in frags), key=len, reverse=True))
            return re.compile(f"{lead}(?:{alts}){tail}", re.IGNORECASE)

        self.events = {t: rx(f) for t, f in data["events"].items()}
        self.figures = {t: rx(f) for t, f in data["figures"].items()}
        tr = data["transport"]
        self.facility = rx(tr["facilities"])
        self.airport_word = rx(tr["airport_words"])
        self.crossing_word = rx(tr["crossing_words"])
        self.closed, self.opened = rx(tr["closed"]), rx(tr["open"])
        adv = data["advisory"]
        self.advice = {k: rx(adv[k]) for k in ("leave", "do_not_travel", "shelter_in_place")}
        self.issuer = rx(adv["issuers"])
        st = data["stance"]
        self.negator = rx(st["negators"])
        self.negator_adjacent = rx(st.get("negators_adjacent", ["(?!x)x"]))
        self.denial, self.hypothetical, self.reporting = rx(st["denial"]), rx(st["hypothetical"]), rx(st["reporting"])
        self.own = rx(st.get("own", ["(?!x)x"]))
        self.statement = rx(st.get("statement", ["(?!x)x"]))
        self.refuted_next = rx(st.get("refuted_next", ["(?!x)x"]))
        self.negated_after = rx(st.get("negated_after", ["(?!x)x"]))
        pl = data["places"]
        self.not_places = frozenset(norm(norm_text(w) if arabic else w) for w in pl["not_places"])
        self.endings = tuple(pl.get("endings", ()))
        self.restore = tuple(pl.get("restore", ("",)))
        self.prefixes = tuple(pl.get("prefixes", ()))
        self.capitalised = bool(pl.get("capitalised", False))
        # what may stand between two places of a list: a comma, a conjunction, a word for places
        self.list_gap = re.compile(pl.get("list_gap", r"\s*,\s*"))
        # Cyrillic names GeoNames lacks ("Саракиб"): spelt in Latin letters and matched loosely within the
        # report's country ("sarakib" -> Saraqib)
        self.translit = str.maketrans(dict(pl.get("latin", {})))
        self.countries = {
            norm(norm_text(n) if arabic else n): cc for cc, names in data.get("countries", {}).items() for n in names
        }
        self.weekdays = {
            (norm_text(w) if arabic else w).lower(): int(day)
            for day, words in data.get("dates", {}).get("weekdays", {}).items()
            for w in words
        }
        months = data.get("dates", {}).get("hijri_months", {})
        self.hijri_months = {norm_text(w): int(n) for n, words in months.items() for w in words}
        names = "|".join(sorted(map(re.escape, self.hijri_months), key=len, reverse=True))
        self.hijri_rx = re.compile(rf"(\d{{1,2}})\s+({names})\s+(1[34]\d\d)") if names else None
        nums = data.get("numbers", {})
        fold = norm_text if arabic else str.lower
        self.number_values = {fold(w): float(v) for group in ("units", "tens", "hundreds") for w, v in nums.get(group, {}).items()}  # fmt: skip
        self.number_scales = {fold(w): float(v) for w, v in nums.get("scales", {}).items()}
        self.number_words = frozenset(self.number_values) | frozenset(self.number_scales)
        self.actor_rx = [(aid, rx(f)) for aid, f in data["actors"].items()]
        self.state_rx = [(sid, rx(f)) for sid, f in data["states"].items()]
        self._place_memo: dict[str, Place | None] = {}
        self._loose_memo: dict[tuple[str, str], Place | None] = {}

    # --- reading -------------------------------------------------------------------------------------------

    def extract(self, doc: Document) -> list[Claim]:
        fold = norm_text if self.code == "ar" else str
        sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(doc.text) if m.group(0).strip()]
        folded = {s: fold(doc.text[s[0] : s[1]]) for s in sentences}  # offsets inside a sentence are near enough
        places_by_sent = {s: self._places(folded[s]) for s in sentences}
        # the report's country: the one most of its distinct places lie in (a word read many times counts once)
        distinct = {p.key: p for ps in places_by_sent.values() for _, _, p in ps if p.country}
        countries = Counter(p.country for p in distinct.values())
        country = countries.most_common(1)[0][0] if countries else None
        named = {p.country for p in distinct.values() if p.kind == "country"}
        if country is not None and self.translit:
            places_by_sent = {s: self._places(folded[s], country) for s in sentences}
        issuer = self._issuer_state(fold(doc.text))
        voice = self._voice(doc, fold, country)
        pub = doc.published_at.date() if doc.published_at else None
        last: list[Place] = []  # the place of the event last read: a figure after it counts there
        claims: list[Claim] = []
        seen: set[tuple[Any, ...]] = set()
        for k, (lo, hi) in enumerate(sentences):
            sent = folded[(lo, hi)]
            # "... будто Суджа занята противником. Это неправда!": a sentence that only refutes the one before
            after = folded[sentences[k + 1]].lstrip() if k + 1 < len(sentences) else ""
            refuted = self.refuted_next.match(after[:40]) is not None
            places = places_by_sent[(lo, hi)]
            # a common word that names a far-off village ("قنوات", "الجبل") or town ("معسكر", a camp, is Mascara in
            # Algeria) is no place of this report: outside the report's country only countries, cities of a country
            # the report names and the largest cities count
            places = [p for p in places if (country is not None and p[2].country == country)
                      or p[2].kind == "country" or (p[2].population or 0) >= 1_000_000
                      or ((p[2].population or 0) >= 100_000 and p[2].country in named)]  # fmt: skip
            actors = self._actors(sent, country)
            for claim in self._sentence(doc, lo, hi, sent, places, actors, pub, issuer, country, last, voice, refuted):
                key = (claim.type, claim.place.key if claim.place else None, claim.stance, claim.quantity, lo)
                if key not in seen:
                    seen.add(key)
                    claims.append(claim)
        return claims

    def _sentence(self, doc: Document, lo: int, hi: int, sent: str, places: list[tuple[int, int, Place]],
                  actors: list[_Hit], pub: date | None, issuer: str | None, country: str | None,
                  last: list[Place], voice: str | None = None, refuted: bool = False) -> Iterator[Claim]:  # fmt: skip
        if pub is not None and any(1900 < int(y) < pub.year - 1 for y in _YEAR.findall(sent.translate(_DIGITS))):
            return  # "battles of 2020", "the first demonstration in March 2011": the report's history
        speaker = self._speaker(sent, actors)
        if speaker is None and voice is not None:
            speaker = _Hit(-1, -1, voice, "")  # a side's own statement or channel speaks in every sentence
        denied = refuted or self.denial.search(sent) is not None
        hypothetical = self.hypothetical.search(sent)
        dated: list[DateSpan] = []

        def when() -> DateSpan:  # dateparser's search is the costly part: only for a sentence that makes a claim
            if not dated:
                dated.append(self._date(sent, pub))
            return dated[0]

        for etype, pattern in self.events.items():
            m = pattern.search(sent)
            if m is None or not places:
                continue
            place = self._nearest_place(places, m.start(), after=etype in _FRONT)
            listed = [self._facility_of(sent, places, p) for p in self._listed_with(places, place, sent)]
            last[:] = [listed[0]]
            doers = [a for a in actors if a is not speaker]
            before = [a for a in doers if a.end <= m.start()]
            # "انسحاب قوات النظام", "вывод войск": the doer of a verbal noun follows it at once
            right_after = [a for a in doers if 0 <= a.start - m.end() <= 3]
            actor = right_after[0] if right_after else before[-1] if before else (doers[0] if doers else None)
            stance = self._stance(sent, m, denied, actor, speaker)
            if actor is None and stance == "announced" and speaker is not None:
                actor = speaker  # "قواتنا حررت ...", "освобождены ..." in a side's own words: that side did it
            for spot_of_list in listed:
                yield self._claim(doc, lo, hi, etype, stance, spot_of_list, actor, speaker, when(), m, pub)
        for etype, pattern in self.figures.items():
            for m in pattern.finditer(sent):
                n = self._number_near(sent, m.start(), m.end())
                if n is None:
                    continue
                spot: Place | None = (self._nearest_place(places, m.start(), after=False) if places
                                      else (last[0] if last else self._country(country)))  # fmt: skip
                stance = "denied" if denied else "asserted"
                yield self._claim(doc, lo, hi, etype, stance, spot, None, speaker, when(), m, pub, quantity=n)
                break
        fac = self.facility.search(sent)
        if fac is not None:
            status = (
                "closed" if (c := self.closed.search(sent)) else "open" if (c := self.opened.search(sent)) else None
            )
            if status is not None and c is not None:
                stance = (
                    "denied" if denied or self._negated(sent, c.start())
                    else "hypothetical" if hypothetical is not None and hypothetical.start() < c.start()
                    else "asserted"
                )  # fmt: skip
                # "аэропорты Анапы, Белгорода и Брянска": each city of a list after the facility word has its own
                for facility in self._facilities(sent, fac, places):
                    yield self._claim(doc, lo, hi, "transport_status", stance, facility, None, speaker, when(), c, pub,
                                      status=status)  # fmt: skip
        for advice, pattern in self.advice.items():
            m = pattern.search(sent)
            if m is None:
                continue
            state = self._issuer_state(sent) or issuer
            if state is None:
                continue
            target = next((p for _, _, p in places if p.kind == "country"), None) or (
                places[0][2] if places else self._country(country)
            )
            if target is None:
                continue
            st = self.lex.states.get(state)
            issuer_ref = ActorRef(state, st.name if st else state)
            yield self._claim(doc, lo, hi, "travel_advisory", "asserted", target, None, None, when(), m, pub,
                              advice=advice, actor_ref=issuer_ref, speaker_ref=issuer_ref)  # fmt: skip
            break

    # --- parts ---------------------------------------------------------------------------------------------

    def _stance(self, sent: str, m: re.Match[str], denied: bool, actor: _Hit | None, speaker: _Hit | None) -> str:
        if denied or self._negated(sent, m.start()) or self.negated_after.search(sent, m.end(), m.end() + 60):
            return "denied"
        if self.hypothetical.search(sent, max(0, m.start() - 40), m.start()):
            return "hypothetical"
        if speaker is not None and actor is not None and self._family(speaker.what) & self._family(actor.what):
            return "announced"
        if self.own.search(sent, 0, m.end() + 30):
            return "announced"  # "مجاهدونا يحررون", "наши подразделения освободили": a side's own words
        return "asserted"

    def _negated(self, sent: str, at: int) -> bool:
        """A negator among the two words before the event word."""
        words = list(_WORD.finditer(sent, max(0, at - 30), at))[-2:]
        if words and self.negator_adjacent.fullmatch(words[-1].group(0)) and sent[words[-1].end() : at].strip() == "":
            return True  # "ما سقطت": a negator that negates only the word right after it
        return any(self.negator.fullmatch(w.group(0)) for w in words)

    def _voice(self, doc: Document, fold: Any, country: str | None) -> str | None:
        """The side a report speaks for: the actor its channel or outlet is named after, or the one a statement
        names at its head ("بيان صادر عن القوات المسلحة اليمنية", "Сводка Министерства обороны")."""
        outlet = fold(doc.outlet or "")
        found = self._actors(outlet, country) if outlet else []
        if found:
            return found[0].what
        head = fold(f"{doc.title or ''}\n{doc.text[:200]}")
        stated = self.statement.search(head)
        if stated is None or stated.start() > 60:
            return None
        named = [a for a in self._actors(head, country) if a.start >= stated.start() and a.start - stated.end() <= 40]
        return named[0].what if named else None

    def _speaker(self, sent: str, actors: list[_Hit]) -> _Hit | None:
        rep = self.reporting.search(sent)
        if rep is None or not actors:
            return None
        near = min(actors, key=lambda a: min(abs(a.start - rep.end()), abs(rep.start() - a.end)))
        return near if min(abs(near.start - rep.end()), abs(rep.start() - near.end)) <= 40 else None

    def _actors(self, sent: str, country: str | None) -> list[_Hit]:
        found = [(m, aid) for aid, pattern in self.actor_rx for m in pattern.finditer(sent)]
        # the longest name wins where two overlap: "القوات المسلحة اليمنية" (the Houthis' name for their forces)
        # over "القوات المسلحة" (a country's army)
        found.sort(key=lambda f: f[0].start() - f[0].end())
        hits: list[_Hit] = []
        for m, aid in found:
            if any(h.start <= m.start() < h.end or m.start() <= h.start < m.end() for h in hits):
                continue
            what = aid
            if aid == "@forces":
                what = self._forces_of(country)
                if what is None:
                    continue
            hits.append(_Hit(m.start(), m.end(), what, m.group(0)))
        return sorted(hits, key=lambda h: h.start)

    def _forces_of(self, country: str | None) -> str | None:
        """The actor id of the armed forces of the report's country, as the English rules name them (a state's
        `bodies` in states.toml: Syria's are the lexicon's syrian_government_forces). Without a country, the
        crisis state's, as the English lexicon binds "the army"."""
        if country is None:
            return "syrian_government_forces"
        state = next((s for s in self.lex.states.values() if s.country == country), None)
        return self.owner._state_body(state, "forces", None, 0, 0).ref.id if state is not None else None

    def _family(self, aid: str) -> frozenset[str]:
        """An actor with its parents and its state, as the English rules see a mention of it; a state alone."""
        if aid in self.lex.actors:
            return frozenset(self.owner._entry_mention(0, 0, aid, "").family)
        return frozenset({aid})

    def _ref(self, aid: str) -> ActorRef:
        entry = self.lex.actors.get(aid)
        if entry is not None:
            return ActorRef(entry.actor.id, entry.actor.name)
        state = self.lex.states.get(aid)
        if state is None:
            return ActorRef(aid, aid)
        return self.owner._state_body(state, "forces", None, 0, 0).ref  # type: ignore[no-any-return]

    def _issuer_state(self, text: str) -> str | None:
        m = self.issuer.search(text)
        if m is None:
            return None
        window = text[max(0, m.start() - 40) : m.end() + 60]
        for sid, pattern in self.state_rx:
            if pattern.search(window):
                return sid
        return None

    def _places(self, sent: str, country: str | None = None) -> list[tuple[int, int, Place]]:
        out: list[tuple[int, int, Place]] = []
        words = list(_WORD.finditer(sent))
        i = 0
        while i < len(words):
            found = None
            for n in (3, 2, 1):
                if i + n > len(words):
                    continue
                if self.capitalised and not words[i].group(0)[:1].isupper():
                    break
                lo, hi = words[i].start(), words[i + n - 1].end()
                place = self._lookup(sent[lo:hi], country)
                if place is not None:
                    found = (lo, hi, place, n)
                    break
            if found is not None:
                out.append(found[:3])
                i += found[3]
            else:
                i += 1
        return out

    def _lookup(self, name: str, country: str | None = None) -> Place | None:
        key = norm(name)
        place = self._exact(key)
        # Names GeoNames holds only in Latin letters, within the report's country; every word of a name so matched
        # starts with a capital where the language writes names so (not "Город не")
        if (
            place is None
            and country is not None
            and self.translit
            and (not self.capitalised or all(w[:1].isupper() for w in name.split()))
        ):
            place = self._loose(key, country)
        return place

    def _exact(self, key: str) -> Place | None:
        """The place this folded name names, by the gazetteer's own names (once per name)."""
        if key in self._place_memo:
            return self._place_memo[key]
        place = None
        if not self._not_a_place(key):
            for cand in self._variants(key):
                if cand in self.not_places or len(cand) < 3:
                    continue
                if cand in self.countries:
                    place = self._country(self.countries[cand])
                    break
                got = [p for p in self.gp.gaz.lookup(cand) if p.kind in _PLACE_KINDS]
                if got:
                    place = got[0]
                    break
        self._place_memo[key] = place
        return place

    def _loose(self, key: str, country: str) -> Place | None:
        """The place of `country` this name spelt in Latin letters comes close to (once per name and country)."""
        if (key, country) in self._loose_memo:
            return self._loose_memo[(key, country)]
        place = None
        if not self._not_a_place(key):
            for cand in self._variants(key):
                latin = cand.translate(self.translit)
                if cand in self.not_places or len(latin) < 4 or latin == cand:
                    continue
                got = [
                    p
                    for p in self.gp.gaz.lookup(latin, country)
                    if p.kind in _PLACE_KINDS and SequenceMatcher(None, latin, norm(p.name)).ratio() >= LOOSE_MATCH
                ]
                if got:
                    place = got[0]
                    break
        self._loose_memo[(key, country)] = place
        return place

    def _not_a_place(self, key: str) -> bool:
        """A listed word is no place, nor is it with a clitic on ("وان": and that, not Van) or the article added."""
        return key in self.not_places or (
            self.code == "ar" and any(key.startswith(p) and key[len(p) :] in self.not_places for p in self.prefixes)
        )

    def _variants(self, key: str) -> Iterator[str]:
        yield key
        if self.code == "ar":
            for p in self.prefixes:
                if key.startswith(p) and len(key) > 3:
                    yield key[len(p) :]
            if not key.startswith("ال") and len(key) >= 3:  # not "ما" -> "الما" (Alma)
                yield "ال" + key
        head, _, last = key.rpartition(" ")
        for end in self.endings:
            if last.endswith(end) and len(last) > len(end) + 2:
                stem = last[: -len(end)]
                for r in self.restore:
                    yield (head + " " if head else "") + stem + r

    def _listed_with(self, places: list[tuple[int, int, Place]], place: Place, sent: str) -> list[Place]:
        """The place and those listed after it ("صنعاء ومحافظات الحديدة وتعز", "Цукурино и Кураховка"): each next
        place follows the last with only a conjunction, a comma or a word for places between them."""
        i = next(k for k, p in enumerate(places) if p[2] is place)
        out = [place]
        while i + 1 < len(places) and len(out) < 8:
            gap = sent[places[i][1] : places[i + 1][0]]
            nxt = sent[places[i + 1][0] : places[i + 1][1]]
            if self.list_gap.fullmatch(gap) is None and not (
                self.code == "ar" and gap.strip() == "" and nxt.startswith("و")
            ):  # (Arabic writes "and" onto the next name: "وتعز")
                break
            i += 1
            if places[i][2].key not in {p.key for p in out}:
                out.append(places[i][2])
        return out

    def _nearest_place(self, places: list[tuple[int, int, Place]], at: int, after: bool) -> Place:
        if after:
            following = [p for p in places if p[0] >= at]
            if following:
                return following[0][2]
        return min(places, key=lambda p: abs(p[0] - at))[2]

    def _facility_of(self, sent: str, places: list[tuple[int, int, Place]], place: Place) -> Place:
        """An event's place named after a facility word ("معبر رفح", "аэропорт Дамаска") is that facility."""
        at = next(p[0] for p in places if p[2] is place)
        fac = None
        for f in self.facility.finditer(sent, max(0, at - 25), at):
            if sent[f.end() : at].strip(" ال") == "":
                fac = f
        if fac is None:
            return place
        return self._facility(sent, fac, places) or place

    def _facilities(self, sent: str, fac: re.Match[str], places: list[tuple[int, int, Place]]) -> list[Place]:
        first = self._facility(sent, fac, places)
        after = [p for p in places if p[0] >= fac.end() and p[0] - fac.end() <= 20]
        if first is None or not after:
            return [first] if first is not None else []
        out = [first]
        for city in self._listed_with(places, after[0][2], sent)[1:]:
            got = self._facility_named(sent, fac, city)
            if got.key not in {p.key for p in out}:
                out.append(got)
        return out

    def _facility(self, sent: str, fac: re.Match[str], places: list[tuple[int, int, Place]]) -> Place | None:
        near = [p for p in places if p[0] >= fac.end() and p[0] - fac.end() <= 20] or [
            p for p in places if p[1] <= fac.start() and fac.start() - p[1] <= 20
        ]
        if not near:
            return None
        return self._facility_named(sent, fac, near[0][2])

    def _facility_named(self, sent: str, fac: re.Match[str], base: Place) -> Place:
        """The facility the word at `fac` names at `base` ("аэропорт Дамаска": Damascus's airport), else `base`."""
        if base.kind in ("airport", "border_crossing", "port", "military_base"):
            return base
        words = ("airport", "international airport") if self.airport_word.match(sent, fac.start()) else (
            ("crossing", "border crossing") if self.crossing_word.match(sent, fac.start()) else ()
        )  # fmt: skip
        for w in words:
            got = [p for p in self.gp.gaz.lookup(f"{base.name} {w}") if p.country == base.country]
            if got:
                return got[0]
        return base

    def _country(self, cc: str | None) -> Place | None:
        return self.gp.gaz.country(cc) if cc else None

    def _number_near(self, sent: str, lo: int, hi: int) -> float | None:
        window_lo, window_hi = max(0, lo - 40), min(len(sent), hi + 40)
        text = sent[window_lo:window_hi].translate(_DIGITS)
        best = None
        found: list[tuple[int, int, float]] = []
        for m in _NUMBER.finditer(text):
            value = float(re.sub(r"[ ,.\u00a0\u066c]", "", m.group(1)))
            if 1900 <= value <= 2100 and len(m.group(1)) == 4:
                continue  # a year
            if _after_date_word(text, m):
                continue
            # "300 ألف", "57 тысяч": a scale word after the digits
            after = _WORD.match(text, m.end() + 1) if text[m.end() : m.end() + 1] == " " else None
            scale = self.number_scales.get(self._number_word(after.group(0))) if after else None
            found.append((m.start(), after.end() if after and scale else m.end(), value * scale if scale else value))
        digits = list(found)
        found.extend(w for w in self._word_numbers(text) if not any(a < w[1] and w[0] < b for a, b, _ in digits))
        for start, end, value in found:
            dist = min(abs(window_lo + start - hi), abs(lo - (window_lo + end)))
            if best is None or dist < best[0]:
                best = (dist, value)
        return best[1] if best else None

    def _number_word(self, word: str) -> str:
        """A word as the number lists spell it: lower case; in Arabic without the conjunction on ("وخمسين")."""
        w = word.lower()
        if self.code == "ar" and w.startswith("و") and w[1:] in self.number_words:
            return w[1:]
        return w

    def _word_numbers(self, text: str) -> Iterator[tuple[int, int, float]]:
        """Numbers written in words ("سبعة وخمسين ألف" 57,000, "ثمانية عشر" 18, "двести тысяч" 200,000): a run
        of number words, units and tens added, a hundred or a scale word multiplying what came before it."""
        if not self.number_values:
            return
        run: list[tuple[int, int, str]] = []
        for m in [*_WORD.finditer(text), None]:
            w = self._number_word(m.group(0)) if m is not None else ""
            if m is not None and w in self.number_words:
                run.append((m.start(), m.end(), w))
                continue
            if run:
                total, current = 0.0, 0.0
                for _, _, word in run:
                    if word in self.number_scales:
                        total += max(current, 1.0) * self.number_scales[word]
                        current = 0.0
                    elif word in self.number_values:
                        v = self.number_values[word]
                        current = current * v if v == 100 and 0 < current < 10 else current + v
                value = total + current
                if value > 0:
                    yield run[0][0], run[-1][1], value
            run = []

    def _date(self, sent: str, pub: date | None) -> DateSpan:
        if pub is None:
            return DateSpan(None, None)
        found = self._hijri(sent.translate(_DIGITS), pub) or _search_dates(
            sent.translate(_DIGITS), self.code, pub, self.weekdays
        )
        if found is not None:
            return DateSpan.day(found)
        return DateSpan(pub - timedelta(days=1), pub)

    def _hijri(self, sent: str, pub: date) -> date | None:
        """A Hijri date ("٧ جمادى الآخرة ١٤٤٦هـ"), by the Umm al-Qura calendar; None when there is none."""
        if self.hijri_rx is None:
            return None
        for m in self.hijri_rx.finditer(sent):
            month = self.hijri_months[m.group(2)]
            try:
                from hijridate import Hijri

                g = Hijri(int(m.group(3)), month, int(m.group(1))).to_gregorian()
                day = date(g.year, g.month, g.day)
            except (ImportError, ValueError, OverflowError):
                continue
            if pub - timedelta(days=400) <= day <= pub:
                return day
        return None

    def _claim(self, doc: Document, lo: int, hi: int, etype: str, stance: str, place: Place | None,
               actor: _Hit | None, speaker: _Hit | None, when: DateSpan, m: re.Match[str], pub: date | None,
               quantity: float | None = None, status: str | None = None, advice: str | None = None,
               actor_ref: ActorRef | None = None, speaker_ref: ActorRef | None = None) -> Claim:  # fmt: skip
        aref = actor_ref or (self._ref(actor.what) if actor else None)
        sref = speaker_ref or (self._ref(speaker.what) if speaker else None)
        text = doc.text[lo:hi].strip()
        start = doc.text.find(text, lo) if text else lo
        end = start + len(text)
        metric = {"casualties": "killed", "displacement": "displaced"}.get(etype) if quantity is not None else None
        return Claim(
            id=claim_id(
                doc.id,
                self.extractor_name,
                start,
                end,
                etype,
                place.key if place else None,
                stance,
                quantity,
                advice,
                status,
                aref.id if aref else None,
            ),
            document_id=doc.id,
            type=etype,
            stance=stance,
            evidence=Evidence(text, start, end),
            extractor=self.extractor_name,
            rule=f"{etype}.{self.code}",
            confidence=CONFIDENCE,
            actor=aref,
            attributed_to=sref,
            place=place,
            place_text=place.name if place else None,
            when=when,
            quantity=quantity,
            metric=metric,
            advice=advice,
            status=status,
            cues=(m.group(0).strip(), f"language: {self.code}"),
            published_at=doc.published_at,
            outlet=doc.outlet,
            language=doc.language,
        )


def norm_text(text: str) -> str:
    """Arabic folded as the gazetteer folds names (hamza forms on alef read as alef, short vowels and tatweel
    dropped), keeping every other character in place."""
    text = re.sub("[\u064b-\u065f\u0670\u0640]", "", text)
    return text.translate(str.maketrans("أإآٱ", "اااا"))


def _after_date_word(text: str, m: re.Match[str]) -> bool:
    return bool(re.match(r"\s*(?:ноябр|декабр|январ|феврал|октябр|كانون|ديسمبر|نوفمبر|تشرين|يناير)", text[m.end() :]))


def _search_dates(sent: str, code: str, pub: date, weekdays: Mapping[str, int] | None = None) -> date | None:
    try:
        from dateparser.search import search_dates
    except ImportError:  # the [lang] extra is not installed: the report's day
        return None
    base = datetime(pub.year, pub.month, pub.day, 23, 59, tzinfo=UTC).replace(tzinfo=None)
    try:
        found = search_dates(sent, languages=[code], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"})
    except Exception:
        return None
    for text, when in found or ():
        day = when.date()
        named = (weekdays or {}).get(text.strip().lower())
        if named is not None:
            # a weekday alone is the last such day up to the report's own: "в четверг" in Thursday's news is
            # that day (dateparser, preferring the past, takes the week before)
            day = pub - timedelta(days=(pub.weekday() - named) % 7)
        if len(text.strip()) >= 3 and pub - timedelta(days=400) <= day <= pub and not text.strip().isdigit():
            return day
    return None


@cache
def _reader(code: str) -> dict[str, Any]:
    path = ROOT / code / "reader.toml"
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(str(path), getattr(exc, "lineno", None), str(exc)) from exc
