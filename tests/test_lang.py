"""A language is one folder of data files: lang/<code>/ with its grammar words and lexicons."""

from __future__ import annotations

import re
from datetime import date

import pytest

from sitroom import lang
from sitroom.errors import DataFileError
from sitroom.extract.numbers import find_numbers
from sitroom.time import parse_published


def test_english_is_shipped_with_every_file_a_language_needs() -> None:
    assert "en" in lang.languages()
    names = {p.name for p in lang.folder("en").iterdir()}
    assert {"grammar.toml", "syntax.toml", "events.toml", "cues.toml", "actors.toml", "states.toml"} <= names


def test_an_unknown_language_is_named_with_the_known_ones() -> None:
    with pytest.raises(DataFileError, match=r"no language folder for 'xx' \(known: .*en"):
        lang.folder("xx")


def test_grammar_sections_are_word_lists_and_number_tables() -> None:
    assert "never" in lang.words("negation", "negators")
    assert lang.numbers("dates", "months")["december"] == 12
    assert lang.numbers("numbers", "scales")["million"] == 1_000_000
    with pytest.raises(DataFileError, match=r"\[negation\] missing_key is missing"):
        lang.words("negation", "missing_key")
    with pytest.raises(DataFileError, match="must be a list of words"):
        lang.words("dates", "months")


def test_alternation_prefers_the_longest_phrase_and_escapes_words() -> None:
    rx = re.compile(lang.alternation(["set", "set to", "n't"]) + r"\b")
    assert rx.match("set  to").group(0) == "set  to"
    assert re.fullmatch(lang.alternation(["a.b"]), "axb") is None
    assert re.fullmatch(lang.alternation([r"fabricat\w+"], literal=False), "fabricated")


def test_readers_use_the_grammar_words() -> None:
    # number words and month names come from lang/en/grammar.toml
    assert [n.value for n in find_numbers("some forty-two thousand people")] == [42_000]
    assert parse_published("7 Sept. 2024")[0].date() == date(2024, 9, 7)
