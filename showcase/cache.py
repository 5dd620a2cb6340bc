"""The live cache: the latest boards, recomputed only when the event's board version moves, and
the boards kept by a freeze or a final, decoded once per visibility change."""

import asyncio
from concurrent.futures import Executor

import scoring
from showcase import store
from showcase.board import BoardInputs, all_boards, board_of, planner_of, read_inputs
from showcase.db import Database
from showcase.models import Board, Event
from showcase.reveal import Reveal, as_final, as_frozen, as_hidden, decode_kept


class Boards:
    """The inputs are read once per version and shared by every track's board. The quick board
    (no rank ranges) is computed on demand; the ranged one only by `refresh`, which the
    publisher calls once the hall goes quiet, in the worker pool, and is served while current.
    """

    def __init__(self, pool: Executor | None = None) -> None:
        self.pool = pool
        self._inputs: BoardInputs | None = None
        self._quick: dict[str | None, Board] = {}
        self._ranged: dict[str | None, Board] = {}
        self._kept: tuple[int, dict[str, Board] | None, Reveal | None] | None = None
        self._planner: tuple[int, scoring.Planner] | None = None

    @property
    def version(self) -> int | None:
        """The board version of the inputs read last."""
        return None if self._inputs is None else self._inputs.event.board_version

    async def inputs(self, db: Database) -> BoardInputs:
        version = await store.get_board_version(db)
        if self._inputs is None or self._inputs.event.board_version != version:
            self._inputs = await read_inputs(db)
            self._quick = {}
        return self._inputs

    async def live(self, db: Database, track: str | None = None) -> Board:
        return self._live(await self.inputs(db), track)

    def _live(self, inputs: BoardInputs, track: str | None) -> Board:
        """The ranged board while it is current, else the quick one (computed once)."""
        ranged = self._ranged.get(track)
        if ranged is not None and ranged.version == inputs.event.board_version:
            return ranged
        if track not in self._quick:
            self._quick[track] = board_of(inputs, track)
        return self._quick[track]

    async def planner(self, db: Database) -> tuple[BoardInputs, scoring.Planner]:
        """The inputs, and adaptive judging's planner for them: made once per board version, in
        a thread (not the idle-priority pool: a judge is waiting for it)."""
        inputs = await self.inputs(db)
        version = inputs.event.board_version
        if self._planner is None or self._planner[0] != version:
            self._planner = (version, await asyncio.to_thread(planner_of, inputs))
        return inputs, self._planner[1]

    async def refresh(self, db: Database, track: str | None = None) -> Board:
        """Computes the board with rank ranges (in the worker pool, if any) and keeps it."""
        inputs = await self.inputs(db)
        if self.pool is None:
            board = board_of(inputs, track, ranged=True)
        else:
            loop = asyncio.get_running_loop()
            board = await loop.run_in_executor(self.pool, board_of, inputs, track, None, True)
        self._ranged[track] = board
        return board

    async def snapshot(self, db: Database) -> dict[str, Board]:
        """Every board as the live board shows it at its best now, rank ranges included: what a
        freeze keeps and what the final results fix."""
        inputs = await self.inputs(db)
        if self.pool is None:
            return all_boards(inputs, ranged=True)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.pool, all_boards, inputs, True)

    async def _kept_now(
        self, db: Database, event: Event
    ) -> tuple[dict[str, Board] | None, Reveal | None]:
        """The boards kept by the last visibility change (and, when final, their reveal),
        decoded once per change rather than once per request."""
        if self._kept is None or self._kept[0] != event.kept_version:
            raw = await store.get_kept_boards(db)
            kept = decode_kept(raw) if raw is not None else None
            reveal = Reveal.of(kept) if kept and event.visibility == "final" else None
            self._kept = (event.kept_version, kept, reveal)
        return self._kept[1], self._kept[2]

    async def kept(self, db: Database) -> dict[str, Board] | None:
        return (await self._kept_now(db, (await self.inputs(db)).event))[0]

    async def public(self, db: Database, track: str | None = None) -> Board:
        """What the audience may see: nothing while hidden, the snapshot while frozen, the
        revealed rows while final."""
        inputs = await self.inputs(db)  # read once: one version check for the whole answer
        return await self._shown(db, inputs, self._live(inputs, track))

    async def shown(self, db: Database, board: Board) -> Board:
        """`board`, a live one, as the audience may see it under the event's visibility."""
        return await self._shown(db, await self.inputs(db), board)

    async def _shown(self, db: Database, inputs: BoardInputs, board: Board) -> Board:
        event = inputs.event
        if event.visibility == "hidden":
            return as_hidden(board, event)
        if event.visibility == "live":
            return board
        kept, reveal = await self._kept_now(db, event)
        if event.visibility == "frozen":
            frozen = (kept or {}).get(board.track or "")
            return as_frozen(frozen, board, inputs.entries, event)
        if kept is None or reveal is None:  # final with nothing stored: an older database
            return as_hidden(board, event)
        return as_final(kept, board, event, reveal)
