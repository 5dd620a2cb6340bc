"""Exact answers to credentials: 401 before CSRF, 403 for the wrong kind, guess limits that never
refuse a valid credential, logouts that end the session, and hostile bodies that get a 4xx."""

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from litestar.testing import TestClient

from showcase import auth, organizing
from showcase.app import create_app
from showcase.auth import GuessLimiter
from showcase.settings import Settings
from tests.conftest import with_db

SCORES = {"impact": 4, "technology": 3, "design": 5, "feasibility": 2, "presentation": 4}
ADMIN_ROUTES = [
    ("post", "/api/admin/board", {"visibility": "live"}),
    ("post", "/api/admin/judging", {"open": True}),
    ("post", "/api/admin/method", {"method": "mean"}),
    ("post", "/api/admin/reveal", {"step": 0}),
]


class Hall:
    """A demo event: an admin token, two judges' links, an organizer, and fresh clients."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.app = create_app(Settings(db=path))
        self.admin = with_db(path, lambda db: organizing.issue_admin_token(db, "test"))
        self.links = with_db(path, lambda db: auth.judge_links(db, "http://t"))
        self.password = with_db(path, lambda db: organizing.add_organizer(db, "ada", "test"))

    def client(self) -> TestClient:
        return TestClient(app=self.app)

    def bearer(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def hall(demo_path: Path) -> Hall:
    return Hall(demo_path)


@pytest.fixture
def client(hall: Hall) -> Iterator[TestClient]:
    with hall.client() as test_client:
        yield test_client


def csrf_of(page: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert found, "the form carries no CSRF token"
    return found.group(1)


def log_in(client: TestClient, hall: Hall) -> None:
    token = csrf_of(client.get("/admin").text)
    answer = client.post(
        "/admin/login",
        data={"name": "ada", "password": hall.password, "_csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ROUTES)
def test_no_credentials_is_401_before_csrf(
    client: TestClient, method: str, path: str, body: object
) -> None:
    answer = getattr(client, method)(path, json=body)
    assert answer.status_code == 401 and answer.json()["status_code"] == 401


def test_no_credentials_is_401_on_the_judge_api(client: TestClient) -> None:
    answer = client.put("/api/judge/sheets/H01", json={"scores": SCORES})
    assert answer.status_code == 401
    assert client.put("/api/judge/recusals/H01", json={"reason": ""}).status_code == 401


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ROUTES)
def test_a_judges_token_on_an_organizer_route_is_403(
    client: TestClient, hall: Hall, method: str, path: str, body: object
) -> None:
    answer = getattr(client, method)(path, json=body, headers=hall.bearer(hall.links[0].token))
    assert answer.status_code == 403 and answer.json()["status_code"] == 403


def test_a_judges_session_on_an_organizer_route_is_403(client: TestClient, hall: Hall) -> None:
    client.get(f"/j/{hall.links[0].token}")
    assert client.get("/api/admin/export").status_code == 403


def test_an_admin_token_on_a_judge_route_is_403_and_no_guess(
    client: TestClient, hall: Hall
) -> None:
    guesses = client.app.state.guesses
    for _ in range(guesses.limit + 2):
        answer = client.get("/api/judge/queue", headers=hall.bearer(hall.admin))
        assert answer.status_code == 403
    assert guesses.missed("testclient") is None  # the admin token counted as no miss


def test_csrf_never_skips_on_a_bare_bearer_header(client: TestClient, hall: Hall) -> None:
    log_in(client, hall)
    for header in ("Bearer", "Bearer ", "bearer   "):
        answer = client.post(
            "/api/admin/board", json={"visibility": "hidden"}, headers={"Authorization": header}
        )
        assert answer.status_code == 403, header
    assert client.get("/api/leaderboard").json()["visibility"] == "live"
    token = client.cookies.get("csrftoken")
    with_csrf = client.post(
        "/api/admin/board", json={"visibility": "hidden"}, headers={"X-CSRFToken": token}
    )
    assert with_csrf.status_code == 200


def test_a_session_without_its_csrf_token_is_refused(client: TestClient, hall: Hall) -> None:
    log_in(client, hall)
    answer = client.post("/api/admin/board", json={"visibility": "hidden"})
    assert answer.status_code == 403
    assert client.get("/api/leaderboard").json()["visibility"] == "live"


class Browsers:
    """Several browsers behind one address, taking turns on one test client (one app, one
    lifespan): each keeps its own cookies."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.jars: dict[str, httpx.Cookies] = {}
        self.current: str | None = None

    def __call__(self, name: str) -> TestClient:
        if self.current is not None:
            self.jars[self.current] = httpx.Cookies(self.client.cookies)
        self.client.cookies = self.jars.get(name, httpx.Cookies())
        self.current = name
        return self.client


