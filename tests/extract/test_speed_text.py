"""The sentence splitter's fast path agrees with the plain definition it stands in for (no timings)."""

from __future__ import annotations

import random
import re

from sitroom.extract.text import _last_word


def test_last_word_is_the_trailing_run_of_word_characters_and_dots() -> None:
    rng = random.Random(7)
    alphabet = "ab. ,x1_é\t.."
    cases = ["", ".", "U.S", "Gen", "said the Gen", "x" * 30, "a" + "." * 40, "word " + "b" * 23, "c" * 24]
    cases += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(20_000)]
    for s in cases:
        found = re.findall(r"[\w.]+$", s)
        assert _last_word(s) == (found[0] if found else ""), s
