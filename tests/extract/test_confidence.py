"""A claim's confidence says how sure the reading is: named sources and named doers raise it, hedges lower it.
These pin the order users rely on (a filter such as `--min-confidence` or a subscription's threshold), so a
change that returned one constant for every claim would fail here."""

from __future__ import annotations

from tests.extract.conftest import only


def _one(claims, etype="territory_captured"):
    found = only(claims, etype)
    assert len(found) == 1, found
    return found[0]


def test_a_named_source_and_a_named_doer_each_raise_confidence(read):
    bare = _one(read("Saraqib was captured on Friday."))
    doer = _one(read("Hayat Tahrir al-Sham captured Saraqib on Friday."))
    sourced = _one(read("Hayat Tahrir al-Sham captured Saraqib on Friday, the Syrian Observatory said."))
    assert bare.confidence < doer.confidence < sourced.confidence
    assert bare.confidence > 0 and sourced.confidence <= 1


def test_hedged_and_denied_claims_rank_below_asserted_ones(read):
    asserted = _one(read("Rebels captured Hama on Thursday, the monitor said."))
    denied = _one(read("The army denied that rebels had captured Hama."))
    hypothetical = _one(read("If rebels captured Hama, the road to Homs would be open."))
    assert denied.stance == "denied" and hypothetical.stance == "hypothetical"
    assert hypothetical.confidence < denied.confidence < asserted.confidence


def test_figures_advisories_and_transport_carry_their_own_confidence(read):
    figure = _one(read("At least 280,000 people have been displaced, OCHA said."), "displacement")
    projected = _one(read("Up to 1.5 million people could be displaced, WFP warned."), "displacement")
    assert projected.stance == "projected" and projected.confidence < figure.confidence
    closed = _one(read("Aleppo airport is closed."), "transport_status")
    assert 0.5 <= closed.confidence < 1
