"""The page's files and the vendor build, checked without a browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitroom.errors import ConfigError
from sitroom.web import STATIC_DIR, VENDOR_FILES
from sitroom.web.build import build

# Ways of turning a string into markup or code. Report text reaches the page only as text nodes.
HTML_SINKS = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|\.html\(")


def test_the_page_script_has_no_html_sinks() -> None:
    code = (STATIC_DIR / "app.js").read_text(encoding="utf-8")
    # The header comment names innerHTML to forbid it; look at code lines only.
    lines = [ln for ln in code.splitlines() if not ln.lstrip().startswith("//")]
    found = [ln.strip() for ln in lines if HTML_SINKS.search(ln)]
    assert found == []


def test_the_page_loads_nothing_from_another_host() -> None:
    for name in ("index.html", "app.js", "style.css"):
        text = (STATIC_DIR / name).read_text(encoding="utf-8")
        # Links a user may follow (a report's own url) are built at run time; no asset address is absolute.
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), name
        assert "cdn" not in text.lower() or (name == "app.js" and "no CDN" in text), name


def _fake_node_modules(root: Path) -> Path:
    modules = root / "node_modules"
    for src in VENDOR_FILES.values():
        path = modules / src
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"/* {src} */")
    return modules


def test_build_copies_each_vendor_file_from_node_modules(tmp_path: Path) -> None:
    modules = _fake_node_modules(tmp_path)
    dest = tmp_path / "vendor"
    written = build(modules, dest)
    assert sorted(p.relative_to(dest).as_posix() for p in written) == sorted(VENDOR_FILES)
    assert (dest / "leaflet/leaflet.js").read_text() == "/* leaflet/dist/leaflet.js */"


def test_build_says_what_to_run_when_a_package_is_missing(tmp_path: Path) -> None:
    modules = _fake_node_modules(tmp_path)
    (modules / "world-atlas/countries-50m.json").unlink()
    with pytest.raises(ConfigError, match="npm ci"):
        build(modules, tmp_path / "vendor")
    with pytest.raises(ConfigError, match="npm ci"):
        build(tmp_path / "nowhere", tmp_path / "vendor")


def test_the_server_starts_and_says_so_when_vendor_files_are_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    import sitroom.api.app as app_module
    from sitroom.api import create_app

    monkeypatch.setattr(app_module, "vendor_missing", lambda: ["leaflet/leaflet.js"])
    with caplog.at_level("WARNING"):
        app = create_app(str(tmp_path / "empty.db"))
    assert "sitroom.web.build" in caplog.text
    with TestClient(app) as client:
        assert client.get("/").status_code == 200
