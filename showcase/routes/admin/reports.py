"""The console's report pages: the results to read out on stage, the ranking under every
method, and the audit trail."""

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Template

from showcase import store
from showcase.db import Database
from showcase.results import final_results, what_if
from showcase.routes.security import organizer_only

NO_STORE = {"Cache-Control": "no-store"}


class ReportPages(Controller):
    include_in_schema = False
    guards = [organizer_only]

    @get("/admin/results", name="admin_results")
    async def results(self, db: NamedDependency[Database]) -> Template:
        """The results with their award places, laid out to print for the stage."""
        return Template(
            template_name="admin/results.html",
            context={
                "event": await store.get_event(db),
                "results": await final_results(db),
                "track_names": {t.slug: t.name for t in await store.list_tracks(db)},
            },
            headers=NO_STORE,
        )

    @get("/admin/whatif", name="admin_whatif")
    async def whatif(
        self,
        db: NamedDependency[Database],
        track: Annotated[str | None, QueryParameter(name="track", required=False)] = None,
    ) -> Template:
        """Each entry's rank under every installed method; prize places in dispute marked."""
        event = await store.get_event(db)
        view = await what_if(db, track)
        ranks = {name: {row.code: row.rank for row in rows} for name, rows in view.methods.items()}
        order = view.methods.get(event.method) or next(iter(view.methods.values()))
        return Template(
            template_name="admin/whatif.html",
            context={
                "event": event,
                "track": track,
                "tracks": await store.list_tracks(db),
                "rows": order,
                "ranks": ranks,
                "disputed": set(view.disputed),
            },
            headers=NO_STORE,
        )

    @get("/admin/audit", name="admin_audit")
    async def audit(self, db: NamedDependency[Database]) -> Template:
        """Who did what, newest first."""
        return Template(
            template_name="admin/audit.html",
            context={"event": await store.get_event(db), "rows": await store.list_audit(db)},
            headers=NO_STORE,
        )
