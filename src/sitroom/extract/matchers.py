"""Compiled matchers over the lexicons: built once per `Lexicons`, shared by every document.

Everything here is a plain regular expression over the document text (no model): actor aliases (two
alternations, one case-sensitive for names and acronyms, one case-insensitive for descriptions), bodies of
states by pattern ("the Russian Embassy in Damascus", "China's embassy", "the Embassy of India"),
nationals ("Russian citizens", "Jordanians"), trigger groups, and cue lists.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from re import _constants as _C  # type: ignore[attr-defined]
from re import _parser as _P  # type: ignore[attr-defined]
from typing import Any

from sitroom.extract.lexicon import Lexicons, StateEntry, TriggerGroup

_B = r"(?<![\w'’-])"  # left word boundary that also refuses a hyphen or apostrophe before ("Russian-")
_E = r"(?![\w-])"

BODY_TITLES = {
    "embassy": "Embassy",
    "foreign_ministry": "Foreign Ministry",
    "defence_ministry": "Defence Ministry",
    "interior_ministry": "Interior Ministry",
    "army": "armed forces",
    "navy": "Navy",
    "air_force": "Air Force",
    "government": "government",
    "presidency": "presidency",
}


# --- gating: try a pattern only where a match can start ---------------------------------------------------
#
# Python's regex engine tries every alternative at every character, and the word-boundary lookbehind in front
# of our cue lists stops it from skipping ahead: a 200-phrase list costs ~1.5 us per character. Every phrase of
# the lexicons starts with a few known letters, so we compute, from the parsed pattern, the set of lower-case
# prefixes a match can begin with, index a document's word starts once, and call `match` only at the word
# starts whose prefix is in the set. Same matches, a fraction of the time.

_KEY_LEN = 6  # longest prefix indexed: "the ar" tells "the army" from every other "the"
_PREFIX_LIMIT = 6000
_SPACES = re.compile(r"\s")
_WORD_START = re.compile(r"(?<![\w'’-])\S")


class _Unbounded(Exception):
    pass


class _Stop(Exception):
    """A pattern element whose characters we do not enumerate (\\w+, .): the prefix ends before it."""


def _prefixes(items: list[tuple[object, object]], n: int) -> set[str]:
    if n <= 0 or not items:
        return {""}
    op, av = items[0]
    try:
        heads = _item_prefixes(op, av, n)
    except _Stop:
        return {""}
    out: set[str] = set()
    for h in heads:
        if len(h) >= n:
            out.add(h[:n])
            continue
        for t in _prefixes(items[1:], n - len(h)):
            out.add(h + t)
        if len(out) > _PREFIX_LIMIT:
            raise _Unbounded
    return out


def _item_prefixes(op: object, av: Any, n: int) -> set[str]:
    if op is _C.LITERAL:
        return {chr(av).lower()}
    if op is _C.IN:
        chars: set[str] = set()
        for o, a in av:
            if o is _C.LITERAL:
                chars.add(chr(a).lower())
            elif o is _C.RANGE and a[1] - a[0] <= 30:
                chars.update(chr(c).lower() for c in range(a[0], a[1] + 1))
            elif o is _C.CATEGORY and a is _C.CATEGORY_SPACE:
                chars.add(" ")  # the index folds every space to " "
            else:
                raise _Stop
        return chars
    if op is _C.SUBPATTERN:
        return _prefixes(list(av[-1]), n)
    if op is _C.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            out |= _prefixes(list(branch), n)
        return out
    if op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
        lo, hi, sub = av
        one = _prefixes(list(sub), n)
        opts = set(one)
        if lo == 0:
            opts.add("")
        if hi is _C.MAXREPEAT or hi > 1:
            opts |= {(a + b)[:n] for a in one for b in one}
        return opts
    if op in (_C.ASSERT, _C.ASSERT_NOT, _C.AT):
        return {""}
    raise _Stop


def match_prefixes(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """The lower-case strings (up to six characters) every match of `pattern` starts with; None if unknown."""
    parsed = list(_P.parse(pattern, flags))
    found: set[str] | None = None
    for n in (_KEY_LEN, 3):
        try:
            found = _prefixes(parsed, n)
            break
        except (_Unbounded, RecursionError):
            continue
    if found is None:
        return None
    if "" in found:
        return None
    return frozenset(found)


class _WordIndex:
    """Where each prefix (up to six letters) starts a word in a text; candidate lists per pattern."""

    __slots__ = ("by_len", "cache", "groups", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        low = _SPACES.sub(" ", text.lower())
        full: dict[str, list[int]] = {}
        for m in _WORD_START.finditer(low):
            p = m.start()
            full.setdefault(low[p : p + _KEY_LEN], []).append(p)
        self.by_len: dict[int, dict[str, list[int]]] = {_KEY_LEN: full}
        self.cache: dict[int, list[int]] = {}
        self.groups: dict[int, list[list[list[int]]]] = {}

    def _group_hits(self, group: GateGroup) -> list[list[list[int]]]:
        """For every pattern of `group`, the position lists of the text's word starts it can match at: one
        pass over the text's distinct prefixes for all the patterns, instead of one per pattern."""
        found = self.groups.get(id(group))
        if found is None:
            found = [[] for _ in range(group.size)]
            known = group.by_key
            for k, ps in self.by_len[_KEY_LEN].items():
                slots = known.get(k)
                if slots is None:
                    slots = group.slots_for(k)
                for slot in slots:
                    found[slot].append(ps)
            self.groups[id(group)] = found
        return found

    def _keys(self, n: int) -> dict[str, list[int]]:
        table = self.by_len.get(n)
        if table is None:
            table = {}
            for k, ps in self.by_len[_KEY_LEN].items():
                table.setdefault(k[:n], []).extend(ps)
            self.by_len[n] = table
        return table

    def candidates(self, gated: Gated) -> list[int]:
        found = self.cache.get(id(gated))
        if found is None and gated.group is not None:
            lists = self._group_hits(gated.group)[gated.slot]
            found = sorted({p for ps in lists for p in ps}) if len(lists) != 1 else lists[0]
            self.cache[id(gated)] = found
        if found is None:
            hits: list[int] = []
            for n, keys in gated.by_len.items():
                table = self._keys(n)
                small, big = (keys, table) if len(keys) < len(table) else (table.keys(), keys)
                for k in small:
                    if k in big:
                        hits.extend(table[k])
            found = sorted(set(hits))
            self.cache[id(gated)] = found
        return found


