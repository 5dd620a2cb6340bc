"""Adaptive judging in the hall: each judge walks the start of their list, then is sent where a
sheet does the most to settle the prizes (never to a conflict, a withdrawn entry or one of their
own), the nearest table among the nearly best; the tablet shows the table in large type; the
organizer turns it on and asks how many judges an event needs."""

import re
import subprocess
import time
from pathlib import Path

from bs4 import BeautifulSoup
from litestar.testing import TestClient

from showcase import auth, judging, organizing, store
from showcase.app import create_app
from showcase.models import EntryPatch
from showcase.settings import Settings
from tests.conftest import SHOWCASE, with_db
from tests.test_admin import log_in

ENTRIES = "code,title,team,track,table,affiliation\n" + "".join(
    f"E{n},Project {n},Team {n},Health,A{n},Uni {n}\n" for n in range(1, 9)
)
JUDGES = b"name,affiliation\nAda,Uni 2\nBo,Firm\nCy,Lab\nDi,Studio\n"
SCORES = {"impact": 4, "technology": 3, "design": 5, "feasibility": 2, "presentation": 4}


def hall(path: Path, start_visits: int = 1, per_entry: int = 2) -> dict[str, auth.JudgeLink]:
    """Eight entries at tables A1 to A8, four judges (Ada from the university of E2), a fixed
    list for each, judging open and adaptive judging on: each judge's links by name."""

    async def make(db) -> None:  # type: ignore[no-untyped-def]
        await organizing.import_entries(db, ENTRIES.encode(), "test")
        await organizing.import_judges(db, JUDGES, "test")
        await organizing.assign_judges(db, per_entry, "test")
        await organizing.set_judging(db, True, "test")
        await organizing.set_adaptive(db, True, start_visits, "test")

    with_db(path, make)
    links = with_db(path, lambda db: auth.judge_links(db, "http://t"))
    return {link.name: link for link in links}


def bearer(link: auth.JudgeLink) -> dict[str, str]:
    return {"Authorization": f"Bearer {link.token}"}


def save(client: TestClient, link: auth.JudgeLink, code: str) -> None:
    answer = client.put(f"/api/judge/sheets/{code}", json={"scores": SCORES}, headers=bearer(link))
    assert answer.status_code == 200, answer.text


def picks(path: Path) -> list[tuple[str, dict]]:
    rows = with_db(path, store.list_audit)
    return [(row.actor, row.detail) for row in rows if row.action == "assign_next"]


def table_number(code: str) -> int:
    return int(code[1:])  # E5 stands at table A5


def test_a_judge_walks_the_start_of_their_list_then_is_sent_to_the_nearest_needy_entry(
    empty_path: Path,
) -> None:
    links = hall(empty_path, start_visits=1)
    ada = links["Ada"]
    with TestClient(app=create_app(Settings(db=empty_path))) as client:
        own_list = [
            e["code"] for e in client.get("/api/judge/queue", headers=bearer(ada)).json()["entries"]
        ]
        first = client.post("/api/judge/next", headers=bearer(ada))
        assert first.status_code == 200
        assert first.json() == {
            "code": own_list[0],
            "title": f"Project {own_list[0][1:]}",
            "team": f"Team {own_list[0][1:]}",
            "table": f"A{own_list[0][1:]}",
            "chosen": False,
        }
        assert picks(empty_path) == []  # the list's own entry: nothing chosen
        save(client, ada, own_list[0])

        chosen = client.post("/api/judge/next", headers=bearer(ada)).json()
        assert chosen["chosen"] is True
        # Every other entry still lacks sheets: the nearest table wins, never E2 (Ada's own
        # university) nor the entry she has scored.
        eligible = [f"E{n}" for n in range(1, 9) if f"E{n}" not in ("E2", own_list[0])]
        here = table_number(own_list[0])
        nearest = min(abs(table_number(code) - here) for code in eligible)
        assert chosen["code"] in eligible
        assert abs(table_number(chosen["code"]) - here) == nearest

        again = client.post("/api/judge/next", headers=bearer(ada)).json()
        assert again == chosen  # until she scores it, the same entry: nothing chosen twice
        assert picks(empty_path) == [(f"judge:{ada.judge}", {"entry": chosen["code"]})]
        queue = client.get("/api/judge/queue", headers=bearer(ada)).json()["entries"]
        assert {e["code"]: e["status"] for e in queue}[chosen["code"]] == "todo"

        save(client, ada, chosen["code"])
        following = client.post("/api/judge/next", headers=bearer(ada)).json()
        assert following["chosen"] is True
        assert following["code"] not in ("E2", own_list[0], chosen["code"])


