"""The score sheets as an export reads them: every current sheet with its judge and entry."""

import json

from showcase.db import Database
from showcase.models import ExportedSheet
from showcase.store.sheets import SHEET_RECUSED


async def list_exported_sheets(db: Database) -> list[ExportedSheet]:
    rows = await db.fetchall(
        f"""
        SELECT judge.name AS judge, entry.code AS entry, entry.title, track.slug AS track,
               sheet.scores, sheet.comment, sheet.version, sheet.created_at, sheet.updated_at,
               {SHEET_RECUSED} AS recused
        FROM sheet
        JOIN judge ON judge.id = sheet.judge_id
        JOIN entry ON entry.id = sheet.entry_id
        JOIN track ON track.id = entry.track_id
        ORDER BY track.position, entry.code, judge.name
        """
    )
    return [
        ExportedSheet(
            judge=row["judge"],
            entry=row["entry"],
            title=row["title"],
            track=row["track"],
            scores=json.loads(row["scores"]),
            comment=row["comment"],
            version=row["version"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            recused=bool(row["recused"]),
        )
        for row in rows
    ]