def test_a_guesser_never_locks_out_the_hall(client: TestClient, hall: Hall) -> None:
    browser = Browsers(client)
    guesses = client.app.state.guesses
    guesses.slow_after = guesses.limit  # counted here; the slowing has its own test
    browser("tablet").get(f"/j/{hall.links[1].token}")
    log_in(browser("organizer"), hall)
    guesser = browser("guesser")
    for _ in range(guesses.limit):
        assert guesser.get("/api/judge/queue", headers=hall.bearer("x" * 32)).status_code == 401
    refused = guesser.get("/api/judge/queue", headers=hall.bearer("y" * 32))
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert guesser.get("/j/another-guess").status_code == 429
    # every valid credential behind the same address is still served, saves included
    queue = guesser.get("/api/judge/queue", headers=hall.bearer(hall.links[0].token))
    assert queue.status_code == 200
    todo = next(e["code"] for e in queue.json()["entries"] if e["status"] == "todo")
    saved = guesser.put(
        f"/api/judge/sheets/{todo}",
        json={"scores": SCORES},
        headers=hall.bearer(hall.links[0].token),
    )
    assert saved.status_code == 200
    assert guesser.get("/api/admin/export", headers=hall.bearer(hall.admin)).status_code == 200
    assert guesser.get(f"/j/{hall.links[2].token}", follow_redirects=False).status_code == 303
    assert browser("tablet").get("/api/judge/queue").status_code == 200
    assert "Organizer console" in browser("organizer").get("/admin").text


def test_misses_are_slowed_then_refused_and_the_window_forgets() -> None:
    now = [0.0]
    limiter = GuessLimiter(limit=4, window=60, slow_after=2, clock=lambda: now[0])
    delays = []
    for _ in range(4):
        assert limiter.missed("1.2.3.4") is None
        delays.append(limiter.delay("1.2.3.4"))
    assert delays == [0.0, 0.0, pytest.approx(0.1), pytest.approx(0.2)]
    now[0] = 10.0
    assert limiter.missed("1.2.3.4") == pytest.approx(50.0)  # the first miss leaves at 60
    assert limiter.missed("5.6.7.8") is None  # another address is not affected
    now[0] = 61.0
    assert limiter.missed("1.2.3.4") is None  # two misses left the window


def test_logout_ends_the_session_for_every_copy_of_its_cookie(
    client: TestClient, hall: Hall
) -> None:
    browser = Browsers(client)
    log_in(browser("organizer"), hall)
    browser.jars["thief"] = httpx.Cookies(browser("organizer").cookies)
    assert browser("thief").get("/api/admin/export").status_code == 200
    console = browser("organizer").get("/admin").text
    out = browser("organizer").post(
        "/admin/logout", data={"_csrf_token": csrf_of(console)}, follow_redirects=False
    )
    assert out.status_code == 303
    assert browser("thief").get("/api/admin/export").status_code == 401
    assert "Organizer console" not in browser("thief").get("/admin").text
    log_in(browser("organizer"), hall)  # logging in again opens a new session
    assert browser("organizer").get("/api/admin/export").status_code == 200


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ROUTES)
def test_a_deeply_nested_body_is_a_400_never_a_500(
    client: TestClient, hall: Hall, method: str, path: str, body: object
) -> None:
    deep = b"[" * 5000 + b"]" * 5000
    anonymous = getattr(client, method)(path, content=deep)
    assert anonymous.status_code == 401
    admin = getattr(client, method)(
        path, content=deep, headers={**hall.bearer(hall.admin), "Content-Type": "application/json"}
    )
    assert admin.status_code == 400 and "nested too deeply" in admin.json()["detail"]


def test_a_judges_deeply_nested_sheet_is_a_400(client: TestClient, hall: Hall) -> None:
    for depth in (1000, 5000):
        body = b'{"scores": ' + b"[" * depth + b"]" * depth + b"}"
        answer = client.put(
            "/api/judge/sheets/H01", content=body, headers=hall.bearer(hall.links[0].token)
        )
        assert answer.status_code == 400 and "nested too deeply" in answer.json()["detail"]


def test_a_sheet_queued_by_another_judge_is_not_sent_as_this_ones(
    client: TestClient, hall: Hall
) -> None:
    client.get(f"/j/{hall.links[1].token}")
    queue = client.get("/api/judge/queue").json()["entries"]
    todo = next(e["code"] for e in queue if e["status"] == "todo")
    csrf = {"X-CSRFToken": client.cookies.get("csrftoken")}
    theirs = client.put(
        f"/api/judge/sheets/{todo}",
        json={"scores": SCORES},
        headers={**csrf, "X-Showcase-Judge": str(hall.links[0].judge)},
    )
    assert theirs.status_code == 401 and "another judge" in theirs.json()["detail"]
    assert client.get(f"/api/judge/sheets/{todo}").status_code == 404
    mine = client.put(
        f"/api/judge/sheets/{todo}",
        json={"scores": SCORES},
        headers={**csrf, "X-Showcase-Judge": str(hall.links[1].judge)},
    )
    assert mine.status_code == 200


def test_a_request_that_leaves_the_session_alone_leaves_its_cookie_alone(
    client: TestClient, hall: Hall
) -> None:
    """On a shared tablet, a page still loading as judge B must not put B's session back after
    judge A has logged in: only a change of session writes the cookie."""
    login = client.get(f"/j/{hall.links[1].token}", follow_redirects=False)
    assert "session=" in login.headers.get("set-cookie", "")
    for path in ("/judge", "/api/judge/queue", "/"):
        answer = client.get(path)
        assert answer.status_code == 200
        assert "session=" not in answer.headers.get("set-cookie", ""), path
