"""Sentence vectors from the static encoder in `models/encoder-en/` (built by `sitroom.models.build_encoder`).

A sentence is cut into WordPiece tokens the way BERT's uncased tokenizer does (lowercase, accents stripped,
punctuation split off, longest vocabulary match first) and read as the weighted mean of its tokens' vectors,
L2-normalised. numpy only; about 20 µs for a sentence of 30 words.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from sitroom.errors import ConfigError

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "encoder-en"
_WORD = re.compile(r"[^\W_]+|[^\w\s]|_")
_MAX_WORD = 100


class WordPiece:
    """BERT's uncased WordPiece over a vocabulary list (index = token id)."""

    def __init__(self, vocab: Sequence[str]) -> None:
        self.index = {t: i for i, t in enumerate(vocab)}
        self.unk = self.index.get("[UNK]", 0)
        self._cache: dict[str, tuple[int, ...]] = {}

    def ids(self, text: str) -> list[int]:
        out: list[int] = []
        for word in _WORD.findall(_normalise(text)):
            got = self._cache.get(word)
            if got is None:
                got = self._word(word)
                if len(self._cache) < 200_000:
                    self._cache[word] = got
            out.extend(got)
        return out

    def _word(self, word: str) -> tuple[int, ...]:
        if len(word) > _MAX_WORD:
            return (self.unk,)
        pieces: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = self.index.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return (self.unk,)
            pieces.append(found)
            start = end
        return tuple(pieces)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


class StaticEncoder:
    """Token table, token weights and tokenizer of one static encoder folder."""

    def __init__(self, folder: Path = MODEL_DIR) -> None:
        verify(folder)
        q = np.load(folder / "vectors.npy")
        scales = np.load(folder / "scales.npy")
        self.table = (q.astype(np.float32) * scales[:, None]).astype(np.float32)
        self.weights = np.load(folder / "weights.npy").astype(np.float32)
        vocab = (folder / "vocab.txt").read_text(encoding="utf-8").split("\n")[: len(self.table)]
        self.wordpiece = WordPiece(vocab)
        self.dims = self.table.shape[1]
        for special in ("[CLS]", "[SEP]", "[PAD]", "[UNK]"):
            if special in self.wordpiece.index:
                self.weights[self.wordpiece.index[special]] = 0.0

    def encode(self, texts: Iterable[str]) -> np.ndarray:
        rows = []
        for text in texts:
            ids = self.wordpiece.ids(text)
            if not ids:
                rows.append(np.zeros(self.dims, dtype=np.float32))
                continue
            w = self.weights[ids]
            v = (self.table[ids] * w[:, None]).sum(axis=0) / max(float(w.sum()), 1e-6)
            n = float(np.linalg.norm(v))
            rows.append(v / n if n > 0 else v)
        return np.stack(rows) if rows else np.zeros((0, self.dims), dtype=np.float32)


def verify(folder: Path = MODEL_DIR) -> None:
    """Refuse an encoder folder whose files do not match its SHA256SUMS."""
    sums = folder / "SHA256SUMS"
    if not sums.is_file():
        raise ConfigError(f"{folder}: no SHA256SUMS; rebuild it with python -m sitroom.models.build_encoder")
    for line in sums.read_text(encoding="utf-8").splitlines():
        want, name = line.split(maxsplit=1)
        path = folder / name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != want:
            raise ConfigError(f"{path}: missing or changed (not the file SHA256SUMS names); the encoder is refused")


@lru_cache(maxsize=1)
def default_encoder() -> StaticEncoder:
    return StaticEncoder()
