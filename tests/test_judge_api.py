"""The judges' sheet API: every status code of the contract, idempotent replays, versions."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from showcase import auth, organizing, store
from showcase import judging as judge_work
from showcase.app import create_app
from showcase.settings import Settings
from tests.conftest import with_db

SCORES = {"impact": 4, "technology": 3, "design": 5, "feasibility": 2, "presentation": 4}


class Judging:
    """A demo event seen by one judge: their token, an entry to score and one they may not."""

    def __init__(self, client: TestClient, path: Path) -> None:
        self.client = client
        self.path = path
        links = with_db(path, lambda db: auth.judge_links(db, "http://t"))
        self.link = links[1]
        self.judge_id = self.link.judge
        queue = with_db(path, lambda db: store.list_queue(db, self.judge_id))
        sheets = {
            s.entry for s in with_db(path, store.list_current_sheets) if s.judge_id == self.judge_id
        }
        self.todo = next(item.code for item in queue if item.code not in sheets)
        assigned = {item.code for item in queue}
        entries = with_db(path, store.list_entries)
        self.not_mine = next(e.code for e in entries if e.code not in assigned)
        self.headers = {"Authorization": f"Bearer {self.link.token}"}

    def put(self, code: str, body: object, **headers: str):  # type: ignore[no-untyped-def]
        return self.client.put(
            f"/api/judge/sheets/{code}", json=body, headers={**self.headers, **headers}
        )


@pytest.fixture
def judging(demo_path: Path) -> Iterator[Judging]:
    with TestClient(app=create_app(Settings(db=demo_path))) as client:
        yield Judging(client, demo_path)


def test_queue_lists_the_judges_entries_in_walking_order(judging: Judging) -> None:
    queue = judging.client.get("/api/judge/queue", headers=judging.headers).json()
    assert queue["judge"] == {"id": judging.judge_id, "name": judging.link.name}
    assert set(queue["entries"][0]) == {"code", "title", "status", "version"}
    assert {e["status"] for e in queue["entries"]} <= {"todo", "done", "recused"}
    entries = {e.code: e for e in with_db(judging.path, store.list_entries)}
    tables = [int(entries[e["code"]].table) for e in queue["entries"]]
    assert tables == sorted(tables)
    done = [e for e in queue["entries"] if e["status"] == "done"]
    assert all(isinstance(e["version"], int) for e in done)


def test_a_first_sheet_then_an_edit(judging: Judging) -> None:
    first = judging.put(judging.todo, {"scores": SCORES, "comment": "Great demo", "version": None})
    assert first.status_code == 200, first.text
    body = first.json()
    assert set(body) == {"code", "scores", "comment", "version", "updated_at"}
    assert body["version"] == 1 and body["scores"] == SCORES and body["comment"] == "Great demo"
    edited = judging.put(
        judging.todo, {"scores": {**SCORES, "impact": 5}, "comment": "", "version": 1}
    )
    assert edited.status_code == 200 and edited.json()["version"] == 2
    mine = judging.client.get(f"/api/judge/sheets/{judging.todo}", headers=judging.headers).json()
    assert mine["version"] == 2 and mine["scores"]["impact"] == 5
    versions = with_db(
        judging.path, lambda db: store.list_sheet_versions(db, judging.judge_id, judging.todo)
    )
    assert [v.version for v in versions] == [1, 2] and versions[0].comment == "Great demo"
    queue = judging.client.get("/api/judge/queue", headers=judging.headers).json()["entries"]
    assert next(e for e in queue if e["code"] == judging.todo) == {
        "code": judging.todo,
        "title": queue[[e["code"] for e in queue].index(judging.todo)]["title"],
        "status": "done",
        "version": 2,
    }


def test_an_unconditional_write_and_an_unchanged_save(judging: Judging) -> None:
    assert judging.put(judging.todo, {"scores": SCORES}).json()["version"] == 1
    assert judging.put(judging.todo, {"scores": {**SCORES, "design": 1}}).json()["version"] == 2
    same = judging.put(judging.todo, {"scores": {**SCORES, "design": 1}})
    assert same.status_code == 200 and same.json()["version"] == 2


def test_the_same_idempotency_key_replays_and_stores_nothing(judging: Judging) -> None:
    key = {"Idempotency-Key": "c0ffee-1"}
    first = judging.put(judging.todo, {"scores": SCORES, "version": None}, **key)
    again = judging.put(judging.todo, {"scores": SCORES, "version": None}, **key)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    versions = with_db(
        judging.path, lambda db: store.list_sheet_versions(db, judging.judge_id, judging.todo)
    )
    assert len(versions) == 1
    fresh = judging.put(
        judging.todo, {"scores": SCORES, "version": None}, **{"Idempotency-Key": "c0ffee-2"}
    )
    assert fresh.status_code == 409


def test_409_when_another_tablet_saved_first(judging: Judging) -> None:
    judging.put(judging.todo, {"scores": SCORES, "version": None})
    stale = judging.put(judging.todo, {"scores": {**SCORES, "impact": 1}, "version": None})
    assert stale.status_code == 409
    assert stale.json()["extra"]["version"] == 1 and stale.json()["extra"]["scores"] == SCORES
    judging.put(judging.todo, {"scores": {**SCORES, "impact": 2}, "version": 1})
    behind = judging.put(judging.todo, {"scores": {**SCORES, "impact": 3}, "version": 1})
    assert behind.status_code == 409 and behind.json()["extra"]["version"] == 2
    ahead = judging.put(judging.todo, {"scores": SCORES, "version": 7})
    assert ahead.status_code == 409


@pytest.mark.parametrize(
    ("scores", "named"),
    [
        ({k: v for k, v in SCORES.items() if k != "design"}, "design"),
        ({**SCORES, "charisma": 3}, "charisma"),
        ({**SCORES, "impact": 6}, "impact"),
        ({**SCORES, "technology": 0}, "technology"),
        ({**SCORES, "feasibility": 2.5}, "feasibility"),
    ],
)
def test_400_names_the_criterion(judging: Judging, scores: dict, named: str) -> None:
    answer = judging.put(judging.todo, {"scores": scores, "version": None})
    assert answer.status_code == 400
    assert named in answer.json()["detail"]
    assert (
        with_db(judging.path, lambda db: store.get_sheet(db, judging.judge_id, judging.todo))
        is None
    )


def test_400_for_a_number_sent_as_text_and_for_junk(judging: Judging) -> None:
    as_text = judging.put(judging.todo, {"scores": {**SCORES, "impact": "4"}})
    assert as_text.status_code == 400 and "impact" in as_text.json()["detail"]
    junk = judging.client.put(
        f"/api/judge/sheets/{judging.todo}", content=b"{not json", headers=judging.headers
    )
    assert junk.status_code == 400
    extra_field = judging.put(judging.todo, {"scores": SCORES, "mood": "happy"})
    assert extra_field.status_code == 400 and "mood" in extra_field.json()["detail"]
    too_long = judging.put(judging.todo, {"scores": SCORES, "comment": "x" * 4001})
    assert too_long.status_code == 400 and "comment" in too_long.json()["detail"]


def test_401_without_a_valid_token(judging: Judging) -> None:
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic abc"}):
        answer = judging.client.put(
            f"/api/judge/sheets/{judging.todo}", json={"scores": SCORES}, headers=headers
        )
        assert answer.status_code == 401 and answer.json()["status_code"] == 401
    bad = judging.client.put(
        f"/api/judge/sheets/{judging.todo}",
        json={"scores": SCORES},
        headers={"Authorization": "Bearer nope"},
    )
    assert bad.status_code == 401 and bad.json()["status_code"] == 401
    assert judging.client.get("/api/judge/queue").status_code == 401


def test_a_rotated_token_stops_working(judging: Judging) -> None:
    with_db(
        judging.path,
        lambda db: organizing.rotate_judge_link(db, judging.link.name, "t"),
    )
    assert judging.client.get("/api/judge/queue", headers=judging.headers).status_code == 401


def test_403_for_an_entry_not_assigned_or_recused(judging: Judging) -> None:
    assert judging.put(judging.not_mine, {"scores": SCORES}).status_code == 403
    with_db(
        judging.path,
        lambda db: judge_work.recuse(db, judging.judge_id, judging.todo, "my cousin"),
    )
    recused = judging.put(judging.todo, {"scores": SCORES})
    assert recused.status_code == 403 and "recused" in recused.json()["detail"]
    queue = judging.client.get("/api/judge/queue", headers=judging.headers).json()["entries"]
    assert next(e for e in queue if e["code"] == judging.todo)["status"] == "recused"


def test_404_for_an_unknown_entry(judging: Judging) -> None:
    assert judging.put("NOPE", {"scores": SCORES}).status_code == 404
    assert judging.client.get("/api/judge/sheets/NOPE", headers=judging.headers).status_code == 404
    assert (
        judging.client.get(f"/api/judge/sheets/{judging.todo}", headers=judging.headers).status_code
        == 404
    )


def test_423_when_judging_is_closed(judging: Judging) -> None:
    with_db(judging.path, lambda db: organizing.set_judging(db, False, "t"))
    closed = judging.put(judging.todo, {"scores": SCORES})
    assert closed.status_code == 423 and "closed" in closed.json()["detail"]


def test_a_judge_never_sees_another_judges_sheet(judging: Judging) -> None:
    links = with_db(judging.path, lambda db: auth.judge_links(db, "http://t"))
    other = next(
        link
        for link in links
        if link.judge != judging.judge_id
        and with_db(
            judging.path, lambda db, judge=link.judge: store.get_sheet(db, judge, judging.todo)
        )
        is None
    )
    judging.put(judging.todo, {"scores": SCORES})
    theirs = judging.client.get(
        f"/api/judge/sheets/{judging.todo}", headers={"Authorization": f"Bearer {other.token}"}
    )
    assert theirs.status_code == 404


def test_a_save_moves_the_board(judging: Judging) -> None:
    before = judging.client.get("/api/leaderboard").json()
    judging.put(judging.todo, {"scores": {k: 5 for k in SCORES}})
    after = judging.client.get("/api/leaderboard").json()
    assert after["version"] > before["version"]
    row = next(r for r in after["standings"] if r["code"] == judging.todo)
    old = next(r for r in before["standings"] if r["code"] == judging.todo)
    assert row["judges"] == old["judges"] + 1


def recuse(judging: Judging, code: str, reason: str = "my cousin"):  # type: ignore[no-untyped-def]
    return judging.client.put(
        f"/api/judge/recusals/{code}", json={"reason": reason}, headers=judging.headers
    )


def test_a_recusal_through_the_api_stops_the_sheet_counting(judging: Judging) -> None:
    judging.put(judging.todo, {"scores": {k: 5 for k in SCORES}})
    before = next(
        r
        for r in judging.client.get("/api/leaderboard").json()["standings"]
        if r["code"] == judging.todo
    )
    answer = recuse(judging, judging.todo)
    assert answer.status_code == 200
    assert answer.json() == {"code": judging.todo, "status": "recused", "reason": "my cousin"}
    after = next(
        r
        for r in judging.client.get("/api/leaderboard").json()["standings"]
        if r["code"] == judging.todo
    )
    assert after["judges"] == before["judges"] - 1
    again = recuse(judging, judging.todo, "my cousin, and her team")
    assert again.status_code == 200 and again.json()["reason"] == "my cousin, and her team"


def test_a_recusal_goes_through_the_same_guard_as_a_sheet(judging: Judging) -> None:
    board = judging.client.get("/api/leaderboard").json()
    not_mine = recuse(judging, judging.not_mine)
    assert not_mine.status_code == 403 and "not assigned" in not_mine.json()["detail"]
    assert recuse(judging, "NOPE").status_code == 404
    with_db(judging.path, lambda db: organizing.set_judging(db, False, "t"))
    closed = recuse(judging, judging.todo)
    assert closed.status_code == 423 and "closed" in closed.json()["detail"]
    assert judging.client.get("/api/leaderboard").json()["version"] == board["version"]
    conflicts = with_db(judging.path, store.list_declared_conflicts)
    assert conflicts == []


def test_the_recusal_form_is_refused_after_judging_closes(judging: Judging) -> None:
    judging.client.get(f"/j/{judging.link.token}")
    page = judging.client.get(f"/judge/entries/{judging.todo}").text
    csrf = page.split('name="_csrf_token" value="', 1)[1].split('"', 1)[0]
    with_db(judging.path, lambda db: organizing.set_judging(db, False, "t"))
    refused = judging.client.post(
        f"/judge/entries/{judging.todo}/recuse", data={"reason": "late", "_csrf_token": csrf}
    )
    assert refused.status_code == 423
    assert with_db(judging.path, store.list_declared_conflicts) == []
