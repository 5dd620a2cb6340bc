"""The admin API of the event's state: who sees the board, judging open or closed, the reveal
and the ranking method."""

from litestar import post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from showcase import organizing, store
from showcase.cache import Boards
from showcase.db import Database
from showcase.models import AdaptiveIn, BoardIn, EventState, JudgingIn, MethodIn, RevealIn
from showcase.routes import CREDENTIALS, answers
from showcase.routes.security import OrganizerApi


class EventApi(OrganizerApi):
    @post("/board", name="api_admin_board", status_code=200, responses=answers(*CREDENTIALS, 409))
    async def board(
        self,
        db: NamedDependency[Database],
        boards: NamedDependency[Boards],
        actor: NamedDependency[str],
        data: JSONBody[BoardIn],
    ) -> EventState:
        await organizing.set_visibility(db, boards, data.visibility, actor)
        return EventState.of(await store.get_event(db))

    @post(
        "/judging", name="api_admin_judging", status_code=200, responses=answers(*CREDENTIALS, 409)
    )
    async def judging(
        self, db: NamedDependency[Database], actor: NamedDependency[str], data: JSONBody[JudgingIn]
    ) -> EventState:
        await organizing.set_judging(db, data.open, actor)
        return EventState.of(await store.get_event(db))

    @post("/adaptive", name="api_admin_adaptive", status_code=200, responses=answers(*CREDENTIALS))
    async def adaptive(
        self, db: NamedDependency[Database], actor: NamedDependency[str], data: JSONBody[AdaptiveIn]
    ) -> EventState:
        """Adaptive judging on or off: after the first `start_visits` entries of their list,
        each judge is sent where a sheet does the most to settle the prizes."""
        await organizing.set_adaptive(db, data.adaptive, data.start_visits, actor)
        return EventState.of(await store.get_event(db))

    @post("/reveal", name="api_admin_reveal", status_code=200, responses=answers(*CREDENTIALS))
    async def reveal(
        self,
        db: NamedDependency[Database],
        boards: NamedDependency[Boards],
        actor: NamedDependency[str],
        data: JSONBody[RevealIn],
    ) -> EventState:
        await organizing.step_reveal(db, boards, data.step, actor, data.advance)
        return EventState.of(await store.get_event(db))

    @post("/method", name="api_admin_method", status_code=200, responses=answers(*CREDENTIALS))
    async def method(
        self, db: NamedDependency[Database], actor: NamedDependency[str], data: JSONBody[MethodIn]
    ) -> EventState:
        await organizing.choose_method(db, data.method, data.params, actor)
        return EventState.of(await store.get_event(db))
