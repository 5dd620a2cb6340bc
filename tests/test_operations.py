"""Running a real event: a log line a request with its id and no secret, no login link printed
unless asked, and over TLS every cookie Secure and HSTS sent."""

import re
from pathlib import Path

import httpx
from litestar.testing import TestClient

from showcase import auth, organizing
from showcase.app import create_app
from showcase.settings import Settings
from tests.conftest import Server, with_db
from tests.test_admin import csrf_of


def test_serve_prints_no_login_link_unless_asked(demo_path: Path) -> None:
    links = with_db(demo_path, lambda db: auth.judge_links(db, "http://t"))
    with Server(demo_path) as server:
        pass
    assert "Showcase is serving" in server.output
    assert not any(link.token in server.output for link in links)
    assert "/j/" not in server.output
    demo = Server(demo_path)
    demo.args = ["--print-links"]
    with demo:
        pass
    assert sum(link.token in demo.output for link in links) == 2


def test_each_request_is_logged_once_with_its_id_and_no_secret(demo_path: Path) -> None:
    judge = with_db(demo_path, lambda db: auth.judge_links(db, "http://t"))[0]
    admin = with_db(demo_path, lambda db: organizing.issue_admin_token(db, "test"))
    password = with_db(demo_path, lambda db: organizing.add_organizer(db, "ada", "test"))
    with Server(demo_path) as server, httpx.Client(base_url=server.url) as http:
        board = http.get("/api/leaderboard")
        given = http.get("/api/entries", headers={"X-Request-ID": "proxy-42"})
        login = http.get(f"/j/{judge.token}")
        audit = http.get("/api/admin/audit", headers={"Authorization": f"Bearer {admin}"})
        page = http.get("/admin")
        http.post(
            "/admin/login",
            data={"name": "ada", "password": password, "_csrf_token": csrf_of(page.text)},
        )
    lines = [line for line in server.output.splitlines() if "showcase.access" in line]
    logged = {line.split()[-5]: line.split()[-4:-1] for line in lines}
    assert logged[board.headers["x-request-id"]] == ["GET", "/api/leaderboard", "200"]
    assert given.headers["x-request-id"] == "proxy-42"
    assert logged["proxy-42"] == ["GET", "/api/entries", "200"]
    assert logged[login.headers["x-request-id"]] == ["GET", "/j/…", "303"]
    assert logged[audit.headers["x-request-id"]] == ["GET", "/api/admin/audit", "200"]
    assert len(lines) == 6 and len(logged) == 6
    for secret in (judge.token, admin, password):
        assert secret not in server.output


def set_cookies(answer: httpx.Response) -> list[str]:
    return answer.headers.get_list("set-cookie")


def test_over_tls_every_cookie_is_secure_and_hsts_is_sent(demo_path: Path) -> None:
    password = with_db(demo_path, lambda db: organizing.add_organizer(db, "ada", "test"))
    for secure in (True, False):
        settings = Settings(db=demo_path, secure_cookies=secure)
        with TestClient(app=create_app(settings), base_url="https://showcase.test") as client:
            page = client.get("/admin")
            login = client.post(
                "/admin/login",
                data={"name": "ada", "password": password, "_csrf_token": csrf_of(page.text)},
                follow_redirects=False,
            )
            language = client.get("/lang/ko", follow_redirects=False)
            cookies = set_cookies(page) + set_cookies(login) + set_cookies(language)
            names = {cookie.split("=", 1)[0] for cookie in cookies}
            assert names == {"csrftoken", "session", "lang"}
            assert all(bool(re.search(r";\s*secure", c, re.I)) is secure for c in cookies)
            hsts = page.headers.get("strict-transport-security")
            assert hsts == ("max-age=31536000; includeSubDomains" if secure else None)
