"""Who is asking: bearer tokens, sessions, CSRF that bearer clients skip, and guess limits."""

from typing import Any

from litestar import Request
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException, TooManyRequestsException
from litestar.middleware.csrf import CSRFMiddleware
from litestar.types import Receive, Scope, Send

from showcase import auth, store
from showcase.db import Database
from showcase.i18n import gettext as _
from showcase.models import Judge

SESSION_ORGANIZER = "organizer"
guesses = auth.GuessLimiter()


def bearer_token(request: Request[Any, Any, Any]) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def client_address(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


def refuse_if_guessing(request: Request[Any, Any, Any]) -> None:
    if guesses.blocked(client_address(request)):
        raise TooManyRequestsException("too many failed attempts: wait a minute and try again")


def missed(request: Request[Any, Any, Any]) -> None:
    guesses.missed(client_address(request))


class BearerAwareCSRFMiddleware(CSRFMiddleware):
    """CSRF for cookie sessions; a request that carries a bearer token uses no cookie at all."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = dict(scope["headers"])
            scheme = headers.get(b"authorization", b"").split(b" ", 1)[0]
            if scheme.lower() == b"bearer":
                await self.app(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


async def provide_admin(request: Request[Any, Any, Any], db: NamedDependency[Database]) -> str:
    """The organizer or admin token behind this request, as the audit names it; 401 otherwise."""
    token = bearer_token(request)
    if token is not None:
        refuse_if_guessing(request)
        if await auth.is_admin_token(db, token):
            return "admin-token"
        missed(request)
        raise NotAuthorizedException("a valid admin token is required")
    organizer_id = request.session.get(SESSION_ORGANIZER) if request.session else None
    if isinstance(organizer_id, int):
        name = await store.get_organizer_name(db, organizer_id)
        if name is not None:
            return f"organizer:{name}"
    raise NotAuthorizedException("log in as an organizer, or send an admin token")


SESSION_JUDGE = "judge"
SESSION_GENERATION = "generation"


async def provide_judge(request: Request[Any, Any, Any], db: NamedDependency[Database]) -> Judge:
    """The judge behind this request (bearer token or session from a login link); 401 otherwise."""
    token = bearer_token(request)
    if token is not None:
        refuse_if_guessing(request)
        found = await auth.judge_for_token(db, token)
        if found is None:
            missed(request)
            raise NotAuthorizedException("a valid judge token is required")
        return found[0]
    session = request.session or {}
    judge_id, generation = session.get(SESSION_JUDGE), session.get(SESSION_GENERATION)
    if isinstance(judge_id, int) and isinstance(generation, int):
        judge = await auth.judge_for_session(db, judge_id, generation)
        if judge is not None:
            return judge
    raise NotAuthorizedException(_("Open your personal judging link again to log in."))


async def log_judge_in(request: Request[Any, Any, Any], db: Database, token: str) -> Judge:
    refuse_if_guessing(request)
    found = await auth.judge_for_token(db, token)
    if found is None:
        missed(request)
        raise NotAuthorizedException(
            _("This judging link is not valid. It may have been replaced: ask the organizers.")
        )
    judge, generation = found
    request.set_session({SESSION_JUDGE: judge.id, SESSION_GENERATION: generation})
    return judge
