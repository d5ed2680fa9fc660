"""score_claims against tiny hand-made gold: each matching rule of eval/FORMAT.md, one behaviour per test.

Gold is written as real gold files and read back, so the reader is exercised with the scorer; system claims
take DESIGN.md's claim JSON shape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sitroom.evaluate import Gold, load_gold, score_claims

# A fixed origin and offsets in degrees of latitude: 0.01 deg ~ 1.11 km.
LAT, LON = 35.0, 36.0


def place(lat: float = LAT, lon: float = LON, kind: str = "city", name: str = "Here", country: str = "SY") -> dict:
    return {"name": name, "lat": lat, "lon": lon, "country": country, "kind": kind}


def gold_claim(doc: str = "d1", type: str = "territory_captured", **fields: Any) -> dict:
    line = {
        "doc": doc,
        "type": type,
        "actor": None,
        "target": None,
        "place": place(),
        "date": None,
        "source": None,
        "stance": "asserted",
        "quantity": None,
        "advice": None,
        "optional": False,
        "note": "hand-made",
    }
    line.update(fields)
    return line


def write_gold(tmp_path: Path, claims: list[dict] | None = None, control: list[dict] | None = None) -> Gold:
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir(parents=True, exist_ok=True)
    if claims is not None:
        (gold_dir / "claims.jsonl").write_text("".join(json.dumps(c) + "\n" for c in claims), encoding="utf-8")
    if control is not None:
        (gold_dir / "control.jsonl").write_text("".join(json.dumps(c) + "\n" for c in control), encoding="utf-8")
    return load_gold(tmp_path)


_counter = iter(range(1, 1_000_000))


def system_claim(doc: str = "d1", type: str = "territory_captured", **fields: Any) -> dict:
    claim: dict[str, Any] = {
        "id": f"s{next(_counter)}",
        "document_id": doc,
        "type": type,
        "stance": "asserted",
        "actor": None,
        "target": None,
        "attributed_to": None,
        "place": {**place(), "text": "Here", "geonameid": None},
        "date": None,
        "date_earliest": None,
        "date_latest": None,
        "quantity": None,
        "metric": None,
        "advice": None,
        "audience": None,
        "means": None,
        "status": None,
        "evidence": {"text": "A sentence written for the test.", "start": 0, "end": 32},
        "extractor": "test.v1",
        "rule": "test",
        "confidence": 0.9,
    }
    claim.update(fields)
    return claim


def ref(name: str, id: str | None = None) -> dict:
    return {"id": id or name.lower().replace(" ", "_"), "name": name}


def at(lat: float, lon: float = LON, kind: str = "city", country: str = "SY") -> dict:
    return {**place(lat, lon, kind=kind, country=country), "text": "x", "geonameid": None}


# --- place ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("offset_deg", "found"), [(0.0, True), (0.2, True), (0.25, False)])
def test_place_matches_within_25_km_only(tmp_path, offset_deg, found):
    gold = write_gold(tmp_path, [gold_claim()])  # 0.2 deg ~ 22 km, 0.25 deg ~ 28 km
    report = score_claims([system_claim(place=at(LAT + offset_deg))], gold)
    assert report.overall["tp"] == int(found)
    assert report.overall["fp"] == int(not found)


@pytest.mark.parametrize("kind", ["airport", "border_crossing", "port", "military_base"])
def test_facility_gold_place_needs_5_km(tmp_path, kind):
    gold = write_gold(tmp_path, [gold_claim(type="transport_status", place=place(kind=kind), status="closed")])
    near = system_claim(type="transport_status", place=at(LAT + 0.04, kind=kind), status="closed")  # ~4.4 km
    far = system_claim(type="transport_status", place=at(LAT + 0.06, kind=kind), status="closed")  # ~6.7 km
    assert score_claims([near], gold).overall["tp"] == 1
    assert score_claims([far], gold).overall["tp"] == 0


def test_country_gold_place_matches_any_place_in_that_country(tmp_path):
    syria = {"name": "Syria", "lat": 35.0, "lon": 38.0, "country": "SY", "kind": "country"}
    gold = write_gold(tmp_path, [gold_claim(type="offensive", place=syria)])
    far_city = system_claim(type="offensive", place=at(36.2, 37.1))  # ~150 km from the centroid, still Syria
    assert score_claims([far_city], gold).overall["tp"] == 1
    lebanon = system_claim(type="offensive", place=at(35.0, 38.0, country="LB"))
    assert score_claims([lebanon], gold).overall["tp"] == 0
    assert score_claims([system_claim(type="offensive", place=None)], gold).overall["tp"] == 0


def test_country_gold_prefers_the_country_itself_among_candidates(tmp_path):
    syria = {"name": "Syria", "lat": 35.0, "lon": 38.0, "country": "SY", "kind": "country"}
    gold = write_gold(tmp_path, [gold_claim(type="offensive", place=syria)])
    city = system_claim(type="offensive", place=at(36.2, 37.1))
    country = system_claim(type="offensive", place={**at(35.0, 38.0), "kind": "country"})
    report = score_claims([city, country], gold)
    assert report.overall["tp"] == 1
    assert [f["id"] for f in report.false_claims] == [city["id"]]


def test_null_gold_place_is_not_scored(tmp_path):
    gold = write_gold(tmp_path, [gold_claim(type="offensive", place=None)])
    anywhere = system_claim(type="offensive", place=at(10.0, 10.0, country="XX"))
    assert score_claims([anywhere], gold).overall["tp"] == 1
    assert score_claims([system_claim(type="offensive", place=None)], gold).overall["tp"] == 1


def test_system_place_without_coordinates_does_not_match_a_city(tmp_path):
    gold = write_gold(tmp_path, [gold_claim()])
    vague = system_claim(place={"name": "Here", "text": "Here", "lat": None, "lon": None, "country": "SY"})
    assert score_claims([vague], gold).overall["tp"] == 0


# --- doc, type, actor ------------------------------------------------------------------------------


def test_other_document_or_type_does_not_match(tmp_path):
    gold = write_gold(tmp_path, [gold_claim(doc="d1", type="territory_captured")])
    report = score_claims([system_claim(doc="d2"), system_claim(type="advance")], gold)
    assert report.overall["tp"] == 0
    assert report.overall["fn"] == 1
    # advance has no required gold claim, so it is not a scored type and is ignored, not false
    assert report.overall["fp"] == 1
    assert report.ignored_system == 1


@pytest.mark.parametrize(
    ("actor", "found"),
    [
        (ref("Hayat Tahrir al-Sham", id="hts"), True),  # by id
        (ref("hayat tahrir al-sham", id="x1"), True),  # by name, other case
        (ref("Hay\u2019at Tahrir al-Sham", id="x2"), True),  # typographic apostrophe
        (ref("Syrian Arab Army", id="saa"), False),
        (None, False),
    ],
)
def test_actor_must_be_an_acceptable_name(tmp_path, actor, found):
    gold = write_gold(tmp_path, [gold_claim(actor=["HTS", "Hayat Tahrir al-Sham", "Hay'at Tahrir al-Sham"])])
    assert score_claims([system_claim(actor=actor)], gold).overall["tp"] == int(found)


def test_null_gold_actor_accepts_any_actor(tmp_path):
    gold = write_gold(tmp_path, [gold_claim(actor=None)])
    assert score_claims([system_claim(actor=ref("Anyone"))], gold).overall["tp"] == 1


# --- one-to-one matching -----------------------------------------------------------------------------


def test_matching_does_not_starve_a_later_gold_claim(tmp_path):
    # G1 at the origin, G2 33 km north. S1 (13 km from G1, 20 km from G2) could take either; S2 (17 km south
    # of G1) can only take G1. Nearest-first greedy gives S1 to G1 and loses G2; the assignment finds both.
    g1, g2 = gold_claim(place=place(LAT)), gold_claim(place=place(LAT + 0.3, name="North"))
    gold = write_gold(tmp_path, [g1, g2])
    s1, s2 = system_claim(place=at(LAT + 0.12)), system_claim(place=at(LAT - 0.15))
    for system in ([s1, s2], [s2, s1]):
        report = score_claims(system, gold)
        assert (report.overall["tp"], report.overall["fp"], report.overall["fn"]) == (2, 0, 0)


def test_one_system_claim_finds_at_most_one_gold_claim(tmp_path):
    gold = write_gold(tmp_path, [gold_claim(), gold_claim(stance="announced")])
    report = score_claims([system_claim()], gold)
    assert (report.overall["tp"], report.overall["fn"]) == (1, 1)


def test_duplicate_system_claims_count_once_and_the_rest_are_false(tmp_path):
    gold = write_gold(tmp_path, [gold_claim()])
    report = score_claims([system_claim(), system_claim()], gold)
    assert (report.overall["tp"], report.overall["fp"]) == (1, 1)
    assert report.overall["precision"] == 0.5


def test_best_candidate_is_the_one_with_the_same_stance_even_if_farther(tmp_path):
    gold = write_gold(tmp_path, [gold_claim(stance="announced")])
    near_wrong = system_claim(stance="asserted", place=at(LAT))
    far_right = system_claim(stance="announced", place=at(LAT + 0.2))
    report = score_claims([near_wrong, far_right], gold)
    assert report.attributes["stance"] == {"correct": 1, "scored": 1, "accuracy": 1.0}
    assert [f["id"] for f in report.false_claims] == [near_wrong["id"]]


def test_stance_pairs_up_two_gold_claims_at_one_place(tmp_path):
    # The seed's pattern: the outlet asserts a capture and the captor announces it, same place.
    gold = write_gold(tmp_path, [gold_claim(stance="asserted"), gold_claim(stance="announced")])
    report = score_claims([system_claim(stance="announced"), system_claim(stance="asserted")], gold)
    assert report.overall["tp"] == 2
    assert report.attributes["stance"]["accuracy"] == 1.0


def test_nearest_place_breaks_a_tie(tmp_path):
    gold = write_gold(tmp_path, [gold_claim()])
    far, near = system_claim(place=at(LAT + 0.2)), system_claim(place=at(LAT + 0.01))
    report = score_claims([far, near], gold)
    assert [f["id"] for f in report.false_claims] == [far["id"]]


# --- optional and scored types ---------------------------------------------------------------------------


def test_required_gold_claim_is_preferred_over_optional(tmp_path):
    gold = write_gold(tmp_path, [gold_claim(optional=True), gold_claim()])
    report = score_claims([system_claim()], gold)
    assert (report.overall["tp"], report.overall["fn"], report.optional_found) == (1, 0, 0)


def test_optional_gold_claim_found_is_neither_true_nor_false(tmp_path):
    north = place(LAT + 1.0, name="North")
    gold = write_gold(tmp_path, [gold_claim(), gold_claim(place=north, optional=True)])
    both = score_claims([system_claim(), system_claim(place=at(LAT + 1.0))], gold)
    assert (both.overall["tp"], both.overall["fp"], both.overall["fn"]) == (1, 0, 0)
    assert both.optional_found == 1
    only_optional = score_claims([system_claim(place=at(LAT + 1.0))], gold)
    assert (only_optional.overall["tp"], only_optional.overall["fp"], only_optional.overall["fn"]) == (0, 0, 1)
    assert only_optional.misses[0]["place"] == "Here"


def test_type_with_only_optional_gold_is_not_scored(tmp_path):
    gold = write_gold(tmp_path, [gold_claim(), gold_claim(type="statement", optional=True)])
    report = score_claims([system_claim(type="statement", doc="elsewhere")], gold)
    assert report.scored_types == ("territory_captured",)
    assert report.overall["fp"] == 0
    assert report.ignored_system == 1


def test_claims_in_documents_without_gold_are_false(tmp_path):
    gold = write_gold(tmp_path, [gold_claim(doc="d1")])
    report = score_claims([system_claim(doc="d1"), system_claim(doc="quiet-doc")], gold)
    assert report.overall["fp"] == 1
    assert report.false_claims[0]["doc"] == "quiet-doc"


# --- attributes on matched pairs ----------------------------------------------------------------------------


def _attribute(tmp_path, name, gold_fields, system_fields):
    gold = write_gold(tmp_path, [gold_claim(**gold_fields)])
    report = score_claims([system_claim(**system_fields)], gold)
    assert report.overall["tp"] == 1, "the pair must match for its attributes to be scored"
    return report.attributes[name]


def _span(d=None, lo=None, hi=None):
    return {"date": d, "date_earliest": lo or d, "date_latest": hi or d}


@pytest.mark.parametrize(
    ("system", "correct"),
    [
        (_span("2024-12-05"), True),
        (_span("2024-12-06"), True),  # +1 day
        (_span("2024-12-04"), True),  # -1 day
        (_span("2024-12-07"), False),  # +2 days
        (_span(lo="2024-12-04", hi="2024-12-06"), True),  # range within +-1 day
        (_span(lo="2024-12-03", hi="2024-12-05"), False),  # range reaching 2 days before
        (_span(), False),  # no date at all
    ],
)
def test_date_against_exact_gold_day(tmp_path, system, correct):
    acc = _attribute(tmp_path, "date", {"date": "2024-12-05"}, system)
    assert (acc["correct"], acc["scored"]) == (int(correct), 1)


@pytest.mark.parametrize(
    ("system", "correct"),
    [
        (_span("2024-11-30"), True),
        (_span("2024-11-27"), True),  # on the edge
        (_span("2024-12-07"), False),  # after the range
        (_span(lo="2024-11-28", hi="2024-12-02"), True),
        (_span(lo="2024-11-25", hi="2024-12-02"), False),  # starts before the range
        (_span(lo="2024-11-28", hi=None), False),  # open end is not inside
    ],
)
def test_date_against_gold_range(tmp_path, system, correct):
    acc = _attribute(tmp_path, "date", {"date": {"earliest": "2024-11-27", "latest": "2024-12-06"}}, system)
    assert (acc["correct"], acc["scored"]) == (int(correct), 1)


def test_null_gold_date_is_not_scored(tmp_path):
    acc = _attribute(tmp_path, "date", {"date": None}, _span("2024-12-05"))
    assert acc == {"correct": 0, "scored": 0, "accuracy": None}


@pytest.mark.parametrize(
    ("gold_source", "attributed_to", "correct"),
    [
        (None, None, True),  # the outlet itself
        (None, ref("SOHR"), False),
        (["Syrian Observatory for Human Rights", "SOHR"], ref("Syrian Observatory for Human Rights", "sohr"), True),
        (["Syrian Observatory for Human Rights", "SOHR"], ref("monitor", "sohr"), True),  # id matches
        (["Syrian Observatory for Human Rights", "SOHR"], None, False),
        (["Syrian Observatory for Human Rights", "SOHR"], ref("Syrian army"), False),
    ],
)
def test_source_null_means_the_outlet(tmp_path, gold_source, attributed_to, correct):
    acc = _attribute(tmp_path, "source", {"source": gold_source}, {"attributed_to": attributed_to})
    assert (acc["correct"], acc["scored"]) == (int(correct), 1)


@pytest.mark.parametrize(
    ("value", "correct"), [(280000, True), (282500, True), (277300, True), (283500, False), (None, False)]
)
def test_quantity_within_one_percent(tmp_path, value, correct):
    acc = _attribute(
        tmp_path, "quantity", {"type": "displacement", "quantity": 280000}, {"type": "displacement", "quantity": value}
    )
    assert (acc["correct"], acc["scored"]) == (int(correct), 1)


def test_advice_and_status_must_be_equal(tmp_path):
    assert (
        _attribute(
            tmp_path / "a",
            "advice",
            {"type": "travel_advisory", "advice": "leave"},
            {"type": "travel_advisory", "advice": "leave"},
        )["accuracy"]
        == 1.0
    )
    assert (
        _attribute(
            tmp_path / "b",
            "advice",
            {"type": "travel_advisory", "advice": "leave"},
            {"type": "travel_advisory", "advice": "do_not_travel"},
        )["accuracy"]
        == 0.0
    )
    facility = {"place": place(kind="airport")}
    assert (
        _attribute(
            tmp_path / "c",
            "status",
            {"type": "transport_status", "status": "closed", **facility},
            {"type": "transport_status", "status": "suspended", "place": at(LAT, kind="airport")},
        )["accuracy"]
        == 0.0
    )


def test_attributes_of_optional_matches_are_not_scored(tmp_path):
    gold = write_gold(tmp_path, [gold_claim(optional=True, stance="announced")])
    report = score_claims([system_claim(stance="asserted")], gold)
    assert report.attributes["stance"]["scored"] == 0


def test_wrong_attributes_are_listed(tmp_path):
    gold = write_gold(tmp_path, [gold_claim(stance="denied", date="2024-12-01")])
    report = score_claims([system_claim(stance="asserted", **_span("2024-12-05"))], gold)
    wrong = {(e["attribute"], str(e["gold"]), str(e["system"])) for e in report.attribute_errors}
    assert wrong == {("stance", "denied", "asserted"), ("date", "2024-12-01", "2024-12-05")}


# --- must_not ------------------------------------------------------------------------------------------------


def _must_not(stance=None, lat=LAT, doc="d1"):
    spec = {"type": "territory_captured", "place": place(lat, name="Homs")}
    if stance:
        spec["stance"] = stance
    return {"doc": doc, "must_not": spec, "note": "only a hypothetical"}


def test_must_not_hit_respects_stance_when_given(tmp_path):
    gold = write_gold(tmp_path, [gold_claim(type="advance"), _must_not(stance="asserted")])
    assert score_claims([system_claim(stance="hypothetical")], gold).must_not_hits == []
    hits = score_claims([system_claim(stance="asserted")], gold).must_not_hits
    assert [(h["doc"], h["place"], h["stance"]) for h in hits] == [("d1", "Homs", "asserted")]


def test_must_not_without_stance_is_hit_by_any_stance(tmp_path):
    gold = write_gold(tmp_path, [gold_claim(type="advance"), _must_not()])
    assert len(score_claims([system_claim(stance="hypothetical")], gold).must_not_hits) == 1


def test_must_not_place_by_distance_and_doc(tmp_path):
    gold = write_gold(tmp_path, [gold_claim(type="advance"), _must_not()])
    assert len(score_claims([system_claim(place=at(LAT + 0.2))], gold).must_not_hits) == 1
    assert score_claims([system_claim(place=at(LAT + 0.4))], gold).must_not_hits == []
    assert score_claims([system_claim(doc="d2")], gold).must_not_hits == []


def test_must_not_hit_appears_on_its_own_line_in_the_table(tmp_path):
    gold = write_gold(tmp_path, [gold_claim(type="advance"), _must_not()])
    table = score_claims(
        [system_claim(evidence={"text": "They took Homs.", "start": 0, "end": 15})], gold
    ).render_table()
    assert "Must-not hits: 1 of 1" in table
    assert any(
        line.strip().startswith("MUST-NOT d1: territory_captured Homs") and "They took Homs." in line
        for line in table.splitlines()
    )


# --- report shapes -------------------------------------------------------------------------------------------


def test_report_is_json_and_table_lists_misses_and_false_claims(tmp_path):
    gold = write_gold(tmp_path, [gold_claim(note="the fall of the town"), gold_claim(type="withdrawal")])
    text = "The army left Here on Friday. Rebels took Here at dawn, the group said."
    false = system_claim(
        type="withdrawal",
        place=at(LAT + 1.0),
        evidence={"text": "Soldiers pulled out of the hills.", "start": 0, "end": 33},
    )
    report = score_claims([false], gold, documents={"d1": text})
    data = json.loads(json.dumps(report.as_dict()))
    assert data["overall"]["fn"] == 2 and data["overall"]["fp"] == 1
    assert data["per_type"]["withdrawal"]["precision"] == 0.0
    table = report.render_table()
    for heading in (
        "overall",
        "Attributes",
        "date",
        "source",
        "stance",
        "quantity",
        "advice",
        "status",
        "Must-not hits",
        "Misses: 2",
        "False claims: 1",
    ):
        assert heading in table
    assert "the fall of the town" in table
    assert "Soldiers pulled out of the hills." in table
    assert any(m["sentence"] for m in data["misses"])


def test_empty_system_output_scores_zero(tmp_path):
    gold = write_gold(tmp_path, [gold_claim()])
    report = score_claims([], gold)
    assert (report.overall["precision"], report.overall["recall"], report.overall["f1"]) == (0.0, 0.0, 0.0)


def test_gold_type_outside_sitroom_ontology_still_counts_as_missed(tmp_path):
    gold = write_gold(tmp_path, [gold_claim(), gold_claim(type="arrest")])
    report = score_claims([system_claim()], gold)
    assert report.per_type["arrest"]["fn"] == 1
    assert report.overall["recall"] == 0.5
    assert any("'arrest'" in w for w in report.as_dict()["gold_warnings"])
    assert report.render_table().startswith("gold warning:")


def test_two_advisories_for_one_country_pair_up_by_level(tmp_path):
    advisory = {"type": "travel_advisory", "place": place(kind="city")}
    gold = write_gold(
        tmp_path, [gold_claim(advice="do_not_travel", **advisory), gold_claim(advice="leave", **advisory)]
    )
    system = [system_claim(type="travel_advisory", advice=a) for a in ("leave", "do_not_travel")]
    report = score_claims(system, gold)
    assert report.attributes["advice"] == {"correct": 2, "scored": 2, "accuracy": 1.0}
