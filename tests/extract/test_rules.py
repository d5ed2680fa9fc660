"""Behaviour of the rules extractor on small hand-written reports, one pattern per test."""

from __future__ import annotations

from datetime import date

import pytest
from tests.extract.conftest import only

from sitroom.model import Claim, Document


def test_capture_with_trailing_attribution_is_the_speakers_claim_dated_by_its_weekday(read):
    claims = only(
        read("Opposition fighters seized Maarat al-Numan on Thursday, the war monitor said."), "territory_captured"
    )
    assert len(claims) == 1
    c = claims[0]
    assert c.place is not None and c.place.country == "SY" and "Numan" in (c.place_text or "")
    assert c.actor is not None and c.actor.id == "syrian_opposition"
    assert c.attributed_to is not None and c.attributed_to.id == "sohr"
    assert c.stance == "asserted"
    assert c.when.exact == date(2024, 12, 5)


def test_passive_capture_takes_the_agent_after_by(read):
    c = only(
        read("The city of Hama was captured by Hayat Tahrir al-Sham fighters late on Thursday."), "territory_captured"
    )
    assert len(c) == 1
    assert c[0].actor is not None and c[0].actor.id == "hts"
    assert c[0].attributed_to is None  # the outlet speaks


def test_group_reporting_its_own_capture_is_announced(read):
    text = '"Our fighters have taken full control of Deir Ezzor," the Syrian Democratic Forces said in a statement.'
    c = only(read(text), "territory_captured")
    assert len(c) == 1
    assert c[0].stance == "announced"
    assert c[0].actor is not None and c[0].actor.id == "sdf"
    assert c[0].attributed_to is not None and c[0].attributed_to.id == "sdf"


def test_denial_of_a_withdrawal_is_denied_by_the_ministry(read):
    c = only(read("The Syrian defence ministry denied reports that its troops had pulled out of Hama."), "withdrawal")
    assert len(c) == 1
    assert c[0].stance == "denied"
    assert c[0].attributed_to is not None and c[0].attributed_to.id == "syrian_defence_ministry"


def test_conditional_capture_is_hypothetical_and_a_vow_is_no_capture(read):
    claims = read(
        "Insurgent leaders vowed to march on Damascus. If Homs falls, the capital would be cut off from the sea."
    )
    captures = only(claims, "territory_captured")
    assert all(c.stance == "hypothetical" for c in captures)
    assert not [c for c in captures if c.place and c.place.name == "Damascus"]


def test_nominal_capture_under_would_is_hypothetical(read):
    c = only(read("Losing control of Homs, analysts note, would be a disaster; the capture of Homs would split the country."),
             "territory_captured")  # fmt: skip
    assert c and all(x.stance == "hypothetical" for x in c)


def test_advance_to_the_outskirts_is_not_a_capture(read):
    claims = read("Rebel units reached the southern outskirts of Homs on Friday, residents said.")
    assert not only(claims, "territory_captured")
    adv = only(claims, "advance")
    assert len(adv) == 1 and adv[0].place is not None and adv[0].place.name == "Homs"
    assert adv[0].attributed_to is not None and adv[0].attributed_to.id == "residents"


def test_inverted_attribution_names_the_speaker_after_the_verb(read):
    c = only(read("Government forces abandoned Palmyra overnight, said the Observatory."), "withdrawal")
    assert len(c) == 1
    assert c[0].attributed_to is not None and c[0].attributed_to.id == "sohr"
    assert c[0].when.earliest == date(2024, 12, 5) and c[0].when.latest == date(2024, 12, 6)


def test_according_to_puts_the_speaker_after_the_claim(read):
    c = only(
        read("Russian jets bombed the centre of Idlib on Wednesday, according to local activists."), "remote_violence"
    )
    assert len(c) == 1
    assert c[0].actor is not None and c[0].actor.id == "russia"
    assert c[0].attributed_to is not None and c[0].attributed_to.name == "local activists"


def test_several_places_after_one_verb_give_one_claim_each(read):
    c = only(
        read("The alliance's fighters overran Rastan and Talbiseh, two towns north of Homs."), "territory_captured"
    )
    assert sorted(x.place_text or "" for x in c) == ["Rastan", "Talbiseh"]


def test_the_city_refers_back_to_the_place_of_the_last_event(read):
    text = "Rebels closed in on Hama on Monday. By Thursday they had taken control of the city, the monitor said."
    c = only(read(text), "territory_captured")
    assert len(c) == 1 and c[0].place is not None and c[0].place.name != "Homs"
    assert c[0].place_text == "the city"


def test_transliterated_place_names_resolve_to_the_same_city(read):
    a = only(read("Insurgents stormed Hamah on Thursday."), "territory_captured")
    b = only(read("Insurgents stormed Hama on Thursday."), "territory_captured")
    assert a and b and a[0].place == b[0].place


def test_embassy_advisory_by_pattern_gives_state_issuer_level_audience_and_means(read):
    text = ("The Embassy of France in Damascus urges French nationals to leave Syria without delay by commercial "
            "flights while they still operate.")  # fmt: skip
    c = only(read(text), "travel_advisory")
    assert len(c) == 1
    a = c[0]
    assert a.actor is not None and a.actor.id == "france"
    assert a.advice == "leave" and a.place is not None and a.place.country == "SY" and a.place.kind == "country"
    assert a.audience == "French nationals" and a.means and "commercial" in a.means
    assert a.stance == "asserted" and a.attributed_to is not None and a.attributed_to.id == "france"


def test_an_advisory_can_hold_several_levels(read):
    text = "Britain's Foreign Office advised against all travel to Syria; Britons still there should stay indoors."
    levels = {c.advice for c in only(read(text), "travel_advisory")}
    assert {"do_not_travel", "shelter_in_place"} <= levels


def test_official_notice_speaks_for_its_issuer(read):
    text = "Nationals of Canada in Syria should leave the country now while flights are available."
    c = only(read(text, outlet="Embassy of Canada, Beirut (notice)", source_kind="official"), "travel_advisory")
    assert len(c) == 1 and c[0].actor is not None and c[0].actor.id == "canada"
    assert c[0].attributed_to is not None and c[0].attributed_to.id == "canada"


def test_displacement_figure_and_its_projection(read):
    text = ("Some 150,000 people have been displaced in Syria, the UN refugee agency said, warning the number may "
            "rise to nearly three hundred thousand.")  # fmt: skip
    figs = only(read(text), "displacement")
    by_value = {c.quantity: c for c in figs}
    assert set(by_value) == {150_000, 300_000}
    assert by_value[150_000].stance == "asserted" and by_value[300_000].stance == "projected"
    assert all(c.attributed_to is not None and c.attributed_to.id == "unhcr" for c in figs)


