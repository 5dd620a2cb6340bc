"""Standings: store -> scoring.Ballots -> method.rank -> Board, a pure function of the sheets."""

import os
import threading
import time

import msgspec

import scoring
from showcase import store
from showcase.db import Database
from showcase.errors import Invalid, NotFound
from showcase.i18n import gettext as _
from showcase.models import Board, BoardRow, Entry, Event, StoredSheet, Track

PARENT_CHECK_SECONDS = 0.5


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


def check_method(name: str, params: dict[str, float]) -> None:
    """That the method `name` is installed and takes `params`, or an Invalid saying why not."""
    try:
        scoring.get(name, **params)
    except scoring.UnknownMethod:
        raise Invalid(
            _("no ranking method %(method)s is installed: choose one of %(methods)s")
            % {"method": repr(name), "methods": ", ".join(sorted(scoring.methods()))}
        ) from None
    except scoring.InvalidParameter as error:
        declared = {p.name: p for p in scoring.methods()[name].parameters}
        param = declared.get(error.parameter)
        if param is None:
            message = _("method %(method)s takes no parameter %(parameter)s")
        else:
            message = _(
                "method %(method)s, parameter %(parameter)s: give a number from %(min)s to %(max)s"
            )
        values = {"method": repr(name), "parameter": repr(error.parameter)}
        if param is not None:
            values |= {"min": f"{param.min:g}", "max": f"{param.max:g}"}
        raise Invalid(message % values) from None
    except (TypeError, ValueError) as error:
        raise Invalid(
            _("method %(method)s does not take these parameters: %(error)s")
            % {"method": repr(name), "error": error}
        ) from None


def standings_of(
    method: scoring.Method, ballots: scoring.Ballots, prizes: int = scoring.PRIZES
) -> list[scoring.Standing]:
    """The ranking the board, `showcase rank` and exports all show, with rank ranges and each
    entry's chance of one of the `prizes` places."""
    return scoring.with_uncertainty(method, ballots, prizes=prizes, seed=0)


def planner_of(inputs: BoardInputs) -> scoring.Planner:
    """The prize chances of the overall board as the sheets stand, for adaptive judging's
    choices (seeded by the board's version, so one moment always plans alike)."""
    method = method_of(inputs.event)
    return scoring.Planner(method, ballots_for(inputs, None), seed=inputs.event.board_version)


def check_track(inputs: BoardInputs, track: str | None) -> None:
    if track is not None and track not in {t.slug for t in inputs.tracks}:
        raise NotFound(_("There is no track called %(track)s.") % {"track": track})


def board_of(
    inputs: BoardInputs, track: str | None = None, method: str | None = None, ranged: bool = False
) -> Board:
    """The board as the sheets stand in `inputs`, whatever the public may see.

    `ranged` adds each entry's rank range and prize chance, drawn from the judge model at
    the cost of many rankings. A pure
    function of picklable data, so a worker process can run it.
    """
    check_track(inputs, track)
    entries = {entry.code: entry for entry in inputs.entries}
    chosen = method_of(inputs.event, method)
    ballots = ballots_for(inputs, track)
    prizes = scoring.PRIZES if track is None else 1  # a track's prize is its first place
    standings = standings_of(chosen, ballots, prizes) if ranged else chosen.rank(ballots)
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
            p_prize=s.detail.get("p_prize"),
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


def all_boards(inputs: BoardInputs, ranged: bool = False) -> dict[str, Board]:
    """The overall board (under "") and each track's, as the sheets stand in `inputs`."""
    boards = {"": board_of(inputs, None, ranged=ranged)}
    for track in inputs.tracks:
        boards[track.slug] = board_of(inputs, track.slug, ranged=ranged)
    return boards


def start_worker(server: int) -> None:
    """A board worker process computes rank ranges and prize chances in the background: at idle CPU
    priority, so that on a busy machine saves and pushes to viewers go first, with every
    installed scoring method already loaded, and only while its `server` process lives."""
    if hasattr(os, "sched_setscheduler"):  # Linux: run only when a core would idle otherwise
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    else:
        os.nice(19)
    threading.Thread(target=exit_with_parent, args=(server,), daemon=True).start()
    scoring.methods()


def exit_with_parent(parent: int) -> None:
    """Ends this worker once its server is gone, even when the server was killed outright and
    could not shut its pool down (or was killed before this worker started)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)