def test_conflicts_withdrawn_and_scored_entries_are_never_chosen(empty_path: Path) -> None:
    links = hall(empty_path, start_visits=0, per_entry=1)
    ada = links["Ada"]
    own = with_db(empty_path, lambda db: store.list_queue(db, ada.judge))

    async def narrow(db) -> None:  # type: ignore[no-untyped-def]
        # Ada has E1 and E3 on her list; she recuses from E3; E4 and E6 to E8 are withdrawn.
        for item in own:
            await organizing.set_visit(db, ada.judge, item.code, False, "test")
        for code in ("E1", "E3"):
            await organizing.set_visit(db, ada.judge, code, True, "test")
        await judging.recuse(db, ada.judge, "E3", "my cousin")
        for code in ("E4", "E6", "E7", "E8"):
            await organizing.edit_entry(db, code, EntryPatch(withdrawn=True), "test")

    with_db(empty_path, narrow)
    with TestClient(app=create_app(Settings(db=empty_path))) as client:
        save(client, ada, "E1")
        # E2 is her university's, E3 a conflict she declared, E1 scored: E5 is all that is left.
        chosen = client.post("/api/judge/next", headers=bearer(ada))
        assert chosen.json()["code"] == "E5" and chosen.json()["chosen"] is True
        save(client, ada, "E5")
        done = client.post("/api/judge/next", headers=bearer(ada))
        assert done.status_code == 404
        assert done.json()["detail"] == "nothing is left for you to score"


def test_a_visit_under_way_sends_the_next_judge_elsewhere(empty_path: Path) -> None:
    links = hall(empty_path, start_visits=0)
    with TestClient(app=create_app(Settings(db=empty_path))) as client:
        sent = [
            client.post("/api/judge/next", headers=bearer(links[name])).json()["code"]
            for name in ("Bo", "Cy", "Di")
        ]
    assert len(set(sent)) == 3  # no two judges sent to the same entry at once


def test_with_judging_closed_or_adaptive_off_the_judge_keeps_to_their_list(
    empty_path: Path,
) -> None:
    links = hall(empty_path, start_visits=0)
    bo = links["Bo"]
    own_list = [
        item.code for item in with_db(empty_path, lambda db: store.list_queue(db, bo.judge))
    ]
    with TestClient(app=create_app(Settings(db=empty_path))) as client:
        with_db(empty_path, lambda db: organizing.set_judging(db, False, "test"))
        closed = client.post("/api/judge/next", headers=bearer(bo)).json()
        assert (closed["code"], closed["chosen"]) == (own_list[0], False)
        with_db(empty_path, lambda db: organizing.set_judging(db, True, "test"))
        with_db(empty_path, lambda db: organizing.set_adaptive(db, False, 0, "test"))
        fixed = client.post("/api/judge/next", headers=bearer(bo)).json()
        assert (fixed["code"], fixed["chosen"]) == (own_list[0], False)
    assert picks(empty_path) == []


def next_card(page: str) -> dict[str, str] | None:
    card = BeautifulSoup(page, "html.parser").select_one("#next-card")
    if card is None:
        return None
    link = card.select_one("[data-next-link]")
    return {
        "table": card.select_one("[data-next-table]").get_text(strip=True),
        "entry": card.select_one("[data-next-entry] strong").get_text(strip=True),
        "href": link["href"],
    }


