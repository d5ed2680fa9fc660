"""Subscriptions: what a user wants to be told about, read from a YAML file (or posted to the API).

A file holds `sinks` (named delivery channels) and `subscriptions`; each subscription names its sinks and
either `when` (one condition, or a list of conditions any of which fires) or a `tripwire` (an evacuation
plan). A condition has one kind:

    event:         types, actor (descendants included), place | within, min_confidence, min_sources,
                   require (all | any: both thresholds, or either), status
    advisory:      issuer (any | names/ids), area, audience (nationals | all), levels
    transport:     facility | within, status
    control:       place | within, controller
    contradiction: an event becoming contested or denied; types, actor, place | within
    route:         from, to (places), status (open | at_risk | cut; default at_risk and cut): fires when
                   the best way between the two places enters one of those statuses (`sitroom route`)
    silence:       place | within, for (a duration: 90m, 24h, 2d; a bare number is hours): fires when no
                   report has been heard from the area for that long (once per silence: a new report re-arms it)

A tripwire (plan, people, exits, routes, radius_km, advisories, fighting_types) may name its roads out:
`routes: [{from: Homs, to: Beirut}]` fires when one becomes at risk or cut.

Places are names (resolved with the gazetteer), `[lat, lon]` pairs or `{lat, lon}` maps; `within` is
`{km: 30, of: Homs}`. Every error names the file and the line of the value at fault.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from sitroom import ontology
from sitroom.alerts.yamlfile import Located, Path_, as_list, load_with_lines
from sitroom.errors import DataFileError
from sitroom.fuse import haversine_km, lineage, norm_name
from sitroom.model import ADVICE_LEVELS, EVENT_TYPES, FACILITY_KINDS, FACILITY_STATUSES, Actor, Place
from sitroom.time import parse_duration

PlaceResolver = Callable[[str], Place | None]

CONDITION_KINDS = ("event", "advisory", "transport", "control", "contradiction", "route", "silence")
ROUTE_STATUSES = ("open", "at_risk", "cut")
EVENT_STATUSES = ("reported", "corroborated", "contested", "denied")
FIGHTING_TYPES = ontology.types_where("fighting")
SINK_TYPES = ("stdout", "log", "file", "webhook", "email", "telegram")
# A city's quarters and suburbs resolve a few km from its centre: "at Aleppo" includes them.
CITY_REACH_KM = 10.0
FACILITY_REACH_KM = 2.0


@dataclass(frozen=True)
class Area:
    """A place (matched by identity, country or province) or a circle around a point."""

    label: str
    place: Place
    km: float | None = None

    def match(self, p: Place | None) -> str | None:
        """Why `p` is in this area, in words, or None."""
        if p is None:
            return None
        if self.km is not None:
            d = haversine_km(self.place, p)
            if d is None or d > self.km:
                return None
            return f"{d:.0f} km from {self.label} (within {self.km:g} km)"
        c = self.place
        if p.key == c.key or (norm_name(p.name) == norm_name(c.name) and p.country == c.country):
            return f"{'in' if c.kind in ('country', 'admin1', 'region', 'sea') else 'at'} {self.label}"
        if c.kind == "country":
            return f"in {self.label}" if p.country and p.country == c.country else None
        if c.kind in ("admin1", "region"):
            same = c.admin1 is not None and p.admin1 == c.admin1 and p.country == c.country
            return f"in {self.label}" if same else None
        d = haversine_km(c, p)
        if d is None:
            return None
        if c.kind in FACILITY_KINDS or p.kind in FACILITY_KINDS:
            both = c.kind in FACILITY_KINDS and p.kind in FACILITY_KINDS
            return f"at {self.label}" if both and d <= FACILITY_REACH_KM else None
        if c.kind == "city" and d <= CITY_REACH_KM:
            return f"at {self.label} ({d:.0f} km from its centre)"
        return None


def match_areas(areas: Sequence[Area], p: Place | None) -> str | None:
    """The first area that holds `p` (an empty list holds everything)."""
    if not areas:
        return ""
    for a in areas:
        why = a.match(p)
        if why is not None:
            return why
    return None


@dataclass(frozen=True)
class Condition:
    kind: str
    types: frozenset[str] = frozenset()
    actors: tuple[str, ...] = ()  # ids; an actor's descendants match too
    areas: tuple[Area, ...] = ()
    min_confidence: float | None = None
    min_sources: int | None = None
    require: str = "all"
    statuses: frozenset[str] = frozenset()
    issuers: tuple[str, ...] = ()  # advisory issuers (ids); empty = any
    audience: str | None = None
    levels: frozenset[str] = frozenset()
    quiet_for: timedelta | None = None  # silence: how long without a report from the areas


@dataclass(frozen=True)
class Tripwire:
    """An evacuation plan: where people are, how they would leave, and what should make the cell act."""

    plan: str
    people: tuple[Area, ...]
    exits: tuple[Area, ...]
    radius_km: float = 30.0
    issuers: tuple[str, ...] = ()  # whose advisories count; empty = any government
    advisory_areas: tuple[Area, ...] = ()
    levels: frozenset[str] = frozenset({"leave"})
    fighting_types: frozenset[str] = FIGHTING_TYPES
    routes: tuple[tuple[Area, Area], ...] = ()  # the roads out: a tripwire when one becomes at risk or cut


@dataclass(frozen=True)
class Subscription:
    id: str
    sinks: tuple[str, ...]
    conditions: tuple[Condition, ...] = ()
    tripwire: Tripwire | None = None
    description: str = ""
    spec: Mapping[str, Any] = field(default_factory=dict)  # as written, for the API


@dataclass(frozen=True)
class SubscriptionFile:
    subscriptions: tuple[Subscription, ...]
    sinks: Mapping[str, Mapping[str, Any]]
    path: str


def actor_matches(wanted: Sequence[str], actor_id: str | None, actors: Mapping[str, Actor]) -> bool:
    """Whether `actor_id` is one of `wanted` or descends from one (HTS is within the Syrian opposition)."""
    if not wanted:
        return True
    if actor_id is None:
        return False
    chain = lineage(actor_id, actors)
    return any(w in chain for w in wanted)


class _Parser:
    def __init__(self, doc: Located, resolve: PlaceResolver, actors: Mapping[str, Actor]) -> None:
        self.doc = doc
        self.resolve = resolve
        self.actors = actors
        self._by_name: dict[str, str] = {}
        for a in actors.values():
            for n in (a.id, a.name, *a.aliases):
                self._by_name.setdefault(norm_name(n), a.id)

    def fail(self, at: Path_, reason: str) -> DataFileError:
        return self.doc.error(at, reason)

    def mapping(self, value: Any, at: Path_, allowed: Sequence[str]) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(at, f"expected a mapping with keys among {', '.join(allowed)}")
        for k in value:
            if k not in allowed:
                raise self.fail((*at, k), f"unknown key {k!r} (expected one of: {', '.join(allowed)})")
        return value

    def words(self, value: Any, at: Path_, vocabulary: Sequence[str], what: str) -> frozenset[str]:
        out = set()
        for i, v in enumerate(as_list(value)):
            if not isinstance(v, str) or v not in vocabulary:
                raise self.fail(
                    (*at, i) if isinstance(value, list) else at, f"{v!r} is not a {what} ({', '.join(vocabulary)})"
                )
            out.add(v)
        return frozenset(out)

    def number(self, value: Any, at: Path_, lo: float, hi: float | None = None) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(at, f"{value!r} is not a number")
        if value < lo or (hi is not None and value > hi):
            raise self.fail(at, f"{value} is out of range ({lo}..{hi if hi is not None else ''})")
        return float(value)

    def actor_ids(self, value: Any, at: Path_, allow_any: bool = False) -> tuple[str, ...]:
        if allow_any and (value is None or value == "any"):
            return ()
        out = []
        for i, v in enumerate(as_list(value)):
            where = (*at, i) if isinstance(value, list) else at
            if not isinstance(v, str):
                raise self.fail(where, f"{v!r} is not an actor name")
            found = self._by_name.get(norm_name(v))
            if found is None:
                raise self.fail(where, f"unknown actor {v!r} (use an id or name from the actor lexicon)")
            out.append(found)
        return tuple(out)

    def place(self, value: Any, at: Path_) -> tuple[str, Place]:
        if isinstance(value, dict) and "lat" in value and "lon" in value:
            lat, lon = value["lat"], value["lon"]
            label = str(value.get("name") or f"{lat},{lon}")
        elif isinstance(value, list) and len(value) == 2 and all(isinstance(v, int | float) for v in value):
            lat, lon = value
            label = f"{lat},{lon}"
        elif isinstance(value, str) and value.strip():
            found = self.resolve(value.strip())
            if found is None:
                raise self.fail(at, f"unknown place {value!r} (not in the gazetteer; give [lat, lon] instead)")
            return value.strip(), found
        else:
            raise self.fail(at, f"{value!r} is not a place (a name, [lat, lon] or {{lat, lon}})")
        if not (-90 <= float(lat) <= 90 and -180 <= float(lon) <= 180):
            raise self.fail(at, f"{value!r}: latitude or longitude out of range")
        return label, Place(name=label, lat=float(lat), lon=float(lon), country=None, kind="town")

    def places(self, value: Any, at: Path_) -> list[Area]:
        out = []
        for i, v in enumerate(as_list(value) if not (isinstance(value, list) and _is_pair(value)) else [value]):
            where = (*at, i) if isinstance(value, list) and not _is_pair(value) else at
            label, p = self.place(v, where)
            out.append(Area(label, p))
        return out

    def within(self, value: Any, at: Path_) -> list[Area]:
        out = []
        items = value if isinstance(value, list) else [value]
        for i, v in enumerate(items):
            where = (*at, i) if isinstance(value, list) else at
            m = self.mapping(v, where, ("km", "of"))
            km = self.number(m.get("km"), (*where, "km"), 0.0)
            if km is None or "of" not in m:
                raise self.fail(where, "within needs km and of (e.g. {km: 30, of: Homs})")
            label, p = self.place(m["of"], (*where, "of"))
            out.append(Area(label, p, km))
        return out

    def areas(self, m: Mapping[str, Any], at: Path_, key: str = "place") -> tuple[Area, ...]:
        out: list[Area] = []
        if m.get(key) is not None:
            out += self.places(m[key], (*at, key))
        if m.get("within") is not None:
            out += self.within(m["within"], (*at, "within"))
        return tuple(out)

    # --- conditions -------------------------------------------------------------------------------

    def condition(self, value: Any, at: Path_) -> Condition:
        if not isinstance(value, dict) or len(value) != 1 or next(iter(value)) not in CONDITION_KINDS:
            if isinstance(value, dict) and value:
                at = (
                    *at,
                    next(k for k in value if k not in CONDITION_KINDS)
                    if set(value) - set(CONDITION_KINDS)
                    else next(iter(value)),
                )
            raise self.fail(at, f"a condition is one of {', '.join(CONDITION_KINDS)} (e.g. event: {{types: [...]}})")
        kind, body = next(iter(value.items()))
        at = (*at, kind)
        common = ("types", "actor", "place", "within", "min_confidence", "min_sources", "require", "status")
        if kind in ("event", "contradiction"):
            m = self.mapping(body, at, common)
            require = m.get("require", "all")
            if require not in ("all", "any"):
                raise self.fail((*at, "require"), "require is all or any")
            statuses = self.words(m.get("status"), (*at, "status"), EVENT_STATUSES, "event status")
            if kind == "contradiction" and statuses - {"contested", "denied"}:
                raise self.fail((*at, "status"), "a contradiction is contested or denied")
            ms = self.number(m.get("min_sources"), (*at, "min_sources"), 1)
            return Condition(
                kind,
                types=self.words(m.get("types"), (*at, "types"), EVENT_TYPES, "event type"),
                actors=self.actor_ids(m.get("actor"), (*at, "actor")),
                areas=self.areas(m, at),
                min_confidence=self.number(m.get("min_confidence"), (*at, "min_confidence"), 0.0, 1.0),
                min_sources=int(ms) if ms is not None else None,
                require=require,
                statuses=statuses,
            )
        if kind == "advisory":
            m = self.mapping(body, at, ("issuer", "area", "audience", "levels"))
            audience = m.get("audience")
            if audience not in (None, "nationals", "all"):
                raise self.fail((*at, "audience"), "audience is nationals or all")
            return Condition(
                kind,
                issuers=self.actor_ids(m.get("issuer"), (*at, "issuer"), allow_any=True),
                areas=self.areas(m, at, "area"),
                audience=audience,
                levels=self.words(m.get("levels"), (*at, "levels"), ADVICE_LEVELS, "advice level"),
            )
        if kind == "transport":
            m = self.mapping(body, at, ("facility", "within", "status"))
            return Condition(
                kind,
                areas=self.areas(m, at, "facility"),
                statuses=self.words(m.get("status"), (*at, "status"), FACILITY_STATUSES, "facility status"),
            )
        if kind == "silence":
            m = self.mapping(body, at, ("place", "within", "for"))
            areas = self.areas(m, at)
            if not areas:
                raise self.fail(at, "a silence needs a place or within (where nothing is heard from)")
            raw = m.get("for")
            try:
                quiet = parse_duration(str(raw)) if raw is not None and not isinstance(raw, bool) else None
            except ValueError as exc:
                raise self.fail((*at, "for"), str(exc)) from None
            if quiet is None:
                raise self.fail(at, "a silence needs for: how long without a report (e.g. for: 24h)")
            return Condition(kind, areas=areas, quiet_for=quiet)
        if kind == "route":
            m = self.mapping(body, at, ("from", "to", "status"))
            statuses = self.words(m.get("status", ["at_risk", "cut"]), (*at, "status"), ROUTE_STATUSES, "route status")
            return Condition(kind, areas=self.route_ends(m, at), statuses=statuses)
        m = self.mapping(body, at, ("place", "within", "controller"))
        return Condition(kind, areas=self.areas(m, at), actors=self.actor_ids(m.get("controller"), (*at, "controller")))

    def route_ends(self, m: Mapping[str, Any], at: Path_) -> tuple[Area, Area]:
        """A route's `from` and `to`, both places, as areas (a route condition's or a tripwire's road out)."""
        ends = []
        for end in ("from", "to"):
            if m.get(end) is None:
                raise self.fail(at, f"a route needs {end} (a place)")
            label, place = self.place(m[end], (*at, end))
            ends.append(Area(label, place))
        return ends[0], ends[1]

    def tripwire(self, value: Any, at: Path_) -> Tripwire:
        m = self.mapping(value, at, ("plan", "people", "exits", "routes", "radius_km", "advisories", "fighting_types"))
        if not m.get("people") and not m.get("exits") and not m.get("routes"):
            raise self.fail(at, "a tripwire needs people (places where people are), exits and/or routes")
        routes = []
        for k, r in enumerate(as_list(m.get("routes"))):
            where = (*at, "routes", k)
            routes.append(self.route_ends(self.mapping(r, where, ("from", "to")), where))
        adv = self.mapping(m.get("advisories"), (*at, "advisories"), ("issuer", "area", "levels"))
        radius = self.number(m.get("radius_km", 30), (*at, "radius_km"), 0.0)
        people = tuple(self.places(m.get("people"), (*at, "people")))
        exits = tuple(self.places(m.get("exits"), (*at, "exits")))
        areas = self.areas(adv, (*at, "advisories"), "area")
        if not areas:
            # Advisories about the country the people are in, unless the plan says otherwise.
            countries = {a.place.country for a in people + exits if a.place.country}
            areas = tuple(
                Area(cc, Place(name=cc, lat=None, lon=None, country=cc, kind="country")) for cc in sorted(countries)
            )
        levels = self.words(adv.get("levels", ["leave"]), (*at, "advisories", "levels"), ADVICE_LEVELS, "advice level")
        fighting = m.get("fighting_types")
        return Tripwire(
            plan=str(m.get("plan") or "evacuation plan"),
            people=people,
            exits=exits,
            radius_km=radius if radius is not None else 30.0,
            issuers=self.actor_ids(adv.get("issuer"), (*at, "advisories", "issuer"), allow_any=True),
            advisory_areas=areas,
            levels=levels,
            routes=tuple(routes),
            fighting_types=(
                self.words(fighting, (*at, "fighting_types"), EVENT_TYPES, "event type") if fighting else FIGHTING_TYPES
            ),
        )

    def subscription(self, value: Any, at: Path_, sink_names: Sequence[str] | None) -> Subscription:
        m = self.mapping(value, at, ("id", "description", "sinks", "when", "tripwire"))
        sid = m.get("id")
        if not isinstance(sid, str) or not sid.strip() or len(sid) > 128:
            raise self.fail((*at, "id"), "each subscription needs an id (a word of at most 128 characters)")
        sinks = as_list(m.get("sinks"))
        if not sinks or not all(isinstance(s, str) for s in sinks):
            raise self.fail((*at, "sinks"), "name the sinks this subscription delivers to (a list of sink names)")
        if sink_names is not None:
            for i, s in enumerate(sinks):
                if s not in sink_names:
                    raise self.fail(
                        (*at, "sinks", i), f"no sink named {s!r} (defined: {', '.join(sink_names) or 'none'})"
                    )
        if ("when" in m) == ("tripwire" in m):
            raise self.fail(at, "a subscription has either when (conditions) or tripwire (a plan)")
        conditions: tuple[Condition, ...] = ()
        tripwire = None
        if "when" in m:
            when = m["when"]
            if isinstance(when, list):
                conditions = tuple(self.condition(c, (*at, "when", i)) for i, c in enumerate(when))
            else:
                conditions = (self.condition(when, (*at, "when")),)
            if not conditions:
                raise self.fail((*at, "when"), "no conditions")
        else:
            tripwire = self.tripwire(m["tripwire"], (*at, "tripwire"))
        return Subscription(sid.strip(), tuple(sinks), conditions, tripwire, str(m.get("description") or ""), m)

    def sinks(self, value: Any, at: Path_) -> dict[str, dict[str, Any]]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(at, "sinks is a mapping of names to sink settings")
        out = {}
        for name, cfg in value.items():
            if not isinstance(cfg, dict) or cfg.get("type") not in SINK_TYPES:
                raise self.fail((*at, name, "type"), f"a sink needs a type among {', '.join(SINK_TYPES)}")
            required = {"file": ("path",), "webhook": ("url",), "email": ("host", "from", "to"),
                        "telegram": ("chat_id",)}.get(cfg["type"], ())  # fmt: skip
            for key in required:
                if not cfg.get(key):
                    raise self.fail((*at, name), f"a {cfg['type']} sink needs {key}")
            out[name] = cfg
        return out


