"""Compiled matchers over the lexicons: built once per `Lexicons`, shared by every document.

Everything here is a plain regular expression over the document text (no model): actor aliases (two
alternations, one case-sensitive for names and acronyms, one case-insensitive for descriptions), bodies of
states by pattern ("the Russian Embassy in Damascus", "China's embassy", "the Embassy of India"),
nationals ("Russian citizens", "Jordanians"), trigger groups, and cue lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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


def alternation(phrases: Iterable[str], *, literal: bool) -> str:
    items = sorted({p for p in phrases if p}, key=len, reverse=True)
    parts = [re.escape(p) if literal else p for p in items]
    return "(?:" + "|".join(parts) + ")" if parts else "(?!x)x"


def cue_regex(phrases: Sequence[str]) -> re.Pattern[str]:
    """Cue fragments (regular expressions) as one case-insensitive pattern on word boundaries."""
    return re.compile(_B + alternation(phrases, literal=False) + _E, re.IGNORECASE)


def _norm_key(s: str) -> str:
    return " ".join(s.replace("’", "'").split()).lower()


@dataclass(frozen=True, slots=True)
class CompiledTrigger:
    group: TriggerGroup
    regex: re.Pattern[str]


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
        self.alias_cs_re = re.compile(_B + alternation(cs, literal=True) + _E)
        ci_alts = alternation((re.escape(k).replace("'", "['’]").replace(r"\ ", r"\s+") for k in ci), literal=False)
        self.alias_ci_re = re.compile(_B + ci_alts + _E, re.IGNORECASE)

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
        for kind, words in lex.cues.get("bodies", {}).items():
            for w in words:
                self.body_words[_norm_key(w)] = kind
        bodies = alternation((re.escape(w).replace(r"\ ", r"\s+") for w in self.body_words), literal=False)
        loc = r"(?:\s+(?:in|to)\s+(?P<loc>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?))?"
        self.body_re = re.compile(
            rf"{_B}(?:the\s+)?(?:(?P<dem>{dems})|(?P<sname>{names})(?:'s|’s)?)\s+(?i:(?P<body>{bodies})){_E}{loc}"
        )
        self.body_of_re = re.compile(
            rf"{_B}(?:the\s+)?(?i:(?P<body>{bodies}))\s+of\s+(?:the\s+)?(?P<sname>{names}){_E}"
            rf"(?:(?:\s+in|,)\s+(?P<loc>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?))?"
        )
        self.unqualified_body_re = re.compile(rf"{_B}the\s+(?P<body>{bodies}){_E}", re.IGNORECASE)
        # a bare state name is an actor as a subject ("Jordan shut ..."), not as a possessive ("Syria's uprising")
        self.state_name_re = re.compile(rf"{_B}(?P<sname>{names}){_E}(?!['’]s\b)")
        self.nationals_re = re.compile(
            rf"{_B}(?:(?P<nat>{nats})|(?P<dem>{dems})\s+(?i:citizens|nationals|expatriates|residents|passport[- ]holders|"
            rf"students|workers|diplomats|compatriots|travell?ers|people)){_E}"
        )

        # triggers
        self.triggers = [
            CompiledTrigger(g, re.compile(_B + alternation(g.patterns, literal=False) + _E, re.IGNORECASE))
            for g in lex.triggers
        ]

        c = lex.cue
        self.reporting = cue_regex((*c("reporting", "verbs"), "received reports"))
        self.according = cue_regex(c("reporting", "according"))
        self.denial = cue_regex(c("denial", "verbs"))
        self.hypothetical = cue_regex(c("stance", "hypothetical"))
        self.plan = cue_regex(c("stance", "plan"))
        self.projection = cue_regex(c("stance", "projection"))
        self.circumstance = cue_regex(c("stance", "circumstance"))
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
        self.coalition_ref = re.compile(
            r"(?<![\w-])(?:the|its|this|that)\s+(?:same\s+)?(?:islamist-led\s+|rebel\s+)?(?:alliance|coalition)(?![\w-])",
            re.IGNORECASE,
        )
