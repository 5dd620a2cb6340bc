"""The leaderboard in a real Chromium: it moves when a sheet is saved; the projector view fits."""

import time

import httpx
import pytest

from showcase import auth, organizing, store
from tests.conftest import with_db

pytestmark = pytest.mark.browser


def test_an_open_leaderboard_changes_when_a_sheet_is_saved(browser, server) -> None:  # type: ignore[no-untyped-def]
    link = with_db(server.db, lambda db: auth.judge_links(db, server.url))[1]
    queue = with_db(server.db, lambda db: store.list_queue(db, link.judge))
    code = next(item.code for item in queue if item.status == "todo")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(server.url + "/leaderboard")
        page.locator("#live-state[data-state=live]").wait_for()
        judges_cell = page.locator(f'tr[data-code="{code}"] td.judges-col')
        before = int(judges_cell.inner_text())
        saved = httpx.put(
            f"{server.url}/api/judge/sheets/{code}",
            json={
                "scores": {
                    k: 5 for k in ("impact", "technology", "design", "feasibility", "presentation")
                }
            },
            headers={"Authorization": f"Bearer {link.token}"},
        )
        assert saved.status_code == 200
        page.wait_for_function(
            "([code, n]) => Number(document.querySelector(`tr[data-code='${code}'] td.judges-col`).textContent) === n",
            arg=[code, before + 1],
            timeout=5000,
        )
        assert "updated" in page.locator("#updated").inner_text()
    finally:
        page.close()


def test_the_projector_view_fits_1080p_without_scrolling(browser, server) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    try:
        page.goto(server.url + "/leaderboard?view=projector")
        page.locator("#live-state[data-state=live]").wait_for()
        assert page.locator(".site-header").is_hidden()
        assert page.locator("#board tbody tr").count() == 10
        size = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
        )
        assert size[0] <= 1920 and size[1] <= 1080, size
        font = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('#board td')).fontSize)"
        )
        assert font >= 28
    finally:
        page.close()


def test_a_phone_sees_the_board_without_sideways_scrolling(browser, server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        page.goto(server.url + "/leaderboard?track=climate-action")
        page.locator("#live-state[data-state=live]").wait_for()
        assert page.locator("#board tbody tr").count() == 8
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()


def close(url: str, headers: dict[str, str]) -> None:
    closed = httpx.post(f"{url}/api/admin/judging", json={"open": False}, headers=headers)
    assert closed.is_success


# Five more tracks beside the demo's three: eight in all.
MORE_TRACKS = "code,title,team,track,table\n" + "".join(
    f"X{n}{k},Project {n}{k},Team {n}{k},Extra Track {n},X{n}{k}\n"
    for n in range(1, 6)
    for k in range(1, 4)
)


def heading_and_rows(page) -> tuple[str, set[str]]:  # type: ignore[no-untyped-def]
    return page.evaluate(
        """() => [document.getElementById('projector-track').textContent,
                  [...document.querySelectorAll('#board tbody tr')].map(tr => tr.dataset.code)]"""
    )


def test_the_projector_follows_eight_tracks_on_one_connection(browser, server) -> None:  # type: ignore[no-untyped-def]
    token = with_db(server.db, lambda db: organizing.issue_admin_token(db, "test"))
    headers = {"Authorization": f"Bearer {token}"}
    added = httpx.post(
        f"{server.url}/api/admin/entries/import", content=MORE_TRACKS.encode(), headers=headers
    )
    assert added.status_code == 200
    tracks = {t.slug: t.name for t in with_db(server.db, store.list_tracks)}
    assert len(tracks) == 8
    entries = {e.code: e.track for e in with_db(server.db, store.list_entries)}
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    streams: list[str] = []
    page.on(
        "request",
        lambda request: streams.append(request.url) if "/stream" in request.url else None,
    )
    try:
        page.goto(server.url + "/leaderboard?view=projector&rotate=3")
        page.locator("#live-state[data-state=live]").wait_for()
        # A second tab to the same server is served while the projector runs.
        other = context.new_page()
        other.goto(server.url + "/api/entries", timeout=5000)
        assert len(other.evaluate("JSON.parse(document.body.innerText)")) == len(entries)
        other.close()
        seen: dict[str, set[str]] = {}
        deadline = time.monotonic() + 40
        while len(seen) < 9 and time.monotonic() < deadline:
            heading, rows = heading_and_rows(page)
            if rows and heading != heading_and_rows(page)[0]:
                continue  # caught between two boards
            seen[heading] = set(rows)
            time.sleep(0.4)
        assert set(seen) == {"Overall", *tracks.values()}
        for slug, name in tracks.items():  # every heading shows its own track's rows
            assert seen[name] and {entries[code] for code in seen[name]} == {slug}, name
        assert len(streams) == 1 and streams[0].endswith("/api/leaderboard/stream?track=*")
        # At the start of the reveal the projector shows the overall board at once.
        page.wait_for_function(
            "() => document.getElementById('projector-track').textContent !== 'Overall'"
        )
        close(server.url, headers)
        final = httpx.post(
            f"{server.url}/api/admin/board", json={"visibility": "final"}, headers=headers
        )
        assert final.is_success
        page.wait_for_function(
            "() => document.getElementById('projector-track').textContent === 'Overall'",
            timeout=2000,
        )
        assert page.locator("#board tbody tr").count() == 0
        httpx.post(f"{server.url}/api/admin/reveal", json={"step": 2}, headers=headers)
        page.wait_for_function("() => document.querySelectorAll('#board tbody tr').length === 2")
        time.sleep(3.5)  # a rotation's worth: the reveal holds the overall board
        assert heading_and_rows(page)[0] == "Overall"
        assert len(streams) == 1
    finally:
        context.close()


def test_the_projector_spotlights_each_award_place_in_the_reveal(browser, server) -> None:  # type: ignore[no-untyped-def]
    token = with_db(server.db, lambda db: organizing.issue_admin_token(db, "test"))
    headers = {"Authorization": f"Bearer {token}"}
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    try:
        page.goto(server.url + "/leaderboard?view=projector")
        page.locator("#live-state[data-state=live]").wait_for()
        close(server.url, headers)
        assert httpx.post(
            f"{server.url}/api/admin/board", json={"visibility": "final"}, headers=headers
        ).is_success
        while True:
            state = httpx.post(
                f"{server.url}/api/admin/reveal", json={"advance": "award"}, headers=headers
            ).json()
            top = httpx.get(f"{server.url}/api/leaderboard").json()["standings"][0]
            if top.get("award"):
                break
        spotlight = page.locator(".spotlight")
        spotlight.wait_for(timeout=5000)
        assert top["title"] in spotlight.inner_text()
        assert state["reveal_step"] >= 1
        size = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
        )
        assert size[0] <= 1920 and size[1] <= 1080, size
        while top.get("award") != "first":
            httpx.post(f"{server.url}/api/admin/reveal", json={"advance": "award"}, headers=headers)
            top = httpx.get(f"{server.url}/api/leaderboard").json()["standings"][0]
        page.wait_for_function(
            "(title) => document.querySelector('.spotlight.award-first')?.textContent.includes(title)",
            arg=top["title"],
            timeout=5000,
        )
        assert "1st place" in (page.locator(".spotlight .spotlight-award").text_content() or "")
    finally:
        page.close()
