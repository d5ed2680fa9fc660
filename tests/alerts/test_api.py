"""Subscriptions over HTTP: open reads, token-protected writes, validation errors as the API's error shape."""

from __future__ import annotations

import warnings
from types import ModuleType

import pytest
from fastapi import FastAPI

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from sitroom.api.errors import install_error_handlers
from sitroom.api.subscriptions import router
from sitroom.store import Store

TOKEN = "t0ken"
SPEC = {"id": "leave", "sinks": ["out"], "when": {"advisory": {"area": "Syria", "levels": ["leave"]}}}


@pytest.fixture
def client(kit: ModuleType, store: Store) -> TestClient:
    app = FastAPI()
    app.state.store = store
    app.state.token = TOKEN
    app.state.alert_resolver = kit.resolve
    app.state.alert_actors = kit.ACTORS
    install_error_handlers(app)
    app.include_router(router)
    return TestClient(app)


AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_add_list_replace_and_delete_a_subscription(client: TestClient) -> None:
    assert client.get("/subscriptions").json() == []
    r = client.post("/subscriptions", json=SPEC, headers=AUTH)
    assert r.status_code == 201 and r.json() == SPEC
    assert client.get("/subscriptions").json() == [SPEC]
    changed = {**SPEC, "sinks": ["other"]}
    assert client.post("/subscriptions", json=changed, headers=AUTH).status_code == 200
    assert client.get("/subscriptions").json() == [changed]
    assert client.delete("/subscriptions/leave", headers=AUTH).status_code == 204
    assert client.get("/subscriptions").json() == []
    assert client.delete("/subscriptions/leave", headers=AUTH).json()["error"]["code"] == "not_found"


def test_writes_need_the_token(client: TestClient) -> None:
    assert client.post("/subscriptions", json=SPEC).status_code == 401
    assert client.post("/subscriptions", json=SPEC, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.delete("/subscriptions/leave").status_code == 401
    assert client.get("/subscriptions").json() == []


def test_an_invalid_subscription_says_where(client: TestClient) -> None:
    bad = {"id": "x", "sinks": ["out"], "when": {"event": {"place": "Atlantis"}}}
    r = client.post("/subscriptions", json=bad, headers=AUTH)
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "invalid_subscription"
    assert "when.event.place" in err["message"] and "Atlantis" in err["message"]


def test_a_stored_subscription_reaches_the_engine(kit: ModuleType, store: Store, client: TestClient) -> None:
    from sitroom.alerts import AlertEngine
    from sitroom.alerts.sinks import FileSink

    client.post("/subscriptions", json=SPEC, headers=AUTH)
    engine = AlertEngine(store, [], {"out": FileSink("/dev/null")}, kit.ACTORS, kit.resolve)
    assert [s.id for s in engine.subscriptions()] == ["leave"]
