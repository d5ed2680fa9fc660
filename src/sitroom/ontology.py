"""sitroom's event types, one entry each, read from ``data/ontology.toml``.

Every stage asks this module what a type means for it instead of keeping its own list: extraction (which types
need a place, which are dated back, which count a metric), fusion (which types move the control map), alerts
and routes (which types are fighting), the report (how a type is worded) and the web page (its colour, served at
``GET /ontology``). A new type is one entry in the data file plus its triggers in ``lang/<code>/events.toml``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sitroom.errors import DataFileError

DATA_FILE = Path(__file__).resolve().parent / "data" / "ontology.toml"

ROLES = frozenset({"actor", "target", "place", "quantity"})
CONTROL_EFFECTS = frozenset({"capture", "withdrawal"})
_FLAGS = ("physical", "fighting", "needs_place", "dated_back", "refers_back", "on_land")


@dataclass(frozen=True, slots=True)
class EventKind:
    """One event type and what each stage does with it."""

    id: str
    name: str
    meaning: str
    roles: tuple[str, ...]
    label: str
    colour: str
    acled: tuple[str, str] | None = None
    acled_government: tuple[str, str] | None = None
    control: str | None = None
    metrics: tuple[str, ...] = ()
    physical: bool = False
    fighting: bool = False
    needs_place: bool = False
    dated_back: bool = False
    refers_back: bool = False
    on_land: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "type": self.id,
            "name": self.name,
            "meaning": self.meaning,
            "roles": list(self.roles),
            "acled": list(self.acled) if self.acled else None,
            "acled_government": list(self.acled_government) if self.acled_government else None,
            "control": self.control,
            "metrics": list(self.metrics),
            "fighting": self.fighting,
            "label": self.label,
            "colour": self.colour,
        }


def _pair(raw: Any, where: str) -> tuple[str, str] | None:
    if raw is None:
        return None
    if not (isinstance(raw, list) and len(raw) == 2 and all(isinstance(x, str) for x in raw)):
        raise DataFileError(str(DATA_FILE), None, f"{where} must be [event type, sub-event type]")
    return (raw[0], raw[1])


def _entry(raw: Mapping[str, Any]) -> EventKind:
    tid = raw.get("id")
    if not isinstance(tid, str) or not tid:
        raise DataFileError(str(DATA_FILE), None, "a [[type]] entry has no id")
    for key in ("name", "meaning", "label", "colour"):
        if not isinstance(raw.get(key), str):
            raise DataFileError(str(DATA_FILE), None, f"type {tid!r} lacks the text field {key!r}")
    roles = tuple(raw.get("roles", ()))
    if not set(roles) <= ROLES:
        raise DataFileError(str(DATA_FILE), None, f"type {tid!r} has unknown roles {sorted(set(roles) - ROLES)}")
    control = raw.get("control")
    if control is not None and control not in CONTROL_EFFECTS:
        raise DataFileError(str(DATA_FILE), None, f"type {tid!r}: control must be one of {sorted(CONTROL_EFFECTS)}")
    flags = {f: bool(raw.get(f, False)) for f in _FLAGS}
    return EventKind(
        id=tid,
        name=raw["name"],
        meaning=raw["meaning"],
        roles=roles,
        label=raw["label"],
        colour=raw["colour"],
        acled=_pair(raw.get("acled"), f"type {tid!r}: acled"),
        acled_government=_pair(raw.get("acled_government"), f"type {tid!r}: acled_government"),
        control=control,
        metrics=tuple(raw.get("metric", ())),
        **flags,
    )


@cache
def kinds() -> Mapping[str, EventKind]:
    """Every event type, in the data file's order."""
    try:
        with DATA_FILE.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(str(DATA_FILE), None, str(exc)) from exc
    out: dict[str, EventKind] = {}
    for raw in data.get("type", []):
        kind = _entry(raw)
        if kind.id in out:
            raise DataFileError(str(DATA_FILE), None, f"type {kind.id!r} is defined twice")
        out[kind.id] = kind
    return MappingProxyType(out)


def kind(event_type: str) -> EventKind:
    """The entry of `event_type`; KeyError names the type when it is not one of sitroom's."""
    return kinds()[event_type]


def types_where(flag: str) -> frozenset[str]:
    """The types whose boolean `flag` (physical, fighting, needs_place, ...) is set."""
    if flag not in _FLAGS:
        raise ValueError(f"unknown ontology flag {flag!r}; known: {', '.join(_FLAGS)}")
    return frozenset(k.id for k in kinds().values() if getattr(k, flag))


def control_types() -> frozenset[str]:
    """The types that move the control map when asserted."""
    return frozenset(k.id for k in kinds().values() if k.control)


def metric_types() -> Mapping[str, str]:
    """Each figure metric (killed, displaced, ...) and the type that counts it."""
    return MappingProxyType({m: k.id for k in kinds().values() for m in k.metrics})


def name(event_type: str) -> str:
    """How alerts and tables write a type; an unknown type is written with spaces."""
    k = kinds().get(event_type)
    return k.name if k else event_type.replace("_", " ")


def label(event_type: str) -> str:
    """The sitrep's wording before a place ("captured", "strikes on")."""
    k = kinds().get(event_type)
    return k.label if k else event_type
