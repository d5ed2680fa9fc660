"""The geoparser: find place names in text and decide which place each one means.

Two steps, both explainable:

1. **Spotting.** A fast longest-match scan over word tokens: a candidate span starts at a capitalised
   (or uncased-script) word, may run over short lower-case particles ("Deir ez-Zor", "Stratford-upon-Avon")
   and must end on a capitalised word; its normal form (see `names.norm`) is looked up in the gazetteer.
   Spans are then filtered: stop words, curated non-places (people, organisations, peoples), demonyms
   ("Syrian" is not a place mention), words that occur in lower case elsewhere in the same text ("Police"),
   names preceded by a personal title ("President", "Mr.") or glued to a preceding capitalised word that
   is not a place ("Raquel Henry"). "the town of X" and similar patterns keep unknown names as unresolved
   mentions instead of dropping them.

2. **Resolution.** Each mention's candidates are scored: a context-free prior (kind, population,
   official vs alternate name), the document's countries and first-level divisions (votes from all
   mentions, weighted by how unambiguous each one is), "Town, State" / "Town, Country" patterns,
   and nearness to the places the other mentions resolved to. The winning rule and score are kept on
   the mention. A mention whose best candidate has no support and lies in another country than the
   document's dominant one is left unresolved rather than snapped to a far-away namesake.
"""

from __future__ import annotations

import bisect
import math
import re
import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sitroom.geo.gazetteer import DATA_DIR, US_STATE_ABBREVIATIONS, Gazetteer, distance_km
from sitroom.geo.names import norm
from sitroom.model import Place, PlaceMention

# A word: letters/digits, with internal apostrophes ("Dar'a", "Ma'arrat") but not a possessive 's.
_WORD = re.compile(r"\w+(?:['’ʼʿ`](?![sS]\b)\w+)*")


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


_JOINERS = frozenset({" ", "-", "'", "’", "ʼ", "ʿ", ". ", "‐", " - "})
_MAX_TOKENS = 7
_MAX_CANDIDATES = 40
_PARTICLES = _words(
    "al el ar as az ad ash at an ez es er ed en et de del della la le les du des di da dos das "
    "of the upon on sur am im an der den bin ibn bani bou ben y e i on-the under by"
)
_QUALIFIERS = _words(
    "northern southern eastern western central north south east west northeastern northwestern "
    "southeastern southwestern north-eastern north-western south-eastern south-western "
    "occupied coastal upper lower greater"
)
_TITLES = _words(
    "mr mrs ms miss dr prof president gen general sen senator rep representative gov governor mayor "
    "judge justice officer sgt sergeant lt lieutenant col colonel capt captain maj major cpl corporal "
    "pvt minister secretary sheikh king queen prince princess pope father rev reverend sister brother "
    "coach chief deputy detective trooper agent commissioner councilman councilwoman chairman director "
    "spokesman spokeswoman ambassador envoy emir imam rabbi bishop cardinal lord lady sir dame "
    "st. ms. mr. mrs. dr."
)
# Words after a name that make it part of an organisation's or a thing's name, not a place mention.
_ORG_SUFFIXES = _words(
    "university college clinic inc corp corporation company co ltd llc times post herald tribune "
    "gazette journal news airlines airways bank foundation institute party brothers bros records "
    "motors group partners associates pharmaceuticals entertainment magazine daily chronicle "
    "fm tv radio agency network channel wings media press civil observatory relief humanitarian campaign "
    "coalition committee commission telecom petroleum broadcasting"
)
# Capitalised words that commonly follow a place name inside a longer name that still locates it.
_PLACE_NOUNS = _words(
    "county parish city town township village province governorate district region state fire police "
    "station airport port harbor harbour bay river lake valley mountains mountain hills heights park "
    "school high elementary middle schools hospital church council board department road street avenue "
    "area center centre square bridge dam base camp crossing international intl army military regional "
    "sheriff library museum mall market plaza court courthouse jail prison stadium arena mayor community "
    "public council highway board town president attorney superior senior volunteer circuit coroner "
    "chamber medical detention democratic republican electric arts central house department national "
    "foreign memorial township county's city's residents officials authorities police's"
)
_FACILITY_WORDS = _words(
    "highway road motorway crossing airport airbase base port naval air military international border "
    "facility terminal refinery bridge dam camp plain mountains valley"
)
_PREV_OK = _words(
    "northeast northwest southeast southwest metro downtown historic greater rural suburban upstate "
    "uptown midtown old new"
)
_SPEECH = _words("said says told added explained stated wrote argued noted")
_ARTICLES = _words("al el ar as az ad ash at an ath adh")
# Lower-case words that may open a mention: "northern Syria", "al-Hol camp".
_START_WORDS = _QUALIFIERS | _ARTICLES
_LOCATIVES = _words("in at near from to outside toward towards into around across through via inside")
# Words that open a sentence before a place without being part of its name ("Inside Hama, ...").
_OPENERS = _LOCATIVES | _words(
    "along beyond within throughout over under after before since until like unlike across by on "
    "yesterday today tonight overnight meanwhile later earlier "
    "monday tuesday wednesday thursday friday saturday sunday"
)
# Countries whose place names reach English through transliteration, so spellings vary by letters.
_TRANSLITERATED = _words(
    "SY IQ LB JO PS IL SA YE OM AE QA BH KW EG LY TN DZ MA SD IR AF PK RU UA BY KZ UZ TJ KG TM AZ AM GE"
)
# "the coast", "the Mediterranean coast": resolved to the coast of the document's dominant country,
# where the gazetteer has one (ids "coast:CC" in places.tsv).
_COAST = re.compile(
    r"\b(?:the|its) ((?:Mediterranean |country's |country’s )?coast(?:al (?:region|areas|provinces))?)\b"
)
# A dateline: a line that opens with a place in capitals, then a comma or a dash.
_DATELINE = re.compile(r"^[\W_]*[A-Z][A-Z .'’-]{2,}(?:,|\s[-–—(])")
_SENTENCE_END = re.compile(r"[.!?:;\"“”\n(\[]\s*$")

_TOKEN_CACHE_SIZE = 1 << 16


