"""The learned layer: the static encoder, the sentence scorer trained from the seed sentences, hybrid.v1, and
extractors that other packages register through the sitroom.extractors entry-point group."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from sitroom.errors import ConfigError
from sitroom.extract import base, get_extractor
from sitroom.extract.encoder import MODEL_DIR, StaticEncoder, WordPiece, default_encoder, verify
from sitroom.extract.scorer import SentenceScorer, default_scorer, load_examples, seed_files

# --- encoder -------------------------------------------------------------------------------------------------


def test_the_shipped_encoder_matches_its_sums_and_a_changed_file_is_refused(tmp_path: Path) -> None:
    verify(MODEL_DIR)
    copy = tmp_path / "enc"
    copy.mkdir()
    for p in MODEL_DIR.iterdir():
        (copy / p.name).write_bytes(p.read_bytes())
    weights = np.load(copy / "weights.npy")
    weights[0] += 1.0
    np.save(copy / "weights.npy", weights)
    with pytest.raises(ConfigError, match=r"weights\.npy"):
        StaticEncoder(copy)


def test_wordpiece_cuts_words_as_bert_uncased_does() -> None:
    vocab = (MODEL_DIR / "vocab.txt").read_text(encoding="utf-8").split("\n")
    wp = WordPiece(vocab)
    pieces = [vocab[i] for i in wp.ids("Unaffable rebels SEIZED Ma'arrat!")]
    assert pieces[:3] == ["una", "##ffa", "##ble"] or pieces[:3] == ["un", "##aff", "##able"]
    assert "rebels" in pieces and "seized" in pieces and pieces[-1] == "!"
    assert [vocab[i] for i in wp.ids("Café")] == ["cafe"]  # accents stripped, lower case


def test_paraphrases_lie_closer_than_unrelated_sentences() -> None:
    enc = default_encoder()
    v = enc.encode(
        [
            "Rebels captured the city of Aleppo.",
            "Insurgents seized the town.",
            "Share prices rose on the stock exchange.",
            "Warplanes bombed villages overnight.",
            "Air strikes hit several towns after dark.",
        ]
    )
    sim = v @ v.T
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert sim[0, 1] > sim[0, 2] + 0.3
    assert sim[3, 4] > sim[3, 2] + 0.3


# --- scorer --------------------------------------------------------------------------------------------------


def test_seed_sentences_are_labelled_with_known_types_and_come_from_several_hands() -> None:
    files = seed_files()
    assert len(files) >= 8
    examples = load_examples(files)
    types = {e.type for e in examples}
    assert len(examples) >= 3600 and "none" in types and "territory_captured" in types
    assert len({e.text for e in examples}) > 0.98 * len(examples)  # no file copies another


def test_a_bad_seed_line_names_its_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Rebels took Hama.", "type": "territory_captured"}\n{"text": "x", "type": "coup"}\n')
    with pytest.raises(ConfigError, match=r"bad.jsonl:2: unknown type 'coup'"):
        load_examples([bad])


def test_the_scorer_generalises_across_registers() -> None:
    """Trained on the other writers' registers, scored on one writer's: every fold stays above a floor (half the
    folds, for time; the held-out figure is printed by `sitroom eval scorer`)."""
    files = seed_files()
    for held in files[::2]:
        scorer = SentenceScorer(load_examples([f for f in files if f != held]))
        test = load_examples([held])
        got = scorer.score([e.text for e in test])
        accuracy = sum(e.type == s.type for e, s in zip(test, got, strict=True)) / len(test)
        assert accuracy >= 0.8, f"{held.name}: {accuracy:.3f}"


def test_the_scorer_reads_sentences_no_rule_word_covers() -> None:
    got = default_scorer().score(
        [
            "Militants torched three villages near Palma on Sunday, residents said.",
            "Real Madrid captured the league title on Sunday.",
        ]
    )
    assert got[0].type == "attack_on_civilians" and got[0].p > 0.5
    assert got[1].type == "none"
    assert got[0].ranked[0][0] == got[0].type


# --- hybrid.v1 -----------------------------------------------------------------------------------------------

TEXT = (
    "PEMBA, Mozambique - Militants torched three villages near Macomia on Sunday, residents said. "
    "Insurgents also seized the port town of Mocimboa da Praia, the army said."
)


def _doc(text: str):  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from sitroom.model import Document

    return Document(id="h1", text=text, published_at=datetime(2021, 3, 30, tzinfo=UTC), outlet="Wire")


def test_hybrid_adds_a_proposal_where_no_rule_fires_and_keeps_the_rules_claims() -> None:
    rules = get_extractor("rules.v1").extract(_doc(TEXT))
    hybrid = get_extractor("hybrid").extract(_doc(TEXT))
    assert get_extractor("hybrid").name == "hybrid.v1"
    assert all(c.extractor == "hybrid.v1" for c in hybrid)
    # every claim of the rules is there, read the same way
    key = lambda c: (c.type, c.stance, c.place.key if c.place else None, c.rule)  # noqa: E731
    assert {key(c) for c in rules} <= {key(c) for c in hybrid}
    proposals = [c for c in hybrid if c.rule.endswith(".scorer")]
    assert len(proposals) == 1
    p = proposals[0]
    assert p.type == "attack_on_civilians" and p.place is not None and p.place.country == "MZ"
    assert p.attributed_to is not None and str(p.when.earliest) == "2021-03-28"
    assert p.cues[0].startswith("scorer: attack_on_civilians p=")
    assert p.confidence < min(c.confidence for c in rules)


def test_hybrid_proposes_nothing_for_a_pledge_or_a_match_report() -> None:
    text = (
        "Rebel commanders vowed on Monday to drive the army out of Homs within days. "
        "Real Madrid captured the league title in Seville on Sunday."
    )
    claims = get_extractor("hybrid.v1").extract(_doc(text))
    assert not [c for c in claims if c.rule.endswith(".scorer") and c.stance == "asserted"]


# --- plug-ins ------------------------------------------------------------------------------------------------


def test_an_extractor_registered_by_another_package_is_found_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "myreader.py").write_text(
        textwrap.dedent(
            """
            class Reader:
                name = "mine.v2"
                def extract(self, doc):
                    return []
            def broken():
                raise RuntimeError("no model file")
            """
        )
    )
    dist = tmp_path / "myreader-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: myreader\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[sitroom.extractors]\nmine.v2 = myreader:Reader\nbroken.v1 = myreader:broken\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(base, "_FACTORIES", {})
    monkeypatch.setattr(base, "_INSTANCES", {})
    monkeypatch.setattr(base, "_LOADED", False)
    assert {"mine.v2", "broken.v1", "rules.v1", "hybrid.v1", "llm.v1"} <= set(base.available_extractors())
    assert get_extractor("mine").name == "mine.v2"  # the unversioned name means the latest version
    with pytest.raises(ConfigError, match=r"extractor 'broken.v1' could not be started: RuntimeError: no model file"):
        get_extractor("broken.v1")
    assert "myreader" in sys.modules


def test_the_scorers_sub_event_refines_the_acled_coding_only_within_the_same_acled_type() -> None:
    from sitroom.acled import acled_types
    from sitroom.serialize import claim_to_dict

    text = "KHARTOUM, Sudan - Gunmen abducted 14 passengers from a bus near Sennar on Thursday, residents said."
    claims = [c for c in get_extractor("hybrid.v1").extract(_doc(text)) if c.type == "attack_on_civilians"]
    assert claims, "the abduction is read"
    assert acled_types(claims[0].type, claims[0].actor, claims[0].cues)[1] == "Abduction/forced disappearance"
    assert claim_to_dict(claims[0])["acled"]["sub_event_type"] == "Abduction/forced disappearance"
    # the rules' own words win over the scorer for the weapon; another ACLED type is never taken
    assert acled_types("remote_violence", None, ("shelled", "scorer: ACLED Air/drone strike p=0.90"))[1] == (
        "Shelling/artillery/missile attack"
    )
    assert acled_types("protest", None, ("scorer: ACLED Armed clash p=0.90",)) == ("Protests", "Peaceful protest")


def test_the_scorer_on_another_hands_held_out_sentences_stays_above_its_floors() -> None:
    """Regression floors a little below the first measurement (type accuracy 0.83, ACLED sub-event weighted F1
    0.86, 8 Dec 2026); the figures themselves come from `sitroom eval scorer`."""
    from sitroom.evaluate.sentences import score_sentences

    path = Path(__file__).resolve().parents[1] / "scorer-heldout" / "sentences.jsonl"
    report = score_sentences(path)
    assert report.sentences == 320
    assert report.type_accuracy >= 0.80 and report.acled_weighted_f1 >= 0.82
