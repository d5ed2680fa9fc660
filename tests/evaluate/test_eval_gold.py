"""load_gold reads the gold files of a corpus strictly: a bad line names its file and line."""

from __future__ import annotations

import json
from datetime import date

import pytest

from sitroom.errors import DataFileError
from sitroom.evaluate import load_gold

CITY = {"name": "Hama", "lat": 35.13, "lon": 36.76, "country": "SY", "kind": "city"}
CLAIM = {
    "doc": "d1",
    "type": "territory_captured",
    "actor": ["HTS"],
    "target": None,
    "place": CITY,
    "date": {"earliest": "2024-12-01", "latest": "2024-12-05"},
    "source": None,
    "stance": "asserted",
    "quantity": None,
    "advice": None,
    "optional": False,
    "note": "n",
}
MUST_NOT = {"doc": "d1", "must_not": {"type": "territory_captured", "place": CITY}, "note": "caption only"}
CONTROL = {
    "place": {"name": "Hama", "lat": 35.13, "lon": 36.76, "country": "SY"},
    "controller": ["HTS"],
    "since": "2024-12-05",
    "tolerance_days": 1,
}


def write(tmp_path, name, lines):
    gold = tmp_path / "gold"
    gold.mkdir(exist_ok=True)
    (gold / name).write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines))


def test_reads_claims_must_not_and_control(tmp_path):
    write(tmp_path, "claims.jsonl", [CLAIM, "", MUST_NOT, {**CLAIM, "type": "statement", "optional": True}])
    write(tmp_path, "control.jsonl", [CONTROL])
    gold = load_gold(tmp_path)
    assert len(gold.claims) == 2 and len(gold.must_not) == 1 and len(gold.control) == 1
    claim = gold.claims[0]
    assert (claim.actor, claim.place.kind, claim.when.earliest, claim.when.exact) == (
        ("HTS",),
        "city",
        date(2024, 12, 1),
        None,
    )
    assert claim.line == 1 and gold.must_not[0].line == 3 and gold.must_not[0].stance is None
    assert gold.scored_types == frozenset({"territory_captured"})
    assert gold.control[0].since.exact == date(2024, 12, 5)
    assert gold.control[0].place.kind == "town"  # no kind given: an ordinary place, not a facility


def test_a_corpus_may_have_control_gold_only(tmp_path):
    write(tmp_path, "control.jsonl", [CONTROL])
    gold = load_gold(tmp_path)
    assert gold.claims == () and gold.claims_path is None and len(gold.control) == 1


def test_a_corpus_without_gold_is_an_error(tmp_path):
    with pytest.raises(DataFileError, match="gold"):
        load_gold(tmp_path)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"doc": "d1", "type": ', "not JSON"),
        ("[1, 2]", "JSON object"),
        ({**CLAIM, "date": "5 Dec 2024"}, "'date'"),
        ({**CLAIM, "date": {"earliest": "2024-12-05", "latest": "2024-12-01"}}, "before it starts"),
        ({**CLAIM, "place": {"name": "Hama", "country": "SY", "kind": "city"}}, "'lat' and 'lon'"),
        ({**CLAIM, "place": {"name": "Syria", "lat": 35, "lon": 38, "kind": "country"}}, "country"),
        ({**CLAIM, "actor": "HTS, rebels", "source": [1]}, "'source'"),
        ({**CLAIM, "quantity": "280,000"}, "'quantity'"),
        ({**CLAIM, "type": None}, "'type'"),
        ({**CLAIM, "stance": ""}, "'stance'"),
        ({**CLAIM, "optional": "yes"}, "'optional'"),
        ({"doc": "d1", "must_not": "Homs"}, "must_not"),
        ({k: v for k, v in CLAIM.items() if k != "doc"}, "'doc'"),
    ],
)
def test_bad_claim_line_names_file_and_line(tmp_path, line, reason):
    write(tmp_path, "claims.jsonl", [CLAIM, line])
    with pytest.raises(DataFileError, match=reason) as err:
        load_gold(tmp_path)
    assert err.value.line == 2
    assert err.value.path.endswith("claims.jsonl")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ({**CONTROL, "controller": []}, "controller"),
        ({**CONTROL, "since": None}, "since"),
        ({**CONTROL, "tolerance_days": -1}, "tolerance_days"),
        ({**CONTROL, "place": None}, "place"),
    ],
)
def test_bad_control_line_names_file_and_line(tmp_path, line, reason):
    write(tmp_path, "control.jsonl", [line])
    with pytest.raises(DataFileError, match=reason) as err:
        load_gold(tmp_path)
    assert err.value.line == 1 and err.value.path.endswith("control.jsonl")


def test_single_name_string_reads_as_a_list_of_one(tmp_path):
    write(tmp_path, "claims.jsonl", [{**CLAIM, "actor": "HTS", "source": []}])
    claim = load_gold(tmp_path).claims[0]
    assert claim.actor == ("HTS",)
    assert claim.source is None  # an empty list cannot be matched: read as "the outlet", like null


def test_words_outside_sitroom_vocabularies_are_kept_with_a_warning(tmp_path):
    write(
        tmp_path,
        "claims.jsonl",
        [
            {**CLAIM, "type": "arrest", "stance": "claimed", "place": {**CITY, "kind": "district"}},
            {**CLAIM, "date": "2024-12-05T06:30:00+02:00", "advice": "flee"},
        ],
    )
    gold = load_gold(tmp_path)
    assert [c.type for c in gold.claims] == ["arrest", "territory_captured"]
    assert gold.claims[1].when.exact == date(2024, 12, 5)
    assert len(gold.warnings) == 4
    assert all("claims.jsonl:1:" in w or "claims.jsonl:2:" in w for w in gold.warnings)
    assert any("'arrest'" in w for w in gold.warnings) and any("'district'" in w for w in gold.warnings)
