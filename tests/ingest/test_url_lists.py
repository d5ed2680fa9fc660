"""Lists of addresses (a `.urls` file, GDELT's event, mentions and GKG files): read once each, fetched by
`ingest` in this process and by `backfill` on the Dask workers, and not fetched again on a second run."""

from __future__ import annotations

import zipfile
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import serving

from sitroom.cli import main
from sitroom.ingest.urllist import is_url_list, read_url_list
from sitroom.model import Rejection
from sitroom.store import Store

PAGES = {
    "/hama": (
        "Rebels enter Hama",
        "Opposition fighters led by Hayat Tahrir al-Sham captured the city of Hama on Thursday 5 December 2024, "
        "the Syrian Observatory for Human Rights said, after the army pulled its units out of the city.",
    ),
    "/homs": (
        "Fighting near Homs",
        "Rebels reached the northern outskirts of Homs on Saturday 7 December 2024 as government forces withdrew "
        "from Rastan and Talbiseh, residents said.",
    ),
    "/airport": (
        "Aleppo airport shut",
        "Aleppo International Airport was closed to all flights on Saturday 30 November 2024, the transport "
        "ministry in Damascus said.",
    ),
}
HITS: Counter[str] = Counter()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        HITS[self.path] += 1
        if self.path not in PAGES:
            self.send_error(404)
            return
        title, text = PAGES[self.path]
        body = f"<!doctype html><html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{text}</p></article></body></html>"
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    HITS.clear()
    with serving(_Handler) as base:
        yield base


def _gdelt_export(path: Path, urls: list[str]) -> Path:
    """Rows shaped as GDELT 2.0's event export: 61 tab-separated columns, the article's address last."""
    rows = []
    for i, url in enumerate(urls):
        fields = [str(1_200_000_000 + i), "20241205", "202412", "2024", "2024.9274"] + [""] * 55 + [url]
        rows.append("\t".join(fields))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_lists_give_each_article_address_once(tmp_path: Path) -> None:
    plain = tmp_path / "sources.urls"
    plain.write_text("# picked by hand\nhttps://a.example/1\n\nhttps://a.example/2\nhttps://a.example/1\n")
    assert list(read_url_list(plain)) == ["https://a.example/1", "https://a.example/2"]
    export = _gdelt_export(tmp_path / "20241205.export.CSV", ["https://b.example/x", "https://b.example/y"])
    gkg = tmp_path / "20241205.gkg.csv"
    gkg.write_text("20241205-1\t20241205\t1\tb.example\thttps://b.example/z\t\t\thttps://b.example/img.jpg\n")
    zipped = tmp_path / "20241205.mentions.CSV.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("20241205.mentions.CSV", "1\t2\t3\t1\tb.example\thttps://b.example/m\n")
    assert all(is_url_list(p) for p in (plain, export, gkg, zipped)) and not is_url_list(tmp_path / "a.csv")
    assert list(read_url_list(export)) == ["https://b.example/x", "https://b.example/y"]
    assert list(read_url_list(gkg)) == ["https://b.example/z"]  # the article, not its image
    assert list(read_url_list(zipped)) == ["https://b.example/m"]
    broken = tmp_path / "cut.export.CSV.zip"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    (rejection,) = list(read_url_list(broken))
    assert isinstance(rejection, Rejection) and rejection.path == str(broken) and "cannot read" in rejection.reason


def test_ingest_fetches_each_address_of_a_list(server: str, tmp_path: Path) -> None:
    urls = tmp_path / "picked.urls"
    urls.write_text(f"{server}/hama\n{server}/missing\n{server}/airport\n")
    db = str(tmp_path / "s.db")
    result = CliRunner().invoke(main, ["--db", db, "ingest", "--allow-host", "127.0.0.1", str(urls)])
    assert result.exit_code == 0, result.output
    assert f"rejected: {server}/missing: the server answered HTTP 404" in result.stderr
    store = Store.open(db)
    assert {d.document.id for d in store.documents()} == {f"{server}/hama", f"{server}/airport"}
    assert {c.type for c in store.claims()} >= {"territory_captured", "transport_status"}
    store.close()


def test_backfill_fetches_a_gdelt_list_on_the_workers_and_not_again(server: str, tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="the scale extra (Dask distributed) is not installed")
    from sitroom.backfill import backfill, connect

    export = _gdelt_export(
        tmp_path / "20241207.export.CSV", [f"{server}/hama", f"{server}/homs", f"{server}/gone", f"{server}/hama"]
    )
    more = tmp_path / "more.urls"
    more.write_text(f"{server}/airport\n")
    store = Store.open(str(tmp_path / "b.db"))
    cluster = connect(workers=1)
    try:
        first = backfill(store, [str(export), str(more)], cluster=cluster, allow_hosts=["127.0.0.1"])
        assert (first.read, first.new, first.rejected) == (3, 3, 1)
        assert [r[0] for r in store.rejections()] == [f"{server}/gone"]
        assert HITS["/hama"] == 1  # listed twice, fetched once
        claims = len(store.claims())
        assert claims > 0
        again = backfill(store, [str(export), str(more)], cluster=cluster, allow_hosts=["127.0.0.1"])
    finally:
        cluster.close()
    assert (again.new, again.duplicate) == (0, 3)
    assert HITS["/hama"] == HITS["/homs"] == HITS["/airport"] == 1  # stored pages are not fetched again
    assert HITS["/gone"] == 2  # a failed address is tried again
    assert len(store.claims()) == claims
    store.close()
