"""Who is asking: guards that settle it before a body is read, CSRF for cookie sessions only,
and guess limits that slow and stop a guesser but never a valid credential."""

import asyncio
import math
import re
from dataclasses import dataclass
from typing import Any, NoReturn

from litestar import Controller, Request
from litestar.connection import ASGIConnection
from litestar.di import Provide
from litestar.exceptions import NotAuthorizedException, TooManyRequestsException
from litestar.handlers import BaseRouteHandler
from litestar.middleware.csrf import CSRFMiddleware
from litestar.middleware.session.client_side import ClientSideSessionBackend, CookieBackendConfig
from litestar.types import Empty, Message, Receive, Scope, ScopeSession, Send

from showcase import auth, organizing, store
from showcase.db import Database
from showcase.errors import Forbidden
from showcase.i18n import gettext as _
from showcase.models import Judge

SESSION_ORGANIZER = "organizer"
SESSION_ORGANIZER_GENERATION = "organizer_generation"
SESSION_JUDGE = "judge"
SESSION_GENERATION = "generation"
SHEET_OWNER = "x-showcase-judge"  # the judge a tablet's queued sheet belongs to
LOADED_SESSION = "showcase_loaded_session"  # the session as the request brought it
SESSION_COOKIE = re.compile(r"session(?:-\d+)?")

Connection = ASGIConnection[Any, Any, Any, Any]


def bearer_token(connection: Connection) -> str | None:
    """The token of an `Authorization: Bearer <token>` header; None for none or an empty one."""
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def has_session_cookie(connection: Connection) -> bool:
    return any(SESSION_COOKIE.fullmatch(name) for name in connection.cookies)


def client_address(connection: Connection) -> str:
    return connection.client.host if connection.client else "unknown"


def guess_limiter(connection: Connection) -> auth.GuessLimiter:
    return connection.app.state.guesses


def database(connection: Connection) -> Database:
    return connection.app.state.db


def credentials(connection: Connection) -> auth.JudgeCredentials:
    return connection.app.state.credentials


async def refuse_miss(connection: Connection, message: str) -> NoReturn:
    """Answers a wrong credential: 401, held a little longer after each miss from the same
    address, and 429 with `Retry-After` once that address has missed too often."""
    limiter = guess_limiter(connection)
    client = client_address(connection)
    wait = limiter.missed(client)
    if wait is not None:
        raise TooManyRequestsException(
            _("Too many failed attempts. Wait a minute and try again."),
            headers={"Retry-After": str(max(1, math.ceil(wait)))},
        )
    await asyncio.sleep(limiter.delay(client))
    raise NotAuthorizedException(message)


