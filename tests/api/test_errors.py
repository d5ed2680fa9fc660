"""Every error the API returns has one shape: {"error": {"code", "message", "detail"}}. Pinned here."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient


def assert_error_shape(body: Any, code: str) -> dict[str, Any]:
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "detail"}, error
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    return error  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("method", "path", "params", "status", "code"),
    [
        ("get", "/no/such/thing", {}, 404, "not_found"),
        ("get", "/documents/not-a-document", {}, 404, "not_found"),
        ("get", "/claims", {"since": "last tuesday"}, 422, "invalid_parameter"),
        ("get", "/claims", {"known_at": "soon"}, 422, "invalid_parameter"),
        ("get", "/claims", {"bbox": "1,2,3"}, 422, "invalid_parameter"),
        ("get", "/claims", {"bbox": "40,10,30,20"}, 422, "invalid_parameter"),
        ("get", "/claims", {"type": "picnic"}, 422, "invalid_parameter"),
        ("get", "/claims", {"limit": "0"}, 422, "invalid_parameter"),
        ("get", "/documents", {"offset": "-1"}, 422, "invalid_parameter"),
        ("get", "/events", {"limit": "many"}, 422, "invalid_parameter"),
        ("get", "/sitrep", {"format": "docx"}, 422, "invalid_parameter"),
        ("delete", "/claims", {}, 405, "method_not_allowed"),
        ("post", "/documents", {}, 403, "write_disabled"),
    ],
)
def test_errors_share_one_shape(
    client: TestClient, method: str, path: str, params: dict, status: int, code: str
) -> None:
    r = client.request(method, path, params=params)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/json")
    assert_error_shape(r.json(), code)


def test_a_bad_parameter_is_named_in_the_message_and_detail(client: TestClient) -> None:
    error = assert_error_shape(client.get("/claims", params={"until": "2024-13-45"}).json(), "invalid_parameter")
    assert "until" in error["message"] and error["detail"] == {"parameter": "until"}
    error = assert_error_shape(client.get("/claims", params={"limit": "0"}).json(), "invalid_parameter")
    assert "limit" in error["message"] and isinstance(error["detail"], list)


def test_an_unknown_type_lists_the_allowed_ones(client: TestClient) -> None:
    error = assert_error_shape(client.get("/events", params={"type": "picnic"}).json(), "invalid_parameter")
    assert "territory_captured" in error["detail"]["allowed"]


def test_an_unexpected_failure_is_a_500_in_the_same_shape(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitroom.store import Store

    def broken(self: Store, **_kw: Any) -> list:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Store, "documents", broken)
    with TestClient(client.app, raise_server_exceptions=False) as quiet:  # type: ignore[arg-type]
        r = quiet.get("/documents")
    assert r.status_code == 500
    error = assert_error_shape(r.json(), "internal_error")
    assert "disk on fire" not in error["message"]  # internals stay in the server log
