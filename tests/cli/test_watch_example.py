"""The example watch configuration is valid as shipped, `alerts check` reads watch configurations too, and
`watch --help` describes the format."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sitroom.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_the_shipped_watch_example_checks_clean() -> None:
    r = CliRunner().invoke(main, ["alerts", "check", str(EXAMPLES / "watch.yaml")])
    assert r.exit_code == 0, r.output
    assert "watch configuration with 4 source(s), 7 subscription(s)" in r.output


def test_a_bad_watch_configuration_is_named_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "watch.yaml"
    bad.write_text("sources:\n  - folder: inbox/\n  - feed: ftp://example.org/rss\n", encoding="utf-8")
    (tmp_path / "inbox").mkdir()
    r = CliRunner().invoke(main, ["alerts", "check", str(bad)])
    assert r.exit_code != 0
    assert "watch.yaml:3" in r.output and "http(s) URL" in r.output


def test_subscription_files_are_still_checked_as_before() -> None:
    r = CliRunner().invoke(main, ["alerts", "check", str(EXAMPLES / "subscriptions.yaml")])
    assert r.exit_code == 0 and "7 subscription(s), 7 sink(s), all valid" in r.output


def test_watch_help_shows_the_configuration_format() -> None:
    r = CliRunner().invoke(main, ["watch", "--help"])
    assert r.exit_code == 0
    assert "examples/watch.yaml" in r.output and "telegram_export:" in r.output