def test_casualties_skip_subsets_and_keep_killed_and_wounded_apart(read):
    text = "At least 17 people were killed, five of them children, and 40 wounded in shelling of Idlib on Sunday."
    c = only(read(text, day="2024-12-02"), "casualties")
    assert sorted((x.quantity, x.metric) for x in c) == [(17, "killed"), (40, "injured")]
    assert all(x.when.exact == date(2024, 12, 1) for x in c)


def test_rough_numbers_and_distances_are_not_figures(read):
    claims = read("Thousands of families fled Hama on Monday as fighting raged 10 km north of the city.")
    assert not [c for c in claims if c.quantity is not None]


def test_transport_closure_dated_by_since_and_reopening_is_open(read):
    claims = read("Aleppo International Airport has been closed since 30 November. The Bab al-Hawa crossing reopened on Sunday.",
                  day="2024-12-03")  # fmt: skip
    t = {c.status: c for c in only(claims, "transport_status")}
    assert t["closed"].place is not None and t["closed"].place.kind == "airport"
    assert t["closed"].when.exact == date(2024, 11, 30)
    assert "open" in t


def test_state_closing_its_own_crossing_is_announced(read):
    text = "Lebanon shut the Masnaa border crossing on Saturday, the Lebanese interior ministry said."
    c = only(read(text, day="2024-12-08"), "transport_status")
    assert c and c[0].stance == "announced" and c[0].actor is not None and c[0].actor.id == "lebanon"


def test_offensive_launch_date_bounds_later_undated_captures(read):
    text = ("The rebel alliance launched its offensive on Nov. 27. Since then the rebels have captured Saraqib, "
            "the monitor says.")  # fmt: skip
    claims = read(text, day="2024-12-04")
    off = only(claims, "offensive")
    assert off and off[0].when.exact == date(2024, 11, 27)
    cap = only(claims, "territory_captured")
    assert cap and cap[0].when.earliest == date(2024, 11, 27) and cap[0].when.latest == date(2024, 12, 4)


def test_undated_past_capture_is_the_latest_news_not_any_day_of_the_campaign(read):
    text = ("The offensive began on 27 November. In the south, local factions took control of Nawa and Inkhil, "
            "the monitor said.")  # fmt: skip
    caps = only(read(text, day="2024-12-06"), "territory_captured")
    assert caps and all(c.when.earliest == date(2024, 12, 5) and c.when.latest == date(2024, 12, 6) for c in caps)
    dated = only(read("Rebels captured Nawa last week, the monitor said.", day="2024-12-06"), "territory_captured")
    assert dated and dated[0].when.latest < date(2024, 12, 5)


def test_boilerplate_lines_and_non_news_spans_yield_no_claims(extractor):
    text = ("Photo: Fighters ride through Hama after its capture.\n\n"
            "Read more: Rebels seize Homs as army collapses\n\n"
            "Residents waited for news.")  # fmt: skip
    doc = Document(id="b", text=text)
    assert extractor.extract(doc) == []
    caption = "Rebels captured Hama, a caption says."
    doc2 = Document(id="c", text=caption + "\n\nNothing else happened.", non_news=())
    from sitroom.model import Span

    doc3 = Document(id="c", text=doc2.text, non_news=(Span(0, len(caption), "caption"),))
    assert only(extractor.extract(doc2), "territory_captured")
    assert not only(extractor.extract(doc3), "territory_captured")


def test_live_blog_timestamps_and_datelines_are_not_part_of_claims(read):
    text = "HOMS, Dec 6 (Wire) - Rebels entered Rastan.\n\n14:05 GMT — Rebels enter Talbiseh, residents say."
    claims = only(read(text), "advance")
    assert {c.place_text for c in claims} == {"Rastan", "Talbiseh"}
    assert all(not c.evidence.text.startswith(("HOMS", "14:05")) for c in claims)


def test_claims_carry_rule_cues_evidence_offsets_and_stable_ids(read, extractor):
    text = "Pro-government forces retreated from Khan Shaykhun on Tuesday, the Observatory said."
    first, second = read(text), read(text)
    assert [c.id for c in first] == [c.id for c in second]
    c = only(first, "withdrawal")[0]
    assert c.extractor == "rules.v1" and c.rule.startswith("withdrawal") and c.cues
    assert text[c.evidence.start : c.evidence.end] == c.evidence.text
    assert c.id.startswith("clm_")


def test_statement_document_speaks_for_its_issuer_in_the_first_person(read):
    text = "We have pulled our units out of Hama to spare the civilian population."
    c = only(read(text, outlet="General Command of the Army and Armed Forces", source_kind="official"), "withdrawal")
    assert len(c) == 1
    assert c[0].stance == "announced"
    assert c[0].attributed_to is not None and c[0].attributed_to.id == "syrian_government_forces"


def test_monitor_post_with_a_source_prefix(read):
    c = only(read("SOHR: regime forces have withdrawn from Morek after heavy losses."), "withdrawal")
    assert c and c[0].attributed_to is not None and c[0].attributed_to.id == "sohr"


def test_unknown_description_is_kept_as_the_speaker(read):
    c = only(read("The road to the coast was blocked near Homs on Friday, an aid official said."), "transport_status")
    assert c and c[0].attributed_to is not None and c[0].attributed_to.name == "aid official"


def test_questions_and_open_doubts_assert_nothing(read):
    claims = read("Will the rebels take Homs next? It is unclear whether fighters have entered Hama.")
    events = [c for c in claims if c.type in ("territory_captured", "advance")]
    assert events and all(c.stance == "hypothetical" for c in events)


def test_saying_an_event_did_not_happen_is_a_denial(read):
    c = only(read("The defence ministry said its forces had not withdrawn from Deraa."), "withdrawal")
    assert len(c) == 1 and c[0].stance == "denied"


def test_a_city_airport_is_the_facility_not_the_city(read):
    c = only(read("Flights at Damascus airport were suspended on Sunday."), "transport_status")
    assert c and c[0].place is not None and c[0].place.kind == "airport" and c[0].status == "suspended"


def test_consolidating_ceding_and_being_ousted_are_changes_of_control(read):
    c = only(read("Kurdish-led forces consolidated control over Deir ez-Zor city on Friday."), "territory_captured")
    assert c and c[0].actor is not None and c[0].actor.id == "sdf"
    ceded = "Regime forces ceded Palmyra to the Islamic State group in May 2015."
    c = only(read(ceded, day="2015-06-01"), "territory_captured")  # reported then (years later it is history)
    assert c and c[0].actor is not None and c[0].actor.id == "islamic_state"
    w = only(read("Government troops were ousted from Daraa on Friday, a war monitor said."), "withdrawal")
    assert w and w[0].actor is not None and w[0].actor.id == "syrian_government_forces"
    assert not only(read("Government troops were ousted from Daraa on Friday."), "territory_captured")


def test_a_force_reaching_a_place_or_standing_km_from_it_is_an_advance_but_a_convoy_is_not(read):
    for text in ("Opposition fighters reached Hama on Wednesday.", "Opposition forces are now 5 km from Homs."):
        adv = only(read(text), "advance")
        assert adv and adv[0].actor is not None and adv[0].actor.id == "syrian_opposition", text
    assert not only(read("Aid convoys reached Aleppo on Monday."), "advance")
    assert not only(read("Displaced families sheltered in camps 20 km from Idlib."), "advance")


