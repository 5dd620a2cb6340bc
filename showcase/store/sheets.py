"""Score sheets: the current version of each, and every version ever stored."""

import json
from datetime import UTC, datetime

from showcase.db import Database
from showcase.models import StoredSheet
from showcase.store.event import audit, bump_board


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


async def list_current_sheets(db: Database) -> list[StoredSheet]:
    """The current sheet of every judge for every entry (one row each: cheap to read)."""
    rows = await db.fetchall(
        """
        SELECT sheet.judge_id, entry.code, sheet.scores
        FROM sheet JOIN entry ON entry.id = sheet.entry_id
        ORDER BY sheet.id
        """
    )
    return [StoredSheet(judge_id=row[0], entry=row[1], scores=json.loads(row[2])) for row in rows]


async def save_sheets_unchecked(
    db: Database, sheets: list[tuple[int, str, dict[str, float], str]], actor: str
) -> None:
    """Stores first sheets (judge id, entry code, scores, comment) without the judging checks.

    For seeding a demo event; judges' saves go through the checked path.
    """
    async with db.transaction() as tx:
        for judge_id, code, scores, comment in sheets:
            stamp = now()
            encoded = json.dumps(scores, sort_keys=True)
            sheet_id = await tx.execute(
                """
                INSERT INTO sheet
                    (judge_id, entry_id, version, scores, comment, created_at, updated_at)
                SELECT ?, id, 1, ?, ?, ?, ? FROM entry WHERE code = ?
                """,
                (judge_id, encoded, comment, stamp, stamp, code),
            )
            await tx.execute(
                """
                INSERT INTO sheet_version (sheet_id, version, scores, comment, saved_at)
                VALUES (?, 1, ?, ?, ?)
                """,
                (sheet_id, encoded, comment, stamp),
            )
        await bump_board(tx)
        await audit(tx, actor, "seed_sheets", count=len(sheets))
