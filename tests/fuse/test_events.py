"""Fusion of claims into events: independent sources, denials, stances that never make events, identity."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sitroom.fuse import fuse_events, reach
from sitroom.model import Actor, Claim, Event, Place

WIRE = (
    "Insurgents led by Hayat Tahrir al-Sham swept into most of Aleppo on Saturday, "
    "the first time they had entered the city since 2016, residents said."
)


def _one(events: list[Event]) -> Event:
    assert len(events) == 1, events
    return events[0]


def test_wire_copies_in_several_outlets_count_as_one_source(mk: Callable[..., Claim], actors: dict[str, Actor]):
    copies = [
        mk("w1", outlet="Reuters", text=WIRE),
        mk("w2", outlet="Al Arabiya", text=WIRE.replace("Saturday", "Saturday,")),
        mk("w3", outlet="Daily Star", text="  " + WIRE.upper()),
    ]
    ev = _one(fuse_events(copies, actors))
    assert ev.sources == 1
    assert ev.status == "reported"
    assert set(ev.claims) == {"w1", "w2", "w3"}


def test_same_outlet_twice_counts_once(mk: Callable[..., Claim], actors: dict[str, Actor]):
    ev = _one(fuse_events([mk("a", outlet="AFP"), mk("b", outlet="AFP", doc="other-afp-story")], actors))
    assert ev.sources == 1
    assert ev.status == "reported"


def test_two_independent_outlets_corroborate_and_raise_confidence(mk: Callable[..., Claim], actors: dict[str, Actor]):
    single = _one(fuse_events([mk("a", outlet="AFP")], actors))
    both = _one(fuse_events([mk("a", outlet="AFP"), mk("b", outlet="BBC")], actors))
    assert both.status == "corroborated"
    assert both.sources == 2
    assert both.confidence > single.confidence


def test_announcement_plus_independent_outlet_is_corroborated(mk: Callable[..., Claim], actors: dict[str, Actor]):
    claims = [
        mk("ann", stance="announced", said_by="hts", outlet="Telegram"),
        mk("ind", outlet="BBC"),
    ]
    ev = _one(fuse_events(claims, actors))
    assert ev.status == "corroborated"
    assert ev.sources == 2


def test_many_outlets_quoting_one_monitor_are_one_source(mk: Callable[..., Claim], actors: dict[str, Actor]):
    claims = [
        mk("r", said_by="sohr", outlet="Reuters", text="Rebels hold Aleppo, the monitor said on Saturday."),
        mk("a", said_by="sohr", outlet="AFP", text="According to the Observatory, the city fell to the rebels."),
    ]
    ev = _one(fuse_events(claims, actors))
    assert ev.sources == 1


def test_denial_is_kept_on_the_event_which_becomes_contested(mk: Callable[..., Claim], actors: dict[str, Actor]):
    plain = _one(fuse_events([mk("a", outlet="AFP")], actors))
    claims = [mk("a", outlet="AFP"), mk("d", stance="denied", said_by="syrian_army", outlet="SANA")]
    ev = _one(fuse_events(claims, actors))
    assert ev.status == "contested"
    assert ev.opposing == ("d",)
    assert ev.claims == ("a",)
    assert ev.confidence < plain.confidence


def test_only_denials_make_a_denied_event(mk: Callable[..., Claim], actors: dict[str, Actor]):
    ev = _one(
        fuse_events([mk("d", type="withdrawal", actor="syrian_army", stance="denied", said_by="syrian_army")], actors)
    )
    assert ev.status == "denied"
    assert ev.claims == ()
    assert ev.opposing == ("d",)


def test_hypothetical_and_projected_claims_never_make_an_event(mk: Callable[..., Claim], actors: dict[str, Actor]):
    claims = [
        mk("h", stance="hypothetical", place="homs", day=None),
        mk("p", stance="projected", place="homs", day=None),
    ]
    assert fuse_events(claims, actors) == []
    # and they do not join an asserted event either
    ev = _one(fuse_events([mk("a", place="homs", day="2024-12-08", published="2024-12-08T09:00:00"), *claims], actors))
    assert ev.claims == ("a",)


def test_a_plan_dated_after_its_publication_makes_no_event(mk: Callable[..., Claim], actors: dict[str, Actor]):
    plan = mk("plan", place="homs", day="2024-12-12", published="2024-12-05T10:00:00")
    assert fuse_events([plan], actors) == []


def test_an_actor_and_its_ancestor_fuse_but_siblings_do_not(mk: Callable[..., Claim], actors: dict[str, Actor]):
    events = fuse_events(
        [mk("hts", actor="hts"), mk("opp", actor="syrian_opposition", outlet="BBC"), mk("sna", actor="sna")],
        actors,
    )
    by_claim = {cid: ev.id for ev in events for cid in ev.claims}
    assert by_claim["hts"] == by_claim["opp"]
    assert by_claim["sna"] != by_claim["hts"]
    hts_event = next(e for e in events if "hts" in e.claims)
    assert hts_event.actor is not None and hts_event.actor.id == "hts"  # the most specific name wins


def test_an_airport_capture_is_not_fused_with_its_city(mk: Callable[..., Claim], actors: dict[str, Actor]):
    events = fuse_events([mk("city", place="aleppo"), mk("airport", place="aleppo_airport")], actors)
    assert len(events) == 2


def test_nearby_towns_and_far_dates_stay_apart(mk: Callable[..., Claim], actors: dict[str, Actor]):
    events = fuse_events(
        [
            mk("homs", place="homs", day="2024-12-08", published="2024-12-08T10:00:00"),
            mk("rastan", place="rastan", day="2024-12-06", outlet="BBC", published="2024-12-08T10:00:00"),
            mk("homs-early", place="homs", day="2024-12-02", outlet="AFP", published="2024-12-08T10:00:00"),
        ],
        actors,
    )
    assert len(events) == 3


def test_a_day_apart_and_a_range_join_one_capture(mk: Callable[..., Claim], actors: dict[str, Actor]):
    pub = "2024-12-07T20:00:00"
    claims = [
        mk("late-fri", day="2024-12-06", outlet="AFP", said_by="sohr", published=pub),
        mk("sat", day="2024-12-07", outlet="Reuters", stance="announced", said_by="hts", published=pub),
        mk("range", span=("2024-12-05", "2024-12-07"), outlet="BBC", published=pub),
        mk("sat2", day="2024-12-07", outlet="Al Jazeera", published=pub),
    ]
    ev = _one(fuse_events(claims, actors))
    assert ev.when.exact == date(2024, 12, 7)  # the day named by most independent sources


def test_an_offensive_is_one_event_across_the_country(mk: Callable[..., Claim], actors: dict[str, Actor]):
    claims = [
        mk("launch", type="offensive", place="syria", day="2024-11-27"),
        mk(
            "ongoing", type="offensive", place="aleppo", day="2024-12-03", outlet="BBC", published="2024-12-03T09:00:00"
        ),
    ]
    ev = _one(fuse_events(claims, actors))
    assert ev.sources == 2


def test_figures_with_different_numbers_are_different_events(mk: Callable[..., Claim], actors: dict[str, Actor]):
    claims = [
        mk("d1", type="displacement", actor=None, place="syria", quantity=48500.0, metric="displaced"),
        mk("d2", type="displacement", actor=None, place="syria", quantity=14000.0, metric="displaced", outlet="UN"),
        mk("d3", type="displacement", actor=None, place="syria", quantity=48600.0, metric="displaced", outlet="AP"),
    ]
    events = fuse_events(claims, actors)
    assert sorted(len(e.claims) for e in events) == [1, 2]


# --- identity and incremental fusion ----------------------------------------------------------------


def _batch(mk: Callable[..., Claim]) -> tuple[list[Claim], list[Claim]]:
    first = [
        mk("a1", published="2024-11-30T08:00:00"),
        mk("h1", place="hama", day="2024-12-05", published="2024-12-05T09:00:00"),
    ]
    second = [
        mk("a2", outlet="BBC", published="2024-12-01T08:00:00"),
        mk("h2", place="hama", day="2024-12-05", stance="announced", said_by="hts", published="2024-12-05T12:00:00"),
        mk("s1", place="saraqib", day="2024-11-29", published="2024-12-02T08:00:00"),
    ]
    return first, second


def test_event_ids_do_not_change_when_claims_arrive(mk: Callable[..., Claim], actors: dict[str, Actor]):
    first, second = _batch(mk)
    before = {e.id: e for e in fuse_events(first, actors)}
    changed = fuse_events(second, actors, previous=list(before.values()), claims_of=lambda ids: first)
    for ev in changed:
        if ev.id in before:
            assert set(before[ev.id].claims) <= set(ev.claims)
    assert {e.id for e in changed} >= set(before)


def test_incremental_fusion_equals_fusing_everything_at_once(mk: Callable[..., Claim], actors: dict[str, Actor]):
    first, second = _batch(mk)
    at_once = {e.id: e for e in fuse_events(first + second, actors)}
    earlier = fuse_events(first, actors)
    changed = fuse_events(second, actors, previous=earlier, claims_of=lambda ids: [c for c in first if c.id in ids])
    merged = {e.id: e for e in earlier} | {e.id: e for e in changed}
    assert merged == at_once


def test_incremental_fusion_returns_only_touched_and_new_events(mk: Callable[..., Claim], actors: dict[str, Actor]):
    first, _ = _batch(mk)
    earlier = fuse_events(first, actors)
    new = [mk("s1", place="saraqib", day="2024-11-29", published="2024-12-02T08:00:00")]
    changed = fuse_events(new, actors, previous=earlier, claims_of=lambda ids: first)
    assert [e.claims for e in changed] == [("s1",)]


def test_previous_claims_passed_again_are_not_added_twice(mk: Callable[..., Claim], actors: dict[str, Actor]):
    first, second = _batch(mk)
    earlier = fuse_events(first, actors)
    changed = fuse_events(first + second, actors, previous=earlier)
    aleppo = next(e for e in changed if "a1" in e.claims)
    assert sorted(aleppo.claims) == ["a1", "a2"]
    assert aleppo.sources == 2


def test_without_the_old_claims_the_stored_counts_stand_in(mk: Callable[..., Claim], actors: dict[str, Actor]):
    earlier = fuse_events([mk("a1")], actors)
    changed = fuse_events([mk("a2", outlet="BBC", published="2024-12-01T08:00:00")], actors, previous=earlier)
    ev = _one(changed)
    assert ev.id == earlier[0].id
    assert ev.claims == ("a1", "a2")
    assert ev.sources == 2
    assert ev.status == "corroborated"


def test_fetching_only_the_events_in_reach_gives_the_same_update(mk: Callable[..., Claim], actors: dict[str, Actor]):
    old = [
        mk("aleppo", published="2024-11-30T08:00:00"),
        mk("hama", place="hama", day="2024-12-05", published="2024-12-05T09:00:00"),
        mk("old-aleppo", day="2024-08-01", published="2024-08-01T09:00:00"),
        mk("clash", type="armed_clash", day="2024-11-30", published="2024-11-30T09:00:00"),
    ]
    earlier = fuse_events(old, actors)
    new = [mk("aleppo-2", outlet="BBC", published="2024-12-01T08:00:00")]
    windows = reach(new)
    nearby = [e for e in earlier if any(w.contains(e) for w in windows)]
    assert [e.claims for e in nearby] == [("aleppo",)]
    lookup = {c.id: c for c in old}
    full = fuse_events(new, actors, previous=earlier, claims_of=lambda ids: [lookup[i] for i in ids])
    narrow = fuse_events(new, actors, previous=nearby, claims_of=lambda ids: [lookup[i] for i in ids])
    assert full == narrow
    assert full[0].claims == ("aleppo", "aleppo-2")


def test_a_vague_range_does_not_pull_a_precise_date(mk: Callable[..., Claim], actors: dict[str, Actor]):
    pub = "2024-12-08T09:00:00"
    claims = [
        mk("week", span=("2024-12-01", "2024-12-08"), published=pub),
        mk("years", span=("2011-01-01", "2024-12-08"), outlet="BBC", published=pub),
    ]
    ev = _one(fuse_events(claims, actors))
    assert (ev.when.earliest, ev.when.latest) == (date(2024, 12, 1), date(2024, 12, 8))
    alone = _one(fuse_events(claims[1:], actors))
    assert alone.when.latest == date(2024, 12, 8)  # nothing better: the vague range still dates it


def test_an_outlet_and_the_monitor_it_quotes_elsewhere_are_two_sources(
    mk: Callable[..., Claim], actors: dict[str, Actor]
):
    claims = [
        mk("own", doc="story", outlet="Reuters"),
        mk("quoted", doc="story", outlet="Reuters", said_by="sohr"),
    ]
    ev = _one(fuse_events(claims, actors))
    assert ev.sources == 2
    assert ev.status == "corroborated"


def test_a_suburb_is_not_its_city_but_an_unpinned_spelling_is(mk: Callable[..., Claim], actors: dict[str, Actor]):
    damascus = Place("Damascus", 33.5102, 36.2913, "SY", "city", geonameid=170654)
    suburb = Place("Jaramana", 33.4862, 36.3461, "SY", "town", geonameid=169174)
    loose = Place("Damascus city centre", 33.513, 36.30, "SY", "town")  # no gazetteer entry
    pub = "2024-12-08T12:00:00"
    events = fuse_events(
        [
            mk("city", place=damascus, day="2024-12-08", published=pub),
            mk("suburb", place=suburb, day="2024-12-08", outlet="BBC", published=pub),
            mk("centre", place=loose, day="2024-12-08", outlet="AFP", published=pub),
        ],
        actors,
    )
    assert sorted(sorted(e.claims) for e in events) == [["centre", "city"], ["suburb"]]


def test_the_order_claims_arrive_in_does_not_change_the_events(mk: Callable[..., Claim], actors: dict[str, Actor]):
    first, second = _batch(mk)
    claims = first + second + [mk("d", stance="denied", said_by="syrian_army", outlet="SANA")]
    forward = fuse_events(claims, actors)
    assert fuse_events(list(reversed(claims)), actors) == forward
    assert fuse_events(claims[2:] + claims[:2], actors) == forward


def test_wire_copies_are_found_among_many_distinct_reports(mk: Callable[..., Claim], actors: dict[str, Actor]):
    own_words = [
        "Opposition fighters pushed into the northern city from three directions and raised their flag there.",
        "Government troops pulled back as the alliance entered Aleppo, a military source told our correspondent.",
        "Residents described rebels driving through central districts of Aleppo without meeting any resistance.",
        "The insurgents now control most of the city, including its citadel, according to local activists.",
        "After two days of fighting, the army lost Aleppo, the largest city it had held since 2016.",
    ]
    claims = [mk(f"own{i}", outlet=f"Outlet {i}", text=t) for i, t in enumerate(own_words)]
    claims += [mk(f"wire{i}", outlet=f"Paper {i}", text=WIRE) for i in range(3)]
    ev = _one(fuse_events(claims, actors))
    assert ev.sources == 6


def test_different_statements_of_one_speaker_stay_apart_but_reprints_join(
    mk: Callable[..., Claim], actors: dict[str, Actor]
):
    said = "The foreign ministry said it was following events in Syria closely and urged all sides to show restraint."
    claims = [
        mk("s1", type="statement", actor="russia", place="syria", text=said),
        mk("s2", type="statement", actor="russia", place="syria", text=said, outlet="TASS"),
        mk(
            "s3",
            type="statement",
            actor="russia",
            place="syria",
            outlet="RIA",
            text="Moscow will keep its bases in Syria, the deputy minister told reporters on the same day.",
        ),
    ]
    events = fuse_events(claims, actors)
    assert sorted(sorted(e.claims) for e in events) == [["s1", "s2"], ["s3"]]
