"""The console's report pages: judging progress (kept current by a stream), the results to
read out on stage, the ranking under every method, the judges an event needs, and the audit
trail."""

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Stream, Template

import scoring
from showcase import store
from showcase.board import method_of
from showcase.db import Database
from showcase.errors import Invalid
from showcase.live import Publisher
from showcase.planning import read_plan
from showcase.progress import calibration_svg, progress_report
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
                "methods": scoring.methods(),
            },
            headers=NO_STORE,
        )

    @get("/admin/plan", name="admin_plan")
    async def plan(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database]
    ) -> Template:
        """How many judges? Entries, judges, minutes a visit and hours of judging in (the
        event's own numbers to start with); the chance of the right top 3 on fixed lists and
        with adaptive judging out."""
        event = await store.get_event(db)
        asked = {key: str(value) for key, value in request.query_params.items()}
        shown = {
            "entries": len(await store.list_entries(db)),
            "judges": len(await store.list_judges(db)),
            "minutes": 6,
            "hours": 3,
        } | asked
        job, error = None, ""
        if asked:
            try:
                plan = read_plan(asked)
                method = method_of(event)
                job = request.app.state.estimates.ask(method.name, event.method_params, plan)
            except Invalid as problem:
                error = problem.message
        return Template(
            template_name="admin/plan.html",
            context={"event": event, "shown": shown, "job": job, "error": error},
            status_code=400 if error else 200,
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


KEEP_ALIVE_SECONDS = 15
CHECK_SECONDS = 1.0


async def progress_changes(db: Database, stopping: asyncio.Event) -> AsyncIterator[bytes]:
    """A Server-Sent Event each time the sheets move (the board's version), and a keep-alive
    comment when nothing has for a while: the progress page then fetches its tables again.
    Ends when the server stops."""
    shown, quiet = None, 0.0
    while not stopping.is_set():
        version = await store.get_board_version(db)
        if version != shown:
            shown, quiet = version, 0.0
            yield b"event: progress\nid: %d\ndata: %d\n\n" % (version, version)
        elif quiet >= KEEP_ALIVE_SECONDS:
            quiet = 0.0
            yield b": keep-alive\n\n"
        await asyncio.sleep(CHECK_SECONDS)
        quiet += CHECK_SECONDS


class ProgressPages(Controller):
    include_in_schema = False
    guards = [organizer_only]

    async def report(self, db: Database, template: str) -> Template:
        event = await store.get_event(db)
        report = await progress_report(db)
        criteria = await store.list_criteria(db)
        low = min((c.min for c in criteria), default=0.0)
        high = max((c.max for c in criteria), default=1.0)
        return Template(
            template_name=template,
            context={
                "event": event,
                "report": report,
                "chart": calibration_svg(report, low, high),
            },
            headers=NO_STORE,
        )

    @get("/admin/progress", name="admin_progress")
    async def page(self, db: NamedDependency[Database]) -> Template:
        """Judging as it goes: judges (the idle ones), entries short of sheets, where judges
        disagree, and each judge's scoring against the pool; kept current by a stream."""
        return await self.report(db, "admin/progress.html")

    @get("/admin/progress/part", name="admin_progress_part")
    async def part(self, db: NamedDependency[Database]) -> Template:
        """The page's tables alone, fetched again each time the stream says the sheets moved."""
        return await self.report(db, "admin/_progress.html")

    @get("/admin/progress/stream", name="admin_progress_stream")
    async def stream(
        self, db: NamedDependency[Database], publisher: NamedDependency[Publisher]
    ) -> Stream:
        return Stream(
            progress_changes(db, publisher.stopping),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
