"""A regression floor on LGL (588 local-news articles). The floor sits a little below what the
geoparser reaches, so that a change that loses accuracy fails here."""

from __future__ import annotations

from sitroom.geo import Geoparser
from sitroom.geo.evaluate import evaluate_geoparse

from .conftest import shared_file


def test_lgl_accuracy_stays_above_its_floor(geoparser: Geoparser) -> None:
    score = evaluate_geoparse(shared_file("corpus", "geo", "lgl.xml"), geoparser).as_dict()
    assert score["accuracy_161km"] >= 0.83
    assert score["recognition_recall"] >= 0.74
    assert score["recognition_precision"] >= 0.80
