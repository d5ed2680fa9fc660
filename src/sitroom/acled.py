"""ACLED event and sub-event types for sitroom's event types (DESIGN.md, "Event types").

Conflict types map one-to-one onto ACLED's coding, so an export lines up with the dataset analysts
already use. Crisis types ACLED does not code (advisories, displacement figures, statements) map to None.
The fixed codings are the ontology's (data/ontology.toml); this module decides the two that depend on the
claim: who captured a place, and what weapon a remote attack used.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from sitroom import ontology
from sitroom.model import EXPLAIN_NOTES, Actor, ActorRef

# ACLED's actor-type codes (inter1/inter2); `interaction` is the two codes joined, the smaller first, and
# ten times the code when only one side is known (10 = state forces alone).
STATE_FORCES, REBEL_GROUP, PROTESTERS, CIVILIANS, EXTERNAL = 1, 2, 6, 7, 8

_REMOTE_SUBTYPES = (
    (("drone", "air", "jet", "warplane", "bomb", "strike", "raid", "helicopter"), "Air/drone strike"),
    (("shell", "artillery", "missile", "rocket", "mortar"), "Shelling/artillery/missile attack"),
)


def _registry(actors: Mapping[str, Actor] | None) -> Mapping[str, Actor]:
    if actors is not None:
        return actors
    from sitroom.extract import actors as lexicon_actors  # the shipped registry, read once

    return lexicon_actors()


def _lineage(actor_id: str, actors: Mapping[str, Actor]) -> list[Actor]:
    """The actor and its known ancestors, nearest first (fusion's lineage, as actors)."""
    from sitroom.fuse import lineage  # on use: fusion's package imports the serialisers that import this module

    return [actors[a] for a in lineage(actor_id, actors) if a in actors]


def is_state_actor(actor: ActorRef | None, actors: Mapping[str, Actor] | None = None) -> bool:
    """A state, one of its bodies or its forces (the SAA, the Russian armed forces, an embassy)."""
    if actor is None:
        return False
    line = _lineage(actor.id, _registry(actors))
    return bool(line) and any(a.kind in ("state", "government_body") for a in line)


def inter_code(
    actor: ActorRef | None, country: str | None, actors: Mapping[str, Actor] | None = None, event_type: str = ""
) -> int | None:
    """ACLED's actor type for who acted where: a state's forces at home are state forces (1), abroad
    external forces (8); armed groups rebel groups (2); the people of a protest protesters (6); None unknown."""
    if actor is None:
        return None
    if event_type == "protest":
        return PROTESTERS
    line = _lineage(actor.id, _registry(actors))
    if not line:
        return None
    if any(a.kind in ("state", "government_body") for a in line):
        home = next((a.country for a in line if a.country), None)
        return STATE_FORCES if home is None or country is None or home == country else EXTERNAL
    kinds = {a.kind for a in line}
    if "armed_group" in kinds:
        return REBEL_GROUP
    if "population" in kinds:
        return CIVILIANS
    return EXTERNAL


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    if inter1 is None and inter2 is None:
        return None
    if inter1 is None or inter2 is None:
        return 10 * (inter1 or inter2 or 0)
    lo, hi = sorted((inter1, inter2))
    return 10 * lo + hi


def acled_types(
    event_type: str,
    actor: ActorRef | None = None,
    cues: tuple[str, ...] = (),
    actors: Mapping[str, Actor] | None = None,
) -> tuple[str, str] | None:
    """ACLED's (event_type, sub_event_type) for a sitroom event type, or None where ACLED has none."""
    kind = ontology.kinds().get(event_type)
    if kind is None or kind.acled is None:
        return None
    if kind.acled_government and is_state_actor(actor, actors):
        return kind.acled_government
    if event_type == "remote_violence":
        # what the rule matched, not --explain's notes on it ("place: Aleppo airport ..." is no air strike)
        words = " ".join(c for c in cues if not c.startswith(EXPLAIN_NOTES)).lower()
        # Air strikes are checked first: "missile strike from a jet" is still an air strike in ACLED's terms.
        for stems, sub in _REMOTE_SUBTYPES:
            if any(stem in words for stem in stems):
                return (kind.acled[0], sub)
    # the rules' words name no finer kind: the learned scorer's reading of the sentence (hybrid.v1), when it is a
    # sub-event of the same ACLED event type ("Abduction/forced disappearance" for an attack on civilians)
    scored = _scored_sub_event(cues)
    if scored is not None and scored in _sub_events().get(kind.acled[0], ()):
        return (kind.acled[0], scored)
    return kind.acled


_SCORED = re.compile(r"ACLED (?P<sub>[^;]+?) p=")


def _scored_sub_event(cues: tuple[str, ...]) -> str | None:
    for c in cues:
        if c.startswith("scorer: ") and (m := _SCORED.search(c)) is not None:
            return m.group("sub")
    return None


@cache
def _sub_events() -> dict[str, tuple[str, ...]]:
    data = tomllib.loads((Path(__file__).parent / "data" / "acled_taxonomy.toml").read_text(encoding="utf-8"))
    return {k: tuple(v) for k, v in data["sub_events"].items()}
