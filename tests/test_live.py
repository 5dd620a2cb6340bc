"""The live board stream against a real server: at once, on change, hidden, frozen, reveal, resume."""

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from showcase import auth, organizing, store
from tests.conftest import Server, with_db

SCORES = {"impact": 5, "technology": 5, "design": 5, "feasibility": 5, "presentation": 5}


class Viewer:
    """One EventSource-like reader of the stream."""

    def __init__(self, url: str, headers: dict[str, str] | None = None) -> None:
        self.client = httpx.Client(timeout=httpx.Timeout(5.0, read=3.0))
        self.response = self.client.send(
            self.client.build_request("GET", url, headers=headers or {}), stream=True
        )
        assert self.response.status_code == 200
        assert self.response.headers["content-type"].startswith("text/event-stream")
        self.lines = self.response.iter_lines()

    def next_event(self) -> tuple[int, dict]:
        event: dict[str, str] = {}
        for line in self.lines:
            if line == "" and "data" in event:
                assert event["event"] == "leaderboard"
                return int(event["id"]), json.loads(event["data"])
            if line.startswith(":") or not line:
                continue
            key, _, value = line.partition(": ")
            event[key] = value
        raise AssertionError("the stream ended")

    def until(self, wanted, most: int = 10) -> dict:  # type: ignore[no-untyped-def]
        """The first board that `wanted` accepts (a board may come twice: rank ranges follow)."""
        for _ in range(most):
            _, board = self.next_event()
            if wanted(board):
                return board
        raise AssertionError("no such board arrived")

    def close(self) -> None:
        self.response.close()
        self.client.close()


class Hall:
    def __init__(self, server: Server) -> None:
        self.server = server
        self.admin = {
            "Authorization": "Bearer "
            + with_db(server.db, lambda db: organizing.issue_admin_token(db, "t"))
        }
        link = with_db(server.db, lambda db: auth.judge_links(db, server.url))[1]
        self.judge = {"Authorization": f"Bearer {link.token}"}
        queue = with_db(server.db, lambda db: store.list_queue(db, link.judge))
        self.todo = [item.code for item in queue if item.status == "todo"]
        self.http = httpx.Client(base_url=server.url, timeout=5)

    def save(self, code: str, value: int = 5) -> None:
        answer = self.http.put(
            f"/api/judge/sheets/{code}",
            json={"scores": {k: value for k in SCORES}},
            headers=self.judge,
        )
        assert answer.status_code == 200, answer.text

    def board(self, visibility: str) -> None:
        if visibility == "final":  # the results are fixed only once judging is closed
            closed = self.http.post("/api/admin/judging", json={"open": False}, headers=self.admin)
            assert closed.status_code == 200
        assert (
            self.http.post(
                "/api/admin/board", json={"visibility": visibility}, headers=self.admin
            ).status_code
            == 200
        )

    def viewer(self, query: str = "", **headers: str) -> Viewer:
        return Viewer(f"{self.server.url}/api/leaderboard/stream{query}", headers)


@pytest.fixture
def hall(server: Server) -> Iterator[Hall]:
    made = Hall(server)
    yield made
    made.http.close()


def test_the_board_at_once_then_each_change(hall: Hall) -> None:
    viewer = hall.viewer()
    try:
        version, board = viewer.next_event()
        assert board["visibility"] == "live" and len(board["standings"]) == 24
        assert version == board["version"]
        started = time.monotonic()
        hall.save(hall.todo[0])
        new_version, changed = viewer.next_event()
        assert time.monotonic() - started < 1.0
        assert new_version > version
        row = next(r for r in changed["standings"] if r["code"] == hall.todo[0])
        old = next(r for r in board["standings"] if r["code"] == hall.todo[0])
        assert row["judges"] == old["judges"] + 1
        # once the hall is quiet, the same board again with each entry's rank range
        ranged = viewer.until(
            lambda board: all("rank_range" in r for r in board["standings"] if r["rank"])
        )
        assert ranged["version"] == new_version
    finally:
        viewer.close()