def _load_word_list(name: str) -> frozenset[str]:
    path = DATA_DIR / name
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.add(norm(line))
    return frozenset(out)


def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(norm(w) for w in STOP_WORDS)


# whether a line is set in title case, by line: asked for each capitalised pair of words on a line
_TITLE_LINES: dict[str, bool] = {}


def _is_cap(tok: str) -> bool:
    c = tok[0]
    return c.isalpha() and not c.islower()


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    text: str
    key: str
    tok_start: int
    tok_end: int  # exclusive
    ids: tuple[int, ...]
    qualifier: str = ""
    loose: bool = False
    forced: dict[int, float] = field(default_factory=dict)  # pattern bonuses by row id
    notes: list[str] = field(default_factory=list)
    best: int | None = None
    score: float = 0.0
    margin: float = 0.0
    rule: str = ""
    unknown: bool = False
    locative: bool = False  # preceded by "in", "near", "from"...: the text treats it as a place
    drop: bool = False  # a weak match that was not kept: not reported at all
    initial: bool = False  # one word at the start of a sentence (capitalised whatever it is)
    coast: bool = False  # "the coast": which coast depends on the country the report is about


def _in_prose(text: str, toks: list[tuple[int, int]], k: int) -> bool:
    """Whether word k stands as a word in running prose: a space before it, and after it a space, a comma,
    ";", "!", "?", or "." / ". " up to the next word (or no word after it)."""
    s, e = toks[k]
    if k and text[s - 1] != " ":
        return False
    if k == len(toks) - 1:
        return True
    # Two words are never adjacent (a gap holds at least one character): the gap before ends with the
    # character before the word, the gap after starts with the one after it.
    c = text[e]
    if c in " ,;!?":
        return True
    if c == ".":
        ns = toks[k + 1][0]
        return ns == e + 1 or (ns == e + 2 and text[e + 1] == " ")  # the gap is "." or ". "
    return False


class _ProseLower:
    """The lower-case words used as words in running prose (`Geoparser._prose_lowercase`), answered per
    word asked about: only a few capitalised words per document are, so the text is searched for those
    words instead of every word being tested."""

    __slots__ = ("_memo", "_text", "_toks")

    def __init__(self, text: str, toks: list[tuple[int, int]]) -> None:
        self._text = text
        self._toks = toks
        self._memo: dict[str, bool] = {}

    def __contains__(self, w: str) -> bool:
        got = self._memo.get(w)
        if got is None:
            got = self._memo[w] = self._find(w)
        return got

    def _find(self, w: str) -> bool:
        if not w or not w[0].islower():
            return False
        text, toks = self._text, self._toks
        n = len(w)
        p = text.find(w)
        while p >= 0:
            k = bisect.bisect_left(toks, (p,))  # the word that starts at p, if one does
            if k < len(toks) and toks[k] == (p, p + n) and _in_prose(text, toks, k):
                return True
            p = text.find(w, p + 1)
        return False


class _Context:
    """What the other mentions of a document say about where it is: country and division votes.

    Each distinct name spreads one vote over its candidates' countries (and first-level divisions) in
    proportion to their priors, so an unambiguous name votes with full weight. Shares are computed
    leaving the asking name's own vote out, so that a name cannot vouch for itself.
    """

    def __init__(self) -> None:
        self.c: dict[str, float] = defaultdict(float)
        self.a: dict[tuple[str, str], float] = defaultdict(float)
        self.own_c: dict[str, dict[str, float]] = {}
        self.own_a: dict[str, dict[tuple[str, str], float]] = {}
        self.total_c = 0.0
        self.total_a = 0.0
        self.names = 0
        # shares are asked for again and again (every candidate of every mention, twice): once closed, the
        # votes no longer change, so each answer is computed once
        self._share_c: dict[tuple[str, str], float] = {}
        self._share_a: dict[tuple[str, str, str], float] = {}
        self._dominant: dict[str, tuple[str, float]] = {}
        # the document's candidate priors by (name, candidates): asked for by the votes and both passes
        self.priors: dict[tuple[str, tuple[int, ...]], list[float]] = {}

    def priors_of(self, m: _Mention, gaz: Gazetteer) -> list[float]:
        """`Gazetteer.prior_for` of each of the mention's candidates, in order."""
        got = self.priors.get((m.key, m.ids))
        if got is None:
            got = self.priors[(m.key, m.ids)] = [gaz.prior_for(m.key, i, m.ids) for i in m.ids]
        return got

    def vote(self, key: str, weights: dict[int, float], gaz: Gazetteer, weight: float = 1.0) -> None:
        oc: dict[str, float] = defaultdict(float)
        oa: dict[tuple[str, str], float] = defaultdict(float)
        for i, w in weights.items():
            w *= weight
            cc = gaz.country_of(i)
            if cc:
                oc[cc] += w
            kind = gaz.kind_of(i)
            a1 = gaz.admin1_of(i)
            if kind == "admin1":
                oa[(cc, a1)] += w * 1.5
            elif kind in ("city", "town", "region") and a1:
                oa[(cc, a1)] += w
        for k, v in oc.items():
            self.c[k] += v
        for k2, v in oa.items():
            self.a[k2] += v
        self.own_c[key] = oc
        self.own_a[key] = oa
        self.names += 1

    def close(self) -> None:
        self.total_c = sum(self.c.values())
        self.total_a = sum(self.a.values())
        self._share_c.clear()
        self._share_a.clear()
        self._dominant.clear()

    def country(self, cc: str, key: str) -> float:
        got = self._share_c.get((cc, key))
        if got is None:
            own = self.own_c.get(key, {})
            total = self.total_c - sum(own.values())
            got = (self.c.get(cc, 0.0) - own.get(cc, 0.0)) / total if total > 1e-9 else 0.0
            self._share_c[(cc, key)] = got
        return got

    def admin1(self, cc: str, a1: str, key: str) -> float:
        got = self._share_a.get((cc, a1, key))
        if got is None:
            own = self.own_a.get(key, {})
            total = self.total_a - sum(own.values())
            got = (self.a.get((cc, a1), 0.0) - own.get((cc, a1), 0.0)) / total if total > 1e-9 else 0.0
            self._share_a[(cc, a1, key)] = got
        return got

    def dominant(self, key: str) -> tuple[str, float]:
        got = self._dominant.get(key)
        if got is None:
            best, share = "", 0.0
            for cc in self.c:
                s = self.country(cc, key)
                if s > share:
                    best, share = cc, s
            got = self._dominant[key] = (best, share)
        return got


