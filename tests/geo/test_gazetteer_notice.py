"""The one slow first step, building the place index, is announced; loading a cached index is silent."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitroom.errors import GazetteerError
from sitroom.geo import gazetteer


def test_building_the_index_is_announced_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    heard: list[str] = []
    monkeypatch.setattr(gazetteer, "_NOTICES", [heard.append])

    def no_build(imported: object = None) -> dict:
        raise OSError("stopped by the test once the notice is given")

    monkeypatch.setattr(gazetteer, "_build", no_build)
    with pytest.raises(GazetteerError):
        gazetteer.Gazetteer.load(cache=tmp_path)
    assert heard and "building the place index" in heard[0] and str(tmp_path) in heard[0]


def test_a_cached_index_loads_without_a_word(monkeypatch: pytest.MonkeyPatch) -> None:
    gazetteer.Gazetteer.load()  # builds into the shared cache if this machine has none yet
    heard: list[str] = []
    monkeypatch.setattr(gazetteer, "_NOTICES", [heard.append])
    gazetteer.Gazetteer.load()
    assert heard == []
