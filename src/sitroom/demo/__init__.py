"""The demo corpus that ships with sitroom: reports on the Syrian offensive of 27 Nov - 8 Dec 2024.

The reports were written for sitroom from public facts of the period, in the input formats that
`sitroom ingest` reads (plain-text articles, JSON, JSONL, RSS, a Telegram export, an HTML page). They let
`sitroom demo` and the tests run offline on realistic input. README.md beside this file lists them.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from sitroom.errors import ConfigError

# Files in this folder that are not reports: the package's own code and its description. A walker that
# ingests demo_dir() wholesale would otherwise take README.md for a plain-text article.
_NOT_REPORTS = frozenset({"__init__.py", "README.md"})


def demo_dir() -> Path:
    """The folder holding the demo corpus, as a real path on disk."""
    root = files(__name__)
    # The corpus is read by path (readers open files, walk folders), so it must be unpacked on disk; a
    # zipped install cannot offer that, and silently extracting to a temp dir would leak it.
    if not isinstance(root, Path):
        raise ConfigError(
            f"the demo corpus is inside an archive ({root}); install sitroom unzipped to use `sitroom demo`"
        )
    return root


def demo_files() -> list[Path]:
    """The report files of the demo corpus, sorted; README.md, code and caches are left out."""
    root = demo_dir()
    found: list[Path] = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if not path.is_file() or path.name in _NOT_REPORTS:
            continue
        if any(part.startswith((".", "__")) for part in rel.parts):
            continue
        found.append(path)
    return found
