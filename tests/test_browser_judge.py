"""A judge on an iPad-sized touch screen in a real Chromium, the network coming and going."""

import pytest

from showcase import auth, store
from tests.conftest import IPAD, score_all, stored_versions, with_db

pytestmark = pytest.mark.browser


@pytest.fixture
def tablet(browser, server):  # type: ignore[no-untyped-def]
    context = browser.new_context(**IPAD)
    page = context.new_page()
    link = with_db(server.db, lambda db: auth.judge_links(db, server.url))[1]
    page.goto(link.url)
    page.wait_for_url("**/judge")
    yield page, link, server
    context.close()


def test_login_queue_and_a_sheet_saved_through_the_form(tablet) -> None:  # type: ignore[no-untyped-def]
    page, link, server = tablet
    assert page.get_by_role("heading", level=1).inner_text() == f"Hello, {link.name}"
    assert link.token not in page.url
    page.locator(".queue-item.next a").tap()
    page.wait_for_url("**/judge/entries/*")
    code = page.url.rsplit("/", 1)[1]
    next_url = page.locator("#sheet").get_attribute("data-next")
    score_all(page)
    page.locator("textarea[name=comment]").fill("Clear pitch, working demo")
    page.get_by_role("button", name="Save").tap()
    page.wait_for_url(f"**{next_url}")
    assert stored_versions(server, link.judge, code) == [1]
    sheet = with_db(server.db, lambda db: store.get_sheet(db, link.judge, code))
    assert sheet is not None and sheet.comment == "Clear pitch, working demo"
    assert set(sheet.scores.values()) == {4.0}


def test_a_sheet_entered_offline_is_stored_once_when_the_network_returns(tablet) -> None:  # type: ignore[no-untyped-def]
    page, link, server = tablet
    page.locator(".queue-item.next a").tap()
    page.wait_for_url("**/judge/entries/*")
    code = page.url.rsplit("/", 1)[1]
    score_all(page, 3)
    page.context.set_offline(True)
    page.get_by_role("button", name="Save").tap()
    outbox = page.locator("#outbox")
    outbox.wait_for(state="visible")
    assert outbox.inner_text() == "Not sent yet: 1"
    assert "Saved" not in page.locator("#save-status").inner_text()
    assert stored_versions(server, link.judge, code) == []

    # Back online, but the server still out of reach: the outbox survives a reload.
    page.route("**/api/judge/sheets/**", lambda route: route.abort())
    page.context.set_offline(False)
    page.reload()
    page.locator("#outbox").wait_for(state="visible")
    assert page.locator("#outbox").inner_text() == "Not sent yet: 1"
    assert page.locator(".level:has(input:checked)").count() == 5

    # A captive portal answers 200 with its own page: that is not a save.
    page.unroute("**/api/judge/sheets/**")
    page.route(
        "**/api/judge/sheets/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<h1>Welcome to Hall Wi-Fi</h1>"
        ),
    )
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(500)
    assert page.locator("#outbox").inner_text() == "Not sent yet: 1"
    assert stored_versions(server, link.judge, code) == []

    page.unroute("**/api/judge/sheets/**")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_url("**/judge**", timeout=15000)
    page.wait_for_function(
        "(key) => JSON.parse(localStorage.getItem(key) || '[]').length === 0",
        arg=f"showcase.outbox.{link.judge}",
    )
    assert stored_versions(server, link.judge, code) == [1]
    assert page.locator("#outbox").is_hidden()


def test_a_retry_whose_first_answer_was_lost_stores_once(tablet) -> None:  # type: ignore[no-untyped-def]
    page, link, server = tablet
    page.locator(".queue-item.next a").tap()
    page.wait_for_url("**/judge/entries/*")
    code = page.url.rsplit("/", 1)[1]
    score_all(page, 2)
    lost = []

    def deliver_then_drop(route):  # type: ignore[no-untyped-def]
        route.fetch()  # the server stores the sheet...
        lost.append(True)
        route.abort()  # ...but the answer never reaches the tablet

    page.route("**/api/judge/sheets/**", deliver_then_drop)
    page.get_by_role("button", name="Save").tap()
    page.locator("#save-status.pending").wait_for()
    assert page.locator("#outbox").inner_text() == "Not sent yet: 1"
    assert lost and stored_versions(server, link.judge, code) == [1]
    page.unroute("**/api/judge/sheets/**")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function(
        "(key) => JSON.parse(localStorage.getItem(key) || '[]').length === 0",
        arg=f"showcase.outbox.{link.judge}",
    )
    assert stored_versions(server, link.judge, code) == [1]


TARGETS = "a, button, label.level, summary, textarea, input:not([type=hidden]):not([type=radio])"


@pytest.mark.parametrize("where", ["queue", "sheet"])
def test_no_sideways_scrolling_and_big_touch_targets(tablet, where: str) -> None:  # type: ignore[no-untyped-def]
    page, _, _ = tablet
    if where == "sheet":
        page.locator(".queue-item.next a").tap()
        page.wait_for_url("**/judge/entries/*")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    small = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
            .filter(el => el.offsetParent !== null)
            .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect()])
            .filter(([, r]) => r.width < 44 || r.height < 44)
            .map(([html, r]) => `${html} ${Math.round(r.width)}x${Math.round(r.height)}`)""",
        TARGETS,
    )
    assert small == []
