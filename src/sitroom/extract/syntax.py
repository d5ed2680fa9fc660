"""Sentence structure for the rules: a dependency parse, and the questions the rules ask of it.

The parser is sitroom's own (`sitroom/models/parser-en/`, trained from UD English EWT by
`sitroom.models.train_parser`; LAS 78.8 on the EWT test split). It is loaded once per process and its files are
checked against `SHA256SUMS` first: a model that is not the one the project trained is refused, not used.

Only sentences that hold a trigger are parsed, once each (`Syntax.parse`). The rules ask two kinds of question,
both about the word that triggered an event:

- `scope(...)`: what governs it — a negation, a modal, a verb of intention ("vowed to march on"), an adverb of a
  near miss ("almost took"). The words that count live in `lang/en/syntax.toml`.
- `agent(...)`: who did it by grammar — the subject of an active verb, the "by" phrase of a passive one, the
  possessor of a noun ("the rebels' capture of Hama") — as a character span the rules map to an actor mention.

Answers are character offsets into the document, so the rules never see tokens.
"""

from __future__ import annotations

import hashlib
import re
import threading
import tomllib
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sitroom import lang
from sitroom.errors import ConfigError

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "parser-en"
LEXICON = lang.folder() / "syntax.toml"

_lock = threading.Lock()


def verify(model_dir: Path = MODEL_DIR) -> None:
    """Raise ConfigError unless every file listed in SHA256SUMS is present with its recorded hash."""
    sums = model_dir / "SHA256SUMS"
    if not sums.is_file():
        raise ConfigError(f"{model_dir}: no SHA256SUMS beside the parser; reinstall sitroom")
    for line in sums.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        digest, name = line.split(maxsplit=1)
        path = model_dir / name
        if not path.is_file():
            raise ConfigError(f"{path}: missing from the parser model; reinstall sitroom")
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            raise ConfigError(f"{path}: does not match its SHA256SUMS entry; the parser was changed, refusing it")


@cache
def load_parser() -> Any:
    """The verified spaCy pipeline (tagger, parser, lemmatiser), loaded once per process."""
    with _lock:
        verify()
        import spacy

        return spacy.load(MODEL_DIR)


@dataclass(frozen=True, slots=True)
class Words:
    """The word lists the structural rules read (lang/en/syntax.toml)."""

    intention: frozenset[str]  # lemmas of verbs whose complement has not happened: vow, plan, threaten
    attempt: frozenset[str]  # lemmas of verbs of trying or failing: try, attempt, fail
    near_miss: frozenset[str]  # adverbs: almost, nearly
    modal: frozenset[str]  # modal auxiliaries that make a clause hypothetical: could, would, may, might
    future: frozenset[str]  # auxiliaries of a future: will, shall
    purpose_nouns: frozenset[str] = frozenset()  # "an operation to take Sirte": a purpose, not an event


@cache
def words(path: Path = LEXICON) -> Words:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return Words(**{k: frozenset(w.lower() for w in v) for k, v in data["words"].items()})


@dataclass(frozen=True, slots=True)
class Scope:
    """What governs a trigger word in its sentence."""

    intention: str | None = None  # the verb of intention or attempt above it ("vowed", "tried")
    negated: bool = False  # "did not capture", "no capture of"
    modal: str | None = None  # "could take", "the fall of X could mark"
    near_miss: str | None = None  # "almost took"
    nominal: bool = False  # the trigger is a noun ("the fall of Hama could ...")


@dataclass(frozen=True, slots=True)
class Agent:
    """The phrase that did it, and how the grammar marks it: "by" (a passive's or a noun's "by" phrase),
    "possessor" ("the rebels' capture of"), "subject" (an active verb's subject, or its first conjunct's)."""

    start: int
    end: int
    how: str


