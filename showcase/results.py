"""The results as organizers take them away: every board with its award places (the stored
final standings once the board is final), as JSON or as a CSV file for Excel, and the what-if
view of the ranking under every installed method."""

import csv
import io

import msgspec

import scoring
from showcase import store
from showcase.board import all_boards, board_of, check_track, read_inputs
from showcase.db import Database
from showcase.errors import Invalid
from showcase.exporting import BOM
from showcase.models import Board, BoardRow
from showcase.reveal import OVERALL, award_places, decode_kept

FORMATS = ("json", "csv")


class ResultRow(BoardRow, frozen=True, omit_defaults=False):
    """A board row whose award place is always there, null where it holds none."""


class Results(msgspec.Struct, frozen=True):
    overall: list[ResultRow]
    tracks: dict[str, list[ResultRow]]


class WhatIf(msgspec.Struct, frozen=True):
    methods: dict[str, list[BoardRow]]
    disputed: list[str]


async def final_boards(db: Database) -> dict[str, Board]:
    """The boards the results come from: the final standings stored when the board turned
    final, else the boards as the sheets stand now."""
    inputs = await read_inputs(db)
    if inputs.event.visibility == "final":
        kept = await store.get_kept_boards(db)
        if kept is not None:
            return decode_kept(kept)
    return all_boards(inputs)


async def final_results(db: Database) -> Results:
    boards = await final_boards(db)
    awards = award_places(boards[OVERALL], [b for t, b in boards.items() if t != OVERALL])

    def rows(board: Board) -> list[ResultRow]:
        return [
            ResultRow(**{**msgspec.structs.asdict(row), "award": awards.get(row.code)})
            for row in board.standings
        ]

    return Results(
        overall=rows(boards[OVERALL]),
        tracks={track: rows(board) for track, board in boards.items() if track != OVERALL},
    )


def results_csv(results: Results) -> str:
    """One row per entry and board ("overall" or a track's slug), for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["board", "rank", "code", "title", "team", "track", "score", "judges", "award"])
    boards = [("overall", results.overall), *results.tracks.items()]
    for name, rows in boards:
        for row in rows:
            writer.writerow(
                [name, "" if row.rank is None else row.rank, row.code, row.title, row.team]
                + [row.track, "" if row.score is None else row.score, row.judges, row.award or ""]
            )
    return BOM + out.getvalue()


async def export_results(db: Database, format: str) -> tuple[str, str]:
    """The final results and their media type."""
    if format not in FORMATS:
        raise Invalid(f"unknown results format {format!r}: use json or csv")
    results = await final_results(db)
    if format == "csv":
        return results_csv(results), "text/csv"
    return msgspec.json.encode(results).decode(), "application/json"


def prize_place(row: BoardRow, track: str | None) -> int | None:
    """The prize place a row holds: a top-3 rank overall, first place in a track's board."""
    prizes = 1 if track else 3
    return row.rank if row.rank is not None and row.rank <= prizes else None


async def what_if(db: Database, track: str | None = None) -> WhatIf:
    """The board under every installed method (each with its default parameters, the event's
    own with the event's), and the entries whose prize place differs between them."""
    inputs = await read_inputs(db)
    check_track(inputs, track)
    boards = {name: board_of(inputs, track, name) for name in scoring.methods()}
    places: dict[str, set[int | None]] = {}
    for board in boards.values():
        for row in board.standings:
            places.setdefault(row.code, set()).add(prize_place(row, track))
    disputed = [code for code, held in places.items() if len(held) > 1 and held != {None}]
    shown = boards.get(inputs.event.method) or next(iter(boards.values()))
    order = [row.code for row in shown.standings]
    return WhatIf(
        methods={name: board.standings for name, board in boards.items()},
        disputed=sorted(disputed, key=order.index),
    )
