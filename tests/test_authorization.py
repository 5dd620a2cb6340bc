"""Who may do what: every route of the app's own route table, asked by each kind of caller,
with the one answer expected. A route added without a row here fails the test."""

import json
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from bs4 import BeautifulSoup
from litestar import Litestar
from litestar.testing import TestClient

from showcase import auth, judging, organizing, store
from showcase.app import create_app
from showcase.models import SheetIn
from showcase.rubric import rubric_toml
from showcase.settings import Settings
from tests.conftest import Server, with_db

ROLES = ("anonymous", "judge_a", "judge_b", "organizer", "admin")
SCORES = {"impact": 4, "technology": 3, "design": 5, "feasibility": 2, "presentation": 4}

# The answer each role gets, in the order of ROLES.
PUBLIC = (200,) * 5
REDIRECT = (303,) * 5
ORGANIZERS = (401, 403, 403, 200, 200)
ORGANIZER_FORM = (401, 403, 403, 303, 303)
JUDGE_A = (401, 200, 403, 403, 403)
JUDGE_A_FORM = (401, 303, 403, 403, 403)
ANY_JUDGE = (401, 200, 200, 403, 403)


@dataclass(frozen=True)
class Ask:
    """One request to a route: its concrete path, body, and the answers by role."""

    path: str
    answers: tuple[int, ...]
    json: Any = None
    form: dict[str, str] | None = None
    body: bytes | None = None
    stream: bool = False


