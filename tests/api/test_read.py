"""Documents and claims over HTTP: the CLI's filters, pagination with X-Total-Count, the contract shapes."""

from __future__ import annotations

from fastapi.testclient import TestClient


def ids(items: list[dict]) -> list[str]:
    return [i["id"] for i in items]


def test_documents_are_listed_oldest_first_with_the_contract_shape(client: TestClient) -> None:
    r = client.get("/documents")
    assert r.status_code == 200
    docs = r.json()
    assert r.headers["x-total-count"] == "8"
    assert ids(docs)[0] == "orontes-offensive-1127" and ids(docs)[-1] == "hostile-homs-1208"
    assert set(docs[0]) == {"id", "title", "date", "url", "outlet", "language", "content_hash", "ingested_at"}
    assert docs[0]["date"] == "2024-11-27"


def test_documents_are_paged_and_the_total_counts_every_match(client: TestClient) -> None:
    first = client.get("/documents", params={"limit": 3})
    second = client.get("/documents", params={"limit": 3, "offset": 3})
    assert first.headers["x-total-count"] == second.headers["x-total-count"] == "8"
    assert len(first.json()) == 3 and len(second.json()) == 3
    assert not set(ids(first.json())) & set(ids(second.json()))
    beyond = client.get("/documents", params={"offset": 50})
    assert beyond.json() == [] and beyond.headers["x-total-count"] == "8"


def test_documents_known_at_hides_reports_published_later(client: TestClient) -> None:
    r = client.get("/documents", params={"known_at": "2024-12-05T15:00"})
    assert ids(r.json()) == [
        "orontes-offensive-1127",
        "orontes-aleppo-1130",
        "steppe-aleppo-1201",
        "compass-hama-1205",
    ]


def test_documents_since_until_and_ids_filter(client: TestClient) -> None:
    r = client.get("/documents", params={"since": "2024-12-05", "until": "2024-12-06"})
    assert ids(r.json()) == ["compass-hama-1205", "harbour-hama-1205", "amman-advisory-1206"]
    r = client.get("/documents", params=[("id", "ocha-flash-1207"), ("id", "orontes-aleppo-1130")])
    assert sorted(ids(r.json())) == ["ocha-flash-1207", "orontes-aleppo-1130"]


def test_one_document_comes_with_its_text(client: TestClient) -> None:
    r = client.get("/documents/compass-hama-1205")
    assert r.status_code == 200
    doc = r.json()
    assert doc["text"].startswith("Hayat Tahrir al-Sham announced")
    assert doc["revision"] == 1 and doc["outlet"] == "Compass News"


def test_claims_carry_the_contract_shape_with_evidence_offsets_into_the_text(client: TestClient) -> None:
    claims = client.get("/claims", params={"document": "compass-hama-1205"}).json()
    assert [c["stance"] for c in claims] == ["announced", "denied"]
    text = client.get("/documents/compass-hama-1205").json()["text"]
    for c in claims:
        assert text[c["evidence"]["start"] : c["evidence"]["end"]] == c["evidence"]["text"]
    assert claims[1]["attributed_to"] == {"id": "syrian_defence_ministry", "name": "Syrian Ministry of Defense"}
    assert claims[0]["place"]["geonameid"] == 170017 and claims[0]["date"] == "2024-12-05"


def test_claims_filter_by_type_place_and_actor(client: TestClient) -> None:
    by_type = client.get("/claims", params={"type": "travel_advisory"}).json()
    assert ids(by_type) == ["amman-advisory-1206-c1"]
    by_place_name = client.get("/claims", params={"place": "hama"}).json()
    by_place_id = client.get("/claims", params={"place": "170017"}).json()
    assert ids(by_place_name) == ids(by_place_id) and len(by_place_id) == 3
    # actor matches the actor, the target or the speaker
    by_speaker = client.get("/claims", params={"actor": "sohr"}).json()
    assert ids(by_speaker) == ["steppe-aleppo-1201-c1", "harbour-hama-1205-c1"]
    by_name = client.get("/claims", params={"actor": "Hayat Tahrir al-Sham", "place": "Hama"}).json()
    assert ids(by_name) == ["compass-hama-1205-c1", "compass-hama-1205-c2"]


def test_claims_since_until_overlap_the_claims_date_range(client: TestClient) -> None:
    # The monitor's Aleppo claim is dated 29 Nov - 1 Dec: it overlaps a window that starts on 1 Dec.
    r = client.get("/claims", params={"since": "2024-12-01", "until": "2024-12-04"}).json()
    assert ids(r) == ["steppe-aleppo-1201-c1"]


