"""Nothing acknowledged is lost: the server killed outright in the middle of a burst of judges
keeps every sheet it answered 200 for; stopped politely, it finishes what it accepted, refuses
what comes after, and is gone within 10 s with nothing left behind."""

import random
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from showcase import auth, organizing, store
from tests.conftest import Server, with_db
from tests.test_live import alive, children_of

CRITERIA = ("impact", "technology", "design", "feasibility", "presentation")
pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")


@dataclass
class Judge:
    id: int
    token: str
    codes: list[str]
    acknowledged: list[tuple[str, int, dict[str, float]]] = field(default_factory=list)


def judges_of(path: Path) -> list[Judge]:
    async def read(db) -> list[Judge]:  # type: ignore[no-untyped-def]
        await organizing.set_judging(db, True, "test")
        links = await auth.judge_links(db, "http://t")
        assigned = await store.list_assignments(db)
        return [Judge(link.judge, link.token, assigned.get(link.judge, [])) for link in links]

    return with_db(path, read)


def keep_saving(base_url: str, judge: Judge, stop: threading.Event, seed: int) -> None:
    """One judge's tablet: saves sheets over and over until told to stop or the server dies,
    noting each save the server acknowledged."""
    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {judge.token}"}
    with httpx.Client(base_url=base_url, timeout=5) as http:
        while not stop.is_set():
            code = rng.choice(judge.codes)
            scores = {key: float(rng.randint(1, 5)) for key in CRITERIA}
            try:
                answer = http.put(
                    f"/api/judge/sheets/{code}", json={"scores": scores}, headers=headers
                )
            except httpx.HTTPError:
                return  # the server is gone: what was not answered was not acknowledged
            if answer.status_code == 200:
                judge.acknowledged.append((code, answer.json()["version"], scores))


@pytest.fixture
def hall(demo_path: Path) -> Iterator[tuple[Server, list[Judge]]]:
    judges = judges_of(demo_path)
    with Server(demo_path) as server:
        yield server, judges


def test_a_kill_in_the_middle_of_a_burst_loses_no_acknowledged_sheet(
    hall: tuple[Server, list[Judge]],
) -> None:
    server, judges = hall
    assert server.process is not None
    stop = threading.Event()
    tablets = [
        threading.Thread(target=keep_saving, args=(server.url, judge, stop, n), daemon=True)
        for n, judge in enumerate(judges)
        for _ in range(2)  # two tablets a judge: more saves in flight at the kill
    ]
    for tablet in tablets:
        tablet.start()
    deadline = time.monotonic() + 20
    while sum(len(j.acknowledged) for j in judges) < 150 and time.monotonic() < deadline:
        time.sleep(0.05)
    server.process.send_signal(signal.SIGKILL)  # mid-burst: saves are in flight
    server.process.wait()
    server.stop()
    stop.set()
    for tablet in tablets:
        tablet.join(timeout=10)
    acknowledged = sum(len(j.acknowledged) for j in judges)
    assert acknowledged >= 150

    server.start()  # the same file, after the crash

    async def stored(db) -> dict[tuple[int, str], dict[int, dict[str, float]]]:  # type: ignore[no-untyped-def]
        found = {}
        for judge in judges:
            for code in judge.codes:
                versions = await store.list_sheet_versions(db, judge.id, code)
                found[judge.id, code] = {v.version: v.scores for v in versions}
        return found

    history = with_db(server.db, stored)
    lost = [
        (judge.id, code, version)
        for judge in judges
        for code, version, scores in judge.acknowledged
        if history[judge.id, code].get(version) != scores
    ]
    assert lost == []
    with httpx.Client(base_url=server.url, timeout=5) as http:  # and the server serves them
        judge = next(j for j in judges if j.acknowledged)
        code, _, _ = judge.acknowledged[-1]
        answer = http.get(
            f"/api/judge/sheets/{code}", headers={"Authorization": f"Bearer {judge.token}"}
        )
        assert answer.status_code == 200
        assert answer.json()["version"] == max(history[judge.id, code])


def test_sigterm_finishes_what_it_accepted_refuses_the_rest_and_exits_within_10_s(
    hall: tuple[Server, list[Judge]],
) -> None:
    server, judges = hall
    assert server.process is not None
    deadline = time.monotonic() + 10
    while not (workers := children_of(server.process.pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert workers, "the server started no worker process"
    viewer = httpx.Client(base_url=server.url, timeout=httpx.Timeout(5.0, read=15.0))
    stream = viewer.send(viewer.build_request("GET", "/api/leaderboard/stream"), stream=True)
    assert stream.status_code == 200  # a viewer holds a stream open through the stop
    judge = judges[0]
    headers = {"Authorization": f"Bearer {judge.token}"}
    scores = {key: 4.0 for key in CRITERIA}
    token = with_db(server.db, lambda db: organizing.issue_admin_token(db, "t"))
    rows = "".join(f"L{n},Late entry {n},Team {n},Late\n" for n in range(2000))
    answers: dict[str, httpx.Response] = {}

    def import_long_file() -> None:  # a request that takes a while, under way at the stop
        with httpx.Client(base_url=server.url, timeout=30) as http:
            answers["import"] = http.post(
                "/api/admin/entries/import",
                content=f"code,title,team,track\n{rows}".encode(),
                headers={"Authorization": f"Bearer {token}"},
            )

    importer = threading.Thread(target=import_long_file)
    with httpx.Client(base_url=server.url, timeout=10) as http:
        accepted = http.put(
            f"/api/judge/sheets/{judge.codes[0]}", json={"scores": scores}, headers=headers
        )
        assert accepted.status_code == 200
        importer.start()
        time.sleep(0.5)  # the import has been taken in and is running
        started = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        with pytest.raises(httpx.ConnectError):  # once stopping, nothing new is taken in
            http.put(
                f"/api/judge/sheets/{judge.codes[0]}", json={"scores": scores}, headers=headers
            )
        server.process.wait(timeout=10)
        assert time.monotonic() - started < 10
    importer.join(timeout=10)
    assert answers["import"].status_code == 200  # what it had accepted, it finished
    assert answers["import"].json() == {"imported": 2000}
    stream.close()
    viewer.close()
    assert server.process.returncode == -signal.SIGTERM  # stopped by it, once done
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers)
    versions = with_db(
        server.db, lambda db: store.list_sheet_versions(db, judge.id, judge.codes[0])
    )
    assert versions[-1].version == accepted.json()["version"]
    assert len(with_db(server.db, lambda db: store.list_entries(db, "late"))) == 2000