def _is_pair(v: Any) -> bool:
    return (
        isinstance(v, list) and len(v) == 2 and all(isinstance(x, int | float) and not isinstance(x, bool) for x in v)
    )


def default_resolver() -> PlaceResolver:
    from sitroom.geo import Geoparser

    return Geoparser.default().resolve


def default_actors() -> Mapping[str, Actor]:
    from sitroom.extract import actors

    return actors()


def parse_subscriptions(
    text: str,
    path: str = "<subscriptions>",
    resolve: PlaceResolver | None = None,
    actors: Mapping[str, Actor] | None = None,
    extra_sinks: Mapping[str, Any] | None = None,
) -> SubscriptionFile:
    doc = load_with_lines(text, path)
    data = doc.data if doc.data is not None else {}
    if isinstance(data, list):  # a bare list of subscriptions (sinks defined elsewhere)
        data = {"subscriptions": data}
    p = _Parser(doc, resolve or default_resolver(), actors if actors is not None else default_actors())
    p.mapping(data, (), ("sinks", "subscriptions"))
    sinks = {**(extra_sinks or {}), **p.sinks(data.get("sinks"), ("sinks",))}
    items = data.get("subscriptions") or []
    if not isinstance(items, list):
        raise p.fail(("subscriptions",), "subscriptions is a list")
    subs = [p.subscription(v, ("subscriptions", i), list(sinks)) for i, v in enumerate(items)]
    seen: dict[str, int] = {}
    for i, s in enumerate(subs):
        if s.id in seen:
            raise p.fail(("subscriptions", i, "id"), f"duplicate subscription id {s.id!r}")
        seen[s.id] = i
    return SubscriptionFile(tuple(subs), sinks, path)


def load_subscriptions(
    path: str | Path,
    resolve: PlaceResolver | None = None,
    actors: Mapping[str, Actor] | None = None,
    extra_sinks: Mapping[str, Any] | None = None,
) -> SubscriptionFile:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(str(p), None, f"cannot read subscriptions: {exc}") from exc
    return parse_subscriptions(text, str(p), resolve, actors, extra_sinks)


def parse_subscription_spec(
    spec: Any,
    resolve: PlaceResolver | None = None,
    actors: Mapping[str, Actor] | None = None,
    sink_names: Sequence[str] | None = None,
) -> Subscription:
    """One subscription given as a mapping (the API's POST body); errors name the path within it."""
    doc = Located(spec, {}, "<request>")
    p = _Parser(doc, resolve or default_resolver(), actors if actors is not None else default_actors())
    return p.subscription(spec, (), sink_names)
