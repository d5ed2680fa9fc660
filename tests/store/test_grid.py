"""The 0.1-degree grid behind neighbourhood queries."""

from sitroom.store.grid import MAX_CELLS, cell_of, cells_in


def test_nearby_points_share_a_cell_and_a_box_lists_the_cells_it_touches() -> None:
    homs = cell_of(34.7268, 36.7234)
    assert homs == cell_of(34.7201, 36.7299)
    assert cell_of(34.7268, 36.8234) != homs
    cells = cells_in(36.6, 34.6, 36.85, 34.85)
    assert cells is not None and homs in cells and 9 <= len(cells) <= 16  # 3x3, or 4x4 on float edges


def test_edges_of_the_globe_and_huge_boxes() -> None:
    assert cell_of(90.0, 180.0) is not None and cell_of(-90.0, -180.0) == 0
    assert cell_of(None, 36.0) is None
    assert cells_in(-180, -90, 180, 90) is None  # too many: the caller falls back to lat/lon bounds
    assert len(cells_in(36.0, 34.0, 36.0 + 0.1 * 29, 34.0 + 0.1 * 29) or []) <= MAX_CELLS
