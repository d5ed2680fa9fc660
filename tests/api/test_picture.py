"""The fused picture over HTTP: control (JSON and GeoJSON), events, advisories, transport, figures."""

from __future__ import annotations

import time
from datetime import date
from types import ModuleType

from fastapi.testclient import TestClient

from sitroom.api import create_app
from sitroom.store import Store


def controller_of(entries: list[dict], name: str) -> str:
    (entry,) = [e for e in entries if e["place"]["name"] == name]
    return entry["controller"]["id"]


def test_control_of_aleppo_changes_between_two_days(client: TestClient) -> None:
    before = client.get("/control", params={"at": "2024-11-28", "place": "Aleppo"}).json()
    after = client.get("/control", params={"at": "2024-12-01", "place": "Aleppo"}).json()
    assert controller_of(before, "Aleppo") == "syrian_government"
    assert controller_of(after, "Aleppo") not in ("syrian_government", "syrian_government_forces")
    assert after[0]["since"] == "2024-11-30" and "orontes-aleppo-1130-c1" in after[0]["evidence"]


def test_control_geojson_is_a_feature_collection_of_points(client: TestClient) -> None:
    r = client.get("/control.geojson", params={"at": "2024-12-06"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    body = r.json()
    assert body["type"] == "FeatureCollection" and body["features"]
    hama = [f for f in body["features"] if f["properties"]["place"]["name"] == "Hama"]
    assert len(hama) == 1
    lon, lat = hama[0]["geometry"]["coordinates"]
    assert hama[0]["geometry"]["type"] == "Point" and 35 < lat < 35.3 and 36.6 < lon < 36.9


def test_control_geojson_bbox_and_actor_filters(client: TestClient) -> None:
    box = client.get("/control.geojson", params={"at": "2024-12-06", "bbox": "36.5,35.0,37.0,35.3"}).json()
    names = {f["properties"]["place"]["name"] for f in box["features"]}
    assert "Hama" in names and "Aleppo" not in names
    for f in box["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert 36.5 <= lon <= 37.0 and 35.0 <= lat <= 35.3
    everything = client.get("/control.geojson", params={"at": "2024-12-06"}).json()["features"]
    hts = client.get("/control.geojson", params={"at": "2024-12-06", "actor": "hts"}).json()["features"]
    assert 0 < len(hts) < len(everything)
    assert all(f["properties"]["controller"]["id"] == "hts" for f in hts)


def test_control_known_at_replays_what_could_be_known(client: TestClient) -> None:
    # On 5 Dec at noon no report of Hama's capture was out yet.
    early = client.get("/control", params={"at": "2024-12-05", "known_at": "2024-12-05T12:00", "place": "Hama"})
    late = client.get("/control", params={"at": "2024-12-06", "place": "Hama"})
    assert controller_of(early.json(), "Hama") == "syrian_government"
    assert controller_of(late.json(), "Hama") == "hts"


def test_events_in_a_bbox_and_by_type(client: TestClient) -> None:
    around_hama = "36.5,35.0,37.0,35.3"
    events = client.get("/events", params={"bbox": around_hama}).json()
    assert [e["type"] for e in events] == ["territory_captured"]
    hama = events[0]
    assert hama["status"] == "contested"
    assert set(hama["claims"]) >= {"compass-hama-1205-c1", "harbour-hama-1205-c1"}
    by_type = client.get("/events", params=[("type", "withdrawal"), ("type", "transport_status")]).json()
    assert sorted(e["type"] for e in by_type) == ["transport_status", "withdrawal"]


def test_events_at_a_day_leave_out_later_events(client: TestClient) -> None:
    r = client.get("/events", params={"at": "2024-12-01"})
    assert {e["place"]["name"] for e in r.json()} == {"Aleppo"}
    assert int(r.headers["x-total-count"]) == len(r.json())


def test_advisories_transport_and_figures(client: TestClient) -> None:
    adv = client.get("/advisories", params={"at": "2024-12-06"}).json()
    assert [(a["issuer"]["id"], a["levels"]) for a in adv] == [("jordan", ["leave"])]
    assert client.get("/advisories", params={"at": "2024-12-04"}).json() == []
    transport = client.get("/transport", params={"at": "2024-12-06"}).json()
    assert [(t["facility"]["kind"], t["status"]) for t in transport] == [("airport", "open")]
    figures = client.get("/figures").json()
    assert [(f["metric"], f["value"], f["projection"]) for f in figures] == [("displaced", 280000.0, False)]
    assert client.get("/figures", params={"at": "2024-12-06"}).json() == []


def test_the_picture_follows_reports_written_by_another_process(scenario: ModuleType, scenario_store: Store) -> None:
    with TestClient(create_app(store=scenario_store, freshness=0.2)) as client:
        assert client.get("/events", params={"place": "Damascus"}).json() == []
        sc = scenario
        doc = sc._doc("late-damascus", "2024-12-08", "Steppe Wire", "Damascus", "Rebels said they entered Damascus.")
        claim = sc._claim(
            doc,
            1,
            "Rebels said they entered Damascus.",
            "advance",
            "asserted",
            actor=sc.OPPOSITION,
            place=sc.DAMASCUS,
            when=sc.DateSpan.day(date(2024, 12, 8)),
        )
        scenario_store.add_document(doc, [claim])  # written behind the API's back, as another process would
        time.sleep(0.25)  # answers may lag another writer by `freshness` seconds, no more
        assert [e["type"] for e in client.get("/events", params={"place": "Damascus"}).json()] == ["advance"]


def test_the_sitrep_comes_as_markdown_or_html_with_report_text_escaped(client: TestClient) -> None:
    md = client.get("/sitrep", params={"at": "2024-12-06"})
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert "Hama" in md.text
    page = client.get("/sitrep", params={"at": "2024-12-08", "format": "html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "&lt;b&gt;Bulletin" in page.text and "<b>Bulletin" not in page.text  # the hostile outlet name
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "<svg" in page.text.split("<h2>")[0]  # the control map, drawn by sitroom, before the sections


def test_the_sitrep_comes_as_a_printable_pdf(client: TestClient) -> None:
    import pytest

    pytest.importorskip("weasyprint", reason="the pdf extra (WeasyPrint) is not installed")
    pdf = client.get("/sitrep", params={"at": "2024-12-08", "format": "pdf"})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


def test_control_carries_its_freshness_and_the_map_data_marks_stale_places(client: TestClient) -> None:
    (aleppo,) = client.get("/control", params={"at": "2024-12-01", "place": "Aleppo"}).json()
    assert aleppo["sources"] >= 1 and aleppo["stale"] is False
    (later,) = client.get("/control", params={"at": "2024-12-08", "place": "Aleppo"}).json()
    assert later["stale"] is True and later["hours_since_confirmed"] > 48
    features = client.get("/control.geojson", params={"at": "2024-12-08"}).json()["features"]
    assert {f["properties"]["place"]["name"] for f in features if f["properties"]["stale"]} >= {"Aleppo"}


def test_each_actor_has_its_own_colour_and_forces_take_their_states(client: TestClient) -> None:
    actors = {a["id"]: a for a in client.get("/actors").json()}
    gov = actors["syrian_government"]["colour"]
    assert gov and actors["syrian_government_forces"]["colour"] == gov  # its forces, its colour
    # the Syrian Free Army is an opposition group, never drawn in the government's red
    assert actors["syrian_free_army"]["colour"] not in (None, gov)
    named = [a["colour"] for a in actors.values() if a["kind"] == "armed_group" and a["parent"] is None and a["colour"]]
    assert len(named) == len(set(named))  # no two unrelated armed groups share a colour
