"""Standings: store -> scoring.Ballots -> method.rank -> Board, and who may see what."""

import scoring
from showcase import store
from showcase.db import Database
from showcase.errors import NotFound
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


def method_of(event: Event) -> scoring.Method:
    return scoring.get(event.method, **event.method_params)


async def live_board(db: Database, track: str | None = None) -> Board:
    """The board as the sheets stand now, whatever the public may see."""
    if track is not None and track not in {t.slug for t in await store.list_tracks(db)}:
        raise NotFound(_("There is no track called %(track)s.") % {"track": track})
    event = await store.get_event(db)
    listed = await store.list_entries(db, track)
    entries = {entry.code: entry for entry in listed}
    standings = method_of(event).rank(await ballots_for(db, listed))
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
        )
        for s in standings
    ]
    return Board(
        event=event.name,
        visibility=event.visibility,
        method=event.method,
        track=track,
        version=event.board_version,
        updated_at=event.updated_at,
        standings=rows,
    )


async def public_board(db: Database, track: str | None = None) -> Board:
    """The board the audience may see: empty while hidden."""
    board = await live_board(db, track)
    if board.visibility == "hidden":
        return Board(
            event=board.event,
            visibility=board.visibility,
            method=board.method,
            track=track,
            version=board.version,
            updated_at=board.updated_at,
            standings=[],
        )
    return board