def test_one_stream_per_track(hall: Hall) -> None:
    viewer = hall.viewer("?track=climate-action")
    try:
        _, board = viewer.next_event()
        assert board["track"] == "climate-action" and {r["track"] for r in board["standings"]} == {
            "climate-action"
        }
    finally:
        viewer.close()
    assert hall.http.get("/api/leaderboard/stream?track=nope").status_code == 404


def test_hidden_is_empty_and_frozen_does_not_move(hall: Hall) -> None:
    viewer = hall.viewer()
    try:
        viewer.next_event()
        hall.board("hidden")
        hidden = viewer.until(lambda board: board["visibility"] == "hidden")
        assert hidden["visibility"] == "hidden" and hidden["standings"] == []
        hall.board("frozen")
        frozen = viewer.until(lambda board: board["visibility"] == "frozen")
        assert frozen["visibility"] == "frozen" and len(frozen["standings"]) == 24
        hall.save(hall.todo[0], 1)
        hall.save(hall.todo[1], 1)
        time.sleep(0.6)
        assert hall.http.get("/api/leaderboard").json()["standings"] == frozen["standings"]
        hall.board("live")
        live = viewer.until(lambda board: board["visibility"] == "live")
        assert live["standings"] != frozen["standings"]
    finally:
        viewer.close()


def test_each_reveal_step_is_pushed_from_the_bottom_up(hall: Hall) -> None:
    viewer = hall.viewer()
    try:
        _, live = viewer.next_event()
        ranked = [r for r in live["standings"] if r["rank"] is not None]
        hall.board("final")
        final = viewer.until(lambda board: board["visibility"] == "final")
        assert final["visibility"] == "final" and final["standings"] == []
        for step in (1, 2, 3):
            answer = hall.http.post("/api/admin/reveal", json={"step": step}, headers=hall.admin)
            assert answer.status_code == 200
            shown = viewer.until(lambda board, step=step: len(board["standings"]) == step)
            assert [r["code"] for r in shown["standings"]] == [r["code"] for r in ranked[-step:]]
    finally:
        viewer.close()


def test_each_award_place_reaches_viewers_as_its_own_step(hall: Hall) -> None:
    hall.board("final")
    viewer = hall.viewer()
    try:
        viewer.until(lambda board: board["visibility"] == "final")
        awards: list[str] = []
        before, paused = 0, False
        while not awards or awards[-1] != "first":
            answer = hall.http.post(
                "/api/admin/reveal", json={"advance": "award"}, headers=hall.admin
            )
            step = answer.json()["reveal_step"]
            shown = viewer.until(lambda board, step=step: len(board["standings"]) == step)
            award = shown["standings"][0].get("award")
            if award:  # the award place comes alone, after a pause just below it
                assert step == before + 1 and (paused or before == 0 or awards)
                awards.append(award)
                paused = False
            else:  # every row up to the next award place at once, then a pause
                assert not paused
                paused = True
            before = step
        assert awards[-3:] == ["third", "second", "first"]
    finally:
        viewer.close()


def test_a_change_another_program_commits_reaches_viewers(hall: Hall, tmp_path: Path) -> None:
    viewer = hall.viewer()
    try:
        viewer.next_event()
        late = tmp_path / "late.csv"
        late.write_text("code,title,team,track\nLATE1,Late Entry,Night Owls,Climate Action\n")
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "showcase.cli",
                "import-entries",
                str(hall.server.db),
                str(late),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        has_late = lambda board: "LATE1" in {r["code"] for r in board["standings"]}  # noqa: E731
        assert has_late(viewer.until(has_late))
        newcomer = hall.viewer()
        try:
            assert has_late(newcomer.next_event()[1])
        finally:
            newcomer.close()
    finally:
        viewer.close()


