"""The picture commands as a user runs them, over a store whose claims are known exactly."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitroom.cli import main
from sitroom.model import ActorRef, Claim, DateSpan, Document, Evidence, Place
from sitroom.store import Store

ALEPPO = Place("Aleppo", 36.2021, 37.1343, "SY", "city", geonameid=170063, population=1_602_264, admin1="09")
SYRIA = Place("Syria", 35.0, 38.0, "SY", "country", geonameid=163843)
HTS = ActorRef("hts", "Hayat Tahrir al-Sham")
# Two outlets' own words (identical sentences would be one wire copy, counted once).
TEXTS = ["<b>Rebels</b> took Aleppo on Saturday.", "Insurgents were in control of most of Aleppo by nightfall."]


def _claim(doc: str, n: int, **kw: object) -> Claim:
    base: dict[str, object] = {
        "id": f"{doc}-{n}",
        "document_id": doc,
        "stance": "asserted",
        "evidence": Evidence("<b>Rebels</b> took Aleppo.", 0, 24),
        "extractor": "rules.v1",
        "rule": "test",
        "confidence": 0.8,
        "published_at": datetime(2024, 12, 1, 8, tzinfo=UTC),
    }
    base.update(kw)
    return Claim(**base)  # type: ignore[arg-type]


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "picture.db")
    store = Store.open(path)
    for i, outlet in enumerate(["Wire One", "Paper Two"]):
        doc = Document(f"d{i}", "Rebels took Aleppo.", title=f"t{i}", url=f"https://example.org/d{i}", outlet=outlet,
                       published_at=datetime(2024, 12, 1, 8 + i, tzinfo=UTC), content_hash=f"h{i}")  # fmt: skip
        claims = [
            _claim(
                f"d{i}",
                0,
                type="territory_captured",
                actor=HTS,
                place=ALEPPO,
                place_text="Aleppo",
                evidence=Evidence(TEXTS[i], 0, len(TEXTS[i])),
                when=DateSpan.day(date(2024, 11, 30)),
                outlet=outlet,
                cues=("took",),
            ),
        ]
        if i == 0:
            claims.append(
                _claim(
                    "d0",
                    1,
                    type="travel_advisory",
                    actor=ActorRef("jordan", "Jordan"),
                    place=SYRIA,
                    place_text="Syria",
                    advice="leave",
                    audience="Jordanian nationals",
                    when=DateSpan.day(date(2024, 12, 1)),
                    outlet=outlet,
                )
            )
        store.add_document(doc, claims)
    store.close()
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_control_on_a_day_before_and_after_the_capture(db: str) -> None:
    before = {
        c["place"]["name"]: c for c in json.loads(run("--db", db, "control", "--at", "2024-11-29", "--format", "json"))
    }
    after = {
        c["place"]["name"]: c for c in json.loads(run("--db", db, "control", "--at", "2024-12-01", "--format", "json"))
    }
    assert before["Aleppo"]["controller"]["id"] == "syrian_government"
    assert after["Aleppo"]["controller"]["id"] == "hts"
    assert after["Aleppo"]["since"] == "2024-11-30"
    assert sorted(after["Aleppo"]["evidence"]) == ["d0-0", "d1-0"]


def test_events_fuse_two_outlets_into_one_event(db: str) -> None:
    (event,) = json.loads(run("--db", db, "events", "--type", "territory_captured", "--format", "json"))
    assert event["sources"] == 2 and event["status"] == "corroborated"
    geo = json.loads(run("--db", db, "events", "--format", "geojson"))
    assert geo["type"] == "FeatureCollection" and geo["features"]


def test_advisories_in_force(db: str) -> None:
    (adv,) = json.loads(run("--db", db, "advisories", "--at", "2024-12-02", "--format", "json"))
    assert adv["issuer"]["name"] == "Jordan" and adv["levels"] == ["leave"]


def test_export_acled_csv_has_acled_columns_and_types(db: str) -> None:
    rows = list(csv.DictReader(io.StringIO(run("--db", db, "export", "--format", "acled-csv"))))
    assert rows and {"event_date", "event_type", "sub_event_type", "actor1", "latitude", "longitude"} <= set(rows[0])
    capture = next(r for r in rows if r["location"] == "Aleppo")
    assert (capture["event_type"], capture["sub_event_type"]) == ("Battles", "Non-state actor overtakes territory")
    assert capture["event_date"] == "2024-11-30"
    # where ACLED's own rows are filled: the division, the country's code and region, who fought whom
    assert (capture["admin1"], capture["country"], capture["iso"], capture["region"]) == (
        "Aleppo", "Syria", "760", "Middle East"
    )  # fmt: skip
    assert (capture["inter1"], capture["interaction"]) == ("2", "20")  # a rebel group, no other side known
    (event,) = json.loads(run("--db", db, "events", "--type", "territory_captured", "--format", "json"))
    assert capture["timestamp"] == str(int(datetime.fromisoformat(event["last_confirmed"]).timestamp()))


def test_event_json_splits_the_claims_that_support_and_oppose_it(db: str) -> None:
    store = Store.open(db)
    text = "The army denied that Aleppo had fallen."
    doc = Document("d9", text, title="t9", url="https://example.org/d9", outlet="State Agency",
                   published_at=datetime(2024, 12, 1, 12, tzinfo=UTC), content_hash="h9")  # fmt: skip
    store.add_document(
        doc,
        [
            _claim(
                "d9",
                0,
                type="territory_captured",
                stance="denied",
                actor=HTS,
                place=ALEPPO,
                place_text="Aleppo",
                evidence=Evidence(text, 0, len(text)),
                when=DateSpan.day(date(2024, 11, 30)),
                outlet="State Agency",
                attributed_to=ActorRef("syrian_government_forces", "Syrian government forces"),
            )
        ],
    )
    store.close()
    (event,) = json.loads(run("--db", db, "events", "--type", "territory_captured", "--format", "json"))
    assert sorted(event["supporting"]) == ["d0-0", "d1-0"] and event["opposing"] == ["d9-0"]
    assert sorted(event["claims"]) == sorted(event["supporting"] + event["opposing"])


def test_sitrep_html_escapes_report_text_and_links_sources(db: str) -> None:
    html = run("--db", db, "sitrep", "--at", "2024-12-01", "--format", "html")
    assert "Jordan" in html and "https://example.org/d0" in html
    assert "<b>Rebels</b>" not in html  # report text is never markup
    md = run("--db", db, "sitrep", "--at", "2024-12-01")  # the capture (30 Nov) was reported on 1 Dec
    assert "Aleppo" in md and "Wire One" in md


def test_claims_explain_shows_rule_and_cues(db: str) -> None:
    claims = json.loads(run("--db", db, "claims", "--explain", "--format", "json", "--type", "territory_captured"))
    assert {c["rule"] for c in claims} == {"test"} and all(c["cues"] == ["took"] for c in claims)


def test_sitrep_links_only_web_urls_and_keeps_report_text_out_of_markup() -> None:
    from sitroom.report.sitrep import Line, Section, render_html, render_markdown

    sections = [
        Section("S", [Line("a [x](y) <b>", [("Out](evil)", "javascript:alert(1)"), ("Good", "https://e.org/a")])])
    ]
    html = render_html("T", sections)
    assert "javascript:" not in html and 'href="https://e.org/a"' in html and "&lt;b&gt;" in html
    md = render_markdown("T", sections)
    assert "javascript:" not in md and "(<https://e.org/a>)" in md and "\\[x\\]" in md


def test_claims_of_one_document(db: str) -> None:
    claims = json.loads(run("--db", db, "claims", "--document", "d1", "--format", "json"))
    assert claims and {c["document_id"] for c in claims} == {"d1"}


def test_place_takes_any_spelling_in_every_command(db: str) -> None:
    """The report wrote "Aleppo"; users may type GeoNames' Arabic-derived name, the Arabic script, the id."""
    for spelling in ("Aleppo", "Halab", "حلب", "170063"):
        claims = json.loads(run("claims", "--db", db, "--place", spelling, "--format", "json"))
        assert {c["place"]["name"] for c in claims} == {"Aleppo"}, spelling
        events = json.loads(run("events", "--db", db, "--place", spelling, "--format", "json"))
        assert [e["place"]["name"] for e in events] == ["Aleppo"], spelling
        control = json.loads(run("control", "--db", db, "--at", "2024-12-01", "--place", spelling, "--format", "json"))
        assert [c["place"]["name"] for c in control] == ["Aleppo"], spelling
        exported = json.loads(run("export", "--db", db, "--format", "json", "--place", spelling))
        assert len(exported) == 1, spelling
        assert "Hayat Tahrir al-Sham since 2024-11-30" in run(
            "sitrep", "--db", db, "--at", "2024-12-01", "--place", spelling
        )
    # a place the store has nothing about gives nothing, not everything
    assert json.loads(run("claims", "--db", db, "--place", "Homs", "--format", "json")) == []
    assert "since 2024-11-30" not in run("sitrep", "--db", db, "--at", "2024-12-01", "--place", "Homs")


