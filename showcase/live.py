"""The board publisher: a dirty flag, one task that recomputes and encodes, fan-out to streams."""

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import AsyncIterator

import msgspec
from litestar.channels import ChannelsPlugin, Subscriber

from showcase import store
from showcase.cache import Boards
from showcase.db import Database
from showcase.models import Board

logger = logging.getLogger(__name__)
KEEP_ALIVE = b": keep-alive\n\n"
KEEP_ALIVE_SECONDS = 15.0  # the longest a stream goes without a byte (the contract allows 20)
WATCH_SECONDS = 2.0
MIN_INTERVAL = 0.25  # at most four boards a second during a burst
QUIET = 1.0  # rank ranges (many draws) are recomputed once no change came for this long
OVERALL = ""
EVERY = "*"  # the stream of every board, for a page that shows them all on one connection


def channel(track: str | None) -> str:
    return f"board:{track or OVERALL}"


def channels_of(track: str | None) -> list[str]:
    """Where a track's frame goes: its own channel and the channel of every board."""
    return [channel(track), channel(EVERY)]


HEAD = b"event: leaderboard\nid: "


def frame(board: Board) -> bytes:
    """One Server-Sent Event carrying the board, encoded once for every viewer."""
    data = msgspec.json.encode(board)
    return HEAD + b"%d\ndata: %s\n\n" % (board.version, data)


