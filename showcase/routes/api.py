"""The public JSON API: entries, the rubric's criteria and the leaderboard."""

from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Stream

from showcase import store
from showcase.cache import Boards
from showcase.db import Database
from showcase.i18n import current_language
from showcase.live import EVERY, Publisher
from showcase.models import Board, Criterion, PublicEntry
from showcase.routes import answers


class PublicApi(Controller):
    path = "/api"
    tags = ["public"]

    @get("/entries", name="api_entries", responses=answers())
    async def entries(self, db: NamedDependency[Database]) -> list[PublicEntry]:
        return [PublicEntry.of(entry) for entry in await store.list_entries(db)]

    @get("/criteria", name="api_criteria", responses=answers())
    async def criteria(self, db: NamedDependency[Database]) -> list[Criterion]:
        """The rubric's criteria, their names in the visitor's language (else English)."""
        return await store.list_criteria(db, current_language.get())

    @get("/leaderboard", name="api_leaderboard", responses=answers(400, 404))
    async def leaderboard(
        self,
        db: NamedDependency[Database],
        boards: NamedDependency[Boards],
        track: Annotated[str | None, QueryParameter(name="track", required=False)] = None,
    ) -> Board:
        return await boards.public(db, track)

    @get(
        "/leaderboard/stream",
        name="api_leaderboard_stream",
        media_type="text/event-stream",
        responses=answers(400, 404),
    )
    async def stream(
        self,
        request: Request[Any, Any, Any],
        publisher: NamedDependency[Publisher],
        track: Annotated[str | None, QueryParameter(name="track", required=False)] = None,
    ) -> Stream:
        """Server-Sent Events: `event: leaderboard`, the board JSON as `data:`, version as `id:`;
        `?track=*` carries every board on one connection, each naming its `track`."""
        if track != EVERY:
            await publisher.current(track)  # an unknown track is a 404 before streaming
        return Stream(
            publisher.stream(track, request.headers.get("last-event-id")),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
