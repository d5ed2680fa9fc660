"""The README names every command and every long option a user can give (in the manner of sqlite-utils'
documentation tests): a command or option added without a word in the README fails here."""

from __future__ import annotations

from pathlib import Path

import click

from sitroom.cli import main

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    out = []
    for name, cmd in sorted(group.commands.items()):
        path = (*prefix, name)
        out.append((path, cmd))
        if isinstance(cmd, click.Group):
            out += _commands(cmd, path)
    return out


def test_every_command_is_in_the_readme() -> None:
    missing = [" ".join(path) for path, _ in _commands(main) if f"sitroom {' '.join(path)}" not in README]
    assert missing == []


def test_every_long_option_is_in_the_readme() -> None:
    missing = sorted(
        {
            f"{' '.join(path)} {opt}"
            for path, cmd in _commands(main)
            for param in cmd.params
            for opt in param.opts
            if opt.startswith("--") and opt not in ("--help", "--version") and opt not in README
        }
    )
    assert missing == []
