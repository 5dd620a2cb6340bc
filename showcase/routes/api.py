"""The public JSON API: entries, the rubric's criteria and the leaderboard."""

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from showcase import store
from showcase.board import Boards
from showcase.db import Database
from showcase.models import Board, Criterion, PublicEntry


class PublicApi(Controller):
    path = "/api"
    tags = ["public"]

    @get("/entries", name="api_entries")
    async def entries(self, db: NamedDependency[Database]) -> list[PublicEntry]:
        return [PublicEntry.of(entry) for entry in await store.list_entries(db)]

    @get("/criteria", name="api_criteria")
    async def criteria(self, db: NamedDependency[Database]) -> list[Criterion]:
        return await store.list_criteria(db)

    @get("/leaderboard", name="api_leaderboard")
    async def leaderboard(
        self,
        db: NamedDependency[Database],
        boards: NamedDependency[Boards],
        track: Annotated[str | None, QueryParameter(name="track", required=False)] = None,
    ) -> Board:
        return await boards.public(db, track)
