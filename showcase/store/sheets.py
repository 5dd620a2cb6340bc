"""Score sheets: the current version of each, every version ever stored, queues and recusals."""

import json
from datetime import UTC, datetime

import msgspec

from showcase.db import Database, Row, Tx
from showcase.errors import Conflict, Forbidden, Locked, NotFound
from showcase.i18n import gettext as _
from showcase.models import DeclaredConflict, SheetIn, SheetOut, Status, StoredSheet
from showcase.store.entries import WALKING_ORDER
from showcase.store.event import bump_board


class QueueItem(msgspec.Struct, frozen=True):
    code: str
    title: str
    team: str
    table: str
    status: Status
    version: int | None
    picked: bool = False  # chosen live by adaptive judging (not on the judge's fixed list)


# Whether a sheet's judge has stepped away from its entry (a recused sheet does not count).
SHEET_RECUSED = """EXISTS (
    SELECT 1 FROM conflict
    WHERE conflict.judge_id = sheet.judge_id AND conflict.entry_id = sheet.entry_id
)"""


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _sheet_out(code: str, row: Row) -> SheetOut:
    return SheetOut(
        code=code,
        scores=json.loads(row["scores"]),
        comment=row["comment"],
        version=row["version"],
        updated_at=row["updated_at"],
    )


async def list_current_sheets(db: Database) -> list[StoredSheet]:
    """Every judge's current sheet for every entry, less those the judge recused from and
    those of withdrawn entries."""
    rows = await db.fetchall(
        f"""
        SELECT sheet.judge_id, entry.code, sheet.scores
        FROM sheet
        JOIN entry ON entry.id = sheet.entry_id
        WHERE NOT {SHEET_RECUSED} AND NOT entry.withdrawn
        ORDER BY sheet.id
        """
    )
    return [StoredSheet(judge_id=row[0], entry=row[1], scores=json.loads(row[2])) for row in rows]


async def get_sheet(db: Database, judge_id: int, code: str) -> SheetOut | None:
    row = await db.fetchone(
        """
        SELECT sheet.version, sheet.scores, sheet.comment, sheet.updated_at
        FROM sheet JOIN entry ON entry.id = sheet.entry_id
        WHERE sheet.judge_id = ? AND entry.code = ?
        """,
        (judge_id, code),
    )
    return _sheet_out(code, row) if row else None


async def list_sheet_versions(db: Database, judge_id: int, code: str) -> list[SheetOut]:
    """Every version of the judge's sheet for the entry, oldest first."""
    rows = await db.fetchall(
        """
        SELECT sheet_version.version, sheet_version.scores, sheet_version.comment,
               sheet_version.saved_at AS updated_at
        FROM sheet_version
        JOIN sheet ON sheet.id = sheet_version.sheet_id
        JOIN entry ON entry.id = sheet.entry_id
        WHERE sheet.judge_id = ? AND entry.code = ?
        ORDER BY sheet_version.version
        """,
        (judge_id, code),
    )
    return [_sheet_out(code, row) for row in rows]


def _may_judge(tx: Tx, judge_id: int, code: str, recusing: bool = False) -> int:
    """The entry's id when this judge may score it (or, `recusing`, step away from it) now;
    the reason why not otherwise. The one guard of both, inside their transactions."""
    entry = tx.fetchone("SELECT id, withdrawn FROM entry WHERE code = ?", (code,))
    if entry is None:
        raise NotFound(_("no entry with the code %(code)s") % {"code": repr(code)})
    if entry["withdrawn"]:
        raise Forbidden(_("entry %(code)s has been withdrawn") % {"code": repr(code)})
    standing = tx.fetchone(
        """
        SELECT
            EXISTS (SELECT 1 FROM assignment WHERE judge_id = :judge AND entry_id = :entry),
            EXISTS (SELECT 1 FROM conflict WHERE judge_id = :judge AND entry_id = :entry),
            (SELECT judging_open FROM event WHERE id = 1)
        """,
        {"judge": judge_id, "entry": entry["id"]},
    )
    assigned, conflicted, judging_open = standing  # type: ignore[misc]
    if not assigned:
        raise Forbidden(_("entry %(code)s is not assigned to you") % {"code": repr(code)})
    if conflicted and not recusing:
        raise Forbidden(_("you recused yourself from entry %(code)s") % {"code": repr(code)})
    if not judging_open:
        raise Locked(_("judging is closed: sheets and recusals can no longer change"))
    return int(entry["id"])


def _check_version(sheet: SheetIn, stored: SheetOut | None) -> None:
    if sheet.version is msgspec.UNSET:
        return
    expected = None if stored is None else stored.version
    if sheet.version != expected:
        seen = "no sheet" if sheet.version is None else f"version {sheet.version}"
        now_is = "no sheet" if stored is None else f"version {stored.version}"
        raise Conflict(
            f"this tablet saw {seen}, but the stored sheet is {now_is}: another save came first",
            extra=msgspec.to_builtins(stored) if stored else None,
        )


def entry_exists(tx: Tx, code: str) -> bool:
    return tx.fetchone("SELECT 1 FROM entry WHERE code = ?", (code,)) is not None


