from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest


def load_kit() -> ModuleType:
    spec = importlib.util.spec_from_file_location("alerts_kit", Path(__file__).with_name("kit.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def kit() -> ModuleType:
    return load_kit()
