"""Standings: store -> scoring.Ballots -> method.rank -> Board, and who may see what."""

import asyncio
import os
from concurrent.futures import Executor

import msgspec

import scoring
from showcase import store
from showcase.db import Database
from showcase.errors import Invalid, NotFound
from showcase.i18n import gettext as _
from showcase.models import (
    Award,
    Board,
    BoardRow,
    Entry,
    Event,
    RevealPause,
    StoredSheet,
    Track,
    Visibility,
)


class BoardInputs(msgspec.Struct, frozen=True):
    """Everything a board is computed from, read in one go (the event first, so the data is
    never older than the version it claims)."""

    event: Event
    tracks: list[Track]
    entries: list[Entry]
    criteria: list[scoring.Criterion]
    sheets: list[StoredSheet]


async def read_inputs(db: Database) -> BoardInputs:
    event = await store.get_event(db)
    return BoardInputs(
        event=event,
        tracks=await store.list_tracks(db),
        entries=await store.list_entries(db),
        criteria=[
            scoring.Criterion(key=c.key, weight=c.weight, min=c.min, max=c.max)
            for c in await store.list_criteria(db)
        ],
        sheets=await store.list_current_sheets(db),
    )


def ballots_for(inputs: BoardInputs, track: str | None) -> scoring.Ballots:
    """The ballots of one track's entries (or all) as the scoring package reads them."""
    codes = {entry.code for entry in inputs.entries if track is None or entry.track == track}
    sheets = [
        scoring.Sheet(judge=str(s.judge_id), entry=s.entry, scores=s.scores)
        for s in inputs.sheets
        if s.entry in codes
    ]
    return scoring.Ballots(entries=sorted(codes), criteria=inputs.criteria, sheets=sheets)


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
    except (scoring.UnknownMethod, scoring.InvalidParameter) as error:
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


def check_track(inputs: BoardInputs, track: str | None) -> None:
    if track is not None and track not in {t.slug for t in inputs.tracks}:
        raise NotFound(_("There is no track called %(track)s.") % {"track": track})


def board_of(
    inputs: BoardInputs, track: str | None = None, method: str | None = None, ranged: bool = False
) -> Board:
    """The board as the sheets stand in `inputs`, whatever the public may see.

    `ranged` adds each entry's rank range, a bootstrap that costs many rankings. A pure
    function of picklable data, so a worker process can run it.
    """
    check_track(inputs, track)
    entries = {entry.code: entry for entry in inputs.entries}
    chosen = method_of(inputs.event, method)
    ballots = ballots_for(inputs, track)
    standings = standings_of(chosen, ballots) if ranged else chosen.rank(ballots)
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
        event=inputs.event.name,
        visibility=inputs.event.visibility,
        method=chosen.name,
        track=track,
        version=inputs.event.board_version,
        updated_at=inputs.event.updated_at,
        standings=rows,
    )


async def live_board(
    db: Database, track: str | None = None, method: str | None = None, ranged: bool = True
) -> Board:
    """The board as the sheets stand now, whatever the public may see (for organizers)."""
    return board_of(await read_inputs(db), track, method, ranged)


def hide(board: Board) -> Board:
    return msgspec.structs.replace(board, standings=[])


PLACES: dict[int, Award] = {1: "first", 2: "second", 3: "third"}


def award_places(overall: Board, by_track: list[Board]) -> dict[str, Award]:
    """The award place of each entry that holds one: each track's winner, and the overall
    first, second and third (which a track winner may also be: the overall place shows)."""
    awards: dict[str, Award] = {
        row.code: "track" for board in by_track for row in board.standings if row.rank == 1
    }
    for row in overall.standings:
        if row.rank in PLACES:
            awards[row.code] = PLACES[row.rank]
    return awards


def reveal_order(overall: Board) -> list[str]:
    """The ranked entries from the bottom up, the order in which the final reveal shows them."""
    return [row.code for row in reversed(overall.standings) if row.rank is not None]


def next_step(order: list[str], awards: dict[str, Award], step: int, how: str) -> int:
    """The reveal step after `step`: one more row, or (`award`) every row up to the next award
    place at once, and then, from there, that award place alone."""
    step = max(0, min(step, len(order)))
    if how == "row" or step == len(order) or order[step] in awards:
        return min(step + 1, len(order))
    later = [n for n in range(step, len(order)) if order[n] in awards]
    return later[0] if later else len(order)