# Filled in by `event` below: CODE is an entry judge A has scored and judge B was not given,
# JUDGE a judge's id, TOKEN judge A's login token.
MATRIX: dict[tuple[str, str], Ask] = {
    ("GET", "/"): Ask("/", PUBLIC),
    ("GET", "/entries/{code:str}"): Ask("/entries/{CODE}", PUBLIC),
    ("GET", "/leaderboard"): Ask("/leaderboard", PUBLIC),
    ("GET", "/lang/{language:str}"): Ask("/lang/ko", REDIRECT),
    ("GET", "/api/criteria"): Ask("/api/criteria", PUBLIC),
    ("GET", "/api/entries"): Ask("/api/entries", PUBLIC),
    ("GET", "/api/leaderboard"): Ask("/api/leaderboard", PUBLIC),
    ("GET", "/api/leaderboard/stream"): Ask("/api/leaderboard/stream", PUBLIC, stream=True),
    ("GET", "/static/{file_path:path}"): Ask("/static/showcase.css", PUBLIC),
    ("HEAD", "/static/{file_path:path}"): Ask("/static/showcase.css", PUBLIC),
    ("GET", "/schema"): Ask("/schema", PUBLIC),
    ("GET", "/schema/openapi.json"): Ask("/schema/openapi.json", PUBLIC),
    ("GET", "/schema/{path:str}"): Ask("/schema/swagger", (404,) * 5),
    ("GET", "/judge-sw.js"): Ask("/judge-sw.js", PUBLIC),
    # The console answers everyone: the console for an organizer, the login form otherwise.
    ("GET", "/admin"): Ask("/admin", PUBLIC),
    ("POST", "/admin/login"): Ask("/admin/login", REDIRECT, form={"name": "ada", "password": ""}),
    ("POST", "/admin/logout"): Ask("/admin/logout", REDIRECT, form={}),
    ("GET", "/admin/cards"): Ask("/admin/cards", ORGANIZERS),
    ("GET", "/admin/progress"): Ask("/admin/progress", ORGANIZERS),
    ("GET", "/admin/progress/part"): Ask("/admin/progress/part", ORGANIZERS),
    ("GET", "/admin/progress/stream"): Ask("/admin/progress/stream", ORGANIZERS, stream=True),
    ("GET", "/admin/audit"): Ask("/admin/audit", ORGANIZERS),
    ("GET", "/admin/results"): Ask("/admin/results", ORGANIZERS),
    ("GET", "/admin/whatif"): Ask("/admin/whatif", ORGANIZERS),
    ("GET", "/admin/plan"): Ask("/admin/plan", ORGANIZERS),
    ("GET", "/admin/judges"): Ask("/admin/judges", ORGANIZERS),
    ("GET", "/admin/entries"): Ask("/admin/entries", ORGANIZERS),
    ("GET", "/admin/rubric"): Ask("/admin/rubric", ORGANIZERS),
    ("POST", "/admin/assign"): Ask("/admin/assign", ORGANIZER_FORM, form={"per_entry": "3"}),
    ("POST", "/admin/event"): Ask("/admin/event", ORGANIZER_FORM, form={"visibility": "live"}),
    ("POST", "/admin/import"): Ask(
        "/admin/import", ORGANIZERS, form={"kind": "judges"}, body=b"name\nNew Judge\n"
    ),
    ("POST", "/admin/tracks"): Ask(
        "/admin/tracks", ORGANIZER_FORM, form={"action": "add", "name": "Space {ROLE}"}
    ),
    ("POST", "/admin/judges"): Ask("/admin/judges", ORGANIZER_FORM, form={"name": "Zed {ROLE}"}),
    ("POST", "/admin/judges/{judge_id:int}"): Ask(
        "/admin/judges/{JUDGE}", ORGANIZER_FORM, form={"country": "KR"}
    ),
    ("POST", "/admin/entries/{code:str}"): Ask(
        "/admin/entries/{CODE}", ORGANIZER_FORM, form={"table": "Z9"}
    ),
    ("POST", "/admin/rubric"): Ask("/admin/rubric", ORGANIZER_FORM, form={"rubric": "RUBRIC"}),
    ("POST", "/api/admin/board"): Ask("/api/admin/board", ORGANIZERS, json={"visibility": "live"}),
    ("POST", "/api/admin/judging"): Ask("/api/admin/judging", ORGANIZERS, json={"open": True}),
    ("POST", "/api/admin/adaptive"): Ask(
        "/api/admin/adaptive", ORGANIZERS, json={"adaptive": True, "start_visits": 2}
    ),
    ("POST", "/api/admin/method"): Ask("/api/admin/method", ORGANIZERS, json={"method": "mean"}),
    ("POST", "/api/admin/reveal"): Ask(
        "/api/admin/reveal", (401, 403, 403, 400, 400), json={"step": 1}
    ),
    ("PATCH", "/api/admin/entries/{code:str}"): Ask(
        "/api/admin/entries/{CODE}", ORGANIZERS, json={"table": "Z9"}
    ),
    ("POST", "/api/admin/entries/import"): Ask(
        "/api/admin/entries/import", ORGANIZERS, body=b"code,title,team,track\nN1,New,T,Space\n"
    ),
    ("GET", "/api/admin/audit"): Ask("/api/admin/audit", ORGANIZERS),
    ("GET", "/api/admin/export"): Ask("/api/admin/export", ORGANIZERS),
    ("GET", "/api/admin/results"): Ask("/api/admin/results", ORGANIZERS),
    ("GET", "/api/admin/whatif"): Ask("/api/admin/whatif", ORGANIZERS),
    # A login link logs in whoever holds it.
    ("GET", "/j/{token:str}"): Ask("/j/{TOKEN}", REDIRECT),
    ("GET", "/judge"): Ask("/judge", ANY_JUDGE),
    ("GET", "/judge/entries/{code:str}"): Ask("/judge/entries/{CODE}", JUDGE_A),
    ("POST", "/judge/entries/{code:str}"): Ask(
        "/judge/entries/{CODE}",
        JUDGE_A_FORM,
        form={**{k: str(v) for k, v in SCORES.items()}, "version": "1"},
    ),
    ("POST", "/judge/entries/{code:str}/recuse"): Ask(
        "/judge/entries/{CODE}/recuse", JUDGE_A_FORM, form={"reason": "my cousin"}
    ),
    ("GET", "/api/judge/queue"): Ask("/api/judge/queue", ANY_JUDGE),
    ("POST", "/api/judge/next"): Ask("/api/judge/next", ANY_JUDGE),
    ("GET", "/api/judge/sheets/{code:str}"): Ask("/api/judge/sheets/{CODE}", JUDGE_A),
    ("PUT", "/api/judge/sheets/{code:str}"): Ask(
        "/api/judge/sheets/{CODE}", JUDGE_A, json={"scores": SCORES}
    ),
    ("PUT", "/api/judge/recusals/{code:str}"): Ask(
        "/api/judge/recusals/{CODE}", JUDGE_A, json={"reason": "my cousin"}
    ),
}


def route_table(app: Litestar) -> set[tuple[str, str]]:
    """Every (method, path) the app answers, as its own route table lists them; the OPTIONS
    answers Litestar adds to every path are left out."""
    return {
        (method, route.path)
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        for method in getattr(handler, "http_methods", ())
        if method != "OPTIONS"
    }


@dataclass(frozen=True)
class Event:
    path: Path
    code: str
    judge: int
    tokens: dict[str, str]  # judge_a, judge_b, admin
    password: str
    rubric: str  # the event's rubric as a file, to send back unchanged