class CookieSessionCSRFMiddleware(CSRFMiddleware):
    """CSRF protects cookie sessions. A request with a bearer token carries no cookie
    authority; an API request with no session cookie has no credentials to misuse, so its
    guard answers 401 first."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            connection: Connection = ASGIConnection(scope)
            no_session_api = scope["path"].startswith("/api/") and not has_session_cookie(
                connection
            )
            if bearer_token(connection) is not None or no_session_api:
                await self.app(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


async def organizer_in_session(connection: Connection) -> str | None:
    session = connection.scope.get("session") or {}
    organizer_id = session.get(SESSION_ORGANIZER)
    generation = session.get(SESSION_ORGANIZER_GENERATION)
    if isinstance(organizer_id, int) and isinstance(generation, int):
        return await store.get_organizer_name(database(connection), organizer_id, generation)
    return None


async def judge_in_session(connection: Connection) -> Judge | None:
    session = connection.scope.get("session") or {}
    judge_id, generation = session.get(SESSION_JUDGE), session.get(SESSION_GENERATION)
    if isinstance(judge_id, int) and isinstance(generation, int):
        return await credentials(connection).by_session(judge_id, generation)
    return None


async def organizer_only(connection: Connection, handler: BaseRouteHandler) -> None:
    """An organizer's session or an admin token; a judge's credentials get 403; a wrong
    token counts as a guess. Names the actor for the audit in `state.actor`."""
    db = database(connection)
    token = bearer_token(connection)
    if token is not None:
        if await auth.is_admin_token(db, token):
            connection.state.actor = "admin-token"
            return
        if await credentials(connection).by_token(token) is not None:
            raise Forbidden(_("A judge's link cannot be used for the organizers' work."))
        await refuse_miss(connection, "a valid admin token is required")
    name = await organizer_in_session(connection)
    if name is not None:
        connection.state.actor = f"organizer:{name}"
        return
    if await judge_in_session(connection) is not None:
        raise Forbidden(_("A judge's link cannot be used for the organizers' work."))
    raise NotAuthorizedException(_("Log in as an organizer, or send an admin token."))


async def judge_only(connection: Connection, handler: BaseRouteHandler) -> None:
    """A judge's token or the session their login link opened; an admin token gets 403; a
    wrong token counts as a guess. The judge goes in `state.judge`."""
    db = database(connection)
    token = bearer_token(connection)
    if token is not None:
        found = await credentials(connection).by_token(token)
        if found is not None:
            connection.state.judge = found[0]
            return
        if await auth.is_admin_token(db, token):
            raise Forbidden(_("An admin token is not a judge's token."))
        await refuse_miss(connection, "a valid judge token is required")
    judge = await judge_in_session(connection)
    if judge is not None:
        meant_for = connection.headers.get(SHEET_OWNER)
        if meant_for is not None and meant_for != str(judge.id):
            # A tablet's outbox sends a sheet only for the judge who wrote it: another judge
            # has logged in on this browser since, so it waits for its own judge.
            raise NotAuthorizedException(_("This sheet belongs to another judge."))
        connection.state.judge = judge
        return
    if await organizer_in_session(connection) is not None:
        raise Forbidden(_("Open your personal judging link to score."))
    raise NotAuthorizedException(_("Open your personal judging link again to log in."))


def provide_actor(request: Request[Any, Any, Any]) -> str:
    return request.state.actor


def provide_judge(request: Request[Any, Any, Any]) -> Judge:
    return request.state.judge


ACTOR = {"actor": Provide(provide_actor, sync_to_thread=False)}
JUDGE = {"judge": Provide(provide_judge, sync_to_thread=False)}


class OrganizerApi(Controller):
    """A part of the admin JSON API: organizers only, each handler told who acts."""

    path = "/api/admin"
    tags = ["admin"]
    guards = [organizer_only]
    dependencies = ACTOR


async def log_judge_in(request: Request[Any, Any, Any], token: str) -> Judge:
    found = await credentials(request).by_token(token)
    if found is None:
        await refuse_miss(
            request,
            _("This judging link is not valid. It may have been replaced: ask the organizers."),
        )
    judge, generation = found
    request.set_session({SESSION_JUDGE: judge.id, SESSION_GENERATION: generation})
    return judge


async def log_organizer_in(
    request: Request[Any, Any, Any], db: Database, name: str, password: str
) -> None:
    """Opens an organizer's session; a wrong name or password counts as a guess."""
    organizer_id = await auth.organizer_login(db, name, password)
    if organizer_id is None:
        await refuse_miss(request, _("That name and password do not match."))
    generation = await store.get_session_generation(db, organizer_id)
    request.set_session({SESSION_ORGANIZER: organizer_id, SESSION_ORGANIZER_GENERATION: generation})


async def log_organizer_out(request: Request[Any, Any, Any], db: Database) -> None:
    """Ends the session, and every copy of its cookie with it."""
    session = request.session or {}
    organizer_id = session.get(SESSION_ORGANIZER)
    if isinstance(organizer_id, int) and await organizer_in_session(request) is not None:
        await organizing.log_out_everywhere(db, organizer_id)
    request.clear_session()


class ChangedSessionBackend(ClientSideSessionBackend):
    """Writes the session cookie only when a request changed the session. Otherwise a request
    sent under the previous session (a tablet's page still loading as judge B) could answer
    after a new login (judge A) and put B's cookie back in place of A's."""

    async def load_from_connection(self, connection: Connection) -> dict[str, Any]:
        loaded = await super().load_from_connection(connection)
        connection.scope.setdefault("state", {})[LOADED_SESSION] = dict(loaded)
        return loaded

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: Connection
    ) -> None:
        loaded = connection.scope.get("state", {}).get(LOADED_SESSION)
        now = dict(scope_session) if scope_session and scope_session is not Empty else {}
        if loaded is not None and now == loaded:
            return
        await super().store_in_message(scope_session, message, connection)


@dataclass
class SessionCookieConfig(CookieBackendConfig):
    """Cookie-backed sessions whose cookie is rewritten only when the session changes."""

    _backend_class = ChangedSessionBackend
