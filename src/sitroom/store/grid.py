"""A fixed 0.1-degree grid over the globe: what makes "near this point" an index look-up.

Claims and events carry the number of the cell their place lies in. A box query becomes `cell IN (...)`
over the few cells it covers (then the exact bounds), instead of a latitude band that crosses the whole
store — the difference between milliseconds and seconds at a million claims.
"""

from __future__ import annotations

import math

CELL_DEG = 0.1
_COLUMNS = int(360 / CELL_DEG)
MAX_CELLS = 900  # a box covering more cells than this is answered by the latitude/longitude index instead


def cell_of(lat: float | None, lon: float | None) -> int | None:
    if lat is None or lon is None:
        return None
    row = min(math.floor((lat + 90.0) / CELL_DEG), int(180 / CELL_DEG) - 1)
    col = math.floor((lon + 180.0) / CELL_DEG) % _COLUMNS
    return row * _COLUMNS + col


def cells_in(min_lon: float, min_lat: float, max_lon: float, max_lat: float) -> list[int] | None:
    """The cells a box touches, or None when there are too many to list (a country-sized box)."""
    first, last = cell_of(min_lat, min_lon), cell_of(max_lat, max_lon)
    if first is None or last is None or max_lon < min_lon or max_lat < min_lat:
        return []
    row0, col0 = divmod(first, _COLUMNS)
    row1, col1 = divmod(last, _COLUMNS)
    if (row1 - row0 + 1) * (col1 - col0 + 1) > MAX_CELLS:
        return None
    return [r * _COLUMNS + c for r in range(row0, row1 + 1) for c in range(col0, col1 + 1)]
