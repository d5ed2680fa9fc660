"""The control timeline: captures, withdrawals, airports apart from cities, and what never changes control."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from sitroom.errors import DataFileError
from sitroom.fuse import changes_in, control_at, control_timeline, load_baseline, parse_baseline
from sitroom.model import Actor, ActorRef, Claim, ControlSpan, Place

BASELINE = load_baseline()


def _holder(spans: list[ControlSpan], name: str, day: str) -> str | None:
    for s in control_at(spans, date.fromisoformat(day)):
        if s.place.name == name:
            return s.controller.id
    return None


def test_aleppo_taken_on_30_november(mk: Callable[..., Claim], actors: dict[str, Actor]):
    spans = control_timeline([mk("a", day="2024-11-30")], BASELINE, actors)
    assert _holder(spans, "Aleppo", "2024-11-29") == "syrian_government"
    assert _holder(spans, "Aleppo", "2024-11-30") == "hts"
    assert _holder(spans, "Aleppo", "2024-12-01") == "hts"
    [change] = changes_in(spans)
    assert change.since == date(2024, 11, 30)
    assert change.evidence == ("a",)


def test_withdrawal_then_entry_is_one_transfer(mk: Callable[..., Claim], actors: dict[str, Actor]):
    pub = "2024-12-06T20:00:00"
    claims = [
        mk("out", type="withdrawal", actor="syrian_army", place="deir_ez_zor", day="2024-12-05", published=pub),
        mk("in", stance="announced", actor="sdf", said_by="sdf", place="deir_ez_zor", day="2024-12-06", published=pub),
    ]
    spans = control_timeline(claims, BASELINE, actors)
    assert _holder(spans, "Deir ez-Zor", "2024-12-04") == "syrian_government"
    assert _holder(spans, "Deir ez-Zor", "2024-12-05") == "syrian_government"  # until the entry: no gap
    assert _holder(spans, "Deir ez-Zor", "2024-12-06") == "sdf"
    [change] = changes_in(spans)
    assert set(change.evidence) == {"out", "in"}


def test_withdrawal_alone_ends_the_span_without_naming_a_successor(mk: Callable[..., Claim], actors: dict[str, Actor]):
    spans = control_timeline(
        [mk("out", type="withdrawal", actor="syrian_army", place="deir_ez_zor", day="2024-11-30")], BASELINE, actors
    )
    assert _holder(spans, "Deir ez-Zor", "2024-11-29") == "syrian_government"
    assert _holder(spans, "Deir ez-Zor", "2024-12-01") is None


def test_a_city_capture_does_not_settle_its_airport(mk: Callable[..., Claim], actors: dict[str, Actor]):
    spans = control_timeline([mk("city", day="2024-11-30")], BASELINE, actors)
    assert _holder(spans, "Aleppo International Airport", "2024-12-01") == "syrian_government"
    spans = control_timeline(
        [mk("city", day="2024-11-30"), mk("airport", place="aleppo_airport", day="2024-11-30", outlet="BBC")],
        BASELINE,
        actors,
    )
    assert _holder(spans, "Aleppo International Airport", "2024-12-01") == "hts"
    assert len(changes_in(spans)) == 2


@pytest.mark.parametrize("stance", ["hypothetical", "projected", "denied"])
def test_no_control_change_without_an_asserted_capture(mk: Callable[..., Claim], actors: dict[str, Actor], stance: str):
    claim = mk("x", stance=stance, place="homs", day="2024-12-06", published="2024-12-06T10:00:00")
    spans = control_timeline([claim], BASELINE, actors)
    assert changes_in(spans) == []
    assert _holder(spans, "Homs", "2024-12-07") == "syrian_government"


def test_a_plan_changes_nothing(mk: Callable[..., Claim], actors: dict[str, Actor]):
    plan = mk("plan", place="homs", day="2024-12-10", published="2024-12-06T10:00:00")
    assert changes_in(control_timeline([plan], BASELINE, actors)) == []


def test_a_denied_withdrawal_changes_nothing(mk: Callable[..., Claim], actors: dict[str, Actor]):
    claim = mk(
        "d",
        type="withdrawal",
        stance="denied",
        actor="syrian_army",
        said_by="syrian_army",
        place="homs",
        day="2024-12-06",
        published="2024-12-06T10:00:00",
    )
    spans = control_timeline([claim], BASELINE, actors)
    assert _holder(spans, "Homs", "2024-12-07") == "syrian_government"


def test_a_contested_capture_is_kept_with_less_confidence(mk: Callable[..., Claim], actors: dict[str, Actor]):
    pub = "2024-12-05T20:00:00"
    asserted = [mk("a", place="hama", day="2024-12-05", published=pub)]
    denial = mk(
        "d", stance="denied", said_by="syrian_army", outlet="SANA", place="hama", day="2024-12-05", published=pub
    )
    [plain] = changes_in(control_timeline(asserted, BASELINE, actors))
    [contested] = changes_in(control_timeline([*asserted, denial], BASELINE, actors))
    assert contested.controller.id == "hts"
    assert contested.confidence < plain.confidence
    assert "d" in contested.evidence


def test_a_range_takes_effect_on_its_last_day_and_an_exact_day_wins(mk: Callable[..., Claim], actors: dict[str, Actor]):
    pub = "2024-12-06T12:00:00"
    loose = mk("loose", place="rastan", span=("2024-12-05", "2024-12-06"), published=pub)
    [change] = changes_in(control_timeline([loose], BASELINE, actors))
    assert change.since == date(2024, 12, 6)
    exact = mk("exact", place="rastan", day="2024-12-05", outlet="BBC", published=pub)
    [change] = changes_in(control_timeline([loose, exact], BASELINE, actors))
    assert change.since == date(2024, 12, 5)


def test_reports_of_old_captures_do_not_rewrite_the_baseline(mk: Callable[..., Claim], actors: dict[str, Actor]):
    old = mk("2016", actor="syrian_opposition", span=("2012-07-01", "2012-12-31"))
    spans = control_timeline([old], BASELINE, actors)
    assert changes_in(spans) == []
    assert _holder(spans, "Aleppo", "2024-11-29") == "syrian_government"


def test_a_capture_by_the_holders_family_only_confirms(mk: Callable[..., Claim], actors: dict[str, Actor]):
    spans = control_timeline(
        [mk("idlib", actor="syrian_opposition", place="idlib", day="2024-11-30")], BASELINE, actors
    )
    assert changes_in(spans) == []
    assert _holder(spans, "Idlib", "2024-12-01") == "hts"


def test_successive_captures_make_successive_spans(mk: Callable[..., Claim], actors: dict[str, Actor]):
    claims = [
        mk("take", place="saraqib", day="2024-11-29"),
        mk("retake", actor="syrian_army", place="saraqib", day="2024-12-02", published="2024-12-02T10:00:00"),
    ]
    spans = [s for s in control_timeline(claims, BASELINE, actors) if s.place.name == "Saraqib"]
    assert [(s.controller.id, s.since, s.until) for s in spans] == [
        ("syrian_government", None, date(2024, 11, 29)),
        ("hts", date(2024, 11, 29), date(2024, 12, 2)),
        ("syrian_army", date(2024, 12, 2), None),
    ]


def test_places_nobody_reported_on_keep_their_baseline_controller(actors: dict[str, Actor]):
    spans = control_timeline([], BASELINE, actors)
    assert _holder(spans, "Damascus", "2024-12-01") == "syrian_government"
    assert _holder(spans, "Idlib", "2024-12-01") == "hts"
    assert changes_in(spans) == []


# --- the baseline file ------------------------------------------------------------------------------


def test_shipped_baseline_knows_regions_and_keeps_airports_apart():
    town_near_sarmada = Place("Sarmada", 36.18, 36.72, "SY", "town")
    assert BASELINE.controller_of(town_near_sarmada).id == "hts"  # type: ignore[union-attr]
    raqqa_village = Place("somewhere east of Raqqa", 35.95, 39.2, "SY", "village")
    assert BASELINE.controller_of(raqqa_village).id == "sdf"  # type: ignore[union-attr]
    airport = Place("Aleppo airport", 36.1807, 37.2244, "SY", "airport")
    entry = BASELINE.entry_for(airport)
    assert entry is not None and entry.place.kind == "airport"


def test_a_malformed_baseline_entry_names_its_line(tmp_path: Path):
    path = tmp_path / "mine.toml"
    path.write_text(
        '[actors]\ngov = "Government"\n\n[[place]]\nname = "A"\nlat = 1.0\nlon = 2.0\ncontroller = "gov"\n\n'
        '[[place]]\nname = "B"\nlat = 1.0\ncontroller = "gov"\n',
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as err:
        load_baseline(path)
    assert err.value.line == 10
    assert "lat" in err.value.reason and "lon" in err.value.reason


def test_a_baseline_that_is_not_toml_names_its_line():
    with pytest.raises(DataFileError) as err:
        parse_baseline('[baseline]\nname = "x"\nas_of = = 3\n', "bad.toml")
    assert err.value.line == 3


def test_a_controller_without_a_name_is_refused():
    with pytest.raises(DataFileError, match="no name"):
        parse_baseline('[[country]]\ncountry = "SY"\ncontroller = "someone"\n', "x.toml")


def test_the_best_supported_capture_dates_the_change_not_a_stray_early_report(
    mk: Callable[..., Claim], actors: dict[str, Actor]
):
    pub = "2024-12-03T10:00:00"
    claims = [
        mk("stray", day="2024-11-27", outlet="Daily Star", published=pub),
        mk("afp", day="2024-11-30", outlet="AFP", published=pub),
        mk("bbc", day="2024-11-30", outlet="BBC", published=pub),
        mk("sohr", day="2024-11-30", outlet="Reuters", said_by="sohr", published=pub),
    ]
    spans = control_timeline(claims, BASELINE, actors)
    [change] = changes_in(spans)
    assert change.since == date(2024, 11, 30)
    assert "stray" in change.evidence  # kept as evidence, just not trusted for the date
    assert _holder(spans, "Aleppo", "2024-11-28") == "syrian_government"


def test_a_weaker_rival_account_a_day_later_does_not_flip_control(mk: Callable[..., Claim], actors: dict[str, Actor]):
    pub = "2024-12-02T10:00:00"
    claims = [
        mk("afp", day="2024-11-30", outlet="AFP", published=pub),
        mk("bbc", day="2024-11-30", outlet="BBC", published=pub),
        mk("wrong-side", actor="sdf", day="2024-12-01", outlet="Daily Star", published=pub),
    ]
    spans = control_timeline(claims, BASELINE, actors)
    assert [s.controller.id for s in changes_in(spans)] == ["hts"]
    assert _holder(spans, "Aleppo", "2024-12-02") == "hts"


def test_a_better_supported_rival_account_replaces_a_weak_one(mk: Callable[..., Claim], actors: dict[str, Actor]):
    pub = "2024-12-08T10:00:00"
    claims = [
        mk("weak", actor="sdf", place="homs", day="2024-12-07", outlet="Daily Star", published=pub),
        mk("afp", place="homs", day="2024-12-08", outlet="AFP", published=pub),
        mk("bbc", place="homs", day="2024-12-08", outlet="BBC", published=pub),
    ]
    spans = control_timeline(claims, BASELINE, actors)
    assert [(s.controller.id, s.since) for s in changes_in(spans)] == [("hts", date(2024, 12, 8))]
    assert _holder(spans, "Homs", "2024-12-07") == "syrian_government"


def test_captures_days_apart_by_different_actors_are_both_changes(mk: Callable[..., Claim], actors: dict[str, Actor]):
    pub = "2024-12-12T10:00:00"
    claims = [
        mk("sdf-in", actor="sdf", place="deir_ez_zor", day="2024-12-06", published=pub),
        mk("rebels-in", actor="syrian_opposition", place="deir_ez_zor", day="2024-12-11", outlet="BBC", published=pub),
    ]
    spans = control_timeline(claims, BASELINE, actors)
    assert [s.controller.id for s in changes_in(spans)] == ["sdf", "syrian_opposition"]


def test_later_mentions_of_a_held_place_do_not_delay_the_change(mk: Callable[..., Claim], actors: dict[str, Actor]):
    claims = [
        mk("afp", day="2024-11-30", outlet="AFP", published="2024-11-30T20:00:00"),
        mk("bbc", day="2024-11-30", outlet="BBC", published="2024-11-30T21:00:00"),
        *(
            mk(f"held-{o}", day="2024-12-05", outlet=o, published="2024-12-05T10:00:00")
            for o in ("Reuters", "AP", "Le Monde")
        ),
    ]
    [change] = changes_in(control_timeline(claims, BASELINE, actors))
    assert change.since == date(2024, 11, 30)


def test_a_long_range_dates_the_change_by_its_middle_and_a_vague_one_not_at_all(
    mk: Callable[..., Claim], actors: dict[str, Actor]
):
    pub = "2024-12-06T12:00:00"
    week = mk("week", place="hama", span=("2024-11-30", "2024-12-06"), published=pub)
    [change] = changes_in(control_timeline([week], BASELINE, actors))
    assert change.since == date(2024, 12, 3)
    vague = mk("vague", place="hama", span=("2024-01-01", "2024-12-06"), published=pub)
    assert changes_in(control_timeline([vague], BASELINE, actors)) == []


def test_a_region_without_a_polygon_names_its_line():
    text = '[actors]\ngov = "Government"\n\n[[region]]\nname = "north"\ncontroller = "gov"\npolygon = [[1, 2]]\n'
    with pytest.raises(DataFileError) as err:
        parse_baseline(text, "regions.toml")
    assert err.value.line == 4
    assert "polygon" in err.value.reason


def test_a_named_place_overrides_its_region_and_the_country_default_fills_the_rest():
    text = (
        '[actors]\ngov = "Government"\nreb = "Rebels"\n\n[[country]]\ncountry = "SY"\ncontroller = "gov"\n\n'
        '[[region]]\nname = "north"\ncontroller = "reb"\npolygon = [[36, 36], [36, 37], [37, 37], [37, 36]]\n\n'
        '[[place]]\nname = "Loyal Town"\nlat = 36.5\nlon = 36.5\ncontroller = "gov"\n'
    )
    baseline = parse_baseline(text, "mine.toml")
    inside = Place("Somewhere", 36.2, 36.2, "SY", "village")
    loyal = Place("Loyal Town", 36.5, 36.5, "SY", "town")
    south = Place("Elsewhere", 34.0, 36.5, "SY", "town")
    assert [baseline.controller_of(p).id for p in (inside, loyal, south)] == ["reb", "gov", "gov"]  # type: ignore[union-attr]
    assert baseline.controller_of(Place("Beirut", 33.9, 35.5, "LB", "city")) is None


def test_a_capture_naming_only_the_loser_ends_its_hold(mk: Callable[..., Claim], actors: dict[str, Actor]):
    lost = mk(
        "lost",
        actor=None,
        target=ActorRef("syrian_government", "Syrian government"),
        place="hama",
        day="2024-12-05",
        published="2024-12-05T20:00:00",
    )
    spans = control_timeline([lost], BASELINE, actors)
    assert _holder(spans, "Hama", "2024-12-04") == "syrian_government"
    assert _holder(spans, "Hama", "2024-12-06") is None
    taken = mk("taken", place="hama", day="2024-12-05", outlet="BBC", published="2024-12-05T21:00:00")
    spans = control_timeline([lost, taken], BASELINE, actors)
    assert _holder(spans, "Hama", "2024-12-06") == "hts"


def test_the_baselines_cutoff_holds_only_for_the_places_it_covers(mk: Callable[..., Claim], actors: dict[str, Actor]):
    # Syria's baseline is dated 26 Nov 2024: an earlier report about Aleppo is history it holds, while a 2022
    # report about Kherson (a place it says nothing of) is a change like any other
    old_syria = mk("a", day="2024-11-20")
    kherson = mk("k", actor="russia", place="kherson", day="2022-03-02", published="2022-03-03T08:00:00")
    spans = control_timeline([old_syria, kherson], BASELINE, actors)
    assert _holder(spans, "Aleppo", "2024-11-21") == "syrian_government"
    assert _holder(spans, "Kherson", "2022-03-02") == "russia"
    assert [c.place.name for c in changes_in(spans)] == ["Kherson"]


def test_a_state_credited_with_a_capture_where_its_forces_do_not_fight_changes_no_control(
    mk: Callable[..., Claim], actors: dict[str, Actor]
):
    # "a general removed after the fall of Aleppo", misread as Russia taking Aleppo
    with_states = {
        **actors,
        "russia": Actor("russia", "Russia", kind="state", country="RU", fights_in=("UA",)),
    }
    claims = [mk("ru-aleppo", actor="russia", day="2024-11-30"), mk("ru-kherson", actor="russia", place="kherson")]
    spans = control_timeline(claims, BASELINE, with_states)
    assert _holder(spans, "Aleppo", "2024-12-01") == "syrian_government"  # the baseline stands
    assert _holder(spans, "Kherson", "2024-12-01") == "russia"  # a war its forces do fight
    from sitroom.fuse import fuse_events

    [aleppo] = [e for e in fuse_events(claims, with_states) if e.place is not None and e.place.name == "Aleppo"]
    assert aleppo.status == "contested"
    assert aleppo.note is not None and "Russia" in aleppo.note and "SY" in aleppo.note
