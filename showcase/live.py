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
        self._task: asyncio.Task[None] | None = None

    def dirty(self) -> None:
        self._dirty.set()

    async def start(self) -> None:
        self.db.listen("board", self.dirty)
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        last = -MIN_INTERVAL
        while True:
            await self._dirty.wait()
            pause = last + MIN_INTERVAL - loop.time()
            if pause > 0:  # a burst: fold what arrives meanwhile into the next board
                await asyncio.sleep(pause)
            self._dirty.clear()
            last = loop.time()
            try:
                await self.publish()
            except Exception:  # a bad board must not stop the next one
                logger.exception("could not publish the board")

    async def publish(self) -> None:
        """The quick boards first, then (unless another change came) the ones with rank ranges."""
        tracks = [None, *(t.slug for t in await store.list_tracks(self.db))]
        for ranged in (False, True):
            for track in tracks:
                if ranged and self._dirty.is_set():
                    return
                self._send(track, frame(await self.boards.public(self.db, track, ranged)))

    def _send(self, track: str | None, encoded: bytes) -> None:
        if self._sent.get(channel(track)) != encoded:
            self._sent[channel(track)] = encoded
            self.channels.publish(encoded, [channel(track)])

    async def current(self, track: str | None) -> bytes:
        """The newest frame of this board: the last one sent if it is still current."""
        sent = self._sent.get(channel(track))
        quick = frame(await self.boards.public(self.db, track, ranged=False))
        if sent is not None and sent.split(b"\n", 2)[1] == quick.split(b"\n", 2)[1]:
            return sent
        return quick

    async def stream(self, track: str | None, last_event_id: str | None) -> AsyncIterator[bytes]:
        """The current board at once (unless the viewer already has it), then every change."""
        async with self.channels.start_subscription([channel(track)]) as subscriber:
            now = await self.current(track)
            if last_event_id is None or not now.startswith(
                b"event: leaderboard\nid: %s\n" % last_event_id.encode()
            ):
                yield now
            events = subscriber.iter_events()
            pending = asyncio.ensure_future(anext(events))
            try:
                while True:
                    done, _ = await asyncio.wait({pending}, timeout=KEEP_ALIVE_SECONDS)
                    if pending in done:
                        yield pending.result()
                        pending = asyncio.ensure_future(anext(events))
                    else:
                        yield KEEP_ALIVE
            finally:
                pending.cancel()
