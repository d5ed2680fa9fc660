"""`sitroom serve`: builds the app over the store it is given and hands it to uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sitroom.cli.serve import serve


def test_serve_runs_uvicorn_on_the_given_address_over_the_given_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    seen: dict[str, Any] = {}

    def fake_run(app: Any, host: str, port: int, **_kw: Any) -> None:
        seen.update(app=app, host=host, port=port)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.delenv("SITROOM_API_TOKEN", raising=False)
    db = tmp_path / "served.db"
    result = CliRunner().invoke(serve, ["--db", str(db), "--host", "127.0.0.1", "--port", "8123"], obj={})
    assert result.exit_code == 0, result.output
    assert (seen["host"], seen["port"]) == ("127.0.0.1", 8123)
    assert seen["app"].state.token is None  # read-only without a token
    assert seen["app"].state.store.engine.url.database == str(db.resolve())
    assert db.exists()


def test_serve_takes_the_write_token_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **_kw: seen.update(app=app))
    monkeypatch.setenv("SITROOM_API_TOKEN", "tok")
    result = CliRunner().invoke(serve, ["--db", str(tmp_path / "s.db")], obj={})
    assert result.exit_code == 0, result.output
    assert seen["app"].state.token == "tok"