def test_claims_at_a_day_are_those_dated_by_it_and_known_at_replays(client: TestClient) -> None:
    # `at` is the day asked about: the monitor's claim dated 29 Nov - 1 Dec (reported on 1 Dec) counts.
    r = client.get("/claims", params={"at": "2024-11-30"}).json()
    assert set(ids(r)) == {
        "orontes-offensive-1127-c1", "orontes-aleppo-1130-c1", "orontes-aleppo-1130-c2", "steppe-aleppo-1201-c1"
    }  # fmt: skip
    # What was known by the end of that day leaves the 1 Dec report out.
    r = client.get("/claims", params={"at": "2024-11-30", "known_at": "2024-11-30T23:59:59Z"}).json()
    assert ids(r) == ["orontes-offensive-1127-c1", "orontes-aleppo-1130-c1", "orontes-aleppo-1130-c2"]
    # The 20:00 report on Hama is not yet known at 15:00.
    r = client.get("/claims", params={"at": "2024-12-05", "known_at": "2024-12-05T15:00:00Z", "place": "Hama"}).json()
    assert ids(r) == ["compass-hama-1205-c1", "compass-hama-1205-c2"]


def test_claims_known_at_with_an_offset_is_read_in_utc(client: TestClient) -> None:
    # 22:00 at +03:00 is 19:00 UTC: before the Harbour Times report of 20:00 UTC.
    r = client.get("/claims", params={"known_at": "2024-12-05T22:00+03:00", "place": "Hama"}).json()
    assert "harbour-hama-1205-c1" not in ids(r)
    r = client.get("/claims", params={"known_at": "2024-12-05T23:00+03:00", "place": "Hama"}).json()
    assert "harbour-hama-1205-c1" in ids(r)


def test_claims_bbox_keeps_only_claims_inside_the_box(client: TestClient) -> None:
    around_aleppo = "36.5,35.8,37.6,36.6"
    r = client.get("/claims", params={"bbox": around_aleppo}).json()
    assert {c["place"]["name"] for c in r} == {"Aleppo"} and len(r) == 4


def test_claims_by_id_and_paging(client: TestClient) -> None:
    r = client.get("/claims", params=[("id", "ocha-flash-1207-c1"), ("id", "compass-hama-1205-c2")])
    assert sorted(ids(r.json())) == ["compass-hama-1205-c2", "ocha-flash-1207-c1"]
    page = client.get("/claims", params={"limit": 2, "offset": 1})
    assert page.headers["x-total-count"] == "11" and len(page.json()) == 2


def test_meta_gives_the_publication_range_for_the_time_slider(client: TestClient) -> None:
    meta = client.get("/meta").json()
    assert meta["first_day"] == "2024-11-27" and meta["last_day"] == "2024-12-08"
    assert meta["counts"]["documents"] == 8 and meta["write_enabled"] is False


def test_openapi_schema_lists_every_endpoint(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/documents",
        "/claims",
        "/events",
        "/control",
        "/control.geojson",
        "/advisories",
        "/transport",
        "/figures",
        "/sitrep",
    ):
        assert "get" in paths[path], path
    assert "post" in paths["/documents"]
    assert client.get("/docs").status_code == 200


def test_the_page_is_served_with_a_policy_that_forbids_foreign_scripts(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert client.get("/static/app.js").status_code == 200


def test_ontology_lists_every_event_type_with_its_colour_and_acled_coding(client: TestClient) -> None:
    kinds = {k["type"]: k for k in client.get("/ontology").json()}
    assert list(kinds)[:4] == ["offensive", "armed_clash", "advance", "territory_captured"]
    captured = kinds["territory_captured"]
    assert captured["control"] == "capture" and captured["name"] == "territory captured"
    assert captured["acled"] == ["Battles", "Non-state actor overtakes territory"]
    assert kinds["travel_advisory"]["acled"] is None
    assert all(k["colour"].startswith("#") for k in kinds.values())


def test_a_type_a_table_never_holds_is_a_422(client: TestClient) -> None:
    r = client.get("/advisories", params={"type": "protest"})
    assert r.status_code == 422 and "travel_advisory" in r.json()["error"]["message"]
    assert client.get("/figures", params={"type": "casualties"}).status_code == 200
