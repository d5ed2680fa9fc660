"""The alert logic on hand-made claims: which changes fire which subscriptions, once, with their evidence."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from sitroom.alerts import AlertEngine, LocalDelta, SnapshotDelta, build_sinks, parse_subscriptions
from sitroom.alerts.delta import Items, diff, picture_items
from sitroom.alerts.sinks import StreamSink
from sitroom.fuse import load_baseline
from sitroom.store import Store
from sitroom.watch import DocumentProcessor


def _run(kit: ModuleType, store: Store, tmp_path: Path, delta_cls: type = LocalDelta, subs_yaml: str | None = None):
    text = (subs_yaml or kit.SUBSCRIPTIONS_YAML).replace("PLACEHOLDER", str(tmp_path / "alerts.jsonl"))
    subs = parse_subscriptions(text, "subs.yaml", kit.resolve, kit.ACTORS)
    engine = AlertEngine(store, subs.subscriptions, build_sinks(subs.sinks), kit.ACTORS, kit.resolve)
    proc = DocumentProcessor(store, kit.FixedExtractor(kit.SCENARIO_CLAIMS), delta_cls(store, kit.ACTORS), engine)
    fired: list[tuple[str, str, str, str]] = []
    for doc in kit.SCENARIO_DOCS:
        for a in proc.handle(doc):
            fired.append((doc.id, a["subscription"], a["kind"], a["status"]))
    return fired, proc


EXPECTED = [
    ("d1", "captures", "control", "syrian_opposition@2024-11-30"),  # Aleppo
    ("d1", "aleppo-airport", "transport", "closed"),
    ("d3", "captures", "control", "syrian_opposition@2024-12-05"),  # Hama
    ("d4", "leave-advisories", "advisory", "leave"),
    ("d4", "staff-plan", "advisory", "leave"),
    ("d5", "staff-plan", "event", "reported"),  # a clash at Rastan, 22 km from Homs
    ("d6", "contradictions", "event", "contested"),  # the denial at Homs
    ("d7", "staff-plan", "transport", "closed"),  # an exit closes
]


@pytest.mark.parametrize("delta_cls", [LocalDelta, SnapshotDelta])
def test_each_change_fires_its_subscriptions_exactly_once(
    kit: ModuleType, store: Store, tmp_path: Path, delta_cls: type
) -> None:
    fired, _ = _run(kit, store, tmp_path, delta_cls)
    assert fired == EXPECTED


def test_alerts_name_the_place_and_say_why(kit: ModuleType, store: Store, tmp_path: Path) -> None:
    _, proc = _run(kit, store, tmp_path)
    by_sub = {(a["subscription"], a["kind"]): a for a in proc.alerts}
    captures = [a for a in proc.alerts if a["subscription"] == "captures"]
    assert [a["item"]["place"]["name"] for a in captures] == ["Aleppo", "Hama"]
    assert "Hayat Tahrir al-Sham" in captures[0]["why"]
    clash = by_sub[("staff-plan", "event")]
    assert "22 km from Homs" in clash["why"] and "within 30 km" in clash["why"]
    contra = by_sub[("contradictions", "event")]
    assert "became contested (was reported)" in contra["why"]
    assert contra["item"]["place"]["name"] == "Homs"
    # the denier is named as the one who denies, never as the actor of the withdrawal
    assert contra["headline"] == (
        "Withdrawal by Syrian army at Homs (contested: denied by Syrian defence ministry; asserted by 1 source)"
    )


def test_an_alert_links_every_claim_and_document_behind_it(kit: ModuleType, store: Store, tmp_path: Path) -> None:
    _, proc = _run(kit, store, tmp_path)
    contra = next(a for a in proc.alerts if a["subscription"] == "contradictions")
    ev = {e["claim"]: e for e in contra["evidence"]}
    assert set(ev) == {"c6", "c8"}
    assert ev["c8"]["document"] == "d6" and ev["c8"]["url"] == "https://example.org/d6"
    assert ev["c8"]["stance"] == "denied" and ev["c8"]["said_by"] == "Syrian defence ministry"
    assert ev["c6"]["text"] == "sentence behind c6"
    # the file sink wrote the same alerts, one JSON object per line
    lines = [json.loads(x) for x in (tmp_path / "alerts.jsonl").read_text().splitlines()]
    assert [a["id"] for a in lines] == [a["id"] for a in proc.alerts]


def test_a_restarted_engine_does_not_alert_again(kit: ModuleType, store: Store, tmp_path: Path) -> None:
    _run(kit, store, tmp_path)
    # Same reports again (a restart re-reading its sources): stored content is a no-op, nothing fires.
    fired, _ = _run(kit, store, tmp_path)
    assert fired == []
    # And the same changes handed to a fresh engine are recognised from the store's record.
    subs = parse_subscriptions(
        kit.SUBSCRIPTIONS_YAML.replace("PLACEHOLDER", str(tmp_path / "b.jsonl")), "s.yaml", kit.resolve, kit.ACTORS
    )
    engine = AlertEngine(store, subs.subscriptions, build_sinks(subs.sinks), kit.ACTORS)
    # Everything the store holds, diffed against nothing, is every change there is.
    after = picture_items(store.claims(), kit.ACTORS, load_baseline())
    changes = diff(Items({}, {}), after)
    assert len(changes) >= len(EXPECTED)
    assert engine.process(changes, after.claims) == []
    assert not (tmp_path / "b.jsonl").exists()


EVENT_SUB = """\
sinks:
  out: {type: file, path: PLACEHOLDER}
