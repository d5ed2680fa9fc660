"""Every GET endpoint of the OpenAPI schema, with hostile query parameters: an answer (2xx, 3xx, 4xx in the one
error shape), never a 500. Endpoints and their parameters are read from the app's own schema, so a new endpoint
is fuzzed without a line here. The run is seeded (CI reproduces it); SITROOM_FUZZ_EXAMPLES=N runs longer.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

EXAMPLES = int(os.environ.get("SITROOM_FUZZ_EXAMPLES", "60"))
TRIED: dict[str, int] = {}

# values a hostile or careless client sends: dates at and beyond the calendar's ends, numbers past every int,
# control characters, surrogate escapes, SQL and path fragments, very long strings
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "99999999999999999999999",
    "²",
    "1e309",
    "NaN",
    "0001-01-01",
    "9999-12-31T23:59:59-05:00",
    "2024-02-30",
    "2024-12-06junk",
    "../../etc/passwd",
    "' OR 1=1 --",
    "%00",
    "\x00",
    "Ḩamāh",
    "حلب",
    "a" * 5000,
    "-180,-90,180,90",
    "1,2,3",
    "nan,nan,nan,nan",
]


def _get_endpoints(schema: dict[str, Any]) -> list[tuple[str, list[str]]]:
    out = []
    for path, ops in schema["paths"].items():
        op = ops.get("get")
        if op is None or "{" in path:
            continue
        params = [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"]
        out.append((path, params))
    return sorted(out)


def _app_schema() -> dict[str, Any]:
    from sitroom.api.app import create_app

    return create_app().openapi()  # type: ignore[no-any-return]


ENDPOINTS = _get_endpoints(_app_schema())


def test_the_schema_lists_the_read_endpoints() -> None:
    paths = {p for p, _ in ENDPOINTS}
    assert {"/claims", "/events", "/control", "/documents", "/sitrep"} <= paths


@pytest.mark.parametrize(("path", "params"), ENDPOINTS, ids=[p for p, _ in ENDPOINTS])
def test_no_query_makes_a_server_error(client: TestClient, path: str, params: list[str]) -> None:
    if not params:
        pytest.skip(f"{path} takes no query parameter")
    quiet = TestClient(client.app, raise_server_exceptions=False)  # type: ignore[arg-type]
    # (a lone surrogate cannot be put in a URL by any client; invalid UTF-8 in the raw query is tried below)
    value = hs.one_of(hs.sampled_from(NASTY), hs.text(hs.characters(blacklist_categories=("Cs",)), max_size=40))
    query = hs.dictionaries(hs.sampled_from(params), value, min_size=1, max_size=len(params))

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
    @given(query)
    def check(q: dict[str, str]) -> None:
        TRIED[path] = TRIED.get(path, 0) + 1
        r = quiet.get(path, params=q)
        assert r.status_code < 500, f"{path} {q!r}: {r.status_code} {r.text[:300]}"
        if r.status_code >= 400:
            body = r.json()
            assert set(body) == {"error"} and re.fullmatch(r"[a-z_]+", body["error"]["code"]), body

    check()


@pytest.mark.parametrize(("path", "params"), ENDPOINTS, ids=[p for p, _ in ENDPOINTS])
def test_invalid_utf8_in_the_raw_query_is_no_server_error(client: TestClient, path: str, params: list[str]) -> None:
    quiet = TestClient(client.app, raise_server_exceptions=False)  # type: ignore[arg-type]
    for name in params:
        for raw in ("%ED%A0%80", "%FF%FE", "%C0%AF", "%00"):
            r = quiet.get(f"{path}?{name}={raw}")
            assert r.status_code < 500, f"{path}?{name}={raw}: {r.status_code} {r.text[:300]}"


@pytest.mark.parametrize("place", ["99999999999999999999999", "²", "٣"])
def test_a_place_that_looks_like_no_geonames_id_matches_nothing(client: TestClient, place: str) -> None:
    # found by the fuzz run: a 23-digit "id" overflowed SQLite's integer (500); "²" is a digit to str.isdigit
    quiet = TestClient(client.app, raise_server_exceptions=False)  # type: ignore[arg-type]
    for path in ("/claims", "/events", "/control", "/figures"):
        r = quiet.get(path, params={"place": place})
        assert r.status_code == 200 and r.json() == [], (path, r.status_code, r.text[:200])
