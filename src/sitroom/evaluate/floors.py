"""Pinned floors: the regression gate that fails when a score drops below a figure pinned in a JSON file.

A floors dict mirrors the report dict it guards, e.g.
    {"claims": {"overall": {"f1": 0.85}, "attributes": {"stance": {"accuracy": 0.9}},
                "must_not": {"hits": {"max": 0}}},
     "control": {"f1": 0.9}}
A number is a minimum; {"min": x} and/or {"max": y} give explicit bounds; a bound on a list applies to its
length (so `"hits": {"max": 0}` means no must-not hit). A key may also be a dotted path ("claims.overall.f1").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_MISSING = object()


def check_floors(report_dict: Mapping[str, Any], floors: Mapping[str, Any]) -> list[str]:
    """Every way `report_dict` falls short of `floors`, as readable lines; empty when all floors hold."""
    violations: list[str] = []
    _walk(report_dict, floors, (), violations)
    return violations


def _walk(report: Any, floors: Mapping[str, Any], path: tuple[str, ...], out: list[str]) -> None:
    for key, floor in floors.items():
        parts = tuple(str(key).split("."))
        where = (*path, *parts)
        value = _lookup(report, parts)
        if isinstance(floor, Mapping) and not _is_bounds(floor):
            if value is _MISSING or not isinstance(value, Mapping):
                out.append(f"{'.'.join(where)}: not in the report")
                continue
            _walk(value, floor, where, out)
            continue
        _check(".".join(where), value, floor, out)


def _is_bounds(floor: Mapping[str, Any]) -> bool:
    return bool(floor) and set(floor) <= {"min", "max"}


def _lookup(report: Any, parts: tuple[str, ...]) -> Any:
    for part in parts:
        if not isinstance(report, Mapping) or part not in report:
            return _MISSING
        report = report[part]
    return report


def _check(where: str, value: Any, floor: Any, out: list[str]) -> None:
    bounds = floor if isinstance(floor, Mapping) else {"min": floor}
    for bound in bounds.values():
        if isinstance(bound, bool) or not isinstance(bound, int | float):
            out.append(f"{where}: floor {bound!r} is not a number")
            return
    if value is _MISSING:
        out.append(f"{where}: not in the report")
        return
    if isinstance(value, list | tuple):
        value = len(value)
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        out.append(f"{where}: {value!r} is not a number (floor {_describe(bounds)})")
        return
    if "min" in bounds and value < bounds["min"]:
        out.append(f"{where}: {value} is below the floor {bounds['min']}")
    if "max" in bounds and value > bounds["max"]:
        out.append(f"{where}: {value} is above the ceiling {bounds['max']}")


def _describe(bounds: Mapping[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in bounds.items())
