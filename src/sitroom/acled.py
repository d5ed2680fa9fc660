"""ACLED event and sub-event types for sitroom's event types (DESIGN.md, "Event types").

Conflict types map one-to-one onto ACLED's coding, so an export lines up with the dataset analysts
already use. Crisis types ACLED does not code (advisories, displacement figures, statements) map to None.
The fixed codings are the ontology's (data/ontology.toml); this module decides the two that depend on the
claim: who captured a place, and what weapon a remote attack used.
"""

from __future__ import annotations

from sitroom import ontology
from sitroom.model import ActorRef

# Actor ids whose captures are coded as "Government regains territory". Anything else taking a place is
# a non-state actor overtaking territory, which is what ACLED codes for rebel and militia advances.
GOVERNMENT_ACTOR_PREFIXES = ("syrian_government", "saa", "syrian_army", "government")

_REMOTE_SUBTYPES = (
    (("drone", "air", "jet", "warplane", "bomb", "strike", "raid", "helicopter"), "Air/drone strike"),
    (("shell", "artillery", "missile", "rocket", "mortar"), "Shelling/artillery/missile attack"),
)


def acled_types(event_type: str, actor: ActorRef | None = None, cues: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """ACLED's (event_type, sub_event_type) for a sitroom event type, or None where ACLED has none."""
    kind = ontology.kinds().get(event_type)
    if kind is None or kind.acled is None:
        return None
    if kind.acled_government and actor is not None and actor.id.startswith(GOVERNMENT_ACTOR_PREFIXES):
        return kind.acled_government
    if event_type == "remote_violence":
        words = " ".join(cues).lower()
        # Air strikes are checked first: "missile strike from a jet" is still an air strike in ACLED's terms.
        for stems, sub in _REMOTE_SUBTYPES:
            if any(stem in words for stem in stems):
                return (kind.acled[0], sub)
    return kind.acled