class Syntax:
    """Parses of one document's sentences, made on demand and kept for the document's lifetime."""

    def __init__(self, text: str, nlp: Any = None) -> None:
        self.text = text
        self._nlp = nlp
        self._docs: dict[tuple[int, int], Any] = {}

    def parse(self, start: int, end: int) -> Any:
        key = (start, end)
        doc = self._docs.get(key)
        if doc is None:
            nlp = self._nlp or load_parser()
            doc = nlp(self.text[start:end])
            self._docs[key] = doc
        return doc

    def token(self, start: int, end: int, at: int) -> Any:
        """The token of the sentence [start, end) that covers document offset `at` (or None)."""
        doc = self.parse(start, end)
        rel = at - start
        for tok in doc:
            if tok.idx <= rel < tok.idx + len(tok.text):
                return tok
        return None

    def scope(self, start: int, end: int, at: int) -> Scope:
        # A scope is made of a governing verb, adverb, negator or modal before the word, or a modal shortly after a
        # noun ("the fall of Hama could ..."): without one of those words around it, no parse is needed.
        w = words()
        if (
            not _may_govern(w).search(self.text, start, at)
            and not _modal_after(w).search(self.text, at, min(end, at + 60))
            and not _TO_BEFORE.search(self.text, max(start, at - 8), at)
        ):
            return Scope()
        tok = self.token(start, end, at)
        if tok is None:
            return Scope()
        return scope_of(tok, words())

    def agent(self, start: int, end: int, at: int, marked_only: bool = False) -> Agent | None:
        """Who did what the word at `at` names, by grammar, as document offsets. With `marked_only`, only a doer
        marked by "by" or a possessive is looked for, and a sentence with neither is not parsed."""
        if marked_only and not (
            _BY.search(self.text, at, end) or _POSSESSOR.search(self.text, max(start, at - 40), at)
        ):
            return None  # no "by" after the word and no possessive before it
        tok = self.token(start, end, at)
        if tok is None:
            return None
        who = agent_of(tok)
        if who is None:
            return None
        return Agent(start + who.start, start + who.end, who.how)

    def agent_name(self, start: int, end: int, at: int) -> tuple[int, int] | None:
        """The proper name inside the doer's phrase ("Fano militias", "the ENDF", "People's Defence Force units"):
        document offsets of the longest run of name words, or None. For actors no lexicon lists."""
        who = self.agent(start, end, at)
        if who is None:
            return None
        doc = self.parse(start, end)
        inside = [t for t in doc if who.start <= start + t.idx and start + t.idx + len(t.text) <= who.end]
        runs: list[list[Any]] = []
        run: list[Any] = []
        for t in inside:
            if _name_word(t):
                run.append(t)
            elif run and t.lower_ in ("'s", "’s", "of", "-") and t is not inside[-1]:
                run.append(t)  # "People's Defence Force", "Army of Conquest"
            else:
                if run:
                    runs.append(run)
                run = []
        if run:
            runs.append(run)
        for r in runs:
            while r and not _name_word(r[-1]):
                r.pop()
        runs = [r for r in runs if r and _trusted_name(r)]
        best = max(runs, key=len, default=None)
        if best is None:
            return None
        return start + best[0].idx, start + best[-1].idx + len(best[-1].text)


_BY = re.compile(r"\bby\b", re.IGNORECASE)  # "captured by the rebels", "the capture of Hama by HTS"
_POSSESSOR = re.compile(r"\w(?:['’]s|s['’])(?:\s+[\w-]+){0,3}\s*$")  # "the rebels' swift capture", "HTS's seizure"


def _alternation(alts: AbstractSet[str]) -> str:
    return "|".join(re.escape(a) for a in sorted(alts, key=len, reverse=True))


@cache
def _may_govern(w: Words) -> re.Pattern[str]:
    """Any word a scope could be made of, in any inflection: stems of the verbs, the adverbs, negators, modals.
    Modals are matched in lower case only, so "May" the month does not count."""
    verbs = w.intention | w.attempt
    stems = {v[:-1] if v.endswith(("e", "y")) and len(v) > 3 else v for v in verbs}
    irregular = {"sought", "swore", "sworn", "meant", "tried", "tries"}
    loose = _alternation(stems | irregular | w.near_miss | _NEGATORS | {"cannot"})
    return re.compile(rf"(?<![\w-])(?:(?i:{loose})|{_alternation(w.modal | w.future)}\b)|n['’]t\b")


_TO_BEFORE = re.compile(r"\bto\s+$")


@cache
def _modal_after(w: Words) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{_alternation(w.modal)})\b")


def _trusted_name(run: list[Any]) -> bool:
    """A run of name words that is a name, not a capitalised first word ("Crowds overran ...", "Clashes
    erupted ..."): it holds an acronym, or two name words, or its one word stands inside the sentence."""
    words = [t for t in run if _name_word(t)]
    if any(len(t.text) >= 2 and t.text.isupper() and t.text.isalpha() for t in words) or len(words) >= 2:
        return True
    first = words[0]
    opens = first.i == 0 or first.nbor(-1).is_punct
    return not opens and first.pos_ == "PROPN"


def _name_word(t: Any) -> bool:
    """A word of a proper name: tagged as one, or an acronym, or capitalised inside the sentence."""
    text = str(t.text)
    if not text[:1].isupper() or t.like_num:
        return False
    acronym = len(text) >= 2 and text.isupper() and text.isalpha()
    return acronym or t.pos_ == "PROPN" or (t.i > 0 and t.pos_ not in ("DET", "PRON", "ADP", "CCONJ"))


# --- the rules over the tree (pure functions of spaCy tokens, tested on their own) ---------------------------

# The parser speaks Universal Dependencies: nsubj / nsubj:pass, obj, obl:agent ("by" of a passive), nmod:poss,
# xcomp / ccomp, conj, advmod ("not" is an advmod in EWT), aux / aux:pass, case.
_NEGATORS = frozenset({"not", "n't", "never", "no"})


