"""Standings: store -> scoring.Ballots -> method.rank -> Board, and who may see what."""

import scoring
from showcase import store
from showcase.db import Database
from showcase.errors import Invalid, NotFound
from showcase.i18n import gettext as _
from showcase.models import Board, BoardRow, Entry, Event


async def ballots_for(db: Database, entries: list[Entry]) -> scoring.Ballots:
    """The ballots of these entries as the scoring package reads them."""
    codes = {entry.code for entry in entries}
    criteria = [
        scoring.Criterion(key=c.key, weight=c.weight, min=c.min, max=c.max)
        for c in await store.list_criteria(db)
    ]
    sheets = [
        scoring.Sheet(judge=str(s.judge_id), entry=s.entry, scores=s.scores)
        for s in await store.list_current_sheets(db)
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
    return max(20, min(100, 200_000 // max(1, len(ballots.sheets))))


def standings_of(method: scoring.Method, ballots: scoring.Ballots) -> list[scoring.Standing]:
    """The ranking the board, `showcase rank` and exports all show, with rank ranges."""
    return scoring.with_uncertainty(method, ballots, rounds=bootstrap_rounds(ballots), seed=0)


async def live_board(db: Database, track: str | None = None, method: str | None = None) -> Board:
    """The board as the sheets stand now, whatever the public may see."""
    if track is not None and track not in {t.slug for t in await store.list_tracks(db)}:
        raise NotFound(_("There is no track called %(track)s.") % {"track": track})
    event = await store.get_event(db)
    listed = await store.list_entries(db, track)
    entries = {entry.code: entry for entry in listed}
    chosen = method_of(event, method)
    standings = standings_of(chosen, await ballots_for(db, listed))
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
    return Board(
        event=board.event,
        visibility=board.visibility,
        method=board.method,
        track=board.track,
        version=board.version,
        updated_at=board.updated_at,
        standings=[],
    )


class Boards:
    """The latest board of each track, recomputed only when the event's board version moves."""

    def __init__(self) -> None:
        self._latest: dict[str | None, Board] = {}

    async def live(self, db: Database, track: str | None = None) -> Board:
        event = await store.get_event(db)
        cached = self._latest.get(track)
        if cached is not None and cached.version == event.board_version:
            return cached
        board = await live_board(db, track)
        self._latest[track] = board
        return board

    async def public(self, db: Database, track: str | None = None) -> Board:
        """What the audience may see: empty while hidden."""
        board = await self.live(db, track)
        return hide(board) if board.visibility == "hidden" else board