def test_every_filter_applies_to_every_picture_command(db: str) -> None:
    """--type and --since/--until filter advisories, transport, figures and control too: none is ignored."""
    every = json.loads(run("advisories", "--db", db, "--format", "json"))
    assert every  # the fixture store has advisories
    assert json.loads(run("advisories", "--db", db, "--type", "travel_advisory", "--format", "json")) == every
    issued = sorted({a["issued"] for a in every})
    after = json.loads(run("advisories", "--db", db, "--since", issued[-1], "--format", "json"))
    assert after and all(a["issued"] >= issued[-1] for a in after)
    assert json.loads(run("advisories", "--db", db, "--until", "2000-01-01", "--format", "json")) == []
    assert json.loads(
        run("control", "--db", db, "--at", "2024-12-01", "--type", "territory_captured", "--format", "json")
    )
    figures = json.loads(run("figures", "--db", db, "--format", "json"))
    kinds = {f["metric"] for f in figures}
    evac = json.loads(run("figures", "--db", db, "--type", "evacuation", "--format", "json"))
    assert all(f["metric"] == "evacuated" for f in evac) and (len(evac) < len(figures) or kinds <= {"evacuated"})


def test_a_type_a_table_never_holds_is_refused_not_answered_empty(db: str) -> None:
    r = CliRunner().invoke(main, ["--db", db, "advisories", "--type", "protest"])
    assert r.exit_code == 2 and "advisories hold only travel_advisory; not protest" in r.output
    r = CliRunner().invoke(main, ["--db", db, "control", "--type", "armed_clash"])
    assert r.exit_code == 2 and "territory_captured" in r.output
    ok = CliRunner().invoke(main, ["--db", db, "control", "--type", "territory_captured", "--format", "json"])
    assert ok.exit_code == 0 and "Aleppo" in ok.output


