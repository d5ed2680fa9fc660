"""Scoring system claims against gold claims (eval/FORMAT.md, "Matching rules").

Choices FORMAT.md leaves open, made here:
- Matching is an exact maximum-weight assignment per (doc, type), preferring, in this order: more required
  gold claims found; more gold claims found at all (so a system claim that finds an optional gold claim is not
  counted false); then agreement on stance, date, source, quantity; then the nearer place.
- Attributes are scored on matched pairs whose gold claim is required; an optional gold claim is uncertain by
  definition, so neither its recall nor its attributes count. A gold field that is null is not scored, except
  `source`, where null means the outlet speaks itself and the system is right only with no `attributed_to`.
- Date against an exact gold day: the system's day within ±1 day; a system that gives only a range is right
  when the whole range lies within ±1 day of the gold day (a range that merely contains it is vaguer than
  the gold and is not counted as the day). Against a gold range: the system's day or whole range inside it.
- `must_not` lines are checked against every system claim, whatever its type.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sitroom.evaluate.gold import Gold, GoldClaim, MustNot
from sitroom.evaluate.matching import (
    assign,
    lexicographic_weight,
    name_matches,
    normalise_name,
    parse_day,
    place_closeness,
    prf,
)

ATTRIBUTES: tuple[str, ...] = ("date", "source", "stance", "quantity", "advice", "status")
QUANTITY_TOLERANCE = 0.01
DATE_TOLERANCE_DAYS = 1
# Which candidate is best for a gold claim (FORMAT.md's order; advice and status, which FORMAT does not rank,
# come after quantity so that two advisories for one country pair up by level).
_PREFERENCE = ("stance", "date", "source", "quantity", "advice", "status")
_CLOSENESS_STEPS = 1000  # place closeness in 0..1 becomes an integer preference 0..1000


@dataclass(frozen=True)
class ClaimsReport:
    """The outcome of `score_claims`: counts, P/R/F1, attribute accuracy and the lists a human reads."""

    scored_types: tuple[str, ...]
    per_type: dict[str, dict[str, Any]]
    overall: dict[str, Any]
    attributes: dict[str, dict[str, Any]]
    optional_found: int
    ignored_system: int
    must_not_lines: int
    must_not_hits: list[dict[str, Any]] = field(default_factory=list)
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_claims: list[dict[str, Any]] = field(default_factory=list)
    attribute_errors: list[dict[str, Any]] = field(default_factory=list)
    gold_warnings: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "scored_types": list(self.scored_types),
            "overall": dict(self.overall),
            "per_type": {t: dict(v) for t, v in self.per_type.items()},
            "attributes": {a: dict(v) for a, v in self.attributes.items()},
            "optional_found": self.optional_found,
            "ignored_system_claims": self.ignored_system,
            "must_not": {"lines": self.must_not_lines, "hits": [dict(h) for h in self.must_not_hits]},
            "misses": [dict(m) for m in self.misses],
            "false_claims": [dict(f) for f in self.false_claims],
            "attribute_errors": [dict(e) for e in self.attribute_errors],
            "gold_warnings": list(self.gold_warnings),
        }

    def render_table(self) -> str:
        lines: list[str] = [f"gold warning: {w}" for w in self.gold_warnings]
        head = f"{'type':<22}{'gold':>6}{'sys':>6}{'opt':>6}{'tp':>6}{'fp':>6}{'fn':>6}{'P':>8}{'R':>8}{'F1':>8}"
        lines.append("Claims")
        lines.append(head)
        lines.append("-" * len(head))
        for t, row in self.per_type.items():
            lines.append(_prf_row(t, row))
        lines.append("-" * len(head))
        lines.append(_prf_row("overall", self.overall))
        lines.append(
            "gold: required gold claims; sys: system claims; opt: system claims that found an optional gold"
            " claim (neither true nor false)"
        )
        lines.append(f"system claims of unscored types, ignored: {self.ignored_system}")
        lines.append("")
        lines.append("Attributes (on matched required claims)")
        for name, acc in self.attributes.items():
            value = "   n/a" if acc["accuracy"] is None else f"{acc['accuracy']:6.2f}"
            lines.append(f"  {name:<10}{value}  ({acc['correct']} correct / {acc['scored']} scored)")
        lines.append("")
        lines.append(f"Must-not hits: {len(self.must_not_hits)} of {self.must_not_lines} must-not lines")
        for h in self.must_not_hits:
            stance = f" ({h['stance']})" if h["stance"] else ""
            lines.append(
                f"  MUST-NOT {h['doc']}: {h['type']} {h['place'] or '-'}{stance} "
                f"hit by {h['system_id']}: {_quote(h['evidence'])}"
            )
        lines.append("")
        lines.append(f"Misses: {len(self.misses)} required gold claims not found")
        for m in self.misses:
            lines.append(f"  {m['doc']}  {m['type']}  {m['place'] or '-'}  [{m['stance']}]  {m['note']}")
            if m.get("sentence"):
                lines.append(f"      {_quote(m['sentence'])}")
        lines.append("")
        lines.append(f"False claims: {len(self.false_claims)} system claims matching no gold claim")
        for f in self.false_claims:
            lines.append(f"  {f['doc']}  {f['type']}  {f['place'] or '-'}  [{f['stance']}]  {_quote(f['evidence'])}")
        if self.attribute_errors:
            lines.append("")
            lines.append(f"Wrong attributes: {len(self.attribute_errors)} on matched claims")
            for e in self.attribute_errors:
                lines.append(
                    f"  {e['doc']}  {e['type']}  {e['place'] or '-'}  {e['attribute']}: "
                    f"gold {e['gold']}, system {e['system']}"
                )
        return "\n".join(lines) + "\n"


def score_claims(
    system: Sequence[Mapping[str, Any]],
    gold: Gold,
    documents: Mapping[str, str] | None = None,
) -> ClaimsReport:
    """Score system claim dicts (DESIGN.md's claim JSON shape) against gold claims."""
    scored = gold.scored_types
    gold_groups: dict[tuple[str, str], list[GoldClaim]] = defaultdict(list)
    for g in gold.claims:
        if g.type in scored:
            gold_groups[(g.doc, g.type)].append(g)
    sys_groups: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    ignored = 0
    for s in system:
        if s.get("type") in scored:
            sys_groups[(str(s.get("document_id")), str(s.get("type")))].append(s)
        else:
            ignored += 1

    counts: dict[str, dict[str, int]] = {
        t: {"gold": 0, "optional": 0, "optional_found": 0, "system": 0, "tp": 0, "fp": 0, "fn": 0}
        for t in sorted(scored)
    }
    attr_counts = {a: [0, 0] for a in ATTRIBUTES}  # [correct, scored]
    optional_found = 0
    misses: list[dict[str, Any]] = []
    false_claims: list[dict[str, Any]] = []
    attribute_errors: list[dict[str, Any]] = []

    for key in sorted(set(gold_groups) | set(sys_groups)):
        golds, systems = gold_groups.get(key, []), sys_groups.get(key, [])
        row = counts[key[1]]
        row["gold"] += sum(not g.optional for g in golds)
        row["optional"] += sum(g.optional for g in golds)
        row["system"] += len(systems)
        pairs = _match_group(golds, systems)
        for gi, g in enumerate(golds):
            si = pairs.get(gi)
            if si is None:
                if not g.optional:
                    row["fn"] += 1
                    misses.append(_miss(g, documents))
                continue
            if g.optional:
                optional_found += 1
                row["optional_found"] += 1
                continue
            row["tp"] += 1
            s = systems[si]
            for attr, ok in attribute_results(g, s).items():
                if ok is None:
                    continue
                attr_counts[attr][1] += 1
                if ok:
                    attr_counts[attr][0] += 1
                else:
                    attribute_errors.append(_attribute_error(g, s, attr))
        matched = set(pairs.values())
        for si, s in enumerate(systems):
            if si not in matched:
                row["fp"] += 1
                false_claims.append(_system_summary(s))

    per_type = {t: _count_row(c) for t, c in counts.items()}
    overall = _count_row({k: sum(c[k] for c in counts.values()) for k in _COUNT_KEYS})
    attributes = {
        a: {"correct": c, "scored": n, "accuracy": round(c / n, 4) if n else None} for a, (c, n) in attr_counts.items()
    }
    hits = [hit for m in gold.must_not for hit in _must_not_hits(m, system)]
    return ClaimsReport(
        scored_types=tuple(sorted(scored)),
        per_type=per_type,
        overall=overall,
        attributes=attributes,
        optional_found=optional_found,
        ignored_system=ignored,
        must_not_lines=len(gold.must_not),
        must_not_hits=hits,
        misses=misses,
        false_claims=false_claims,
        attribute_errors=attribute_errors,
        gold_warnings=gold.warnings,
    )


_COUNT_KEYS = ("gold", "optional", "optional_found", "system", "tp", "fp", "fn")


def _count_row(c: Mapping[str, int]) -> dict[str, Any]:
    """`gold` counts required gold claims; `system` every system claim of the type, including those that
    found an optional gold claim (`optional_found`), which count neither way."""
    return {
        "gold": c["gold"],
        "optional": c["optional"],
        "optional_found": c["optional_found"],
        "system": c["system"],
        **prf(c["tp"], c["fp"], c["fn"]),
    }


# --- matching ----------------------------------------------------------------------------------------


def claim_matches(g: GoldClaim, s: Mapping[str, Any]) -> float | None:
    """None when the system claim cannot match the gold claim (doc, type, place, actor); else place closeness."""
    if str(s.get("document_id")) != g.doc or s.get("type") != g.type:
        return None
    closeness = place_closeness(g.place, s.get("place"))
    if closeness is None:
        return None
    if g.actor is not None and not name_matches(g.actor, s.get("actor")):
        return None
    return closeness


def _match_group(golds: Sequence[GoldClaim], systems: Sequence[Mapping[str, Any]]) -> dict[int, int]:
    """One-to-one best matching of one (doc, type) group: {gold index: system index}."""
    base = (min(len(golds), len(systems)) + 1) * (_CLOSENESS_STEPS + 1)
    weights: dict[tuple[int, int], int] = {}
    for gi, g in enumerate(golds):
        for si, s in enumerate(systems):
            closeness = claim_matches(g, s)
            if closeness is None:
                continue
            attrs = attribute_results(g, s)
            # An attribute gold does not score is "not wrong": it must not make one pairing look better.
            agree = [int(attrs[a] is not False) for a in _PREFERENCE]
            levels = [int(not g.optional), 1, *agree, round(closeness * _CLOSENESS_STEPS)]
            weights[(gi, si)] = lexicographic_weight(levels, base)
    return assign(len(golds), len(systems), weights)


def attribute_results(g: GoldClaim, s: Mapping[str, Any]) -> dict[str, bool | None]:
    """Per attribute: True/False when the gold scores it, None when it does not."""
    return {
        "date": _date_ok(g, s),
        "source": (not s.get("attributed_to")) if g.source is None else name_matches(g.source, s.get("attributed_to")),
        "stance": s.get("stance") == g.stance,
        "quantity": None if g.quantity is None else _quantity_ok(g.quantity, s.get("quantity")),
        "advice": None if g.advice is None else s.get("advice") == g.advice,
        "status": None if g.status is None else s.get("status") == g.status,
    }


def system_span(s: Mapping[str, Any]) -> tuple[date | None, date | None]:
    day = parse_day(s.get("date"))
    if day is not None:
        return day, day
    return parse_day(s.get("date_earliest")), parse_day(s.get("date_latest"))


def _date_ok(g: GoldClaim, s: Mapping[str, Any]) -> bool | None:
    if g.when is None:
        return None
    lo, hi = system_span(s)
    exact = g.when.exact
    if exact is not None:
        slack = timedelta(days=DATE_TOLERANCE_DAYS)
        return lo is not None and hi is not None and exact - slack <= lo and hi <= exact + slack
    if g.when.earliest is not None and (lo is None or lo < g.when.earliest):
        return False
    return not (g.when.latest is not None and (hi is None or hi > g.when.latest))


def _quantity_ok(expected: float, value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return abs(float(value) - expected) <= QUANTITY_TOLERANCE * abs(expected)


def _must_not_hits(m: MustNot, system: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    hits = []
    for s in system:
        if str(s.get("document_id")) != m.doc or s.get("type") != m.type:
            continue
        if m.stance is not None and s.get("stance") != m.stance:
            continue
        if place_closeness(m.place, s.get("place")) is None:
            continue
        evidence = s.get("evidence") or {}
        hits.append(
            {
                "doc": m.doc,
                "type": m.type,
                "place": m.place.name if m.place else None,
                "stance": m.stance,
                "note": m.note,
                "line": m.line,
                "system_id": s.get("id"),
                "system_stance": s.get("stance"),
                "evidence": evidence.get("text") if isinstance(evidence, Mapping) else None,
            }
        )
    return hits


# --- report rows --------------------------------------------------------------------------------------


def _miss(g: GoldClaim, documents: Mapping[str, str] | None) -> dict[str, Any]:
    text = documents.get(g.doc) if documents else None
    return {
        "doc": g.doc,
        "type": g.type,
        "place": g.place.name if g.place else None,
        "stance": g.stance,
        "date": _span_text(g),
        "note": g.note,
        "line": g.line,
        "sentence": _likely_sentence(text, g) if text else None,
    }


def _system_summary(s: Mapping[str, Any]) -> dict[str, Any]:
    place = s.get("place") or {}
    evidence = s.get("evidence") or {}
    return {
        "id": s.get("id"),
        "doc": s.get("document_id"),
        "type": s.get("type"),
        "place": place.get("name") if isinstance(place, Mapping) else None,
        "stance": s.get("stance"),
        "evidence": evidence.get("text") if isinstance(evidence, Mapping) else None,
    }


def _attribute_error(g: GoldClaim, s: Mapping[str, Any], attr: str) -> dict[str, Any]:
    if attr == "date":
        lo, hi = system_span(s)
        got: Any = None if lo is None and hi is None else (str(lo) if lo == hi else f"{lo}..{hi}")
        want: Any = _span_text(g)
    elif attr == "source":
        ref = s.get("attributed_to")
        got = ref.get("name") or ref.get("id") if isinstance(ref, Mapping) else None
        want = list(g.source) if g.source else "(the outlet)"
    else:
        got = s.get(attr)
        want = getattr(g, attr)
    return {
        "doc": g.doc,
        "type": g.type,
        "place": g.place.name if g.place else None,
        "attribute": attr,
        "gold": want,
        "system": got,
        "line": g.line,
        "system_id": s.get("id"),
    }


def _span_text(g: GoldClaim) -> str | None:
    if g.when is None:
        return None
    if g.when.exact is not None:
        return str(g.when.exact)
    return f"{g.when.earliest or ''}..{g.when.latest or ''}"


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def _likely_sentence(text: str, g: GoldClaim) -> str | None:
    """The sentence most likely meant by a missed gold claim, for a human to read: the one naming its place
    (and, better, its actor). Gold names its place by the gazetteer's spelling, so this may find nothing."""
    place = normalise_name(g.place.name) if g.place and g.place.name else None
    actors = [normalise_name(a) for a in (g.actor or ()) if len(a) > 2]
    best, best_score = None, 0
    for sentence in _SENTENCE_END.split(text):
        norm = normalise_name(sentence)
        score = (2 if place and place in norm else 0) + (1 if any(a in norm for a in actors) else 0)
        if score > best_score:
            best, best_score = sentence.strip(), score
    return best


def _prf_row(label: str, row: Mapping[str, Any]) -> str:
    return (
        f"{label:<22}{row['gold']:>6}{row['system']:>6}{row['optional_found']:>6}{row['tp']:>6}{row['fp']:>6}{row['fn']:>6}"
        f"{row['precision']:>8.2f}{row['recall']:>8.2f}{row['f1']:>8.2f}"
    )


def _quote(text: str | None, limit: int = 160) -> str:
    if not text:
        return "(no evidence)"
    text = " ".join(text.split())
    return f'"{text[: limit - 1]}…"' if len(text) > limit else f'"{text}"'
