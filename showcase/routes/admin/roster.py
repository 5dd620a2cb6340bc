"""The console's lists of entries and of judges (searchable, each row editable, entries
withdrawn or brought back, judges added, deactivated, given a new link), and the rubric editor."""

from typing import Annotated, Any

import msgspec
from litestar import Controller, MediaType, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from showcase import auth, organizing, store
from showcase.db import Database
from showcase.errors import Invalid, ShowcaseError
from showcase.i18n import gettext as _
from showcase.models import EntryPatch, NewJudge
from showcase.routes import STATUS
from showcase.routes.public import matches
from showcase.routes.security import ACTOR, organizer_only
from showcase.rubric import read_rubric, rubric_toml
from showcase.settings import Settings

NO_STORE = {"Cache-Control": "no-store"}
Search = Annotated[str, QueryParameter(name="q", required=False, max_length=200)]
ENTRY_FIELDS = ("title", "team", "track", "table", "affiliation")
JUDGE_FIELDS = ("name", "email", "affiliation", "country", "tracks")


def fields_of(form: Any, names: tuple[str, ...]) -> dict[str, str]:
    return {name: str(form.get(name)).strip() for name in names if form.get(name) is not None}


async def roster(
    db: Database, kind: str, q: str, error: str, status_code: int, **context: Any
) -> Template:
    """The list page of `kind` (entries or judges), with its search and any error."""
    return Template(
        template_name=f"admin/{kind}.html",
        context={"event": await store.get_event(db), "q": q, "error": error, **context},
        status_code=status_code,
        headers=NO_STORE,
    )


