"""Pages anyone can open: the entries gallery, one entry, the leaderboard, the language switch."""

from typing import Annotated

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from showcase import i18n, store
from showcase.cache import Boards
from showcase.db import Database
from showcase.errors import NotFound
from showcase.i18n import gettext as _
from showcase.settings import Settings

ROTATE_SECONDS = 12
TrackQuery = Annotated[str | None, QueryParameter(name="track", required=False)]


def local_path(target: str | None) -> str:
    """Only a path on this site may be a redirect target (never another host)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def matches(query: str, *fields: str) -> bool:
    needle = query.casefold()
    return any(needle in field.casefold() for field in fields)


class PublicPages(Controller):
    include_in_schema = False

    @get("/", name="home")
    async def home(
        self,
        db: NamedDependency[Database],
        track: TrackQuery = None,
        q: Annotated[str, QueryParameter(name="q", required=False, max_length=200)] = "",
    ) -> Template:
        tracks = await store.list_tracks(db)
        entries = await store.list_entries(db, track)
        query = q.strip()
        if query:
            entries = [e for e in entries if matches(query, e.title, e.team, e.affiliation)]
        return Template(
            template_name="public/home.html",
            context={
                "event": await store.get_event(db),
                "tracks": tracks,
                "track_names": {t.slug: t.name for t in tracks},
                "track": track,
                "q": query,
                "entries": entries,
            },
        )

    @get("/entries/{code:str}", name="entry")
    async def entry(self, db: NamedDependency[Database], code: FromPath[str]) -> Template:
        found = await store.get_entry(db, code)
        if found is None or found.withdrawn:
            raise NotFound(_("There is no entry with the code %(code)s.") % {"code": code})
        return Template(
            template_name="public/entry.html",
            context={"event": await store.get_event(db), "entry": found},
        )

    @get("/leaderboard", name="leaderboard")
    async def leaderboard(
        self,
        db: NamedDependency[Database],
        boards: NamedDependency[Boards],
        track: TrackQuery = None,
        view: Annotated[str, QueryParameter(name="view", required=False)] = "",
        rotate: Annotated[
            int, QueryParameter(name="rotate", required=False, ge=3, le=300)
        ] = ROTATE_SECONDS,
    ) -> Template:
        """The board; `view=projector` shows each track's top 10 in turn, `rotate` seconds
        each."""
        tracks = await store.list_tracks(db)
        return Template(
            template_name="public/leaderboard.html",
            context={
                "event": await store.get_event(db),
                "tracks": tracks,
                "track_names": {t.slug: t.name for t in tracks},
                "track": track,
                "board": await boards.public(db, track),
                "projector": view == "projector",
                "rotate_ms": rotate * 1000,
            },
        )

    @get("/lang/{language:str}", name="set_language")
    async def set_language(
        self,
        request: Request,
        settings: NamedDependency[Settings],
        language: FromPath[str],
        next_path: Annotated[str | None, QueryParameter(name="next", required=False)] = None,
    ) -> Redirect:
        response = Redirect(local_path(next_path), status_code=303)
        if language in i18n.LANGUAGES:
            response.set_cookie(
                i18n.COOKIE,
                language,
                max_age=365 * 24 * 3600,
                samesite="lax",
                httponly=True,
                secure=settings.secure_cookies,
            )
        return response
