"""llm.v1 against a local OpenAI-compatible server that the test starts on 127.0.0.1.

The fake model is a tiny deterministic reader: for each sentence holding "captured" it reports the capture of
the capitalised word after it, quoting the sentence; it also adds one claim whose quote is not in the document
and one of an unknown type, which llm.v1 must drop. Nothing leaves the machine."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.conftest import serving

from sitroom.cli import main as cli
from sitroom.errors import ConfigError, Rejected
from sitroom.extract.llm import CLAIMS_SCHEMA, LLMExtractor
from sitroom.model import Document


class FakeModel:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.fail_with: int | None = None
        self.fence = False

    def answer(self, body: dict[str, Any]) -> dict[str, Any]:
        text = body["messages"][-1]["content"].split("\n\n", 1)[1]
        claims: list[dict[str, Any]] = []
        for sent in re.split(r"(?<=[.!?])\s+", text):
            m = re.search(r"(\w+ \w+)\s+captured\s+([A-Z][\w-]+)", sent)
            if m:
                claim = {"type": "territory_captured", "stance": "asserted", "evidence": sent.strip(), "actor": m[1],
                         "place": m[2], "country": "Syria", "date": "2024-11-29", "source": None}  # fmt: skip
                claims.append(claim)
        claims.append({"type": "territory_captured", "stance": "asserted", "evidence": "Rebels took Paris overnight."})
        claims.append({"type": "coup", "stance": "asserted", "evidence": text.split(".")[0] + "."})
        content = json.dumps({"claims": claims})
        if self.fence:
            content = "```json\n" + content + "\n```"
        return {
            "choices": [{"message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20},
        }


@pytest.fixture()
def server() -> Iterator[tuple[str, FakeModel]]:
    model = FakeModel()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            model.requests.append(body)
            model.headers.append(dict(self.headers))
            if self.path != "/v1/chat/completions" or model.fail_with:
                self.send_response(model.fail_with or 404)
                self.end_headers()
                return
            out = json.dumps(model.answer(body)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        def log_message(self, *args: object) -> None:
            pass

    with serving(Handler) as base:
        yield f"{base}/v1", model


TEXT = (
    "Opposition fighters captured Aleppo on Friday, a monitor said. The army did not comment. "
    "Later, Rebel units captured Saraqib after clashes."
)


def _doc(text: str = TEXT) -> Document:
    return Document(id="d1", text=text, title="Aleppo", outlet="Wire", content_hash=str(hash(text)),
                    published_at=datetime(2024, 11, 30, tzinfo=UTC))  # fmt: skip


def test_claims_are_validated_resolved_and_cached(server: tuple[str, FakeModel], tmp_path: Path) -> None:
    url, model = server
    llm = LLMExtractor(url=url, model="tiny", key="sekret", cache=tmp_path)
    claims = llm.extract(_doc())
    assert [(c.type, c.place.name if c.place else None) for c in claims] == [
        ("territory_captured", "Aleppo"),
        ("territory_captured", "Saraqib"),
    ]
    first = claims[0]
    assert first.extractor == "llm.v1" and first.rule == "territory_captured.llm"
    assert first.place is not None and first.place.country == "SY"
    assert str(first.when.earliest) == "2024-11-29"
    assert TEXT[first.evidence.start : first.evidence.end] == first.evidence.text
    assert first.evidence.text.startswith("Opposition fighters captured Aleppo")
    # the quote that is not in the text and the unknown type are dropped and counted
    assert llm.stats.dropped == {"evidence not in the document": 1, "unknown type": 1}
    assert llm.stats.prompt_tokens == 100 and llm.stats.completion_tokens == 20
    # the request carries the schema as a constrained response format, the model and the key
    body = model.requests[0]
    assert body["model"] == "tiny" and body["temperature"] == 0
    assert body["response_format"]["json_schema"]["schema"] == CLAIMS_SCHEMA
    assert model.headers[0]["Authorization"] == "Bearer sekret"
    # a second read of the same document is answered from the cache
    again = llm.extract(_doc())
    assert [c.id for c in again] == [c.id for c in claims]
    assert len(model.requests) == 1 and llm.stats.cache_hits == 1
    assert "2 claims kept" in llm.stats.line() or "4 claims kept" in llm.stats.line()


def test_a_fenced_answer_is_read(server: tuple[str, FakeModel], tmp_path: Path) -> None:
    url, model = server
    model.fence = True
    claims = LLMExtractor(url=url, cache=tmp_path).extract(_doc())
    assert len(claims) == 2


def test_an_endpoint_error_rejects_the_document_with_its_reason(server: tuple[str, FakeModel], tmp_path: Path) -> None:
    url, model = server
    model.fail_with = 500
    with pytest.raises(Rejected, match="HTTP 500"):
        LLMExtractor(url=url, cache=tmp_path).extract(_doc())
    with pytest.raises(Rejected, match="could not be reached"):
        LLMExtractor(url="http://127.0.0.1:9/v1", cache=tmp_path, timeout=2).extract(_doc())


def test_without_an_endpoint_it_says_what_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITROOM_LLM_URL", raising=False)
    with pytest.raises(ConfigError, match="SITROOM_LLM_URL"):
        LLMExtractor()


def test_eval_compares_llm_with_the_rules_side_by_side(
    server: tuple[str, FakeModel], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = server
    corpus = tmp_path / "set"
    (corpus / "docs").mkdir(parents=True)
    (corpus / "gold").mkdir()
    (corpus / "docs" / "a.json").write_text(
        json.dumps({"id": "a", "title": "Aleppo", "date": "2024-11-30", "outlet": "Wire", "text": TEXT})
    )
    gold = {"doc": "a", "type": "territory_captured", "stance": "asserted", "actor": None,
            "place": {"name": "Aleppo", "lat": 36.2, "lon": 37.16}, "date": "2024-11-29"}  # fmt: skip
    (corpus / "gold" / "claims.jsonl").write_text(json.dumps(gold) + "\n")
    monkeypatch.setenv("SITROOM_LLM_URL", url)
    monkeypatch.setenv("SITROOM_LLM_CACHE", str(tmp_path / "cache"))
    from sitroom.extract import base

    monkeypatch.delitem(base._INSTANCES, "llm.v1", raising=False)  # built from this test's environment
    out = CliRunner().invoke(cli, ["eval", str(corpus), "--extractor", "rules", "--extractor", "llm.v1"])
    assert out.exit_code == 0, out.output
    head = out.output.splitlines()[1].split()
    assert head == ["rules.v1", "llm.v1"]
    row = next(line for line in out.output.splitlines() if line.startswith("claims F1"))
    llm_f1 = float(row.split()[-1])
    assert llm_f1 > 0.0, out.output  # the fake model's Aleppo capture matches the gold line
    assert "llm.v1: 1 requests" in out.output


def test_an_unknown_extractor_is_one_line_on_eval_ingest_and_backfill(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Rebels took Hama on Thursday.\n")
    db = str(tmp_path / "s.db")
    for args in (
        ["eval", str(tmp_path), "--extractor", "nope.v3"],
        ["--db", db, "ingest", str(tmp_path / "a.txt"), "--extractor", "nope.v3"],
        ["--db", db, "backfill", str(tmp_path / "a.txt"), "--extractor", "nope.v3"],
    ):
        out = CliRunner().invoke(cli, args)
        assert out.exit_code != 0, args
        assert "unknown extractor 'nope.v3'" in out.output, out.output
        assert out.exception is None or isinstance(out.exception, SystemExit)
