"""The page in a real browser (headless Debian Chromium via Playwright) over a server with hand-made data."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from .conftest import ARTIFACTS, PageWatch


def aleppo_controller(page: Any) -> str:
    return page.locator('#places tr[data-place="Aleppo"] td.controller').inner_text().strip()


def test_page_loads_with_no_console_errors_and_no_request_outside_the_server(watched: PageWatch) -> None:
    page = watched.open()
    assert page.locator(".leaflet-container").count() == 1, "the map did not start"
    assert page.locator("path.leaflet-interactive.control-marker").count() > 0
    assert page.locator(".leaflet-overlay-pane path").count() > 100, "no country outlines drawn"
    page.get_by_role("tab", name="Places").click()
    assert page.locator("#places tbody tr").count() > 3
    assert watched.console_errors == [] and watched.page_errors == []
    assert watched.failed == []
    server = urlparse(watched.base).netloc
    outside = [
        u for u in watched.requests if urlparse(u).scheme not in ("data", "blob") and urlparse(u).netloc != server
    ]
    assert outside == []


def test_the_slider_moves_control_of_aleppo_between_27_november_and_1_december(watched: PageWatch) -> None:
    page = watched.open("?at=2024-11-27")
    page.get_by_role("tab", name="Places").click()
    assert page.locator("#day-label").inner_text() == "27 Nov 2024"
    assert page.locator("#day").input_value() == "0"  # the data's first day starts the slider
    assert "Syrian government" in aleppo_controller(page)
    # Move the slider to 1 Dec with the keyboard, as a user would.
    page.locator("#day").focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    watched.settle()
    assert page.locator("#day-label").inner_text() == "1 Dec 2024"
    after = aleppo_controller(page)
    assert after and "Syrian government" not in after
    marker = page.locator('path.control-marker[data-place="Aleppo"]')
    assert marker.get_attribute("data-controller") not in ("syrian_government", "")
    # and back: the map follows the slider both ways
    page.locator("#day").fill("0")
    watched.settle()
    assert "Syrian government" in aleppo_controller(page)
    assert marker.get_attribute("data-controller") == "syrian_government"


def test_clicking_hama_shows_its_claims_with_sources(watched: PageWatch) -> None:
    page = watched.open("?at=2024-12-06")
    page.locator('path.control-marker[data-place="Hama"]').click()
    page.wait_for_selector("#selection li.claim")
    watched.settle()
    panel = page.locator("#selection")
    assert panel.locator("h2").inner_text() == "Hama"
    cards = panel.locator("li.claim")
    assert cards.count() == 3
    text = panel.inner_text()
    assert "Compass News" in text and "Harbour Times" in text
    assert "Said by Syrian Ministry of Defense" in text
    assert "denied" in text and "announced" in text
    assert panel.locator("li.claim.contradicted").count() == 3  # one denial against two supporting claims
    assert (
        "Hayat Tahrir al-Sham announced that its fighters had captured Hama." in panel.locator("mark").all_inner_texts()
    )
    assert watched.console_errors == []


def test_report_text_with_markup_is_shown_as_text(watched_without_csp: PageWatch) -> None:
    watched = watched_without_csp
    page = watched.open("?at=2024-12-08&place=Homs")
    page.wait_for_selector("#selection li.claim")
    card = page.locator("#selection li.claim").first
    assert "<script>" in card.locator(".doc-title").inner_text()
    assert "<b>Bulletin</b>" in card.locator(".outlet").inner_text()
    card.get_by_role("button", name="Read the report").click()
    page.wait_for_selector("#report .report-text")
    body = page.locator("#report .report-text").inner_text()
    assert '<script>window.__pwned = "text"</script>' in body
    assert "<img src=x onerror=" in body
    assert page.locator("#report script, #report img, #selection script, #selection img, #selection b").count() == 0
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("#report mark").inner_text() == "Traders in Homs said prices doubled overnight."
    assert watched.console_errors == [] and watched.page_errors == []


def test_screenshot_of_the_page_on_8_december(watched: PageWatch) -> None:
    page = watched.open("?at=2024-12-08&place=Hama")
    page.wait_for_selector("#selection li.claim")
    assert "GeoNames: Hamah" in page.locator("#selection").inner_text()  # the English name, GeoNames' beside it
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "web-demo-2024-12-08.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 20_000


def test_the_page_fits_a_phone(browser: Any, server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        watched = PageWatch(context.new_page(), server)
        page = watched.open("?at=2024-12-06")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, "the page scrolls sideways on a phone"
        assert page.locator("#map").bounding_box()["height"] > 250
        assert page.locator(".side").is_visible()
        assert watched.console_errors == []
    finally:
        context.close()


def test_the_known_at_switch_replays_what_was_known_then(watched: PageWatch) -> None:
    page = watched.open("?at=2024-12-05")
    page.get_by_role("tab", name="Places").click()
    hama = page.locator('#places tr[data-place="Hama"] td.controller')
    assert "Hayat Tahrir al-Sham" in hama.inner_text()
    # At noon on 5 Dec no report of the capture was out: the replay shows the army still holding Hama.
    page.locator("#replay").check()
    page.locator("#known-at").fill("2024-12-05T12:00")
    page.locator("#known-at").dispatch_event("change")
    watched.settle()
    assert "Syrian government" in hama.inner_text()
    assert "known_at=2024-12-05T12%3A00" in page.url or "known_at=2024-12-05T12:00" in page.url
    page.locator("#replay").uncheck()
    watched.settle()
    assert "Hayat Tahrir al-Sham" in hama.inner_text()


def test_panels_show_advisories_transport_and_a_figures_chart(watched: PageWatch) -> None:
    page = watched.open("?at=2024-12-08")
    page.get_by_role("tab", name="Advisories").click()
    advisory = page.locator("#advisories li.card").first
    assert "Jordan → Syria" in advisory.inner_text() and "leave" in advisory.inner_text()
    page.get_by_role("tab", name="Transport").click()
    transport = page.locator("#transport li.card").first.inner_text()
    assert "Damascus International Airport" in transport and "open" in transport
    page.get_by_role("tab", name="Figures").click()
    assert page.locator("#figures-chart svg circle").count() == 1
    assert "280,000 displaced" in page.locator("#figures").inner_text()
    # the evidence behind a figure is one click away
    page.locator("#figures").get_by_role("button", name="Sources (1)").click()
    page.wait_for_selector("#selection li.claim")
    assert "280,000 people have been displaced" in page.locator("#selection mark").inner_text()
    assert watched.console_errors == []


def test_roads_are_drawn_and_coloured_by_their_status_on_the_day(watched: PageWatch) -> None:
    # Hama changed hands on 5 December in the scenario: the roads through it are at risk on the 6th, which
    # they were not on the 4th (the front lines of before the offensive are at risk on both days).
    page = watched.open("?at=2024-12-04")
    page.wait_for_selector("path.road-seg")
    assert page.locator("path.road-seg").count() > 50
    before = page.locator("path.road-at_risk").count()
    assert "Roads" in page.locator("#legend").inner_text()
    page = watched.open("?at=2024-12-06")
    page.wait_for_selector("path.road-seg")
    assert page.locator("path.road-at_risk").count() > before
    assert watched.console_errors == []


def test_the_api_docs_open_with_no_request_outside_the_server(watched: PageWatch) -> None:
    page = watched.page
    page.goto(watched.base + "/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)  # the operations, read from /openapi.json
    assert "/route" in page.locator(".swagger-ui").inner_text()
    server = urlparse(watched.base).netloc
    outside = [
        u for u in watched.requests if urlparse(u).scheme not in ("data", "blob") and urlparse(u).netloc != server
    ]
    assert outside == [] and watched.failed == []


def test_a_place_nobody_confirmed_lately_is_faded_and_says_so(watched: PageWatch) -> None:
    page = watched.open("?at=2024-12-08")
    aleppo = page.locator('path.control-marker[data-place="Aleppo"]')
    assert "stale" in (aleppo.get_attribute("class") or "")
    assert float(aleppo.get_attribute("fill-opacity") or 1) < 0.5
    aleppo.click()
    watched.settle()
    assert "not confirmed for" in page.locator("#selection .stale-line").inner_text()
    fresh = watched.open("?at=2024-12-01").locator('path.control-marker[data-place="Aleppo"]')
    assert "stale" not in (fresh.get_attribute("class") or "")
    assert watched.console_errors == []


def test_city_names_on_the_map_never_overlap(watched: PageWatch) -> None:
    page = watched.open("?at=2024-12-08")
    for _ in range(3):  # zoomed out, the cities crowd together
        page.locator(".leaflet-control-zoom-out").click()
        page.wait_for_timeout(400)
    boxes = page.eval_on_selector_all(
        ".leaflet-tooltip.place-label:not(.label-hidden)",
        "nodes => nodes.map(n => { const r = n.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })",
    )
    assert len(boxes) >= 3
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    assert watched.console_errors == []
