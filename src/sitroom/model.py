"""The nouns of sitroom (see DESIGN.md, "Data model"), as frozen, typed dataclasses.

Everything that flows between pipeline stages is one of these. They are plain values: no I/O,
no database handles. Stages turn one kind into another (ingest -> Document, extract -> Claim,
fuse -> Event, state -> ControlSpan/Advisory/TransportStatus/Figure) and the store persists them.

Dates carry their precision: a `DateSpan` is either one known day (earliest == latest) or a
range of days within which the thing happened; both ends may be open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

# --- vocabularies (DESIGN.md) -------------------------------------------------------------------

EventType = Literal[
    "offensive",
    "armed_clash",
    "advance",
    "territory_captured",
    "withdrawal",
    "remote_violence",
    "attack_on_civilians",
    "protest",
    "travel_advisory",
    "evacuation",
    "displacement",
    "casualties",
    "transport_status",
    "military_exercise",
    "statement",
]
EVENT_TYPES: tuple[str, ...] = EventType.__args__  # type: ignore[attr-defined]

Stance = Literal["asserted", "denied", "announced", "projected", "hypothetical"]
STANCES: tuple[str, ...] = Stance.__args__  # type: ignore[attr-defined]

Advice = Literal["leave", "do_not_travel", "reconsider_travel", "shelter_in_place", "other"]
ADVICE_LEVELS: tuple[str, ...] = Advice.__args__  # type: ignore[attr-defined]

Metric = Literal["killed", "injured", "displaced", "refugees", "evacuated"]
METRICS: tuple[str, ...] = Metric.__args__  # type: ignore[attr-defined]

FacilityStatus = Literal["open", "closed", "suspended", "disrupted"]
FACILITY_STATUSES: tuple[str, ...] = FacilityStatus.__args__  # type: ignore[attr-defined]

EventStatus = Literal["reported", "corroborated", "contested", "denied"]

PlaceKind = Literal[
    "country",
    "region",
    "admin1",
    "city",
    "town",
    "village",
    "airport",
    "border_crossing",
    "port",
    "military_base",
    "road",
    "sea",
]
PLACE_KINDS: tuple[str, ...] = PlaceKind.__args__  # type: ignore[attr-defined]
FACILITY_KINDS: frozenset[str] = frozenset({"airport", "border_crossing", "port", "military_base"})

SourceKind = Literal["news", "official", "monitor", "un", "social"]

ActorKind = Literal[
    "state",
    "armed_group",
    "government_body",
    "international_organisation",
    "monitor",
    "media",
    "population",
]

Zone = Literal["body", "title", "caption", "boilerplate"]


# --- time -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A day, or a range of days, with open ends allowed (None = unknown)."""

    earliest: date | None
    latest: date | None

    @classmethod
    def day(cls, d: date) -> DateSpan:
        return cls(d, d)

    @property
    def exact(self) -> date | None:
        """The day, when it is known to the day."""
        if self.earliest is not None and self.earliest == self.latest:
            return self.earliest
        return None

    def overlaps(self, other: DateSpan) -> bool:
        lo = max((d for d in (self.earliest, other.earliest) if d is not None), default=None)
        hi = min((d for d in (self.latest, other.latest) if d is not None), default=None)
        return lo is None or hi is None or lo <= hi


# --- places ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry: what a mention resolves to."""

    name: str
    lat: float | None
    lon: float | None
    country: str | None  # ISO 3166-1 alpha-2
    kind: str  # one of PLACE_KINDS
    geonameid: int | None = None
    admin1: str | None = None
    population: int = 0
    id: str | None = None  # sitroom's own id for places GeoNames lacks (facilities, regions)

    @property
    def key(self) -> str:
        """A stable identifier: the GeoNames id when there is one, else sitroom's own."""
        if self.geonameid is not None:
            return f"geonames:{self.geonameid}"
        return self.id or f"name:{self.country}:{self.name}"


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place as written in a text, with what it resolved to and why."""

    text: str
    start: int
    end: int
    place: Place | None  # None: not resolved (the text is kept, never snapped to a namesake)
    zone: str = "body"  # one of Zone
    rule: str = ""  # why it resolved this way, for --explain
    score: float = 0.0


# --- actors and sources ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    kind: str = "armed_group"  # one of ActorKind
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    country: str | None = None
    colour: str | None = None  # the map's colour for what it holds (lang/<code>/actors.toml)
    # a state's: the countries beyond its own where its ground forces fight (lang/<code>/states.toml), so a
    # capture it is credited with anywhere else is marked implausible rather than drawn on the map
    fights_in: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ActorRef:
    """What a claim holds of an actor: its id and its canonical name."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    kind: str = "news"  # one of SourceKind
    reliability: float = 0.5


