"""`sitroom ingest URL`: a page or a feed read once over HTTP, with the watch's limits; failures named by URL."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import serving

from sitroom.cli import main
from sitroom.store import Store

PAGE = """<!doctype html><html><head><title>Rebels enter Hama</title></head><body><article>
<h1>Rebels enter Hama</h1><p>Published 5 December 2024.</p>
<p>Opposition fighters led by Hayat Tahrir al-Sham captured the city of Hama on Thursday after days of fighting,
the Syrian Observatory for Human Rights said. The army said it had redeployed its units outside the city to
protect civilians. Thousands of residents fled south towards Homs as the fighting reached the northern
districts, according to residents reached by telephone.</p></article></body></html>"""

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>
<item><title>Aleppo airport closed</title><link>https://example.org/a1</link><guid>a1</guid>
<pubDate>Sat, 30 Nov 2024 10:00:00 GMT</pubDate>
<description>Aleppo International Airport was closed to all flights on Saturday, the transport ministry said.</description></item>
<item><title>Saraqib taken</title><link>https://example.org/a2</link><guid>a2</guid>
<pubDate>Fri, 29 Nov 2024 18:00:00 GMT</pubDate>
<description>Rebels took the town of Saraqib on Friday, the monitor said.</description></item>
</channel></rss>"""


ROUTES = {"/hama.html": ("text/html; charset=utf-8", PAGE), "/desk.rss": ("application/rss+xml", FEED)}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path not in ROUTES:
            self.send_error(404)
            return
        kind, body = ROUTES[self.path]
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    with serving(_Handler) as base:
        yield base


def test_a_page_and_a_feed_are_read_from_their_urls(server: str, tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    r = CliRunner().invoke(
        main, ["--db", db, "ingest", f"{server}/hama.html", f"{server}/desk.rss", "--allow-host", "127.0.0.1"]
    )
    assert r.exit_code == 0, r.output
    assert "3 read, 3 new" in r.output
    with Store.open(db) as store:
        docs = {d.document.id: d.document for d in store.documents()}
        page = docs[f"{server}/hama.html"]
        assert page.url == f"{server}/hama.html" and "Hama" in page.title
        claims = store.claims()
    assert any(c.type == "territory_captured" and c.place and c.place.name == "Hama" for c in claims)
    assert any(c.type == "transport_status" and c.status == "closed" for c in claims)
    # read again: nothing new
    again = CliRunner().invoke(main, ["--db", db, "ingest", f"{server}/hama.html", "--allow-host", "127.0.0.1"])
    assert "1 duplicate" in again.output


def test_an_internal_address_is_refused_unless_allowed_and_a_404_is_named(server: str, tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    notes = tmp_path / "note.txt"
    notes.write_text("Rebels captured Saraqib on Friday, the monitor said.\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["--db", db, "ingest", f"{server}/hama.html", f"{server}/gone", str(notes)])
    assert f"rejected: {server}/hama.html" in r.output and "127.0.0.1" in r.output
    assert f"rejected: {server}/gone" in r.output
    assert "1 new" in r.output  # the file of the same batch is read
    with Store.open(db) as store:
        assert {p for p, _, _ in store.rejections()} == {f"{server}/hama.html", f"{server}/gone"}


def test_the_progress_bar_knows_the_total_and_what_is_done(tmp_path: Path) -> None:
    from sitroom.cli.ingest import _Progress
    from sitroom.ingest import IngestStats, count_inputs, read_path
    from sitroom.pipeline import IngestSummary

    folder = tmp_path / "reports"
    folder.mkdir()
    for i in range(3):
        (folder / f"r{i}.txt").write_text(f"Report {i}\n\nRebels took Saraqib on Friday.\n", encoding="utf-8")
    (folder / "photo.jpg").write_bytes(b"\\xff\\xd8")  # no reader takes it: not counted
    (folder / ".hidden.txt").write_text("x", encoding="utf-8")
    assert count_inputs([folder, tmp_path / "missing.txt"]) == 4

    stats = IngestStats()
    progress = _Progress(count_inputs([folder]), lambda: stats.files)
    progress.enabled, progress.started = True, progress.started - 5  # as on a terminal, after five seconds
    summary = IngestSummary()
    try:
        for _ in read_path([folder], stats=stats):
            summary.read += 1
            progress(summary)
        task = progress.live.tasks[0]
        assert task.total == 3 and task.completed == 3
        assert "docs/s" in task.fields["rate"] and "3 read" in task.description
    finally:
        progress.close()