def test_armed_actors_of_other_crises_are_named_not_taken_for_syrian_ones(read):
    cases = {
        "Taliban fighters entered Kabul on 15 August.": ("advance", "taliban"),
        "Ghazni fell to the Taliban on Thursday.": ("territory_captured", "taliban"),
        "M23 rebels seized Goma airport on Monday, residents said.": ("territory_captured", "m23"),
        "Israeli jets struck the southern suburbs of Beirut overnight.": ("remote_violence", "israel"),
    }
    for text, (etype, actor) in cases.items():
        got = only(read(text), etype)
        assert got and got[0].actor is not None, text
        assert got[0].actor.id == actor, (text, got[0].actor)


def test_a_chronology_line_dates_every_sentence_on_it(read):
    text = ("A chronology of the offensive.\n\n"
            "Nov 30 - Aleppo falls. Maarat al-Numan taken by rebels. Aleppo airport shut to flights.\n"
            "Dec 6 - Rastan overrun. Jordan shuts the Nasib crossing.")  # fmt: skip
    claims = read(text, day="2024-12-09")
    days = {(c.type, c.place.name if c.place else None): c.when for c in claims}
    assert days[("territory_captured", "Maarat al-Numan")].exact == date(2024, 11, 30)
    assert days[("transport_status", "Aleppo International Airport")].exact == date(2024, 11, 30)
    assert days[("transport_status", "Nasib-Jaber border crossing")].exact == date(2024, 12, 6)


def test_a_log_entry_label_places_the_sentences_that_name_no_place(read):
    text = ("[07 Dec 06:12] #Homs: opposition fighters inside the northern neighbourhoods. "
            "Heavy clashes near the military academy.\n\n"
            "[07 Dec 08:30] #Suwayda: local armed groups took over the governorate building.")  # fmt: skip
    claims = read(text, day="2024-12-07")
    assert {(c.type, c.place.name) for c in claims if c.place} >= {
        ("advance", "Homs"),
        ("armed_clash", "Homs"),
        ("territory_captured", "Suwayda"),
    }
    assert not only(
        read("Inside Hama, six civilians were killed when rebel shells landed.", day="2024-12-07"), "advance"
    )


def test_fact_check_claim_lines_and_rumours_are_not_news(read):
    assert not read("Claim: Israel has taken the Quneitra crossing.\n\nVerdict: false.", day="2024-12-08")
    rumour = only(
        read("Hearing rumours that Vovchansk has been taken. NOT confirmed.", day="2022-09-10"), "territory_captured"
    )
    assert all(c.stance != "asserted" for c in rumour)


def test_nominal_losses_and_changing_hands_are_captures_with_the_taker_only_after_to(read):
    lost = only(read("The loss of Ghazni on Thursday was a blow to the government."), "territory_captured")
    assert lost and lost[0].actor is None
    lost = only(
        read("After the loss of Izium to Ukrainian forces on Saturday, Russian units regrouped."), "territory_captured"
    )
    assert lost and lost[0].actor is not None and lost[0].actor.id == "ukraine"
    assert only(read("Zaranj became the first provincial capital to change hands on Aug. 6."), "territory_captured")
    assert not only(read("The loss of life was heavy in Homs."), "territory_captured")
    kherson = only(
        read("Russian forces have taken full control of Kherson, the Black Sea port city."), "territory_captured"
    )
    assert [c.place.name for c in kherson] == ["Kherson"]


def test_an_official_label_names_its_state_as_issuer(extractor):
    doc = Document(id="m", text="Our forces took over the camp at Tessalit on Tuesday.",
                   outlet="Government of the Transition, Republic of Mali")  # fmt: skip
    assert extractor._issuer(doc) is not None and extractor._issuer(doc).ref.id == "mali"


def test_wire_capture_verbs_with_the_taker_as_subject_or_after_by(read):
    def cap(text: str) -> list[Claim]:
        return only(read(text), "territory_captured")

    got = cap("Ukraine's army said it had pushed Russian forces out of Balakliia.")
    assert got and got[0].actor is not None and got[0].actor.id == "ukraine" and got[0].stance == "announced"
    got = cap("In the desert, government units were ousted from Tadmur on Saturday by the Syrian Free Army.")
    assert got and got[0].actor is not None and got[0].actor.id == "syrian_free_army"
    got = cap("Rebels are now within about ten kilometres of Homs, after taking Rastan and Talbiseh on Friday.")
    assert {c.place.name for c in got if c.place} == {"Rastan", "Talbiseh"}
    assert all(c.stance == "asserted" for c in got)
    got = cap("The SDF also secured Albu Kamal on the Iraqi border the same day, its spokesman said.")
    assert got and got[0].stance == "announced" and got[0].attributed_to is not None
    assert got[0].attributed_to.id == "sdf"
    assert not cap("A memorial ceremony took place in Homs on Friday.")
    assert not cap("The aid agency secured funding for its work in Idlib.")
    assert cap("Homs taken overnight, rebels declare.")


def test_a_state_named_first_in_the_sentence_issues_the_advice(read):
    text = "The United States urged its citizens to depart Syria now while commercial options remained."
    adv = only(read(text), "travel_advisory")
    assert adv and adv[0].actor is not None and adv[0].actor.id == "us" and adv[0].advice == "leave"


def test_an_airport_the_gazetteer_lacks_is_the_citys_airport_not_the_city(read):
    got = only(read("All commercial flights from Kabul airport have been suspended."), "transport_status")
    assert got and got[0].place is not None and got[0].place.kind == "airport"
    assert got[0].place.country == "AF" and got[0].status == "suspended"


def test_evacuations_by_flying_people_out_and_relocating_staff(read):
    for text in (
        "The Bundeswehr flew 101 people out from an airfield near Khartoum on Sunday.",
        "The U.S. military flew non-essential embassy staff out of Port-au-Prince by helicopter on Sunday.",
        "All partner staff were relocated from Wad Madani to Sennar on 16 Dec.",
    ):
        assert only(read(text), "evacuation"), text


def test_calling_reports_fakes_or_propaganda_denies_them(read):
    got = only(read("A Russian-installed official called reports of the fall of Kupiansk fakes."), "territory_captured")
    assert got and got[0].stance == "denied"
    got = only(read("The junta at first called reports of Lashio's capture propaganda."), "territory_captured")
    assert got and got[0].stance == "denied"


def test_holding_positions_on_the_approaches_is_a_defence_not_an_advance(read):
    assert not only(read("Our armed forces continue to hold firm positions on the northern approaches of Homs."),
                    "advance")  # fmt: skip
    assert only(read("Rebels took up positions on the outskirts of Homs."), "advance")