@pytest.fixture(scope="module")
def event(tmp_path_factory: pytest.TempPathFactory) -> Event:
    """A demo event with judging open: judge A has scored CODE, which judge B was not given."""
    from showcase.cli import main

    path = tmp_path_factory.mktemp("matrix") / "event.db"
    assert main(["init", str(path), "--demo"]) == 0

    async def prepare(db: Any) -> Event:
        await organizing.set_judging(db, True, "test")
        assigned = await store.list_assignments(db)
        judge_a, judge_b = sorted(assigned)[:2]
        code = next(c for c in assigned[judge_a] if c not in assigned[judge_b])
        judge = await store.get_judge(db, judge_a)
        assert judge is not None
        await judging.save(db, judge, code, SheetIn(SCORES), None)
        links = {link.judge: link.token for link in await auth.judge_links(db, "http://t")}
        return Event(
            path=path,
            code=code,
            judge=judge_a,
            tokens={
                "judge_a": links[judge_a],
                "judge_b": links[judge_b],
                "admin": await organizing.issue_admin_token(db, "test"),
            },
            password=await organizing.add_organizer(db, "ada", "test"),
            rubric=rubric_toml(await store.get_rubric(db)),
        )

    return with_db(path, prepare)


@pytest.fixture(scope="module")
def server(event: Event, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real server on a copy of the event, for the streams (which never end by themselves)."""
    path = tmp_path_factory.mktemp("streams") / "event.db"
    shutil.copy(event.path, path)
    with Server(path) as running:
        yield running


@pytest.fixture
def fresh(event: Event, tmp_path: Path) -> Iterator[TestClient]:
    """The event on a copy of its file, so that one route's changes never reach another's."""
    path = tmp_path / "event.db"
    shutil.copy(event.path, path)
    with TestClient(app=create_app(Settings(db=path))) as client:
        yield client


def test_every_route_has_a_row(event: Event) -> None:
    assert route_table(create_app(Settings(db=event.path))) == set(MATRIX)


def credentials(client: httpx.Client, role: str, event: Event) -> dict[str, str]:
    """Logs the role in on this client; the headers its requests carry."""
    client.cookies.clear()
    headers: dict[str, str] = {}
    if role in ("judge_a", "judge_b"):
        login = client.get(f"/j/{event.tokens[role]}", follow_redirects=True)
        assert login.status_code == 200
    elif role == "organizer":
        client.get("/admin")
        csrf = client.cookies.get("csrftoken") or ""
        answer = client.post(
            "/admin/login",
            data={"name": "ada", "password": event.password},
            headers={"x-csrftoken": csrf},
            follow_redirects=False,
        )
        assert answer.status_code == 303
    elif role == "admin":
        headers["Authorization"] = f"Bearer {event.tokens['admin']}"
    return headers


@pytest.mark.parametrize("route", sorted(MATRIX), ids=lambda r: f"{r[0]} {r[1]}")
def test_each_role_gets_the_one_expected_answer(
    route: tuple[str, str], event: Event, request: pytest.FixtureRequest
) -> None:
    method, _ = route
    ask = MATRIX[route]
    if ask.stream:  # read only: one real server serves every stream's row
        server = request.getfixturevalue("server")
        fresh = httpx.Client(base_url=server.url, timeout=httpx.Timeout(5.0, read=3.0))
        request.addfinalizer(fresh.close)
    else:
        fresh = request.getfixturevalue("fresh")
    path = ask.path.format(CODE=event.code, JUDGE=event.judge, TOKEN=event.tokens["judge_a"])
    got = []
    for role in ROLES:
        headers = credentials(fresh, role, event)
        if role in ("judge_a", "judge_b") and path.startswith("/api/"):
            headers["Authorization"] = f"Bearer {event.tokens[role]}"
        fresh.get("/")  # the CSRF cookie, which every form sends back
        headers["x-csrftoken"] = fresh.cookies.get("csrftoken") or ""
        form = {name: value.format(ROLE=role) for name, value in (ask.form or {}).items()}
        if form.get("password") == "":
            form["password"] = event.password
        if form.get("rubric") == "RUBRIC":
            form["rubric"] = event.rubric
        kwargs: dict[str, Any] = {"headers": headers, "follow_redirects": False}
        if ask.json is not None:
            kwargs["json"] = ask.json
        elif ask.body is not None and ask.form is not None:
            kwargs["data"] = form
            kwargs["files"] = {"file": ("file.csv", ask.body, "text/csv")}
        elif ask.body is not None:
            kwargs["content"] = ask.body
        elif ask.form is not None:
            kwargs["data"] = form
        if ask.stream:
            with fresh.stream(method, path, **kwargs) as answer:
                got.append(answer.status_code)
                if answer.status_code == 200:  # the stream's first event comes at once
                    assert next(answer.iter_lines()) is not None
        else:
            got.append(fresh.request(method, path, **kwargs).status_code)
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, ask.answers, strict=True))


def first_frames(http: httpx.Client, query: str, count: int) -> list[dict[str, Any]]:
    """The first `count` boards a stream sends on connect."""
    frames = []
    with http.stream("GET", f"/api/leaderboard/stream{query}") as answer:
        assert answer.status_code == 200
        data = None
        for line in answer.iter_lines():
            if line.startswith("data: "):
                data = json.loads(line.removeprefix("data: "))
            elif line == "" and data is not None:
                frames.append(data)
                data = None
                if len(frames) == count:
                    return frames
    raise AssertionError("the stream ended")


def page_rows(page: str) -> list[tuple[str, str]]:
    """The rows a leaderboard page shows: each entry's code and score as printed."""
    soup = BeautifulSoup(page, "html.parser")
    return [
        (tr["data-code"], tr.select_one("td.score").get_text(strip=True))
        for tr in soup.select("tr[data-code]")
    ]


def public_views(http: httpx.Client, tracks: list[str]) -> dict[str, Any]:
    """Everything the public can see of the board: each board's JSON, the first frame of each
    board's stream and of the stream of every board, and each leaderboard page's rows."""
    seen: dict[str, Any] = {}
    for track in ["", *tracks]:
        query = f"?track={track}" if track else ""
        seen[f"json{query}"] = http.get(f"/api/leaderboard{query}").json()
        seen[f"stream{query}"] = first_frames(http, query, 1)[0]
        seen[f"page{query}"] = page_rows(http.get(f"/leaderboard{query}").text)
    every = first_frames(http, "?track=*", len(tracks) + 1)
    seen["stream?track=*"] = sorted(every, key=lambda board: board["track"] or "")
    return seen


@pytest.mark.parametrize("visibility", ["hidden", "frozen", "final"])
def test_nothing_of_the_live_board_leaks(visibility: str, event: Event, tmp_path: Path) -> None:
    """Hidden shows no row, frozen the board of the freeze, final only what the reveal has
    shown: whatever changes live meanwhile (new sheets, an entry withdrawn), on every board,
    page and stream."""
    path = tmp_path / "event.db"
    shutil.copy(event.path, path)
    admin = {"Authorization": f"Bearer {event.tokens['admin']}"}
    judge = {"Authorization": f"Bearer {event.tokens['judge_a']}"}
    with Server(path) as server, httpx.Client(base_url=server.url, timeout=10) as http:
        tracks = [t.slug for t in with_db(path, store.list_tracks)]
        queue = http.get("/api/judge/queue", headers=judge).json()["entries"]
        if visibility == "final":
            assert http.post("/api/admin/judging", json={"open": False}, headers=admin).is_success
        assert http.post(
            "/api/admin/board", json={"visibility": visibility}, headers=admin
        ).is_success
        if visibility == "final":
            assert http.post("/api/admin/reveal", json={"step": 3}, headers=admin).is_success
        time.sleep(0.5)  # the board of the change, published
        before = public_views(http, tracks)
        if visibility == "final":
            shown = {row["code"] for row in before["json"]["standings"]}
            assert len(shown) == 3
            withdrawn = next(iter(shown))
            assert http.patch(
                f"/api/admin/entries/{withdrawn}", json={"withdrawn": True}, headers=admin
            ).is_success
        else:
            for item in queue:  # the live board moves: every entry of judge A's gets top marks
                saved = http.put(
                    f"/api/judge/sheets/{item['code']}",
                    json={"scores": {k: 5 for k in SCORES}},
                    headers=judge,
                )
                assert saved.status_code == 200
        time.sleep(1.5)  # long enough for the publisher to have pushed any change
        after = public_views(http, tracks)
    for key in before:
        assert after[key] == before[key], key
    boards = [
        v
        for k, v in before.items()
        if k.startswith(("json", "stream?track=")) and k != "stream?track=*"
    ]
    boards += before["stream?track=*"]
    if visibility == "hidden":
        assert all(board["standings"] == [] for board in boards)
        assert all(rows == [] for k, rows in before.items() if k.startswith("page"))
    if visibility == "final":
        assert all(len(board["standings"]) <= 3 for board in boards)
