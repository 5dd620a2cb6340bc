"""The final reveal: bottom up, pausing at each award place, never showing a winner early."""

from pathlib import Path

from litestar.testing import TestClient

from showcase import organizing
from showcase.models import Board, BoardRow
from showcase.reveal import Reveal, award_places, next_step
from tests.conftest import with_db


def board(track: str | None, rows: list[tuple[str, int | None, str]]) -> Board:
    return Board(
        event="Showcase",
        visibility="final",
        method="mean",
        track=track,
        version=1,
        updated_at="2026-12-01T10:00:00.000Z",
        standings=[
            BoardRow(rank=rank, code=code, title=code, team="", track=t, score=None, judges=1)
            for code, rank, t in rows
        ],
    )


# Overall: A B C D E F G H (best first). Track x holds A, D, F, H; track y holds B, C, E, G,
# and its own ranking puts E first.
OVERALL = board(
    None,
    [(c, n, t) for n, (c, t) in enumerate(zip("ABCDEFGH", "xyyxyxyx", strict=True), start=1)],
)
X = board("x", [("A", 1, "x"), ("D", 2, "x"), ("F", 3, "x"), ("H", 4, "x")])
Y = board("y", [("E", 1, "y"), ("B", 2, "y"), ("C", 3, "y"), ("G", 4, "y")])
ORDER = list("HGFEDCBA")


def test_award_places_are_the_overall_podium_and_each_track_winner() -> None:
    # A wins track x and is first overall: the overall place shows.
    assert award_places(OVERALL, [X, Y]) == {
        "A": "first",
        "B": "second",
        "C": "third",
        "E": "track",
    }


def test_the_plan_lists_each_pause_with_the_step_that_shows_it() -> None:
    plan = [(p.step, p.code, p.award) for p in Reveal.of({"": OVERALL, "x": X, "y": Y}).plan]
    assert plan == [(4, "E", "track"), (6, "C", "third"), (7, "B", "second"), (8, "A", "first")]


def test_advancing_to_the_next_award_reveals_the_rows_below_it_then_the_award_alone() -> None:
    awards = award_places(OVERALL, [X, Y])
    steps = [0]
    while steps[-1] < len(ORDER):
        steps.append(next_step(ORDER, awards, steps[-1], "award"))
    # H G F at once; then E (track y's winner) alone; D at once; then C, B, A one by one.
    assert steps == [0, 3, 4, 5, 6, 7, 8]
    assert next_step(ORDER, awards, 0, "row") == 1
    assert next_step(ORDER, awards, 8, "award") == 8


def admin(client: TestClient, demo_path: Path) -> dict[str, str]:
    token = with_db(demo_path, lambda db: organizing.issue_admin_token(db, "test"))
    return {"Authorization": f"Bearer {token}"}


def test_a_track_board_shows_only_what_the_overall_reveal_has_shown(
    client: TestClient, demo_path: Path
) -> None:
    headers = admin(client, demo_path)
    tracks = {entry["track"] for entry in client.get("/api/entries").json()}
    live = {t: client.get("/api/leaderboard", params={"track": t}).json() for t in tracks}
    overall = client.get("/api/leaderboard").json()
    ranked = [r["code"] for r in overall["standings"] if r["rank"] is not None]
    assert client.post("/api/admin/judging", json={"open": False}, headers=headers).is_success
    assert client.post("/api/admin/board", json={"visibility": "final"}, headers=headers).is_success
    for step in range(len(ranked) + 1):
        answer = client.post("/api/admin/reveal", json={"step": step}, headers=headers)
        assert answer.status_code == 200 and answer.json()["reveal_step"] == step
        shown = set(ranked[len(ranked) - step :]) if step else set()
        public = client.get("/api/leaderboard").json()["standings"]
        assert {r["code"] for r in public} == shown
        for track, before in live.items():
            rows = client.get("/api/leaderboard", params={"track": track}).json()["standings"]
            assert {r["code"] for r in rows} == shown & {r["code"] for r in before["standings"]}
            for row in rows:  # its winner is marked (with the overall place, if it holds one)
                if row["code"] == before["standings"][0]["code"]:
                    assert row["award"] in ("track", "first", "second", "third")


def test_the_api_advances_the_reveal_to_each_award_place(
    client: TestClient, demo_path: Path
) -> None:
    headers = admin(client, demo_path)
    assert client.post("/api/admin/judging", json={"open": False}, headers=headers).is_success
    assert client.post("/api/admin/board", json={"visibility": "final"}, headers=headers).is_success
    seen = []
    for _ in range(40):
        state = client.post("/api/admin/reveal", json={"advance": "award"}, headers=headers).json()
        top = client.get("/api/leaderboard").json()["standings"][0]
        seen.append(top.get("award"))
        if top["rank"] == 1:
            break
    assert seen[-3:] == ["third", "second", "first"]
    assert seen.count("track") >= 1  # a track winner outside the podium paused the reveal too
    assert state["reveal_step"] == len(
        [r for r in client.get("/api/leaderboard").json()["standings"]]
    )
    both = client.post("/api/admin/reveal", json={"step": 1, "advance": "row"}, headers=headers)
    assert both.status_code == 400
    neither = client.post("/api/admin/reveal", json={}, headers=headers)
    assert neither.status_code == 400 and "step" in neither.json()["detail"]
    wrong = client.post("/api/admin/reveal", json={"advance": "sideways"}, headers=headers)
    assert wrong.status_code == 400 and "advance" in wrong.json()["detail"]


def test_the_reveal_only_steps_while_final(client: TestClient, demo_path: Path) -> None:
    headers = admin(client, demo_path)
    answer = client.post("/api/admin/reveal", json={"advance": "row"}, headers=headers)
    assert answer.status_code == 400 and "final" in answer.json()["detail"]