def test_sieges_movement_and_flags_are_read_with_a_force_as_the_subject(read):
    assert only(read("Rebels encircled Homs on Saturday."), "advance")
    assert only(read("Rebel columns moved toward Hama."), "advance")
    assert not only(read("Many refugees moved toward Lebanon."), "advance")
    assert not only(read("Warplanes bombed Idlib and several surrounding towns."), "advance")
    assert only(read("Opposition fighters raised their flag over the citadel in Aleppo."), "territory_captured")
    assert only(read("Rebels regained control of Saraqib on Friday."), "territory_captured")
    assert only(read("Hundreds of soldiers laid down their arms in Homs."), "withdrawal")


def test_event_log_fields_qualifiers_and_crossings(read):
    text = "On 3 December 2024, HTS-led fighters took control of Suran, Hama governorate. Fatalities: 7."
    claims = read(text, day="2024-12-06")
    assert [c.place.name for c in only(claims, "territory_captured")] == ["Suran"]  # the governorate qualifies
    [dead] = only(claims, "casualties")
    assert dead.quantity == 7 and dead.place is not None and dead.place.name == "Suran"
    assert dead.when.exact == date(2024, 12, 3)
    crossed = only(read("Some 4,000 people entered Lebanon from Syria through Masnaa on 5 December."), "displacement")
    assert crossed and crossed[0].quantity == 4000
    assert not only(read("Around 2,000 Syrian soldiers crossed into Iraq at al-Qaim."), "displacement")


def test_evacuations_counted_with_the_state_that_carries_them_out(read):
    [ev] = only(read("Two Turkish navy ships carried 1,846 people from Beirut to Mersin on Wednesday."), "evacuation")
    assert ev.quantity == 1846 and ev.actor is not None and ev.actor.id == "turkey"
    [ev] = only(read("Jordan said it had brought home 3,000 Jordanians from Lebanon."), "evacuation")
    assert ev.quantity == 3000 and ev.actor is not None and ev.actor.id == "jordan"


def test_advice_kept_restated_or_banned_and_traffic_at_a_standstill(read):
    for text, advice in (
        ("Saudi Arabia maintains its ban on travel to Lebanon.", "do_not_travel"),
        ("Ireland told its citizens in Lebanon to reconsider their need to travel.", "reconsider_travel"),
    ):
        adv = only(read(text), "travel_advisory")
        assert adv and adv[0].advice == advice, text
    [t] = only(read("Vehicle traffic through the Masnaa border crossing came to a halt on Friday."), "transport_status")
    assert t.status == "disrupted"
    [t] = only(read("Commercial flights from Damascus International Airport are still operating."), "transport_status")
    assert t.status == "open"


def test_board_lines_credit_sources_in_brackets_and_date_day_slash_month(read):
    claims = read("Displaced since 27 Nov: ~280,000 (OCHA).\n\nMasnaa crossing: CLOSED since 27/11.", day="2024-12-07")
    [fig] = only(claims, "displacement")
    assert fig.quantity == 280_000 and fig.attributed_to is not None and fig.attributed_to.id == "ocha"
    [t] = only(claims, "transport_status")
    assert t.status == "closed" and t.when.exact == date(2024, 11, 27)
    assert not only(claims, "casualties")  # "27/11" is a date, not two counts
    both = only(read("Rastan and Talbiseh now under armed opposition control per the Observatory."),
                "territory_captured")  # fmt: skip
    assert {c.place.name for c in both if c.place} == {"Rastan", "Talbiseh"}
    assert all(c.attributed_to is not None and c.attributed_to.id == "sohr" for c in both)


def test_the_town_after_a_fact_check_claim_line_is_the_town_checked(read):
    text = ('Ukrainian troops entered Izium on Saturday.\n\nCLAIM: "Balakliia was retaken in a single day." - '
            "MISLEADING. The town was liberated on Thursday, the General Staff said.")  # fmt: skip
    caps = only(read(text, day="2022-09-12"), "territory_captured")
    assert [c.place.name for c in caps] == ["Balakliya"]  # GeoNames spelling


def test_a_roundup_by_datelines_places_each_paragraph_at_its_dateline(read):
    text = ("DEIR EZ-ZOR - Kurdish-led fighters took the airport on Friday, residents said.\n\n"
            "TADMUR - The army abandoned the desert town on Saturday. Fighters of the Syrian Free Army entered it "
            "in the afternoon, the group said.\n\n"
            "AL MAYADIN - Government soldiers pulled out of the town on Friday, residents said.")  # fmt: skip
    claims = read(text, day="2024-12-08")
    got = {(c.type, c.place.name, c.actor.id if c.actor else None) for c in claims if c.place}
    assert ("withdrawal", "Palmyra", "syrian_government_forces") in got
    assert ("withdrawal", "Mayadin", "syrian_government_forces") in got
    assert any(t == "advance" and p == "Palmyra" for t, p, _ in got) or any(
        t == "territory_captured" and p == "Palmyra" for t, p, _ in got
    )


def test_forwarded_embassy_messages_speak_for_the_embassy_in_their_header(read):
    text = ("Forwarded messages from embassy channels.\n\n"
            "[U.S. Embassy Damascus, 7 Dec 08:30] Security alert. Depart Syria NOW while commercial options remain. "
            "If you cannot leave, prepare to shelter in place for an extended period.\n\n"
            "[Embassy of India, 7 Dec 19:40] Update: Damascus airport operating, limited flights.")  # fmt: skip
    claims = read(text, day="2024-12-07")
    advice = {(c.actor.id if c.actor else None, c.advice) for c in only(claims, "travel_advisory")}
    assert {("us", "leave"), ("us", "shelter_in_place")} <= advice
    [t] = only(claims, "transport_status")
    assert t.attributed_to is not None and t.attributed_to.id == "india"


def test_state_media_idioms_resolves_and_unconfirmed_reports(read):
    got = only(read("Army units restored security and stability to the town of Halfaya."), "territory_captured")
    assert got and got[0].actor is not None and got[0].actor.id == "syrian_government_forces"
    assert only(read("PKK/YPG terrorists were forced to leave Tal Rifaat, Turkish security sources said."),
                "withdrawal")  # fmt: skip
    assert not read('"We will not allow the occupation factions to take Manbij," an SDF commander said.')
    rumour = only(read("We cannot confirm reports that opposition forces entered Salamiyah."), "advance")
    assert rumour and rumour[0].stance == "hypothetical"


def test_a_status_board_of_airports_crossings_and_named_roads(read):
    text = ("AIRPORTS\nAleppo Intl — no flights since 30/11 (rebel-held)\n\nCROSSINGS\nBab al-Salama — OPEN\n"
            "Kassab — closed\n\nROADS\nM4 — closed at Saraqib\n")  # fmt: skip
    got = {(c.place.name, c.status) for c in only(read(text, day="2024-12-07"), "transport_status") if c.place}
    assert {("Aleppo International Airport", "closed"), ("Bab al-Salama border crossing", "open"),
            ("M4 highway", "closed")} <= got  # fmt: skip


