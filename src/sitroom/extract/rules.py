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
"""

from __future__ import annotations

import bisect
import logging
import re
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from sitroom import lang, ontology
from sitroom.errors import ExtractionTimeout
from sitroom.extract.base import claim_id
from sitroom.extract.lexicon import Lexicons, StateEntry, default_lexicons
from sitroom.extract.matchers import BODY_TITLES, Matchers
from sitroom.extract.numbers import find_numbers
from sitroom.extract.syntax import Scope, Syntax
from sitroom.extract.text import DATELINE, Sentence, mask_markup, mask_repairs, split_sentences
from sitroom.extract.turns import Turn, speaker_turns
from sitroom.model import ActorRef, Claim, DateSpan, Document, Evidence, Place
from sitroom.time import PUBLISHED_YEARS

log = logging.getLogger(__name__)

EXTRACTOR_NAME = "rules.v1"

# Seconds one document may take to read: extraction is linear in the text, about 8 s per MiB on one core here,
# so the largest document ingest accepts (10 MiB) fits. Past it the document becomes a rejection naming the
# reason and the batch goes on, so no input can hold an ingest, a POST /documents or a watch cycle for long.
TIME_BUDGET = 120.0

# what each event type means for reading: one entry per type in the ontology (data/ontology.toml)
PHYSICAL = ontology.types_where("physical")
PAST_EVENTS = ontology.types_where("dated_back")  # dated by a range back from the report when no day is named
ANAPHOR_EVENTS = ontology.types_where("refers_back")  # "the city" in a later sentence can point to their place
NEEDS_PLACE = ontology.types_where("needs_place")
FIGURE_TYPES = ontology.metric_types()
AREA_KINDS = frozenset({"city", "town", "village", "admin1", "region"})
FACILITY_KINDS = frozenset({"airport", "border_crossing", "port", "military_base"})

_CHAIN_GAP = re.compile(
    r"^(?:[\s,&+]|and|or|as well as|along with|plus|then|later|also|the|nearby|neighbouring|neighboring|"
    r"strategically|located|key|city|cities|town|towns|village|villages|of|two|both|provincial|capital|"
    r"\w+['’]s|['’]s|second|third|fourth|largest|biggest|important|central|northern|southern|eastern|western)*$",
    re.IGNORECASE,
)
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|near|around|outside|across|on the outskirts of)\s+(?:the\s+)?(?:(?:neighbou?ring|nearby|northern|southern|eastern|"
    r"western|central|border|rural|besieged)\s+)?(?:(?:city|town|village|province|region)\s+of\s+)?$",
    re.I,
)
_CLAUSE_BREAK = re.compile(r";|\s[—–]\s|\.\s|:\s")
# a label and its status ("Hama city: under opposition control", "Aleppo airport — CLOSED"): the place is the label
_LABEL_GAP = re.compile(
    r"(?:\s+(?:city|town|province|governorate|countryside|\([^()]{1,30}\)))?\s*(?::|\s[—–])\s*$", re.I
)
# between a verb of a figure and its count: "killed at least 12", "displaced some 3,000", "injured 40"
_GOVERNS = re.compile(
    r"\s+(?:(?:at\s+least|at\s+most|about|around|some|nearly|almost|roughly|approximately|over|more\s+than|"
    r"fewer\s+than|less\s+than|up\s+to|an\s+estimated|a\s+further|another|a\s+total\s+of)\s+)?",
    re.IGNORECASE,
)
# a count followed by the speakers it counts and their verb: "two residents said", "three senior officials told"
_SPEAKER_WORDS = re.compile(r"(?:\s+[\w'’-]+){1,3}\s+")
# the object of a verb up to its head noun: "the main functioning hospital", "a camp for the displaced"
_OBJECT_HEAD = re.compile(
    r"\s+(?:the|a|an|its|their|several|two|three|\w+['’]s)\s+((?:[\w-]+\s+){0,3}?[\w-]+(?:\s+for\s+(?:the\s+)?displaced)?)"
    r"(?=\s+(?:in|at|of|near|on|outside|inside|north|south|east|west)\b|[,.;]|\s*$)",
    re.IGNORECASE,
)
# "Strikes were also reported in Tyre": the verb says that it happened, the place after it is where
_OCCURRED = re.compile(
    r"^\s+(?:were|was|have\s+been|has\s+been|had\s+been|are|is)\s+(?:also\s+|again\s+|now\s+|still\s+)?"
    r"(?:reported|recorded|carried\s+out|heard|observed|seen|documented|registered)\b",
    re.IGNORECASE,
)
# a reporting verb in the passive: "were reported", "has been confirmed", "is said"
_PASSIVE_REPORT = re.compile(
    r"\b(?:was|were|is|are|been|being|be)\s+(?:also\s+|now\s+|widely\s+|first\s+)?$", re.IGNORECASE
)
# "days after taking Aleppo", "weeks after the fall of Kabul", "two days since the capture of": an earlier event
_DAYS_AFTER = re.compile(
    r"\b(?:(?:a|one|two|three|four|five|six|several|few|a few|\d+)\s+)?(?P<unit>hours?|days?|weeks?|months?)\s+"
    r"(?:after|since)\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+)?(?:[\w'’-]+\s+){0,2}$",
    re.IGNORECASE,
)
# "after claiming the capture of", "having claimed control of": the doer's own claim
_CLAIMING = re.compile(
    r"\b(?:claiming|having\s+claimed|claimed|claims|claim)\s+(?:the\s+|to\s+have\s+|full\s+)?$", re.I
)
# a table's row: "– Aleppo: about 1,50,000", "• Hama: over 130,000 (cumulative)"
_FIGURE_ROW = re.compile(
    r"\s*(?:[–•*·▪-]\s*)?[A-Z][\w'’ -]{1,30}:\s*(?:about|over|some|roughly|nearly|around|more than|at least|~)?\s*\d",
)
# a figure's place named with a locative: "killed 5 people in Gisenyi" (across a border from the report's country)
_AT_PLACE = re.compile(
    r"\b(?:in|at|near|around|inside)\s+(?:the\s+(?:town|city|village|camp|district)\s+of\s+)?$", re.I
)
# "in the city", "across the town": a figure's place named by its kind
_THE_PLACE_WORD = re.compile(
    r"\b(?:in|across|inside|around|throughout)\s+the\s+(?:city|town|capital|camp|village)\b", re.I
)
# "the city" standing for a place ("toward the eastern edge of the city"), not naming one ("the city of Hama")
_BARE_PLACE_WORD = re.compile(r"\bthe\s+(?:city|town|capital|village)\b(?!\s+of\b)", re.IGNORECASE)
# a flight: "fled", "retreated", "ran"
_FLIGHT = re.compile(r"\b(?:fled|flee|fleeing|retreat\w*|deserted|ran|collapsed)\b", re.IGNORECASE)
# "supported by", "backed by": the actor after it helps the subject, it is not the subject
_SUPPORTED_BY = re.compile(
    r"\b(?:supported|backed|aided|assisted|helped|accompanied|joined|reinforced|flanked|escorted)\s+by\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# the acts of a force: a doer named but not listed in the lexicons is taken as written for these
_FORCE_ACTS = frozenset(
    {
        "territory_captured",
        "advance",
        "withdrawal",
        "armed_clash",
        "remote_violence",
        "offensive",
        "attack_on_civilians",
    }
)
# capitalised words that are not names of a doer
_NOT_A_NAME = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday|GMT|UTC|AM|PM|UN|U\.N\.|EU|NATO|[A-Z])",
)
# what a state does in its own land, at a place there: its forces leave, take, clash, strike
_AT_HOME = frozenset({"withdrawal", "territory_captured", "advance", "armed_clash", "remote_violence", "offensive"})
_BACKGROUND_DATE = re.compile(
    r"(?:first time (?:since|in)|since the (?:\w+ ){0,3}(?:war|conflict|uprising|revolution)|ever since|years? after)"
    r"[^.;]{0,60}$",
    re.IGNORECASE,
)
_SUBSET_AFTER = re.compile(r"^\s*(?:of them|of whom|were children|of those)", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:[\w'-]+\s+){0,4}$", re.IGNORECASE)
_DESCRIPTOR_BEFORE = re.compile(
    r"\b(?:a|an|another)\s+(?:\w+\s+)?(?:town|city|village|district|area)\s+(?:in|of)\s+$", re.I
)
_REFERENCE_BEFORE = re.compile(
    r"(?:\b(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+of|"
    r"\b(?:near|close to|outside|next to|beyond|across from|opposite)(?:\s+the)?(?:\s+[\w-]+)?|"
    r"\b(?:within|about|some|only|just)\s+(?:about\s+|some\s+|around\s+)?\d+\s*(?:km|kilometres|kilometers|miles)\s+(?:\w+\s+)?of)\s+$",
    re.IGNORECASE,
)
# Captures only: "pulled back from positions near X" is still news about X, and a denial of it even more so.
_TAKEN_NOT_NEAR = frozenset({"territory_captured"})
_DESTINATION = re.compile(r"\b(?:to|towards?|for|into)\s+$", re.IGNORECASE)
# the place after a trigger belongs to it only if no verb comes between ("its capture would leave Damascus")
_STOP_AFTER = re.compile(
    r";|\s[—–]\s|\.\s|\b(?:would|could|might|will|is|was|were|are|has|had|have|said|says|mean|means|that|which|who|where)\b"
)
_NIGHT = re.compile(
    r"\b(?:during the night|in the night|overnight|in the early hours|before dawn|at dawn|late at night)\b", re.I
)
# a bare state name acts when it opens a clause or a list ("Jordan shut ...", "among them China, India and ...")
_SUBJECT_BEFORE = re.compile(
    r"(?:^|[.;:!?\n\"“(—–-]\s*|,\s*|\b(?i:and|but|while|that|as|them|the|when|after|before|because|since|if)\s+)$"
)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|to|into|from|of|across|on|at|near|for|inside|throughout|against|with|toward|towards|over|out of)\s+$",
    re.I,
)
_DEMONYM_LIST = re.compile(r"\b[A-Z][a-z]+(?:n|i|ese|ish|an)\b(?:\s*(?:,|and|or)\s*[A-Z][a-z]+\b)*(?:\s+[\w-]+)?\s*$")
_FIGURE_REF = re.compile(r"\bthe\s+(?:total|number|numbers|figure|figures|toll|count|tally)\b", re.IGNORECASE)
# "across Idleb and Aleppo governorates": several provinces at once are the country, not their capitals
_REGIONS_AFTER = re.compile(r"\s+(?:governorates|provinces|regions)\b", re.IGNORECASE)
_FACILITY_AFTER = re.compile(
    rf"(?:['’]s)?\s+(?:{lang.alternation(lang.words('facilities', 'qualifiers'))}\s+)?"
    rf"(?P<kind>{lang.alternation(lang.words('facilities', 'after_name'), literal=False)})(?:\b|(?<=\.))",
    re.I,
)
_AIRPORT_CODES = re.compile(lang.grammar()["facilities"]["airport_codes"])
_FACILITY_BEFORE = re.compile(
    rf"\b(?P<kind>{lang.alternation(lang.words('facilities', 'before_name'), literal=False)})"
    r"\s+(?:in|of|at|near|outside)\s+$",
    re.I,
)
_PRESENT_TRIGGER = re.compile(
    r"^(?:seizes?|captures?|takes?|enters?|overruns?|retakes?|storms?|pounds?|strikes?|hits?|withdraws?|pulls?|closes?|"
    r"shuts?|reach(?:es)?|bombs?|shells?|launch(?:es)?|advances?|pushes|falls|comes under|passes to|"
    r"is (?:captured|taken|seized|overrun|retaken|handed)|are (?:captured|taken|seized|overrun|retaken|handed))\b",
    re.IGNORECASE,
)
_SUBSET_BEFORE = re.compile(r"\b(?:including|among them|among whom|of whom|of which)\s+(?:at least\s+|some\s+)?$", re.I)
_FLIGHTS = re.compile(
    r"\bflights?\s+(?:to|from|at|into|out of|in)\s+$|\bflights?\s+(?:to|from|at|into|out of|in)\s+", re.I
)
_UNTIL_BEFORE = re.compile(r"\b(?:until|till|through|thru)\s+(?:at\s+least\s+|the\s+end\s+of\s+)?$", re.I)
_CITY_FLIGHTS = re.compile(r"(?<=\w )(?:flights|services|routes?)\b", re.I)
_TRANSPORT_BREAK = re.compile(
    r";|\.\s"
)  # "Bab al-Salama: OPEN", "Airport (DAM) — CLOSED": boards use colons and dashes
_DESCRIPTION = re.compile(
    r"(?:^|,\s*|\b(?:a|an|the|some|several|two|three|four|five|many|other)\s+)"
    r"(?P<np>(?:[A-Za-z][\w'’-]*\s+){0,2}(?:officials?|sources?|agenc(?:y|ies)|officers?|workers?|groups?|journalists?|"
    r"spokes(?:man|woman|person)|residents?|witnesses|doctors|medics|rescuers|activists|diplomats|commanders?|"
    r"mayor|governor|emergency services|police|paramedics|hospital|health officials|"
    r"monitors?|reporters?|observers|staff|media|outlets?|channels?|networks?|operators?|carriers?|airlines?|"
    r"ministry|ministries|command|presidency|office|authorit(?:y|ies)))\s*$"
)
_OWN_VOICE = re.compile(
    r"\b(?:its|their)\s+(?:own\s+)?(?:official\s+)?(?:spokes(?:man|woman|person)|commanders?|leaders?|chief|"
    r"press office|media office|media centre|statement|channel|account)\s*$",
    re.I,
)
_OWN_MARK = re.compile(r"\b(?:its|their|our|we|it|they|his)\b", re.IGNORECASE)
_NEGATED = re.compile(
    rf"\b{lang.alternation(lang.words('negation', 'negators'))}\s+"
    rf"(?:{lang.alternation(lang.words('negation', 'between'))}\s+){{0,2}}$|(?<![\w'’])no\s+\w+\s+$",
    re.I,
)
_FALSITY = re.compile(
    r"\b(?:(?:was|were|is|are|been)\s+(?:also\s+|simply\s+)?[\"“‘']?(?:\w+\s+)?"
    + lang.alternation(lang.words("falsity", "predicates"))
    + r"|(?:do|does|did)\s+not\s+(?:\w+\s+)?(?:correspond|conform)\s+to\s+(?:reality|the\s+truth|the\s+facts)"
    r"|(?:has|have)\s+no\s+(?:basis|foundation)\s+in\s+(?:fact|reality))\b",
    re.I,
)
# "We categorically deny ...": an issuer's document speaking in the first person
_WE_BEFORE = re.compile(r"(?:^|[\s,(“\"])(?:we|I)\s+(?:(?:\w+ly|also|again|hereby)\s+){0,2}$", re.I)
_MODAL = re.compile(rf"\b{lang.alternation(lang.words('modality', 'modals'))}\b", re.I)
_FIRST_PERSON = re.compile(r"\b(?:we|our|us|ours)\b", re.IGNORECASE)
_BOTH = re.compile(r"\b(?:both|the two)\s+(?:towns|cities|villages|places)\b", re.IGNORECASE)
# "The civil defence said the strikes killed four civilians": violence named again by a definite noun phrase
# is the violence just reported, where it was reported.
_EVENT_AGAIN = re.compile(
    r"\b(?:the|these|those|that|this|its|their)\s+(?:\w+\s+)?"
    r"(?:strikes?|air\s?strikes?|attacks?|raids?|shelling|bombardment|bombing|fighting|clashes|blasts?|"
    r"explosions?|assault|drone\s+strikes?|missile\s+strikes?)\b",
    re.IGNORECASE,
)
# "fled for Tabqa", "heading towards the coast": where people went, not where the figure is; but "in the fighting
# for Goma" is the place fought over
_DESTINATION_BEFORE = re.compile(
    r"(?<!fighting )(?<!battle )(?<!battles )(?<!fight )(?<!struggle )\b(?:for|to|towards?|into)\s+(?:the\s+)?$"
)
# "Government spokesman Patrick Muyaya, speaking in Kinshasa, denied ...", "told reporters in Dhaka that ...":
# where the speaker was, not where it happened
_SPEAKER_AT = re.compile(
    r"\b(?:speaking|briefing|writing) (?:in|from)\s+$|\b(?:told|telling) (?:reporters|journalists|a news conference|"
    r"a press conference|parliament|lawmakers)(?: \w+)? in\s+$|\b(?:news|press) conference in\s+$"
)
_WITNESS_AT = re.compile(
    r"\b(?:residents|activists|witnesses|people|doctors|medics|rescuers|locals|sources|officials|families)\s+"
    r"(?:in|of|from|inside)\b[^,.;]*$",
    re.IGNORECASE,
)
_OF_NAME = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")
_VIOLENCE = frozenset({"remote_violence", "attack_on_civilians", "armed_clash", "casualties"})
_OUTLET_SPEAKS_WORDS = ("those who", "people who", "anyone")


@dataclass(frozen=True, slots=True)
class Mention:
    """An actor as written: its span, what it refers to, and how it was found."""

    start: int
    end: int
    ref: ActorRef
    kind: str
    role: str = "actor"  # actor | source
    state: str | None = None  # the state a body belongs to
    generic: bool = False  # "fighters", "rebels": a description, not a name
    national: bool = False  # "Russian citizens": an audience, not an actor
    family: frozenset[str] = frozenset()  # ids of the actor and its ancestors
    named: bool = False  # written as a proper name ("Deterrence of Aggression"), not a description
    bare_state: bool = False  # a state's bare name ("Jordan shut ..."): also a place
    loc: str | None = None  # where a body sits ("the Russian Embassy in Damascus")


@dataclass(slots=True)
class Frame:
    speaker: Mention | None
    verb_start: int
    verb_end: int
    scope: tuple[int, int]  # what the speaker says
    region: tuple[int, int]  # the frame's own words ("the Observatory said on Sunday")
    denial: bool = False


@dataclass(slots=True)
class _Draft:
    type: str
    stance: str
    sent: Sentence
    rule: str
    cues: list[str]
    confidence: float
    actor: ActorRef | None = None
    speaker: ActorRef | None = None
    place: Place | None = None
    place_text: str | None = None
    when: DateSpan = field(default_factory=lambda: DateSpan(None, None))
    default_range: bool = False
    quantity: float | None = None
    metric: str | None = None
    advice: str | None = None
    audience: str | None = None
    means: str | None = None
    status: str | None = None


@dataclass
class _DocState:
    doc: Document
    text: str
    pub: date | None
    actors: list[Mention]
    actor_starts: list[int]
    places: list[tuple[int, int, Place, str]]  # start, end, place, text (body zone, not inside actors)
    place_starts: list[int]
    dates: list[Any]
    date_starts: list[int]
    country: Place | None
    country_code: str | None
    issuer: Mention | None
    last_speaker: Mention | None = None
    last_speaker_sent: int = -10
    last_subject: Mention | None = None
    last_subject_sent: int = -1
    checked: tuple[int, int] | None = None  # the last fact-check "Claim:" line: what "the town" then refers to
    roundup: bool = False  # paragraphs under datelines of their own ("DEIR EZ-ZOR - ...", "ALBU KAMAL - ...")
    # in a roundup, each dateline's place by the start of its line
    dateline_places: dict[int, tuple[int, int, Place, str]] = field(default_factory=dict)
    drafts: list[_Draft] = field(default_factory=list)
    hits: dict[int, list[re.Match[str]]] = field(default_factory=dict)
    triggers: list[tuple[int, int, Any, str]] | None = None
    trigger_starts: list[int] = field(default_factory=list)
    hit_starts: dict[int, list[int]] = field(default_factory=dict)
    syntax: Syntax | None = None  # parses of the sentences that hold a trigger, made on demand
    parse_notes: list[str] = field(default_factory=list)  # what the parse decided for the event being read
    turns: dict[int, Turn] = field(default_factory=dict)  # a transcript's labelled turns, by line start


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


class RulesExtractor:
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
        self._state_by_country = {st.country: st.id for st in self.lex.states.values() if st.country}
        self._capitals = frozenset(st.capital for st in self.lex.states.values() if st.capital)
        self._gp = geoparser
        self._gp_loaded = geoparser is not None

    # --- public -------------------------------------------------------------------------------------

    @property
    def geoparser(self) -> Any:
        if not self._gp_loaded:
            self._gp = _geoparser()
            self._gp_loaded = True
        return self._gp

    def extract(self, doc: Document) -> list[Claim]:
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

    def _prepare(self, doc: Document, text: str, skip: list[tuple[int, int]], sentences: list[Sentence]) -> _DocState:
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
        return _DocState(
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
        )

    def _rebind_descriptions(
        self, text: str, actors: list[Mention], country_code: str, countries: frozenset[str] = frozenset()
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
                state is None
                or a.named
                or entry is None
                or a.kind not in ("state", "government_body")
                or country is None
                or country == country_code
            ):
                out.append(a)
                continue
            words = " ".join(text[a.start : a.end].lower().split())
            body = words.removeprefix("the ").split()[-1] if words else "government"
            if body not in self.m.body_words:
                army = re.search(r"forces|troops|soldiers|army|military|artillery|command", words)
                body = "forces" if army else "government"
            owner = self._owner(text, a, out)
            out.append(replace(self._state_body(owner or state, body, None, a.start, a.end), role=a.role))
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

    @staticmethod
    def _adjacent(st: _DocState, a: Sentence, b: Sentence) -> bool:
        """Two sentences next to each other: nothing but white space between them."""
        first, second = (a, b) if a.start < b.start else (b, a)
        return not st.text[first.end : second.start].strip()

    def _actor_country(self, actor_id: str) -> str | None:
        entry = self.lex.actors.get(actor_id)
        return getattr(entry.actor, "country", None) if entry is not None else None

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
        ref = ActorRef("source:" + _slug(name), name)
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
        return Mention(start, end, ActorRef(a.id, name), a.kind, entry.role, state, generic, family=fam)

    def _state_body(self, st: StateEntry, body_word: str, loc: str | None, start: int, end: int) -> Mention:
        kind = self.m.body_words.get(" ".join(body_word.split()).lower(), "government")
        mapped = st.bodies.get(kind)
        if mapped and mapped in self.lex.actors:
            m = self._entry_mention(start, end, mapped, body_word)
            return replace(m, state=st.id, family=m.family | {st.id})
        dem = st.demonyms[0] if st.demonyms else st.name
        title = BODY_TITLES.get(kind, body_word)
        name = f"{dem} {title}" + (f" in {loc}" if loc and kind == "embassy" else "")
        gkind = "state" if kind == "government" else "government_body"
        # a body is referred to by its state's id (embassy ⊂ state, DESIGN.md); the name says which body
        return Mention(start, end, ActorRef(st.id, name), gkind, state=st.id, family=frozenset({st.id}), loc=loc)

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
        return out

    # --- matches over the whole document, once per pattern ----------------------------------------------------

    @staticmethod
    def _hits(st: _DocState, rx: Any, lo: int, hi: int) -> list[re.Match[str]]:
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

    def _first(self, st: _DocState, rx: Any, lo: int, hi: int) -> re.Match[str] | None:
        hits = self._hits(st, rx, lo, hi)
        return hits[0] if hits else None

    # --- per sentence -------------------------------------------------------------------------------------

    def _in(self, st: _DocState, lo: int, hi: int, what: str) -> list[Any]:
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
    def _recent_events(st: _DocState, sent: Sentence) -> Iterator[_Draft]:
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
    def _before(st: _DocState, pos: int, what: str) -> Iterator[Any]:
        """Actors or places that start before `pos`, nearest first, without copying the document's list."""
        seq: Sequence[Any] = st.actors if what == "actors" else st.places
        starts = st.actor_starts if what == "actors" else st.place_starts
        for i in range(bisect.bisect_left(starts, pos) - 1, -1, -1):
            yield seq[i]

    def _sentence(self, st: _DocState, idx: int, sent: Sentence) -> None:
        text = st.text
        actors = [a for a in self._in(st, sent.start, sent.end, "actors")]
        self._resolve_coalitions(st, sent, actors)
        self._resolve_bodies(st, sent, actors)
        frames = self._frames(st, idx, sent, actors)
        if _CLAIM_LINE.match(text, sent.start):
            st.checked = (sent.start, sent.end)
            return  # a fact-check's "Claim: Israel has taken the crossing": what is checked, not what happened
        if _QUESTION_END.search(text, sent.start, sent.end):
            return  # "Can you confirm that Hama has fallen?", "Now that Homs has fallen, is Damascus next?": asks
        cands = self._triggers(st, sent)
        for trig_start, trig_end, group, cue in cands:
            self._event(st, idx, sent, actors, frames, trig_start, trig_end, group, cue, cands)
        self._figures(st, sent, actors, frames)
        self._advisories(st, idx, sent, actors, frames)
        self._transport(st, sent, actors, frames)
        # the subject of this sentence, for "its fighters" and "it said" in the next one
        subj = next((a for a in actors if a.role == "actor" and not a.national), None)
        if subj is not None:
            st.last_subject = subj
            st.last_subject_sent = idx
        _ = text

    def _resolve_bodies(self, st: _DocState, sent: Sentence, actors: list[Mention]) -> None:
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

    def _resolve_coalitions(self, st: _DocState, sent: Sentence, actors: list[Mention]) -> None:
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

    # --- frames of attribution -------------------------------------------------------------------------------

    def _speaker_before(self, st: _DocState, idx: int, sent: Sentence, verb_start: int, actors: list[Mention],
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
            return Mention(seg_lo + nm.start(1), seg_lo + nm.end(1), ActorRef("source:" + _slug(name), name),
                           "media", "source")  # fmt: skip
        # a description the lexicon does not know ("an airport official said", "aid agencies warn"): kept as written
        np_ = _DESCRIPTION.search(text[seg_lo:verb_start])
        if np_ is not None and not re.fullmatch(r"\s*(?:it|they|he|she)\s*", np_.group("np"), re.I):
            name = re.sub(r"^(?:the|a|an)\s+", "", np_.group("np").strip(), flags=re.I)
            return Mention(seg_lo + np_.start("np"), seg_lo + np_.end("np"), ActorRef("source:" + _slug(name), name),
                           "population", "source")  # fmt: skip
        return None

    def _pronoun(self, st: _DocState, idx: int, word: str) -> Mention | None:
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

    def _frames(self, st: _DocState, idx: int, sent: Sentence, actors: list[Mention]) -> list[Frame]:
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
                    sp = Mention(x.end(), stop, ActorRef("source:" + _slug(name), name), "media", "source")
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
                        inverted = Mention(ve + nm2.start(1), ve + nm2.end(1), ActorRef("source:" + _slug(name), name),
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

    # --- triggers ---------------------------------------------------------------------------------------------

    def _triggers(self, st: _DocState, sent: Sentence) -> list[tuple[int, int, Any, str]]:
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

    def _event(self, st: _DocState, idx: int, sent: Sentence, actors: list[Mention], frames: list[Frame],
               ts: int, te: int, group: Any, cue: str, cands: list[Any]) -> None:  # fmt: skip
        text = st.text
        etype = group.type
        frame = self._frame_for(frames, ts)
        if frame is None and any(f.region[0] <= ts < f.region[1] for f in frames):
            return  # the trigger is part of the speaker's description
        if any(a.start <= ts < a.end and te <= a.end and a.named for a in actors):
            return  # inside a name ("Deterrence of Aggression", "Military Operations Command")
        if _WH_QUESTION.match(text, sent.start) and text[sent.start : sent.end].rstrip(' "”’)').endswith("?"):
            return  # "Who controls Homs now?": an explainer's question asks, it claims nothing
        if etype == "armed_clash" and re.search(r"\bthe\s+(?:\w+\s+)?$", text[max(sent.start, ts - 12) : ts]):
            return  # "uprooted by the fighting": fighting already known, named as a cause
        if _KNOWN_EVENT.match(text, ts) and re.search(r"\b(?:its|their)\s+$", text[max(sent.start, ts - 8) : ts], re.I):
            return  # "Its capture takes the offensive to ...": the capture already reported, named again
        if etype == "remote_violence" and _CAUSE_BEFORE.search(text[max(sent.start, ts - 24) : ts]):
            return  # "killed in the strikes on Beirut": the strikes already reported, named as the cause
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
        circumstance = etype == "armed_clash" and self.m.circumstance.search(text[max(lo, ts - 14) : ts])
        if circumstance and any(c[2].type != "armed_clash" for c in cands):
            return  # "following street battles": the circumstance of the capture, not its own claim
        stance = "asserted"
        negated = _NEGATED.search(text[max(lo, ts - 24) : ts]) is not None
        false_report = (
            (frame is not None and frame.speaker is not None) or _REPORTS_THAT.search(text, sent.start, ts) is not None
        ) and _FALSITY.search(text, ts, sent.end) is not None
        false_before = _FALSITY_BEFORE.search(text, max(sent.start, ts - 90), ts) is not None
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
        when, default_range = self._event_date(st, sent, group, ts, te, lo, hi, frame, stance, etype)
        rule = f"{etype}.{'frame' if frame else 'plain'}"
        for pl, ptext in places:
            st.drafts.append(
                _Draft(
                    type=etype,
                    stance=stance,
                    sent=sent,
                    rule=rule,
                    cues=[cue] + ([text[frame.verb_start : frame.verb_end]] if frame else []) + st.parse_notes,
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

    def _place_just_taken(self, st: _DocState, sent: Sentence) -> tuple[Place, str | None] | None:
        """Where a flight with no place of its own fled from: the place taken in the same sentence, or in the
        one just before when this sentence names no place at all."""
        if self._in(st, sent.start, sent.end, "places"):
            here = [d for d in st.drafts if d.sent is sent]
        else:
            here = [d for d in st.drafts if d.sent is sent or self._adjacent(st, d.sent, sent)]
        taken = next((d for d in reversed(here) if d.type == "territory_captured" and d.place is not None
                      and d.place.kind != "country" and d.stance in ("asserted", "announced")), None)  # fmt: skip
        return (taken.place, taken.place_text) if taken is not None and taken.place is not None else None

    @staticmethod
    def _headline(st: _DocState) -> Sentence | None:
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

    def _retracted(self, st: _DocState, sent: Sentence, ts: int, te: int) -> bool:
        """An earlier report the outlet takes back: framed as what it (or an earlier entry) said, and called wrong
        in the same sentence or within the next few lines."""
        if not self.m.earlier_report.search(st.text[sent.start : ts]):
            return False
        return self.m.retracted.search(st.text[te : min(len(st.text), sent.end + 240)]) is not None

    @staticmethod
    def _scope(st: _DocState, sent: Sentence, ts: int) -> Scope:
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
        return bool(re.match(r"^\s*(?:if|should|unless|were)\b", head, re.IGNORECASE)) and "," not in head

    def _event_place(self, st: _DocState, sent: Sentence, group: Any, ts: int, te: int, lo: int, hi: int,
                     actors: list[Mention]) -> list[tuple[Place, str | None]]:  # fmt: skip
        text = st.text
        direction = group.place
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
            if len(gap) <= 60 and _CHAIN_GAP.match(gap.strip()):
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

    def _violence_again(self, st: _DocState, sent: Sentence) -> tuple[Place, str | None] | None:
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

    def _anaphor_place(self, st: _DocState, sent: Sentence, lo: int, ts: int, te: int, hi: int,
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

    def _event_actor(self, st: _DocState, sent: Sentence, group: Any, ts: int, te: int, lo: int, hi: int,
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
            if a.kind == "armed_group" and a.role == "actor" and not a.national:
                return a
        return None

    def _actor_in_clause(self, st: _DocState, sent: Sentence, group: Any, ts: int, te: int, lo: int,
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
        by_grammar = self._grammatical_agent(st, sent, ts, usable, group, marked_only=True)
        if by_grammar is not None and by_grammar[1] != "subject":
            return self._specific(st, by_grammar[0], frame)  # marked by "by" or a possessive: no doubt left
        prev = [a for a in usable if clause_lo <= a.start and (a.start < te if group.state else a.start <= ts)]
        if frame is not None:
            prev = [a for a in prev if not (frame.region[0] <= a.start < frame.region[1])]
        helpers = [a for a in prev if _SUPPORTED_BY.search(text, max(clause_lo, a.start - 30), a.start)]
        if helpers and len(helpers) < len(prev):
            # "the army, supported by Wagner, retook Kidal": the helper is not the one that retook it
            prev = [a for a in prev if a not in helpers]
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

    def _unlisted_actor(self, st: _DocState, sent: Sentence, ts: int, actors: list[Mention]) -> Mention | None:
        """A doer no lexicon lists, named by a proper name in the parse's subject or "by" phrase ("Fano militias
        took over Lalibela", "the ENDF regained it", "People's Defence Force units captured Kawlin"): the name as
        written is the actor, so its claims are not left without one."""
        if st.syntax is None:
            return None
        span = st.syntax.agent_name(sent.start, sent.end, ts)
        if span is None:
            return None
        lo, hi = span
        if (
            any(a.start < hi and lo < a.end for a in actors)
            or any(p[0] < hi and lo < p[1] for p in self._in(st, sent.start, sent.end, "places"))
            or any(d.start < hi and lo < d.end for d in self._in(st, sent.start, sent.end, "dates"))
        ):
            return None  # a known actor (already weighed), a place or a date: not a new name
        name = " ".join(st.text[lo:hi].split())
        if len(name) < 2 or _NOT_A_NAME.fullmatch(name) or self.m.state_by_demonym.get(name) is not None:
            return None  # "Ukrainian units": a state's forces the lexicons read, not a new name
        ref = ActorRef("source:" + _slug(name), name)
        st.parse_notes.append(f"parse: doer named '{name}', in no lexicon")
        return Mention(lo, hi, ref, "armed_group", named=True, family=frozenset({ref.id}))

    @staticmethod
    def _grammatical_agent(
        st: _DocState, sent: Sentence, ts: int, usable: list[Mention], group: Any, marked_only: bool = False
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

    def _specific(self, st: _DocState, m: Mention, frame: Frame | None) -> Mention:
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

    # --- dates ------------------------------------------------------------------------------------------------

    def _event_date(self, st: _DocState, sent: Sentence, group: Any, ts: int, te: int, lo: int, hi: int,
                    frame: Frame | None, stance: str, etype: str) -> tuple[DateSpan, bool]:  # fmt: skip
        if stance == "hypothetical" or st.pub is None:
            return DateSpan(None, None), False
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
        same_clause = [d for d in ds if not _CLAUSE_BREAK.search(text[min(d.end, te) : max(d.start, ts)])]
        ds = same_clause or ds
        night = _NIGHT.search(text, te, sent.end) or _NIGHT.search(text, max(sent.start, ts - 40), ts)
        if night is not None and not any(d.start <= night.start() < d.end for d in ds):
            anchor = next((d.span.exact for d in ds if d.span.exact), None) or said.latest or st.pub
            return DateSpan(anchor - timedelta(days=1), anchor), False
        if not ds:
            label = self._line_date(st, sent)
            if label is not None:
                return label, False  # "Nov 30 - Aleppo falls. Maarat al-Numan taken.": the line's date
        if ds:
            after = [d for d in ds if d.start >= te and not _CLAUSE_BREAK.search(text[te : d.start])]
            inside = [d for d in ds if lo <= d.start < hi]
            pick = after[0] if after else min(inside or ds, key=lambda d: abs(d.start - ts))
            span = pick.span
            if pick.rule.startswith("since") or pick.text.lower().startswith("since"):
                if group.change or etype == "territory_captured":
                    # "under opposition control since 30 Nov": held since then, so taken then
                    return DateSpan.day(span.earliest) if span.earliest else span, False
                return DateSpan(span.earliest, said.latest), False
            return span, False
        before_news = _DAYS_AFTER.search(text, max(sent.start, ts - 40), ts)
        if before_news is not None and said.latest is not None and etype in PAST_EVENTS:
            # "days after taking Aleppo, rebels pushed on": an earlier event the news builds on, not news of the day
            unit = before_news.group("unit").lower()
            back = 1 if unit.startswith(("hour", "day")) else 7 if unit.startswith("week") else 30
            far = {"hour": 2, "day": 14, "week": 60, "month": 365}.get(unit.rstrip("s"), 30)
            return DateSpan(said.latest - timedelta(days=far), said.latest - timedelta(days=back)), False
        if _PRESENT_TRIGGER.match(text[ts:te]):
            return said, False  # "Rebels seize Dar'a": a headline or live entry in the present tense is news of the day
        perfect = _PERFECT.match(text[ts:te]) or _PERFECT_BEFORE.search(text[max(sent.start, ts - 30) : ts])
        if perfect and not _SPAN_WORDS.search(text, sent.start, sent.end):
            return said, False  # "the airport has been taken over": the present perfect is news of the day
        if (
            group.state
            or etype in ("advance", "statement")
            or (stance in ("denied", "announced") and group.change is False)
        ):
            return said, False
        if stance == "denied":
            return said, False
        if stance == "announced":
            return said, False
        if etype in PAST_EVENTS:
            if speech is not None and speech.exact and frame is not None and etype != "offensive":
                return speech, False
            return DateSpan(None, said.latest), True
        return said, False

    def _header_speaker(self, st: _DocState, sent: Sentence) -> Mention | None:
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

    def _turn_speaker(self, st: _DocState, turn: Turn, s1: int) -> Mention:
        """Who speaks a transcript's turn: an actor the label names ("Lebanese Health Minister:"), else the person
        the label or its aside names, as a source of its own."""
        for a in self._in(st, turn.label_start, turn.label_end, "actors"):
            if a.kind in _SOURCE_KINDS and not a.national:
                return replace(a, start=s1 + 1, end=s1 + 1)  # outside the sentence: a speaker only
        return Mention(s1 + 1, s1 + 1, ActorRef("source:" + _slug(turn.name), turn.name), "media", "source")

    def _entry_label_place(self, st: _DocState, sent: Sentence, before: int) -> tuple[Place, str] | None:
        """The place a log's or a board's line opens with ("[07 Dec 06:12] #Homs: ...", "HAMA — ...",
        "• Homs city: ...", a wire dateline "TADMUR - "): where the line's sentences happen when they name no
        place of their own ("Fighters entered it in the afternoon")."""
        text = st.text
        line_lo = text.rfind("\n", 0, sent.start) + 1
        for p in self._in(st, line_lo, before, "places"):
            if _ENTRY_PREFIX.fullmatch(text, line_lo, p[0]) is None:
                break
            return (p[2], p[3]) if _LABEL_AFTER.match(text, p[1]) and p[2].kind != "country" else None
        dl = self._dateline_place(st, sent)
        return (dl[2], dl[3]) if dl is not None else None

    def _dateline_place(self, st: _DocState, sent: Sentence) -> tuple[int, int, Place, str] | None:
        """The place of the wire dateline that opens the sentence's paragraph ("ALBU KAMAL - ", "HAMA, Syria
        (Wire) — "), if it has one."""
        # (only roundups keep them: a single dateline is where the story was filed, not where things happened)
        return st.dateline_places.get(st.text.rfind("\n", 0, sent.start) + 1)

    def _line_date(self, st: _DocState, sent: Sentence) -> DateSpan | None:
        """A chronology's or a log's line label ("Nov 30 - ", "Dec 2-4 — ", "30 November:") dates every
        sentence of its line (a label after publication is no date of the past)."""
        text = st.text
        line_lo = text.rfind("\n", 0, sent.start) + 1
        for d in self._in(st, line_lo, sent.end, "dates"):
            if _BULLET.fullmatch(text, line_lo, d.start) is None or not _DATE_LABEL_GAP.match(text, d.end):
                return None
            late = d.span.latest
            return d.span if late is not None and st.pub is not None and late <= st.pub else None
        return None

    def _speech_date(self, st: _DocState, sent: Sentence, frames_region: tuple[int, int]) -> DateSpan | None:
        for d in self._in(st, frames_region[0], frames_region[1], "dates"):
            return d.span
        return None

    # --- figures -------------------------------------------------------------------------------------------

    def _figures(self, st: _DocState, sent: Sentence, actors: list[Mention], frames: list[Frame]) -> None:
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
                _Draft(
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
        self, st: _DocState, sent: Sentence, pos: int, frame: Frame | None
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
        return st.country, None

    def _continued_event(self, st: _DocState, sent: Sentence) -> Any:
        """The event of the sentence just before, when this one goes on about it ("Fatalities: 7", "They killed
        eight", "... there the next morning") rather than giving a total of its own ("... since November")."""
        text = st.text
        goes_on = _CONTINUES_EVENT.match(text, sent.start) or _THERE.search(text, sent.start, sent.end)
        if not goes_on or _SINCE.search(text, sent.start, sent.end):
            return None
        return self._previous_event(st, sent)

    def _previous_event(self, st: _DocState, sent: Sentence) -> Any:
        """The last event of the sentence just before this one, in the same paragraph, with a place of its own."""
        text = st.text
        for d in reversed(st.drafts):
            if d.sent.end > sent.start or d.type not in PHYSICAL or d.place is None or d.place.kind == "country":
                continue
            if "\n" in text[d.sent.end : sent.start] or len(text[d.sent.end : sent.start].strip()) > 0:
                return None
            return d
        return None

    def _figure_date(self, st: _DocState, sent: Sentence, pos: int, frame: Frame | None) -> DateSpan:
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

    # --- advisories ----------------------------------------------------------------------------------------

    def _advisories(self, st: _DocState, idx: int, sent: Sentence, actors: list[Mention], frames: list[Frame]) -> None:
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
                    _Draft(
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

    def _advisory_area(self, st: _DocState, sent: Sentence, issuer: Mention, actors: list[Mention]) -> Place | None:
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

    # --- transport ----------------------------------------------------------------------------------------

    def _transport(self, st: _DocState, sent: Sentence, actors: list[Mention], frames: list[Frame]) -> None:
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
                    targets.append((r.start(), r.end(), p[2], p[3]))
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
                _Draft(
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

    # --- finishing ----------------------------------------------------------------------------------------

    def _finish(self, st: _DocState) -> list[Claim]:
        doc = st.doc
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
            cid = claim_id(doc.id, EXTRACTOR_NAME, d.sent.start, d.sent.end, d.type, pkey, d.stance, d.quantity,
                           d.advice, d.status, d.actor.id if d.actor else None)  # fmt: skip
            claims.append(
                Claim(
                    id=cid,
                    document_id=doc.id,
                    type=d.type,
                    stance=d.stance,
                    evidence=Evidence(ev_text, d.sent.start, d.sent.end),
                    extractor=EXTRACTOR_NAME,
                    rule=d.rule,
                    confidence=d.confidence,
                    actor=d.actor,
                    attributed_to=d.speaker,
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
                )
            )
        return claims


# --- helpers --------------------------------------------------------------------------------------------


_CAUSE_BEFORE = re.compile(
    r"\b(?:killed|wounded|injured|died|destroyed|damaged|hurt)\s+(?:\w+\s+){0,2}(?:in|by|during)\s+the\s+(?:\w+\s+)?$",
    re.I,
)
_CIRCUMSTANCE_TAIL = re.compile(r"\s*(?:in|on|at|via|through|during|late|early|earlier|later|after|before)\b", re.I)
_COORDINATION = re.compile(r",\s+(?:and|but|while|whereas)\b")
_BOARD_LABEL = re.compile(r"\s*(?:[•*·▪◦‣–-]\s*)?([A-Z][\w'’.]*(?:\s+[A-Z][\w'’.]*){0,3})\s*:\s")
_PERFECT = re.compile(r"(?:has|have)\s", re.I)
_PERFECT_BEFORE = re.compile(r"\b(?:has|have)\s+(?:now\s+|just\s+|finally\s+|also\s+)?(?:been\s+)?$", re.I)
_SPAN_WORDS = re.compile(
    r"\b(?:since|so far|over the (?:past|last)|in (?:recent|the past|the last)|this week|in a week|in days)\b", re.I
)
_EXCEPT = re.compile(r"\b(?:except|save|apart from|with the exception of|other than)\b", re.I)
_FALSITY_BEFORE = re.compile(
    r"\b(?:(?:is|was|are|were)\s+(?:\w+\s+)?(?:untrue|false|not true|incorrect|baseless|unfounded|a lie)|no truth (?:to|in))"
    r"\b[^.;]{0,50}?\b(?:that|(?:reports?|claims?|rumou?rs?|news|talk)\s+(?:of|about))\s+[^.;]*$",
    re.I,
)
# a sentence that goes on about the event just told: a log's field ("Fatalities: 7"), "They killed ...",
# "The strikes killed ..."
_CONTINUES_EVENT = re.compile(
    r"\s*(?:[A-Z][\w ]{0,24}:\s*\S|(?:they|it)\b|the\s+(?:strikes?|air\s?strikes?|attacks?|raids?|shelling|"
    r"bombardment|blast|explosions?|fighting|clashes|assault|barrage)\b|(?:in total|in all|overall|altogether)\b|\d)",
    re.I,
)
_SINCE = re.compile(r"\b(?:since|so far|to date)\b", re.I)  # "200,000 have fled since November": a total of its own
_THERE = re.compile(r"\bthere\b(?!\s+(?:is|are|was|were|has|have|had|will|would|may|might|could)\b)", re.I)
_COMBATANTS_AFTER = re.compile(
    r"\s+(?:[\w-]+\s+){0,2}(?:soldiers|troops|fighters|militants|officers|servicemen|gunmen|personnel)\b", re.I
)
_BRACKET_SOURCE = re.compile(r"(?:\((?P<src>[^()\n]{2,40})\)|\bper\s+(?P<src2>[^.;,()\n]{2,40}?))\s*[.;!]?\s*$")
_SOURCE_KINDS = frozenset(
    {"monitor", "international_organisation", "state", "government_body", "media", "population", "armed_group"}
)
_CRAFT_AFTER = re.compile(
    r"\s+(?:[\w-]+\s+){0,2}(?:ships?|vessels?|boats?|flights?|planes?|aircraft|helicopters?|buses|convoys?|"
    r"trucks?|lorries|vehicles|tanks?|warships?|frigates?)\b"
    r"(?!\s+(?:workers|drivers|crews?|passengers|staff|members|personnel|pilots|operators))",
    re.I,
)
# "Fatalities: 7", "Displaced since 27 Nov: ~280,000"
_FIELD_COLON = re.compile(
    r"(?:\s+(?:since|as of|on|by|to date|so far)(?:\s+[^:\n]{1,20})?)?\s*:\s*(?:about\s+|some\s+|at least\s+|approx\.?\s+|~\s*)?",
    re.I,
)
_POSITIONAL = re.compile(r"\b(?:approaches|outskirts|edges?|gates|walls|doors|doorstep|limits)\b", re.I)
_HOLDING_BEFORE = re.compile(
    r"\b(?:hold|holds|holding|held|defend|defends|defending|defended|remain|remains|remained|stationed|entrenched|"
    r"dug in|garrisoned)\b[^.;,]{0,40}$",
    re.I,
)
_CALLED_REPORTS = re.compile(
    r"\b(?:call(?:ed|s|ing)|label(?:l?ed|s)|brand(?:ed|s))\s+(?:the\s+|these\s+|such\s+|those\s+|all\s+)?"
    r"(?:reports?|claims?|rumou?rs?|allegations?|accounts?|footage|videos?)\b",
    re.I,
)
_FALSE_WORD = re.compile(rf"\b{lang.alternation(lang.words('falsity', 'words'), literal=False)}\b", re.I)
_REPORTS_THAT = re.compile(
    r"\b(?:reports?|claims?|rumou?rs?|allegations?|statements?|accounts?|suggestions?)\s+(?:[\w-]+\s+){0,6}(?:that|of)\b",
    re.I,
)
_ATTEMPT = re.compile(
    r"\b(?:attempts?|bids?|efforts?)\s+(?:by\s+[^,.;]{1,40}?\s+)?to\s+$|\b(?:failed|failing|unable)\s+to\s+$", re.I
)
_INTO = re.compile(r"(?:moved|swept|rolled|marched|pushed|poured|stormed) into", re.I)
_PART_OF = re.compile(
    r"\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}(?:suburbs?|outskirts|edges?|districts?|neighbou?rhoods?|parts|areas?|countryside|"
    r"(?:buffer|demilitari[sz]ed|separation|security)\s+zone)\b",
    re.I,
)
_ENTRY = re.compile(r"(?:have |has |had )?(?:entered|enters?|entering|moved in|swept in|rolled in)", re.I)
_UNITS = re.compile(
    r"\b(?:units|troops|forces|servicemen|soldiers|formations|assault groups|air defences?|aviation)\b", re.I
)
_TERRORIST = re.compile(r"\bterrorists?\b", re.I)
_KNOWN_EVENT = re.compile(
    r"(?:capture|fall|seizure|takeover|loss|liberation|withdrawal|retreat)\b(?!\s+(?:of|from)\b)", re.I
)
_OTHER_FATE = re.compile(
    r"\b(?:were|was|had been|have been|has been)\s+(?:\w+\s+)?(?:captured|arrested|detained|taken prisoner|abducted|"
    r"kidnapped|evacuated|rescued|freed|released|displaced|deported)\b",
    re.I,
)
_SUBSET_QUANT = re.compile(
    r"\b(?:some|many|most|several|a few|few|none|all)\s+of\s+(?:them|whom|those)\s+(?:\w+\s+)?$", re.I
)
_COPULA_AFTER = re.compile(
    r"\s+(?:has|have|had|is|was|remains?|remained|stays?)\s+(?:\w+\s+){0,2}(?:at|on|under|rated|listed|classed)\b", re.I
)
_APPOSITION = re.compile(r"(,\s[^,;]{3,80},)\s*(?:[\w'’-]+\s+){0,3}$")
_RELATIVE_CLAUSE = re.compile(r",\s+(?:which|who|whose|where)\b[^,;]*,")
_INCLUDING = re.compile(
    r"(?:\s+(?:province|governorate|region|countryside|district|area|areas))?,?\s+(?:including|among them|such as|notably)\s+(?:the\s+)?(?:(?:towns?|villages?|cities|city)\s+(?:of\s+)?)?",
    re.I,
)
_RELATIVE_OPEN = re.compile(r"\s*(?:which|who|whose|where)\b", re.I)


def _spoken_from(text: str, sent_start: int, pos: int) -> bool:
    """Whether the place at `pos` is where a speaker spoke ("speaking in Kinshasa", "told reporters in Dhaka")."""
    return _SPEAKER_AT.search(text, max(sent_start, pos - 30), pos) is not None


def _fronts_speaker(text: str, sent_start: int, p: tuple[int, int, Any, str], frame: Frame) -> bool:
    """ "In Geneva, the World Food Programme said 280,000 people had been displaced": a place fronted before the
    speaker of the sentence is where the speaker is, not where the figure is."""
    return (
        text[sent_start : p[0]].strip().lower() in ("in", "from")
        and frame.region[0] >= p[1]
        and re.fullmatch(r"[\s,]*(?:(?:the|a|an|its|their)\s+)?", text[p[1] : frame.region[0]]) is not None
    )


def _inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _day_headings(text: str, dates: list[Any], published: date) -> list[tuple[int, date]]:
    """Lines that are only a day ("Friday 29 November", "30 Nov 2024"), in text order, with their day."""
    out: list[tuple[int, date]] = []
    for d in dates:
        day = d.span.exact
        if day is None or not (published - timedelta(days=31) <= day <= published):
            continue
        lo = text.rfind("\n", 0, d.start) + 1
        hi = text.find("\n", d.end)
        hi = len(text) if hi < 0 else hi
        if _HEADING_REST.fullmatch(text, lo, d.start) and _HEADING_REST.fullmatch(text, d.end, hi):
            out.append((d.start, day))
    return out


_HEADING_REST = re.compile(r"[\s#*•:—–-]*(?:(?:updated|update|live|entries)\b[\s:—–-]*)?", re.I)


def _as_of(doc: Document, text: str, dates: list[Any], pub: date) -> date:
    """A situation report "as of 3 December" speaks as of that day, not the day it was posted: what it says
    happened "since 27 November" ran to the 3rd."""
    head = text[:400]
    m = _AS_OF.search(head)
    if m is None:
        return pub
    for d in dates:
        if m.end() <= d.start <= m.end() + 2 and d.span.exact is not None:
            day: date = d.span.exact
            return day if pub - timedelta(days=7) <= day <= pub else pub
    return pub


_AS_OF = re.compile(r"\b(?:as of|as at|situation (?:on|at)|status (?:on|at))\s*$|\b(?:as of|as at)\b", re.I)


def _is_label(text: str, start: int, end: int, ts: int) -> bool:
    """A board line's label: the place opens its line (after a bullet) and the status follows its colon or dash."""
    line_lo = text.rfind("\n", 0, start) + 1
    return _BULLET.fullmatch(text, line_lo, start) is not None and _LABEL_GAP.match(text, end, ts) is not None


_CLAIM_LINE = re.compile(
    r"\s*(?:[•*·▪◦‣–—-]\s*)?(?:the\s+)?(?:claim|rumou?r|allegation|viral post)s?\s*:"
    # an interviewer's question ("Q: Human rights groups say ..."), a wire story's furniture ("(Corrects death toll
    # in paragraph 6 ...)", "UPDATE 2-Syria's Kurdish-led SDF take Deir el-Zor ...")
    r"|\s*(?:Q|Question)\s*[:.]\s"
    r"|\s*\((?:Adds|Corrects|Updates|Recasts|Changes|Rewrites|Fixes|Removes|Refiles|Writes through|Inserts|Clarifies)\b"
    r"|(?-i:\s*(?:CORRECTED-|REFILE-)?(?:UPDATE \d+|REFILE|RPT|WRAPUP(?: \d+)?|FACTBOX)-)",
    re.I,
)
_LOSS = re.compile(r"\bloss of$", re.I)
_TO_BEFORE = re.compile(r"\bto\s+(?:the\s+)?$", re.I)
_ON_LAND = ontology.types_where("on_land")
_OFFICIAL_LABEL = re.compile(
    r"\b(?:government|ministry|republic|presidency|president|embassy|consulate|armed forces|general staff|"
    r"military command|army command|prime minister|kingdom)\b",
    re.I,
)
_POSSESSIVE_FORCE = re.compile(
    r"['’]s?\s+(?:jets|warplanes|aircraft|planes|drones|forces|troops|militias|allies|proxies|envoy|ambassador|"
    r"diplomats|air force|navy|missiles|artillery|backing|support)\b",
    re.I,
)
# "will reopen", "is expected to be closed": a change to come ("will remain closed" is the status now)
_FUTURE_BEFORE = re.compile(
    r"\b(?:will|shall|is to|are to|is set to|are set to|is expected to|are expected to)\s+(?:soon\s+)?(?:be\s+)?$", re.I
)
_NUMBERED_WORD = re.compile(
    r"(?:Level|Phase|Stage|Grade|Category|Article|Chapter|Section|Resolution|Gate|Terminal|Sector|Brigade|Division|"
    r"Regiment|Battalion|Corps|Unit|Route|Highway)",
)
_DIGIT_AFTER = re.compile(r"\s+\d")
_HEADING_AFTER = re.compile(r"\s+(?:\w+\s+)?(?:toward|towards|to|into|back to|north|south|east|west)\b", re.I)
_FACILITY_NOUN = re.compile(r"\b(?:terminal|airport|air ?base|crossing|port|checkpoint|barracks|base)s?\b", re.I)
_QUESTION_END = re.compile(r"\?[\s\"”’')\]]*$")
_LIST_END = re.compile(r"\b(?:and|or)\s+$")
_FIGHT_FOR_PLACE = frozenset({"territory_captured", "advance", "armed_clash"})
_IT_OBJECT = re.compile(r"(?<=\w )it\b(?!['’])")
_HEADING = re.compile(r"\b(?:to|towards?|for|into|toward)\s+(?:the\s+)?$", re.I)
_WH_QUESTION = re.compile(r"\s*(?:who|what|which|where|when|how|why|whose)\b", re.I)
_PREVENT = re.compile(r"\b(?:will|would|shall) not (?:allow|let|permit)\b[^.;]{0,60}?\bto\s+$", re.I)
_UNCONFIRMED = re.compile(
    r"\b(?:(?:cannot|can't|could not|couldn't|(?:was|were|is|are) unable to|(?:has|have) not been able to)\s+"
    r"(?:independently\s+)?(?:confirm|verify)\s+(?:the\s+)?(?:reports?|claims?|rumou?rs?|accounts?|that|whether)|"
    r"(?:found\s+|there\s+(?:is|was)\s+)?no\s+(?:evidence|sign|indication|confirmation)\s+that)\b",
    re.I,
)
_HEADER = re.compile(r"[ \t]*\[[^\]\n]{2,80}\]")
_ENTRY_PREFIX = re.compile(
    r"\s*(?:\[[^\]\n]{1,30}\]\s*|\d{1,2}[:.]\d{2}\s*(?:GMT|UTC|local(?: time)?)?\s*(?:[—–-]|:)?\s*)?"
    r"(?:[•*·▪◦‣–—-]\s*)?#?(?:the\s+)?",
    re.I,
)
_LABEL_AFTER = re.compile(r"(?:\s+(?:city|town|province|governorate|countryside))?\s*(?::|\s[—–-])\s", re.I)
_DATE_LABEL_GAP = re.compile(r"\s*(?:\([^()]{1,20}\)\s*)?(?::|[—–-])\s")
_BULLET = re.compile(r"\s*(?:[•*·▪◦‣–—-]|\d{1,2}[.)])?\s*(?:the\s+)?", re.I)


def _overlaps_any(start: int, end: int, mentions: Sequence[Mention], starts: Sequence[int]) -> bool:
    i = bisect.bisect_right(starts, start) - 1
    return any(0 <= j < len(mentions) and mentions[j].start < end and start < mentions[j].end for j in (i, i + 1))


def _in_relative_clause(text: str, s0: int, pos: int, trigger: int) -> bool:
    """ "Deraa, the southern city where the uprising began in 2011, is in rebel hands": a date inside a
    relative clause the trigger is not part of belongs to that clause."""
    comma = text.rfind(",", s0, pos)
    seg_start = comma + 1 if comma >= 0 else s0
    if seg_start <= trigger < pos:
        return False
    nxt = text.find(",", pos)
    if seg_start <= trigger and (nxt < 0 or trigger < nxt):
        return False
    return bool(re.search(r"\b(?:where|which|who|whose)\b", text[seg_start:pos]))


def _country_of(ex: RulesExtractor, m: Mention) -> str | None:
    st = ex.lex.states.get(m.state or "")
    return st.country if st else None


def _is_origin(text: str, lo: int, pos: int, etype: str) -> bool:
    """ "launched from Idlib and western Aleppo": where an offensive or advance comes from is not its place;
    nor, for a strike, where the shells were fired from ("shells fired from the DRC side hit Gisenyi")."""
    if etype == "remote_violence":
        return bool(_FIRED_FROM.search(text, max(lo, pos - 40), pos))
    return (
        etype in ("offensive", "advance")
        and bool(_FROM_BEFORE.search(text[max(lo, pos - 40) : pos]))
        and not _DISTANCE_FROM.search(text, max(lo, pos - 40), pos)
    )


_FIRED_FROM = re.compile(
    r"\b(?:fired|launched|shot|lobbed)\s+(?:[\w-]+\s+){0,2}from\s+(?:the\s+)?(?:[\w'’-]+\s+)?$", re.IGNORECASE
)


_FORCE_ONLY = re.compile(
    r"^reach(?:ed|es)?$|\binside$|^(?:mov|head|march|roll|press)(?:ed|ing|es|s)?\b|^(?:encircl|surround|besieg)", re.I
)
FORCE_KINDS = frozenset({"armed_group", "government_body"})
# "5 km from Homs": a distance to the place, not where the move starts
_DISTANCE_FROM = re.compile(r"\b(?:km|kilomet(?:re|er)s?|miles?)\s+from\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}$", re.I)


def _is_descriptor(text: str, lo: int, pos: int, end: int | None = None) -> bool:
    """ "a town in Idlib province", "Saraqib, Idlib governorate": the province describes the town named
    before, it is no place of its own."""
    if _DESCRIPTOR_BEFORE.search(text[max(lo, pos - 30) : pos]):
        return True
    return (
        end is not None
        and _QUALIFIER_AFTER.match(text, end) is not None
        and re.search(r"[\w)]\s*,\s*$", text[max(lo, pos - 4) : pos]) is not None
    )


_QUALIFIER_AFTER = re.compile(
    r"\s+(?:governorate|province|region|oblast|state|district|county|prefecture|department)\b(?!\s+(?:of|capital))",
    re.I,
)


def _is_reference(text: str, lo: int, place: Any) -> bool:
    """ "west of Aleppo", "near Hama", "within 30 km of Homs": the place locates something else."""
    return bool(_REFERENCE_BEFORE.search(text[max(lo, place[0] - 20) : place[0]]))


def _prefer_not_reference(text: str, lo: int, places: list[Any]) -> list[Any]:
    """ "In Sweida, east of Deraa, ...": a place used as a reference point yields to one that is not."""
    plain = [p for p in places if not _is_reference(text, lo, p)]
    return plain or places


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:60] or "unknown"


def _kind_fits(word: str, m: Mention) -> bool:
    w = word.lower()
    if any(k in w for k in ("ministry", "embassy", "mission", "government", "authorities", "office", "spokes")):
        return m.kind in ("state", "government_body")
    if any(k in w for k in ("army", "military", "command")):
        return m.kind in ("government_body", "state")
    if any(k in w for k in ("agency", "organi")):
        return m.kind == "international_organisation"
    if any(k in w for k in ("monitor", "observatory")):
        return m.kind == "monitor"
    if any(k in w for k in ("alliance", "coalition", "group", "factions", "militia")):
        return m.kind == "armed_group"
    return True


_BREAK = re.compile(r"[,;.]|\s[—–]\s")
_COMMA_BREAK = re.compile(r"[,;]|\s[—–]\s|\.\s*$")
# a reported clause ends at a semicolon, a dash, or a non-restrictive relative clause (", from which the army
# withdrew"), which is the outlet's background rather than the speaker's words
_FRAME_END = re.compile(r";|\s[—–]\s|,\s+(?:\w+\s+)?(?:which|where|whose)\b")


def _next_break(text: str, pos: int, end: int, commas_only: bool = False) -> int:
    m = (_COMMA_BREAK if commas_only else _BREAK).search(text, pos, end)
    return m.start() if m else end


def _next_frame_end(text: str, pos: int, end: int) -> int:
    m = _FRAME_END.search(text, pos, end)
    return m.start() if m else end


def _clause_start(text: str, s0: int, pos: int) -> int:
    """Where the clause holding `pos` begins: after the last ";" or sentence-internal dash."""
    best = s0
    for m in re.compile(r";\s*|\s[—–]\s").finditer(text, s0, pos):
        best = m.end()
    return best


def _post_subject_start(text: str, s0: int, vs: int) -> int:
    """For "..., the monitor's director, Rami Abdel Rahman, told reporters": the start of the speaker phrase,
    reaching back over one appositive name."""
    c1 = text.rfind(",", s0, vs)
    if c1 < 0:
        return s0
    seg = text[c1 + 1 : vs].strip()
    words = seg.split()
    if words and len(words) <= 4 and all(w[:1].isupper() for w in words):
        c2 = text.rfind(",", s0, c1)
        if c2 >= 0:
            return c2 + 1
    return c1 + 1


def _year_only(d: Any) -> bool:
    e, l_ = d.span.earliest, d.span.latest
    return e is not None and l_ is not None and (l_ - e).days >= 300


def _small_number(word: str) -> int | None:
    words = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}
    if word.isdigit():
        return int(word)
    return words.get(word.lower())


def _near(a: Place, b: Place, km: float) -> bool:
    if a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        return a.key == b.key
    from math import asin, cos, radians, sin, sqrt

    dlat, dlon = radians(b.lat - a.lat), radians(b.lon - a.lon)
    h = sin(dlat / 2) ** 2 + cos(radians(a.lat)) * cos(radians(b.lat)) * sin(dlon / 2) ** 2
    return 2 * 6371.0 * asin(sqrt(h)) <= km


def _confidence(stance: str, framed: bool, has_actor: bool) -> float:
    base = {"asserted": 0.7, "announced": 0.6, "denied": 0.6, "projected": 0.5, "hypothetical": 0.3}[stance]
    return round(base + (0.1 if framed else 0.0) + (0.05 if has_actor else -0.05), 3)
