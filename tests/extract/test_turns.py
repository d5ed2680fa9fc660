"""Transcripts: each labelled turn is its speaker's, hosts and questioners speak for the outlet."""

from __future__ import annotations

from datetime import UTC, datetime

from sitroom.extract.rules import RulesExtractor
from sitroom.extract.turns import speaker_turns
from sitroom.model import Document

BRIEFING = """KYIV, 20 August 2024 - Transcript of the defence ministry's evening briefing.

Ministry Spokesman (Col. Petro Hnatyuk): Good evening. Our units have taken full control of the town of Sudzha.

Another paragraph of the same answer: the fighting goes on east of the town.

QUESTION (Iryna Lys, Radio Dnipro): Can you confirm that Russian troops have recaptured Korenevo?

Ministry Spokesman: I will not comment on that. Flights from Kharkiv airport remain suspended.

Q: And the evacuation?

HNATYUK: Civilians were evacuated from Sudzha overnight.
"""


def test_turns_name_their_speaker_and_run_on_until_the_next_label() -> None:
    turns = speaker_turns(BRIEFING, "Radio Dnipro")
    by_voice = [(t.voice, t.name) for t in sorted(turns.values(), key=lambda t: t.line_start)]
    assert by_voice == [
        ("speaker", "Col. Petro Hnatyuk"),
        ("speaker", "Col. Petro Hnatyuk"),  # the paragraph after the labelled one
        ("question", ""),
        ("speaker", "Col. Petro Hnatyuk"),  # "Ministry Spokesman:" again
        ("question", ""),
        ("speaker", "Col. Petro Hnatyuk"),  # "HNATYUK:" is the surname of the aside's name
    ]


def test_a_board_with_a_few_labels_is_not_a_transcript() -> None:
    board = "Aleppo: airport closed.\nHama: fighting in the north.\nHoms: calm.\n"
    assert speaker_turns(board) == {}


def test_hosts_and_the_outlet_by_its_initials_are_the_outlet_voice() -> None:
    text = "THE FRONT REVIEW: Welcome back.\nABU OMAR: We entered Hama.\nTFR: When?\nABU OMAR: On Thursday.\n"
    turns = speaker_turns(text, "The Front Review")
    assert [t.voice for t in turns.values()] == ["host", "speaker", "host", "speaker"]
    assert {t.name for t in turns.values() if t.voice == "speaker"} == {"Abu Omar"}


def test_a_turn_s_claims_carry_its_speaker_and_a_question_asserts_nothing() -> None:
    doc = Document(id="t", text=BRIEFING, outlet="Radio Dnipro", published_at=datetime(2024, 8, 20, 18, tzinfo=UTC))
    claims = RulesExtractor().extract(doc)
    captured = [c for c in claims if c.type == "territory_captured" and c.place and c.place.name == "Sudzha"]
    assert captured and all(c.attributed_to and c.attributed_to.name == "Col. Petro Hnatyuk" for c in captured)
    korenevo = [c for c in claims if c.place and c.place.name == "Korenevo" and c.stance in ("asserted", "announced")]
    assert korenevo == []
    suspended = [c for c in claims if c.type == "transport_status"]
    assert suspended and suspended[0].attributed_to and suspended[0].attributed_to.name == "Col. Petro Hnatyuk"
