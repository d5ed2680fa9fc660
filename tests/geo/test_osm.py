"""`sitroom routes import`: an OpenStreetMap extract written here with pyosmium, read back into roads whose
points are gazetteer places in order along the line, and used by the route planner."""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitroom.cli import main
from sitroom.geo import Gazetteer
from sitroom.geo.osm import roads_from_extract
from sitroom.geo.roads import RoadGraph

osmium = pytest.importorskip("osmium", reason="the osm extra (pyosmium) is not installed")


def _xy(name: str) -> tuple[float, float]:
    return Gazetteer.default().lookup(name, "SY")[0].lat or 0.0, Gazetteer.default().lookup(name, "SY")[0].lon or 0.0


def _line(stops: list[tuple[float, float]], per_leg: int = 20) -> list[tuple[float, float]]:
    out = []
    for (a_lat, a_lon), (b_lat, b_lon) in itertools.pairwise(stops):
        out += [(a_lat + (b_lat - a_lat) * k / per_leg, a_lon + (b_lon - a_lon) * k / per_leg) for k in range(per_leg)]
    return [*out, stops[-1]]


@pytest.fixture(scope="module")
def extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Homs to Hama through Rastan as two trunk ways sharing a node (ref "T9"), a stray 2 km primary road,
    and a footpath that is not a main road."""
    from osmium.osm.mutable import Node, Way

    path = tmp_path_factory.mktemp("osm") / "test-region-latest.osm.pbf"
    main_line = _line([_xy("Homs"), _xy("Rastan"), _xy("Hama")])
    stray = _line([(34.0, 37.0), (34.018, 37.0)], 5)
    footpath = _line([_xy("Homs"), _xy("Palmyra")], 5)
    nodes = [Node(id=i + 1, location=(lon, lat)) for i, (lat, lon) in enumerate(main_line + stray + footpath)]
    ids = [n.id for n in nodes]
    n1, n2 = len(main_line), len(stray)
    half = n1 // 2
    ways = [
        Way(id=1, nodes=ids[: half + 1], tags={"highway": "trunk", "ref": "T9", "name": "Homs-Hama road"}),
        Way(id=2, nodes=ids[half:n1], tags={"highway": "trunk", "ref": "T9"}),
        Way(id=3, nodes=ids[n1 : n1 + n2], tags={"highway": "primary", "ref": "P1"}),
        Way(id=4, nodes=ids[n1 + n2 :], tags={"highway": "footway", "ref": "F1"}),
    ]
    with osmium.SimpleWriter(str(path)) as writer:
        for n in nodes:
            writer.add_node(n)
        for w in ways:
            writer.add_way(w)
    return path


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    old = os.environ.get("SITROOM_DATA_DIR")
    os.environ["SITROOM_DATA_DIR"] = str(tmp_path / "data")
    try:
        yield tmp_path / "data"
    finally:
        if old is None:
            os.environ.pop("SITROOM_DATA_DIR", None)
        else:
            os.environ["SITROOM_DATA_DIR"] = old


def test_main_roads_become_chains_of_known_places(extract: Path) -> None:
    roads = roads_from_extract(extract, Gazetteer.default())
    assert [r.name for r in roads] == ["T9 (Homs-Hama road)"]  # the stray is too short, the footpath no road
    names = [name for name, _ in roads[0].points]
    assert names[0] == "Homs" and names[-1] == "Hama"
    assert names.index("Rastan") == len(names) // 2 or 0 < names.index("Rastan") < len(names) - 1
    assert "T9" in roads[0].aliases


def test_an_imported_road_is_routed_over(extract: Path, data_dir: Path) -> None:
    out = CliRunner().invoke(main, ["routes", "import", str(extract)])
    assert out.exit_code == 0, out.output
    assert (data_dir / "roads" / "testregionlatest.toml").exists()
    graph = RoadGraph.load(Gazetteer.default())
    assert "osm:testregionlatest:t9" in graph.roads and "sy:road:m5" in graph.roads
    listed = json.loads(CliRunner().invoke(main, ["routes", "list", "--format", "json"]).output)
    assert any(r["id"] == "osm:testregionlatest:t9" for r in listed)
    # importing the same extract again replaces its roads rather than adding a second copy
    assert CliRunner().invoke(main, ["routes", "import", str(extract)]).exit_code == 0
    assert len(list((data_dir / "roads").glob("*.toml"))) == 1
    assert len(RoadGraph.load(Gazetteer.default()).roads) == len(graph.roads)


def test_a_file_that_is_no_extract_is_named(tmp_path: Path, data_dir: Path) -> None:
    bad = tmp_path / "notes.osm.pbf"
    bad.write_text("not an extract", encoding="utf-8")
    out = CliRunner().invoke(main, ["routes", "import", str(bad)])
    assert out.exit_code == 1 and "notes.osm.pbf" in out.output