def reveal(board: Board, shown: set[str], awards: dict[str, Award]) -> Board:
    """A final board as far as the reveal has gone: only the rows of the entries it has shown
    (in the overall order, so a track's board never shows its winner early), award places
    marked."""
    rows = [
        msgspec.structs.replace(row, award=awards.get(row.code))
        for row in board.standings
        if row.code in shown
    ]
    return msgspec.structs.replace(board, standings=rows)


async def snapshot(db: Database) -> bytes:
    """Every track's live board (and the overall one, under ""), as the frozen board keeps it."""
    inputs = await read_inputs(db)
    boards = {"": board_of(inputs)}
    for track in inputs.tracks:
        boards[track.slug] = board_of(inputs, track.slug)
    return msgspec.json.encode(boards)


async def set_visibility(db: Database, visibility: Visibility, actor: str) -> None:
    """Hidden, live, frozen (the public keeps seeing the board of this moment) or final."""
    frozen = await snapshot(db) if visibility == "frozen" else None
    await store.set_visibility(db, visibility, actor, frozen)


class Reveal(msgspec.Struct, frozen=True):
    """The final reveal as the live boards stand: its order and its award places."""

    order: list[str]
    awards: dict[str, Award]
    titles: dict[str, str]

    @classmethod
    def of(cls, overall: Board, by_track: list[Board]) -> "Reveal":
        return cls(
            reveal_order(overall),
            award_places(overall, by_track),
            {row.code: row.title for row in overall.standings},
        )

    @property
    def plan(self) -> list[RevealPause]:
        """Where the reveal pauses: each award place, with the step that shows it."""
        return [
            RevealPause(step=n, code=code, title=self.titles[code], award=self.awards[code])
            for n, code in enumerate(self.order, start=1)
            if code in self.awards
        ]


async def live_reveal(db: Database) -> Reveal:
    inputs = await read_inputs(db)
    return Reveal.of(board_of(inputs), [board_of(inputs, t.slug) for t in inputs.tracks])


async def step_reveal(
    db: Database, step: int | None, actor: str, advance: str | None = None
) -> int:
    """Moves the final reveal to `step` rows shown (from the bottom), or `advance`s it by a
    row or to the next award place; always within the board's size."""
    event = await store.get_event(db)
    if event.visibility != "final":
        raise Invalid("the reveal steps only while the board is final")
    if (step is None) == (advance is None):
        raise Invalid("give either step or advance")
    reveal = await live_reveal(db)
    if advance is not None:
        step = next_step(reveal.order, reveal.awards, event.reveal_step, advance)
    step = max(0, min(step or 0, len(reveal.order)))
    await store.set_reveal_step(db, step, actor)
    return step


def start_worker() -> None:
    """A board worker process runs the rank-range bootstrap in the background: at idle CPU
    priority, so that on a busy machine saves and pushes to viewers go first, and with every
    installed scoring method already loaded."""
    if hasattr(os, "sched_setscheduler"):  # Linux: run only when a core would idle otherwise
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    else:
        os.nice(19)
    scoring.methods()


class Boards:
    """The latest boards, recomputed only when the event's board version moves.

    The inputs are read once per version and shared by every track's board. The quick board
    (no rank ranges) is computed on demand; the ranged one only by `refresh`, which the
    publisher calls once the hall goes quiet, in the worker pool, and is served while current.
    """

    def __init__(self, pool: Executor | None = None) -> None:
        self.pool = pool
        self._inputs: BoardInputs | None = None
        self._quick: dict[str | None, Board] = {}
        self._ranged: dict[str | None, Board] = {}

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
        inputs = await self.inputs(db)
        ranged = self._ranged.get(track)
        if ranged is not None and ranged.version == inputs.event.board_version:
            return ranged
        if track not in self._quick:
            self._quick[track] = board_of(inputs, track)
        return self._quick[track]

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

    async def public(self, db: Database, track: str | None = None) -> Board:
        """What the audience may see: nothing while hidden, the snapshot while frozen, the
        revealed rows while final."""
        return await self.shown(db, await self.live(db, track))

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
            inputs = await self.inputs(db)
            overall = await self.live(db)
            plan = Reveal.of(overall, [await self.live(db, t.slug) for t in inputs.tracks])
            return reveal(board, set(plan.order[: inputs.event.reveal_step]), plan.awards)
        return board
