"""Request ids and the access log: one line a request, with its id, and nothing secret in it."""

import itertools
import logging
import re
import secrets
import time

from litestar.types import ASGIApp, Message, Receive, Scope, Send

ACCESS_LOGGER = "showcase.access"
# Written as it happens, on the event loop, as uvicorn writes its own access log: a line a
# request is too many to hand one by one to the logging thread the other loggers use.
ACCESS_LOGGING = {"level": "INFO", "handlers": ["console"], "propagate": False}
LOG = logging.getLogger(ACCESS_LOGGER)
GIVEN_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")  # an id a proxy sends along, if it is sane
LOGIN_LINK = re.compile(r"^/j/[^/]+")
PROCESS = secrets.token_hex(4)  # a request id: this process's mark and a count, unique enough
COUNTER = itertools.count(1)


def loggable_path(path: str) -> str:
    """The path as a log may keep it: a judge's login link stands for the judge's password."""
    return LOGIN_LINK.sub("/j/…", path)


def request_id(scope: Scope) -> str:
    return str(scope.get("state", {}).get("request_id", "-"))


def access_log(app: ASGIApp) -> ASGIApp:
    """Gives each request an id (the `X-Request-ID` a proxy sent, or a new one), answers it
    in the same header, and logs the request once it is answered: id, method, path (never a
    query, a token or a body), status and time taken."""

    async def logged(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = given if GIVEN_ID.fullmatch(given) else f"{PROCESS}-{next(COUNTER):x}"
        scope.setdefault("state", {})["request_id"] = rid  # type: ignore[typeddict-unknown-key]
        started = time.perf_counter()
        status = 500

        async def answer(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await app(scope, receive, answer)
        finally:
            LOG.info(
                "%s %s %s %d %.1fms",
                rid,
                scope["method"],
                loggable_path(scope["path"]),
                status,
                (time.perf_counter() - started) * 1000,
            )

    return logged
