"""POST /documents: guarded by a bearer token from configuration; read by the same readers as `ingest`."""

from __future__ import annotations

import json
from typing import Any

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


def _report(n: int, **changes: object) -> dict[str, object]:
    return {**REPORT, "id": f"wire-{n}", "url": f"https://example.org/wire-{n}", "text": f"Report {n}. {REPORT['text']}",
            **changes}  # fmt: skip


def post_json(client: TestClient, body: object) -> Any:
    # json.dumps writes an unpaired surrogate as its \u escape, as a hostile client would send it
    data = json.dumps(body)
    return client.post("/documents", content=data, headers={**auth(TOKEN), "Content-Type": "application/json"})


def test_a_list_with_bad_documents_reports_each_item_and_stores_the_good_ones(
    writer: TestClient, scenario_store: Store
) -> None:
    body = [
        _report(0),
        {"id": "no-text", "title": "t"},  # not a document: the reader rejects the entry
        _report(2, id="\udfff"),  # an id no store can hold
        _report(3, id="x" * 600),  # an id over the limit
        _report(4, date="0001-01-01"),  # a year-1 publication: stored undated, with a warning
        "not an object",
        _report(0),  # the first one again
        _report(7),
    ]
    r = post_json(writer, body)
    assert r.status_code == 201, r.text
    answer = r.json()
    items = answer["items"]
    assert len(items) == len(body)  # items[i] answers the list's i-th element
    assert [i["status"] for i in items] == [
        "new", "rejected", "rejected", "rejected", "new", "rejected", "duplicate", "new"
    ]  # fmt: skip
    assert [i["id"] for i in items if i["status"] != "rejected"] == ["wire-0", "wire-4", "wire-0", "wire-7"]
    assert items[1]["path"] == "upload.json#2" and "'text'" in items[1]["reason"]
    assert items[2]["id"] == "\\udfff" and "UTF-16" in items[2]["reason"]
    assert "512" in items[3]["reason"]
    assert items[5]["path"] == "upload.json#6" and "JSON object" in items[5]["reason"]
    assert all(i["reason"] is None for i in items if i["status"] != "rejected")
    assert "year 1" in items[4]["warnings"][0]
    # the totals and the older keys keep their meaning; `documents` lists only what is in the store
    assert answer["summary"] == {"read": 6, "new": 3, "duplicate": 1, "revision": 0, "rejected": 4, "claims": 3}
    assert answer["documents"] == ["wire-0", "wire-4", "wire-0", "wire-7"]
    assert len(answer["rejections"]) == 4
    for ident in ("wire-0", "wire-4", "wire-7"):
        assert scenario_store.document(ident) is not None
    assert scenario_store.document("x" * 600) is None
    assert {p for p, _, _ in scenario_store.rejections()} >= {"upload.json#2", "upload.json#6"}


def test_a_failure_on_one_item_is_that_items_rejection_and_the_batch_goes_on(
    writer: TestClient, scenario_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Store, path: str, reason: str) -> None:
        raise RuntimeError("rejections table on fire")

    monkeypatch.setattr(Store, "add_rejection", broken)
    with TestClient(writer.app, raise_server_exceptions=False) as quiet:  # type: ignore[arg-type]
        r = post_json(quiet, [_report(0), {"id": "no-text"}, _report(2)])
    assert r.status_code == 201, r.text
    items = r.json()["items"]
    assert [i["status"] for i in items] == ["new", "rejected", "new"]
    assert "internal error" in items[1]["reason"] and "on fire" not in items[1]["reason"]
    assert scenario_store.document("wire-2") is not None


def test_a_list_of_which_nothing_can_be_stored_is_refused_whole(writer: TestClient) -> None:
    r = post_json(writer, [_report(0, id="\udfff"), _report(1, id="y" * 600)])
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "rejected" and len(error["detail"]) == 2


# --- the upload limit is enforced while the body is read -------------------------------------------------

CHUNK = 64 * 1024


def _post_chunked(app: Any, content_type: str, prefix: bytes, total: int) -> tuple[Any, int]:
    """POST a chunked body (no Content-Length) of about `total` bytes through an in-process ASGI transport,
    which hands the app each chunk only when the app asks for it. Returns the response and the bytes pulled."""
    import asyncio

    import httpx

    pulled = 0

    async def body() -> Any:
        nonlocal pulled
        chunks = [prefix, *([b"a" * CHUNK] * ((total - len(prefix)) // CHUNK))]
        for chunk in chunks:
            pulled += len(chunk)
            yield chunk

    async def go() -> Any:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sitroom.test") as http:
            headers = {**auth(TOKEN), "Content-Type": content_type}
            return await http.post("/documents", content=body(), headers=headers)

    response = asyncio.run(go())
    return response, pulled


@pytest.mark.parametrize(
    ("content_type", "prefix"),
    [
        ("application/json", b'{"id": "big", "text": "'),
        (
            "multipart/form-data; boundary=XyZ",
            b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n',
        ),
    ],
)
def test_a_chunked_upload_over_the_limit_is_refused_once_the_limit_is_read(
    scenario_store: Store, content_type: str, prefix: bytes
) -> None:
    from sitroom.api.write import MAX_UPLOAD_BYTES

    app = create_app(store=scenario_store, token=TOKEN, extractor="none")
    r, pulled = _post_chunked(app, content_type, prefix, 64 * 2**20)
    assert r.status_code == 413, r.text
    assert r.json()["error"]["code"] == "payload_too_large"
    assert "16 MiB" in r.json()["error"]["message"]
    # Reading stopped at the limit (plus the chunk that crossed it), not at the end of the 64 MiB body.
    assert pulled <= MAX_UPLOAD_BYTES + CHUNK + len(prefix)


def test_a_chunked_upload_under_the_limit_is_read(scenario_store: Store) -> None:
    app = create_app(store=scenario_store, token=TOKEN, extractor="none")
    report = json.dumps({**REPORT, "id": "chunked-1"}).encode()
    r, _ = _post_chunked(app, "application/json", report, len(report))
    assert r.status_code == 201, r.text
    assert scenario_store.document("chunked-1") is not None