def test_more_ways_a_town_changes_hands(read):
    def cap(text: str) -> list[Claim]:
        return only(read(text), "territory_captured")

    got = cap("Saraqib, captured by rebels on Friday, sits at the junction of the M4 and M5.")
    assert [c.place.name for c in got] == ["Saraqib"]
    assert cap("Rebels swept through Maarat al-Numan on Saturday.")
    assert cap("Hama is the latest city to fall to the insurgents.")
    assert cap("Hama was lost on Thursday, the army admitted.")
    assert not cap("Many lives were lost on Thursday.")
    got = cap("Fighters of the Military Operations Command seized Hama's military airport.")
    assert got and got[0].place is not None and got[0].place.kind == "airport"
    assert not cap("Who controls Homs now?")
    out = only(read("Rebels captured Homs. Government forces withdrew from the city towards the coast."), "withdrawal")
    assert [c.place.name for c in out] == ["Homs"]  # where they went is not what they left


def test_it_and_the_northern_city_refer_back_to_a_place(read):
    text = ("DEIR EZ-ZOR - Kurdish-led fighters took the airport on Friday.\n\n"
            "TADMUR - The army abandoned the desert town on Saturday. Fighters of the Syrian Free Army entered it "
            "in the afternoon, the group said.")  # fmt: skip
    assert {(c.type, c.place.name) for c in read(text, day="2024-12-08") if c.place} >= {
        ("withdrawal", "Palmyra"),
        ("territory_captured", "Palmyra"),
    }
    got = only(read("On Mazar-i-Sharif: we can now confirm that the northern city fell late on Saturday."),
               "territory_captured")  # fmt: skip
    assert [c.place.name for c in got] == ["Mazar-e Sharif"]
    text = "El Fasher, the last major city in Darfur held by the army, remains besieged since the RSF encircled it."
    adv = only(read(text), "advance")
    assert [c.place.name for c in adv] == ["El Fasher"]


def test_moving_into_a_buffer_zone_is_an_advance_announced_by_its_own_state(read):
    [adv] = only(read("The IDF has deployed forces in the buffer zone on the Golan Heights, the Israeli military said."),
                 "advance")  # fmt: skip
    assert adv.stance == "announced"
    assert not only(read("Israel said its troops had moved into the demilitarised buffer zone on the Golan Heights."),
                    "territory_captured")  # fmt: skip


def test_an_agentless_fall_takes_the_force_entering_the_same_place_next(read):
    text = "07:05 - Jalalabad has fallen. Taliban fighters entered the eastern city before dawn without a shot."
    [cap] = only(read(text), "territory_captured")
    assert cap.actor is not None and cap.actor.id == "taliban"
    [cap] = only(read("Hama fell on Thursday. Government troops entered Homs."), "territory_captured")
    assert cap.actor is None  # another place: nothing to carry over


def test_level_4_is_a_grade_and_no_evidence_is_no_claim(read):
    [adv] = only(read("Lebanon advisories.\n\nThe State Department advisory stays at Level 4, do not travel to Lebanon."),
                 "travel_advisory")  # fmt: skip
    assert adv.place is not None and adv.place.name == "Lebanon"
    got = only(read("We found no evidence that Ukrainian units are inside Lyman."), "advance")
    assert all(c.stance != "asserted" for c in got)


def test_notes_of_non_journalists_statuses_and_negations(read):
    assert not only(read("Hama: No fighting inside city, residents say."), "advance")
    assert not read("Some people say the airport of Damascus will reopen on Tuesday.")
    [t] = only(read("Port of Tartus: operating\nMasnaa crossing OPEN but queue very long\n"), "transport_status")[:1]
    assert t.status == "open"
    assert not only(read('Rebels said they had taken Damascus, ending more than five decades of his family\'s rule.'),
                    "displacement")  # fmt: skip


def test_a_state_named_as_a_location_in_an_outlet_is_not_its_issuer(extractor):
    doc = Document(id="o", text="Fighting continues.", outlet="Shelter/NFI Cluster, Turkey cross-border hub")
    assert extractor._issuer(doc) is None


def test_interview_questions_and_wire_furniture_claim_nothing(read):
    text = ("Q: Human rights groups say civilians were killed when your drones hit a market in Aleppo.\n\n"
            "(Corrects death toll in paragraph 6 to 412, not 327)\n\n"
            "UPDATE 2-Syria's Kurdish-led SDF take Deir el-Zor as army pulls back")  # fmt: skip
    assert not read(text)
    [strike] = only(read("Moscow's jets carried out scattered raids on Idlib."), "remote_violence")
    assert strike.place is not None and strike.place.name == "Idlib"
    held = only(read("The Observatory said the rebels now held most of Aleppo city."), "territory_captured")
    assert held and held[0].place is not None and held[0].place.name == "Aleppo"


def test_a_chronology_in_the_present_tense(read):
    text = ("Saturday, November 30th — Saraqib and Maarat al-Numan fall.\n"
            "Friday, December 6th — Kurdish-led forces move into Deir ez-Zor after government troops withdraw.")  # fmt: skip
    claims = read(text, day="2024-12-09")
    assert {c.place.name for c in only(claims, "territory_captured")} >= {"Saraqib", "Maarat al-Numan"}
    assert [c.place.name for c in only(claims, "withdrawal")] == ["Deir ez-Zor"]
    assert not only(read("I expect Damascus to fall within weeks, perhaps days."), "territory_captured")
    assert not read("Prices fall in Damascus.")


def test_review_counter_examples_keep_their_meaning(read):
    """Ordinary news sentences that earlier rules of this extractor misread (one assertion per rule)."""
    [dead] = only(read("A hundred and fifty people were killed in Idlib on Monday."), "casualties")
    assert dead.quantity == 150
    assert only(read("Update: Rebels have captured Homs, the monitor said."), "territory_captured")
    [cap] = only(read("Rebels captured Manbij from the Syrian Democratic Forces (SDF)."), "territory_captured")
    assert cap.attributed_to is None  # a bracket spelling out a name credits no one
    assert not only(read("KYIV — Russian forces captured the town on Tuesday, Ukraine's military said."),
                    "territory_captured")  # fmt: skip
    [t] = only(read("The Masnaa border crossing will remain closed until further notice, officials said."),
               "transport_status")  # fmt: skip
    assert t.status == "closed"
    figs = only(read("Rebels captured Saraqib on Monday. 200,000 people have fled since November."), "displacement")
    assert figs and all(f.place is None or f.place.name != "Saraqib" for f in figs)
    assert only(
        read("Opposition fighters holding the northern countryside advanced toward Hama on Tuesday."), "advance"
    )
    assert only(read("Rebels entered Damascus's military district on Sunday."), "advance")
    [cap] = only(read("Although the monitor could not confirm casualties, it said rebels captured Hama on Tuesday."),
                 "territory_captured")  # fmt: skip
    assert cap.stance == "asserted"
    [dead] = only(read("Shelling killed 5 aid convoy workers in Idlib on Tuesday."), "casualties")
    assert dead.quantity == 5
    assert (
        only(read("The Filipino workers were not harmed when rebels entered Hama."), "advance")[0].stance == "asserted"
    )


