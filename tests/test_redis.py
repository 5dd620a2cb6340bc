"""Past one process: two servers on one database share the board through Redis."""

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from showcase import auth, store
from tests.conftest import Server, free_port, with_db
from tests.test_live import Viewer

REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    if not Path(REDIS).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs redis-server (Debian's redis-server package)")
        pytest.skip("no redis-server on this machine")
    port = free_port()
    process = subprocess.Popen(
        [
            REDIS,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_save_on_one_server_reaches_a_viewer_of_the_other(
    demo_path: Path, redis_url: str
) -> None:
    first, second = Server(demo_path), Server(demo_path)
    for server in (first, second):
        server.env = {**server.env, "SHOWCASE_REDIS_URL": redis_url}
    link = with_db(demo_path, lambda db: auth.judge_links(db, "http://t"))[1]
    code = next(
        i.code
        for i in with_db(demo_path, lambda db: store.list_queue(db, link.judge))
        if i.status == "todo"
    )
    with first, second:
        viewer = Viewer(f"{second.url}/api/leaderboard/stream")
        try:
            version, _ = viewer.next_event()
            time.sleep(0.3)  # the subscription reaches Redis
            started = time.monotonic()
            saved = httpx.put(
                f"{first.url}/api/judge/sheets/{code}",
                json={
                    "scores": {
                        k: 5
                        for k in ("impact", "technology", "design", "feasibility", "presentation")
                    }
                },
                headers={"Authorization": f"Bearer {link.token}"},
            )
            assert saved.status_code == 200
            newer, board = viewer.next_event()
            assert time.monotonic() - started < 1.0
            assert newer > version
            assert any(r["code"] == code for r in board["standings"])
            # a first viewer of that track's board on the second server, after the save
            entry = with_db(first.db, lambda db: store.get_entry(db, code))
            assert entry is not None
            newcomer = Viewer(f"{second.url}/api/leaderboard/stream?track={entry.track}")
            try:
                assert newcomer.next_event()[0] == newer
            finally:
                newcomer.close()
        finally:
            viewer.close()
