"""Counts as news writes them: "280,000", "1.5 million", "48,500", "six", "nearly three
hundred thousand", "a dozen", "12".

`find_numbers` returns every count in a text with its character span and value; the qualifier in front
("more than", "at least", "roughly") is kept out of the value (gold figures carry the stated number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitroom import lang

# the number words of the language (lang/en/grammar.toml, [numbers])
_UNITS = lang.numbers("numbers", "units")
_TENS = lang.numbers("numbers", "tens")
_SCALES = lang.numbers("numbers", "scales")
_SCALE_ABBR = lang.numbers("numbers", "scale_abbreviations")

_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES, "a dozen", "dozen"], key=len, reverse=True))
_WORD_NUM = (
    rf"(?:(?:(?:a|an)[\s-]+(?=hundred|thousand|million|billion))?(?:{_WORD})(?:[\s-]+(?:and[\s-]+)?(?:{_WORD}))*)"
)
# thousands grouped in threes ("370,000") or, as South Asian outlets write them, the lakh way ("3,70,000")
_GROUPED = r"(?:\d{1,2}(?:,\d{2})+,\d{3}|\d{1,3}(?:,\d{3})+)"
_DIGIT_NUM = rf"(?:{_GROUPED}|\d+)(?:\.\d+)?(?:\s*(?:million|billion|thousand|hundred|mn|bn|m|k)\b)?"
# "half a million", "one and a half million", "2.5 million", "a quarter of a million", "a million"
_PART = r"(?:a\s+half|half\s+an?|a\s+quarter(?:\s+of\s+an?)?|three[\s-]+quarters\s+of\s+an?)"
_WHOLE = rf"(?:(?:{_WORD})(?:[\s-]+(?:{_WORD}))*|\d+)"
_FRACTION_NUM = rf"(?:{_WHOLE}\s+and\s+)?{_PART}\s+(?:million|billion|thousand|hundred)"
_FRACTION_RE = re.compile(
    rf"(?:(?P<whole>{_WHOLE})\s+and\s+)?(?P<part>{_PART})\s+(?P<scale>million|billion|thousand|hundred)", re.I
)
_PARTS = {"a half": 0.5, "half a": 0.5, "half an": 0.5, "a quarter": 0.25, "a quarter of a": 0.25,
          "three quarters of a": 0.75}  # fmt: skip
# not a designation: the 130 of a "Yak-130" jet, the 72 of a "T-72" tank, the 24 of an "Su-24"
NUMBER_RE = re.compile(rf"(?<![\w.,/])(?<![A-Za-z]-)(?:(?i:{_FRACTION_NUM})|{_DIGIT_NUM}|(?i:{_WORD_NUM}))(?![\w]|/\d)")


@dataclass(frozen=True, slots=True)
class NumberMention:
    text: str
    start: int
    end: int
    value: float


def words_to_number(text: str) -> float | None:
    """ "three hundred thousand" -> 300000; "a dozen" -> 12; None when the words are not a number."""
    words = [w for w in re.split(r"[\s-]+", text.lower()) if w and w != "and"]
    if not words:
        return None
    total, current = 0, 0
    for i, w in enumerate(words):
        if w == "a" and i + 1 < len(words) and words[i + 1] == "dozen":
            continue
        if w in ("a", "an") and i == 0 and len(words) > 1 and words[1] in _SCALES:
            current = 1  # "a hundred and fifty", "a million"
            continue
        if w == "dozen":
            current = (current or 1) * 12
        elif w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in _SCALES:
            total += (current or 1) * _SCALES[w]
            current = 0
        else:
            return None
    return float(total + current)


def _fraction(text: str) -> float | None:
    """ "one and a half million" -> 1500000; "half a million" -> 500000; "a million" -> 1000000."""
    m = _FRACTION_RE.fullmatch(text)
    if m is None:
        return None
    part = _PARTS.get(" ".join(re.split(r"[\s-]+", m.group("part").lower())))
    if part is None:
        return None
    whole = m.group("whole")
    base = 0.0
    if whole:
        base = float(whole) if whole.isdigit() else (words_to_number(whole) or 0.0)
    return (base + part) * _SCALES[m.group("scale").lower()]


def parse_number(text: str) -> float | None:
    t = text.strip()
    frac = _fraction(" ".join(t.split()))
    if frac is not None:
        return frac
    m = re.fullmatch(rf"({_GROUPED}|\d+)(\.\d+)?\s*([A-Za-z]+)?", t)
    if m:
        value = float(m.group(1).replace(",", "") + (m.group(2) or ""))
        scale = (m.group(3) or "").lower()
        if scale:
            factor = _SCALES.get(scale) or _SCALE_ABBR.get(scale)
            if factor is None:
                return None
            value *= factor
        return value
    return words_to_number(t)


def find_numbers(text: str, start: int = 0, end: int | None = None) -> list[NumberMention]:
    out: list[NumberMention] = []
    for m in NUMBER_RE.finditer(text, start, len(text) if end is None else end):
        value = parse_number(m.group(0))
        if value is not None:
            out.append(NumberMention(m.group(0), m.start(), m.end(), value))
    return out
