"""The extractor protocol and its registry.

An extractor turns one `Document` into `Claim`s. The default is the deterministic rules extractor
(``rules.v1``); others (an LLM behind an OpenAI-compatible endpoint, a trained model) register under their
own versioned name and are compared with it on the same gold data (``sitroom eval``).

Built in: ``rules.v1`` (the default), ``hybrid.v1`` (the rules, plus the learned sentence scorer's proposals
where no rule fires) and ``llm.v1`` (any OpenAI-compatible chat endpoint). Other packages add extractors through
the ``sitroom.extractors`` entry-point group: the entry's name is the extractor's name, its object a class or
function that takes no arguments and returns an extractor. An unversioned name ("rules", "hybrid") means the
latest version.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Protocol, runtime_checkable

from sitroom.errors import ConfigError
from sitroom.model import Claim, Document


@runtime_checkable
class Extractor(Protocol):
    name: str  # versioned, e.g. "rules.v1"

    def extract(self, doc: Document) -> list[Claim]: ...


_FACTORIES: dict[str, Callable[[], Extractor]] = {}
_INSTANCES: dict[str, Extractor] = {}
ENTRY_POINT_GROUP = "sitroom.extractors"
_BUILTINS = {
    "rules.v1": ("sitroom.extract.rules", "RulesExtractor"),
    "hybrid.v1": ("sitroom.extract.hybrid", "HybridExtractor"),
    "llm.v1": ("sitroom.extract.llm", "LLMExtractor"),
}
_VERSIONED = re.compile(r"^(?P<base>.+)\.v(?P<n>\d+)$")


def register_extractor(name: str, factory: Callable[[], Extractor]) -> None:
    """Make an extractor available under `name` (a versioned name such as "llm.v1")."""
    _FACTORIES[name] = factory
    _INSTANCES.pop(name, None)


def available_extractors() -> list[str]:
    _register_builtins()
    return sorted(_FACTORIES)


def resolve_name(name: str) -> str:
    """The registered name `name` stands for: itself, or for an unversioned name its latest version."""
    _register_builtins()
    if name in _FACTORIES:
        return name
    versions = [(int(m["n"]), k) for k in _FACTORIES if (m := _VERSIONED.match(k)) and m["base"] == name]
    if versions:
        return max(versions)[1]
    known = ", ".join(sorted(_FACTORIES)) or "none"
    raise ConfigError(f"unknown extractor {name!r}; available: {known}")


def get_extractor(name: str = "rules.v1") -> Extractor:
    """The extractor registered under `name`, built once per process (lexicons and matchers are costly)."""
    name = resolve_name(name)
    if name not in _INSTANCES:
        try:
            made = _FACTORIES[name]()
        except ConfigError:
            raise
        except Exception as exc:  # a plug-in's own failure: one line naming it, not a traceback
            raise ConfigError(f"extractor {name!r} could not be started: {type(exc).__name__}: {exc}") from exc
        if not isinstance(made, Extractor):
            raise ConfigError(f"extractor {name!r} is not an extractor (it needs .name and .extract(doc))")
        _INSTANCES[name] = made
    return _INSTANCES[name]


def claim_id(document_id: str, extractor: str, start: int, end: int, *parts: object) -> str:
    """A claim id that is the same for the same document, extractor, evidence span and claim key."""
    key = "\x1f".join([document_id, extractor, str(start), str(end), *(str(p) for p in parts)])
    return "clm_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


_LOADED = False


def _register_builtins() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    for name, (module, attr) in _BUILTINS.items():
        _FACTORIES.setdefault(name, _lazy(module, attr))
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name not in _FACTORIES:
            _FACTORIES[ep.name] = _from_entry_point(ep)


def _lazy(module: str, attr: str) -> Callable[[], Extractor]:
    def make() -> Extractor:
        import importlib

        return getattr(importlib.import_module(module), attr)()  # type: ignore[no-any-return]

    return make


def _from_entry_point(ep: object) -> Callable[[], Extractor]:
    def make() -> Extractor:
        try:
            factory = ep.load()  # type: ignore[attr-defined]
        except Exception as exc:
            raise ConfigError(
                f"extractor {ep.name!r} from {ep.value} could not be loaded: {type(exc).__name__}: {exc}"  # type: ignore[attr-defined]
            ) from exc
        return factory()  # type: ignore[no-any-return]

    return make
