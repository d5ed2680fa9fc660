"""Reading subscriptions: every error names the file and the line of the value at fault."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from sitroom.alerts import load_subscriptions, parse_subscription_spec, parse_subscriptions
from sitroom.errors import DataFileError

REPO = Path(__file__).resolve().parents[2]

HEAD = "sinks:\n  out: {type: stdout}\nsubscriptions:\n"


def _error(kit: ModuleType, body: str) -> DataFileError:
    with pytest.raises(DataFileError) as info:
        parse_subscriptions(HEAD + body, "subs.yaml", kit.resolve, kit.ACTORS)
    return info.value


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("  - id: a\n    sinks: [out]\n    when:\n      event: {types: [capture]}\n", 7, "not a event type"),
        ("  - id: a\n    sinks: [out]\n    when:\n      event:\n        place: Atlantis\n", 8, "unknown place 'Atlantis'"),
        ("  - id: a\n    sinks: [out]\n    when:\n      event:\n        actor: Martians\n", 8, "unknown actor"),
        ("  - id: a\n    sinks: [nowhere]\n    when: {contradiction: {}}\n", 5, "no sink named 'nowhere'"),
        ("  - id: a\n    sinks: [out]\n    when:\n      event:\n        colour: red\n", 8, "unknown key 'colour'"),
        ("  - id: a\n    sinks: [out]\n    when:\n      weather: {}\n", 7, "a condition is one of"),
        ("  - id: a\n    sinks: [out]\n    when:\n      event:\n        within: {km: 30}\n", 8, "within needs km and of"),
        ("  - id: a\n    sinks: [out]\n    when:\n      event: {min_confidence: 3}\n", 7, "out of range"),
        ("  - sinks: [out]\n    when: {contradiction: {}}\n", 4, "needs an id"),
        ("  - id: a\n    sinks: [out]\n    tripwire: {plan: x}\n", 6, "needs people"),
        ("  - id: a\n    sinks: [out]\n", 4, "either when (conditions) or tripwire"),
        ("  - id: a\n    sinks: [out]\n    when:\n      silence: {place: Homs}\n", 7, "needs for"),
        ("  - id: a\n    sinks: [out]\n    when:\n      silence: {for: 24h}\n", 7, "needs a place or within"),
        ("  - id: a\n    sinks: [out]\n    when:\n      silence:\n        place: Homs\n        for: soon\n", 9,
         "not a duration"),
        ("  - {id: a, sinks: [out], when: {contradiction: {}}}\n  - {id: a, sinks: [out], when: {contradiction: {}}}\n",
         5, "duplicate subscription id"),
    ],
)  # fmt: skip
def test_bad_subscriptions_are_refused_with_file_and_line(kit: ModuleType, body: str, line: int, words: str) -> None:
    err = _error(kit, body)
    assert err.path == "subs.yaml"
    assert err.line == line, str(err)
    assert words in str(err)


def test_broken_yaml_names_its_line(kit: ModuleType) -> None:
    err = _error(kit, "  - id: a\n    sinks: [out\n")
    assert err.line is not None and "not valid YAML" in str(err)


def test_a_sink_without_its_settings_is_refused(kit: ModuleType) -> None:
    with pytest.raises(DataFileError, match="a webhook sink needs url") as info:
        parse_subscriptions("sinks:\n  hook:\n    type: webhook\n", "s.yaml", kit.resolve, kit.ACTORS)
    assert info.value.line == 2


def test_places_radii_and_actor_names_are_understood(kit: ModuleType) -> None:
    loaded = parse_subscriptions(
        HEAD
        + "  - id: near\n    sinks: [out]\n    when:\n"
        + "      - event: {within: {km: 30, of: Homs}, actor: HTS}\n"
        + "      - event: {within: [{km: 5, of: [36.2, 37.1]}, {km: 5, of: {lat: 35.1, lon: 36.7, name: Hama}}]}\n",
        "s.yaml",
        kit.resolve,
        kit.ACTORS,
    )
    (sub,) = loaded.subscriptions
    first, second = sub.conditions
    assert first.actors == ("hts",)
    assert first.areas[0].km == 30 and first.areas[0].place.name == "Homs"
    assert [a.label for a in second.areas] == ["36.2,37.1", "Hama"]
    rastan = kit.PLACES["rastan"]
    assert "from Homs" in (first.areas[0].match(rastan) or "")
    assert first.areas[0].match(kit.PLACES["aleppo"]) is None


def test_a_country_holds_its_towns_and_a_city_its_suburbs_but_not_its_airport(kit: ModuleType) -> None:
    from sitroom.alerts.subscriptions import Area
    from sitroom.model import Place

    syria = Area("Syria", kit.PLACES["syria"])
    assert syria.match(kit.PLACES["rastan"]) == "in Syria"
    aleppo = Area("Aleppo", kit.PLACES["aleppo"])
    suburb = Place("Sheikh Maqsoud", 36.23, 37.15, "SY", "town", geonameid=1)
    assert aleppo.match(suburb) is not None
    assert aleppo.match(kit.PLACES["aleppo airport"]) is None


def test_an_api_spec_is_checked_like_a_file_item(kit: ModuleType) -> None:
    sub = parse_subscription_spec(
        {"id": "x", "sinks": ["out"], "when": {"advisory": {"area": "Syria", "levels": ["leave"]}}},
        kit.resolve,
        kit.ACTORS,
    )
    assert sub.conditions[0].levels == frozenset({"leave"})
    with pytest.raises(DataFileError, match="advice level"):
        parse_subscription_spec(
            {"id": "x", "sinks": ["o"], "when": {"advisory": {"levels": ["run"]}}}, kit.resolve, kit.ACTORS
        )


def test_the_example_file_is_valid_with_the_shipped_gazetteer_and_lexicon() -> None:
    example = REPO / "examples" / "subscriptions.yaml"
    loaded = load_subscriptions(example)
    assert {s.id for s in loaded.subscriptions} >= {"leave-advisories-syria", "fighting-near-homs", "staff-evacuation"}
