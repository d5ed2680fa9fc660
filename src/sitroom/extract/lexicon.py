"""Lexicons: the data files the rules extractor reads (actors, states, event triggers, cue words).

They are TOML files (read with the standard library's tomllib) so a user can extend them without code:
put more files in a directory and name it in ``SITROOM_LEXICONS`` (several directories separated by the
platform's path separator) or pass it to `load_lexicons`. Extra files are merged over the shipped ones:

* ``[[actor]]`` and ``[[state]]`` entries replace shipped entries with the same ``id`` (or add new ones);
* ``[[trigger]]`` groups are added to the shipped ones;
* every other table (``[reporting]``, ``[advisory]``, ...) holds lists of cue phrases, which are appended.

A file that is not valid TOML, or an entry that lacks a field or holds a pattern that does not compile,
raises `sitroom.errors.DataFileError` naming the file (and the line, where TOML reports one).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sitroom import lang
from sitroom.errors import DataFileError
from sitroom.model import EVENT_TYPES, Actor

SHIPPED_DIR = lang.folder()
ENV_VAR = "SITROOM_LEXICONS"
# files of a language folder that are not lexicons: its grammar words and the lemmas the parse rules read
NOT_LEXICONS = frozenset({"grammar.toml", "syntax.toml"})

ACTOR_KINDS = frozenset(
    {"state", "armed_group", "government_body", "international_organisation", "monitor", "media", "population"}
)


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """An actor of the lexicon with what matching needs beyond `sitroom.model.Actor`."""

    actor: Actor
    coalition: bool = False  # "the alliance" / "the coalition" refers back to it
    role: str = "actor"  # "actor", or "source" for descriptions that only ever speak (witnesses, analysts)


@dataclass(frozen=True, slots=True)
class StateEntry:
    """A state: its names, demonyms and nationals, so its bodies are recognised by pattern."""

    id: str
    name: str
    country: str
    names: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    nationals: tuple[str, ...] = ()
    capital: str | None = None
    bodies: Mapping[str, str] = field(default_factory=dict)  # body kind -> actor id
    forces: tuple[str, ...] = ()  # what its armed forces are called as written: "FAMa", "ENDF", "Tatmadaw"
    colour: str | None = None  # the map's colour for what its forces hold
    fights_in: tuple[str, ...] = ()  # countries beyond its own where its ground forces fight


@dataclass(frozen=True, slots=True)
class TriggerGroup:
    """Regular-expression fragments for one event type that share how place and actor are found."""

    type: str
    patterns: tuple[str, ...]
    place: str = "any"  # after | before | any
    actor: str = "before"  # before | after
    change: bool = False
    state: bool = False
    reach: int = 70


@dataclass(frozen=True, slots=True)
class Lexicons:
    actors: Mapping[str, ActorEntry]
    states: Mapping[str, StateEntry]
    triggers: tuple[TriggerGroup, ...]
    cues: Mapping[str, Mapping[str, tuple[str, ...]]]
    files: tuple[str, ...] = ()

    def cue(self, section: str, key: str) -> tuple[str, ...]:
        return self.cues.get(section, {}).get(key, ())

    def section(self, section: str) -> Mapping[str, tuple[str, ...]]:
        """Every cue list of a section whose keys are data too (``[bodies]``: body kind -> its words)."""
        return self.cues.get(section, {})

    def actor_registry(self) -> Mapping[str, Actor]:
        """Every actor by id, states included (kind "state"), with parent ids for the fusion stage."""
        out: dict[str, Actor] = {aid: e.actor for aid, e in self.actors.items()}
        for sid, st in self.states.items():
            if sid not in out:
                out[sid] = Actor(
                    id=sid,
                    name=st.name,
                    kind="state",
                    aliases=st.names + st.demonyms,
                    country=st.country,
                    colour=st.colour,
                    fights_in=st.fights_in,
                )
        return MappingProxyType(out)


_LINE_RE = re.compile(r"line (\d+)")


def _strs(value: Any, path: Path, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(str(path), None, f"{what} must be a list of strings")
    return tuple(value)


def _check_patterns(patterns: Sequence[str], path: Path, what: str) -> None:
    for p in patterns:
        try:
            re.compile(p)
        except re.error as exc:
            raise DataFileError(str(path), None, f"{what}: pattern {p!r} does not compile ({exc})") from exc


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        m = _LINE_RE.search(str(exc))
        raise DataFileError(str(path), int(m.group(1)) if m else None, f"not valid TOML: {exc}") from exc
    except OSError as exc:
        raise DataFileError(str(path), None, f"cannot read lexicon file: {exc}") from exc


_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _colour(value: Any, path: Path, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _COLOUR.fullmatch(value):
        raise DataFileError(str(path), None, f"{what}: colour must be written #rrggbb (got {value!r})")
    return value.lower()


def _actor(raw: Any, path: Path) -> ActorEntry:
    if not isinstance(raw, dict):
        raise DataFileError(str(path), None, "an [[actor]] entry must be a table")
    aid, name = raw.get("id"), raw.get("name")
    if not isinstance(aid, str) or not aid or not isinstance(name, str) or not name:
        raise DataFileError(str(path), None, f"[[actor]] needs a string id and name (got id={aid!r})")
    kind = raw.get("kind", "armed_group")
    if kind not in ACTOR_KINDS:
        raise DataFileError(str(path), None, f"actor {aid}: unknown kind {kind!r}")
    actor = Actor(
        id=aid,
        name=name,
        kind=kind,
        parent=raw.get("parent"),
        aliases=_strs(raw.get("aliases"), path, f"actor {aid} aliases"),
        country=raw.get("country"),
        colour=_colour(raw.get("colour"), path, f"actor {aid}"),
    )
    role = raw.get("role", "actor")
    if role not in ("actor", "source"):
        raise DataFileError(str(path), None, f"actor {aid}: role must be 'actor' or 'source'")
    return ActorEntry(actor=actor, coalition=bool(raw.get("coalition", False)), role=role)


def _state(raw: Any, path: Path) -> StateEntry:
    if not isinstance(raw, dict):
        raise DataFileError(str(path), None, "a [[state]] entry must be a table")
    sid, name, country = raw.get("id"), raw.get("name"), raw.get("country")
    if not all(isinstance(v, str) and v for v in (sid, name, country)):
        raise DataFileError(str(path), None, f"[[state]] needs string id, name and country (got id={sid!r})")
    bodies = raw.get("bodies", {})
    if not isinstance(bodies, dict) or not all(isinstance(v, str) for v in bodies.values()):
        raise DataFileError(str(path), None, f"state {sid}: bodies must map body kinds to actor ids")
    return StateEntry(
        id=str(sid),
        name=str(name),
        country=str(country),
        names=_strs(raw.get("names"), path, f"state {sid} names"),
        demonyms=_strs(raw.get("demonyms"), path, f"state {sid} demonyms"),
        nationals=_strs(raw.get("nationals"), path, f"state {sid} nationals"),
        capital=raw.get("capital"),
        bodies=dict(bodies),
        forces=_strs(raw.get("forces"), path, f"state {sid} forces"),
        colour=_colour(raw.get("colour"), path, f"state {sid}"),
        fights_in=_countries(raw.get("fights_in"), path, f"state {sid} fights_in"),
    )


def _countries(value: Any, path: Path, what: str) -> tuple[str, ...]:
    codes = _strs(value, path, what)
    bad = [c for c in codes if not (len(c) == 2 and c.isalpha() and c.isupper())]
    if bad:
        raise DataFileError(str(path), None, f"{what}: country codes are two capital letters (got {bad[0]!r})")
    return codes


def _trigger(raw: Any, path: Path) -> TriggerGroup:
    if not isinstance(raw, dict):
        raise DataFileError(str(path), None, "a [[trigger]] entry must be a table")
    etype = raw.get("type")
    if etype not in EVENT_TYPES:
        raise DataFileError(str(path), None, f"[[trigger]] type {etype!r} is not an event type of DESIGN.md")
    patterns = _strs(raw.get("patterns"), path, f"trigger {etype} patterns")
    if not patterns:
        raise DataFileError(str(path), None, f"[[trigger]] {etype} has no patterns")
    _check_patterns(patterns, path, f"trigger {etype}")
    place = raw.get("place", "any")
    actor = raw.get("actor", "before")
    if place not in ("after", "before", "any") or actor not in ("before", "after"):
        raise DataFileError(str(path), None, f"[[trigger]] {etype}: place/actor must be after|before|any")
    reach = raw.get("reach", 70)
    if not isinstance(reach, int) or reach <= 0:
        raise DataFileError(str(path), None, f"[[trigger]] {etype}: reach must be a positive integer")
    return TriggerGroup(
        type=str(etype),
        patterns=patterns,
        place=place,
        actor=actor,
        change=bool(raw.get("change", False)),
        state=bool(raw.get("state", False)),
        reach=reach,
    )


def _lexicon_files(extra_dirs: Sequence[Path]) -> list[Path]:
    dirs: list[Path] = [SHIPPED_DIR]
    env = os.environ.get(ENV_VAR)
    if env:
        dirs.extend(Path(p) for p in env.split(os.pathsep) if p)
    dirs.extend(Path(d) for d in extra_dirs)
    files: list[Path] = []
    for d in dirs:
        if not d.is_dir():
            raise DataFileError(str(d), None, "lexicon directory not found")
        files.extend(sorted(f for f in d.glob("*.toml") if f.name not in NOT_LEXICONS))
    return files


def load_lexicons(extra_dirs: Sequence[Path] = ()) -> Lexicons:
    """The shipped lexicons, with those of SITROOM_LEXICONS and `extra_dirs` merged over them."""
    actors: dict[str, ActorEntry] = {}
    states: dict[str, StateEntry] = {}
    triggers: list[TriggerGroup] = []
    cues: dict[str, dict[str, list[str]]] = {}
    files = _lexicon_files(extra_dirs)
    for path in files:
        data = _read_toml(path)
        for key, value in data.items():
            if key == "actor":
                for raw in value if isinstance(value, list) else [value]:
                    entry = _actor(raw, path)
                    actors[entry.actor.id] = entry
            elif key == "state":
                for raw in value if isinstance(value, list) else [value]:
                    st = _state(raw, path)
                    states[st.id] = st
            elif key == "trigger":
                for raw in value if isinstance(value, list) else [value]:
                    triggers.append(_trigger(raw, path))
            elif isinstance(value, dict):
                section = cues.setdefault(key, {})
                for name, phrases in value.items():
                    items = _strs(phrases, path, f"[{key}] {name}")
                    _check_patterns(items, path, f"[{key}] {name}")
                    section.setdefault(name, []).extend(items)
            else:
                raise DataFileError(str(path), None, f"unexpected top-level key {key!r}")
    for entry in actors.values():
        parent = entry.actor.parent
        if parent is not None and parent not in actors and parent not in states:
            raise DataFileError(
                ", ".join(str(f) for f in files), None, f"actor {entry.actor.id}: unknown parent {parent!r}"
            )
    return Lexicons(
        actors=MappingProxyType(actors),
        states=MappingProxyType(states),
        triggers=tuple(triggers),
        cues=MappingProxyType({k: MappingProxyType({n: tuple(v) for n, v in d.items()}) for k, d in cues.items()}),
        files=tuple(str(f) for f in files),
    )


@lru_cache(maxsize=8)
def _cached(env_value: str | None) -> Lexicons:
    return load_lexicons()


def default_lexicons() -> Lexicons:
    """The lexicons for this process (shipped + SITROOM_LEXICONS), loaded once."""
    return _cached(os.environ.get(ENV_VAR))


def actors() -> Mapping[str, Actor]:
    """Every known actor by id, with parent ids (HTS -> syrian_opposition, embassy bodies -> their state)."""
    return default_lexicons().actor_registry()
