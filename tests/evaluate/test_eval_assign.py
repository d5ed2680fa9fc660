"""The one-to-one assignment against brute force on small random problems."""

from __future__ import annotations

import itertools
import random

from sitroom.evaluate.matching import assign, haversine_km, lexicographic_weight


def brute_force_best(n_rows: int, n_cols: int, weights: dict[tuple[int, int], int]) -> int:
    best = 0
    rows = range(n_rows)
    for k in range(min(n_rows, n_cols) + 1):
        for chosen in itertools.combinations(rows, k):
            for cols in itertools.permutations(range(n_cols), k):
                pairs = list(zip(chosen, cols, strict=True))
                if all(p in weights for p in pairs):
                    best = max(best, sum(weights[p] for p in pairs))
    return best


def test_assignment_is_optimal_and_one_to_one_on_random_problems():
    rng = random.Random(7)
    for _ in range(300):
        n_rows, n_cols = rng.randint(1, 5), rng.randint(1, 5)
        weights = {(r, c): rng.randint(1, 50) for r in range(n_rows) for c in range(n_cols) if rng.random() < 0.5}
        result = assign(n_rows, n_cols, weights)
        assert len(set(result.values())) == len(result)
        assert all((r, c) in weights for r, c in result.items())
        assert sum(weights[(r, c)] for r, c in result.items()) == brute_force_best(n_rows, n_cols, weights)


def test_lexicographic_weight_puts_higher_levels_first():
    base = 10
    one_match_perfect = lexicographic_weight([1, 9, 9], base)
    two_matches_poor = lexicographic_weight([1, 0, 0], base) * 2
    assert two_matches_poor > one_match_perfect


def test_haversine_known_distance():
    # Aleppo to Damascus is about 300 km as the crow flies.
    assert 295 < haversine_km(36.2021, 37.1343, 33.5102, 36.2913) < 315
    assert haversine_km(35.0, 36.0, 35.0, 36.0) == 0.0
