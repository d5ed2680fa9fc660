"""Sentences of a news text, with character offsets, and the lines that are not news.

A fast splitter of our own (no model): news prose is regular enough that a period, question or
exclamation mark followed by a capital starts a new sentence, except after the abbreviations newsrooms use
("Nov.", "U.S.", "Gen."). Paragraph breaks always end a sentence. Datelines ("BEIRUT, Nov 27 (Wire) –") and
live-blog timestamps ("18:20 —") are cut from the front of a sentence: they are not part of any claim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sitroom import lang

_ABBREV = frozenset(
    [
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "cpl",
        "adm",
        "gov",
        "sen",
        "rep",
        "st",
        "mt",
        "ft",
        "no",
        "nos",
        "vs",
        "approx",
        "est",
        "dept",
        "inc",
        "ltd",
        "co",
        "corp",
        "jr",
        "sr",
        "rev",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
    ]
)

# lines that carry no news: related-article lines, "read more", photo captions and credits, bylines, footers
BOILERPLATE_LINE = re.compile(
    r"""^\s*(?:\*\*|\*|_)?\s*(?:
        related(?:\s+article|\s+story|\s+stories|\s+coverage)?\s*:|read\s+more\s*:|see\s+also\s*:|more\s+on\s+this\s*:|
        photo\s*:|picture\s*:|image\s*:|caption\s*:|video\s*:|watch\s*:|file\s+photo|
        (?:reporting|writing|editing|additional\s+reporting)\s+by\b|by\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}\s*$|
        [\w ,]+\s+contributed\s+(?:to\s+)?(?:this\s+)?report|original\s+url\s*:|<?https?://|source\s*:|
        follow\s+us|subscribe|share\s+this|©|copyright
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_CREDIT_TAIL = re.compile(r"\*\*[^*\n]{2,80}\*\*\s*$")  # "... Masyaf, Syria. **Photographer / AP**"

DATELINE = re.compile(
    r"""^(?:[A-Z][A-Z.'-]+(?:[ /][A-Z][A-Z.'-]+)*        # BEIRUT, ALEPPO/BEIRUT
        (?:,\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+)?(?=\s*[(,–—-]))?              # , Syria
        (?:,\s*(?:[A-Z][a-z]{2,4}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}))?   # , Nov 27
        \s*(?:\([^)]{1,40}\))?\s*[-–—]{1,2}\s*)""",
    re.VERBOSE,
)
LIVE_STAMP = re.compile(
    r"^\s*(?:(?:UPDATE|Update|BREAKING|Breaking|LIVE|Live)\b[^:—–-]{0,20}[:—–-]\s*)?"  # "UPDATE (14:05):"
    r"(?:\[?\d{1,2}[:.h]\d{2}\]?|\d{4}(?=\s*(?:GMT|UTC)))"  # 14:05, [14:05], 0930 GMT
    r"(?:\s*(?:GMT|UTC|local(?:\s+time)?|am|pm|a\.m\.|p\.m\.|\((?:GMT|UTC)[+-]\d{1,2}\)))?"
    r"(?:\s*[-–—:|]\s*|\s+(?=[A-Z]))"
)

_LAST_WORD = re.compile(r"[\w.]+$")
_SPLIT = re.compile(r"([.!?])([\"”’)\]]*)(\s+)(?=[\"“‘(\[]?[A-Z0-9])")


def _last_word(s: str) -> str:
    """The run of word characters and dots that ends `s` ("" if none), looked for in its tail first: a
    search anchored at the end still tries every position of the string before it."""
    tail = max(0, len(s) - 24)
    m = _LAST_WORD.search(s, tail)
    if m is not None and m.start() == tail and tail > 0:
        m = _LAST_WORD.search(s)  # the run may start further back
    return m.group(0) if m else ""


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int


def mask_markup(text: str) -> str:
    """The text with markdown link and emphasis markup blanked out, same length (offsets stay valid):
    "[said](#)" reads as "said", "**Related article:**" as "Related article:"."""

    def link(m: re.Match[str]) -> str:
        inner = m.group(1)
        return " " + inner + " " * (len(m.group(0)) - len(inner) - 1)

    out = re.sub(r"\[([^\]\n]{0,200})\]\([^)\n]{0,500}\)", link, text)
    return re.sub(r"\*\*|__", lambda m: " " * len(m.group(0)), out)