class RosterPages(Controller):
    include_in_schema = False
    guards = [organizer_only]
    dependencies = ACTOR

    async def entries_page(
        self, db: Database, q: str = "", error: str = "", status_code: int = 200
    ) -> Template:
        entries = await store.list_entries(db, withdrawn=True)
        if q:
            entries = [e for e in entries if matches(q, e.code, e.title, e.team, e.affiliation)]
        tracks = await store.list_tracks(db)
        return await roster(db, "entries", q, error, status_code, entries=entries, tracks=tracks)

    @get("/admin/entries", name="admin_entries")
    async def entries(self, db: NamedDependency[Database], q: Search = "") -> Template:
        """Every entry, withdrawn ones too, to find by code, title, team or affiliation."""
        return await self.entries_page(db, q.strip())

    @post("/admin/entries/{code:str}", name="admin_entry_form", media_type=MediaType.HTML)
    async def edit_entry(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        actor: NamedDependency[str],
        code: FromPath[str],
    ) -> Any:
        """An entry's fields changed, or (`withdrawn`) the entry withdrawn or brought back."""
        form = await request.form()
        changes: dict[str, Any] = fields_of(form, ENTRY_FIELDS)
        if form.get("withdrawn") in ("true", "false"):
            changes["withdrawn"] = form.get("withdrawn") == "true"
        try:
            patch = msgspec.convert(changes, EntryPatch)
            await organizing.edit_entry(db, code, patch, actor)
        except msgspec.ValidationError as error:
            return await self.entries_page(db, error=str(error), status_code=400)
        except ShowcaseError as error:
            status = STATUS[type(error)]
            return await self.entries_page(db, error=error.message, status_code=status)
        return Redirect(f"/admin/entries#entry-{code}", status_code=303)

    async def judges_page(
        self,
        db: Database,
        q: str = "",
        error: str = "",
        status_code: int = 200,
        new_link: tuple[str, str] | None = None,
    ) -> Template:
        judges = await store.list_judges(db, inactive=True)
        if q:
            judges = [j for j in judges if matches(q, j.name, j.email, j.affiliation)]
        visits = await store.list_assignments(db)
        return await roster(
            db, "judges", q, error, status_code, judges=judges, new_link=new_link, visits=visits
        )

    @get("/admin/judges", name="admin_judges")
    async def judges(self, db: NamedDependency[Database], q: Search = "") -> Template:
        """Every judge, deactivated ones too, to find by name, email or affiliation."""
        return await self.judges_page(db, q.strip())

    @post("/admin/judges", name="admin_add_judge", media_type=MediaType.HTML)
    async def add_judge(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        actor: NamedDependency[str],
    ) -> Any:
        fields = fields_of(await request.form(), JUDGE_FIELDS)
        try:
            if not fields.get("name"):
                raise Invalid(_("a judge needs a name"))
            await organizing.add_judges(db, [NewJudge(**fields)], actor)
        except ShowcaseError as error:
            status = STATUS[type(error)]
            return await self.judges_page(db, error=error.message, status_code=status)
        return Redirect("/admin/judges", status_code=303)

    @post("/admin/judges/{judge_id:int}", name="admin_judge_form", media_type=MediaType.HTML)
    async def edit_judge(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
        actor: NamedDependency[str],
        judge_id: FromPath[int],
    ) -> Any:
        """A judge's details changed, the judge deactivated or back, given a new link (the old
        one stops working; the new one is shown once, here), or one entry put in their queue or
        taken out."""
        form = await request.form()
        try:
            if form.get("action") in ("new_link", "revoke_link"):
                judge = await store.get_judge(db, judge_id)
                if judge is None or not judge.active:
                    raise Invalid(_("only an active judge can be given a new link"))
                await organizing.rotate_judge_link(db, judge.name, actor)
                if form.get("action") == "revoke_link":  # the old link ends; none is handed out
                    return Redirect(f"/admin/judges#judge-{judge_id}", status_code=303)
                base_url = settings.base_url or str(request.base_url)
                link = next(
                    link for link in await auth.judge_links(db, base_url) if link.judge == judge_id
                )
                return await self.judges_page(db, new_link=(judge.name, link.url))
            if form.get("action") in ("visit", "unvisit"):
                code = str(form.get("entry", "")).strip()
                await organizing.set_visit(db, judge_id, code, form.get("action") == "visit", actor)
                return Redirect(f"/admin/judges#judge-{judge_id}", status_code=303)
            changes: dict[str, Any] = fields_of(form, JUDGE_FIELDS)
            if form.get("active") in ("true", "false"):
                changes["active"] = form.get("active") == "true"
            await organizing.edit_judge(db, judge_id, changes, actor)
        except ShowcaseError as error:
            status = STATUS[type(error)]
            return await self.judges_page(db, error=error.message, status_code=status)
        return Redirect(f"/admin/judges#judge-{judge_id}", status_code=303)


class RubricPage(Controller):
    include_in_schema = False
    guards = [organizer_only]
    dependencies = ACTOR

    async def page(
        self, db: Database, text: str | None = None, error: str = "", status_code: int = 200
    ) -> Template:
        return Template(
            template_name="admin/rubric.html",
            context={
                "event": await store.get_event(db),
                "text": text if text is not None else rubric_toml(await store.get_rubric(db)),
                "sheets": len(await store.list_current_sheets(db)),
                "error": error,
            },
            status_code=status_code,
            headers=NO_STORE,
        )

    @get("/admin/rubric", name="admin_rubric")
    async def show(self, db: NamedDependency[Database]) -> Template:
        """The rubric as its file, to edit: criteria, weights, ranges, steps and labels, each
        text in English and Korean."""
        return await self.page(db)

    @post("/admin/rubric", name="admin_rubric_form", media_type=MediaType.HTML)
    async def save(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        actor: NamedDependency[str],
    ) -> Any:
        text = str((await request.form()).get("rubric", ""))
        try:
            await organizing.set_rubric(db, read_rubric(text.encode()), actor)
        except ShowcaseError as error:
            return await self.page(db, text, error.message, STATUS[type(error)])
        return Redirect("/admin/rubric", status_code=303)
