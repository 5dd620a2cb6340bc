"""Shared fixtures: event databases on real files, the app under a test client, a live server."""

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from litestar.testing import TestClient

from showcase import organizing, store
from showcase.app import create_app
from showcase.cli import main as cli_main
from showcase.db import Database
from showcase.demo import DEFAULT_RUBRIC
from showcase.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")
SHOWCASE = str(Path(sys.executable).parent / "showcase")


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Runs a coroutine to its end on a loop of its own, even where a loop is already running
    (Playwright's sync API keeps one on the main thread)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def with_db(path: Path, work: Callable[[Database], Awaitable[T]]) -> T:
    """The result of `work(db)` on the event database at `path`."""

    async def run() -> T:
        async with Database(path) as db:
            return await work(db)

    return run_async(run())


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(cli_main, ["init", str(path), "--demo"]).result() == 0
    return path


@pytest.fixture
def empty_path(tmp_path: Path) -> Path:
    path = tmp_path / "empty.db"

    async def make(db: Database) -> None:
        await organizing.create_event(db, "Empty Event", "UTC", DEFAULT_RUBRIC, "mean", "test")

    with_db(path, make)
    return path


@pytest.fixture
def client(demo_path: Path) -> Iterator[TestClient]:
    with TestClient(app=create_app(Settings(db=demo_path))) as test_client:
        yield test_client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, db: Path) -> None:
        self.db = db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[str] | None = None
        self.output = ""
        self.command = [SHOWCASE]
        self.args: list[str] = []  # more options for `serve`
        self.cwd: Path | None = None
        self.env = {**os.environ, "SHOWCASE_BASE_URL": ""}

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> "Server":
        """Starts the server on its port (again, after a stop: the same port and file)."""
        # A file, not a pipe: the server's worker process inherits it and may outlive a kill.
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed by stop()
        self.process = subprocess.Popen(
            [*self.command, "serve", "--db", str(self.db), "--port", str(self.port), *self.args],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=self.cwd,
            env=self.env,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    self.log.seek(0)
                    raise RuntimeError(f"server exited: {self.log.read()}") from None
                time.sleep(0.1)
        raise RuntimeError("server did not start within 20 s")

    def stop(self) -> None:
        """Stops the server (once) and keeps what it printed in `output`."""
        if self.process is None or self.log.closed:
            return
        if self.process.returncode is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.seek(0)
        self.output = self.log.read()
        self.log.close()


@pytest.fixture
def server(demo_path: Path) -> Iterator[Server]:
    with Server(demo_path) as running:
        yield running


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs Chromium at /usr/bin/chromium for the browser tests")
        pytest.skip("no Chromium at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


IPAD = {"viewport": {"width": 820, "height": 1180}, "has_touch": True, "is_mobile": True}


def score_all(page, value: int = 4) -> None:  # type: ignore[no-untyped-def]
    """Taps the level `value` of every criterion on the score form."""
    for group in page.locator("fieldset.criterion").all():
        group.locator(".level").nth(value - 1).tap()


def stored_versions(server: Server, judge_id: int, code: str) -> list[int]:
    versions = with_db(server.db, lambda db: store.list_sheet_versions(db, judge_id, code))
    return [v.version for v in versions]
