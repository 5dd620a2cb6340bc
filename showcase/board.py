"""Standings: store -> scoring.Ballots -> method.rank -> Board, and who may see what."""

import asyncio
from concurrent.futures import Executor

import msgspec

import scoring
from showcase import store
from showcase.db import Database
from showcase.errors import Invalid, NotFound
from showcase.i18n import gettext as _
from showcase.models import Board, BoardRow, Entry, Event, Visibility


async def ballots_for(db: Database, entries: list[Entry], track: str | None) -> scoring.Ballots:
    """The ballots of these entries (one track's, or all) as the scoring package reads them."""
    codes = {entry.code for entry in entries}
    criteria = [
        scoring.Criterion(key=c.key, weight=c.weight, min=c.min, max=c.max)
        for c in await store.list_criteria(db)
    ]
    sheets = [
        scoring.Sheet(judge=str(s.judge_id), entry=s.entry, scores=s.scores)
        for s in await store.list_current_sheets(db, track)
        if s.entry in codes
    ]
    return scoring.Ballots(entries=sorted(codes), criteria=criteria, sheets=sheets)


def method_of(event: Event, name: str | None = None) -> scoring.Method:
    """The event's method with its parameters, or another one by `name` with its defaults."""
    try:
        if name is not None and name != event.method:
            return scoring.get(name)
        return scoring.get(event.method, **event.method_params)
    except scoring.UnknownMethod as error:
        raise Invalid(str(error)) from None


async def choose_method(db: Database, name: str, params: dict[str, float], actor: str) -> None:
    """Makes `name` the event's method, once it is known to be installed and to take `params`."""
    try:
        scoring.get(name, **params)
    except scoring.UnknownMethod as error:
        raise Invalid(str(error)) from None
    except (TypeError, ValueError) as error:
        raise Invalid(f"method {name!r} does not take these parameters: {error}") from None
    await store.set_method(db, name, params, actor)


def bootstrap_rounds(ballots: scoring.Ballots) -> int:
    """Fewer resamples for large events, so the board stays quick to recompute."""
    return max(20, min(40, 100_000 // max(1, len(ballots.sheets))))


def standings_of(method: scoring.Method, ballots: scoring.Ballots) -> list[scoring.Standing]:
    """The ranking the board, `showcase rank` and exports all show, with rank ranges."""
    return scoring.with_uncertainty(method, ballots, rounds=bootstrap_rounds(ballots), seed=0)


def ranged_standings(
    name: str, params: dict[str, float], ballots: scoring.Ballots
) -> list[scoring.Standing]:
    """`standings_of` for a method named with its parameters, so a worker process can run it."""
    return standings_of(scoring.get(name, **params), ballots)


async def live_board(
    db: Database,
    track: str | None = None,
    method: str | None = None,
    ranged: bool = True,
    pool: Executor | None = None,
) -> Board:
    """The board as the sheets stand now, whatever the public may see.

    `ranged` adds each entry's rank range, a bootstrap that costs many rankings: given a `pool`
    (a worker process), it runs there, off the event loop.
    """
    if track is not None and track not in {t.slug for t in await store.list_tracks(db)}:
        raise NotFound(_("There is no track called %(track)s.") % {"track": track})
    event = await store.get_event(db)
    listed = await store.list_entries(db, track)
    entries = {entry.code: entry for entry in listed}
    chosen = method_of(event, method)
    ballots = await ballots_for(db, listed, track)
    if ranged and pool is not None:
        params = event.method_params if chosen.name == event.method else {}
        loop = asyncio.get_running_loop()
        standings = await loop.run_in_executor(pool, ranged_standings, chosen.name, params, ballots)
    elif ranged:
        standings = standings_of(chosen, ballots)
    else:
        standings = chosen.rank(ballots)
    rows = [
        BoardRow(
            rank=s.rank,
            code=s.entry,
            title=entries[s.entry].title,
            team=entries[s.entry].team,
            track=entries[s.entry].track,
            score=None if s.score is None else round(s.score, 4),
            judges=s.judges,
            rank_range=s.detail.get("rank_range"),
            too_close=bool(s.detail.get("too_close")),
        )
        for s in standings
    ]
    return Board(
        event=event.name,
        visibility=event.visibility,
        method=chosen.name,
        track=track,
        version=event.board_version,
        updated_at=event.updated_at,
        standings=rows,
    )


def hide(board: Board) -> Board:
    return msgspec.structs.replace(board, standings=[])


def reveal(board: Board, step: int) -> Board:
    """The final board as far as the reveal has gone: the `step` lowest ranked rows."""
    ranked = [row for row in board.standings if row.rank is not None]
    shown = ranked[len(ranked) - min(step, len(ranked)) :] if step > 0 else []
    return msgspec.structs.replace(board, standings=shown)


async def snapshot(db: Database) -> bytes:
    """Every track's live board (and the overall one, under ""), as the frozen board keeps it."""
    boards = {"": await live_board(db, ranged=False)}
    for track in await store.list_tracks(db):
        boards[track.slug] = await live_board(db, track.slug, ranged=False)
    return msgspec.json.encode(boards)


async def set_visibility(db: Database, visibility: Visibility, actor: str) -> None:
    """Hidden, live, frozen (the public keeps seeing the board of this moment) or final."""
    frozen = await snapshot(db) if visibility == "frozen" else None
    await store.set_visibility(db, visibility, actor, frozen)


async def step_reveal(db: Database, step: int, actor: str) -> int:
    """Moves the final reveal to `step` rows shown (from the bottom), within the board's size."""
    event = await store.get_event(db)
    if event.visibility != "final":
        raise Invalid("the reveal steps only while the board is final")
    ranked = [row for row in (await live_board(db)).standings if row.rank is not None]
    step = max(0, min(step, len(ranked)))
    await store.set_reveal_step(db, step, actor)
    return step


class Boards:
    """The latest board of each track, recomputed only when the event's board version moves.

    The quick board (no rank ranges) is computed on demand; the ranged one only by `refresh`,
    which the publisher calls once the hall goes quiet, and is served while still current.
    """

    def __init__(self, pool: Executor | None = None) -> None:
        self.pool = pool
        self._quick: dict[str | None, Board] = {}
        self._ranged: dict[str | None, Board] = {}

    async def live(self, db: Database, track: str | None = None) -> Board:
        version = (await store.get_event(db)).board_version
        ranged = self._ranged.get(track)
        if ranged is not None and ranged.version == version:
            return ranged
        quick = self._quick.get(track)
        if quick is None or quick.version != version:
            quick = self._quick[track] = await live_board(db, track, ranged=False)
        return quick

    async def refresh(self, db: Database, track: str | None = None) -> Board:
        """Computes the board with rank ranges (in the worker pool) and keeps it."""
        board = self._ranged[track] = await live_board(db, track, ranged=True, pool=self.pool)
        return board

    async def public(self, db: Database, track: str | None = None) -> Board:
        """What the audience may see: nothing while hidden, the snapshot while frozen, the
        revealed rows while final."""
        board = await self.live(db, track)
        return await self.shown(db, board)

    async def shown(self, db: Database, board: Board) -> Board:
        if board.visibility == "hidden":
            return hide(board)
        if board.visibility == "frozen":
            frozen = await store.get_frozen_board(db)
            if frozen is not None:
                kept = msgspec.json.decode(frozen, type=dict[str, Board]).get(board.track or "")
                if kept is not None:
                    return msgspec.structs.replace(kept, visibility="frozen")
        if board.visibility == "final":
            event = await store.get_event(db)
            return reveal(board, event.reveal_step)
        return board
