"""How place names are compared: one normal form for index keys and for text spans.

Two spellings that a reader would call "the same name" must meet on one key: case, accents, curly or
straight apostrophes and the Arabic 'ayn/hamza marks (ʿ ʾ), hyphens versus spaces, and full stops in
abbreviations ("St." / "St") are all folded away. Transliteration variants that differ in letters
(Hama/Hamah, Deir ez-Zor/Dayr az Zawr) are a different matter: `loose_key` folds them further, and the
gazetteer only uses it as a fallback.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DROP = str.maketrans({c: None for c in "'’‘`´ʼʻʿʾ′.\u200f\u200e\u0640"})
_SPACE = str.maketrans({c: " " for c in "-‐‑–—_/"})
_WS = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def norm(s: str) -> str:
    """The index key of a name: casefolded, accents stripped, apostrophes dropped, hyphens as spaces."""
    if s.isascii():
        out = s.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", s)
        out = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    out = out.translate(_DROP).translate(_SPACE)
    return _WS.sub(" ", out).strip()


# Arabic articles and letters that English transliterations render in several ways. Applied to a
# normalised key, these fold e.g. "dayr az zawr", "deir ez zor" and "deir ezzor" onto "dirzr".
_ARTICLE = re.compile(r"\b(?:al|el|ar|as|az|ad|ash|at|an|ez|es|er|ed|en|et)\b\s*")
_VOWELS = re.compile(r"[aeiouy]+")
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=100_000)
def loose_key(key: str) -> str:
    """A lossy skeleton of a normalised key, for transliteration variants (consonants, order kept).

    Too lossy to use on its own: callers accept a loose match only with corroborating context.
    """
    if not key.isascii():
        return ""
    s = _ARTICLE.sub("", key)
    s = s.replace("kh", "k").replace("q", "k").replace("ph", "f").replace("dh", "d").replace("th", "t")
    s = s.replace("sh", "s").replace("gh", "g").replace("ou", "u").replace("w", "")
    first = s[:1]
    s = first + _VOWELS.sub("", s[1:])
    s = s.replace(" ", "")
    s = _DOUBLE.sub(r"\1", s)
    if s.endswith("h") and len(s) > 3:
        s = s[:-1]
    return s
