"""Days and moments in options: a bad one (malformed, trailing junk, or a year that overflows date arithmetic)
is a usage error naming the option and the reason, on every command that takes one; never a traceback."""

from __future__ import annotations

from datetime import UTC, date, datetime

import click
import pytest
from click.testing import CliRunner

from sitroom.cli import main
from sitroom.model import ActorRef, Claim, DateSpan, Document, Evidence, Place
from sitroom.store import Store

# Every command and the date options it takes; `test_every_date_option_is_covered` keeps this honest.
COMMANDS: dict[str, tuple[str, ...]] = {
    "documents": ("--since", "--until", "--known-at"),
    "claims": ("--at", "--since", "--until", "--known-at"),
    "events": ("--at", "--since", "--until", "--known-at"),
    "control": ("--at", "--since", "--until", "--known-at"),
    "advisories": ("--at", "--since", "--until", "--known-at"),
    "transport": ("--at", "--since", "--until", "--known-at"),
    "figures": ("--at", "--since", "--until", "--known-at"),
    "sitrep": ("--at", "--known-at"),
    "export": ("--since", "--until", "--known-at"),
    "route": ("--at", "--known-at"),
    "provinces": ("--at", "--known-at"),
    "bulletin": ("--known-at",),
}
EXTREME = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-05:00", "0001-01-01", "9999-12-31"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store with one report of a capture, so the picture commands have something to fuse."""
    path = str(tmp_path_factory.mktemp("dates") / "dates.db")
    store = Store.open(path)
    aleppo = Place("Aleppo", 36.2021, 37.1343, "SY", "city", geonameid=170063, population=1_602_264)
    doc = Document("d0", "Rebels took Aleppo.", title="t", url="https://example.org/d0", outlet="Wire",
                   published_at=datetime(2024, 12, 1, 8, tzinfo=UTC), content_hash="h0")  # fmt: skip
    claim = Claim(
        id="d0-0",
        document_id="d0",
        type="territory_captured",
        stance="asserted",
        evidence=Evidence("Rebels took Aleppo.", 0, 19),
        extractor="rules.v1",
        rule="test",
        confidence=0.8,
        published_at=doc.published_at,
        actor=ActorRef("hts", "Hayat Tahrir al-Sham"),
        place=aleppo,
        place_text="Aleppo",
        when=DateSpan.day(date(2024, 11, 30)),
        outlet="Wire",
    )
    store.add_document(doc, [claim])
    store.close()
    return path


def invoke(db: str, command: str, *args: str) -> click.testing.Result:
    needs_day = command == "sitrep" and "--at" not in args
    ends = ["--from", "Homs", "--to", "Hama"] if command == "route" else []
    full = ["--db", db, command, *args, *ends, *(["--at", "2024-12-01"] if needs_day else [])]
    return CliRunner().invoke(main, full)


@pytest.mark.parametrize(
    ("command", "option", "value"),
    [
        pytest.param(command, option, value, id=f"{command} {option} {value}")
        for command, options in COMMANDS.items()
        for option in options
        for value in EXTREME
    ],
)
def test_a_date_outside_the_supported_years_is_a_usage_error(db: str, command: str, option: str, value: str) -> None:
    result = invoke(db, command, option, value)
    assert result.exit_code == 2, result.output  # a usage error, not a traceback (exit code 1)
    assert f"Invalid value for {option}" in result.stderr
    assert repr(value) in result.stderr and "1900-2199" in result.stderr


@pytest.mark.parametrize("command", [c for c, options in COMMANDS.items() if "--since" in options])
def test_trailing_junk_after_a_day_is_not_read_as_that_day(db: str, command: str) -> None:
    result = invoke(db, command, "--since", "2024-12-06junk")
    assert result.exit_code == 2, result.output
    assert "Invalid value for --since" in result.stderr and "is not a date" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("sitrep", "--at", "1900-01-01"),
        ("sitrep", "--at", "2199-12-31", "--known-at", "2199-12-31T23:59:59+14:00"),
        ("control", "--at", "2199-12-31", "--format", "json"),
        ("events", "--since", "1900-01-01", "--until", "2199-12-31", "--format", "json"),
        ("figures", "--known-at", "1900-01-01T00:00:00Z", "--format", "json"),
    ],
)
def test_dates_at_the_ends_of_the_supported_years_are_answered(db: str, args: tuple[str, ...]) -> None:
    result = invoke(db, *args)
    assert result.exit_code == 0, result.output


def test_every_date_option_is_covered() -> None:
    taking_dates = {
        name: tuple(opt for p in command.params if p.metavar in ("DATE", "TS") for opt in p.opts)
        for name, command in main.commands.items()
    }
    assert {name: set(opts) for name, opts in taking_dates.items() if opts} == {
        name: set(opts) for name, opts in COMMANDS.items()
    }