def test_the_tablet_shows_the_chosen_entrys_table_in_large_type(empty_path: Path) -> None:
    links = hall(empty_path, start_visits=0)
    cy = links["Cy"]
    with TestClient(app=create_app(Settings(db=empty_path))) as client:
        client.get(f"/j/{cy.token}")
        card = next_card(client.get("/judge").text)
        chosen = [detail["entry"] for actor, detail in picks(empty_path)]
        assert len(chosen) == 1
        code = chosen[0]
        assert card == {
            "table": f"A{code[1:]}",
            "entry": f"Project {code[1:]}",
            "href": f"/judge/entries/{code}",
        }
        assert next_card(client.get("/judge").text) == card  # a reload chooses nothing new
        assert len(picks(empty_path)) == 1

        form = client.get(f"/judge/entries/{code}").text
        csrf = re.search(r'name="_csrf_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
        saved = client.post(
            f"/judge/entries/{code}",
            data={**{k: str(v) for k, v in SCORES.items()}, "comment": "", "_csrf_token": csrf},
            follow_redirects=False,
        )
        assert (saved.status_code, saved.headers["location"]) == (303, f"/judge?saved={code}")
        after = next_card(client.get(saved.headers["location"]).text)
        assert after is not None and after["href"] != f"/judge/entries/{code}"

        with_db(empty_path, lambda db: organizing.set_adaptive(db, False, 3, "test"))
        assert next_card(client.get("/judge").text) is None  # fixed lists: no card


def test_the_organizer_turns_adaptive_judging_on_and_a_bad_start_changes_nothing(
    empty_path: Path,
) -> None:
    token = with_db(empty_path, lambda db: organizing.issue_admin_token(db, "test"))
    admin = {"Authorization": f"Bearer {token}"}
    with TestClient(app=create_app(Settings(db=empty_path))) as client:
        bad = client.post(
            "/api/admin/adaptive", json={"adaptive": True, "start_visits": -1}, headers=admin
        )
        assert bad.status_code == 400
        assert "start_visits" in bad.json()["detail"]
        event = with_db(empty_path, store.get_event)
        assert (event.adaptive, event.start_visits) == (False, 3)
        good = client.post(
            "/api/admin/adaptive", json={"adaptive": True, "start_visits": 2}, headers=admin
        )
        assert good.status_code == 200
        assert (good.json()["adaptive"], good.json()["start_visits"]) == (True, 2)
    rows = [row for row in with_db(empty_path, store.list_audit) if row.action == "set_adaptive"]
    assert [row.detail for row in rows] == [{"adaptive": True, "start_visits": 2}]


def test_assign_on_the_command_line_turns_adaptive_judging_on(empty_path: Path) -> None:
    with_db(empty_path, lambda db: organizing.import_entries(db, ENTRIES.encode(), "test"))
    with_db(empty_path, lambda db: organizing.import_judges(db, JUDGES, "test"))
    command = [SHOWCASE, "assign", str(empty_path), "--per-entry", "2"]
    done = subprocess.run([*command, "--adaptive", "2"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == (
        "adaptive judging: each judge walks the first 2 entries of their list, then is sent "
        "where the prizes are still in doubt (their list is the fallback offline)"
    )
    event = with_db(empty_path, store.get_event)
    assert (event.adaptive, event.start_visits) == (True, 2)
    before = with_db(empty_path, store.list_assignments)
    command[-1] = "3"  # three judges an entry, and a bad start: refused whole, nothing added
    refused = subprocess.run(
        [*command, "--adaptive", "-1"], capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 1
    assert refused.stderr.strip().endswith(
        "the visits before adaptive judging starts cannot be negative"
    )
    assert with_db(empty_path, store.get_event).start_visits == 2
    assert with_db(empty_path, store.list_assignments) == before


def test_the_console_form_sets_the_judging_mode(empty_path: Path) -> None:
    with TestClient(app=create_app(Settings(db=empty_path))) as client:
        csrf = log_in(client, empty_path)
        mode = {"judging_mode": "1", "adaptive": "on", "_csrf_token": csrf}
        refused = client.post("/admin/event", data={**mode, "start_visits": "two"})
        assert refused.status_code == 400
        alert = BeautifulSoup(refused.text, "html.parser").select_one('[role="alert"]')
        assert "visits of each judge's list first: give a whole number" in alert.get_text()
        assert with_db(empty_path, store.get_event).adaptive is False
        done = client.post(
            "/admin/event", data={**mode, "start_visits": "4"}, follow_redirects=False
        )
        assert done.status_code == 303
        event = with_db(empty_path, store.get_event)
        assert (event.adaptive, event.start_visits) == (True, 4)
        console = BeautifulSoup(client.get("/admin").text, "html.parser")
        assert console.select_one('.adaptive-form input[name="adaptive"]').has_attr("checked")
        assert console.select_one('.adaptive-form input[name="start_visits"]')["value"] == "4"


def test_the_planner_estimates_from_the_simulation(empty_path: Path) -> None:
    from scoring import get
    from scoring.simulation import estimate
    from showcase.planning import SIMULATED_EVENTS

    question = {"entries": "6", "judges": "3", "minutes": "10", "hours": "1"}
    with TestClient(app=create_app(Settings(db=empty_path))) as client:
        log_in(client, empty_path)
        blank = BeautifulSoup(client.get("/admin/plan").text, "html.parser")
        assert blank.select_one("#plan-result") is None
        assert blank.select_one('input[name="minutes"]')["value"] == "6"

        wrong = client.get("/admin/plan", params={**question, "entries": "2"})
        assert wrong.status_code == 400
        alert = BeautifulSoup(wrong.text, "html.parser").select_one('[role="alert"]')
        assert alert.get_text(strip=True) == "entries: give a number from 4 to 1000"
        huge = client.get(
            "/admin/plan", params={**question, "entries": "500", "judges": "400", "hours": "8"}
        )
        assert huge.status_code == 400
        alert = BeautifulSoup(huge.text, "html.parser").select_one('[role="alert"]')
        assert alert.get_text(strip=True) == (
            "the planner simulates events of up to 3000 sheets: ask about fewer judges"
        )

        deadline = time.monotonic() + 120
        while True:  # the page refreshes itself until every simulated event is in
            page = client.get("/admin/plan", params=question)
            assert page.status_code == 200
            soup = BeautifulSoup(page.text, "html.parser")
            if soup.select_one('meta[http-equiv="refresh"]') is None:
                break
            assert time.monotonic() < deadline, "the estimate never finished"
            time.sleep(0.5)
    found = estimate(get("mean"), 6, 3, 6, events=SIMULATED_EVENTS)
    assert found.sheets == 18
    shown = {
        tr["data-design"]: tr.select("td")[1].get_text(strip=True)
        for tr in soup.select("table.plan tbody tr")
    }
    assert shown == {
        "fixed": f"{100 * found.fixed:.0f}%",
        "adaptive": f"{100 * found.adaptive:.0f}%",
    }
    result = soup.select_one("#plan-result").parent.get_text()
    assert f"From {SIMULATED_EVENTS} simulated events" in result
    assert "18 sheets in all: 3.0 an entry on average." in result
