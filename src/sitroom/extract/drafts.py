"""What the rules reader keeps while it reads one document: actor mentions, reporting frames, drafts of claims
and the document's state (its places, dates, speakers and the drafts so far)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sitroom.extract.syntax import Syntax
from sitroom.extract.text import Sentence
from sitroom.extract.turns import Turn
from sitroom.model import ActorRef, DateSpan, Document, Place


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
    body: str | None = None  # the kind of state body ("defence_ministry"), from states.toml [bodies]


@dataclass(slots=True)
class Frame:
    speaker: Mention | None
    verb_start: int
    verb_end: int
    scope: tuple[int, int]  # what the speaker says
    region: tuple[int, int]  # the frame's own words ("the Observatory said on Sunday")
    denial: bool = False


@dataclass(slots=True)
class Draft:
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
class DocState:
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
    drafts: list[Draft] = field(default_factory=list)
    hits: dict[int, list[re.Match[str]]] = field(default_factory=dict)
    triggers: list[tuple[int, int, Any, str]] | None = None
    trigger_starts: list[int] = field(default_factory=list)
    hit_starts: dict[int, list[int]] = field(default_factory=dict)
    syntax: Syntax | None = None  # parses of the sentences that hold a trigger, made on demand
    parse_notes: list[str] = field(default_factory=list)  # what the parse decided for the event being read
    turns: dict[int, Turn] = field(default_factory=dict)  # a transcript's labelled turns, by line start
    latest_told: date | None = None  # the latest day the report dates an event to (for retrospectives)
    tables: dict[int, Any] = field(default_factory=dict)  # table rows by the start of their line (extract.tables)
    frames: dict[int, list[Frame]] = field(default_factory=dict)  # each sentence's frames, by its start


if TYPE_CHECKING:
    # A step (ActorStep, PlaceStep, ...) is a part of RulesExtractor and reaches the other steps' methods and the
    # shared helpers through self; for the type checker those are the extractor's, looked up loosely.
    StepBase = Any
else:
    StepBase = object
