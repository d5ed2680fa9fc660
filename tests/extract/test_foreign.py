"""Arabic and Russian reports read by word lists (sitroom.extract.foreign), through the default extractor."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sitroom.extract import get_extractor
from sitroom.ingest._text import guess_language
from sitroom.model import Document

RU = (
    "ДАМАСК, 30 ноября. Боевики «Хайят Тахрир аш-Шам» в пятницу вошли в Алеппо, сообщила Сирийская обсерватория "
    "по правам человека. Минобороны Сирии опровергло сообщения о том, что армия оставила Хаму. Российские ВКС "
    "нанесли удары по позициям боевиков в провинции Идлиб. В результате обстрела погибли 12 человек. Аэропорт "
    "Алеппо закрыт, все рейсы отменены. Посольство России рекомендует гражданам покинуть Сирию."
)
AR = (
    "عاجل: فصائل المعارضة تسيطر على مدينة حلب بعد انسحاب قوات النظام، بحسب المرصد السوري لحقوق الإنسان. "
    "ونفت وزارة الدفاع السورية انسحاب الجيش من مدينة حماة. وشن الطيران الروسي غارات على ريف إدلب، ما أدى إلى "
    "مقتل ١٢ مدنياً. وأعلنت السلطات إغلاق مطار حلب الدولي. ودعت السفارة الأردنية مواطنيها إلى مغادرة سوريا فوراً."
)


def _read(text: str) -> list:
    lang = guess_language(text)
    doc = Document(id="f1", text=text, language=lang, published_at=datetime(2024, 11, 30, tzinfo=UTC), outlet="X")
    return get_extractor("rules.v1").extract(doc)


def _by_type(claims: list) -> dict:
    out: dict = {}
    for c in claims:
        out.setdefault(c.type, []).append(c)
    return out


@pytest.mark.parametrize("text", [RU, AR], ids=["ru", "ar"])
def test_a_report_in_arabic_or_russian_gives_the_picture_in_english_names(text: str) -> None:
    claims = _by_type(_read(text))
    cap = claims["territory_captured"][0]
    assert cap.place is not None and cap.place.name == "Aleppo" and cap.actor is not None
    assert cap.actor.id in ("hts", "syrian_opposition")
    assert cap.attributed_to is not None and cap.attributed_to.id == "sohr"
    assert cap.evidence.text in text  # the original sentence, in its own language
    assert cap.rule.endswith("." + guess_language(text))
    hama = [c for c in claims["withdrawal"] if c.place is not None and c.place.name == "Hama"]
    assert hama and hama[0].stance == "denied"
    strike = claims["remote_violence"][0]
    assert strike.place is not None and strike.place.name == "Idlib" and strike.actor is not None
    assert strike.actor.id == "russia"
    assert claims["casualties"][0].quantity == 12
    status = claims["transport_status"][0]
    assert status.status == "closed" and status.place is not None and status.place.kind == "airport"
    advice = claims["travel_advisory"][0]
    assert advice.advice == "leave" and advice.place is not None and advice.place.country == "SY"


def test_russian_dates_are_read_against_the_publication_day() -> None:
    cap = _by_type(_read(RU))["territory_captured"][0]
    assert str(cap.when.earliest) == "2024-11-29"  # "в пятницу" before Saturday 30 November


def test_a_weekday_is_no_place_and_an_english_report_is_not_read_by_word_lists() -> None:
    claims = _read("الخميس: اشتباكات عنيفة في محيط مدينة حماة.")
    assert all(c.place is None or c.place.country == "SY" for c in claims)
    english = _read("Rebels entered Aleppo on Friday, the Observatory said.")
    assert english and all(not c.rule.endswith((".ar", ".ru")) for c in english)


def test_history_rumours_and_a_sides_own_words() -> None:
    text = (
        "مجاهدونا يحررون مدينة سراقب بعد معارك عنيفة. "
        "تنويه: تتداول صفحات محلية أنباء عن دخول الفصائل إلى مدينة حماة. "
        "من درعا التي انطلقت منها أول مظاهرة في آذار 2011 إلى قلب دمشق."
    )
    claims = _read(text)
    saraqib = [c for c in claims if c.place is not None and c.place.name == "Saraqib"]
    assert saraqib and saraqib[0].type == "territory_captured" and saraqib[0].stance == "announced"
    assert all(c.stance != "asserted" for c in claims if c.place is not None and c.place.name == "Hama")
    assert not [c for c in claims if c.type == "protest"]  # 2011 is the report's history


def test_a_mixed_store_filters_claims_by_language_and_eval_prints_each_languages_figures(tmp_path) -> None:
    import json

    from click.testing import CliRunner

    from sitroom.cli import main as cli

    corpus = tmp_path / "mixed"
    (corpus / "docs").mkdir(parents=True)
    (corpus / "gold").mkdir()
    docs = {"a1": (AR, "ar"), "r1": (RU, "ru"), "e1": ("Rebels captured Aleppo on Friday, the Observatory said.", "en")}
    for did, (text, lang) in docs.items():
        doc = {"id": did, "title": did, "date": "2024-11-30", "outlet": "X", "text": text, "language": lang}
        (corpus / "docs" / f"{did}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    aleppo = {"name": "Aleppo", "lat": 36.2, "lon": 37.16}
    gold = [
        {"doc": d, "type": "territory_captured", "stance": "asserted", "actor": None, "place": aleppo} for d in docs
    ]
    (corpus / "gold" / "claims.jsonl").write_text("\n".join(json.dumps(g) for g in gold) + "\n")
    out = CliRunner().invoke(cli, ["eval", str(corpus)])
    assert out.exit_code == 0, out.output
    assert "reports in ar: 1 documents" in out.output and "reports in ru: 1 documents" in out.output
    db = str(tmp_path / "s.db")
    assert CliRunner().invoke(cli, ["--db", db, "ingest", str(corpus / "docs")]).exit_code == 0
    got = CliRunner().invoke(cli, ["--db", db, "claims", "--language", "ar", "--format", "json"])
    claims = json.loads(got.output)
    assert claims and {c["language"] for c in claims} == {"ar"} and {c["document_id"] for c in claims} == {"a1"}
    assert any(c["place"] and c["place"]["name"] == "Aleppo" for c in claims)


def test_a_russian_name_geonames_lacks_is_spelt_in_latin_within_the_reports_country() -> None:
    text = "ДАМАСК, 29 ноября. Боевики ХТШ вошли в Саракиб, сообщили источники. Бои идут у Алеппо."
    caps = [c for c in _read(text) if c.type == "territory_captured"]
    assert caps and caps[0].place is not None and caps[0].place.name == "Saraqib"


def test_an_arabic_telegram_export_and_a_russian_embassy_notice_join_an_english_picture(tmp_path) -> None:
    """Issue 17's "done when", end to end: the three ingest into one store; control and claims show English
    names, each claim its own language and its original sentence."""
    import json

    from click.testing import CliRunner

    from sitroom.cli import main as cli

    posts = [
        "عاجل | فصائل المعارضة تسيطر على مدينة سراقب بريف إدلب الشرقي بعد انسحاب قوات النظام منها.",
        "اشتباكات عنيفة بين الفصائل وقوات النظام على أطراف مدينة حماة.",
    ]
    messages = [
        {"id": i + 1, "type": "message", "date": f"2024-11-29T0{i + 8}:00:00", "text": t} for i, t in enumerate(posts)
    ]
    export = {"name": "مرصد الشمال", "type": "public_channel", "id": 4242, "messages": messages}
    (tmp_path / "result.json").write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    notice = {
        "id": "ru-embassy", "title": "Уведомление", "date": "2024-12-06", "outlet": "Посольство России в Сирии",
        "text": "Посольство России в Дамаске рекомендует российским гражданам покинуть Сирию коммерческими рейсами.",
    }  # fmt: skip
    (tmp_path / "notice.json").write_text(json.dumps(notice, ensure_ascii=False), encoding="utf-8")
    english = {"id": "wire", "title": "Rebels take Aleppo", "date": "2024-11-30", "outlet": "Wire",
               "text": "Rebels took control of most of Aleppo on Saturday, the Observatory said."}  # fmt: skip
    (tmp_path / "wire.json").write_text(json.dumps(english), encoding="utf-8")
    db = str(tmp_path / "s.db")
    run = CliRunner().invoke(cli, ["--db", db, "ingest", str(tmp_path / "result.json"), str(tmp_path / "notice.json"),
                                   str(tmp_path / "wire.json")])  # fmt: skip
    assert run.exit_code == 0, run.output
    claims = json.loads(CliRunner().invoke(cli, ["--db", db, "claims", "--format", "json"]).output)
    by_lang: dict = {}
    for c in claims:
        by_lang.setdefault(c["language"], []).append(c)
    assert set(by_lang) == {"ar", "ru", "en"}
    saraqib = [c for c in by_lang["ar"] if c["type"] == "territory_captured"]
    assert saraqib and saraqib[0]["place"]["name"] == "Saraqib" and "سراقب" in saraqib[0]["evidence"]["text"]
    advice = [c for c in by_lang["ru"] if c["type"] == "travel_advisory"]
    assert advice and advice[0]["advice"] == "leave" and advice[0]["actor"]["id"] == "russia"
    control = json.loads(CliRunner().invoke(cli, ["--db", db, "control", "--format", "json"]).output)
    places = {row["place"]["name"] for row in control if row.get("place")}
    assert {"Saraqib", "Aleppo"} <= places


def _read_as(text: str, outlet: str = "X", title: str = "") -> list:
    lang = guess_language(text)
    doc = Document(
        id="f2", text=text, language=lang, title=title, published_at=datetime(2024, 1, 12, tzinfo=UTC), outlet=outlet
    )
    return get_extractor("rules.v1").extract(doc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قالت المنظمة الدولية للهجرة إن ما يصل إلى ثلاثمئة ألف شخص نزحوا من ود مدني.", 300_000),
        ("وأفادت الأمم المتحدة بنزوح نحو سبعة وخمسين ألف شخص من مدينة سنجة.", 57_000),
        ("وأفادت السلطات الصحية بمقتل ثمانية عشر مدنياً في مدينة سنجة.", 18),
        ("أفادت مصادر طبية بمقتل 300 ألف شخص في السودان.", 300_000),
        ("В результате обстрела Белгорода погибли пятеро мирных жителей.", 5),
        ("Из Суджи эвакуированы более ста тридцати трёх тысяч человек, погибли двое.", 2),
        ("Власти сообщили, что в Курской области погибли 133 тыс. человек.", 133_000),
    ],
)
def test_figures_written_in_words_or_with_a_scale_word(text: str, expected: float) -> None:
    figures = [c for c in _read_as(text) if c.type in ("casualties", "displacement") and c.quantity is not None]
    assert expected in {c.quantity for c in figures}, [(c.type, c.quantity) for c in figures]


def test_arabic_particles_are_no_places_abroad() -> None:
    # 'الى' is Ely (US), 'ما' with the article Alma (Canada), 'وان' Van (Turkey), 'معسكر' Mascara (Algeria)
    text = "قصف مدفعي عنيف على معسكر أبو شوك في الفاشر، وان ما حدث أدى الى نزوح أكثر من 400 أسرة."
    places = {c.place.name for c in _read_as(text) if c.place is not None}
    assert places and places <= {"El Fasher", "Sudan"}, places


def test_each_place_of_a_list_after_the_event_word_is_a_claim() -> None:
    ar = "شنّ العدو الأمريكي والبريطاني غارات جوية استهدفت صنعاء ومحافظات الحديدة وتعز وحجة."
    strikes = [c for c in _read_as(ar) if c.type == "remote_violence"]
    assert {c.place.name for c in strikes if c.place} >= {"Sanaa", "Hodeidah", "Ta`izz", "Hajjah"} or len(strikes) >= 4
    assert all(c.actor is not None and c.actor.id == "us" for c in strikes)
    ru = "Подразделения группировки «Центр» освободили населённые пункты Цукурино и Кураховка."
    caps = [c for c in _read_as(ru) if c.type == "territory_captured"]
    assert len({c.place.key for c in caps if c.place}) == 2


def test_a_statement_speaks_for_the_side_that_issues_it() -> None:
    text = "بيان صادر عن القوات المسلحة اليمنية\nتمكنت وحداتنا من السيطرة على مدينة مأرب صباح اليوم بعد اشتباكات عنيفة."
    caps = [c for c in _read_as(text) if c.type == "territory_captured"]
    assert caps and caps[0].attributed_to is not None and caps[0].attributed_to.id == "houthis"
    assert caps[0].stance == "announced"
    plain = [c for c in _read_as(text.split("\n", 1)[1]) if c.type == "territory_captured"]
    assert plain and plain[0].attributed_to is None  # without the heading, no one is named as the source


def test_russian_words_are_not_matched_loosely_to_towns() -> None:
    # the gazetteer's loose key took 'Нанесено' (inflicted) for Nizhyn and 'Город не' for Gorodnya; a name
    # written in Latin letters only in GeoNames is still found ('Саракиб' -> Saraqib)
    text = "Город не сдан, заявили в Курске. Нанесено поражение живой силе противника под Харьковом."
    places = {c.place.name for c in _read_as(text) if c.place is not None}
    assert not places & {"Gorodnya", "Nizhyn"}, places
    syria = "Боевики вошли в Саракиб и Алеппо, сообщили в Дамаске."
    assert "Saraqib" in {c.place.name for c in _read_as(syria) if c.place is not None}


def test_a_hijri_date_is_read_by_the_umm_al_qura_calendar() -> None:
    text = "أعلنت الفصائل أنها سيطرت على مدينة حمص في ٧ جمادى الآخرة ١٤٤٦هـ بعد معارك عنيفة."
    doc = Document(id="h1", text=text, language="ar", published_at=datetime(2024, 12, 9, tzinfo=UTC), outlet="X")
    caps = [c for c in get_extractor("rules.v1").extract(doc) if c.type == "territory_captured"]
    assert caps and caps[0].when.earliest == caps[0].when.latest == date(2024, 12, 8)
