"""Sentence splitting and counts, on hand-made lines."""

from __future__ import annotations

from sitroom.extract.numbers import find_numbers
from sitroom.extract.text import mask_markup, split_sentences


def _sents(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_abbreviations_do_not_end_sentences():
    out = _sents("The offensive began on Nov. 27 near Aleppo. The U.S. embassy said so.")
    assert out == ["The offensive began on Nov. 27 near Aleppo.", "The U.S. embassy said so."]


def test_datelines_live_stamps_and_boilerplate_lines_are_cut():
    text = "DAMASCUS, Dec 8 (Wire) – Crowds gathered.\n09:15 — Shops reopened.\nRead more: Old story\nBy Jane Roe"
    assert _sents(text) == ["Crowds gathered.", "Shops reopened."]


def test_markup_is_blanked_without_moving_offsets():
    text = "the embassy [said](#) Friday. **Related article:** x"
    masked = mask_markup(text)
    assert len(masked) == len(text)
    assert "said" in masked and "](#)" not in masked and "**" not in masked


def test_numbers_in_digits_and_words():
    vals = [n.value for n in find_numbers("280,000 then 1.5 million, six, a dozen, nearly three hundred thousand")]
    assert vals == [280_000, 1_500_000, 6, 12, 300_000]


def test_fractions_of_a_scale_are_whole_counts():
    text = "half a million fled; one and a half million could; a quarter of a million; a million; 2.5 million"
    assert [n.value for n in find_numbers(text)] == [500_000, 1_500_000, 250_000, 1_000_000, 2_500_000]


def test_a_hundred_and_fifty_is_one_count():
    assert [n.value for n in find_numbers("A hundred and fifty were killed; twenty one and a half million fled")] == [
        150, 21_500_000]  # fmt: skip


def test_lakh_grouping_is_one_number():
    # South Asian outlets group digits in twos above the thousands: 3,70,000 is 370,000; 1,25,00,000 is 12.5 million
    text = "some 3,70,000 people, then 1,25,00,000 in all, and 48,500 more"
    assert [n.value for n in find_numbers(text)] == [370_000, 12_500_000, 48_500]


def test_a_speaker_s_self_correction_keeps_only_the_corrected_words() -> None:
    from sitroom.extract.text import mask_repairs

    cases = {
        "strikes in and around Homs — sorry, Hama, not Homs — overnight": "Hama",
        "on Thursday. No, sorry, Friday morning": "Friday",
        "the capital of South Kivu — I beg your pardon, of North Kivu — a city": "of North Kivu",
    }
    for said, kept in cases.items():
        out = mask_repairs(said)
        assert len(out) == len(said)  # offsets into the text stay valid
        assert kept in out
    assert "Homs" not in mask_repairs("strikes in and around Homs — sorry, Hama, not Homs — overnight")
    assert "South Kivu" not in mask_repairs("the capital of South Kivu — I beg your pardon, of North Kivu")
    assert mask_repairs("He was sorry to leave Homs.") == "He was sorry to leave Homs."
