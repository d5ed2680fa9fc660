"""The ontology: one entry per event type, the same list DESIGN.md and the data model name, read by every stage."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitroom import ontology
from sitroom.acled import acled_types
from sitroom.errors import DataFileError
from sitroom.fuse.control import CONTROL_TYPES
from sitroom.model import EVENT_TYPES, METRICS, ActorRef

DESIGN = Path(__file__).resolve().parents[2] / "shared" / "DESIGN.md"


def test_the_ontology_holds_exactly_the_model_event_types_in_order() -> None:
    assert tuple(ontology.kinds()) == EVENT_TYPES


def test_every_entry_is_complete() -> None:
    for k in ontology.kinds().values():
        assert k.name and k.meaning and k.label, k.id
        assert re.fullmatch(r"#[0-9a-f]{6}", k.colour), k.id
        assert k.roles, k.id
    colours = [k.colour for k in ontology.kinds().values()]
    assert len(set(colours)) == len(colours), "two types share a colour on the map"


def test_the_ontology_agrees_with_design_md() -> None:
    if not DESIGN.exists():
        pytest.skip(f"{DESIGN} is absent (the shared folder is not beside this checkout)")
    text = DESIGN.read_text(encoding="utf-8")
    section = text[text.index("## Event types") :]
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \| ([^|]+) \|$", section, re.MULTILINE)
    assert [r[0] for r in rows] == list(ontology.kinds())
    for tid, _meaning, acled in rows:
        kind = ontology.kind(tid)
        acled = acled.strip()
        if acled in ("—", "fatalities column"):
            assert kind.acled is None, tid
        else:
            assert kind.acled is not None and acled.startswith(kind.acled[0] + " /"), tid


def test_stages_read_their_lists_from_the_ontology() -> None:
    assert {"territory_captured", "withdrawal"} == CONTROL_TYPES
    assert ontology.metric_types().keys() == set(METRICS)
    assert ontology.metric_types()["killed"] == "casualties"
    assert "protest" not in ontology.types_where("fighting")
    assert {"territory_captured", "advance", "withdrawal", "transport_status"} == ontology.types_where("needs_place")


def test_acled_codes_follow_the_ontology_and_the_claim() -> None:
    assert acled_types("withdrawal") == ("Strategic developments", "Non-violent transfer of territory")
    assert acled_types("territory_captured", ActorRef(id="hts", name="HTS")) == (
        "Battles",
        "Non-state actor overtakes territory",
    )
    assert acled_types("territory_captured", ActorRef(id="syrian_government", name="Syrian government"))[1] == (
        "Government regains territory"
    )
    # any state's forces regain territory, not only the Syrian army's
    assert acled_types("territory_captured", ActorRef(id="russia", name="Russian armed forces"))[1] == (
        "Government regains territory"
    )
    assert acled_types("remote_violence", cues=("drone strike",)) == ("Explosions/Remote violence", "Air/drone strike")
    assert acled_types("remote_violence", cues=("mortar fire",))[1] == "Shelling/artillery/missile attack"
    assert acled_types("travel_advisory") is None and acled_types("casualties") is None


def test_acled_actor_types_and_interaction() -> None:
    from sitroom.acled import inter_code, interaction

    russia, hts = ActorRef("russia", "Russian armed forces"), ActorRef("hts", "HTS")
    assert inter_code(russia, "RU") == 1 and inter_code(russia, "SY") == 8  # at home / abroad
    assert inter_code(hts, "SY") == 2 and inter_code(None, "SY") is None
    assert inter_code(hts, "SY", event_type="protest") == 6
    assert interaction(2, 1) == 12 and interaction(2, None) == 20 and interaction(None, None) is None


def test_unknown_flags_and_types_are_named() -> None:
    with pytest.raises(ValueError, match="unknown ontology flag 'loud'"):
        ontology.types_where("loud")
    with pytest.raises(KeyError):
        ontology.kind("earthquake")
    assert ontology.name("earthquake_swarm") == "earthquake swarm"


def test_a_bad_entry_names_the_file_and_the_type() -> None:
    with pytest.raises(DataFileError, match=r"ontology\.toml: type 'riot'.*unknown roles \['crowd'\]"):
        ontology._entry({"id": "riot", "name": "riot", "meaning": "m", "label": "l", "colour": "#000000",
                         "roles": ["crowd"]})  # fmt: skip
    with pytest.raises(DataFileError, match="control must be one of"):
        ontology._entry({"id": "x", "name": "x", "meaning": "m", "label": "l", "colour": "#000000",
                         "control": "annex"})  # fmt: skip
