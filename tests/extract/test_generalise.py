"""Behaviour of the round-2 mechanisms on hand-written sentences: passives in every tense, status boards,
denials whose falsity comes after the claim, issuers named by description, first-person denials."""

from __future__ import annotations

from tests.extract.conftest import only


def _names(claims):
    return sorted(c.place.name for c in claims if c.place is not None)


def test_pluperfect_passive_without_agent_is_a_capture_of_every_listed_town(read):
    text = "Kafr Nabl and Maarat al-Numan had been seized by Tuesday evening, residents said."
    caps = only(read(text), "territory_captured")
    assert len(caps) == 2
    assert all(c.stance == "asserted" for c in caps)


def test_handed_over_to_takes_the_receiver_as_actor(read):
    caps = only(read("Manbij was handed over to the Syrian Democratic Forces on Monday, local officials said."),
                "territory_captured")  # fmt: skip
    assert len(caps) == 1
    assert caps[0].actor is not None and caps[0].actor.id == "sdf"


def test_brought_under_control_of_is_a_capture_by_that_force(read):
    caps = only(read("The town of Saraqib has been brought under the full control of Hayat Tahrir al-Sham."),
                "territory_captured")  # fmt: skip
    assert len(caps) == 1
    assert caps[0].actor is not None and caps[0].actor.id == "hts"


def test_board_lines_label_a_place_with_its_status(read):
    text = "CONTROL\n• Idlib city: under opposition control since 2 Dec\n• Raqqa city: taken by the SDF, 4 Dec\n• Latakia: quiet\n"
    caps = only(read(text), "territory_captured")
    assert _names(caps) == ["Ar Raqqah", "Idlib"]
    raqqa = next(c for c in caps if c.place is not None and c.place.name == "Ar Raqqah")
    assert raqqa.actor is not None and raqqa.actor.id == "sdf"


def test_a_colon_inside_a_sentence_does_not_make_a_label(read):
    # the place is not at the start of its line: no board label, so no capture of Homs
    caps = only(read("Residents of Homs told us one thing: taken by surprise, they fled south."), "territory_captured")
    assert caps == []
