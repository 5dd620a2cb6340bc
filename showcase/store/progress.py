"""How far judging has got: each judge's assigned, scored and recused entries."""

import msgspec

from showcase.db import Database
from showcase.models import JudgeProgress


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
        LEFT JOIN sheet ON sheet.judge_id = assignment.judge_id
                       AND sheet.entry_id = assignment.entry_id
        LEFT JOIN conflict ON conflict.judge_id = assignment.judge_id
                          AND conflict.entry_id = assignment.entry_id
        GROUP BY judge.id
        ORDER BY judge.name
        """
    )
    return [msgspec.convert(dict(row), JudgeProgress) for row in rows]
