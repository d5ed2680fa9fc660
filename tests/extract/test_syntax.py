"""The parser the rules read: that it is the model the project trained, that it parses as well as its training
run said, and what the structural questions (scope, agent) answer on news sentences written for this test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.conftest import shared_path

from sitroom.errors import ConfigError
from sitroom.extract.syntax import MODEL_DIR, Syntax, load_parser, verify


def test_the_shipped_parser_matches_its_sums() -> None:
    verify(MODEL_DIR)


def test_a_changed_parser_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "parser-en"
    shutil.copytree(MODEL_DIR, copy)
    weights = copy / "parser" / "model"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(ConfigError, match="does not match"):
        verify(copy)
    (copy / "SHA256SUMS").unlink()
    with pytest.raises(ConfigError, match="no SHA256SUMS"):
        verify(copy)


def _conllu_sentences(path: Path, limit: int) -> list[list[tuple[str, int, str]]]:
    """(word, head index within the sentence or -1 for the root, relation) per word; multiword lines skipped."""
    out: list[list[tuple[str, int, str]]] = []
    rows: list[tuple[str, int, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if rows:
                out.append(rows)
                rows = []
                if len(out) >= limit:
                    break
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        rows.append((cols[1], int(cols[6]) - 1, cols[7]))
    return out


def test_attachment_scores_on_the_ewt_dev_split() -> None:
    """The training run's figures hold on the treebank's dev split (gold words, so tokenisation is not scored).
    Measured: UAS 0.84, LAS 0.80 on the first 800 dev sentences; the floors sit under them."""
    from spacy.tokens import Doc

    dev = shared_path("data", "ud-english-ewt", "en_ewt-ud-dev.conllu")
    nlp = load_parser()
    sentences = _conllu_sentences(dev, limit=800)
    total = uas = las = 0
    for rows in sentences:
        doc = nlp(Doc(nlp.vocab, words=[w for w, _, _ in rows]))
        for tok, (_, head, rel) in zip(doc, rows, strict=True):
            if rel == "punct":
                continue
            total += 1
            got_head = -1 if tok.head.i == tok.i else tok.head.i
            if got_head == head:
                uas += 1
                las += tok.dep_.lower() == rel.lower()
    assert total > 8000
    print(f"EWT dev (first 800 sentences, gold words): UAS {uas / total:.3f} LAS {las / total:.3f}")
    assert uas / total >= 0.80, f"UAS {uas / total:.3f}"
    assert las / total >= 0.76, f"LAS {las / total:.3f}"


# --- the questions the rules ask, on sentences written for this test -----------------------------------------


def _ask(sentence: str, word: str) -> tuple[Syntax, int]:
    at = sentence.index(word)
    return Syntax(sentence), at


@pytest.mark.parametrize(
    ("sentence", "word", "want"),
    [
        ("The militia vowed to seize the port within a week.", "seize", "intention"),
        ("Rebel commanders plan to take the airbase before winter.", "take", "intention"),
        ("Government troops tried to recapture the bridge overnight.", "recapture", "intention"),
        ("The insurgents failed to enter the town despite three assaults.", "enter", "intention"),
        ("The fighters almost captured the airport on Monday.", "captured", "near_miss"),
        ("A fall of the capital could reshape the whole region.", "fall", "modal"),
        ("Militants might withdraw from the valley if talks succeed.", "withdraw", "modal"),
        ("The army has not withdrawn from any of its positions near the city.", "withdrawn", "negated"),
        ("Officials said there was no evacuation of the embassy.", "evacuation", "negated"),
        ("Government forces never entered the old quarter.", "entered", "negated"),
    ],
)
def test_what_governs_an_event_word(sentence: str, word: str, want: str) -> None:
    sx, at = _ask(sentence, word)
    scope = sx.scope(0, len(sentence), at)
    assert getattr(scope, want), f"{word!r} in {sentence!r}: {scope}"


@pytest.mark.parametrize(
    ("sentence", "word"),
    [
        ("The rebels captured the airport on Monday.", "captured"),
        ("After the fall of the city, the army could regroup further south.", "fall"),
        ("The ministry calls on citizens not to believe the reports of a withdrawal.", "withdrawal"),
        ("Fighters seized two villages and reached the outskirts of the town.", "reached"),
        ("The convoy left the capital at dawn, officials said.", "left"),
    ],
)
def test_plain_events_are_governed_by_nothing(sentence: str, word: str) -> None:
    sx, at = _ask(sentence, word)
    scope = sx.scope(0, len(sentence), at)
    assert not (scope.intention or scope.near_miss or scope.modal or scope.negated), f"{sentence!r}: {scope}"


@pytest.mark.parametrize(
    ("sentence", "word", "agent", "how"),
    [
        ("The border post was captured by tribal fighters on Sunday.", "captured", "tribal fighters", "by"),
        ("The capture of the dam by the militia was confirmed on Friday.", "capture", "the militia", "by"),
        ("The rebels' seizure of the airport surprised diplomats.", "seizure", "The rebels", "possessor"),
        ("Separatist units entered the port and seized the customs office.", "seized", "Separatist units", "subject"),
        ("Local militias took control of the crossing after the guards fled.", "took", "Local militias", "subject"),
    ],
)
def test_who_did_it_by_grammar(sentence: str, word: str, agent: str, how: str) -> None:
    sx, at = _ask(sentence, word)
    who = sx.agent(0, len(sentence), at)
    assert who is not None, sentence
    assert (sentence[who.start : who.end], who.how) == (agent, how)


def test_a_passive_without_by_names_no_doer() -> None:
    sentence = "The provincial capital was taken on Thursday."
    sx, at = _ask(sentence, "taken")
    assert sx.agent(0, len(sentence), at) is None


@pytest.mark.parametrize(
    ("sentence", "word", "name"),
    [
        ("The ENDF regained the town on Friday.", "regained", "ENDF"),
        ("Late on Friday the Wagner Group withdrew from the town.", "withdrew", "Wagner Group"),
        ("The town was taken by the Kataib Sabireen on Monday.", "taken", "Kataib Sabireen"),
    ],
)
def test_the_proper_name_in_the_doers_phrase(sentence: str, word: str, name: str) -> None:
    sx, at = _ask(sentence, word)
    span = sx.agent_name(0, len(sentence), at)
    assert span is not None and sentence[span[0] : span[1]] == name


def test_no_name_in_a_common_doer() -> None:
    sentence = "Clashes erupted near the town, and local militias took the bridge."
    sx, at = _ask(sentence, "took")
    assert sx.agent_name(0, len(sentence), at) is None