subscriptions:
  - id: aleppo-events
    sinks: [out]
    when:
      event: {types: [territory_captured], place: Aleppo, actor: Syrian opposition}
"""


def test_an_event_alerts_again_only_when_its_status_changes(kit: ModuleType, store: Store, tmp_path: Path) -> None:
    fired, proc = _run(kit, store, tmp_path, subs_yaml=EVENT_SUB)
    # reported (HTS's own announcement), then corroborated (a second outlet); HTS is within the opposition
    assert fired == [("d1", "aleppo-events", "event", "reported"), ("d2", "aleppo-events", "event", "corroborated")]
    # a third independent report keeps it corroborated: no new alert
    third = kit.document("d8", "2024-12-01T10:00:00", "Third Outlet")
    extra = {"d8": [kit.claim("c10", "d8", "territory_captured", "aleppo", "2024-11-30", actor="hts")]}
    proc.capture.inner = kit.FixedExtractor(extra)
    assert proc.handle(third) == []


def test_a_report_read_late_that_sorts_first_does_not_alert_the_same_event_again(
    kit: ModuleType, store: Store, tmp_path: Path
) -> None:
    # A report published before the first one, ingested after the others: it becomes the event's earliest
    # claim. The capture is the same one, still corroborated: no second alert.
    fired, proc = _run(kit, store, tmp_path, subs_yaml=EVENT_SUB)
    assert fired == [("d1", "aleppo-events", "event", "reported"), ("d2", "aleppo-events", "event", "corroborated")]
    early = kit.document("d0", "2024-11-30T06:00:00", "Dawn Courier")
    extra = {"d0": [kit.claim("c0", "d0", "territory_captured", "aleppo", "2024-11-30", actor="hts")]}
    proc.capture.inner = kit.FixedExtractor(extra)
    assert proc.handle(early) == []


THRESHOLDS = """\
sinks:
  out: {type: file, path: PLACEHOLDER}
subscriptions:
  - id: strict
    sinks: [out]
    when:
      event: {types: [territory_captured], min_sources: 2, min_confidence: 0.99}
  - id: either
    sinks: [out]
    when:
      event: {types: [territory_captured], min_sources: 2, min_confidence: 0.99, require: any}
  - id: government-only
    sinks: [out]
    when:
      event: {types: [territory_captured], actor: Syrian government}
"""


def test_thresholds_all_or_any_and_actor_lineage(kit: ModuleType, store: Store, tmp_path: Path) -> None:
    fired, proc = _run(kit, store, tmp_path, subs_yaml=THRESHOLDS)
    subs = [f[1] for f in fired]
    assert "strict" not in subs  # two sources but confidence below 0.99
    assert fired.count(("d2", "either", "event", "corroborated")) == 1  # two sources suffice
    assert "government-only" not in subs  # the opposition's captures are not the government's
    either = next(a for a in proc.alerts if a["subscription"] == "either")
    assert "2 independent sources >= 2" in either["why"]


def test_a_sink_that_fails_does_not_stop_the_others(kit: ModuleType, store: Store, tmp_path: Path) -> None:
    import io

    subs = parse_subscriptions(
        "sinks:\n  dead: {type: webhook, url: 'http://127.0.0.1:9/x', retries: 0, timeout: 0.5}\n  out: {type: stdout}\n"
        "subscriptions:\n  - {id: all, sinks: [dead, out], when: {transport: {}}}\n",
        "s.yaml",
        kit.resolve,
        kit.ACTORS,
    )
    out = io.StringIO()
    sinks: dict[str, Any] = build_sinks(subs.sinks)
    sinks["out"] = StreamSink(out)
    engine = AlertEngine(store, subs.subscriptions, sinks, kit.ACTORS)
    proc = DocumentProcessor(store, kit.FixedExtractor(kit.SCENARIO_CLAIMS), LocalDelta(store, kit.ACTORS), engine)
    proc.handle(kit.SCENARIO_DOCS[0])
    assert "Aleppo International Airport closed" in out.getvalue()


ROUTE_YAML = """\
sinks:
  out: {type: file, path: PLACEHOLDER}
subscriptions:
  - id: homs-aleppo
    sinks: [out]
    when:
      route: {from: Homs, to: Aleppo}
  - id: homs-aleppo-cut-only
    sinks: [out]
    when:
      route: {from: Homs, to: Aleppo, status: [cut]}
