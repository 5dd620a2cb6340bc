"""Adaptive judging on a tablet in a real Chromium: the table to go to in large type, chosen
live while the network holds, and the judge's own list when it fails."""

import pytest

from showcase import auth, judging, organizing, store
from tests.conftest import IPAD, score_all, stored_versions, with_db

pytestmark = pytest.mark.browser


def sent_to(server, judge: int) -> list[str]:  # type: ignore[no-untyped-def]
    """The entries adaptive judging has sent the judge to and they have not scored."""
    queue = with_db(server.db, lambda db: store.list_queue(db, judge))
    return [item.code for item in queue if item.picked and item.status == "todo"]


def table_of(server, code: str) -> str:  # type: ignore[no-untyped-def]
    entry = with_db(server.db, lambda db: store.get_entry(db, code))
    assert entry is not None
    return entry.table


def test_the_tablet_goes_where_it_is_sent_and_down_its_list_offline(browser, server) -> None:  # type: ignore[no-untyped-def]
    with_db(server.db, lambda db: organizing.set_adaptive(db, True, 0, "test"))
    link = with_db(server.db, lambda db: auth.judge_links(db, server.url))[3]
    context = browser.new_context(**IPAD)
    page = context.new_page()
    card = page.locator("#next-card")
    try:
        page.goto(link.url)
        page.wait_for_url("**/judge")
        [first] = sent_to(server, link.judge)
        assert card.locator("[data-next-table]").inner_text() == table_of(server, first)
        card.get_by_role("link", name="Open the score sheet").tap()
        page.wait_for_url(f"**/judge/entries/{first}")
        score_all(page, 4)
        page.get_by_role("button", name="Save").tap()
        page.wait_for_url(f"**/judge?saved={first}")
        [second] = sent_to(server, link.judge)
        assert second != first
        assert card.locator("[data-next-table]").inner_text() == table_of(server, second)
        assert card.locator("[data-next-offline]").is_hidden()
        page.wait_for_function("() => document.documentElement.dataset.offline === 'ready'")

        queue = with_db(server.db, lambda db: store.list_queue(db, link.judge))
        after_second = judging.next_to_visit(queue, second)
        on_the_list = next(i for i in queue if i.status == "todo" and i.code != second)
        assert after_second is not None
        server.stop()  # the network is gone: nothing new can be chosen
        page.goto(f"{server.url}/judge/entries/{second}")
        score_all(page, 3)
        page.get_by_role("button", name="Save").tap()
        page.wait_for_url(f"**/judge/entries/{after_second.code}")  # the list's next entry
        page.goto(f"{server.url}/judge")
        card.locator("[data-next-offline]").wait_for(state="visible")
        assert card.locator("[data-next-table]").inner_text() == (on_the_list.table or "–")
        assert card.locator("[data-next-link]").get_attribute("href") == (
            f"/judge/entries/{on_the_list.code}"
        )

        server.start()  # the network returns: the sheet kept on the tablet goes out
        page.evaluate("window.dispatchEvent(new Event('online'))")
        page.wait_for_function(
            "(key) => localStorage.getItem(key) === null", arg=f"showcase.outbox.{link.judge}"
        )
        assert stored_versions(server, link.judge, second) == [1]
    finally:
        context.close()