_local = threading.local()


def _index(text: str) -> _WordIndex:
    """The word starts of `text`, built once per text (the last one per thread is kept)."""
    idx = getattr(_local, "idx", None)
    if idx is None or idx.text is not text:
        idx = _WordIndex(text)
        _local.idx = idx
    return idx


class Gated:
    """A compiled pattern tried only at word starts whose first letters can begin a match."""

    def __init__(self, body: str, flags: int) -> None:
        self.rx = re.compile(body, flags)
        self.prefixes = match_prefixes(body, flags)
        lengths = {len(k) for k in self.prefixes or ()}
        self.by_len = {n: frozenset(k for k in self.prefixes or () if len(k) == n) for n in lengths}
        self.group: GateGroup | None = None  # set by GateGroup: candidates come from the group's one pass
        self.slot = -1

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        end = len(text) if endpos is None else endpos
        prefixes = self.prefixes
        if prefixes is None or len(text) < 200:
            yield from self.rx.finditer(text, pos, end)
            return
        cands = _index(text).candidates(self)
        i = bisect.bisect_left(cands, pos)
        last = -1
        n = len(cands)
        match = self.rx.match
        while i < n:
            p = cands[i]
            if p >= end:
                break
            if p >= last:
                m = match(text, p, end)
                if m is not None and m.end() > m.start():
                    last = m.end()
                    yield m
            i += 1

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        if self.prefixes is None or len(text) < 200:
            # what finditer would yield first (its ungated path)
            return self.rx.search(text, pos, len(text) if endpos is None else endpos)
        return next(self.finditer(text, pos, endpos), None)


class GateGroup:
    """Gated patterns whose candidate positions are found together, in one pass over a text's word starts.

    Each prefix of each member maps to the members it can begin; a text's index looks each of its distinct
    word prefixes up once (at every prefix length in use) and so collects every member's candidates."""

    def __init__(self, members: Iterable[Gated]) -> None:
        inv: dict[str, list[int]] = {}
        size = 0
        for g in members:
            if g.prefixes is None or g.group is not None:
                continue  # ungated, or already in a group
            g.group, g.slot = self, size
            size += 1
            for k in g.prefixes:
                inv.setdefault(k, []).append(g.slot)
        self.size = size
        self.inv = inv
        self.lens = tuple(sorted({len(k) for k in inv}))
        # a word's six-letter key -> every member one of its prefixes can begin; news reuses its words, so
        # most keys of a document were seen before (bounded: cleared when large)
        self.by_key: dict[str, tuple[int, ...]] = {}

    def slots_for(self, key: str) -> tuple[int, ...]:
        out: list[int] = []
        for n in self.lens:
            slots = self.inv.get(key[:n])
            if slots is not None:
                out.extend(slots)
        found = tuple(out)
        if len(self.by_key) > 200_000:
            self.by_key.clear()
        self.by_key[key] = found
        return found