class Geoparser:
    """Finds and resolves place mentions. Stateless between calls; safe to share across threads."""

    _default: Geoparser | None = None
    _lock = threading.Lock()
    # Weights of the context evidence against the prior (a log10-population scale). Chosen on a small
    # grid on LGL (the admin1 weight matters most: local news names small towns of its own state);
    # neighbouring settings score within a point, so this is a plateau, not a spike.
    w_country = 4.0
    w_admin1 = 6.0
    w_near = 2.5
    w_near_far = 2.0

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self._stop = _stop_words()
        self._not_places = _load_word_list("not_places.txt")
        self._common = _load_word_list("common_words.txt")
        # English words a channel or a board writes in capitals as labels ("TOLL", "UPDATE", "URGENT")
        self._common_english = self._common | _load_word_list("label_words.txt")
        self._demonyms = self._demonym_keys()
        self._abbrev = {norm(k): v for k, v in US_STATE_ABBREVIATIONS.items()}
        self._abbrev_rows, self._abbrev_re = self._build_abbreviations()
        self._demonym_rows = self._build_demonyms()
        self._loose_memo: dict[str, tuple[int, ...]] = {}

    @classmethod
    def default(cls) -> Geoparser:
        """A process-wide geoparser over the default gazetteer."""
        with cls._lock:
            if cls._default is None:
                cls._default = cls(Gazetteer.default())
            return cls._default

    def _build_abbreviations(self) -> tuple[dict[str, int], re.Pattern[str]]:
        gaz = self.gaz
        rows: dict[str, int] = {}
        for abbr, code in US_STATE_ABBREVIATIONS.items():
            row = gaz.admin1_index("US", code)
            if row is not None:
                rows[abbr + "."] = row
        for abbr, cc in (("U.S.", "US"), ("U.S.A.", "US"), ("U.K.", "GB"), ("U.A.E.", "AE")):
            row = gaz.country_index(cc)
            if row is not None:
                rows[abbr] = row
        for abbr, name in (("L.A.", "Los Angeles"), ("N.Y.C.", "New York City")):
            ids = gaz.ids_for_key(norm(name))
            if ids:
                rows[abbr] = gaz.rank(norm(name), ids)[0]
        # "W. Va." is written with a space too; longest alternatives first.
        alts = sorted(rows, key=len, reverse=True)
        pattern = "|".join(re.escape(a[:-1]).replace(r"\.", r"\.\ ?") + r"\." for a in alts)
        return rows, re.compile(rf"(?<![\w.])(?:{pattern})(?![\w])")

    def _build_demonyms(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for line in (DATA_DIR / "countries.tsv").read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if line.startswith("#") or len(cols) < 5 or not cols[4]:
                continue
            row = self.gaz.country_index(cols[0])
            if row is None:
                continue
            for d in cols[4].split(","):
                k = norm(d.strip())
                if k:
                    out.setdefault(k, row)
                    out.setdefault(k + "s", row)
        return out

    @staticmethod
    def _demonym_keys() -> frozenset[str]:
        out: set[str] = set()
        for line in (DATA_DIR / "countries.tsv").read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) > 4 and cols[4]:
                for d in cols[4].split(","):
                    k = norm(d.strip())
                    if k:
                        out.add(k)
                        out.add(k + "s")
        for extra in ("russian", "iranian", "turkish", "syrian", "iraqi", "lebanese", "israeli", "kurdish",
                      "palestinian", "jordanian", "saudi", "emirati", "qatari", "yemeni", "egyptian", "libyan",
                      "ukrainian", "european", "african", "asian", "arab", "arabic", "western", "eastern",
                      "american", "british", "french", "german", "chinese", "soviet", "ottoman",
                      "english", "scottish", "welsh", "irish", "latino", "hispanic"):  # fmt: skip
            out.add(extra)
            out.add(extra + "s")
        return frozenset(out)

    # --- public API -------------------------------------------------------------------------------

    def resolve(self, name: str, context_country: str | None = None) -> Place | None:
        """The place a bare name most likely means, optionally within a context country."""
        key = norm(name)
        if not key or key in self._not_places or key in self._demonyms:
            return None
        ids = self.gaz.ids_for_key(key)
        cc = None
        if context_country:
            cp = self.gaz.country(context_country)
            cc = cp.country if cp else context_country.upper()
        if not ids and cc:
            ids = tuple(i for i in self.gaz.ids_for_loose(key) if self.gaz.country_of(i) == cc)
        if not ids:
            return None
        best = max(ids, key=lambda i: self.gaz.prior_for(key, i, ids) + (4.0 if self.gaz.country_of(i) == cc else 0.0))
        return self.gaz.place(best)

    def parse(
        self,
        text: str,
        zones: Sequence[tuple[int, int, str]] = (),
        title: str | None = None,
        *,
        demonyms: bool = False,
    ) -> list[PlaceMention]:
        """Place mentions in `text`, in order. `zones` are (start, end, kind) spans that are not news body:
        kind "caption" and "title" give those zones, any other kind "boilerplate". `title`, when the
        title is not part of `text`, lends its places as context without being returned.

        `demonyms=True` also returns "Syrian", "Russians"... resolved to their country, with a rule that
        starts with "demonym" so that callers can tell them from place names. Off by default: "Russian
        jets" says whose jets, not where they are."""
        mentions = self._spot(text, demonyms=demonyms)
        context = self._spot(title) if title else []
        self._resolve_all(text, mentions, context)
        # A transliteration-skeleton match without support is noise, not an unknown place.
        return [self._to_public(m, zones) for m in mentions if not (m.drop or (m.loose and m.best is None))]

    # --- spotting ----------------------------------------------------------------------------------

    def _spot(self, text: str, demonyms: bool = False) -> list[_Mention]:
        toks = [m.span() for m in _WORD.finditer(text)]
        words = [text[s:e] for s, e in toks]
        n = len(toks)
        lower_seen = _ProseLower(text, toks)
        out: list[_Mention] = self._abbreviations(text)
        covered = {c for m in out for c in range(m.start, m.end)}
        persons: set[str] = set()
        keys_get = self.gaz.has_key
        caps = [(c := w[0]).isalpha() and not c.islower() for w in words]  # _is_cap of every word, once
        # Only a capitalised word, a qualifier ("northern") or an article ("al-") can start a mention: the
        # scan visits those words alone, in order, and skips the ones a kept mention already spans.
        starts = [
            k
            for k, w in enumerate(words)
            if caps[k] or w in _START_WORDS or (not w.islower() and w.lower() in _START_WORDS)
        ]
        nxt = 0
        for i in starts:
            if i < nxt:
                continue
            nxt = i + 1
            w = words[i]
            if toks[i][0] in covered:
                continue
            starts_cap = caps[i]
            if demonyms and starts_cap:
                dm = self._demonym_mention(text, toks, words, i)
                if dm is not None:
                    out.append(dm)
                    nxt = dm.tok_end
                    continue
            lw = w.lower()
            lower_article = (
                lw in _ARTICLES and i + 1 < n and text[toks[i][1] : toks[i + 1][0]] == "-" and caps[i + 1]
            )  # "al-Hol camp", "al-Ghab plain": the article belongs to the name
            if not starts_cap and lw not in _QUALIFIERS and not lower_article:
                continue
            if w[0].isdigit():
                continue
            found: tuple[int, str] | None = None
            # Longest match first over spans i..j.
            j_max = min(n, i + _MAX_TOKENS)
            ends: list[int] = []
            for j in range(i, j_max):
                if j > i:
                    gap = text[toks[j - 1][1] : toks[j][0]]
                    if gap not in _JOINERS:
                        break
                    if not caps[j]:
                        lj = words[j].lower()
                        if lj in _FACILITY_WORDS:
                            ends.append(j)  # "Beirut-Damascus highway", "Tartus naval base"
                            continue
                        if lj not in _PARTICLES and len(words[j]) > 3:
                            break
                if caps[j]:
                    ends.append(j)
            article = lw in _ARTICLES and i + 1 < n and text[toks[i][1] : toks[i + 1][0]] in ("-", " ")
            for j in reversed(ends):
                key = norm(text[toks[i][0] : toks[j][1]])
                if keys_get(key):
                    found = (j, key)
                    break
                if j > i and all(text[toks[k][1] : toks[k + 1][0]] == "-" for k in range(i, j)):
                    # "Pétion-Ville" where the gazetteer writes "Petionville": one name, hyphenated or not
                    compact = key.replace(" ", "")
                    if keys_get(compact):
                        found = (j, compact)
                        break
                if article and j > i:
                    # "Al-Raqqa" when only "Raqqa" is known: the mention keeps its article.
                    rest = norm(text[toks[i + 1][0] : toks[j][1]])
                    if keys_get(rest):
                        found = (j, rest)
                        break
            loose = False
            if found is None and starts_cap:
                found = self._loose_span(text, toks, words, i, ends)
                loose = found is not None
            if found is None:
                continue
            j, key = found
            m = _Mention(
                start=toks[i][0],
                end=toks[j][1],
                text=text[toks[i][0] : toks[j][1]],
                key=key,
                tok_start=i,
                tok_end=j + 1,
                ids=self._loose_ids(key) if loose else self.gaz.ids_for_key(key),
                loose=loose,
            )
            if self._keep(m, text, toks, words, lower_seen, persons):
                if i > 0 and words[i - 1].lower() in _QUALIFIERS and m.tok_start == i:
                    m.qualifier = words[i - 1].lower()
                m.locative = i > 0 and words[i - 1].lower() in _LOCATIVES
                m.initial = m.tok_start == m.tok_end - 1 and self._sentence_start(text, toks, i)
                out.append(m)
                nxt = j + 1
        out.extend(self._unknown_by_pattern(text, toks, words, out))
        for cm in _COAST.finditer(text):
            a, b = cm.span(1)
            inside = [m for m in out if a <= m.start and m.end <= b]  # "Mediterranean" of "Mediterranean coast"
            # (a mention not inside [a, b) that overlaps it; compared by span: mentions are compared field
            # by field otherwise, candidate tuples and all, which is slow)
            if a in covered or any(m.start < b and a < m.end and not (a <= m.start and m.end <= b) for m in out):
                continue
            out = [m for m in out if not (a <= m.start and m.end <= b)]
            ids = inside[0].ids if inside else ()  # the sea, should the country have no coast of its own
            out.append(_Mention(a, b, cm.group(1), inside[0].key if inside else "coast", -1, -1, ids, coast=True))
        out.sort(key=lambda m: m.start)
        return out

    @staticmethod
    def _prose_lowercase(text: str, toks: list[tuple[int, int]], words: list[str]) -> set[str]:
        """Lower-case words used as words in running prose (not in a URL slug or a file name)."""
        return {w for k, w in enumerate(words) if w[0].islower() and _in_prose(text, toks, k)}

    def _loose_span(
        self, text: str, toks: list[tuple[int, int]], words: list[str], i: int, ends: list[int]
    ) -> tuple[int, str] | None:
        """The longest span from token i whose transliteration skeleton names a place in a country whose
        names reach English through transliteration (Arabic, Persian, Cyrillic...)."""
        if norm(words[i]) in self._stop or words[i].lower() in _QUALIFIERS:
            return None  # "The Bab al-Hawa": the exact name starts one word later
        for j in reversed(ends):
            key = norm(text[toks[i][0] : toks[j][1]])
            if len(key.replace(" ", "")) < 6 or key in self._stop or key in self._common:
                continue
            if j == i and self._sentence_start(text, toks, i):
                continue  # "Newest ...": a capitalised English word, not a transliteration
            if any(_is_cap(words[k]) and self.gaz.has_key(norm(words[k])) for k in range(i + 1, j + 1)):
                continue  # "Says Russia": a known name inside the span is matched on its own
            if self._loose_ids(key):
                return j, key
        return None

    def _loose_ids(self, key: str) -> tuple[int, ...]:
        # memoised: the loose index is fixed once the gazetteer is loaded (places added later get exact
        # names only), and most capitalised words that are no known name ask for it
        got = self._loose_memo.get(key)
        if got is None:
            got = tuple(i for i in self.gaz.ids_for_loose(key) if self.gaz.country_of(i) in _TRANSLITERATED)
            if len(self._loose_memo) > 100_000:
                self._loose_memo.clear()
            self._loose_memo[key] = got
        return got

    def _abbreviations(self, text: str) -> list[_Mention]:
        """ "U.S.", "D.C.", "Fla.", "W.Va.": dotted abbreviations that the word scan cannot see."""
        out = []
        for mm in self._abbrev_re.finditer(text):
            row = self._abbrev_rows.get(mm.group(0).replace(" ", ""))
            if row is None:
                continue
            key = norm(mm.group(0))
            out.append(_Mention(mm.start(), mm.end(), mm.group(0), key, -1, -1, (row,), forced={row: 2.0}))
        return out

    def _demonym_mention(self, text: str, toks: list[tuple[int, int]], words: list[str], i: int) -> _Mention | None:
        for j in (i + 1, i):
            if j >= len(toks) or (j > i and text[toks[i][1] : toks[j][0]] != " "):
                continue
            span = text[toks[i][0] : toks[j][1]]
            row = self._demonym_rows.get(norm(span))
            if row is not None:
                m = _Mention(toks[i][0], toks[j][1], span, norm(span), i, j + 1, (row,))
                m.notes.append("demonym")
                return m
        return None

    def _keep(
        self,
        m: _Mention,
        text: str,
        toks: list[tuple[int, int]],
        words: list[str],
        lower_seen: set[str] | _ProseLower,
        persons: set[str],
    ) -> bool:
        key = m.key
        i, j = m.tok_start, m.tok_end - 1
        single = i == j
        if single and words[i] in persons:
            return False  # "Trapani said": a surname already seen as a person's
        if key in self._not_places or key in self._demonyms or norm(m.text) in self._not_places:
            return False
        if not single and norm(words[i]) in self._stop and not any(_is_cap(words[k]) for k in range(i + 1, j + 1)):
            return False  # "An air strike": an article and a lower-case word are prose, not "Air Khas"
        if single and words[i].isupper() and len(words[i]) >= 4 and words[i].lower() in self._common_english:
            return False  # "TOLL | Day 1", "UPDATE:": a shouted label, not the town of that name
        if single and (not _is_cap(words[i]) or words[i].lower() in _QUALIFIERS):
            return False  # a lone qualifier word ("Southern" is no place by itself)
        if single:
            w = words[i]
            short_caps = w.isupper() and 2 <= len(w) <= 4
            if key in self._stop and not (short_caps and self._has_kind(m.ids, "country")):
                return False
            if w.isupper() and len(w) <= 3 and not self._has_kind(m.ids, "country") and not self._curated(m.ids):
                return False  # "DAM", "ALP": airport codes and acronyms, not the Spanish village
            lo, hi = toks[i]
            if w.isupper() and ("/" in text[max(0, lo - 1) : lo] or "/" in text[hi : hi + 1]):
                return False  # "BEY/OLBA": an airport's IATA/ICAO pair, not the village of Olba
            if len(key) < 3 and not short_caps:
                return False
            if w.lower() in lower_seen and not short_caps:
                return False  # "police" elsewhere in lower case: "Police" is the word, not the town
            if key in self._common and not self._locative(text, toks, words, i):
                return False  # "Tell me", "the Bab": a common word needs a locative cue to count
        if i > 0:
            prev = words[i - 1].lower().rstrip(".")
            gap = text[toks[i - 1][1] : toks[i][0]]
            if prev in _TITLES and gap in (" ", ". "):
                persons.add(words[i])
                return False
            if (
                i > 1
                and len(words[i - 1]) == 1
                and words[i - 1].isupper()
                and gap == ". "
                and _is_cap(words[i - 2])
                and text[toks[i - 2][1] : toks[i - 1][0]] == " "
            ):
                persons.add(words[i])
                return False  # "Matthew D. Flores": first name, middle initial, surname
            if i > 1 and _is_cap(words[i - 1]) and words[i - 2].lower().rstrip(".") in _TITLES:
                persons.add(words[i])
                return False  # "President Jordan Smith": a title, a first name, then this
            if (
                gap == "-"
                and _is_cap(words[i - 1])
                and len(words[i - 1]) > 1  # "D-Columbus": a party and a home town
                and words[i - 1].lower() not in _ARTICLES
                and not self._is_major_place(norm(words[i - 1]))
            ):
                return False  # "Wal-Mart", "Coca-Cola": part of a hyphenated name ("Beirut-Damascus" is two)
            if (
                gap in ("-", " ")
                and prev in ("al", "el", "ul", "bin", "ibn", "abu", "bani")
                and words[i - 1][:1].islower()
            ):
                # "Hayat Tahrir al-Sham": the tail of a longer Arabic name that is not a place
                return False
            pw = words[i - 1]
            if (
                _is_cap(pw)
                and gap == " "
                and norm(pw) not in self._stop
                and pw.lower() not in _QUALIFIERS
                and pw.lower() not in _PREV_OK
                and pw.lower() not in _OPENERS
                # "Eric Stevens, paramedic": a sentence may open with a first name; an ordinary word
                # opening it ("Nearby Smyrna") shows up in lower case elsewhere.
                and not (self._sentence_start(text, toks, i - 1) and pw.lower() in lower_seen)
                and not self._title_case_line(text, toks[i][0])
                and not self._is_region_name(norm(pw))
                # "ALP/OSAP Aleppo Intl", "DAM Damascus": a code in capitals before a name written in mixed case
                and not (pw.isupper() and 2 <= len(pw) <= 5 and not words[i].isupper())
            ):
                if single:
                    persons.add(words[i])
                return False  # "Raquel Henry", "Bashar Assad": the tail of a longer proper name
        if j + 1 < len(words):
            gap = text[toks[j][1] : toks[j + 1][0]]
            nw = words[j + 1]
            if gap == " " and nw.lower() in _ORG_SUFFIXES:
                return False
            if gap == "-" and _is_cap(nw) and not self._is_major_place(norm(nw)):
                return False  # "Wal-Mart"
            if (
                single
                and gap == " "
                and _is_cap(nw)
                and not nw.isupper()
                and not self._has_kind(m.ids, "country", "admin1")  # "Ohio Supreme Court", "Texas Forest Service"
                and not self._is_region_name(norm(nw))
                and norm(nw) not in self._stop
                and nw.lower() not in _PLACE_NOUNS
                and not self._title_case_line(text, toks[i][0])
            ):
                persons.add(nw)
                return False  # "Omar Sanadiki", "Jordan Smith": a first name, not a place
            if single and gap == " " and nw.lower() in _SPEECH and not self._has_kind(m.ids, "country", "admin1"):
                persons.add(words[i])
                return False  # "Trapani said": a person speaking
        return True

    @staticmethod
    def _locative(text: str, toks: list[tuple[int, int]], words: list[str], i: int) -> bool:
        """A cue that a common word is used as a place name: "in Mobile", "Mobile, Ala."."""
        if i > 0 and words[i - 1].lower() in _LOCATIVES and text[toks[i - 1][1] : toks[i][0]] == " ":
            return True
        after = text[toks[i][1] : toks[i][1] + 3]
        return bool(re.match(r",\s?[A-Z]", after))

    def _is_major_place(self, key: str) -> bool:
        """A country, division or city: enough to tell "Beirut-Damascus" from "Wal-Mart"."""
        return self._has_kind(self.gaz.ids_for_key(key), "country", "admin1", "city")

    def _curated(self, ids: Sequence[int]) -> bool:
        return any(self.gaz.place(i).id for i in ids)

    def _has_kind(self, ids: Sequence[int], *kinds: str) -> bool:
        return any(self.gaz.kind_of(i) in kinds for i in ids)

    def _is_region_name(self, key: str) -> bool:
        """Whether a word names a country or a first-level division ("Aleppo Syria", "Paris Texas")."""
        return self._has_kind(self.gaz.ids_for_key(key), "country", "admin1")

    @staticmethod
    def _sentence_start(text: str, toks: list[tuple[int, int]], k: int) -> bool:
        if k == 0:
            return True
        gap = text[toks[k - 1][1] : toks[k][0]]
        return bool(_SENTENCE_END.search(gap)) or text[toks[k - 1][0] : toks[k - 1][1]] == "#"

    @staticmethod
    def _title_case_line(text: str, pos: int) -> bool:
        """Headlines capitalise every word; name-gluing heuristics do not apply there."""
        ls = text.rfind("\n", 0, pos) + 1
        le = text.find("\n", pos)
        line = text[ls : le if le >= 0 else len(text)]
        if len(line) > 200:
            return False
        got = _TITLE_LINES.get(line)
        if got is None:
            # Short words ("in", "of", "and") stay lower case in most headline styles: count the others.
            ws = [w for w in _WORD.findall(line) if len(w) > 3]
            got = len(ws) >= 3 and sum(1 for w in ws if _is_cap(w)) / len(ws) > 0.8
            if len(_TITLE_LINES) > 4096:
                _TITLE_LINES.clear()
            _TITLE_LINES[line] = got
        return got

    _UNKNOWN_CUE = re.compile(
        r"\b(?:town|village|city|district|province|governorate|suburb|neighbou?rhood|outskirts|"
        r"countryside|municipality|region|camp)\s+of\s+$",
        re.IGNORECASE,
    )

    def _unknown_by_pattern(
        self, text: str, toks: list[tuple[int, int]], words: list[str], found: list[_Mention]
    ) -> list[_Mention]:
        """'the village of X' with X not in the gazetteer: keep X as an unresolved mention."""
        taken = {k for m in found for k in range(m.tok_start, m.tok_end)}
        out: list[_Mention] = []
        # the cue ends in "of" and spaces: only a word right after "of" can be such a name
        after_of = [k + 1 for k, w in enumerate(words) if len(w) == 2 and w.lower() == "of" and k + 1 < len(toks)]
        for i in after_of:
            s = toks[i][0]
            if i in taken or not _is_cap(words[i]) or words[i][0].isdigit():
                continue
            before = text[max(0, s - 40) : s]
            if not self._UNKNOWN_CUE.search(before):
                continue
            j = i
            while j + 1 < len(toks) and text[toks[j][1] : toks[j + 1][0]] in _JOINERS and j + 1 not in taken:
                nw = words[j + 1]
                if _is_cap(nw) or (nw.lower() in _PARTICLES and j + 2 < len(toks) and _is_cap(words[j + 2])):
                    j += 1
                else:
                    break
            while j > i and not _is_cap(words[j]):
                j -= 1
            key = norm(text[s : toks[j][1]])
            if key in self._not_places or key in self._stop:
                continue
            out.append(_Mention(s, toks[j][1], text[s : toks[j][1]], key, i, j + 1, (), unknown=True))
            taken.update(range(i, j + 1))
        return out

    # --- resolution -----------------------------------------------------------------------------------

    def _resolve_all(self, text: str, mentions: list[_Mention], context: list[_Mention]) -> None:
        gaz = self.gaz
        allm = [m for m in (*mentions, *context) if m.ids]
        for m in allm:
            if len(m.ids) > _MAX_CANDIDATES:
                m.ids = tuple(gaz.rank(m.key, m.ids)[:_MAX_CANDIDATES])
        self._patterns(text, mentions)
        # Votes: each mention spreads one vote over its candidates' countries and divisions, in
        # proportion to the candidates' priors (softmax), so an unambiguous name votes with full weight.
        ctx = _Context()
        distinct: dict[str, _Mention] = {}
        for m in allm:
            if not m.loose:  # a skeleton match is too weak to vote for its own country
                distinct.setdefault(m.key, m)
        datelines = {
            m.key for m in mentions if _DATELINE.match(text[max(0, text.rfind("\n", 0, m.start) + 1) : m.end + 4])
        }
        for m in distinct.values():
            # A dateline ("ALEXANDRIA, La. --", "BEIRUT, Nov 27") says where the report is filed from.
            ctx.vote(m.key, self._softmax(m, ctx), gaz, weight=3.0 if m.key in datelines else 1.0)
        ctx.close()

        # Pass 1: prior + document context. A name repeated with the same candidates and pattern bonuses
        # scores the same every time: each distinct one is scored once per pass (`memo`), and its
        # context-only scores are kept for pass 2 (`bases`).
        bases: dict[tuple[object, ...], list[tuple[int, float, str, float, float, float, float]]] = {}
        memo: dict[tuple[object, ...], tuple[int | None, float, float, str]] = {}
        for m in allm:
            self._score(m, ctx, anchors=(), memo=memo, bases=bases)
        # Pass 2: nearness to the other mentions' confident resolutions.
        anchors = list(dict.fromkeys((m.key, gaz.xy(m.best)) for m in allm if m.best is not None and m.margin >= 1.0))
        memo = {}
        for m in allm:
            self._score(m, ctx, anchors=anchors, memo=memo, bases=bases)
        for m in mentions:
            if m.coast:
                self._resolve_coast(m, ctx)
            if m.best is None:
                continue
            self._maybe_unresolve(m, ctx)

    def _resolve_coast(self, m: _Mention, ctx: _Context) -> None:
        cc, share = ctx.dominant("")
        place = self.gaz.get(f"coast:{cc}") if share >= 0.4 else None
        if place is None:
            # No coast known for this country: "the Mediterranean coast" stays the sea, "the coast" is
            # no mention at all.
            m.drop = m.best is None
            return
        row = self.gaz.place_row(place)
        m.ids = (row,)
        m.best = row
        m.score = 1.0 + share
        m.rule = f"coast-of-dominant-country:{cc}"

    def _softmax(self, m: _Mention, ctx: _Context | None = None) -> dict[int, float]:
        gaz = self.gaz
        if not m.ids:
            return {}
        if ctx is not None:
            pri = {i: p + m.forced.get(i, 0.0) for i, p in zip(m.ids, ctx.priors_of(m, gaz), strict=True)}
        else:
            pri = {i: gaz.prior_for(m.key, i, m.ids) + m.forced.get(i, 0.0) for i in m.ids}
        top = max(pri.values())
        ex = {i: math.exp(1.2 * (p - top)) for i, p in pri.items()}
        z = sum(ex.values())
        return {i: v / z for i, v in ex.items()}

    def _patterns(self, text: str, mentions: list[_Mention]) -> None:
        """'Town, State' and 'Town, Country': the second name pins the first one's candidates."""
        gaz = self.gaz
        by_start = {m.start: m for m in mentions}
        for m in mentions:
            if not m.ids:
                continue
            rest = text[m.end : m.end + 40]
            mm = re.match(r",\s*", rest)
            if not mm:
                continue
            pos = m.end + mm.end()
            nxt = by_start.get(pos)
            states: set[tuple[str, str]] = set()
            countries: set[str] = set()
            if nxt is not None and nxt.ids:
                for i in nxt.ids:
                    k = gaz.kind_of(i)
                    if k == "admin1":
                        states.add((gaz.country_of(i), gaz.admin1_of(i)))
                    elif k == "country":
                        countries.add(gaz.country_of(i))
            else:
                am = re.match(r"([A-Z][A-Za-z]{0,4}(?:\.[A-Z])?)\.?(?=\W|$)", text[pos : pos + 8])
                if am:
                    code = self._abbrev.get(norm(am.group(1))) or (
                        am.group(1) if am.group(1).isupper() and len(am.group(1)) == 2 else None
                    )
                    if code:
                        states.add(("US", code))
            if not states and not countries:
                continue
            hit = False
            for i in m.ids:
                if (gaz.country_of(i), gaz.admin1_of(i)) in states and gaz.kind_of(i) != "admin1":
                    m.forced[i] = m.forced.get(i, 0.0) + 8.0
                    hit = True
                elif gaz.country_of(i) in countries and gaz.kind_of(i) != "country":
                    m.forced[i] = m.forced.get(i, 0.0) + 6.0
                    hit = True
            if hit:
                m.notes.append("pattern:Town,Region")
                if nxt is not None:
                    for i in nxt.ids:
                        pinned = (gaz.country_of(i), gaz.admin1_of(i)) in states or gaz.country_of(i) in countries
                        if pinned and gaz.kind_of(i) in ("admin1", "country"):
                            nxt.forced[i] = nxt.forced.get(i, 0.0) + 4.0

    def _score(
        self,
        m: _Mention,
        ctx: _Context,
        anchors: Sequence[tuple[str, tuple[float, float]]],
        memo: dict[tuple[object, ...], tuple[int | None, float, float, str]] | None = None,
        bases: dict[tuple[object, ...], list[tuple[int, float, str, float, float, float, float]]] | None = None,
    ) -> None:
        # the score depends on the name, its candidates and their pattern bonuses (and the document's
        # context and anchors, the same for every mention of one pass)
        sig = (m.key, m.ids, tuple(sorted(m.forced.items())))
        if memo is not None:
            got = memo.get(sig)
            if got is not None:
                m.best, m.score, m.margin, m.rule = got
                return
        base = bases.get(sig) if bases is not None else None
        if base is None:
            base = self._context_scores(m, ctx)
            if bases is not None:
                bases[sig] = base
        best, best_s, second = None, -1e9, -1e9
        best_near = 1e9
        best_parts: tuple[str, float, float] = ("", 0.0, 0.0)
        key = m.key
        w_near, w_near_far = self.w_near, self.w_near_far
        for i, s, cc, c_b, a_b, lat, lon in base:
            near = 1e9
            if anchors:
                for k, (alat, alon) in anchors:
                    # 1.4 degrees of latitude is ~155 km: farther anchors cannot count, skip the trigonometry.
                    if k != key and -1.4 < lat - alat < 1.4:
                        near = min(near, distance_km(lat, lon, alat, alon))
                if near < 30:
                    s += w_near
                elif near < 150:
                    s += w_near_far
            if s > best_s:
                second = best_s
                best, best_s, best_near, best_parts = i, s, near, (cc, c_b, a_b)
            elif s > second:
                second = s
        best_why = ""
        if best is not None:
            cc, c_b, a_b = best_parts
            why = ["prior"]
            if c_b >= 1.0:
                why.append(f"country:{cc}")
            if a_b >= 0.5:
                why.append(f"admin1:{cc}.{self.gaz.admin1_of(best)}")
            if best_near < 150:
                why.append(f"near:{best_near:.0f}km")
            if m.forced.get(best):
                why.append("pattern")
            best_why = "+".join(why)
        m.best = best
        m.score = best_s
        m.margin = best_s - second if second > -1e9 else 10.0
        m.rule = best_why
        if memo is not None:
            memo[sig] = (m.best, m.score, m.margin, m.rule)

    def _context_scores(self, m: _Mention, ctx: _Context) -> list[tuple[int, float, str, float, float, float, float]]:
        """Each candidate's score from its prior, pattern bonus and the document's context (no anchors):
        (row, score, country, country bonus, division bonus, lat, lon)."""
        gaz = self.gaz
        out = []
        for i, p in zip(m.ids, ctx.priors_of(m, gaz), strict=True):
            s = p + m.forced.get(i, 0.0)
            cc = gaz.country_of(i)
            c_b = self.w_country * ctx.country(cc, m.key)
            a1 = gaz.admin1_of(i)
            a_b = self.w_admin1 * ctx.admin1(cc, a1, m.key) if a1 else 0.0
            s += c_b + a_b
            lat, lon = gaz.xy(i)
            out.append((i, s, cc, c_b, a_b, lat, lon))
        return out

    def _maybe_unresolve(self, m: _Mention, ctx: _Context) -> None:
        """Leave a mention unresolved rather than snap it to an unsupported far-away namesake."""
        gaz = self.gaz
        i = m.best
        if i is None:
            return
        kind = gaz.kind_of(i)
        cc = gaz.country_of(i)
        share = ctx.country(cc, m.key)
        if m.loose and share < 0.25:
            m.notes.append("unresolved:loose-without-context")
            m.best = None
            return
        if kind in ("country", "admin1", "sea", "region") or m.forced.get(i):
            return
        if m.loose:
            m.notes.append("transliteration")
        dom_cc, dom_share = ctx.dominant(m.key)
        pop = gaz.population(i)
        primary = gaz.is_primary(m.key, i)
        curated = bool(gaz.place(i).id)
        if (
            dom_share >= 0.5
            and ctx.names >= 3  # two names are no "context" to overrule a third
            and cc != dom_cc
            and pop < 100_000
            and share < 0.15
            and not curated  # hand-made entries (border crossings) are meant where they are
            and "near:" not in m.rule
        ):
            m.notes.append(f"unresolved:far-from-context({dom_cc})")
            m.best = None
            # Kept as an unknown place only where the text itself says it is a place ("in X").
            m.drop = not m.locative
        elif (
            not primary
            and dom_share >= 0.5
            and ctx.names >= 3
            and cc != dom_cc
            and share < 0.15
            and not curated
            and "near:" not in m.rule
        ):
            # "Hawr" in a list of Syrian villages is no Polish name of Le Havre: another country's city by one of
            # its foreign names, against a report about one country, is a guess
            m.notes.append(f"unresolved:foreign-alternate-name({dom_cc})")
            m.best = None
            m.drop = not m.locative
        elif (
            ctx.names >= 3
            and cc != dom_cc
            and kind in ("town", "village")
            and pop < 20_000
            and share < 0.15
            and not curated
            and "near:" not in m.rule
            and "country:" not in m.rule
        ):
            # "overrun Anjara" in a report about Aleppo: a village of the same name in Jordan, which nothing in
            # the report points to, is a guess; the place stays unknown (kept as one where the text says so)
            m.notes.append("unresolved:lone-foreign-village")
            m.best = None
            m.drop = not m.locative
        elif m.key in self._common and share < 0.3 and "near" not in m.rule:
            m.notes.append("unresolved:common-word")
            m.best = None
            m.drop = True
        elif not primary and m.initial and share < 0.3:
            m.notes.append("unresolved:sentence-initial-alternate-name")
            m.best = None
            m.drop = True
        elif not primary and pop < 1000 and share < 0.3:
            m.notes.append("unresolved:weak-alternate-name")
            m.best = None
            m.drop = not m.locative

    def _to_public(self, m: _Mention, zones: Sequence[tuple[int, int, str]]) -> PlaceMention:
        zone = "body"
        for zs, ze, kind in zones:
            if zs <= m.start < ze:
                zone = kind if kind in ("caption", "title") else "boilerplate"
                break
        notes = list(m.notes)
        if m.qualifier:
            notes.append(f"qualifier:{m.qualifier}")
        if m.unknown:
            return PlaceMention(m.text, m.start, m.end, None, zone, "+".join(["pattern:unknown", *notes]), 0.0)
        place = self.gaz.place(m.best) if m.best is not None else None
        rule = "+".join([m.rule, *notes]) if place is not None else "+".join(notes or ["unresolved"])
        if "demonym" in notes:
            rule = "demonym:" + rule  # callers tell "Syrian forces" from "in Syria" by this prefix
        return PlaceMention(m.text, m.start, m.end, place, zone, rule, round(m.score, 3) if place else 0.0)


def parse_file_text(gp: Geoparser, path: Path) -> list[PlaceMention]:
    """Convenience for callers holding a path: read it as UTF-8 and parse it with zones detected."""
    from sitroom.geo.zones import detect_zones

    text = path.read_text(encoding="utf-8", errors="replace")
    return gp.parse(text, zones=detect_zones(text))


__all__ = ["Geoparser", "parse_file_text"]
