"""Reading gold files (eval/FORMAT.md): expected claims, must-not lines and control changes.

A gold line that cannot be scored as written (not JSON, no doc, a date that does not parse, a place without
coordinates) raises `DataFileError(path, line, reason)` naming the file and the line: guessing would silently
move every score computed from it. A word outside sitroom's vocabularies (an event type, stance or place kind
it does not know) is kept and listed in `Gold.warnings`, because gold written by other hands may go beyond
sitroom's ontology and that is a finding to report, not a reason to score nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sitroom.errors import DataFileError
from sitroom.model import (
    ADVICE_LEVELS,
    EVENT_TYPES,
    FACILITY_STATUSES,
    PLACE_KINDS,
    STANCES,
    DateSpan,
    Place,
)

CLAIMS_FILE = "claims.jsonl"
CONTROL_FILE = "control.jsonl"
DEFAULT_TOLERANCE_DAYS = 1


@dataclass(frozen=True, slots=True)
class GoldClaim:
    """One expected claim. `None` in actor/place/date means "not scored"; `source=None` means the outlet."""

    doc: str
    type: str
    stance: str
    actor: tuple[str, ...] | None = None
    target: tuple[str, ...] | None = None
    place: Place | None = None
    when: DateSpan | None = None
    source: tuple[str, ...] | None = None
    quantity: float | None = None
    advice: str | None = None
    status: str | None = None
    optional: bool = False
    note: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class MustNot:
    """A claim the system must not produce: type and doc always; place and stance only where given."""

    doc: str
    type: str
    place: Place | None = None
    stance: str | None = None
    note: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class GoldControl:
    """One expected change of control. `since` is a day (earliest == latest) or a range."""

    place: Place
    controller: tuple[str, ...]
    since: DateSpan
    tolerance_days: int = DEFAULT_TOLERANCE_DAYS
    doc: str | None = None
    note: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Gold:
    claims: tuple[GoldClaim, ...] = ()
    must_not: tuple[MustNot, ...] = ()
    control: tuple[GoldControl, ...] = ()
    claims_path: str | None = None  # None: the corpus has no claims gold
    control_path: str | None = None  # None: the corpus has no control gold
    warnings: tuple[str, ...] = ()  # lines read past: words outside sitroom's vocabularies

    @property
    def scored_types(self) -> frozenset[str]:
        """Types with at least one required gold claim; system claims of other types are ignored."""
        return frozenset(g.type for g in self.claims if not g.optional)


def load_gold(corpus_dir: Path) -> Gold:
    """Read `corpus_dir/gold/claims.jsonl` and `corpus_dir/gold/control.jsonl`.

    Either file may be absent (a corpus may be gold for claims only); a corpus with neither is an error,
    because scoring it would report nothing and look like success.
    """
    gold_dir = Path(corpus_dir) / "gold"
    claims_path = gold_dir / CLAIMS_FILE
    control_path = gold_dir / CONTROL_FILE
    if not claims_path.is_file() and not control_path.is_file():
        raise DataFileError(
            str(gold_dir), None, f"no {CLAIMS_FILE} or {CONTROL_FILE} here; a corpus needs gold/ to be scored"
        )
    claims: list[GoldClaim] = []
    must_not: list[MustNot] = []
    control: list[GoldControl] = []
    warnings: list[str] = []
    if claims_path.is_file():
        for line_no, obj in _json_lines(claims_path):
            reader = _LineReader(str(claims_path), line_no, obj, warnings)
            if "must_not" in obj:
                must_not.append(reader.must_not())
            else:
                claims.append(reader.claim())
    if control_path.is_file():
        for line_no, obj in _json_lines(control_path):
            control.append(_LineReader(str(control_path), line_no, obj, warnings).control())
    return Gold(
        claims=tuple(claims),
        must_not=tuple(must_not),
        control=tuple(control),
        claims_path=str(claims_path) if claims_path.is_file() else None,
        control_path=str(control_path) if control_path.is_file() else None,
        warnings=tuple(warnings),
    )


def _json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(str(path), None, f"cannot read: {exc}") from exc
    for line_no, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise DataFileError(str(path), line_no, f"not JSON: {exc.msg}") from exc
        if not isinstance(obj, dict):
            raise DataFileError(str(path), line_no, "a gold line must be a JSON object")
        yield line_no, obj


class _LineReader:
    """Validates the fields of one gold line; every complaint names the file and line."""

    def __init__(self, path: str, line: int, obj: dict[str, Any], warnings: list[str]) -> None:
        self.path = path
        self.line = line
        self.obj = obj
        self.warnings = warnings

    def fail(self, reason: str) -> DataFileError:
        return DataFileError(self.path, self.line, reason)

    def warn(self, reason: str) -> None:
        self.warnings.append(f"{self.path}:{self.line}: {reason}")

    # --- lines ---------------------------------------------------------------------------------

    def claim(self) -> GoldClaim:
        o = self.obj
        optional = o.get("optional", False)
        if not isinstance(optional, bool):
            raise self.fail(f"'optional' must be true or false, not {optional!r}")
        return GoldClaim(
            doc=self.text(o, "doc"),
            type=self.choice(o, "type", EVENT_TYPES),
            stance=self.choice(o, "stance", STANCES),
            actor=self.names(o, "actor"),
            target=self.names(o, "target"),
            place=self.place(o.get("place"), "place"),
            when=self.when(o.get("date"), "date"),
            source=self.names(o, "source"),
            quantity=self.number(o, "quantity"),
            advice=self.maybe_choice(o, "advice", ADVICE_LEVELS),
            status=self.maybe_choice(o, "status", FACILITY_STATUSES),
            optional=optional,
            note=str(o.get("note") or ""),
            line=self.line,
        )

    def must_not(self) -> MustNot:
        spec = self.obj["must_not"]
        if not isinstance(spec, dict):
            raise self.fail("'must_not' must be an object with at least a 'type'")
        return MustNot(
            doc=self.text(self.obj, "doc"),
            type=self.choice(spec, "type", EVENT_TYPES),
            place=self.place(spec.get("place"), "must_not.place"),
            stance=self.maybe_choice(spec, "stance", STANCES),
            note=str(self.obj.get("note") or ""),
            line=self.line,
        )

    def control(self) -> GoldControl:
        o = self.obj
        place = self.place(o.get("place"), "place")
        if place is None:
            raise self.fail("a control line needs a 'place'")
        controller = self.names(o, "controller")
        if not controller:
            raise self.fail("a control line needs 'controller': a list of acceptable names")
        since = self.when(o.get("since"), "since")
        if since is None:
            raise self.fail("a control line needs 'since': a date or {earliest, latest}")
        tolerance = o.get("tolerance_days", DEFAULT_TOLERANCE_DAYS)
        if isinstance(tolerance, bool) or not isinstance(tolerance, int) or tolerance < 0:
            raise self.fail(f"'tolerance_days' must be a whole number >= 0, not {tolerance!r}")
        doc = o.get("doc")
        return GoldControl(
            place=place,
            controller=controller,
            since=since,
            tolerance_days=tolerance,
            doc=str(doc) if doc is not None else None,
            note=str(o.get("note") or ""),
            line=self.line,
        )

    # --- fields --------------------------------------------------------------------------------

    def text(self, o: dict[str, Any], key: str) -> str:
        value = o.get(key)
        if not isinstance(value, str) or not value:
            raise self.fail(f"'{key}' must be a non-empty string")
        return value

    def choice(self, o: dict[str, Any], key: str, allowed: tuple[str, ...]) -> str:
        value = o.get(key)
        if not isinstance(value, str) or not value:
            raise self.fail(f"'{key}' must be one of: {', '.join(allowed)}")
        if value not in allowed:
            # Gold written elsewhere may use a word sitroom does not know; scoring goes on (nothing of
            # sitroom's will match it) and the report says so, rather than the whole evaluation failing.
            self.warn(f"'{key}' {value!r} is not one of sitroom's ({', '.join(allowed)}); nothing will match it")
        return value

    def maybe_choice(self, o: dict[str, Any], key: str, allowed: tuple[str, ...]) -> str | None:
        return None if o.get(key) is None else self.choice(o, key, allowed)

    def names(self, o: dict[str, Any], key: str) -> tuple[str, ...] | None:
        value = o.get(key)
        if value is None:
            return None
        if isinstance(value, str):  # a single name is a list of one; common when written by hand
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(f"'{key}' must be null or a list of names, not {value!r}")
        # An empty list would make the field unmatchable; read it as "not scored", like null.
        return tuple(value) or None

    def number(self, o: dict[str, Any], key: str) -> float | None:
        value = o.get(key)
        if value is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise self.fail(f"'{key}' must be a number or null, not {value!r}")

    def place(self, value: Any, key: str) -> Place | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.fail(f"'{key}' must be an object or null")
        kind = value.get("kind") or "town"  # FORMAT's control example omits kind: read as an ordinary place
        if not isinstance(kind, str):
            raise self.fail(f"'{key}.kind' must be a string, not {kind!r}")
        if kind not in PLACE_KINDS:
            self.warn(f"'{key}.kind' {kind!r} is not one of sitroom's; matched as an ordinary place (25 km)")
        country = value.get("country")
        lat: Any = value.get("lat")
        lon: Any = value.get("lon")
        if kind == "country" and (not isinstance(country, str) or len(country) != 2):
            raise self.fail(f"'{key}' is a country and needs a two-letter 'country' code")
        point: tuple[float, float] | None = None
        if all(isinstance(c, int | float) and not isinstance(c, bool) for c in (lat, lon)):
            point = (float(lat), float(lon))
            if not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
                raise self.fail(f"'{key}' has coordinates out of range: {lat}, {lon}")
        elif kind != "country":
            raise self.fail(f"'{key}' needs numeric 'lat' and 'lon' (only a country may go without)")
        return Place(
            name=str(value.get("name") or ""),
            lat=point[0] if point else None,
            lon=point[1] if point else None,
            country=country.upper() if isinstance(country, str) else None,
            kind=kind,
        )

    def when(self, value: Any, key: str) -> DateSpan | None:
        if value is None:
            return None
        if isinstance(value, str):
            return DateSpan.day(self.day(value, key))
        if isinstance(value, dict):
            earliest = value.get("earliest")
            latest = value.get("latest")
            if earliest is None and latest is None:
                raise self.fail(f"'{key}' range needs 'earliest' and/or 'latest'")
            lo = self.day(earliest, f"{key}.earliest") if earliest is not None else None
            hi = self.day(latest, f"{key}.latest") if latest is not None else None
            if lo and hi and lo > hi:
                raise self.fail(f"'{key}' range ends ({hi}) before it starts ({lo})")
            return DateSpan(lo, hi)
        raise self.fail(f"'{key}' must be 'YYYY-MM-DD', {{'earliest', 'latest'}} or null")

    def day(self, value: Any, key: str) -> date:
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
            try:  # a timestamp where a day was asked for: its day is what is meant
                return datetime.fromisoformat(value).date()
            except ValueError:
                pass
        raise self.fail(f"'{key}' is {value!r}, not a YYYY-MM-DD date")