def save_sheet(
    tx: Tx, judge_id: int, code: str, sheet: SheetIn, key: str | None
) -> tuple[SheetOut, bool]:
    """Stores a new version of the judge's sheet, or replays the answer to `key`; says too
    whether a new version was stored.

    The scores must already be checked against the rubric. Saving what is stored already
    changes nothing and answers the stored sheet.
    """
    if key is not None:
        replay = tx.fetchone(
            "SELECT response FROM idempotency WHERE judge_id = ? AND key = ?", (judge_id, key)
        )
        if replay is not None:
            return msgspec.json.decode(replay["response"], type=SheetOut), False
    entry_id = _may_judge(tx, judge_id, code)
    row = tx.fetchone(
        """
        SELECT id, version, scores, comment, updated_at FROM sheet
        WHERE judge_id = ? AND entry_id = ?
        """,
        (judge_id, entry_id),
    )
    stored = _sheet_out(code, row) if row else None
    _check_version(sheet, stored)
    changed = stored is None or (stored.scores, stored.comment) != (sheet.scores, sheet.comment)
    if changed:
        result = _write_version(tx, judge_id, entry_id, code, sheet, row)
        bump_board(tx)
    else:
        result = stored
    if key is not None:
        tx.execute(
            "INSERT INTO idempotency (judge_id, key, status, response) VALUES (?, ?, 200, ?)",
            (judge_id, key, msgspec.json.encode(result)),
        )
    return result, changed


def _write_version(
    tx: Tx, judge_id: int, entry_id: int, code: str, sheet: SheetIn, current: Row | None
) -> SheetOut:
    stamp = now()
    scores = json.dumps(sheet.scores, sort_keys=True)
    if current is None:
        version = 1
        sheet_id = tx.execute(
            """
            INSERT INTO sheet
                (judge_id, entry_id, version, scores, comment, created_at, updated_at)
            VALUES (?, ?, 1, ?, ?, ?, ?)
            """,
            (judge_id, entry_id, scores, sheet.comment, stamp, stamp),
        )
    else:
        version, sheet_id = current["version"] + 1, current["id"]
        tx.execute(
            "UPDATE sheet SET version = ?, scores = ?, comment = ?, updated_at = ? WHERE id = ?",
            (version, scores, sheet.comment, stamp, sheet_id),
        )
    tx.execute(
        """
        INSERT INTO sheet_version (sheet_id, version, scores, comment, saved_at)
        VALUES (?, ?, ?, ?, ?)
        """,
        (sheet_id, version, scores, sheet.comment, stamp),
    )
    return SheetOut(code, json.loads(scores), sheet.comment, version, stamp)


def save_sheets_unchecked(tx: Tx, sheets: list[tuple[int, str, dict[str, float], str]]) -> None:
    """Stores first sheets (judge id, entry code, scores, comment) without the judging checks.

    For seeding a demo event; judges' saves go through `save_sheet`.
    """
    for judge_id, code, scores, comment in sheets:
        entry = tx.fetchone("SELECT id FROM entry WHERE code = ?", (code,))
        assert entry is not None, code
        _write_version(tx, judge_id, entry["id"], code, SheetIn(scores, comment), None)
    bump_board(tx)


async def list_queue(db: Database, judge_id: int) -> list[QueueItem]:
    """The judge's assigned entries in walking order (by table), each with its status."""
    rows = await db.fetchall(
        f"""
        SELECT entry.code, entry.title, entry.team, entry.table_label AS "table", sheet.version,
               assignment.picked_at IS NOT NULL AS picked,
               EXISTS (
                   SELECT 1 FROM conflict
                   WHERE conflict.judge_id = assignment.judge_id
                     AND conflict.entry_id = assignment.entry_id
               ) AS recused
        FROM assignment
        JOIN entry ON entry.id = assignment.entry_id
        LEFT JOIN sheet ON sheet.judge_id = assignment.judge_id
                       AND sheet.entry_id = assignment.entry_id
        WHERE assignment.judge_id = ? AND NOT entry.withdrawn
        ORDER BY {WALKING_ORDER}
        """,
        (judge_id,),
    )
    return [
        QueueItem(
            code=row["code"],
            title=row["title"],
            team=row["team"],
            table=row["table"],
            status="recused" if row["recused"] else ("done" if row["version"] else "todo"),
            version=row["version"],
            picked=bool(row["picked"]),
        )
        for row in rows
    ]


def declare_conflict(tx: Tx, judge_id: int, code: str, reason: str) -> None:
    """The judge steps away from an entry; its sheet, if any, no longer counts."""
    entry_id = _may_judge(tx, judge_id, code, recusing=True)
    tx.execute(
        """
        INSERT INTO conflict (judge_id, entry_id, source, reason) VALUES (?, ?, 'declared', ?)
        ON CONFLICT (judge_id, entry_id) DO UPDATE SET reason = excluded.reason
        """,
        (judge_id, entry_id, reason),
    )
    bump_board(tx)


async def list_declared_conflicts(db: Database) -> list[DeclaredConflict]:
    rows = await db.fetchall(
        """
        SELECT judge.name AS judge, entry.code AS entry, entry.title, conflict.source,
               conflict.reason, conflict.created_at
        FROM conflict
        JOIN judge ON judge.id = conflict.judge_id
        JOIN entry ON entry.id = conflict.entry_id
        WHERE conflict.source = 'declared'
        ORDER BY conflict.created_at DESC
        """
    )
    return [DeclaredConflict(**dict(row)) for row in rows]
