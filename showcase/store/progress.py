"""How far judging has got: each judge's assigned, scored and recused entries, and each entry's
valid sheets."""

import msgspec

from showcase.db import Database
from showcase.models import EntryProgress, JudgeProgress
from showcase.store.entries import WALKING_ORDER
from showcase.store.sheets import SHEET_RECUSED


async def list_judge_progress(db: Database) -> list[JudgeProgress]:
    rows = await db.fetchall(
        """
        SELECT judge.name,
               count(assignment.entry_id) - count(conflict.judge_id) AS assigned,
               count(sheet.id) FILTER (WHERE conflict.judge_id IS NULL) AS done,
               count(conflict.judge_id) AS recused,
               max(sheet.updated_at) AS last_saved
        FROM judge
        LEFT JOIN assignment ON assignment.judge_id = judge.id
              AND assignment.entry_id NOT IN (SELECT id FROM entry WHERE withdrawn)
        LEFT JOIN sheet ON sheet.judge_id = assignment.judge_id
                       AND sheet.entry_id = assignment.entry_id
        LEFT JOIN conflict ON conflict.judge_id = assignment.judge_id
                          AND conflict.entry_id = assignment.entry_id
        GROUP BY judge.id
        ORDER BY judge.name
        """
    )
    return [msgspec.convert(dict(row), JudgeProgress) for row in rows]


async def list_entries_short(db: Database, per_entry: int) -> list[EntryProgress]:
    """The entries with fewer than `per_entry` valid sheets (a recused judge's sheet does not
    count), fewest first, then in walking order."""
    rows = await db.fetchall(
        f"""
        SELECT entry.code, entry.title, entry.table_label AS "table",
               (SELECT count(*) FROM sheet
                WHERE sheet.entry_id = entry.id AND NOT {SHEET_RECUSED}) AS sheets,
               (SELECT count(*) FROM assignment
                WHERE assignment.entry_id = entry.id AND NOT EXISTS (
                    SELECT 1 FROM conflict
                    WHERE conflict.judge_id = assignment.judge_id
                      AND conflict.entry_id = assignment.entry_id
                )) AS judges
        FROM entry
        WHERE sheets < :per_entry AND NOT entry.withdrawn
        ORDER BY sheets, {WALKING_ORDER}
        """,
        {"per_entry": per_entry},
    )
    return [msgspec.convert(dict(row), EntryProgress) for row in rows]