def test_a_run_on_line_is_cut_into_bounded_sentences(extractor):
    from sitroom.extract.text import MAX_SENTENCE, split_sentences

    text = "Rebels captured Hama and " * 2000 + "Homs."
    sentences = split_sentences(text)
    assert all(s.end - s.start <= MAX_SENTENCE for s in sentences)  # the rules are pairwise within a sentence
    assert sentences[0].start == 0 and sentences[-1].end == len(text)
    assert extractor.extract(Document(id="long", text=text[:3000]))


def test_an_unknown_channel_writing_of_our_forces_announces_its_own_captures(read):
    # a channel the lexicons have never heard of, in the first person, as armed groups' channels post
    text = "Our fighters liberated the town of Saraqib at dawn after fierce clashes. The enemy fled south."
    c = only(read(text, outlet="Northern Lions Media Office", source_kind="social"), "territory_captured")
    assert len(c) == 1
    assert c[0].actor is not None and c[0].actor.name == "Northern Lions Media Office"
    assert c[0].stance == "announced"


def test_a_channel_without_first_person_forces_stays_the_outlet(read):
    text = "Fighters of the opposition liberated the town of Saraqib at dawn after fierce clashes."
    c = only(read(text, outlet="Northern Lions Media Office", source_kind="social"), "territory_captured")
    assert len(c) == 1
    assert c[0].actor is not None and c[0].actor.id == "syrian_opposition"
    assert c[0].stance == "asserted"


def test_each_figure_is_counted_by_the_verb_before_it(read):
    text = (
        "Strikes on Sarmada on Monday killed at least 12 people, injured 40 and displaced some 3,000, the monitor said."
    )
    figures = sorted((c.metric, c.quantity) for c in read(text) if c.quantity is not None)
    assert figures == [("displaced", 3000.0), ("injured", 40.0), ("killed", 12.0)]


def test_a_report_the_blog_takes_back_is_denied_by_it(read):
    text = (
        "10:40 - We reported earlier that government troops had recaptured Saraqib. "
        "That was incorrect: the town remains contested."
    )
    c = only(read(text), "territory_captured")
    assert [x.stance for x in c] == ["denied"]


def test_a_claim_that_accounts_are_spreading_is_a_rumour(read):
    c = only(read("Several accounts are spreading a claim that the army has recaptured Saraqib."), "territory_captured")
    assert [x.stance for x in c] == ["hypothetical"]


def test_what_the_blog_reported_earlier_and_stands_by_stays_asserted(read):
    c = only(
        read("We reported earlier that government troops had recaptured Saraqib, and officials confirmed it."),
        "territory_captured",
    )
    assert [x.stance for x in c] == ["asserted"]


def test_an_airport_that_stopped_receiving_flights_is_closed(read):
    c = only(
        read("Damascus International Airport stopped receiving and sending flights on Saturday evening."),
        "transport_status",
    )
    assert [(x.place.name if x.place else None, x.status) for x in c] == [("Damascus International Airport", "closed")]


def test_a_crossing_kept_open_is_open(read):
    c = only(read("Lebanese authorities kept the Masnaa crossing open throughout the week."), "transport_status")
    assert [x.status for x in c] == ["open"]


def test_no_truth_to_reports_of_an_event_denies_it(read):
    c = only(read("There is no truth to reports of a withdrawal from Hama, the ministry said."), "withdrawal")
    assert [x.stance for x in c] == ["denied"]


def test_without_admitting_a_loss_does_not_assert_it(read):
    c = only(
        read("Without admitting the loss of Hama, the army said it had redeployed outside the city."),
        "territory_captured",
    )
    assert all(x.stance != "asserted" for x in c)


def test_a_time_clause_names_a_known_event_it_does_not_report_it(read):
    c = only(read("By the time rebels entered Homs, most government troops had already left the city."), "advance")
    assert c == []


def test_a_state_withdrawing_from_a_town_of_its_own_keeps_the_town(read):
    c = only(
        read("Ukraine has withdrawn its forces from the eastern town of Avdiivka, its army chief said."), "withdrawal"
    )
    assert [x.place.name for x in c if x.place] == ["Avdiyivka"]


def test_its_troops_are_the_troops_of_the_state_that_speaks(read):
    # a report about a town in Ukraine, quoting Russia: "its troops" are Russia's, not the country's own
    c = only(
        read("The Russian defence ministry said its troops had taken full control of Avdiivka."), "territory_captured"
    )
    assert len(c) == 1 and c[0].actor is not None and c[0].actor.id.startswith("russia")
    assert c[0].stance == "announced"


def test_the_speakers_counted_before_said_are_not_a_figure(read):
    text = "Shelling killed at least seven civilians in Idlib on Sunday, three residents said."
    assert sorted(c.quantity for c in read(text) if c.quantity is not None) == [7.0]
    text = "Four senior officials told reporters that 40 people had been killed in Idlib."
    assert sorted(c.quantity for c in read(text) if c.quantity is not None) == [40.0]


def test_storming_a_hospital_in_a_town_is_an_attack_on_civilians_not_its_capture(read):
    claims = read("Militia fighters stormed the main hospital in Sarmada on Saturday, firing on patients.")
    assert only(claims, "territory_captured") == []
    assert [c.place.name for c in only(claims, "attack_on_civilians") if c.place] == ["Sarmada"]


def test_more_ways_of_writing_strikes_clashes_and_evacuations(read):
    assert only(read("Israeli jets kept striking the southern suburbs of Beirut on Monday."), "remote_violence")
    assert only(read("Fighting is still reported in Homs, the Observatory says."), "armed_clash")
    assert only(read("The governor has ordered the evacuation of the town of Sudzha."), "evacuation")
    claims = read("Drone debris fell on a block of flats in Kursk late on Sunday, injuring 13 people.")
    assert only(claims, "remote_violence")
    assert [(c.metric, c.quantity) for c in only(claims, "casualties")] == [("injured", 13.0)]


def test_an_airport_working_normally_is_open_and_no_operations_is_closed(read):
    assert [
        c.status for c in only(read("Beirut's airport is working normally, officials said."), "transport_status")
    ] == ["open"]
    assert [
        c.status
        for c in only(read("Aleppo International Airport: no operations since 30 November."), "transport_status")
    ] == ["closed"]


def test_what_is_reported_in_the_passive_is_not_a_speaker(read):
    claims = read("Rebel units were reported at the southern edge of Hama on Friday night.")
    c = only(claims, "advance")
    assert len(c) == 1 and c[0].attributed_to is None


def test_strikes_reported_in_a_town_are_placed_there(read):
    c = only(read("Strikes were reported in Tyre on Monday."), "remote_violence")
    assert [x.place.name for x in c if x.place] == ["Tyre"]


