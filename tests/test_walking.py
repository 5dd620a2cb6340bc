"""Walking the hall: one natural order of tables everywhere, and recusals counted right by the
assignment, the judge's queue and the console."""

import re
from pathlib import Path

from bs4 import BeautifulSoup
from litestar.testing import TestClient

from showcase import auth, judging, organizing, store
from showcase.app import create_app
from showcase.organizing import assign_judges, import_entries, import_judges
from showcase.settings import Settings
from showcase.text import natural_key
from tests.conftest import with_db

# Tables as a hall labels them, listed out of order.
HALL = (
    "code,title,team,track,table\n"
    "E1,Ten,T1,Health,A10\n"
    "E2,Two,T2,Health,A2\n"
    "E3,Bee,T3,Health,B1\n"
    "E4,Nine,T4,Health,9\n"
    "E5,Eleven,T5,Health,11\n"
    "E6,Nowhere,T6,Health,\n"
)
WALK = ["E4", "E5", "E2", "E1", "E3", "E6"]  # 9, 11, A2, A10, B1, then no table
SCORES = {"impact": 4, "technology": 3, "design": 5, "feasibility": 2, "presentation": 4}


def test_labels_sort_as_people_read_them() -> None:
    assert sorted(["B1", "A10", "A2", "a3", "A02", "10", "9"], key=natural_key) == [
        "9",
        "10",
        "A2",
        "A02",
        "a3",
        "A10",
        "B1",
    ]


def hall(path: Path) -> None:
    async def make(db) -> None:  # type: ignore[no-untyped-def]
        await import_entries(db, HALL.encode(), "test")
        await import_judges(db, b"name\nAda\nBo\nCy\nDi\n", "test")
        await assign_judges(db, 3, "test")
        await organizing.set_judging(db, True, "test")

    with_db(path, make)


def organizer(client: TestClient, path: Path) -> None:
    password = with_db(path, lambda db: organizing.add_organizer(db, "ada", "test"))
    page = client.get("/admin").text
    csrf = re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    client.post("/admin/login", data={"name": "ada", "password": password, "_csrf_token": csrf})


def test_the_gallery_the_queue_and_the_console_walk_the_same_order(empty_path: Path) -> None:
    hall(empty_path)
    with TestClient(app=create_app(Settings(db=empty_path))) as client:
        gallery = BeautifulSoup(client.get("/").text, "html.parser")
        titles = [h.get_text() for h in gallery.select(".gallery .card h2")]
        assert titles == ["Nine", "Eleven", "Two", "Ten", "Bee", "Nowhere"]
        link = with_db(empty_path, lambda db: auth.judge_links(db, "http://t"))[0]
        queue = client.get("/api/judge/queue", headers={"Authorization": f"Bearer {link.token}"})
        codes = [e["code"] for e in queue.json()["entries"]]
        assert codes == [code for code in WALK if code in codes] and len(codes) >= 3
        organizer(client, empty_path)
        console = BeautifulSoup(client.get("/admin").text, "html.parser")
        short = [tr["data-code"] for tr in console.select("table.short tbody tr")]
        assert short == WALK  # nothing scored yet: every entry is short, in walking order


def test_a_recusal_leaves_an_entry_short_and_assign_tops_it_up(empty_path: Path) -> None:
    hall(empty_path)
    judges = with_db(empty_path, store.list_judges)
    assignments = with_db(empty_path, store.list_assignments)
    judge = next(j for j in judges if "E1" in assignments.get(j.id, []))
    with_db(empty_path, lambda db: judging.recuse(db, judge.id, "E1", "my cousin"))
    plan = with_db(empty_path, lambda db: assign_judges(db, 3, "test"))
    assert [code for _, code in plan.pairs] == ["E1"] and plan.short == []
    after = with_db(empty_path, store.list_assignments)
    may_score = [j.id for j in judges if "E1" in after.get(j.id, []) and j.id != judge.id]
    assert len(may_score) == 3


def test_the_queue_and_the_console_count_a_recusal_apart(empty_path: Path) -> None:
    hall(empty_path)
    link = with_db(empty_path, lambda db: auth.judge_links(db, "http://t"))[0]
    with TestClient(app=create_app(Settings(db=empty_path))) as client:
        client.get(f"/j/{link.token}")
        mine = [e["code"] for e in client.get("/api/judge/queue").json()["entries"]]
        assert len(mine) >= 3
        headers = {"X-CSRFToken": client.cookies.get("csrftoken")}
        for code in mine[:2]:
            saved = client.put(
                f"/api/judge/sheets/{code}", json={"scores": SCORES}, headers=headers
            )
            assert saved.status_code == 200
        recused = client.put(
            f"/api/judge/recusals/{mine[2]}", json={"reason": "my team"}, headers=headers
        )
        assert recused.status_code == 200
        page = BeautifulSoup(client.get("/judge").text, "html.parser")
        progress = " ".join(page.select_one(".progress").get_text().split())
        assert progress == f"2 of {len(mine) - 1} scored, 1 recused"
        client.cookies.clear()
        organizer(client, empty_path)
        console = BeautifulSoup(client.get("/admin").text, "html.parser")
        heading = console.select_one("#short-entries").get_text()
        assert heading == "Entries short of 3 valid sheets"
        rows = {
            tr["data-code"]: [td.get_text() for td in tr.select("td")]
            for tr in console.select("table.short tbody tr")
        }
        assert rows[mine[2]][2:] == ["0", "2"]  # no valid sheet; two judges may still score it
        assert rows[mine[0]][2:] == ["1", "3"]