_REPAIR_NAME = r"[A-Z0-9][\w'’-]*(?:\s+[A-Z0-9][\w'’-]*){0,3}"
_REPAIR = re.compile(
    r"(?P<first>(?:\b(?:of|in|at|on)\s+)?(?!(?:No|Sorry|Yes|Well|Oh|Sir)\b)"
    + _REPAIR_NAME
    + r")\s*(?:[—–,.]|--)\s*(?:[Nn]o,?\s+)?(?i:"
    + lang.alternation(lang.words("repair", "phrases"))
    + r")(?:,\s*no)?[,.]?\s+(?P<second>(?:(?:of|in|at|on)\s+)?"
    + _REPAIR_NAME
    + r")(?P<tail>,\s+not\s+"
    + _REPAIR_NAME
    + r")?"
)


def mask_repairs(text: str) -> str:
    """The text with a speaker's self-corrections blanked out, same length: "Homs — sorry, Hama, not Homs" reads
    as "Hama"; what was said first has as many words as the correction, so "South Kivu — I beg your pardon, of
    North Kivu" drops "South Kivu"."""

    def blank(m: re.Match[str]) -> str:
        first, second = m.group("first"), m.group("second")
        words = [w.start() for w in re.finditer(r"\S+", first)]
        cut = words[len(words) - len(second.split())] if len(second.split()) < len(words) else 0
        kept = first[:cut]
        out = kept + " " * (len(first) - len(kept)) + " " * (m.start("second") - m.end("first")) + second
        return out + (" " * len(m.group("tail")) if m.group("tail") else "")

    if not any(w.lower() in text.lower() for w in ("sorry", "pardon", "i mean", "correction", "rather")):
        return text
    return _REPAIR.sub(blank, text)


def _inside(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    mid_len = max(1, (end - start) // 2)
    for s, e in spans:
        overlap = min(end, e) - max(start, s)
        if overlap >= mid_len:
            return True
    return False


def split_sentences(text: str, skip: Sequence[tuple[int, int]] = ()) -> list[Sentence]:
    """Sentences of `text` (offsets into it), leaving out lines inside `skip` spans and boilerplate lines."""
    out: list[Sentence] = []
    pos = 0
    for line in text.split("\n"):
        lstart, lend = pos, pos + len(line)
        pos = lend + 1
        stripped = line.strip()
        if not stripped or _inside(lstart, lend, skip) or BOILERPLATE_LINE.match(line):
            continue
        if _CREDIT_TAIL.search(line) and len(stripped) < 400:
            continue  # an image caption with its credit
        offset = lstart + (len(line) - len(line.lstrip()))
        body = text[offset:lend]
        m = LIVE_STAMP.match(body) or DATELINE.match(body)
        if m and m.end() < len(body):
            offset += m.end()
            body = text[offset:lend]
        start = 0
        for m2 in _SPLIT.finditer(body):
            cut = m2.end(2)
            before = body[start : m2.start(1)]
            word = _last_word(before).lower().rstrip(".")
            if word in _ABBREV or (len(word) == 1 and word.isalpha()):
                continue
            out.append(Sentence(offset + start, offset + cut))
            start = m2.end(3)
        if start < len(body.rstrip()):
            out.append(Sentence(offset + start, offset + len(body.rstrip())))
    return [piece for s in out if s.end > s.start for piece in _bounded(text, s)]


MAX_SENTENCE = 1200  # characters; news sentences are far shorter, run-on input is cut (rules are per sentence)


def _bounded(text: str, s: Sentence) -> list[Sentence]:
    """A sentence longer than MAX_SENTENCE (a list without stops, bad input) cut at commas or spaces, so that the
    rules, which compare the places and triggers of a sentence pairwise, stay linear in the document's length."""
    if s.end - s.start <= MAX_SENTENCE:
        return [s]
    pieces: list[Sentence] = []
    start = s.start
    while s.end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE // 2
        cut = max(text.rfind(", ", start, limit), text.rfind("; ", start, limit))
        if cut <= start:
            cut = text.rfind(" ", start, limit)
        cut = cut + 1 if cut > start else limit
        pieces.append(Sentence(start, cut))
        while cut < s.end and text[cut] == " ":
            cut += 1
        start = cut
    pieces.append(Sentence(start, s.end))
    return [p for p in pieces if p.end > p.start]
