"""The judges' pages: the login link, the queue, the score form with its no-JavaScript save."""

from pathlib import Path
from typing import Annotated, Any

from litestar import Controller, MediaType, Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import File, Redirect, Template

import showcase
from showcase import judging, rubric, store
from showcase.cache import Boards
from showcase.db import Database
from showcase.errors import Conflict, Invalid
from showcase.i18n import current_language
from showcase.models import Criterion, Judge, SheetIn, SheetOut
from showcase.routes.security import JUDGE, judge_only, log_judge_in

NO_STORE = {"Cache-Control": "no-store"}
NO_CACHE = {"Cache-Control": "no-cache"}
WORKER = Path(showcase.__file__).parent / "static" / "judge-sw.js"
Saved = Annotated[str | None, QueryParameter(name="saved", required=False)]


def sheet_from_form(form: FormMultiDict, criteria: list[Criterion]) -> tuple[SheetIn, list[str]]:
    """The sheet a form posted, and the names of the criteria it left unscored."""
    scores: dict[str, float] = {}
    unscored = []
    for criterion in criteria:
        try:
            scores[criterion.key] = float(form.get(criterion.key, ""))
        except ValueError:
            unscored.append(criterion.name)
    seen = str(form.get("version", "")).strip()
    return (
        SheetIn(
            scores=scores,
            comment=str(form.get("comment", ""))[:4000],
            version=int(seen) if seen.isdigit() else None,
        ),
        unscored,
    )


def destination(item: store.QueueItem | None, saved: str) -> str:
    where = f"/judge/entries/{item.code}" if item else "/judge"
    return f"{where}?saved={saved}"


async def sheet_page(
    db: Database,
    judge: Judge,
    code: str,
    *,
    shown: SheetIn | SheetOut | None = None,
    errors: list[str] | None = None,
    saved: str | None = None,
    status_code: int = 200,
) -> Template:
    entry, items, mine = await judging.assigned(db, judge, code)
    stored = await store.get_sheet(db, judge.id, code)
    criteria = await store.list_criteria(db, current_language.get())
    levels = await store.list_levels(db, current_language.get())
    labels = {key: {level.value: level.label for level in found} for key, found in levels.items()}
    return Template(
        template_name="judge/sheet.html",
        context={
            "event": await store.get_event(db),
            "judge": judge,
            "entry": entry,
            "item": mine,
            "items": items,
            "criteria": [
                (c, [(v, labels.get(c.key, {}).get(v, "")) for v in rubric.allowed_values(c)])
                for c in criteria
            ],
            "shown": shown or stored,
            "stored": stored,
            "next": judging.next_to_visit(items, code),
            "errors": errors or [],
            "saved": saved,
        },
        status_code=status_code,
        headers=NO_STORE,
    )


class JudgePages(Controller):
    include_in_schema = False

    @get("/judge-sw.js", name="judge_worker")
    async def worker(self) -> File:
        """The service worker that keeps a judge's pages for the hall's dead spots. Served from
        the root so that its scope can cover /judge."""
        return File(
            WORKER,
            media_type="text/javascript",
            content_disposition_type="inline",
            headers=NO_CACHE,
        )

    @get("/j/{token:str}", name="judge_login")
    async def login(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Redirect:
        await log_judge_in(request, token)
        return Redirect("/judge", status_code=303, headers=NO_STORE)

    @get("/judge", name="judge_queue", guards=[judge_only], dependencies=JUDGE)
    async def queue(
        self,
        db: NamedDependency[Database],
        boards: NamedDependency[Boards],
        judge: NamedDependency[Judge],
        saved: Saved = None,
    ) -> Template:
        """The judge's list in walking order, and where to go next: in adaptive judging, the
        entry chosen for them, its table in large type."""
        event = await store.get_event(db)
        next_item, items = await judging.next_visit(db, boards, judge, event)
        return Template(
            template_name="judge/queue.html",
            context={
                "event": event,
                "judge": judge,
                "items": items,
                "next": next_item,
                "done": sum(1 for item in items if item.status == "done"),
                "recused": sum(1 for item in items if item.status == "recused"),
                "saved": saved,
            },
            headers=NO_STORE,
        )

    @get(
        "/judge/entries/{code:str}",
        name="judge_sheet",
        guards=[judge_only],
        dependencies=JUDGE,
    )
    async def sheet(
        self,
        db: NamedDependency[Database],
        judge: NamedDependency[Judge],
        code: FromPath[str],
        saved: Saved = None,
    ) -> Template:
        return await sheet_page(db, judge, code, saved=saved)

    @post(
        "/judge/entries/{code:str}",
        name="judge_save",
        media_type=MediaType.HTML,  # the form again (errors, or both sheets), or a redirect
        guards=[judge_only],
        dependencies=JUDGE,
    )
    async def save(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        judge: NamedDependency[Judge],
        code: FromPath[str],
    ) -> Any:
        await judging.assigned(db, judge, code)  # not theirs: 403 before the form is read
        criteria = await store.list_criteria(db, current_language.get())
        sheet, unscored = sheet_from_form(await request.form(), criteria)
        if unscored:
            return await sheet_page(db, judge, code, shown=sheet, errors=unscored, status_code=400)
        try:
            saved = await judging.save(db, judge, code, sheet, None)
        except Invalid as error:
            return await sheet_page(
                db, judge, code, shown=sheet, errors=[error.message], status_code=400
            )
        except Conflict:
            return await conflict_page(db, judge, code, sheet)
        if (await store.get_event(db)).adaptive:  # the queue page shows where to go next
            return Redirect(f"/judge?saved={saved.code}", status_code=303)
        next_item = judging.next_to_visit(await store.list_queue(db, judge.id), code)
        return Redirect(destination(next_item, f"{saved.code}"), status_code=303)

    @post(
        "/judge/entries/{code:str}/recuse",
        name="judge_recuse",
        guards=[judge_only],
        dependencies=JUDGE,
    )
    async def recuse(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        judge: NamedDependency[Judge],
        code: FromPath[str],
    ) -> Redirect:
        await judging.recuse(db, judge.id, code, str((await request.form()).get("reason", "")))
        return Redirect("/judge", status_code=303)


async def conflict_page(db: Database, judge: Judge, code: str, mine: SheetIn) -> Template:
    """Another tablet saved first: both sheets side by side, and the judge keeps one."""
    stored = await store.get_sheet(db, judge.id, code)
    entry = await store.get_entry(db, code)
    return Template(
        template_name="judge/conflict.html",
        context={
            "event": await store.get_event(db),
            "judge": judge,
            "entry": entry,
            "mine": mine,
            "stored": stored,
            "criteria": await store.list_criteria(db, current_language.get()),
        },
        status_code=409,
        headers=NO_STORE,
    )
