"""Lexicons are data files: users extend them without code, and a bad file says where it is wrong."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sitroom.errors import DataFileError
from sitroom.extract import actors, available_extractors, get_extractor, load_lexicons
from sitroom.extract.rules import RulesExtractor
from sitroom.model import Document


def test_shipped_actors_carry_parents_for_fusion():
    reg = actors()
    assert reg["hts"].parent == "syrian_opposition"
    assert reg["syrian_government_forces"].parent == "syrian_government"
    assert reg["ocha"].parent == "un"
    assert reg["russia"].kind == "state"


def test_registry_lists_the_default_extractor_and_refuses_unknown_names():
    assert "rules.v1" in available_extractors()
    assert get_extractor() is get_extractor("rules.v1")
    from sitroom.errors import ConfigError

    with pytest.raises(ConfigError):
        get_extractor("nonexistent.v9")


def test_extra_directory_adds_an_actor_and_a_trigger(tmp_path: Path):
    (tmp_path / "mine.toml").write_text(
        """
[[actor]]
id = "lions_brigade"
name = "Lions of the Valley Brigade"
kind = "armed_group"
parent = "syrian_opposition"
aliases = ["Valley Lions"]

[[trigger]]
type = "territory_captured"
place = "after"
change = true
patterns = ["hoisted (?:its|their) flag over"]
""",
        encoding="utf-8",
    )
    lex = load_lexicons([tmp_path])
    assert lex.actors["lions_brigade"].actor.parent == "syrian_opposition"
    ex = RulesExtractor(lex)
    doc = Document(
        id="x",
        text="In northern Syria, the Valley Lions hoisted their flag over Saraqib on Friday.",
        published_at=datetime(2024, 11, 29, tzinfo=UTC),
    )
    claims = [c for c in ex.extract(doc) if c.type == "territory_captured"]
    assert len(claims) == 1
    assert claims[0].actor is not None and claims[0].actor.id == "lions_brigade"
    assert claims[0].rule.startswith("territory_captured")


def test_environment_variable_names_an_extra_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "more.toml").write_text('[advisory]\nleave = ["pack your bags"]\n', encoding="utf-8")
    monkeypatch.setenv("SITROOM_LEXICONS", str(tmp_path))
    lex = load_lexicons()
    assert "pack your bags" in lex.cue("advisory", "leave")
    assert "should (?:\\w+ )?(?:leave|flee|depart|get out|quit|exit)" in lex.cue("advisory", "leave")


def test_malformed_toml_names_file_and_line(tmp_path: Path):
    bad = tmp_path / "broken.toml"
    bad.write_text('[[actor]]\nid = "x"\nname = "X"\naliases = ["a", \n\n= oops\n', encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_lexicons([tmp_path])
    assert err.value.path == str(bad)
    assert err.value.line is not None and err.value.line >= 4


def test_entry_without_name_or_with_a_broken_pattern_is_refused(tmp_path: Path):
    (tmp_path / "a.toml").write_text('[[actor]]\nid = "nameless"\n', encoding="utf-8")
    with pytest.raises(DataFileError, match="needs a string id and name"):
        load_lexicons([tmp_path])
    (tmp_path / "a.toml").write_text('[[trigger]]\ntype = "advance"\npatterns = ["(unclosed"]\n', encoding="utf-8")
    with pytest.raises(DataFileError, match="does not compile"):
        load_lexicons([tmp_path])
    (tmp_path / "a.toml").write_text('[[trigger]]\ntype = "picnic"\npatterns = ["ate"]\n', encoding="utf-8")
    with pytest.raises(DataFileError, match="not an event type"):
        load_lexicons([tmp_path])


def test_missing_extra_directory_is_an_error_not_silence(tmp_path: Path):
    with pytest.raises(DataFileError, match="not found"):
        load_lexicons([tmp_path / "nope"])


def test_every_shipped_cue_list_is_read_by_the_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cue list nobody reads misleads whoever extends it: each one must be asked for when the extractor is built."""
    from sitroom.extract.lexicon import Lexicons

    asked: set[tuple[str, str]] = set()
    real = Lexicons.cue

    def recording(self: Lexicons, section: str, key: str) -> tuple[str, ...]:
        asked.add((section, key))
        return real(self, section, key)

    def whole(self: Lexicons, section: str) -> Mapping[str, tuple[str, ...]]:
        asked.update((section, key) for key in self.cues.get(section, {}))
        return real_section(self, section)

    real_section = Lexicons.section
    monkeypatch.setattr(Lexicons, "cue", recording)
    monkeypatch.setattr(Lexicons, "section", whole)
    lex = load_lexicons()
    doc = Document(
        id="d", text="Rebels took Hama on Monday, the monitor said.", published_at=datetime(2024, 12, 6, tzinfo=UTC)
    )
    assert RulesExtractor(lex).extract(doc)
    shipped = {(section, key) for section, keys in lex.cues.items() for key in keys}
    assert shipped - asked == set(), "cue lists in lang/en/cues.toml that no code reads"
