"""POST /documents: guarded by a bearer token from configuration; read by the same readers as `ingest`."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from sitroom.api import create_app
from sitroom.store import Store

TOKEN = "s3cret-test-token"  # the token the `writer` fixture configures

REPORT = {
    "id": "wire-homs-1207",
    "title": "Fighting near Homs",
    "date": "2024-12-07T08:30:00Z",
    "url": "https://example.org/wire-homs-1207",
    "outlet": "Test Wire",
    "text": "Opposition fighters reached the outskirts of Homs on Saturday, a war monitor said.",
}


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_without_a_configured_token_writing_is_disabled(client: TestClient) -> None:
    r = client.post("/documents", json=REPORT, headers=auth("anything"))
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "write_disabled"
    assert "SITROOM_API_TOKEN" in r.json()["error"]["message"]


def test_a_missing_token_is_rejected(writer: TestClient, scenario_store: Store) -> None:
    r = writer.post("/documents", json=REPORT)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert r.headers["www-authenticate"] == "Bearer"
    assert scenario_store.document("wire-homs-1207") is None


@pytest.mark.parametrize("header", ["Bearer wrong-token", f"Basic {TOKEN}", "Bearer ", TOKEN])
def test_a_wrong_token_is_rejected(writer: TestClient, scenario_store: Store, header: str) -> None:
    r = writer.post("/documents", json=REPORT, headers={"Authorization": header})
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert scenario_store.document("wire-homs-1207") is None


def test_the_token_can_come_from_the_environment(scenario_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITROOM_API_TOKEN", "from-env")
    with TestClient(create_app(store=scenario_store)) as c:
        assert c.get("/meta").json()["write_enabled"] is True
        assert c.post("/documents", json=REPORT, headers=auth("nope")).status_code == 401


def test_the_right_token_stores_a_json_document(writer: TestClient, scenario_store: Store) -> None:
    r = writer.post("/documents", json=REPORT, headers=auth(TOKEN))
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["summary"]["new"] == 1 and body["documents"] == ["wire-homs-1207"]
    stored = scenario_store.document("wire-homs-1207")
    assert stored is not None and stored.document.outlet == "Test Wire"
    assert writer.get("/documents/wire-homs-1207").json()["text"] == REPORT["text"]
    # what the server wrote itself is in its answers at once, with no freshness lag
    assert "wire-homs-1207" in [d["id"] for d in writer.get("/documents", params={"since": "2024-12-07"}).json()]
    served = writer.get("/claims", params={"document": "wire-homs-1207"}).json()
    assert [c["evidence"]["text"] for c in served] == [REPORT["text"]]  # extracted on the way in, and served
    assert body["summary"]["claims"] == 1
    again = writer.post("/documents", json=REPORT, headers=auth(TOKEN)).json()
    assert again["summary"]["duplicate"] == 1 and again["summary"]["new"] == 0


def test_an_uploaded_file_is_read_by_its_extension(writer: TestClient, scenario_store: Store) -> None:
    files = [
        (
            "file",
            (
                "wire.jsonl",
                "\n".join(json.dumps({**REPORT, "id": f"w{i}", "url": f"https://example.org/w{i}"}) for i in range(2)),
                "application/json",
            ),
        ),
    ]
    r = writer.post("/documents", files=files, headers=auth(TOKEN))
    assert r.status_code == 201, r.text
    assert sorted(r.json()["documents"]) == ["w0", "w1"]
    assert scenario_store.document("w1") is not None


def test_an_unreadable_upload_is_rejected_by_name(writer: TestClient) -> None:
    files = [("file", ("../../etc/notes.json", b"{not json", "application/json"))]
    r = writer.post("/documents", files=files, headers=auth(TOKEN))
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "rejected"
    assert error["detail"][0]["path"] == "../../etc/notes.json"


def test_a_body_of_another_type_is_refused(writer: TestClient) -> None:
    r = writer.post("/documents", content=b"hello", headers={**auth(TOKEN), "Content-Type": "text/plain"})
    assert r.status_code == 415 and r.json()["error"]["code"] == "unsupported_media_type"


def test_an_upload_goes_through_the_default_extractor(scenario_store: Store) -> None:
    with TestClient(create_app(store=scenario_store, token=TOKEN)) as c:
        r = c.post("/documents", json=REPORT, headers=auth(TOKEN))
        assert r.status_code == 201, r.text
        served = c.get("/claims", params={"document": "wire-homs-1207"}).json()
    assert len(served) == r.json()["summary"]["claims"]
    assert all(c["extractor"] == "rules.v1" for c in served)
