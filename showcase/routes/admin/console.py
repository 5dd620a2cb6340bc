"""The organizers' console: the page (or its login form), and the forms it sends."""

import base64
import functools
from collections import Counter
from typing import Any

import msgspec
from litestar import Controller, MediaType, Request, Response, get, post
from litestar.datastructures import FormMultiDict, UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException, TooManyRequestsException
from litestar.response import Redirect, Template

import scoring
from showcase import organizing, store
from showcase.assigning import count_design_parts
from showcase.cache import Boards
from showcase.cards import render_cards
from showcase.db import Database
from showcase.errors import Invalid, ShowcaseError
from showcase.i18n import gettext as _
from showcase.import_plan import ImportPlan
from showcase.models import BoardRow
from showcase.reveal import final_reveal
from showcase.routes import STATUS
from showcase.routes.security import (
    ACTOR,
    log_organizer_in,
    log_organizer_out,
    organizer_in_session,
    organizer_only,
)
from showcase.settings import Settings

VISIBILITIES = ("hidden", "live", "frozen", "final")
CONFIRMED = ("hidden", "final")  # the console asks before these: the hall sees them at once


NOTICE = "notice"
CONTENDER = 0.01  # an entry with this chance of a prize or more is shown as in the running
NO_STORE = {"Cache-Control": "no-store"}


async def console(
    request: Request[Any, Any, Any],
    db: Database,
    error: str = "",
    problems: list[dict[str, Any]] | None = None,
    status_code: int = 400,
    headers: dict[str, str] | None = None,
    confirm: str = "",
    preview: "ImportPreview | None" = None,
) -> Template:
    """The console, or the login form for anyone not logged in. `error` and `problems` say
    what went wrong with the form just sent (answered with `status_code`); `confirm` names a
    visibility to ask about before it is set; a notice left by the last form shows once."""
    name = await organizer_in_session(request)
    event = await store.get_event(db)
    headers = {**NO_STORE, **(headers or {})}
    if name is None:
        return Template(
            template_name="admin/login.html",
            context={"event": event, "error": error},
            status_code=status_code if error else 200,
            headers=headers,
        )
    notice = request.session.get(NOTICE)
    if notice:
        request.set_session({k: v for k, v in request.session.items() if k != NOTICE})
    return Template(
        template_name="admin/console.html",
        status_code=status_code if error else 200,
        headers=headers,
        context={
            "event": event,
            "organizer": name,
            "notice": notice,
            "error": error,
            "problems": problems or [],
            "visibilities": VISIBILITIES,
            "conflicts": await store.list_declared_conflicts(db),
            "prizes": await prize_chances(db, request.app.state.boards),
            "methods": scoring.methods(),
            "reveal": await final_reveal(db, request.app.state.boards),
            "confirm": confirm,
            "preview": preview,
            "progress": await store.list_judge_progress(db),
            "short": await store.list_entries_short(db, event.judges_per_entry),
            "design_parts": await count_design_parts(db),
            "tracks": await store.list_tracks(db),
            "track_entries": Counter(e.track for e in await store.list_entries(db, withdrawn=True)),
        },
    )


class PrizeChances(msgspec.Struct, frozen=True):
    """The entries still in the running for a prize on the overall board, whether its prize
    places are settled, and every other ranked entry (each under a `CONTENDER` chance)."""

    rows: list[BoardRow]
    settled: bool
    others: list[BoardRow]


async def prize_chances(db: Database, boards: Boards) -> PrizeChances:
    board = await boards.live(db)
    if any(row.rank is not None and row.p_prize is None for row in board.standings):
        board = await boards.refresh(db)  # not computed since the last sheet: now, in the worker
    ranked = [row for row in board.standings if row.p_prize is not None]
    rows = [
        row
        for row in ranked
        if row.p_prize >= CONTENDER or row.rank_range[0] <= scoring.PRIZES  # type: ignore[operator,index]
    ]
    others = [row for row in ranked if row not in rows]
    return PrizeChances(rows, bool(rows) and not any(row.too_close for row in rows), others)


class ImportPreview(msgspec.Struct, frozen=True):
    """What a file would do, shown before it is imported, with the file to send back."""

    kind: str
    plan: ImportPlan
    data: str  # the file, base64


def params_from(form: FormMultiDict, method: str) -> dict[str, float]:
    """The parameters the form gives for `method`, from its fields `param.<method>.<name>`
    (blank ones left to their defaults; those of the other methods ignored)."""
    prefix = f"param.{method}."
    params = {}
    for field, value in form.items():
        if field.startswith(prefix) and str(value).strip():
            name = field.removeprefix(prefix)
            try:
                params[name] = float(str(value))
            except ValueError:
                raise Invalid(
                    _("parameter %(parameter)s: %(value)s is not a number")
                    % {"parameter": repr(name), "value": repr(value)}
                ) from None
    return params


def back_to_console(request: Request[Any, Any, Any], notice: str) -> Redirect:
    """To the console, which shows `notice` once."""
    request.set_session({**request.session, NOTICE: notice})
    return Redirect("/admin", status_code=303)


def console_form(path: str, name: str) -> Any:
    """A form the console sends: an organizer's, answered with a redirect to the console, or
    the console again (HTML) saying what was wrong."""
    return post(
        path, name=name, media_type=MediaType.HTML, guards=[organizer_only], dependencies=ACTOR
    )


def refused(request: Request[Any, Any, Any], db: Database, error: ShowcaseError) -> Any:
    """The console again, with what was wrong and the status it stands for."""
    return console(request, db, error.message, error.extra, status_code=STATUS[type(error)])


