"""Days and moments in query parameters: a bad one (malformed, trailing junk, or a year that overflows date
arithmetic) is a 422 in the one error shape naming the parameter, on every endpoint that takes one; never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

DAY_PARAMS = ("at", "since", "until")
MOMENT_PARAMS = ("known_at",)
DATE_PARAMS = DAY_PARAMS + MOMENT_PARAMS

# Every GET endpoint and the date parameters it takes. `test_every_date_parameter_is_covered` keeps this list
# honest against the OpenAPI schema, so a new endpoint that takes a date is tested here too.
ENDPOINTS: dict[str, tuple[str, ...]] = {
    "/documents": ("since", "until", "known_at"),
    "/claims": DATE_PARAMS,
    "/events": DATE_PARAMS,
    "/control": DATE_PARAMS,
    "/control.geojson": DATE_PARAMS,
    "/advisories": DATE_PARAMS,
    "/transport": DATE_PARAMS,
    "/figures": DATE_PARAMS,
    "/sitrep": ("at", "known_at"),
    "/route": ("at", "known_at"),
    "/roads.geojson": ("at", "known_at"),
    "/provinces": ("at", "known_at"),
}
# What an endpoint needs besides its dates to answer at all.
REQUIRED: dict[str, dict[str, str]] = {"/route": {"from": "Homs", "to": "Hama"}}

EXTREME = [
    "0001-01-01T00:00:00+14:00",  # no UTC equivalent
    "9999-12-31T23:59:59-05:00",  # past the end of the calendar in UTC
    "0001-01-01",  # a day before which nothing exists
    "9999-12-31",  # a day after which nothing exists
    "1899-12-31",
    "2200-01-01",
]
MALFORMED = ["2024-12-06junk", "2024-12-06T10:00junk", "20241206", "soon", "2024-13-45"]

CASES = [
    pytest.param(path, name, value, id=f"{path}?{name}={value}")
    for path, names in ENDPOINTS.items()
    for name in names
    for value in EXTREME + MALFORMED
]


def quiet(client: TestClient) -> TestClient:
    """The same app, answering a server error with its 500 instead of raising it into the test."""
    return TestClient(client.app, raise_server_exceptions=False)  # type: ignore[arg-type]


def assert_bad_parameter(body: Any, name: str) -> str:
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "detail"}
    assert error["code"] == "invalid_parameter"
    assert error["detail"] == {"parameter": name}
    assert error["message"].startswith(f"{name}: ")
    return str(error["message"])


@pytest.mark.parametrize(("path", "name", "value"), CASES)
def test_a_bad_date_parameter_is_a_422_naming_it(client: TestClient, path: str, name: str, value: str) -> None:
    r = quiet(client).get(path, params={**REQUIRED.get(path, {}), name: value})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/json")
    message = assert_bad_parameter(r.json(), name)
    assert repr(value) in message


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_an_out_of_range_date_says_which_years_are_supported(client: TestClient, path: str) -> None:
    r = client.get(path, params={**REQUIRED.get(path, {}), "known_at": "0001-01-01T00:00:00+14:00"})
    message = assert_bad_parameter(r.json(), "known_at")
    assert "1900-2199" in message and "year 1" in message


def test_trailing_junk_after_a_day_is_not_read_as_that_day(client: TestClient) -> None:
    message = assert_bad_parameter(client.get("/events", params={"at": "2024-12-06junk"}).json(), "at")
    assert "is not a date (YYYY-MM-DD)" in message


SUPPORTED = [
    ("at", "1900-01-01"),
    ("at", "2199-12-31"),
    ("since", "1900-01-01"),
    ("until", "2199-12-31"),
    ("known_at", "1900-01-01T00:00:00Z"),
    ("known_at", "2199-12-31T23:59:59Z"),
    ("known_at", "2199-12-31T23:59:59+14:00"),
    ("at", "2024-12-06T10:00"),  # a timestamp stands for its day, as before
]


@pytest.mark.parametrize(
    ("path", "name", "value"),
    [
        pytest.param(path, name, value, id=f"{path}?{name}={value}")
        for path, names in ENDPOINTS.items()
        for name, value in SUPPORTED
        if name in names
    ],
)
def test_dates_at_the_ends_of_the_supported_years_are_answered(
    client: TestClient, path: str, name: str, value: str
) -> None:
    r = quiet(client).get(path, params={**REQUIRED.get(path, {}), name: value})
    assert r.status_code == 200, r.text


def test_every_date_parameter_is_covered(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    taking_dates = {
        path: tuple(sorted(p["name"] for p in op.get("parameters", []) if p["name"] in DATE_PARAMS))
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
        if method == "get"
    }
    taking_dates = {path: names for path, names in taking_dates.items() if names}
    assert taking_dates == {path: tuple(sorted(names)) for path, names in ENDPOINTS.items()}
