"""Scoring the system's control changes against gold control lines (eval/FORMAT.md, "Control").

Choices FORMAT.md leaves open, made here:
- A system change matches a gold line when its place is within 25 km (5 km for facilities; same country for
  a country), its controller's id or name is among the acceptable names, and its `since` lies within the gold
  day ± tolerance_days (a gold range is widened by the tolerance at both ends). A change without `since` is
  a standing state, not a change, and is neither matched nor counted false.
- One-to-one: an exact assignment maximising the number of lines found, then nearness of place, then
  nearness of date — so a nearer-first choice never starves another gold line that had no alternative.
- The corpus period, outside which unmatched changes are not counted false, is given by the caller (the
  documents' publication dates, see `period_from_dates`); by default it runs from the earliest gold `since`
  minus its tolerance to the latest plus its tolerance.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sitroom.errors import ConfigError
from sitroom.evaluate.gold import Gold, GoldControl
from sitroom.evaluate.matching import assign, lexicographic_weight, name_matches, parse_day, place_closeness, prf

_CLOSENESS_STEPS = 1000


@dataclass(frozen=True)
class ControlReport:
    """The outcome of `score_control`: P/R/F1 and the gold lines missed and system changes counted false."""

    scores: dict[str, Any]
    period: tuple[date, date] | None
    found: list[dict[str, Any]] = field(default_factory=list)
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_changes: list[dict[str, Any]] = field(default_factory=list)
    outside_period: int = 0
    undated: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.scores,
            "period": [str(self.period[0]), str(self.period[1])] if self.period else None,
            "found": [dict(f) for f in self.found],
            "misses": [dict(m) for m in self.misses],
            "false_changes": [dict(f) for f in self.false_changes],
            "ignored_outside_period": self.outside_period,
            "ignored_undated": self.undated,
        }

    def render_table(self) -> str:
        s = self.scores
        period = f"{self.period[0]}..{self.period[1]}" if self.period else "none"
        lines = [
            "Control changes",
            f"  gold {s['gold']}  system {s['system']}  tp {s['tp']}  fp {s['fp']}  fn {s['fn']}",
            f"  P {s['precision']:.2f}  R {s['recall']:.2f}  F1 {s['f1']:.2f}",
            f"  period {period}; unmatched changes outside it ignored: {self.outside_period}; "
            f"changes without a date ignored: {self.undated}",
            "",
            f"Misses: {len(self.misses)} gold control changes not found",
        ]
        for m in self.misses:
            lines.append(f"  {m['place']}  {m['controller'][0]}  since {m['since']}  {m['note']}")
        lines.append("")
        lines.append(f"False changes: {len(self.false_changes)} system control changes matching no gold line")
        for f in self.false_changes:
            lines.append(f"  {f['place'] or '-'}  {f['controller'] or '-'}  since {f['since']}")
        return "\n".join(lines) + "\n"


def period_from_dates(dates: Iterable[date]) -> tuple[date, date] | None:
    """The corpus period spanned by some dates (e.g. the documents' publication days); None when there are none."""
    days = sorted(dates)
    return (days[0], days[-1]) if days else None


def default_period(gold: Gold) -> tuple[date, date] | None:
    """From the earliest gold `since` minus its tolerance to the latest plus its tolerance."""
    starts = [g.since.earliest or g.since.latest for g in gold.control]
    ends = [g.since.latest or g.since.earliest for g in gold.control]
    if not gold.control:
        return None
    lo = min(d - timedelta(days=g.tolerance_days) for d, g in zip(starts, gold.control, strict=True) if d)
    hi = max(d + timedelta(days=g.tolerance_days) for d, g in zip(ends, gold.control, strict=True) if d)
    return lo, hi


def score_control(
    system: Sequence[Mapping[str, Any]],
    gold: Gold,
    period: tuple[date, date] | None = None,
) -> ControlReport:
    """Score control-change dicts ({place, controller, since, ...}) against gold control lines."""
    if period is not None and period[0] > period[1]:
        raise ConfigError(f"the corpus period ends ({period[1]}) before it starts ({period[0]})")
    if period is None:
        period = default_period(gold)
    golds = list(gold.control)
    dated = [(s, parse_day(s.get("since"))) for s in system]
    undated = sum(day is None for _, day in dated)
    changes = [(s, day) for s, day in dated if day is not None]

    base = (min(len(golds), len(changes)) + 1) * (_CLOSENESS_STEPS + 1)
    weights: dict[tuple[int, int], int] = {}
    for gi, g in enumerate(golds):
        for si, (s, day) in enumerate(changes):
            fit = _fit(g, s, day)
            if fit is not None:
                place_fit, date_fit = fit
                weights[(gi, si)] = lexicographic_weight([1, place_fit, date_fit], base)
    pairs = assign(len(golds), len(changes), weights)

    found, misses = [], []
    for gi, g in enumerate(golds):
        if gi in pairs:
            s, day = changes[pairs[gi]]
            found.append({**_gold_summary(g), "system": _change_summary(s, day)})
        else:
            misses.append(_gold_summary(g))
    matched = set(pairs.values())
    false_changes, outside = [], 0
    for si, (s, day) in enumerate(changes):
        if si in matched:
            continue
        if period is not None and not period[0] <= day <= period[1]:
            outside += 1
            continue
        false_changes.append(_change_summary(s, day))
    tp = len(pairs)
    scores = {"gold": len(golds), "system": tp + len(false_changes), **prf(tp, len(false_changes), len(golds) - tp)}
    return ControlReport(
        scores=scores,
        period=period,
        found=found,
        misses=misses,
        false_changes=false_changes,
        outside_period=outside,
        undated=undated,
    )


def _fit(g: GoldControl, s: Mapping[str, Any], day: date) -> tuple[int, int] | None:
    """None when the change does not match the gold line; else (place nearness, date nearness), higher better."""
    closeness = place_closeness(g.place, s.get("place"))
    if closeness is None or not name_matches(g.controller, s.get("controller")):
        return None
    slack = timedelta(days=g.tolerance_days)
    lo = g.since.earliest - slack if g.since.earliest else None
    hi = g.since.latest + slack if g.since.latest else None
    if (lo is not None and day < lo) or (hi is not None and day > hi):
        return None
    # Days outside the gold day or range (0 when inside), turned into a nearness the assignment can prefer.
    off = max(
        (g.since.earliest - day).days if g.since.earliest else 0,
        (day - g.since.latest).days if g.since.latest else 0,
        0,
    )
    return round(closeness * _CLOSENESS_STEPS), max(0, _CLOSENESS_STEPS - off)


def _gold_summary(g: GoldControl) -> dict[str, Any]:
    exact = g.since.exact
    since = str(exact) if exact else f"{g.since.earliest or ''}..{g.since.latest or ''}"
    return {
        "place": g.place.name,
        "controller": list(g.controller),
        "since": since,
        "tolerance_days": g.tolerance_days,
        "doc": g.doc,
        "note": g.note,
        "line": g.line,
    }


def _change_summary(s: Mapping[str, Any], day: date) -> dict[str, Any]:
    place = s.get("place")
    controller = s.get("controller")
    return {
        "place": place.get("name") if isinstance(place, Mapping) else None,
        "controller": (controller.get("name") or controller.get("id")) if isinstance(controller, Mapping) else None,
        "since": str(day),
        "evidence": list(s.get("evidence") or []),
    }