class ConsolePages(Controller):
    include_in_schema = False

    @get("/admin", name="admin")
    async def home(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database]
    ) -> Template:
        return await console(request, db)

    @post("/admin/login", name="admin_login", media_type=MediaType.HTML)
    async def login(self, request: Request[Any, Any, Any], db: NamedDependency[Database]) -> Any:
        form = await request.form()
        try:
            await log_organizer_in(
                request, db, str(form.get("name", "")).strip(), str(form.get("password", ""))
            )
        except (NotAuthorizedException, TooManyRequestsException) as refused:
            return await console(
                request,
                db,
                refused.detail,
                status_code=refused.status_code,
                headers=refused.headers,
            )
        return Redirect("/admin", status_code=303)

    @post("/admin/logout", name="admin_logout")
    async def logout(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database]
    ) -> Redirect:
        await log_organizer_out(request, db)
        return Redirect("/admin", status_code=303)

    @console_form("/admin/event", "admin_event_form")
    async def event_form(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        boards: NamedDependency[Boards],
        actor: NamedDependency[str],
    ) -> Any:
        """The console's buttons: a board visibility (Final and Hidden asked about first),
        judging open or closed, adaptive judging on or off, a reveal step, a method with its
        parameters, the event's name and time zone."""
        form = await request.form()
        visibility = str(form.get("visibility", ""))
        try:
            if visibility in CONFIRMED and form.get("confirmed") != "yes":
                return await console(request, db, confirm=visibility)
            if visibility in VISIBILITIES:
                await organizing.set_visibility(db, boards, visibility, actor)  # type: ignore[arg-type]
            if form.get("open") in ("true", "false"):
                await organizing.set_judging(db, form.get("open") == "true", actor)
            if form.get("judging_mode"):
                start = str(form.get("start_visits", "")).strip()
                if not start.isdigit():
                    raise Invalid(_("visits of each judge's list first: give a whole number"))
                await organizing.set_adaptive(db, form.get("adaptive") == "on", int(start), actor)
            reveal = str(form.get("reveal", ""))
            if reveal.isdigit():
                await organizing.step_reveal(db, boards, int(reveal), actor)
            elif reveal in ("row", "award"):
                await organizing.step_reveal(db, boards, None, actor, advance=reveal)
            if form.get("method"):
                method = str(form.get("method"))
                await organizing.choose_method(db, method, params_from(form, method), actor)
            if form.get("event_name") is not None and form.get("time_zone") is not None:
                name, zone = str(form.get("event_name")), str(form.get("time_zone"))
                await organizing.set_event_details(db, name.strip(), zone.strip(), actor)
        except ShowcaseError as error:
            return await refused(request, db, error)
        return Redirect("/admin", status_code=303)

    @get("/admin/cards", name="admin_cards", guards=[organizer_only], media_type=MediaType.HTML)
    async def cards(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
    ) -> Response[str]:
        """Every judge's card to print, the links under the event's public address."""
        base_url = settings.base_url or str(request.base_url)
        page = await render_cards(db, base_url, standalone=False)
        return Response(page, media_type=MediaType.HTML, headers=NO_STORE)

    @console_form("/admin/import", "admin_import_form")
    async def import_form(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        boards: NamedDependency[Boards],
        actor: NamedDependency[str],
    ) -> Any:
        """A CSV file of entries or of judges, from the console: first a preview of exactly
        what it would add and change, then (confirmed, the same file sent back) all of it; or
        the console again with every problem listed."""
        form = await request.form()
        upload = form.get("file")
        data = b""
        if isinstance(upload, UploadFile):
            data = await upload.read()
            await upload.close()
        elif form.get("confirmed_file"):
            data = base64.b64decode(str(form.get("confirmed_file")), validate=False)
        kind = "judges" if form.get("kind") == "judges" else "entries"
        run = (
            organizing.import_judges
            if kind == "judges"
            else functools.partial(organizing.import_entries, pool=boards.pool)
        )
        try:
            if not data:
                raise Invalid(_("Choose a CSV file to import."))
            if not form.get("confirmed_file"):
                plan = await run(db, data, actor, dry_run=True)
                preview = ImportPreview(kind, plan, base64.b64encode(data).decode())
                return await console(request, db, preview=preview)
            count = (await run(db, data, actor)).count
        except Invalid as error:
            return await console(request, db, error.message, error.extra)
        if kind == "judges":
            return back_to_console(request, _("Imported %(count)d judges.") % {"count": count})
        return back_to_console(request, _("Imported %(count)d entries.") % {"count": count})

    @console_form("/admin/tracks", "admin_tracks_form")
    async def tracks_form(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        actor: NamedDependency[str],
    ) -> Any:
        """A track added, renamed, moved up or down, or removed (only while it has no entry)."""
        form = await request.form()
        action, name = str(form.get("action", "")), str(form.get("name", ""))
        try:
            if action == "add":
                await organizing.add_track(db, name, actor)
            else:
                await organizing.change_track(db, str(form.get("track", "")), action, name, actor)
        except ShowcaseError as error:
            return await refused(request, db, error)
        return Redirect("/admin", status_code=303)

    @console_form("/admin/assign", "admin_assign_form")
    async def assign_form(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        actor: NamedDependency[str],
    ) -> Any:
        form = await request.form()
        per_entry = str(form.get("per_entry", "3"))
        try:
            plan = await organizing.assign_judges(
                db,
                int(per_entry) if per_entry.isdigit() else 0,
                actor,
                by_country=form.get("by_country") == "on",
                by_track=form.get("by_track") == "on",
            )
        except Invalid as error:
            return await console(request, db, error.message)
        notice = _("Assigned %(visits)d judge visits.") % {"visits": len(plan.pairs)}
        if plan.short:
            notice += " " + _("Short of judges: %(codes)s.") % {"codes": ", ".join(plan.short)}
        return back_to_console(request, notice)
