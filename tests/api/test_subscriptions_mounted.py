"""The served app carries the subscriptions endpoints, behind the same token as every write."""

from __future__ import annotations

import warnings
from pathlib import Path

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from sitroom.api import create_app

SPEC = {"id": "leave", "sinks": ["console"], "when": {"advisory": {"area": "Syria", "levels": ["leave"]}}}


def test_subscriptions_are_served_and_writes_need_the_token(tmp_path: Path) -> None:
    client = TestClient(create_app(str(tmp_path / "s.db"), token="t0ken"))
    assert client.get("/subscriptions").json() == []
    refused = client.post("/subscriptions", json=SPEC)
    assert refused.status_code == 401 and "error" in refused.json()
    assert client.post("/subscriptions", json=SPEC, headers={"Authorization": "Bearer t0ken"}).status_code == 201
    assert [s["id"] for s in client.get("/subscriptions").json()] == ["leave"]
    assert "/subscriptions" in client.get("/openapi.json").json()["paths"]