class Publisher:
    """Recomputes the public boards once per change, and publishes each new frame once.

    The busiest board goes first. On one process (`shared` false) a board nobody watches is
    not computed until somebody asks for it, and the publisher keeps the frame of every board
    it computed, so a new viewer gets it without a query; a change another program commits to
    the file (an import from the command line) is noticed within WATCH_SECONDS. With several
    processes behind Redis every board is computed, since their viewers are out of sight, and
    a new viewer's board is read afresh, since another process may have changed it.
    """

    def __init__(
        self, db: Database, boards: Boards, channels: ChannelsPlugin, shared: bool = False
    ) -> None:
        self.db = db
        self.boards = boards
        self.channels = channels
        self.shared = shared
        self._dirty = asyncio.Event()
        self._changes = 0  # board changes committed by this process
        self._sent: dict[str, bytes] = {}  # what this process last published, per channel
        self._latest: dict[str, bytes] = {}  # the newest frame computed for each channel
        self._fresh: dict[str, int] = {}  # the change count each kept frame was computed at
        self._viewers: Counter[str] = Counter()
        self._spoke_at: dict[str, float] = {}  # when each channel last carried a frame or comment
        self._tasks: list[asyncio.Task[None]] = []
        self._changed_at = 0.0
        self._ranged_stale = asyncio.Event()
        self._subscribers: set[Subscriber] = set()
        self.stopping = asyncio.Event()  # set when the server stops: every open stream ends
        self.loop: asyncio.AbstractEventLoop | None = None

    def end_streams(self) -> None:
        """Ends every stream this process has open, at once: the server is stopping, and an
        endless stream would hold it up. Their viewers reconnect (to another process, or to
        this one once it is back)."""
        self.stopping.set()
        for subscriber in self._subscribers:
            subscriber.put_nowait(None)

    def dirty(self) -> None:
        self._changes += 1
        self._dirty.set()

    async def start(self) -> None:
        """Computes every board once (which also loads the scoring method), so that the first
        viewer waits for nothing, then follows the changes."""
        self.loop = asyncio.get_running_loop()
        self.db.listen("board", self.dirty)
        for track in await self._tracks():
            await self.current(track)
        self._tasks = [
            asyncio.create_task(self._run()),
            asyncio.create_task(self._run_ranged()),
            asyncio.create_task(self._keep_alive()),
        ]
        if not self.shared:
            self._tasks.append(asyncio.create_task(self._watch()))

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
        """Once the hall goes quiet, the boards again with rank ranges (a heavier computation,
        in the worker process)."""
        loop = asyncio.get_running_loop()
        while True:
            await self._ranged_stale.wait()
            quiet_for = loop.time() - self._changed_at
            if quiet_for < QUIET or self._dirty.is_set():
                await asyncio.sleep(QUIET - quiet_for if quiet_for < QUIET else MIN_INTERVAL)
                continue
            self._ranged_stale.clear()
            try:
                for track in await self._busiest_first():
                    changes = self._changes
                    board = await self.boards.refresh(self.db, track)
                    if self._changes != changes:
                        break  # a change came meanwhile: the quick boards go first again
                    self._send(track, frame(await self.boards.shown(self.db, board)), changes)
            except Exception:
                logger.exception("could not publish the ranged board")

    async def _watch(self) -> None:
        """Notices a board change that another program committed to the database file."""
        known = await store.get_board_version(self.db)
        while True:
            await asyncio.sleep(WATCH_SECONDS)
            with contextlib.suppress(Exception):
                version = await store.get_board_version(self.db)
                if version != known:
                    known = version
                    if version != self.boards.version:  # not a change published here
                        self.dirty()

    async def _keep_alive(self) -> None:
        """A comment on each board channel that has been quiet keeps idle connections open: one
        timer for all viewers, not one per stream, and nothing for a channel whose viewers had a
        board a moment ago."""
        loop = asyncio.get_running_loop()
        tick = KEEP_ALIVE_SECONDS / 3
        while True:
            await asyncio.sleep(tick)
            with contextlib.suppress(Exception):
                now = loop.time()
                quiet = [
                    name
                    for name in map(channel, [*await self._tracks(), EVERY])
                    if now - self._spoke_at.get(name, -KEEP_ALIVE_SECONDS)
                    >= KEEP_ALIVE_SECONDS - tick
                ]
                if quiet:
                    self.channels.publish(KEEP_ALIVE, quiet)
                    self._spoke_at.update(dict.fromkeys(quiet, now))

    async def _tracks(self) -> list[str | None]:
        return [None, *(t.slug for t in await store.list_tracks(self.db))]

    def _watchers(self, track: str | None) -> int:
        return self._viewers[channel(track)] + self._viewers[channel(EVERY)]

    async def _busiest_first(self) -> list[str | None]:
        return sorted(await self._tracks(), key=lambda track: -self._viewers[channel(track)])

    async def publish(self) -> None:
        """Each watched board, busiest first: its viewers need not wait for the others."""
        changes = self._changes
        for track in await self._busiest_first():
            if self.shared or self._watchers(track):
                self._send(track, frame(await self.boards.public(self.db, track)), changes)

    def _send(self, track: str | None, encoded: bytes, changes: int) -> None:
        name = channel(track)
        self._remember(name, encoded, changes)
        if self._sent.get(name) != encoded:
            self._sent[name] = encoded
            self.channels.publish(encoded, channels_of(track))
            now = asyncio.get_running_loop().time()
            self._spoke_at.update(dict.fromkeys(channels_of(track), now))

    def _remember(self, name: str, encoded: bytes, changes: int) -> bytes:
        """Keeps `encoded`, computed as of `changes` changes, as the channel's frame, unless one
        computed as of later changes is kept already (a computation that overlapped a publish
        may end last)."""
        if changes >= self._fresh.get(name, -1):
            self._latest[name], self._fresh[name] = encoded, changes
        return self._latest[name]

    async def current(self, track: str | None) -> bytes:
        """The board the public may see now, as a frame; a NotFound for an unknown track."""
        name = channel(track)
        if not self.shared and self._fresh.get(name) == self._changes:
            return self._latest[name]
        changes = self._changes
        return self._remember(name, frame(await self.boards.public(self.db, track)), changes)

    async def stream(self, track: str | None, last_event_id: str | None) -> AsyncIterator[bytes]:
        """The current board at once (unless the viewer already has it), then every change;
        for EVERY, each board's current frame, then every change to any of them. Ends when
        the server stops."""
        name = channel(track)
        self._viewers[name] += 1
        try:
            async with self.channels.start_subscription([name]) as subscriber:
                if self.stopping.is_set():
                    return
                self._subscribers.add(subscriber)
                try:
                    tracks = await self._tracks() if track == EVERY else [track]
                    seen = None if last_event_id is None else HEAD + last_event_id.encode() + b"\n"
                    for shown in tracks:
                        now = await self.current(shown)
                        if seen is None or not now.startswith(seen):
                            yield now
                        del now
                    async for message in subscriber.iter_events():
                        yield message
                finally:
                    self._subscribers.discard(subscriber)
        finally:
            self._viewers[name] -= 1
