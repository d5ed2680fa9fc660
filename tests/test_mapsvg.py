"""The control map sitroom draws itself (report.mapsvg): places in their holder's colour, stale ones faded,
names escaped, labels that never overlap."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from sitroom.report.mapsvg import actor_colour, control_map

SVG = "{http://www.w3.org/2000/svg}"


def entry(name: str, lat: float, lon: float, holder: str, kind: str = "city", stale: bool | None = False) -> dict:
    return {
        "place": {"name": name, "lat": lat, "lon": lon, "kind": kind, "country": "SY"},
        "controller": {"id": holder, "name": holder.upper()},
        "stale": stale,
    }


def test_places_are_drawn_in_their_holders_colour_and_stale_ones_faded() -> None:
    svg = control_map(
        [entry("Hama", 35.13, 36.76, "hts"), entry("Homs", 34.73, 36.72, "gov", stale=True)],
        {"hts": "#1e7b45"},
    )
    root = ET.fromstring(svg)  # well-formed
    dots = {c.get("fill"): c for c in root.iter(f"{SVG}circle") if c.get("r") == "5" and c.get("fill-opacity")}
    assert dots["#1e7b45"].get("fill-opacity") == "0.95"
    faded = [c for c in dots.values() if c.get("fill-opacity") == "0.35"]
    assert len(faded) == 1 and faded[0].get("fill") == actor_colour({"id": "gov"}, {})
    assert {t.text for t in root.iter(f"{SVG}text")} >= {"Hama", "Homs", "HTS", "GOV"}  # names and the legend


def test_report_text_in_names_stays_text_and_close_labels_do_not_overlap() -> None:
    svg = control_map(
        [
            entry("<script>x</script>", 35.0, 36.0, "a"),
            entry("Twin North", 35.001, 36.0005, "a"),  # a few hundred metres away: its label would overlap
        ],
        {},
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    labels = [t for t in ET.fromstring(svg).iter(f"{SVG}text") if t.text in ("<script>x</script>", "Twin North")]
    assert len(labels) == 1


def test_unknown_actors_get_a_stable_colour_of_their_own() -> None:
    a, b = actor_colour({"id": "krlf"}, {}), actor_colour({"id": "other_front"}, {})
    assert re.fullmatch(r"#[0-9a-f]{6}", a) and a == actor_colour({"id": "krlf"}, {}) and a != b
    assert control_map([], {}) == ""
