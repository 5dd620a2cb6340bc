"""Who sees what: hidden, live, frozen and final, the boards kept by a freeze or a final, and the
final reveal's steps, which read the final standings stored when the board turned final."""

from typing import TYPE_CHECKING

import msgspec

from showcase.db import Database
from showcase.errors import Invalid
from showcase.i18n import gettext as _
from showcase.models import Award, Board, BoardRow, Entry, Event, RevealPause

if TYPE_CHECKING:
    from showcase.cache import Boards

PLACES: dict[int, Award] = {1: "first", 2: "second", 3: "third"}
OVERALL = ""


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


class Reveal(msgspec.Struct, frozen=True):
    """The final reveal of a set of boards: its order and its award places."""

    order: list[str]
    awards: dict[str, Award]
    titles: dict[str, str]

    @classmethod
    def of(cls, boards: dict[str, Board]) -> "Reveal":
        overall = boards[OVERALL]
        by_track = [board for track, board in boards.items() if track != OVERALL]
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

    def shown(self, board: Board, step: int) -> Board:
        """A final board as far as the reveal has gone: only the rows of the entries shown by
        `step` (in the overall order, so a track's board never shows its winner early), award
        places marked."""
        shown = set(self.order[:step])
        rows = [
            msgspec.structs.replace(row, award=self.awards.get(row.code))
            for row in board.standings
            if row.code in shown
        ]
        return msgspec.structs.replace(board, standings=rows)


def unscored(entry: Entry) -> BoardRow:
    return BoardRow(
        rank=None,
        code=entry.code,
        title=entry.title,
        team=entry.team,
        track=entry.track,
        score=None,
        judges=0,
    )


def as_frozen(kept: Board | None, live: Board, entries: list[Entry], event: Event) -> Board:
    """The board as it stood at the freeze, rank ranges and all. An entry (or a whole track)
    added since shows without a score, and nothing about the board moves while frozen."""
    rows = list(kept.standings) if kept is not None else []
    known = {row.code for row in rows}
    rows += [
        unscored(entry)
        for entry in entries
        if entry.code not in known and (live.track is None or entry.track == live.track)
    ]
    return msgspec.structs.replace(
        kept or live,
        track=live.track,
        visibility="frozen",
        version=event.shown_version,
        updated_at=event.shown_at,
        standings=rows,
    )


def as_hidden(live: Board, event: Event) -> Board:
    """Nothing of the live board: no rows, and the version and time of the change that hid it."""
    return msgspec.structs.replace(
        live, standings=[], version=event.shown_version, updated_at=event.shown_at
    )


def as_final(kept: dict[str, Board], live: Board, event: Event, reveal: Reveal) -> Board:
    """The stored final standings of this board, as far as the reveal has gone."""
    final = kept.get(live.track or OVERALL)
    if final is None:  # a track added after the results were fixed holds no result
        final = msgspec.structs.replace(live, standings=[])
    final = msgspec.structs.replace(  # the version of the last reveal step: nothing live
        final, visibility="final", version=event.shown_version, updated_at=event.shown_at
    )
    return reveal.shown(final, event.reveal_step)


def decode_kept(kept: bytes) -> dict[str, Board]:
    return msgspec.json.decode(kept, type=dict[str, Board])


async def final_reveal(db: Database, boards: "Boards") -> Reveal | None:
    """The reveal of the stored final standings; None unless the board is final."""
    kept = await boards.kept(db)
    event = (await boards.inputs(db)).event
    return Reveal.of(kept) if kept and event.visibility == "final" else None


async def reveal_step_to(
    db: Database, boards: "Boards", step: int | None, advance: str | None = None
) -> int:
    """Where the final reveal goes: to `step` rows shown (from the bottom), or on from where it
    is by a row or to the next award place (`advance`); always within the final standings."""
    if (step is None) == (advance is None):
        raise Invalid(_("give either step or advance"))
    reveal = await final_reveal(db, boards)
    if reveal is None:
        raise Invalid(_("the reveal steps only while the board is final"))
    event = (await boards.inputs(db)).event
    if advance is not None:
        step = next_step(reveal.order, reveal.awards, event.reveal_step, advance)
    return max(0, min(step or 0, len(reveal.order)))
