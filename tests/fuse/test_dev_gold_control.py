"""The control timeline fed with the dev corpus's gold claims (what a perfect extractor would say) must
reproduce the gold control changes: this measures fusion and control alone, apart from extraction."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from sitroom.evaluate import load_gold, score_control
from sitroom.fuse import changes_in, control_timeline, load_baseline
from sitroom.model import Actor, ActorRef, Claim, DateSpan, Evidence, Place
from sitroom.serialize import control_to_dict

DEV = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "dev"


def _slug(name: str) -> str:
    return "_".join(name.casefold().replace("-", " ").split())


def _actor(names: list[str] | None, actors: dict[str, Actor]) -> ActorRef | None:
    """The first acceptable name as an actor, placed in a hand-made family: government bodies under the
    government, the Kurdish-led SDF on its own, every other armed group under the opposition."""
    if not names:
        return None
    aid = _slug(names[0])
    if aid not in actors:
        parent: str | None = "syrian_opposition"
        if aid.startswith("syrian_government") or aid in ("syrian_authorities", "syrian_army"):
            parent = "syrian_government" if aid != "syrian_government" else None
        elif aid in ("sdf", "syrian_opposition") or "embassy" in aid or aid in ("russia", "china", "jordan"):
            parent = None
        actors[aid] = Actor(aid, names[0], parent=parent)
    return ActorRef(aid, names[0])


def _day(v: Any) -> DateSpan:
    if v is None:
        return DateSpan(None, None)
    if isinstance(v, str):
        return DateSpan.day(date.fromisoformat(v))
    return DateSpan(date.fromisoformat(v["earliest"]), date.fromisoformat(v["latest"]))


def _gold_claims(actors: dict[str, Actor]) -> list[Claim]:
    published: dict[str, tuple[str, str | None]] = {}
    for path in (DEV / "docs").glob("*.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        published[doc["id"]] = (doc["date"], doc.get("outlet"))
    for path in (DEV / "raw").glob("*.txt"):
        # the seed's file name carries its publication date: outlet-YYYY-MM-DD-slug
        parts = path.stem.split("-")
        published[path.stem] = ("-".join(parts[1:4]), parts[0])
    claims: list[Claim] = []
    for no, line in enumerate((DEV / "gold" / "claims.jsonl").read_text(encoding="utf-8").splitlines()):
        g = json.loads(line)
        if "must_not" in g:
            continue
        p = g.get("place")
        place = Place(p["name"], p["lat"], p["lon"], p["country"], p.get("kind", "town")) if p else None
        day, outlet = published[g["doc"]]
        text = f"gold line {no}"
        claims.append(
            Claim(
                id=f"gold-{no}",
                document_id=g["doc"],
                type=g["type"],
                stance=g["stance"],
                evidence=Evidence(text, 0, len(text)),
                extractor="gold",
                rule="gold",
                confidence=0.8,
                actor=_actor(g.get("actor"), actors),
                attributed_to=_actor(g.get("source"), actors),
                place=place,
                when=_day(g.get("date")),
                published_at=datetime.fromisoformat(day).replace(tzinfo=UTC),
                outlet=outlet,
            )
        )
    return claims


def test_gold_claims_reproduce_the_gold_control_changes():
    if not (DEV / "gold" / "control.jsonl").is_file():
        pytest.skip(f"../shared not found: {DEV}")
    actors: dict[str, Actor] = {
        "syrian_government": Actor("syrian_government", "Syrian government", kind="state"),
        "syrian_opposition": Actor("syrian_opposition", "Syrian opposition"),
    }
    claims = _gold_claims(actors)
    spans = control_timeline(claims, load_baseline(), actors)
    report = score_control([control_to_dict(s) for s in changes_in(spans)], load_gold(DEV))
    assert report.scores["f1"] >= 0.9, report.render_table()
    assert not report.false_changes, report.render_table()
