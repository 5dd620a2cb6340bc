"""The admin API of the entries: imports and edits."""

from typing import Any

from litestar import Request, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from showcase import organizing
from showcase.cache import Boards
from showcase.db import Database
from showcase.models import Entry, EntryPatch, Imported
from showcase.routes import CREDENTIALS, answers
from showcase.routes.security import OrganizerApi


class EntriesApi(OrganizerApi):
    @post(
        "/entries/import",
        name="api_admin_import_entries",
        status_code=200,
        responses=answers(*CREDENTIALS),
    )
    async def import_entries(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        boards: NamedDependency[Boards],
        actor: NamedDependency[str],
    ) -> Imported:
        """A CSV body (our columns or a Devpost export): every entry, or none and a 400 that
        names each bad line and column in `extra`."""
        body = await request.body()
        plan = await organizing.import_entries(db, body, actor, pool=boards.pool)
        return Imported(imported=plan.count)

    @patch("/entries/{code:str}", name="api_admin_edit_entry", responses=answers(*CREDENTIALS, 404))
    async def edit_entry(
        self,
        db: NamedDependency[Database],
        actor: NamedDependency[str],
        code: FromPath[str],
        data: JSONBody[EntryPatch],
    ) -> Entry:
        """Changes an entry; `withdrawn` takes it out of every queue and board (its sheets are
        kept) or brings it back."""
        return await organizing.edit_entry(db, code, data, actor)