def test_control_says_how_fresh_each_entry_is_and_flags_what_nobody_confirmed_lately(db: str) -> None:
    # both outlets confirmed HTS in Aleppo on 1 Dec; their claims became known at 08:00
    (fresh,) = json.loads(run("--db", db, "control", "--at", "2024-12-01", "--place", "Aleppo", "--format", "json"))
    assert (fresh["sources"], fresh["stale"]) == (2, False)
    assert fresh["hours_since_confirmed"] == 16.0  # 08:00 to the end of the day asked about
    (later,) = json.loads(run("--db", db, "control", "--at", "2024-12-04", "--place", "Aleppo", "--format", "json"))
    assert later["stale"] is True and later["hours_since_confirmed"] == 88.0
    (patient,) = json.loads(
        run("--db", db, "control", "--at", "2024-12-04", "--place", "Aleppo", "--stale-after", "4d", "--format", "json")
    )
    assert patient["stale"] is False
    table = run("--db", db, "control", "--at", "2024-12-04", "--place", "Aleppo", "--format", "csv")
    assert "STALE: not confirmed for 4 days (2 sources)" in table
    bad = CliRunner().invoke(main, ["--db", db, "control", "--stale-after", "soon"])
    assert bad.exit_code == 2 and "--stale-after" in bad.output and "not a duration" in bad.output


def test_a_place_only_the_baseline_holds_is_not_called_stale(db: str) -> None:
    rows = json.loads(run("--db", db, "control", "--at", "2024-12-04", "--format", "json"))
    baseline = [r for r in rows if not r["evidence"]]
    assert baseline and all(r["stale"] is None and r["sources"] == 0 for r in baseline)


def _pdf_objects(data: bytes) -> bytes:
    """A PDF's objects with their compressed streams opened (links and page objects sit in them)."""
    import re
    import zlib

    out = [data]
    for m in re.finditer(rb"stream\r?\n", data):
        try:
            out.append(zlib.decompressobj().decompress(data[m.end() :]))
        except zlib.error:
            continue
    return b"\n".join(out)


def test_the_printable_brief_is_a_pdf_with_a_map_page_numbers_and_linked_sources(db: str, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint", reason="the pdf extra (WeasyPrint) is not installed")
    out = tmp_path / "brief.pdf"
    run("--db", db, "sitrep", "--at", "2024-12-01", "--format", "pdf", "-o", str(out))
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    objects = _pdf_objects(data)
    assert b"/URI (https://example.org/d0)" in objects and b"/URI (https://example.org/d1)" in objects
    assert objects.count(b"/Type /Page\n") + objects.count(b"/Type /Page/") + objects.count(b"/Type /Page>") >= 1
    # the same page as HTML: the map sitroom drew, the paged-media rules that number the pages
    from sitroom.report.sitrep import PRINT_CSS

    html = run("--db", db, "sitrep", "--at", "2024-12-01", "--format", "html")
    assert '<figure class="map"><svg' in html and "Hayat Tahrir al-Sham" in html.split("<figure")[1]
    assert "counter(page)" in PRINT_CSS and "counter(pages)" in PRINT_CSS
    assert "(as known at 2024-12-01 23:59 UTC)" in html


def test_a_pdf_to_the_terminal_is_refused_with_a_hint(db: str) -> None:
    from unittest import mock

    with mock.patch("sitroom.cli.picture._to_terminal", return_value=True):
        result = CliRunner().invoke(main, ["--db", db, "sitrep", "--at", "2024-12-01", "--format", "pdf"])
    assert result.exit_code == 2 and "-o FILE.pdf" in result.output


def test_the_sitrep_title_names_the_place_asked_for_and_no_other(db: str) -> None:
    md = run("--db", db, "sitrep", "--at", "2024-12-01")
    assert md.splitlines()[0].startswith("# Situation report — 2024-12-01")
    assert run("--db", db, "sitrep", "--at", "2024-12-01", "--place", "Aleppo").startswith(
        "# Situation report — Aleppo — 2024-12-01"
    )
