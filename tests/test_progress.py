"""The organizers' progress page: idle judges, short entries, disagreements, each judge's
scoring against the pool, and a stream that keeps it current."""

import statistics
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup
from litestar.testing import TestClient

import scoring
from showcase import auth, organizing, store
from showcase.models import JudgeProgress
from showcase.progress import idle_judges
from tests.conftest import with_db
from tests.test_admin import log_in

SCORES = {"impact": 5, "technology": 5, "design": 5, "feasibility": 5, "presentation": 5}


def test_idle_judges_have_entries_left_and_no_recent_save() -> None:
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    stamp = lambda minutes: (now - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S.000Z")  # noqa: E731
    judges = [
        JudgeProgress("busy", 5, 2, 0, stamp(3)),
        JudgeProgress("away", 5, 2, 0, stamp(45)),
        JudgeProgress("never", 5, 0, 0, None),
        JudgeProgress("done", 5, 5, 0, stamp(90)),
    ]
    assert idle_judges(judges, now) == ["away", "never"]


def test_the_progress_page_shows_calibration_and_disagreement(
    client: TestClient, demo_path: Path
) -> None:
    assert client.get("/admin/progress").status_code == 401
    log_in(client, demo_path)
    page = BeautifulSoup(client.get("/admin/progress").text, "html.parser")
    sheets = with_db(demo_path, store.list_current_sheets)
    criteria = [
        scoring.Criterion(key=c.key, weight=c.weight, min=c.min, max=c.max)
        for c in with_db(demo_path, store.list_criteria)
    ]
    names = {j.id: j.name for j in with_db(demo_path, store.list_judges)}
    totals: dict[str, list[float]] = {}
    for sheet in sheets:
        totals.setdefault(names[sheet.judge_id], []).append(
            scoring.sheet_total(sheet.scores, criteria)
        )
    rows = {
        tr["data-judge"]: [td.get_text() for td in tr.select("td")]
        for tr in page.select("table.calibration-table tbody tr")
    }
    assert set(rows) == set(totals)
    for name, values in totals.items():
        assert rows[name][1] == str(len(values))
        assert rows[name][2] == f"{statistics.fmean(values):.2f}"
        assert rows[name][3] == f"{statistics.pstdev(values):.2f}"
        assert rows[name][4].startswith(("+", "-")) and float(rows[name][5]) > 0
    assert len(page.select("svg.calibration g.judge")) == len(totals)
    spreads = [
        float(tr.select("td")[-1].get_text()) for tr in page.select("table.disagreement tbody tr")
    ]
    assert spreads == sorted(spreads, reverse=True) and spreads[0] > 0


@pytest.mark.browser
def test_the_progress_page_follows_each_save(browser, server) -> None:  # type: ignore[no-untyped-def]
    password = with_db(server.db, lambda db: organizing.add_organizer(db, "ada", "test"))
    link = with_db(server.db, lambda db: auth.judge_links(db, server.url))[1]
    queue = with_db(server.db, lambda db: store.list_queue(db, link.judge))
    todo = next(item.code for item in queue if item.status == "todo")
    page = browser.new_page()
    try:
        page.goto(server.url + "/admin")
        page.fill("#name", "ada")
        page.fill("#password", password)
        page.click("button[type=submit]")
        page.goto(server.url + "/admin/progress")
        row = page.locator(f'table.progress tr[data-judge="{link.name}"] td').nth(1)
        before = row.inner_text()
        page.wait_for_timeout(1500)  # the stream's first event has come
        saved = httpx.put(
            f"{server.url}/api/judge/sheets/{todo}",
            json={"scores": SCORES},
            headers={"Authorization": f"Bearer {link.token}"},
        )
        assert saved.status_code == 200
        done, total = (int(n) for n in before.split(" of "))
        page.wait_for_function(
            "([name, text]) => document.querySelector(`table.progress tr[data-judge='${name}'] td:nth-child(2)`).textContent === text",
            arg=[link.name, f"{done + 1} of {total}"],
            timeout=8000,
        )
    finally:
        page.close()
