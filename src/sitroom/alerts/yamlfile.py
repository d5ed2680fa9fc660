"""YAML with line numbers: a validation error names the file and the line of the offending value.

PyYAML's composer keeps each node's position; `load_with_lines` builds plain Python values from the node
tree and a map from each value's path (a tuple of keys and indices) to its 1-based line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from sitroom.errors import DataFileError

Path_ = tuple[str | int, ...]


class Located:
    """Values of a YAML file and where each one is, for error messages."""

    def __init__(self, data: Any, lines: Mapping[Path_, int], path: str) -> None:
        self.data = data
        self.lines = lines
        self.path = path

    def line(self, at: Path_) -> int | None:
        """The line of `at`, or of its nearest ancestor that has one."""
        at = tuple(at)
        while at:
            if at in self.lines:
                return self.lines[at]
            at = at[:-1]
        return self.lines.get((), None)

    def error(self, at: Path_, reason: str) -> DataFileError:
        where = ".".join(str(p) for p in at)
        return DataFileError(self.path, self.line(at), f"{where}: {reason}" if where else reason)


def load_with_lines(text: str, path: str) -> Located:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise DataFileError(path, line, f"not valid YAML: {getattr(exc, 'problem', None) or exc}") from exc
    lines: dict[Path_, int] = {}
    if node is None:
        return Located(None, lines, path)
    data = _build(node, (), lines, path)
    return Located(data, lines, path)


def _build(node: yaml.Node, at: Path_, lines: dict[Path_, int], path: str) -> Any:
    lines[at] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = yaml.safe_load(yaml.serialize(key_node))
            if not isinstance(key, str | int | float | bool):
                raise DataFileError(path, key_node.start_mark.line + 1, "mapping keys must be plain words")
            k = str(key)
            lines[(*at, k)] = key_node.start_mark.line + 1
            out[k] = _build(value_node, (*at, k), lines, path)
            lines[(*at, k)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(v, (*at, i), lines, path) for i, v in enumerate(node.value)]
    # Scalars: let PyYAML's resolver type them (numbers, booleans, null) exactly as safe_load would.
    return yaml.safe_load(yaml.serialize(node))


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, Sequence) and not isinstance(value, str):
        return list(value)
    return [value]
