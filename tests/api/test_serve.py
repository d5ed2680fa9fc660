"""`sitroom serve`: builds the app over the store it is given and hands it to uvicorn, in one process or in
several (`--workers`) that really share the load."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from sitroom.cli import serve as serve_module
from sitroom.cli.serve import default_workers, serve


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
    result = CliRunner().invoke(
        serve, ["--db", str(db), "--host", "127.0.0.1", "--port", "8123", "--workers", "1"], obj={}
    )
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
    result = CliRunner().invoke(serve, ["--db", str(tmp_path / "s.db"), "--workers", "1"], obj={})
    assert result.exit_code == 0, result.output
    assert seen["app"].state.token == "tok"


def test_serve_with_workers_hands_uvicorn_the_app_factory_with_store_and_token_in_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    seen: dict[str, Any] = {}

    def fake_run(app: Any, **kw: Any) -> None:
        seen.update(kw, app=app, db=os.environ.get("SITROOM_DB"), token=os.environ.get("SITROOM_API_TOKEN"))

    monkeypatch.setattr(uvicorn, "run", fake_run)
    prepared: list[str | None] = []
    monkeypatch.setattr(serve_module, "_in_a_child", lambda fn, db: prepared.append(db))
    # The command sets both for its workers: monkeypatch puts back what was there before.
    monkeypatch.delenv("SITROOM_DB", raising=False)
    monkeypatch.delenv("SITROOM_API_TOKEN", raising=False)
    db = str(tmp_path / "w.db")
    result = CliRunner().invoke(serve, ["--db", db, "--workers", "3"], obj={})
    assert result.exit_code == 0, result.output
    assert seen["app"] == "sitroom.api:create_app" and seen["factory"] is True and seen["workers"] == 3
    assert (seen["db"], seen["token"]) == (db, "")  # an empty token: read-only, as with one worker
    assert prepared == [db] and Path(db).exists()  # migrated before the workers start


def test_the_default_is_one_worker_per_core_and_at_most_four(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    assert default_workers() == 2
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(32)), raising=False)
    assert default_workers() == serve_module.MAX_DEFAULT_WORKERS == 4


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as fh:
            found.update(int(c) for c in fh.read().split())
    return found


def _owner_of_connection(server_port: int, client_port: int, pids: set[int]) -> int | None:
    """The process holding the server's end of the loopback connection from `client_port` (Linux /proc)."""
    inode = None
    with open("/proc/net/tcp") as fh:
        for line in fh.readlines()[1:]:
            fields = line.split()
            local, remote = fields[1], fields[2]
            if local.endswith(f":{server_port:04X}") and remote.endswith(f":{client_port:04X}"):
                inode = fields[9]
    if inode is None:
        return None
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]":
                    return pid
        except OSError:
            continue
    return None


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="finds who holds a connection through Linux's /proc")
def test_serve_with_two_workers_answers_from_two_processes(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("SITROOM_API_TOKEN", "SITROOM_DB")}
    command = [sys.executable, "-m", "sitroom", "--db", str(tmp_path / "s.db"), "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--workers", "2"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    connections: list[socket.socket] = []
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, "the server exited"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/meta", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        workers = _children(server.pid)
        answered_by: set[int] = set()
        # Each worker accepts connections from the shared socket; new connections, each answered and kept
        # open, until two different processes hold one (which one accepts is up to the kernel).
        for _ in range(200):
            conn = socket.create_connection(("127.0.0.1", port))
            connections.append(conn)
            conn.sendall(b"GET /meta HTTP/1.1\r\nHost: test\r\n\r\n")
            assert conn.recv(65536).startswith(b"HTTP/1.1 200")
            owner = _owner_of_connection(port, conn.getsockname()[1], workers)
            if owner is not None:
                answered_by.add(owner)
            if len(answered_by) == 2:
                break
        assert len(answered_by) == 2 and answered_by <= workers
    finally:
        for conn in connections:
            conn.close()
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
