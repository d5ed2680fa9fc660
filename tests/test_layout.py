"""The architecture the layout promises: SQL stays in `store/`, and the stages import one way
(ingest -> extract -> resolve -> fuse -> state -> outputs), never back up the flow."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "sitroom"

# A stage may import only from the stages before it (and from the shared modules). "geo" resolves places,
# "fuse" builds events and control; alerts, api, report and web are outputs.
EARLIER: dict[str, set[str]] = {
    "geo": set(),
    "extract": {"geo"},
    "fuse": {"geo"},
    "store": set(),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_sql_is_written_only_inside_store() -> None:
    outside = [
        str(p.relative_to(SRC))
        for p in sorted(SRC.rglob("*.py"))
        if "store" not in p.relative_to(SRC).parts
        and any(n == "sqlalchemy" or n.startswith(("sqlalchemy.", "sitroom.store.schema")) for n in _imports(p))
    ]
    assert outside == []


def test_early_stages_do_not_import_later_ones() -> None:
    stages = {"geo", "extract", "fuse", "store", "alerts", "api", "report", "web", "watch", "cli", "ingest"}
    wrong = []
    for stage, allowed in EARLIER.items():
        for p in sorted((SRC / stage).rglob("*.py")):
            for name in _imports(p):
                parts = name.split(".")
                if parts[0] != "sitroom" or len(parts) < 2 or parts[1] not in stages or parts[1] == stage:
                    continue
                if parts[1] not in allowed:
                    wrong.append(f"{p.relative_to(SRC)} imports {name}")
    assert wrong == []
