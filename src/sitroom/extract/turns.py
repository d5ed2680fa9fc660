"""Speaker turns in transcripts: who says each paragraph of a briefing, an interview or a broadcast.

A transcript labels every turn with its speaker — "Official Spokesperson (Shri Aditya Varma): …", "Q (Nidhi
Rao, Newsline 24): …", "DR SAMER: …", "ANCHOR (Nairobi): …" — and later turns repeat a short form of the label
("Official Spokesperson:", "KOVALCHUK:"); a turn runs on over the paragraphs after it until the next
label. What a turn asserts is its speaker's claim; a host's or a
questioner's turn is the outlet's own voice (and a question asserts nothing). A text counts as a transcript
when at least three paragraphs open with a label and one label comes back, so a status board's "UPDATE:" or a
bulletin's "Aleppo:" lines are left to the rules that read boards.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sitroom import lang

_JOIN = lang.alternation(lang.words("turns", "label_joiners"))
_NAME = rf"(?:[A-Z][\w'’.-]*|{_JOIN})(?:[ \t]+(?:[A-Z][\w'’.-]*|{_JOIN})){{0,7}}"
# "YUSUF DEMIR, CORRESPONDENT, GAZIANTEP:": a name, a role, where they speak from
_LABEL = re.compile(
    rf"[ \t]*(?P<label>{_NAME}(?:,[ \t]+{_NAME}){{0,2}})"
    r"[ \t]*(?:\((?P<aside>[^()\n]{2,80})\))?[ \t]*:[ \t]",
)
_HOSTS = frozenset(lang.words("turns", "hosts"))
_QUESTIONS = frozenset(lang.words("turns", "questions"))
_HONORIFICS = frozenset(lang.words("turns", "honorifics"))
_TITLES = frozenset(lang.words("turns", "titles"))
_COURTESY = frozenset(h.rstrip(".") for h in _HONORIFICS)  # "Mr" and "Mr." alike


@dataclass(frozen=True, slots=True)
class Turn:
    """One labelled paragraph: where its label is, and who speaks."""

    line_start: int
    label_start: int
    label_end: int  # the label, its aside and the colon
    name: str  # the speaker as a name ("Aditya Varma", "Dr Samer"); "" for the outlet's own voice
    voice: str  # "speaker", "host" or "question"
    aside: str | None = None


def _key(label: str) -> str:
    words = [w for w in re.findall(r"[\w'’-]+", label.lower()) if w not in _HONORIFICS]
    return words[-1] if words else ""


def _name(label: str, aside: str | None) -> str:
    """The speaker's name: a person named in the aside, else the label in ordinary case."""
    titled = label.split()[0].lower().rstrip(".") in _TITLES | _COURTESY
    raw = label
    if aside is not None and "," not in aside and len(aside.split()) >= 2 and aside[:1].isupper() and not titled:
        raw = aside
    words = raw.split()
    while words and words[0].lower().rstrip(".") in _COURTESY:
        words = words[1:]
    name = " ".join(words) or raw
    if name.isupper():
        name = " ".join(w.capitalize() if len(w) > 1 else w for w in name.split())
    return name


def speaker_turns(text: str, outlet: str | None = None) -> dict[int, Turn]:
    """The turns of `text` by the offset of their paragraph's first character; empty unless it is a transcript."""
    found: list[tuple[int, re.Match[str]]] = []
    lines: list[int] = []  # the start of every line that holds text
    pos = 0
    for line in text.split("\n"):
        m = _LABEL.match(line)
        if m is not None and len(m.group("label")) <= 60:
            found.append((pos, m))
        if line.strip():
            lines.append(pos)
        pos += len(line) + 1
    keys = Counter(_key(m.group("label").split(",")[0]) for _, m in found)
    if len(found) < 3 or not any(n >= 2 for n in keys.values()):
        return {}
    outlet_keys = set()
    if outlet:
        outlet_keys = {outlet.lower(), "".join(w[0] for w in outlet.split() if w[:1].isalpha()).lower()}
    turns: dict[int, Turn] = {}
    names: dict[str, str] = {}  # a label's key -> the full name its first turn gave
    for line_start, m in found:
        label, *roles = [part.strip() for part in m.group("label").split(",")]
        aside = m.group("aside")
        low = label.lower()
        if (
            low in _HOSTS
            or low in outlet_keys
            or low.removeprefix("the ") in outlet_keys
            or any(r.lower() in _HOSTS for r in roles)
        ):
            voice, name = "host", ""
        elif low in _QUESTIONS:
            voice, name = "question", ""
        else:
            voice = "speaker"
            name = names.get(_key(label)) or _name(label, aside)
            names.setdefault(_key(label), name)
            if aside and name != label:
                names.setdefault(_key(aside), name)  # "Mr Latimer:" after "The Minister (Mr Owen Latimer):"
        turns[line_start] = Turn(line_start, line_start + m.start("label"), line_start + m.end(), name, voice, aside)
    # a turn runs on over the paragraphs that follow it until the next label
    current: Turn | None = None
    for start in lines:
        if start in turns:
            current = turns[start]
        elif current is not None:
            turns[start] = Turn(start, start, start, current.name, current.voice, current.aside)
    return turns
