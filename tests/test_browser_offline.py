"""A tablet in a real Chromium when the hall's network fails: two judges sharing one tablet, and
a judge who walks the whole queue with the server out of reach."""

import pytest

from showcase import auth, organizing, store
from tests.conftest import IPAD, score_all, stored_versions, with_db

pytestmark = pytest.mark.browser


def outbox_empty(page, judge_id: int) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        "(key) => localStorage.getItem(key) === null", arg=f"showcase.outbox.{judge_id}"
    )


def two_judges_and_an_entry(server):  # type: ignore[no-untyped-def]
    """Two judges, and an entry that both are assigned and neither has scored."""
    links = with_db(server.db, lambda db: auth.judge_links(db, server.url))
    todo = {
        link.judge: {
            item.code
            for item in with_db(server.db, lambda db, j=link.judge: store.list_queue(db, j))
            if item.status == "todo"
        }
        for link in links
    }
    for a in links:
        for b in links:
            shared = sorted(todo[a.judge] & todo[b.judge]) if a.judge != b.judge else []
            if shared:
                return a, b, shared[0]
    raise AssertionError("the demo has no entry two judges still have to score")


def test_a_shared_tablet_keeps_each_judges_sheets_apart(browser, server) -> None:  # type: ignore[no-untyped-def]
    a, b, code = two_judges_and_an_entry(server)
    context = browser.new_context(**IPAD)
    page = context.new_page()
    calls = []

    def answer_lost(route):  # type: ignore[no-untyped-def]
        calls.append(route.request.url)
        if len(calls) == 1:
            route.fetch()  # the server stores A's sheet, but its answer never arrives
        route.abort()

    try:
        page.goto(a.url)
        page.wait_for_url("**/judge")
        page.route("**/api/judge/sheets/**", answer_lost)
        page.goto(f"{server.url}/judge/entries/{code}")
        score_all(page, 5)
        page.get_by_role("button", name="Save").tap()
        page.locator("#save-status.pending").wait_for()
        assert page.locator("#outbox").inner_text() == "Not sent yet: 1"
        assert stored_versions(server, a.judge, code) == [1]

        # B logs in on the same tablet: A's sheet waits, and nothing goes out as B's.
        page.goto(b.url)
        page.wait_for_url("**/judge")
        page.unroute("**/api/judge/sheets/**")
        others = page.locator("#other-outboxes")
        others.wait_for(state="visible")
        assert others.inner_text() == "1 sheet of another judge waits on this tablet"
        assert page.locator("#outbox").is_hidden()
        page.wait_for_timeout(6000)  # longer than the outbox's retry interval
        assert stored_versions(server, b.judge, code) == []
        assert stored_versions(server, a.judge, code) == [1]
        page.goto(f"{server.url}/judge/entries/{code}")  # B's own form is B's, and empty
        assert page.locator(".level:has(input:checked)").count() == 0
        assert others.inner_text() == "1 sheet of another judge waits on this tablet"

        # A logs in again: A's sheet goes out, once.
        page.goto(a.url)
        page.wait_for_url("**/judge**")
        outbox_empty(page, a.judge)
        assert stored_versions(server, a.judge, code) == [1]
        assert stored_versions(server, b.judge, code) == []
        assert page.locator("#other-outboxes").is_hidden()
        stored = with_db(server.db, lambda db: store.get_sheet(db, a.judge, code))
        assert stored is not None and set(stored.scores.values()) == {5.0}
    finally:
        context.close()


def test_a_judge_walks_the_whole_queue_offline(browser, server) -> None:  # type: ignore[no-untyped-def]
    link = with_db(server.db, lambda db: auth.judge_links(db, server.url))[2]
    queue = with_db(server.db, lambda db: store.list_queue(db, link.judge))
    todo = [item.code for item in queue if item.status == "todo"]
    assert len(todo) >= 2
    context = browser.new_context(**IPAD)
    page = context.new_page()
    try:
        page.goto(link.url)
        page.wait_for_url("**/judge")
        page.wait_for_function("() => document.documentElement.dataset.offline === 'ready'")

        server.stop()  # the network is gone: nothing answers on the server's address
        page.reload()
        assert page.get_by_role("heading", level=1).inner_text() == f"Hello, {link.name}"
        for n, code in enumerate(todo, start=1):
            page.goto(f"{server.url}/judge/entries/{code}")
            score_all(page, 3)
            page.get_by_role("button", name="Save").tap()
            page.wait_for_function(
                "(n) => document.getElementById('outbox').textContent === `Not sent yet: ${n}`",
                arg=n,
            )
        page.reload()
        assert page.locator("#outbox").inner_text() == f"Not sent yet: {len(todo)}"
        page.goto(f"{server.url}/judge")
        for code in todo:
            assert "waiting" in (
                page.locator(f'.queue-item[data-code="{code}"]').get_attribute("class") or ""
            )
        assert all(stored_versions(server, link.judge, code) == [] for code in todo)

        server.start()  # the network returns
        page.evaluate("window.dispatchEvent(new Event('online'))")
        outbox_empty(page, link.judge)
        assert {code: stored_versions(server, link.judge, code) for code in todo} == {
            code: [1] for code in todo
        }
        page.goto(f"{server.url}/judge")
        assert page.locator("#outbox").is_hidden()
    finally:
        context.close()


def test_a_refused_sheet_is_shown_wherever_the_judge_is(browser, server) -> None:  # type: ignore[no-untyped-def]
    link = with_db(server.db, lambda db: auth.judge_links(db, server.url))[1]
    queue = with_db(server.db, lambda db: store.list_queue(db, link.judge))
    code = next(item.code for item in queue if item.status == "todo")
    context = browser.new_context(**IPAD)
    page = context.new_page()
    try:
        page.goto(link.url)
        page.wait_for_url("**/judge")
        page.goto(f"{server.url}/judge/entries/{code}")
        page.route("**/api/judge/sheets/**", lambda route: route.abort())
        score_all(page, 2)
        page.get_by_role("button", name="Save").tap()
        page.locator("#save-status.pending").wait_for()
        with_db(server.db, lambda db: organizing.set_judging(db, False, "test"))
        page.unroute("**/api/judge/sheets/**")
        page.goto(f"{server.url}/judge")  # elsewhere, when the retry is refused
        refusals = page.locator("#refusals")
        refusals.wait_for(state="visible", timeout=10000)
        assert "judging is closed" in refusals.inner_text()
        assert page.locator("#outbox").is_hidden()
        page.reload()
        assert page.locator("#refusals").is_visible()  # never dropped silently
        page.locator("#refusals").get_by_role("button", name="Dismiss").tap()
        assert page.locator("#refusals").is_hidden()
        outbox_empty(page, link.judge)
    finally:
        context.close()