# --- documents ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of a document's text: [start, end) character offsets."""

    start: int
    end: int
    kind: str = "boilerplate"  # caption | related | byline | credit | boilerplate


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    text: str
    title: str = ""
    url: str | None = None
    outlet: str | None = None
    published_at: datetime | None = None  # timezone-aware UTC
    published_precision: str = "day"  # "day" (date only) or "time"
    language: str | None = "en"
    source_kind: str = "news"
    non_news: tuple[Span, ...] = ()  # captions, related-article lines, credits
    path: str | None = None  # where it was read from
    format: str = ""  # reader name: article, json, jsonl, html, feed, telegram
    content_hash: str = ""
    warnings: tuple[str, ...] = ()  # things the reader noticed but read past (e.g. no publication date)


@dataclass(frozen=True, slots=True)
class Rejection:
    path: str
    reason: str


# --- claims and what is fused from them -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evidence:
    text: str
    start: int
    end: int


# A claim's cues are the words its rule matched, then notes on how it was read (shown by `claims --explain`),
# which start with one of these
EXPLAIN_NOTES = ("parse: ", "date: ", "place: ", "scorer: ")


@dataclass(frozen=True, slots=True)
class Claim:
    """One statement in one document. A claim never changes what another document said."""

    id: str
    document_id: str
    type: str  # one of EVENT_TYPES
    stance: str  # one of STANCES
    evidence: Evidence
    extractor: str  # versioned, e.g. "rules.v1"
    rule: str
    confidence: float
    actor: ActorRef | None = None
    target: ActorRef | None = None
    attributed_to: ActorRef | None = None
    place: Place | None = None
    place_text: str | None = None
    when: DateSpan = DateSpan(None, None)
    quantity: float | None = None
    metric: str | None = None
    advice: str | None = None
    audience: str | None = None
    means: str | None = None
    status: str | None = None  # transport_status only
    cues: tuple[str, ...] = ()  # matched cue words, for --explain
    published_at: datetime | None = None  # knowledge time: the document's publication
    outlet: str | None = None
    language: str | None = None  # the document's language: the evidence is in it, names are sitroom's English


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    type: str
    status: str  # one of EventStatus
    confidence: float
    when: DateSpan
    actor: ActorRef | None = None
    target: ActorRef | None = None
    place: Place | None = None
    sources: int = 0
    claims: tuple[str, ...] = ()
    opposing: tuple[str, ...] = ()
    first_reported: datetime | None = None
    last_confirmed: datetime | None = None
    # why fusion doubts it ("implausible: ..."), shown with the event; such an event changes no control
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ControlSpan:
    place: Place
    controller: ActorRef
    since: date | None
    until: date | None
    confidence: float
    last_confirmed: datetime | None = None
    evidence: tuple[str, ...] = ()  # claim ids
    events: tuple[str, ...] = ()  # event ids


@dataclass(frozen=True, slots=True)
class Advisory:
    issuer: ActorRef
    area: Place
    levels: tuple[str, ...]
    issued: date | None
    audience: str | None = None
    means: str | None = None
    superseded_by: str | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TransportStatus:
    facility: Place
    status: str
    since: date | None
    last_confirmed: datetime | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Figure:
    metric: str
    value: float
    as_of: date | None
    area: Place | None
    source: ActorRef | None = None
    projection: bool = False
    evidence: tuple[str, ...] = field(default_factory=tuple)
