"""The sentence scorer: which kind of event, if any, one sentence reports, and its ACLED sub-event type.

Trained in a few seconds, each time a process first needs it, from files in the repository: the seed sentences
in `lang/<lang>/scorer/*.jsonl` (written by many hands in many registers, near misses labelled "none") and each
type's `meaning` in the ontology. Features: the sentence's vector from the static encoder (`encoder`) beside
signed hashed word uni- and bigrams; model: two multinomial logistic regressions (event type; ACLED sub-event),
class-balanced, L2-regularised, trained by full-batch Adam in numpy. Deterministic: the same files give the same
weights.

    scorer = default_scorer()
    scorer.score(["Rebels seized the town of Saraqib on Friday."])[0]
    # Score(type="territory_captured", p=0.9…, acled="Non-state actor overtakes territory", acled_p=…)
"""

from __future__ import annotations

import json
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import numpy as np

from sitroom.errors import ConfigError
from sitroom.extract.encoder import StaticEncoder, default_encoder
from sitroom.lang import folder
from sitroom.ontology import kinds

NONE = "none"
HASH_BITS = 12
_TOKEN = re.compile(r"[a-z][a-z'’-]*|\d+")
_DIGITS = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    type: str
    acled: str | None = None
    stance: str | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class Score:
    type: str
    p: float
    acled: str | None
    acled_p: float
    ranked: tuple[tuple[str, float], ...]  # the three likeliest types with their probabilities


def load_examples(paths: Iterable[Path]) -> list[Example]:
    """Labelled sentences from JSON Lines files; a bad line names its file and line and is skipped by nobody:
    seed data is the project's own, so it must be right."""
    types = set(kinds()) | {NONE}
    out: list[Example] = []
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                text, typ = str(row["text"]).strip(), str(row["type"])
            except (ValueError, KeyError, TypeError) as exc:
                raise ConfigError(f"{path}:{n}: not a labelled sentence ({exc})") from exc
            if typ not in types:
                raise ConfigError(f"{path}:{n}: unknown type {typ!r}")
            acled = row.get("acled") or None
            out.append(Example(text, typ, acled, row.get("stance"), path.name))
    return out


def seed_files(lang: str = "en") -> list[Path]:
    return sorted((folder(lang) / "scorer").glob("*.jsonl"))


def _hashed(text: str, bits: int = HASH_BITS) -> dict[int, float]:
    words = [_DIGITS.sub("0", w) for w in _TOKEN.findall(text.lower())]
    feats: dict[int, float] = {}
    grams = words + [a + " " + b for a, b in pairwise(words)]
    for g in grams:
        h = zlib.crc32(g.encode("utf-8"))
        i = h & ((1 << bits) - 1)
        feats[i] = feats.get(i, 0.0) + (1.0 if (h >> 31) & 1 else -1.0)
    return feats


class _Softmax:
    """Multinomial logistic regression (class-balanced, L2) trained by full-batch Adam."""

    def __init__(self, labels: Sequence[str]) -> None:
        self.labels = list(labels)

    def fit(self, x: np.ndarray, y: np.ndarray, l2: float = 1e-5, steps: int = 150, lr: float = 0.15) -> _Softmax:
        n, d = x.shape
        k = len(self.labels)
        counts = np.bincount(y, minlength=k).astype(np.float32)
        cw = np.where(counts > 0, n / (k * np.maximum(counts, 1)), 0.0).astype(np.float32)
        sw = cw[y] / cw[y].sum()
        onehot = np.eye(k, dtype=np.float32)[y]
        w = np.zeros((d, k), dtype=np.float32)
        b = np.zeros(k, dtype=np.float32)
        mw, vw, mb, vb = (np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b))
        for t in range(1, steps + 1):
            p = _softmax(x @ w + b)
            g = (p - onehot) * sw[:, None]
            gw = x.T @ g + l2 * w
            gb = g.sum(axis=0)
            for m, v, grad in ((mw, vw, gw), (mb, vb, gb)):
                m *= 0.9
                m += 0.1 * grad
                v *= 0.999
                v += 0.001 * grad * grad
            corr = np.sqrt(1 - 0.999**t) / (1 - 0.9**t)
            w -= lr * corr * mw / (np.sqrt(vw) + 1e-8)
            b -= lr * corr * mb / (np.sqrt(vb) + 1e-8)
        self.w, self.b = w, b
        return self

    def proba(self, x: np.ndarray) -> np.ndarray:
        return _softmax(x @ self.w + self.b)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class SentenceScorer:
    def __init__(self, examples: Sequence[Example], encoder: StaticEncoder | None = None) -> None:
        if not examples:
            raise ConfigError("the sentence scorer has no seed sentences (lang/en/scorer/*.jsonl)")
        self.encoder = encoder or default_encoder()
        # each type's meaning is one more example of it
        rows = list(examples) + [Example(k.meaning, k.id, source="ontology") for k in kinds().values() if k.meaning]
        x = self.features([r.text for r in rows])
        types = sorted({r.type for r in rows})
        self.types = _Softmax(types).fit(x, np.array([types.index(r.type) for r in rows]))
        coded = [r for r in rows if r.acled or r.type == NONE]
        acled_labels = sorted({r.acled or NONE for r in coded})
        keep = np.array([i for i, r in enumerate(rows) if r.acled or r.type == NONE])
        self.acled = _Softmax(acled_labels).fit(x[keep], np.array([acled_labels.index(r.acled or NONE) for r in coded]))
        self.size = len(rows)
        self.counts = Counter(r.type for r in rows)

    def features(self, texts: Sequence[str]) -> np.ndarray:
        dense = self.encoder.encode(texts)
        sparse = np.zeros((len(texts), 1 << HASH_BITS), dtype=np.float32)
        for i, t in enumerate(texts):
            f = _hashed(t)
            if f:
                idx = np.fromiter(f.keys(), dtype=np.int64)
                val = np.fromiter(f.values(), dtype=np.float32)
                sparse[i, idx] = val / np.sqrt((val * val).sum())
        return np.hstack([dense, sparse])

    def score(self, texts: Sequence[str]) -> list[Score]:
        if not texts:
            return []
        x = self.features(texts)
        pt = self.types.proba(x)
        pa = self.acled.proba(x)
        out = []
        for i in range(len(texts)):
            order = np.argsort(-pt[i])[:3]
            ranked = tuple((self.types.labels[j], float(pt[i, j])) for j in order)
            ja = int(np.argmax(pa[i]))
            acled = self.acled.labels[ja]
            out.append(Score(ranked[0][0], ranked[0][1], None if acled == NONE else acled, float(pa[i, ja]), ranked))
        return out


@lru_cache(maxsize=1)
def default_scorer() -> SentenceScorer:
    return SentenceScorer(load_examples(seed_files()))
