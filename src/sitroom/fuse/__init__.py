"""Fusion: claims -> events, and the picture built from them (control, advisories, transport, figures).

Pure functions over `sitroom.model` values: no store, no globals. The caller (store, CLI) persists and
queries; for a `--known-at` replay it passes only the claims published by then.

    fuse_events(claims, actors, previous=(), *, claims_of=None) -> list[Event]
    reach(claims) -> list[Reach]                 # which stored events new claims could join
    control_timeline(claims, baseline, actors, events=None, *, include_baseline=True) -> list[ControlSpan]
    control_at(spans, day) -> list[ControlSpan]
    changes_in(spans, start=None, end=None) -> list[ControlSpan]
    load_baseline(path=None) -> Baseline
    advisories(claims, at=None, actors=None) -> list[Advisory]      # in_force(), advisory_id()
    transport(claims, at=None) -> list[TransportStatus]             # transport_history()
    figures(claims) -> list[Figure]

Dates of a fused event: the day the most independent sources name (ties: the earliest); with only ranges,
their intersection. A control change takes effect on that day; with only a range, at its end when short,
its middle when long, never when vague. See events.py and control.py for the matching and control rules,
and sitroom.serialize for DESIGN.md's JSON shapes.
"""

from sitroom.fuse._common import compatible, haversine_km, lineage, norm_name, stable_id
from sitroom.fuse.baseline import Baseline, BaselinePlace, BaselineRegion, load_baseline, parse_baseline
from sitroom.fuse.control import CONTROL_TYPES, changes_in, control_at, control_timeline
from sitroom.fuse.events import Reach, fusable, fuse_events, place_distance, reach
from sitroom.fuse.state import (
    advisories,
    advisory_id,
    audience_class,
    figures,
    in_force,
    transport,
    transport_history,
)

__all__ = [
    "CONTROL_TYPES",
    "Baseline",
    "BaselinePlace",
    "BaselineRegion",
    "Reach",
    "advisories",
    "advisory_id",
    "audience_class",
    "changes_in",
    "compatible",
    "control_at",
    "control_timeline",
    "figures",
    "fusable",
    "fuse_events",
    "haversine_km",
    "in_force",
    "lineage",
    "load_baseline",
    "norm_name",
    "parse_baseline",
    "place_distance",
    "reach",
    "stable_id",
    "transport",
    "transport_history",
]
