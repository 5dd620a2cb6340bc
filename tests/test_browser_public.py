"""A visitor in a real Chromium: the gallery, a track filter, an entry, the language switch."""

import pytest

pytestmark = pytest.mark.browser


def test_visitor_filters_by_track_and_opens_an_entry(browser, server) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(server.url + "/")
        assert page.locator(".card").count() == 24
        stylesheet_applied = page.evaluate(
            "getComputedStyle(document.querySelector('.site-header')).borderBottomStyle"
        )
        assert stylesheet_applied == "solid"
        page.get_by_role("navigation", name="Tracks").get_by_role(
            "link", name="Climate Action"
        ).click()
        page.wait_for_url("**/?track=climate-action")
        assert page.locator(".card").count() == 8
        assert page.get_by_text("MediBridge").count() == 0
        page.get_by_role("heading", name="FloodWatch").click()
        page.wait_for_url("**/entries/C02")
        assert page.get_by_role("heading", level=1).inner_text() == "FloodWatch"
        assert page.get_by_text("Bangladesh University of Engineering and Technology").is_visible()
    finally:
        page.close()


def test_visitor_searches_and_switches_to_korean(browser, server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    try:
        page.goto(server.url + "/")
        page.get_by_label("Search by title or team").fill("study")
        page.get_by_role("button", name="Search").click()
        page.wait_for_url("**q=study**")
        assert page.locator(".card").count() == 1
        page.get_by_role("link", name="한국어").click()
        page.wait_for_selector("html[lang=ko]")
        assert page.get_by_role("heading", level=1).inner_text() == "참가작"
        assert page.locator(".card").count() == 1  # the search survived the switch
        page.goto(server.url + "/leaderboard")
        assert page.get_by_role("heading", level=1).inner_text() == "순위표"
        wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not wide, "the phone layout scrolls sideways"
    finally:
        context.close()
