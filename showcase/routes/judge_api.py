"""The judges' JSON API: the queue, and reading and writing one's own sheets."""

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, HeaderParameter, JSONBody

from showcase import judging, store
from showcase.cache import Boards
from showcase.db import Database
from showcase.errors import Invalid, NotFound
from showcase.models import Judge, NextVisit, Queue, Recusal, RecusalIn, SheetIn, SheetOut
from showcase.routes import CREDENTIALS, TOO_DEEP, answers
from showcase.routes.security import JUDGE, judge_only

IdempotencyKey = Annotated[
    str | None, HeaderParameter(name="idempotency-key", required=False, max_length=200)
]


def decode_sheet(body: bytes) -> SheetIn:
    """The body as a sheet, strictly: a number must be a JSON number, never a string."""
    try:
        raw = msgspec.json.decode(body)
        scores = raw.get("scores") if isinstance(raw, dict) else None
        for key, value in scores.items() if isinstance(scores, dict) else ():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise Invalid(f"criterion {key!r}: {value!r} is not a number")
        return msgspec.convert(raw, type=SheetIn, strict=True)
    except msgspec.ValidationError as error:
        raise Invalid(f"the sheet is not valid: {error}") from None
    except msgspec.DecodeError as error:
        raise Invalid(f"the body is not JSON: {error}") from None
    except RecursionError:
        raise Invalid(TOO_DEEP) from None


class JudgeApi(Controller):
    path = "/api/judge"
    tags = ["judge"]
    guards = [judge_only]
    dependencies = JUDGE

    @get("/queue", name="api_judge_queue", responses=answers(*CREDENTIALS))
    async def queue(self, db: NamedDependency[Database], judge: NamedDependency[Judge]) -> Queue:
        return await judging.queue(db, judge)

    @post("/next", name="api_judge_next", status_code=200, responses=answers(*CREDENTIALS, 404))
    async def next(
        self,
        db: NamedDependency[Database],
        boards: NamedDependency[Boards],
        judge: NamedDependency[Judge],
    ) -> NextVisit:
        """Where this judge goes next: in adaptive judging, the entry chosen for them now (it
        joins their queue); otherwise the next of their list. 404 when nothing is left."""
        item = (await judging.next_visit(db, boards, judge, await store.get_event(db))).item
        if item is None:
            raise NotFound("nothing is left for you to score")
        return NextVisit(item.code, item.title, item.team, item.table, item.picked)

    @get("/sheets/{code:str}", name="api_judge_sheet", responses=answers(*CREDENTIALS, 404))
    async def sheet(
        self, db: NamedDependency[Database], judge: NamedDependency[Judge], code: FromPath[str]
    ) -> SheetOut:
        await judging.assigned(db, judge, code)
        found = await store.get_sheet(db, judge.id, code)
        if found is None:
            raise NotFound(f"you have no sheet for entry {code!r}")
        return found

    @put("/recusals/{code:str}", name="api_judge_recuse", responses=answers(*CREDENTIALS, 404, 423))
    async def recuse(
        self,
        db: NamedDependency[Database],
        judge: NamedDependency[Judge],
        code: FromPath[str],
        data: JSONBody[RecusalIn],
    ) -> Recusal:
        """Declares a conflict with an entry assigned to this judge: its sheet stops counting."""
        return await judging.recuse(db, judge.id, code, data.reason)

    @put(
        "/sheets/{code:str}",
        name="api_judge_save_sheet",
        responses=answers(*CREDENTIALS, 404, 409, 423),
    )
    async def save(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        judge: NamedDependency[Judge],
        code: FromPath[str],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[SheetOut]:
        sheet = decode_sheet(await request.body())
        saved = await judging.save(db, judge, code, sheet, idempotency_key)
        return Response(saved, headers={"Cache-Control": "no-store"})
