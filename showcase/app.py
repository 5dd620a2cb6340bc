"""create_app(settings) -> Litestar: the one place the app is assembled."""

import multiprocessing
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path

from jinja2 import Environment
from litestar import Litestar
from litestar.channels import ChannelsBackend, ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.logging.config import LoggingConfig
from litestar.middleware import DefineMiddleware
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, RequestBody, Schema
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from litestar.types import Message, Scope

import showcase
from showcase.auth import GuessLimiter, JudgeCredentials
from showcase.board import start_worker
from showcase.cache import Boards
from showcase.db import Database, read_session_key
from showcase.live import Publisher
from showcase.planning import Estimates
from showcase.routes import EXCEPTION_HANDLERS, ShowcaseRequest, admin, choose_language, page_path
from showcase.routes.access import ACCESS_LOGGER, ACCESS_LOGGING, access_log
from showcase.routes.api import PublicApi
from showcase.routes.judge import JudgePages
from showcase.routes.judge_api import JudgeApi
from showcase.routes.public import PublicPages
from showcase.routes.security import CookieSessionCSRFMiddleware, SessionCookieConfig
from showcase.settings import Settings
from showcase.templating import jinja_environment

PACKAGE = Path(showcase.__file__).parent
# The board stream is public and read-only: no session, no CSRF cookie for each of its viewers.
STREAM = "^/api/leaderboard/stream$"
STATIC = PACKAGE / "static"

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    ),
]


# Served over TLS (SHOWCASE_SECURE_COOKIES), browsers are told to come back over it only.
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


def security_headers(settings: Settings) -> Callable[[Message, Scope], Awaitable[None]]:
    headers = [*SECURITY_HEADERS, *([HSTS] if settings.secure_cookies else [])]

    async def add_security_headers(message: Message, scope: Scope) -> None:
        if message["type"] == "http.response.start":
            message.setdefault("headers", [])
            message["headers"] = [*message["headers"], *headers]  # type: ignore[typeddict-item]

    return add_security_headers


def web_pages() -> Environment:
    """The pages' environment, with what a page served over the web also knows."""
    env = jinja_environment()
    env.globals["page_path"] = page_path
    return env


def channels_backend(settings: Settings) -> ChannelsBackend:
    """In memory for one process; through Redis when several processes share one board."""
    if settings.redis_url:
        from litestar.channels.backends.redis import RedisChannelsPubSubBackend
        from redis.asyncio import Redis

        return RedisChannelsPubSubBackend(redis=Redis.from_url(settings.redis_url))
    return MemoryChannelsBackend()


def create_app(settings: Settings) -> Litestar:
    session_key = read_session_key(settings.db)
    channels = ChannelsPlugin(backend=channels_backend(settings), arbitrary_channels_allowed=True)

    @asynccontextmanager
    async def open_database(app: Litestar) -> AsyncIterator[None]:
        async with Database(settings.db) as db:
            app.state.db = db
            app.state.guesses = GuessLimiter()
            app.state.credentials = JudgeCredentials(db)
            pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=start_worker,
                initargs=(os.getpid(),),
            )
            pool.submit(int)  # start the worker now, not at the first quiet moment
            app.state.boards = Boards(pool)
            app.state.estimates = Estimates(pool)
            app.state.publisher = Publisher(
                db, app.state.boards, channels, shared=bool(settings.redis_url)
            )
            await app.state.publisher.start()
            try:
                yield
            finally:
                app.state.estimates.close()
                await app.state.publisher.stop()
                pool.shutdown(wait=True, cancel_futures=True)

    def provide_db(state: State) -> Database:
        return state.db

    def provide_boards(state: State) -> Boards:
        return state.boards

    def provide_publisher(state: State) -> Publisher:
        return state.publisher

    def provide_settings() -> Settings:
        return settings

    app = Litestar(
        route_handlers=[
            PublicPages,
            PublicApi,
            *admin.CONTROLLERS,
            JudgePages,
            JudgeApi,
            create_static_files_router(path="/static", directories=[STATIC], name="static"),
        ],
        lifespan=[open_database],
        request_class=ShowcaseRequest,
        plugins=[channels],
        dependencies={
            "db": Provide(provide_db, sync_to_thread=False),
            "boards": Provide(provide_boards, sync_to_thread=False),
            "publisher": Provide(provide_publisher, sync_to_thread=False),
            "settings": Provide(provide_settings, sync_to_thread=False),
        },
        before_request=choose_language,
        before_send=[security_headers(settings)],
        exception_handlers=EXCEPTION_HANDLERS,
        template_config=TemplateConfig(engine=JinjaTemplateEngine.from_environment(web_pages())),
        logging_config=LoggingConfig(loggers={ACCESS_LOGGER: ACCESS_LOGGING}),
        middleware=[
            access_log,
            DefineMiddleware(
                CookieSessionCSRFMiddleware,
                config=CSRFConfig(
                    secret=session_key.hex(),
                    cookie_secure=settings.secure_cookies,
                    exclude=[STREAM],
                ),
            ),
            SessionCookieConfig(
                secret=session_key,
                exclude=[STREAM],
                httponly=True,
                samesite="lax",
                secure=settings.secure_cookies,
            ).middleware,
        ],
        openapi_config=OpenAPIConfig(
            title="Showcase",
            version=showcase.__version__,
            path="/schema",
            render_plugins=[JsonRenderPlugin(path=["/", "/openapi.json"])],
        ),
        debug=settings.debug,
    )
    document_raw_bodies(app)
    return app


def document_raw_bodies(app: Litestar) -> None:
    """What the schema cannot learn from the routes' signatures: the bodies read raw (a sheet,
    checked for depth before it is decoded; an entries file) and the export's two content
    types (CSV, or JSON with `?format=json`)."""
    paths = app.openapi_schema.paths or {}
    sheet = Schema(
        type=OpenAPIType.OBJECT,
        required=["scores"],
        properties={
            "scores": Schema(
                type=OpenAPIType.OBJECT, additional_properties=Schema(type=OpenAPIType.NUMBER)
            ),
            "comment": Schema(type=OpenAPIType.STRING, max_length=4000),
            "version": Schema(
                one_of=[Schema(type=OpenAPIType.INTEGER), Schema(type=OpenAPIType.NULL)]
            ),
        },
    )
    paths["/api/judge/sheets/{code}"].put.request_body = RequestBody(  # type: ignore[union-attr]
        content={"application/json": OpenAPIMediaType(schema=sheet)}, required=True
    )
    paths["/api/admin/entries/import"].post.request_body = RequestBody(  # type: ignore[union-attr]
        content={"text/csv": OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))},
        required=True,
    )
    export = paths["/api/admin/export"].get.responses["200"]  # type: ignore[union-attr, index]
    export.content = {  # type: ignore[union-attr]
        "text/csv": OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING)),
        "application/json": OpenAPIMediaType(
            schema=Schema(type=OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.OBJECT))
        ),
    }