def alternation(phrases: Iterable[str], *, literal: bool) -> str:
    items = sorted({p for p in phrases if p}, key=len, reverse=True)
    parts = [re.escape(p) if literal else p for p in items]
    return "(?:" + "|".join(parts) + ")" if parts else "(?!x)x"


def cue_regex(phrases: Sequence[str]) -> Gated:
    """Cue fragments (regular expressions) as one case-insensitive pattern on word boundaries."""
    return Gated(_B + alternation(phrases, literal=False) + _E, re.IGNORECASE)


def _norm_key(s: str) -> str:
    return " ".join(s.replace("’", "'").split()).lower()


@dataclass(frozen=True, slots=True)
class CompiledTrigger:
    group: TriggerGroup
    regex: Gated


class Matchers:
    """Every pattern the rules extractor needs, compiled from one `Lexicons`."""

    def __init__(self, lex: Lexicons) -> None:
        self.lex = lex
        cs: dict[str, str] = {}
        ci: dict[str, str] = {}
        for aid, entry in lex.actors.items():
            for alias in (entry.actor.name, *entry.actor.aliases):
                if alias.lower() == alias:
                    ci[_norm_key(alias)] = aid
                else:
                    cs[alias.replace("’", "'")] = aid
                    if "'" in alias:
                        cs[alias.replace("'", "’")] = aid
        self.alias_cs = cs
        self.alias_ci = ci
        self.alias_cs_re = Gated(_B + alternation(cs, literal=True) + _E, 0)
        ci_alts = alternation((re.escape(k).replace("'", "['’]").replace(r"\ ", r"\s+") for k in ci), literal=False)
        self.alias_ci_re = Gated(_B + ci_alts + _E, re.IGNORECASE)

        # states: bare names, demonyms, nationals
        self.state_by_name: dict[str, StateEntry] = {}
        self.state_by_demonym: dict[str, StateEntry] = {}
        self.state_by_nationals: dict[str, StateEntry] = {}
        for st in lex.states.values():
            for n in st.names:
                self.state_by_name[n] = st
            for d in st.demonyms:
                self.state_by_demonym[d] = st
            for n in st.nationals:
                self.state_by_nationals[n] = st
        names = alternation(self.state_by_name, literal=True)
        dems = alternation(self.state_by_demonym, literal=True)
        nats = alternation(self.state_by_nationals, literal=True)
        self.body_words: dict[str, str] = {}
        for kind, words in lex.section("bodies").items():
            for w in words:
                self.body_words[_norm_key(w)] = kind
        bodies = alternation((re.escape(w).replace(r"\ ", r"\s+") for w in self.body_words), literal=False)
        loc = r"(?:\s+(?:in|to)\s+(?P<loc>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?))?"
        self.body_re = Gated(
            rf"{_B}(?:the\s+)?(?:(?P<dem>{dems})|(?P<sname>{names})(?:'s|’s)?)\s+(?i:(?P<body>{bodies})){_E}{loc}", 0
        )
        self.body_of_re = Gated(
            # "the warplanes of the Israeli enemy", "the army of the Russian occupation" (translated Arabic)
            rf"{_B}(?:the\s+)?(?i:(?P<body>{bodies}))\s+of\s+(?:the\s+)?(?:(?P<sname>{names})|(?P<dem>{dems})"
            rf"(?=\s+(?i:enemy|occupation|regime|aggression|army|forces|government)\b)){_E}"
            rf"(?:(?:\s+in|,)\s+(?P<loc>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?))?",
            0,
        )
        self.unqualified_body_re = Gated(rf"{_B}the\s+(?P<body>{bodies}){_E}", re.IGNORECASE)
        # a bare state name is an actor as a subject ("Jordan shut ..."), not as a possessive ("Syria's uprising")
        # a state's armed forces by their own name ("the FAMa", "ENDF troops", "the Tatmadaw"), matched as written
        self.state_by_force: dict[str, StateEntry] = {f: st for st in lex.states.values() for f in st.forces}
        forces = alternation(self.state_by_force, literal=True) if self.state_by_force else r"(?!x)x"
        self.state_force_re = Gated(rf"{_B}(?P<force>{forces}){_E}", 0)
        self.state_name_re = Gated(rf"{_B}(?P<sname>{names}){_E}(?!['’]s\b)", 0)
        self.nationals_re = Gated(
            rf"{_B}(?:(?P<nat>{nats})|(?P<dem>{dems})\s+(?i:citizens|nationals|expatriates|residents|passport[- ]holders|"
            rf"students|workers|diplomats|compatriots|travell?ers|people)){_E}",
            0,
        )

        # triggers
        self.triggers = [
            CompiledTrigger(g, Gated(_B + alternation(g.patterns, literal=False) + _E, re.IGNORECASE))
            for g in lex.triggers
        ]

        c = lex.cue
        self.reporting = cue_regex((*c("reporting", "verbs"), "received reports"))
        self.according = cue_regex(c("reporting", "according"))
        self.denial = cue_regex(c("denial", "verbs"))
        self.hypothetical = cue_regex(c("stance", "hypothetical"))
        self.plan = cue_regex(c("stance", "plan"))
        self.time_reference = cue_regex(c("stance", "time_reference"))
        self.own_forces = cue_regex(c("voice", "own_forces"))
        self.civilian_building = cue_regex(c("civilian", "buildings"))
        self.earlier_report = cue_regex(c("correction", "earlier"))
        self.retracted = cue_regex(c("correction", "retracted"))
        self.correction_label = cue_regex(c("correction", "labels"))
        self.rumour = cue_regex(c("correction", "rumour"))
        self.projection = cue_regex(c("stance", "projection"))
        self.circumstance = cue_regex(c("stance", "circumstance"))
        # "its fighters", "our forces" just before the event word: the speaker's own act
        self.possessive_own = re.compile(
            r"(?:^|[\s\"“‘(])" + alternation(c("stance", "own"), literal=False) + r"\s+(?:[\w-]+\s+){0,2}$", re.I
        )
        # "thousands", "dozens": a rough size, not a count
        self.rough = re.compile("^" + alternation(c("figures", "rough"), literal=False) + "$", re.I)
        self.ana_city = cue_regex(c("anaphora", "city"))
        self.ana_capital = cue_regex(c("anaphora", "capital"))
        self.ana_facility = cue_regex(c("anaphora", "facility"))
        self.metric_res = {
            m: cue_regex(c("figures", m)) for m in ("killed", "injured", "displaced", "refugees", "evacuated")
        }
        self.not_people = re.compile(
            r"^\s*(?:-\s*)?" + alternation(c("figures", "not_people"), literal=False) + r"(?![\w])", re.IGNORECASE
        )
        self.audience = cue_regex(c("advisory", "audience"))
        self.advice_res = {
            level: cue_regex(c("advisory", level))
            for level in ("leave", "do_not_travel", "reconsider_travel", "shelter_in_place", "other")
            if c("advisory", level)
        }
        self.means = cue_regex(c("advisory", "means"))
        self.status_res = {
            s: cue_regex(c("transport", s)) for s in ("suspended", "closed", "disrupted", "open") if c("transport", s)
        }
        self.roads = cue_regex(c("transport", "roads"))
        self.pronoun_speaker = re.compile(
            r"(?:^|[\s,(“\"])(?P<p>it|they|he|she|the\s+(?:ministry|embassy|mission|diplomatic\s+mission|agency|alliance|"
            r"coalition|group|organi[sz]ation|office|factions|militia|spokes(?:man|woman|person)|statement|army|military|"
            r"monitor|observatory|command|government|authorities|same\s+alliance|same\s+group))\s*$",
            re.IGNORECASE,
        )
        GateGroup(
            [
                *(v for v in vars(self).values() if isinstance(v, Gated)),
                *(t.regex for t in self.triggers),
                *self.metric_res.values(),
                *self.advice_res.values(),
                *self.status_res.values(),
            ]
        )
        self.coalition_ref = re.compile(
            r"(?<![\w-])(?:the|its|this|that)\s+(?:same\s+)?(?:islamist-led\s+|rebel\s+)?(?:alliance|coalition)(?![\w-])",
            re.IGNORECASE,
        )