def test_a_reconnect_with_the_last_event_id_resumes(hall: Hall) -> None:
    first = hall.viewer()
    version, _ = first.next_event()
    first.close()
    again = hall.viewer(**{"Last-Event-ID": str(version)})
    try:
        with pytest.raises(httpx.ReadTimeout):
            again.next_event()  # nothing new: no board is sent again
    finally:
        again.close()
    resumed = hall.viewer(**{"Last-Event-ID": str(version)})
    try:
        hall.save(hall.todo[0])
        newer, _ = resumed.next_event()
        assert newer > version
    finally:
        resumed.close()
    stale = hall.viewer(**{"Last-Event-ID": str(version - 1)})
    try:
        assert stale.next_event()[0] >= version
    finally:
        stale.close()


async def keep_alives(demo_path: Path, board_first: bool) -> list[list[str]]:
    """The channel lists the publisher's keep-alives went to in 0.3 s; `board_first` sends
    the overall board at the start."""
    from showcase import live
    from showcase.cache import Boards
    from showcase.db import Database

    class Channels:
        def __init__(self) -> None:
            self.sent: list[tuple[bytes, list[str]]] = []

        def publish(self, data: bytes, channels: list[str]) -> None:
            self.sent.append((data, channels))

    channels = Channels()
    async with Database(demo_path) as db:
        publisher = live.Publisher(db, Boards(), channels)  # type: ignore[arg-type]
        await publisher.start()
        try:
            if board_first:
                publisher._send(None, await publisher.current(None), 0)
            await asyncio.sleep(0.3)
        finally:
            await publisher.stop()
    return [names for data, names in channels.sent if data == live.KEEP_ALIVE]


async def test_one_timer_sends_keep_alives_to_every_board_channel(demo_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from showcase import live

    assert live.KEEP_ALIVE_SECONDS <= 20  # the contract: a keep-alive at least every 20 s
    assert live.KEEP_ALIVE.startswith(b":") and live.KEEP_ALIVE.endswith(b"\n\n")
    monkeypatch.setattr(live, "KEEP_ALIVE_SECONDS", 0.05)
    alive = await keep_alives(demo_path, board_first=False)
    assert alive and set(alive[0]) == {
        "board:",
        "board:good-health-and-well-being",
        "board:quality-education",
        "board:climate-action",
        "board:*",
    }
    # A channel that carried a board a moment ago needs no comment to stay open: one tick
    # (0.2 s) passes before the board's channel has been quiet long enough (0.4 s).
    monkeypatch.setattr(live, "KEEP_ALIVE_SECONDS", 0.6)
    alive = await keep_alives(demo_path, board_first=True)
    assert alive and all("board:" not in names for names in alive)
    assert "board:climate-action" in alive[0]


def row(board: dict, code: str) -> dict | None:
    return next((r for r in board["standings"] if r["code"] == code), None)


def test_one_stream_carries_every_board(hall: Hall) -> None:
    tracks = {t.slug for t in with_db(hall.server.db, store.list_tracks)}
    assert len(tracks) == 3
    viewer = hall.viewer("?track=*")
    try:
        first = [viewer.next_event()[1] for _ in range(len(tracks) + 1)]
        assert {board["track"] for board in first} == {None, *tracks}
        for board in first:  # each board holds its own track's rows
            if board["track"]:
                assert {r["track"] for r in board["standings"]} == {board["track"]}
        entries = {e.code: e.track for e in with_db(hall.server.db, store.list_entries)}
        code = hall.todo[0]
        judges = {b["track"]: row(b, code)["judges"] for b in first if row(b, code)}
        hall.save(code)
        after: dict[str | None, dict] = {}
        while len(after) < 2:
            board = viewer.until(lambda b: b["version"] > first[0]["version"])
            if board["track"] in (None, entries[code]):
                after[board["track"]] = board
        for track, board in after.items():
            assert row(board, code)["judges"] == judges[track] + 1
    finally:
        viewer.close()
    assert hall.http.get("/api/leaderboard/stream", params={"track": "nope"}).status_code == 404


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
def test_killing_the_server_leaves_no_worker_behind(server: Server) -> None:
    assert server.process is not None
    deadline = time.monotonic() + 10
    while not (workers := children_of(server.process.pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert workers, "the server started no worker process"
    server.process.kill()
    server.process.wait()
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers)