def _verb_of(tok: Any) -> Any:
    """The verb whose clause holds `tok`: itself if it is a verb, else the first verb above it."""
    t = tok
    for _ in range(12):
        if t.pos_ in ("VERB", "AUX") and not t.dep_.startswith("aux"):
            return t
        if t.head is t:
            return t
        t = t.head
    return t


def _lemma(tok: Any) -> str:
    return str(tok.lemma_).lower()


def scope_of(tok: Any, w: Words) -> Scope:
    no = any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children)  # "no withdrawal has taken place"
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ not in ("nsubj", "nsubj:pass", "obj", "ROOT"):
        # "the army regrouped after the fall of Hama": a noun in an adjunct takes nothing from the verb above
        return Scope(negated=no)
    verb = _verb_of(tok)
    kids = list(verb.children)
    # "did not withdraw", "never took"; not "calls on citizens not to believe" (a "not" after the verb is another's)
    negated = no or any(c.dep_ in ("advmod", "neg") and c.lower_ in _NEGATORS and c.i < verb.i for c in kids)
    modal = next((c.lower_ for c in kids if c.dep_.startswith("aux") and c.lower_ in w.modal), None)
    near = next(
        (c.lower_ for c in kids if c.dep_ == "advmod" and c.lower_ in w.near_miss and 0 < verb.i - c.i <= 2), None
    )  # "almost took", "had nearly reached"
    # climb the complements: "vowed to march", "tried to storm", "plans to take"
    intention = None
    t = verb
    for _ in range(6):
        if t.head is t:
            break
        if t.dep_ == "conj":
            t = t.head  # "vowed to march on Homs and take Damascus": the first verb's governor governs both
            continue
        if t.dep_ not in ("xcomp", "ccomp"):
            break
        head = t.head
        if _lemma(head) in w.intention or _lemma(head) in w.attempt:
            intention = head.lower_
            break
        t = head
    # a purpose: "launched an operation to take Sirte", "pushed south to capture Hama" (an infinitive of purpose
    # under a noun of effort, or an adverbial "to"); not "the first town to fall", whose noun is no effort
    marked_to = any(c.dep_ == "mark" and c.lower_ == "to" for c in verb.children)
    if intention is None and marked_to:
        if verb.dep_ == "acl" and _lemma(verb.head) in w.purpose_nouns:
            intention = verb.head.lower_
        elif verb.dep_ == "advcl":
            intention = "to"
    # a noun trigger complementing an intention: "vowed the capture of Damascus", "failed in their bid for Hama"
    if (
        intention is None
        and tok.pos_ in ("NOUN", "PROPN")
        and tok.dep_ in ("obj", "dobj")
        and (_lemma(tok.head) in w.intention or _lemma(tok.head) in w.attempt)
    ):
        intention = tok.head.lower_
    nominal = tok.pos_ in ("NOUN", "PROPN")
    return Scope(intention=intention, negated=negated, modal=modal, near_miss=near, nominal=nominal)


def agent_of(tok: Any) -> Agent | None:
    """The doer of the verb or noun `tok` by grammar (offsets in the parsed text)."""
    if tok.pos_ in ("NOUN", "PROPN"):
        for c in tok.children:
            if c.dep_ == "nmod:poss" and c.pos_ not in ("PRON", "PUNCT"):
                return Agent(*_span(c), "possessor")  # "the rebels' capture of Aleppo"
            if c.dep_ in ("nmod", "obl:agent") and any(g.dep_ == "case" and g.lower_ == "by" for g in c.children):
                return Agent(*_span(c), "by")  # "the capture of Aleppo by the rebels"
        return None
    verb = tok if tok.pos_ in ("VERB", "AUX") else _verb_of(tok)
    kids = list(verb.children)
    by = next((c for c in kids if c.dep_ == "obl:agent"), None)
    if by is not None:
        return Agent(*_span(by), "by")  # "was captured by HTS fighters"
    if any(c.dep_ == "nsubj:pass" for c in kids):
        return None  # a passive without its "by": the subject is what was taken, not who took it
    subj = next((c for c in kids if c.dep_ == "nsubj"), None)
    if subj is None and verb.dep_ in ("conj", "xcomp") and verb.head is not verb:
        # "the rebels entered Hama and seized the airport", "the rebels went on to take Hama"
        subj = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.pos_ == "PRON":
        return None
    return Agent(*_span(subj), "subject")


def _span(tok: Any) -> tuple[int, int]:
    """The phrase headed by `tok` without its relative clauses, appositions and case marker."""
    keep = [tok]
    for c in tok.children:
        if c.dep_ in ("acl", "acl:relcl", "appos", "punct", "cc", "conj", "case", "nmod", "parataxis"):
            continue
        keep.extend(c.subtree)
    lo = min(t.idx for t in keep)
    hi = max(t.idx + len(t.text) for t in keep)
    return lo, hi
