"""The extractor on the development sets in other hands' styles, end to end through `sitroom eval`; each set's
figures must stay above its floors file (regression guards; the figures themselves come from `sitroom eval`):

* corpus/styles: boards, live blogs, statements in the first person, passives, denials (styles_floors.json);
* corpus/styles-b: the Syria offensive as other writers put it: wire attribution, Telegram posts, chronologies,
  nominalisations, fact checks, transliterations (styles_b_floors.json);
* corpus/styles-c: other crises (Afghanistan 2021, Ukraine 2022, Karabakh, Sudan, Haiti, Myanmar, Mali, Lebanon),
  so that nothing is read as if every war were Syria's (styles_c_floors.json);
* corpus/styles-d: the offensive in yet other voices: hedged assessments, event-coder logs, state media, embassy
  channels, datelined roundups, a correction note (styles_d_floors.json);
* corpus/styles-e: the picture side: advisories, crossings, roads, figures and evacuations (styles_e_floors.json);
* corpus/styles-f: long forms: features heavy with history, op-eds, interviews, translated media, wire updates
  with corrections (styles_f_floors.json);
* corpus/styles-g: writers who are not journalists: NGO e-mails, security notes, meeting minutes, a consular FAQ,
  freight bulletins, field notes (styles_g_floors.json);
* corpus/styles-h, -i, -j, -k: late attribution and translated media; Telegram Desktop exports; live blogs with
  corrections and humanitarian sitreps; conflict-monitoring prose (styles_h/i/j/k_floors.json);
* corpus/styles-l … -q: how writers say where; spoken and transcribed; short-form notices; chronologies;
  translated and second-language English; compressed and tabular forms (styles_l … q_floors.json);
* corpus/styles-r … -u: documentation and investigation prose; crisis news among sport, markets, history and
  weather; regional press on wars other than Syria; the official voice of belligerents and governments
  (styles_r … u_floors.json);
* corpus/styles-v, -w: wars of the last decade in wire style; Syria told by non-journalists (styles_v/w_floors.json);
* corpus/styles-ar, -ru: Arabic channel posts, agency copy, an embassy notice, ministry statements; Russian embassy
  notices, MoD briefings, agency copy, war-correspondent channels (styles_ar/ru_floors.json).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitroom.evaluate import check_floors
from sitroom.evaluate.runner import evaluate_corpus

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).parent
SETS = {
    name: name.replace("-", "_") + "_floors.json"
    for name in (
        "styles",
        "styles-b",
        "styles-c",
        "styles-d",
        "styles-e",
        "styles-f",
        "styles-g",
        "styles-h",
        "styles-i",
        "styles-j",
        "styles-k",
        "styles-l",
        "styles-m",
        "styles-n",
        "styles-o",
        "styles-p",
        "styles-q",
        "styles-r",
        "styles-s",
        "styles-t",
        "styles-u",
        "styles-v",
        "styles-w",
        "styles-ar",
        "styles-ru",
        "styles-ar2",
        "styles-ru2",
    )
}


@pytest.mark.parametrize("name", sorted(SETS))
def test_styles_corpus_stays_above_its_floors(name: str, tmp_path: Path) -> None:
    corpus = REPO / "corpus" / name
    if not (corpus / "gold" / "claims.jsonl").is_file():
        pytest.skip(f"corpus/{name} not found: {corpus}")
    result = evaluate_corpus(corpus, db=str(tmp_path / f"{name}.db"))
    floors = json.loads((HERE / SETS[name]).read_text(encoding="utf-8"))
    assert check_floors(result.as_dict(), floors) == []
