"""Hidden, frozen and final as the audience sees them: nothing leaks or moves while hidden, a
freeze keeps its whole board, and the final results are fixed once and read by every step."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from showcase import auth, cache, organizing, store
from showcase.app import create_app
from showcase.settings import Settings
from tests.conftest import with_db

SCORES = {"impact": 5, "technology": 5, "design": 5, "feasibility": 5, "presentation": 5}
LATE_TRACK = (
    "code,title,team,track,table\n"
    "R1,Late Robot,Team Late,Robotics,Z9\n"
    "R2,Later Robot,Team Later,Robotics,Z10\n"
)


class Organizer:
    def __init__(self, client: TestClient, path: Path) -> None:
        self.client = client
        self.path = path
        token = with_db(path, lambda db: organizing.issue_admin_token(db, "test"))
        self.headers = {"Authorization": f"Bearer {token}"}
        link = with_db(path, lambda db: auth.judge_links(db, "http://t"))[0]
        self.judge = {"Authorization": f"Bearer {link.token}"}
        queue = with_db(path, lambda db: store.list_queue(db, link.judge))
        self.todo = [item.code for item in queue if item.status == "todo"]

    def post(self, path: str, body: object):  # type: ignore[no-untyped-def]
        return self.client.post(path, json=body, headers=self.headers)

    def board(self, visibility: str) -> int:
        return self.post("/api/admin/board", {"visibility": visibility}).status_code

    def judging(self, is_open: bool) -> int:
        return self.post("/api/admin/judging", {"open": is_open}).status_code

    def save(self, code: str) -> None:
        answer = self.client.put(
            f"/api/judge/sheets/{code}", json={"scores": SCORES}, headers=self.judge
        )
        assert answer.status_code == 200, answer.text

    def public(self, track: str | None = None) -> dict:
        return self.client.get("/api/leaderboard", params={"track": track} if track else {}).json()


@pytest.fixture
def organizer(demo_path: Path) -> Iterator[Organizer]:
    with TestClient(app=create_app(Settings(db=demo_path))) as client:
        yield Organizer(client, demo_path)


def test_final_only_with_judging_closed_and_judging_stays_closed_while_final(
    organizer: Organizer,
) -> None:
    refused = organizer.post("/api/admin/board", {"visibility": "final"})
    assert refused.status_code == 409 and "close judging" in refused.json()["detail"]
    assert organizer.public()["visibility"] == "live"
    assert organizer.judging(False) == 200
    assert organizer.board("final") == 200
    reopen = organizer.post("/api/admin/judging", {"open": True})
    assert reopen.status_code == 409 and "final" in reopen.json()["detail"]
    assert with_db(organizer.path, store.get_event).judging_open is False
    assert organizer.board("hidden") == 200  # leaving final unlocks them again
    assert organizer.judging(True) == 200


def test_the_final_results_are_fixed_when_the_board_turns_final(
    organizer: Organizer, demo_path: Path
) -> None:
    organizer.judging(False)
    live = organizer.public()
    assert organizer.board("final") == 200
    ranked = [r["code"] for r in live["standings"] if r["rank"] is not None]
    organizer.post("/api/admin/reveal", {"step": 3})
    shown = organizer.public()["standings"]
    assert [r["code"] for r in shown] == ranked[-3:]
    # The organizers change the method mid-reveal: the live ranking moves, the results do not.
    assert organizer.post("/api/admin/method", {"method": "median"}).status_code == 200
    organizer.post("/api/admin/reveal", {"step": len(ranked)})
    final = organizer.public()["standings"]
    assert [(r["code"], r["rank"], r["score"]) for r in final] == [
        (r["code"], r["rank"], r["score"]) for r in live["standings"] if r["rank"] is not None
    ]
    # ... and they survive a restart of the server
    with TestClient(app=create_app(Settings(db=demo_path))) as again:
        after = again.get("/api/leaderboard").json()["standings"]
    assert [(r["code"], r["score"]) for r in after] == [(r["code"], r["score"]) for r in final]


def test_a_frozen_board_keeps_its_rank_ranges_and_new_things_show_no_score(
    organizer: Organizer,
) -> None:
    assert organizer.board("frozen") == 200
    frozen = organizer.public()
    ranked = [r for r in frozen["standings"] if r["rank"] is not None]
    assert ranked and all(r["rank_range"][0] <= r["rank"] <= r["rank_range"][1] for r in ranked)
    added = organizer.client.post(
        "/api/admin/entries/import", content=LATE_TRACK.encode(), headers=organizer.headers
    )
    assert added.status_code == 200
    late = organizer.public("robotics")
    assert late["visibility"] == "frozen" and late["track"] == "robotics"
    assert {r["code"]: (r["rank"], r["score"]) for r in late["standings"]} == {
        "R1": (None, None),
        "R2": (None, None),
    }
    overall = organizer.public()
    assert overall["standings"][: len(frozen["standings"])] == frozen["standings"]
    assert [(r["code"], r["score"]) for r in overall["standings"][len(frozen["standings"]) :]] == [
        ("R1", None),
        ("R2", None),
    ]


def test_nothing_about_a_hidden_or_frozen_board_moves_while_sheets_come_in(
    organizer: Organizer,
) -> None:
    for visibility in ("hidden", "frozen"):
        assert organizer.board(visibility) == 200
        before = organizer.public()
        organizer.save(organizer.todo.pop())
        after = organizer.public()
        assert after == before, visibility
        assert before["visibility"] == visibility


def test_the_kept_boards_are_decoded_once_per_change(
    organizer: Organizer, monkeypatch: pytest.MonkeyPatch
) -> None:
    decoded = []
    real = cache.decode_kept
    monkeypatch.setattr(cache, "decode_kept", lambda raw: decoded.append(1) or real(raw))
    organizer.board("frozen")
    for _ in range(5):
        organizer.public()
        organizer.public("climate-action")
    assert len(decoded) == 1
    organizer.judging(False)
    organizer.board("final")
    for step in range(3):
        organizer.post("/api/admin/reveal", {"step": step})
        organizer.public()
    assert len(decoded) == 2
