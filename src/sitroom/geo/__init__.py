"""Places: the gazetteer (names to places) and the geoparser (place mentions in text).

from sitroom.geo import Gazetteer, Geoparser, distance_km
gp = Geoparser.default()
for m in gp.parse("Rebels entered Hama, north of Homs."):
    print(m.text, m.place and m.place.name, m.rule)
"""

from sitroom.geo.gazetteer import Gazetteer, distance_km
from sitroom.geo.geoparser import Geoparser
from sitroom.geo.zones import detect_zones

__all__ = ["Gazetteer", "Geoparser", "detect_zones", "distance_km"]
