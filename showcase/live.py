"""The board publisher: a dirty flag, one task that recomputes and encodes, fan-out to streams."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import msgspec
from litestar.channels import ChannelsPlugin

from showcase import store
from showcase.board import Boards
from showcase.db import Database
from showcase.models import Board

logger = logging.getLogger(__name__)
KEEP_ALIVE = b": keep-alive\n\n"
KEEP_ALIVE_SECONDS = 15.0
MIN_INTERVAL = 0.25  # at most four boards a second during a burst
QUIET = 1.0  # rank ranges (a bootstrap) are recomputed once no change came for this long
OVERALL = ""


def channel(track: str | None) -> str:
    return f"board:{track or OVERALL}"


def frame(board: Board) -> bytes:
    """One Server-Sent Event carrying the board, encoded once for every viewer."""
    data = msgspec.json.encode(board)
    return b"event: leaderboard\nid: %d\ndata: %s\n\n" % (board.version, data)


class Publisher:
    """Recomputes the public boards once per change, and publishes each new frame once."""

    def __init__(self, db: Database, boards: Boards, channels: ChannelsPlugin) -> None:
        self.db = db
        self.boards = boards
        self.channels = channels
        self._dirty = asyncio.Event()
        self._sent: dict[str, bytes] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._changed_at = 0.0
        self._ranged_stale = asyncio.Event()

    def dirty(self) -> None:
        self._dirty.set()

    async def start(self) -> None:
        self.db.listen("board", self.dirty)
        self._tasks = [
            asyncio.create_task(self._run()),
            asyncio.create_task(self._run_ranged()),
            asyncio.create_task(self._keep_alive()),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        last = -MIN_INTERVAL
        while True:
            await self._dirty.wait()
            pause = last + MIN_INTERVAL - loop.time()
            if pause > 0:  # a burst: fold what arrives meanwhile into the next board
                await asyncio.sleep(pause)
            self._dirty.clear()
            last = self._changed_at = loop.time()
            try:
                await self.publish()
            except Exception:  # a bad board must not stop the next one
                logger.exception("could not publish the board")
            self._ranged_stale.set()

    async def _run_ranged(self) -> None:
        """Once the hall goes quiet, the boards again with rank ranges (a heavier computation)."""
        loop = asyncio.get_running_loop()
        while True:
            await self._ranged_stale.wait()
            quiet_for = loop.time() - self._changed_at
            if quiet_for < QUIET or self._dirty.is_set():
                await asyncio.sleep(QUIET - quiet_for if quiet_for < QUIET else MIN_INTERVAL)
                continue
            self._ranged_stale.clear()
            try:
                for track in await self._tracks():
                    if self._dirty.is_set():
                        break
                    board = await self.boards.refresh(self.db, track)
                    self._send(track, frame(await self.boards.shown(self.db, board)))
            except Exception:
                logger.exception("could not publish the ranged board")

    async def _keep_alive(self) -> None:
        """One comment on every board channel now and then keeps idle connections open; one
        timer for all viewers, not one per stream."""
        while True:
            await asyncio.sleep(KEEP_ALIVE_SECONDS)
            with contextlib.suppress(Exception):
                self.channels.publish(KEEP_ALIVE, [channel(t) for t in await self._tracks()])

    async def _tracks(self) -> list[str | None]:
        return [None, *(t.slug for t in await store.list_tracks(self.db))]

    async def publish(self) -> None:
        for track in await self._tracks():
            self._send(track, frame(await self.boards.public(self.db, track)))

    def _send(self, track: str | None, encoded: bytes) -> None:
        if self._sent.get(channel(track)) != encoded:
            self._sent[channel(track)] = encoded
            self.channels.publish(encoded, [channel(track)])

    async def current(self, track: str | None) -> bytes:
        return frame(await self.boards.public(self.db, track))

    async def stream(self, track: str | None, last_event_id: str | None) -> AsyncIterator[bytes]:
        """The current board at once (unless the viewer already has it), then every change."""
        async with self.channels.start_subscription([channel(track)]) as subscriber:
            now = await self.current(track)
            if last_event_id is None or not now.startswith(
                b"event: leaderboard\nid: %s\n" % last_event_id.encode()
            ):
                yield now
            async for message in subscriber.iter_events():
                yield message