"""


def test_a_route_alerts_once_when_it_becomes_at_risk(kit: ModuleType, store: Store, tmp_path: Path) -> None:
    fired, _ = _run(kit, store, tmp_path, subs_yaml=ROUTE_YAML)
    route = [f for f in fired if f[2] == "route"]
    # Aleppo changes hands in d1: the road from government-held Homs to it is at risk from then on, said once;
    # nothing in the scenario cuts it, so the cut-only subscription stays quiet.
    assert route == [("d1", "homs-aleppo", "route", "at_risk")]
    alerts = [json.loads(line) for line in (tmp_path / "alerts.jsonl").read_text().splitlines()]
    (alert,) = [a for a in alerts if a["kind"] == "route"]
    assert alert["headline"].startswith("Route Homs - Aleppo is at risk on 2024-11-30 (was open)")
    assert alert["item"]["deciding"] and alert["evidence"]  # the segments and the claims that decided it


def test_a_route_condition_needs_both_ends(kit: ModuleType) -> None:
    bad = ROUTE_YAML.replace("route: {from: Homs, to: Aleppo}", "route: {from: Homs}")
    with pytest.raises(Exception, match="needs to"):
        parse_subscriptions(bad, "subs.yaml", kit.resolve, kit.ACTORS)


def test_an_evacuation_tripwire_can_name_the_road_out(kit: ModuleType, store: Store, tmp_path: Path) -> None:
    yaml = """\
sinks:
  out: {type: file, path: PLACEHOLDER}
subscriptions:
  - id: road-out
    sinks: [out]
    tripwire:
      plan: staff in Homs leave by road to Aleppo
      routes: [{from: Homs, to: Aleppo}]
"""
    fired, _ = _run(kit, store, tmp_path, subs_yaml=yaml)
    assert [f for f in fired if f[2] == "route"] == [("d1", "road-out", "route", "at_risk")]
    bad = yaml.replace("routes: [{from: Homs, to: Aleppo}]", "routes: [{from: Homs}]")
    with pytest.raises(Exception, match="needs to"):
        parse_subscriptions(bad, "subs.yaml", kit.resolve, kit.ACTORS)


def test_another_report_of_the_same_status_is_no_change_to_alert(kit: ModuleType) -> None:
    from datetime import date

    from sitroom.alerts.delta import Change
    from sitroom.alerts.engine import match
    from sitroom.model import TransportStatus

    subs = parse_subscriptions(
        kit.SUBSCRIPTIONS_YAML.replace("PLACEHOLDER", "x.jsonl"), "s.yaml", kit.resolve, kit.ACTORS
    )
    airport = next(s for s in subs.subscriptions if s.id == "aleppo-airport")
    ts = TransportStatus(kit.PLACES["aleppo airport"], "closed", date(2024, 11, 30))
    key = f"transport:{ts.facility.key}"
    assert match(airport, Change("transport", key, "closed", None, ts), kit.ACTORS) is not None  # newly known
    assert match(airport, Change("transport", key, "closed", "open", ts), kit.ACTORS) is not None  # a change
    assert match(airport, Change("transport", key, "closed", "closed", ts), kit.ACTORS) is None  # "closed (was closed)"


SILENCE_SUB = """\
sinks:
  out: {type: file, path: PLACEHOLDER}
subscriptions:
  - id: quiet
    sinks: [out]
    when:
      - silence: {place: Aleppo, for: 24h}
      - silence: {place: Hama, for: 1d}
"""


def test_silence_alerts_once_when_nothing_is_heard_from_a_place(kit: ModuleType, store: Store, tmp_path: Path) -> None:
    fired, proc = _run(kit, store, tmp_path, subs_yaml=SILENCE_SUB)
    # Aleppo was last heard of on 30 Nov (15:00); the report of 5 Dec 13:00 is the first moment it has been
    # quiet for over a day. Later reports about elsewhere do not repeat it; Hama (5 Dec 13:00) is never
    # quiet for a whole day before the last report (6 Dec 12:00).
    assert fired == [("d3", "quiet", "silence", "silent since 2024-11-30T15:00:00+00:00")]
    (alert,) = proc.alerts
    assert alert["headline"].startswith("Nothing heard from Aleppo for 5 days (last report 30 Nov 15:00 UTC)")
    assert alert["item"]["hours_silent"] == 118.0
    # time alone makes Hama quiet: the watch's tick, judged a day and a half after the last report
    proc.engine.clock = lambda: datetime(2024, 12, 7, 1, 0, tzinfo=UTC)
    assert [a["headline"].split(" (")[0] for a in proc.tick()] == ["Nothing heard from Hama for 36 h"]
    assert proc.tick() == []  # once per silence
    # a new report from Aleppo re-arms it: the next silence is a new alert
    doc = kit.document("d9", "2024-12-07T02:00:00", "Orontes Daily")
    proc.capture.inner = kit.FixedExtractor({"d9": [kit.claim("c20", "d9", "armed_clash", "aleppo", "2024-12-07")]})
    proc.handle(doc)
    proc.engine.clock = lambda: datetime(2024, 12, 8, 12, 0, tzinfo=UTC)
    assert [a["status"] for a in proc.tick()] == ["silent since 2024-12-07T02:00:00+00:00"]
