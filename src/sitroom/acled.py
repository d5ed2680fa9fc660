"""ACLED event and sub-event types for sitroom's event types (DESIGN.md, "Event types").

Conflict types map one-to-one onto ACLED's coding, so an export lines up with the dataset analysts
already use. Crisis types ACLED does not code (advisories, displacement figures, statements) map to None.
"""

from __future__ import annotations

from sitroom.model import ActorRef

BATTLES = "Battles"
STRATEGIC = "Strategic developments"
REMOTE = "Explosions/Remote violence"
VAC = "Violence against civilians"
PROTESTS = "Protests"

# Actor ids whose captures are coded as "Government regains territory". Anything else taking a place is
# a non-state actor overtaking territory, which is what ACLED codes for rebel and militia advances.
GOVERNMENT_ACTOR_PREFIXES = ("syrian_government", "saa", "syrian_army", "government")

_FIXED: dict[str, tuple[str, str]] = {
    "offensive": (BATTLES, "Armed clash"),
    "armed_clash": (BATTLES, "Armed clash"),
    "advance": (BATTLES, "Armed clash"),
    "withdrawal": (STRATEGIC, "Non-violent transfer of territory"),
    "attack_on_civilians": (VAC, "Attack"),
    "protest": (PROTESTS, "Peaceful protest"),
    "evacuation": (STRATEGIC, "Other"),
    "transport_status": (STRATEGIC, "Other"),
    "military_exercise": (STRATEGIC, "Other"),
}

_REMOTE_SUBTYPES = (
    (("drone", "air", "jet", "warplane", "bomb", "strike", "raid", "helicopter"), "Air/drone strike"),
    (("shell", "artillery", "missile", "rocket", "mortar"), "Shelling/artillery/missile attack"),
)


def acled_types(event_type: str, actor: ActorRef | None = None, cues: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """ACLED's (event_type, sub_event_type) for a sitroom event type, or None where ACLED has none."""
    if event_type in _FIXED:
        return _FIXED[event_type]
    if event_type == "territory_captured":
        if actor is not None and actor.id.startswith(GOVERNMENT_ACTOR_PREFIXES):
            return (BATTLES, "Government regains territory")
        return (BATTLES, "Non-state actor overtakes territory")
    if event_type == "remote_violence":
        words = " ".join(cues).lower()
        # Air strikes are checked first: "missile strike from a jet" is still an air strike in ACLED's terms.
        for stems, sub in _REMOTE_SUBTYPES:
            if any(stem in words for stem in stems):
                return (REMOTE, sub)
        return (REMOTE, "Shelling/artillery/missile attack")
    return None
