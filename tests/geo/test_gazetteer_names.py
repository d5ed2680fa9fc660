"""Display names: GeoNames' transliteration marks folded as its own ASCII names are."""

from sitroom.geo.gazetteer import display_name


def test_transliteration_marks_fold_to_plain_names() -> None:
    assert display_name("Ḩamāh") == "Hamah"
    assert display_name("Ţarţūs") == "Tartus"
    assert display_name("Ma‘arrat an Nu‘mān") == "Ma'arrat an Nu'man"


def test_names_in_other_scripts_are_kept() -> None:
    assert display_name("حلب") == "حلب"
    assert display_name("Алеппо") == "Алеппо"


def test_resolved_places_carry_the_english_name_and_keep_the_geonames_one(geoparser) -> None:  # type: ignore[no-untyped-def]
    for written, shown, geonames in (
        ("Hamah", "Hama", "Hamah"),
        ("Tadmur", "Palmyra", "Tadmur"),
        ("Homs", "Homs", "Homs"),
    ):
        place = geoparser.resolve(written, context_country="SY")
        assert place is not None and place.name == shown, written
        row = geoparser.gaz.place_row(place)
        assert geoparser.gaz.geonames_name(row) == geonames


def test_a_preposition_opening_a_sentence_is_not_a_first_name(geoparser) -> None:  # type: ignore[no-untyped-def]
    for text in ("Inside Hama, six people were killed.", "Near Homs, fighting went on all night."):
        (mention,) = geoparser.parse(text)
        assert mention.place is not None and mention.place.country == "SY", text


def test_a_time_phrase_opening_a_sentence_is_not_a_first_name(geoparser) -> None:  # type: ignore[no-untyped-def]
    for text, wanted in (
        ("On Sunday Tal Rifaat was taken.", "Tal Rifaat"),
        ("Yesterday Manbij fell.", "Manbij"),
        ("By Friday Hama had fallen.", "Hama"),
    ):
        found = [m.text for m in geoparser.parse(text) if m.place is not None]
        assert found == [wanted], text
