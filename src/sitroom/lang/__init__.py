"""What sitroom knows of a language: one folder per language, ``lang/<code>/``, on the model of spaCy's ``lang/``.

A folder holds data files only, so a new language is a new folder:

* ``grammar.toml``: the grammar words the readers use (negators, modals, falsity words, facility nouns, number
  words, month and weekday names);
* ``syntax.toml``: the lemmas the structural rules read from a dependency parse (verbs of intention and attempt,
  near-miss adverbs, modal auxiliaries);
* ``events.toml``: trigger patterns per event type (the types themselves are in ``data/ontology.toml``);
* ``cues.toml``: reporting verbs, denial, stance, advisory and transport cues;
* ``actors.toml`` and ``states.toml``: actors and states with the names this language writes them by.

The lexicon files are extended by a user's own folders (``SITROOM_LEXICONS``, see `sitroom.extract.lexicon`);
the grammar is read from here.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sitroom.errors import DataFileError

ROOT = Path(__file__).resolve().parent
DEFAULT = "en"


def folder(code: str = DEFAULT) -> Path:
    """The folder of language `code`; DataFileError when sitroom has none."""
    path = ROOT / code
    if not (path / "grammar.toml").is_file():
        known = ", ".join(languages()) or "none"
        raise DataFileError(str(path), None, f"no language folder for {code!r} (known: {known})")
    return path


def languages() -> tuple[str, ...]:
    """The codes of the languages sitroom has a folder for."""
    return tuple(sorted(p.name for p in ROOT.iterdir() if (p / "grammar.toml").is_file()))


@cache
def grammar(code: str = DEFAULT) -> Mapping[str, Mapping[str, Any]]:
    """The sections of `code`'s grammar.toml, read once."""
    path = folder(code) / "grammar.toml"
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(str(path), getattr(exc, "lineno", None), str(exc)) from exc
    return MappingProxyType({k: MappingProxyType(v) for k, v in data.items() if isinstance(v, dict)})


def words(section: str, key: str, code: str = DEFAULT) -> tuple[str, ...]:
    """A word list of the grammar: ``words("negation", "negators")``."""
    value = _entry(section, key, code)
    if not (isinstance(value, list) and all(isinstance(w, str) for w in value)):
        raise DataFileError(str(folder(code) / "grammar.toml"), None, f"[{section}] {key} must be a list of words")
    return tuple(value)


def numbers(section: str, key: str, code: str = DEFAULT) -> Mapping[str, int]:
    """A table of words and their numbers: ``numbers("dates", "months")["june"] == 6``."""
    value = _entry(section, key, code)
    if not (isinstance(value, dict) and all(isinstance(n, int) for n in value.values())):
        raise DataFileError(str(folder(code) / "grammar.toml"), None, f"[{section}] {key} must map words to numbers")
    return MappingProxyType(dict(value))


def alternation(items: Iterable[str], *, literal: bool = True) -> str:
    """A regular-expression group that matches any of `items`, longest first (so "set to" wins over "set").

    Literal words are escaped and their spaces match any run of white space; with ``literal=False`` the items
    are regular-expression fragments, taken as they are.
    """
    parts = sorted(set(items), key=len, reverse=True)
    if literal:
        parts = [r"\s+".join(re.escape(w) for w in p.split()) for p in parts]
    return "(?:" + "|".join(parts) + ")"


def _entry(section: str, key: str, code: str) -> Any:
    try:
        return grammar(code)[section][key]
    except KeyError:
        raise DataFileError(
            str(folder(code) / "grammar.toml"), None, f"[{section}] {key} is missing (sitroom reads it)"
        ) from None