def test_a_group_that_fired_rockets_at_a_city_struck_it(read):
    c = only(read("Hezbollah said it had fired rockets at the Haifa area overnight."), "remote_violence")
    assert [(x.place.name if x.place else None, x.stance) for x in c] == [("Haifa", "announced")]


def test_holding_a_town_since_a_day_is_a_control_claim(read):
    c = only(read("Rebels have been in control of Saraqib since Sunday, residents said."), "territory_captured")
    assert [(x.place.name if x.place else None, x.actor.id if x.actor else None) for x in c] == [
        ("Saraqib", "syrian_opposition")
    ]


def test_a_denial_in_the_same_sentence_is_kept_beside_the_claim_it_denies(read):
    c = only(
        read("Rebels said they had captured Saraqib, but the army denied that the town had fallen."),
        "territory_captured",
    )
    assert sorted((x.stance, x.attributed_to.id if x.attributed_to else None) for x in c) == [
        ("announced", "syrian_opposition"),
        ("denied", "syrian_government_forces"),
    ]


def test_a_doer_no_lexicon_lists_is_named_as_written(read):
    c = only(read("The KRLF regained Lalibela on 9 August, according to residents."), "territory_captured")
    assert [x.actor.name if x.actor else None for x in c] == ["KRLF"]


def test_a_states_forces_by_their_own_name_are_its_forces_not_a_place(read):
    c = only(read("FARDC troops retreated from Sake on Thursday."), "withdrawal")
    assert [(x.place.name if x.place else None, x.actor.id if x.actor else None) for x in c] == [("Sake", "dr_congo")]


def test_a_capitalised_first_word_is_not_taken_for_a_name(read):
    c = only(read("Crowds overran the runway at Kabul airport on Monday."), "territory_captured")
    assert all(x.actor is None for x in c)


def test_the_force_that_supports_is_not_the_force_that_takes(read):
    c = only(
        read("The army, supported by Wagner, retook Kidal on 14 November 2023 after nine years."), "territory_captured"
    )
    assert len(c) == 1 and c[0].actor is not None and c[0].actor.id != "wagner"


def test_towns_that_passed_into_the_hands_of_a_force_were_taken_by_it(read):
    c = only(
        read("By Saturday Sanamayn and Kisweh had passed into the hands of southern factions."), "territory_captured"
    )
    assert len(c) == 2 and all(x.actor is not None for x in c)


def test_explain_says_what_the_parse_decided(read):
    (c,) = only(read("The KRLF regained Lalibela on 9 August."), "territory_captured")
    assert any(cue.startswith("parse: doer named 'KRLF'") for cue in c.cues)


def test_a_headline_over_the_story_that_tells_it_counts_once(read):
    text = (
        "Rebels seize Saraqib\n\nIDLIB, Dec 1 (Wire) - Rebels led by Hayat Tahrir al-Sham captured the town of "
        "Saraqib on Sunday, a war monitor said."
    )
    c = only(read(text, title="Rebels seize Saraqib"), "territory_captured")
    assert len(c) == 1 and c[0].attributed_to is not None


def test_an_event_days_before_the_news_is_not_dated_at_publication(read):
    (c,) = only(read("Days after taking Saraqib, rebels pushed towards Hama.", day="2024-12-06"), "territory_captured")
    assert c.when.latest is not None and c.when.latest < date(2024, 12, 6)


def test_a_capture_the_doer_claimed_is_its_own_claim(read):
    (c,) = only(
        read("Hours after claiming the capture of Saraqib, the rebels were still fighting on its edges."),
        "territory_captured",
    )
    assert c.stance == "announced"


def test_a_figure_in_the_city_is_placed_in_the_city_the_report_is_about(read):
    text = "Rebels entered Goma on Sunday. At least 17 people have been killed in the city since Sunday, medics said."
    assert [c.place.name for c in only(read(text), "casualties") if c.place] == ["Goma"]


def test_shells_fired_from_one_side_are_placed_where_they_hit(read):
    text = "Shells fired from the DRC side killed at least 5 people in Gisenyi on Monday, Rwandan officials said."
    claims = read(text)
    assert [c.place.name for c in only(claims, "remote_violence") if c.place] == ["Gisenyi"]
    assert [c.place.name for c in only(claims, "casualties") if c.place] == ["Gisenyi"]


def test_rows_of_a_figures_table_take_the_metric_above_them(read):
    text = (
        "KEY FIGURES\n• 48,000 people newly displaced since Wednesday.\n\nBY GOVERNORATE\n"
        "– Aleppo: about 1,20,000\n– Idlib: over 20,000\n\nNext review: 4 Dec, 09:00."
    )
    rows = sorted((c.place.name if c.place else None, c.quantity) for c in only(read(text), "displacement"))
    assert ("Aleppo", 120000.0) in rows and ("Idlib", 20000.0) in rows
    assert all(q not in (9.0, 0.0) for _, q in rows)


def test_a_flight_with_no_place_fled_the_place_just_taken(read):
    claims = read("Our forces have liberated the city of Saraqib, and the regime's militias fled in total collapse.")
    assert [c.place.name for c in only(claims, "withdrawal") if c.place] == ["Saraqib"]


def test_under_the_control_of_our_forces_is_the_speakers_capture(read):
    text = (
        "Our fighters liberated Saraqib at dawn. Aleppo International Airport is now under the control of our forces."
    )
    c = only(read(text, outlet="Northern Lions Media Office", source_kind="social"), "territory_captured")
    assert {(x.place.name if x.place else None, x.actor.name if x.actor else None, x.stance) for x in c} == {
        ("Saraqib", "Northern Lions Media Office", "announced"),
        ("Aleppo International Airport", "Northern Lions Media Office", "announced"),
    }


def test_a_publication_date_of_year_one_reads_as_undated_not_a_crash(extractor):
    from datetime import UTC, datetime

    doc = Document(id="y1", text="Rebels captured Saraqib.", published_at=datetime(1, 1, 1, tzinfo=UTC))
    assert only(extractor.extract(doc), "territory_captured")


@pytest.mark.parametrize(
    ("text", "place", "actor", "said_by"),
    [
        ("The Ministry of Defense denied any withdrawal from Homs.", "Homs", "syrian_government_forces",
         "syrian_defence_ministry"),
        ("Russia's defence ministry said it had withdrawn from Kherson.", "Kherson", "russia", "russia"),
        ("The Turkish Foreign Ministry said it had captured Manbij.", "Manbij", "turkey", "turkey"),
    ],
)  # fmt: skip
def test_a_ministry_speaks_and_its_states_forces_act(read, text, place, actor, said_by):
    c = [x for x in read(text) if x.type in ("withdrawal", "territory_captured")]
    assert [(x.place.name if x.place else None, x.actor.id if x.actor else None) for x in c] == [(place, actor)]
    assert c[0].attributed_to is not None and c[0].attributed_to.id == said_by
    assert "ministry" not in c[0].actor.name.lower()  # type: ignore[union-attr]


