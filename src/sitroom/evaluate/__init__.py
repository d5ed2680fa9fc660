"""Scoring sitroom's output against gold data (eval/FORMAT.md): the library behind `sitroom eval`.

It works on plain data in DESIGN.md's JSON shapes — claim dicts as `sitroom claims --format json` prints them,
control-change dicts as `sitroom control --format json` prints them — so it depends on neither the extractor
nor the store.

    gold = load_gold(corpus_dir)
    claims = score_claims(claim_dicts, gold, documents={doc_id: text})
    control = score_control(control_dicts, gold, period=period_from_dates(publication_days))
    claims.as_dict(); claims.render_table(); check_floors(report_dict, floors)
"""

from sitroom.evaluate.claims import ATTRIBUTES, ClaimsReport, score_claims
from sitroom.evaluate.control import ControlReport, default_period, period_from_dates, score_control
from sitroom.evaluate.floors import check_floors
from sitroom.evaluate.gold import Gold, GoldClaim, GoldControl, MustNot, load_gold
from sitroom.evaluate.matching import haversine_km

__all__ = [
    "ATTRIBUTES",
    "ClaimsReport",
    "ControlReport",
    "Gold",
    "GoldClaim",
    "GoldControl",
    "MustNot",
    "check_floors",
    "default_period",
    "haversine_km",
    "load_gold",
    "period_from_dates",
    "score_claims",
    "score_control",
]
