"""The fuzz suite's figures: how many generated inputs its properties tried, printed at the end of the run."""

from __future__ import annotations

from typing import Any

# nodeid -> (inputs tried, whether the property failed); filled as reports come in, printed at the end.
_TRIED: dict[str, tuple[int, bool]] = {}


def pytest_runtest_logreport(report: Any) -> None:
    for name, value in report.user_properties:
        if name == "fuzz_inputs":
            _, failed = _TRIED.get(report.nodeid, (0, False))
            _TRIED[report.nodeid] = (int(value), failed)
    if report.failed:
        n, _ = _TRIED.get(report.nodeid, (0, False))
        _TRIED[report.nodeid] = (n, True)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    tried = {k: v for k, v in _TRIED.items() if v[0]}
    if not tried:
        return
    terminalreporter.write_sep("-", "fuzz")
    for nodeid, (n, failed) in tried.items():
        terminalreporter.write_line(f"{n:>7,}  {nodeid.split('::')[-1]}{'  FAILED' if failed else ''}")
    total = sum(n for n, _ in tried.values())
    failed = sum(f for _, f in tried.values())
    terminalreporter.write_line(
        f"{total:>7,}  hostile inputs over {len(tried)} properties, {failed} failed "
        "(SITROOM_FUZZ_EXAMPLES=N tries N per property)"
    )