def test_roads_into_a_city_are_a_road_not_the_city_closed(read):
    (c,) = only(read("Aid agencies say the roads into the city of Aleppo are cut."), "transport_status")
    assert (c.place.name, c.place.kind, c.status) == ("Roads into Aleppo", "road", "closed")  # type: ignore[union-attr]
    assert c.place.country == "SY" and abs(c.place.lat - 36.2) < 0.1  # type: ignore[union-attr]


def test_a_named_observatory_the_lexicon_does_not_know_is_not_the_sohr(read):
    (c,) = only(read("Rebels captured Saraqib on Friday, the Basira Observatory said."), "territory_captured")
    assert c.attributed_to is not None and c.attributed_to.name == "Basira Observatory"
    (d,) = only(read("Rebels captured Saraqib on Friday, the Syrian Observatory said."), "territory_captured")
    assert d.attributed_to is not None and d.attributed_to.id == "sohr"


@pytest.mark.parametrize(
    ("text", "kind", "stance"),
    [
        # a correction line takes back what an earlier item said
        ('CORRECTION: An item at 18:02 said fighters had "entered Hama city".', "advance", "denied"),
        # a line labelled unconfirmed, posts that claim something: nobody here asserts it
        ("UNCONFIRMED: Posts claiming that fighters have entered Latakia are being widely shared.", "advance",
         "hypothetical"),
        # "the news '...' is NOT TRUE": the report called false, whatever its case
        ('Also the news "Homs is liberated" is NOT TRUE until now, the battles are still around the city.',
         "territory_captured", "denied"),
    ],
)  # fmt: skip
def test_corrections_rumours_and_reports_called_untrue_are_not_asserted(read, text, kind, stance):
    assert [c.stance for c in only(read(text, "2024-12-07"), kind)] == [stance]


def test_no_intention_of_taking_a_city_is_no_capture(read):
    assert (
        only(read("Bukavu: the M23 says it has no intention of taking the city.", "2025-02-10"), "territory_captured")
        == []
    )


INCIDENT_LOG = """INCIDENT LOG

DATE  | PLACE | EVENT | SOURCE | ST
01/12 | Idlib city | Air strikes on the vegetable market; 8 killed | Idlib civil defence; Basira Obs. | C
04/12 | Halfaya (NW Hama) | HTS-led factions capture town | MOC; Basira Obs. | C
"""

LIBERATED = """Russian forces pressed on near Sudzha in Kursk region this week.

Below are the settlements the Russian Ministry of Defence has said were "liberated" in Kursk region.

DATE OF STATEMENT | SETTLEMENTS NAMED | CREDITED TO
Sat 8 Mar | Viktorovka, Nikolayevka | "North" group of forces
Wed 12 Mar | Martynovka | "North" group
"""


def test_a_table_row_is_dated_placed_and_sourced_by_its_columns(read):
    claims = read(INCIDENT_LOG, "2024-12-04")
    (strike,) = only(claims, "remote_violence")
    assert (strike.place.name, strike.when.exact) == ("Idlib", date(2024, 12, 1))  # type: ignore[union-attr]
    assert strike.attributed_to is not None and "civil defence" in strike.attributed_to.name.lower()
    (cap,) = only(claims, "territory_captured")  # "capture town": the place column says which town
    assert (cap.place.name, cap.when.exact) == ("Halfaya", date(2024, 12, 4))  # type: ignore[union-attr]
    assert cap.attributed_to is not None and cap.attributed_to.name == "MOC"


def test_rows_of_places_take_their_event_from_the_caption_above(read):
    caps = only(read(LIBERATED, "2025-03-13"), "territory_captured")
    assert sorted((c.place.name, str(c.when.exact)) for c in caps) == [  # type: ignore[union-attr]
        ("Martynovka", "2025-03-12"), ("Nikolayevka", "2025-03-08"), ("Viktorovka", "2025-03-08")
    ]  # fmt: skip
    assert {(c.stance, c.actor.id if c.actor else None) for c in caps} == {("announced", "russia")}
    assert all(c.attributed_to is not None and c.attributed_to.id == "russia" for c in caps)


def test_translated_forms_of_strikes_and_their_doers(read):
    # "the warplanes of the Israeli enemy": the state the phrase names, not a demonym later in the sentence
    (rv,) = only(read("The warplanes of the Israeli enemy launched a raid targeting the Masnaa border crossing on "
                      "the Lebanese-Syrian border.", "2024-10-04"), "remote_violence")  # fmt: skip
    assert rv.actor is not None and rv.actor.id == "israel"
    # "carried out ... thirty raids which targeted": a strike, and thirty raids are no figure of people
    claims = read("Warplanes carried out since yesterday more than thirty raids which targeted the town of al-Atarib.")
    assert [c.type for c in claims] == ["remote_violence"]


def test_people_who_fell_died_and_no_town_fell(read):
    text = "May God have mercy on our martyrs: four young men from Tafas fell in the battle in Daraa yesterday."
    assert only(read(text), "territory_captured") == []
    assert [c.place.name for c in only(read("Hama fell to the rebels on Thursday."), "territory_captured")] == ["Hama"]  # type: ignore[union-attr]


def test_a_verdict_before_the_report_it_passes_denies_it(read):
    text = ('The head of the district called "unreliable" the information, which is distributed by Ukrainian '
            "resources, about the establishment of full control of the AFU over Sudzha.")  # fmt: skip
    assert [c.stance for c in only(read(text), "territory_captured")] == ["denied"]


def test_a_capture_of_a_place_the_gazetteer_lacks_is_not_put_in_the_province_named_after_it(read):
    text = (
        "The day before, Monday, the rebels had already occupied Bweremana, on the limit between North and South Kivu."
    )
    assert only(read(text, "2025-01-22"), "territory_captured") == []


def test_the_side_a_speaker_blames_is_the_doer(read):
    text = ("Shelling of the Sabreen market in Omdurman on Saturday killed at least 54 people, the health ministry "
            "said, blaming the RSF.")  # fmt: skip
    (rv,) = only(read(text, "2025-02-03"), "remote_violence")
    assert rv.actor is not None and rv.actor.id == "rsf"


def test_a_lines_label_that_names_a_body_is_its_speaker_and_a_places_label_is_not(read):
    text = ("• Sumy regional administration: Russian shelling hit ten border communities on 12 March, injuring three "
            "people.\n• Omdurman: shelling of the market killed 54 people.\n")  # fmt: skip
    by_place = {c.place.name: c for c in only(read(text, "2025-03-13"), "casualties") if c.place is not None}
    assert by_place["Sumy"].attributed_to is not None
    assert by_place["Sumy"].attributed_to.name == "Sumy regional administration"
    assert by_place["Sumy"].quantity == 3  # ten communities are no ten people
    assert by_place["Omdurman"].attributed_to is None
