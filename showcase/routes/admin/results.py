"""The admin API of what judging produced: the results, the what-if view, the audit trail and
the export of every sheet."""

from typing import Annotated

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from showcase import exporting, store
from showcase.db import Database
from showcase.models import AuditRow
from showcase.results import Results, WhatIf, final_results, what_if
from showcase.routes import CREDENTIALS, answers
from showcase.routes.security import OrganizerApi


class ResultsApi(OrganizerApi):
    @get("/results", name="api_admin_results", responses=answers(*CREDENTIALS, 409))
    async def results(self, db: NamedDependency[Database]) -> Results:
        """The final results: the overall ranking and each track's, with award places."""
        return await final_results(db)

    @get("/whatif", name="api_admin_whatif", responses=answers(*CREDENTIALS, 404))
    async def whatif(
        self,
        db: NamedDependency[Database],
        track: Annotated[str | None, QueryParameter(name="track", required=False)] = None,
    ) -> WhatIf:
        """The ranking under every installed method, and the entries whose prize place (top 3,
        or a track's first) differs between them."""
        return await what_if(db, track)

    @get("/audit", name="api_admin_audit", responses=answers(*CREDENTIALS))
    async def audit(self, db: NamedDependency[Database]) -> list[AuditRow]:
        """Every organizer action, import, assignment, visibility and method change and
        recusal, newest first."""
        return await store.list_audit(db)

    @get("/export", name="api_admin_export", responses=answers(*CREDENTIALS))
    async def export(
        self,
        db: NamedDependency[Database],
        actor: NamedDependency[str],  # asking for it is what requires an admin
        format: Annotated[str, QueryParameter(name="format", required=False)] = "csv",
    ) -> Response[str]:
        """Every score sheet with judge, entry, criterion values, comment and timestamps."""
        body, media_type = await exporting.export_sheets(db, format)
        extension = "csv" if format == "csv" else "json"
        return Response(
            body,
            media_type=media_type,
            headers={
                "Content-Disposition": f'attachment; filename="sheets.{extension}"',
                "Cache-Control": "no-store",
            },
        )
