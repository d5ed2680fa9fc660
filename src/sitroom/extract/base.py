"""The extractor protocol and its registry.

An extractor turns one `Document` into `Claim`s. The default is the deterministic rules extractor
(``rules.v1``); others (an LLM behind an OpenAI-compatible endpoint, a trained model) register under their
own versioned name and are compared with it on the same gold data (``sitroom eval``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from sitroom.errors import ConfigError
from sitroom.model import Claim, Document


@runtime_checkable
class Extractor(Protocol):
    name: str  # versioned, e.g. "rules.v1"

    def extract(self, doc: Document) -> list[Claim]: ...


_FACTORIES: dict[str, Callable[[], Extractor]] = {}
_INSTANCES: dict[str, Extractor] = {}


def register_extractor(name: str, factory: Callable[[], Extractor]) -> None:
    """Make an extractor available under `name` (a versioned name such as "llm.v1")."""
    _FACTORIES[name] = factory
    _INSTANCES.pop(name, None)


def available_extractors() -> list[str]:
    _register_builtins()
    return sorted(_FACTORIES)


def get_extractor(name: str = "rules.v1") -> Extractor:
    """The extractor registered under `name`, built once per process (lexicons and matchers are costly)."""
    _register_builtins()
    if name not in _FACTORIES:
        known = ", ".join(sorted(_FACTORIES)) or "none"
        raise ConfigError(f"unknown extractor {name!r}; available: {known}")
    if name not in _INSTANCES:
        _INSTANCES[name] = _FACTORIES[name]()
    return _INSTANCES[name]


def claim_id(document_id: str, extractor: str, start: int, end: int, *parts: object) -> str:
    """A claim id that is the same for the same document, extractor, evidence span and claim key."""
    key = "\x1f".join([document_id, extractor, str(start), str(end), *(str(p) for p in parts)])
    return "clm_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _register_builtins() -> None:
    if "rules.v1" not in _FACTORIES:
        from sitroom.extract.rules import RulesExtractor

        _FACTORIES["rules.v1"] = RulesExtractor
