"""Adaptive judging's visits: the entries a judge may be sent to, the visits chosen live and
still under way, where a judge stands, and the choice itself."""

from showcase.db import Database, Tx
from showcase.errors import Forbidden, Locked, NotFound
from showcase.i18n import gettext as _
from showcase.store.entries import WALKING_ORDER

PENDING_MINUTES = 30  # a visit chosen longer ago and still unscored no longer counts as under way


def set_adaptive(tx: Tx, adaptive: bool, start_visits: int) -> None:
    tx.execute(
        "UPDATE event SET adaptive = ?, start_visits = ? WHERE id = 1",
        (int(adaptive), start_visits),
    )


async def count_pending_visits(db: Database, judge_id: int) -> dict[str, int]:
    """The visits other judges were sent on in the last `PENDING_MINUTES` and have not scored
    yet, by entry code."""
    rows = await db.fetchall(
        f"""
        SELECT entry.code, count(*) AS visits
        FROM assignment JOIN entry ON entry.id = assignment.entry_id
        WHERE assignment.picked_at IS NOT NULL AND assignment.judge_id <> :judge
          AND assignment.picked_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now',
                                              '-{PENDING_MINUTES} minutes')
          AND NOT EXISTS (
              SELECT 1 FROM sheet WHERE sheet.judge_id = assignment.judge_id
                                    AND sheet.entry_id = assignment.entry_id
          )
          AND NOT EXISTS (
              SELECT 1 FROM conflict WHERE conflict.judge_id = assignment.judge_id
                                       AND conflict.entry_id = assignment.entry_id
          )
        GROUP BY entry.code
        """,
        {"judge": judge_id},
    )
    return {row["code"]: row["visits"] for row in rows}


async def list_walk(db: Database) -> list[str]:
    """Every entry still in the event, in the order a judge walks the hall."""
    rows = await db.fetchall(f"SELECT code FROM entry WHERE NOT withdrawn ORDER BY {WALKING_ORDER}")
    return [row["code"] for row in rows]


async def get_last_visited(db: Database, judge_id: int) -> str | None:
    """The entry of the judge's latest save: where they stand in the hall."""
    row = await db.fetchone(
        """
        SELECT entry.code FROM sheet JOIN entry ON entry.id = sheet.entry_id
        WHERE sheet.judge_id = ? ORDER BY sheet.updated_at DESC, sheet.id DESC LIMIT 1
        """,
        (judge_id,),
    )
    return row["code"] if row else None


def pick_visit(tx: Tx, judge_id: int, code: str) -> None:
    """Sends the judge to the entry: it joins their queue (if it was not there) as a visit
    chosen now. Never an entry they are in conflict with, a withdrawn one, or while judging is
    closed."""
    entry = tx.fetchone("SELECT id, withdrawn FROM entry WHERE code = ?", (code,))
    if entry is None:
        raise NotFound(_("no entry with the code %(code)s") % {"code": repr(code)})
    if entry["withdrawn"]:
        raise Forbidden(_("entry %(code)s has been withdrawn") % {"code": repr(code)})
    if tx.fetchone(
        "SELECT 1 FROM conflict WHERE judge_id = ? AND entry_id = ?", (judge_id, entry["id"])
    ):
        raise Forbidden(_("you have a conflict with entry %(code)s") % {"code": repr(code)})
    if not tx.fetchone("SELECT judging_open FROM event WHERE id = 1")[0]:  # type: ignore[index]
        raise Locked(_("judging is closed: sheets and recusals can no longer change"))
    tx.execute(
        """
        INSERT INTO assignment (judge_id, entry_id, picked_at)
        VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        ON CONFLICT (judge_id, entry_id) DO UPDATE SET picked_at = excluded.picked_at
        """,
        (judge_id, entry["id"]),
    )
