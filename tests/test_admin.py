"""The organizers' login, console forms (with CSRF) and the admin API (bearer token)."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from litestar.testing import TestClient

import scoring
from showcase import judging, organizing, store
from showcase.app import create_app
from showcase.board import live_board
from showcase.settings import Settings
from tests.conftest import with_db


def csrf_of(page: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert found, "the form carries no CSRF token"
    return found.group(1)


def confirmation(page: str) -> dict[str, Any]:
    """The console's question before a visibility change, and the fields its Yes button sends."""
    box = BeautifulSoup(page, "html.parser").select_one('[role="alertdialog"]')
    assert box is not None, "the console asks nothing"
    form = box.find("form")
    fields = {i["name"]: i["value"] for i in form.find_all("input") if i.get("name")}
    return {"question": box.find("strong").get_text(strip=True), "fields": fields}


def log_in(client: TestClient, demo_path: Path) -> str:
    """Logs an organizer in on the console; the CSRF token its forms carry."""
    password = with_db(demo_path, lambda db: organizing.add_organizer(db, "ada", "test"))
    token = csrf_of(client.get("/admin").text)
    client.post("/admin/login", data={"name": "ada", "password": password, "_csrf_token": token})
    return token


def test_admin_api_needs_a_valid_token(client: TestClient) -> None:
    anonymous = client.post("/api/admin/board", json={"visibility": "hidden"})
    assert anonymous.status_code == 401 and anonymous.json()["status_code"] == 401
    wrong = client.post(
        "/api/admin/board", json={"visibility": "hidden"}, headers={"Authorization": "Bearer nope"}
    )
    assert wrong.status_code == 401 and wrong.json()["status_code"] == 401


def test_admin_api_sets_visibility_and_judging(client: TestClient, demo_path: Path) -> None:
    token = with_db(demo_path, lambda db: organizing.issue_admin_token(db, "test"))
    headers = {"Authorization": f"Bearer {token}"}
    hidden = client.post("/api/admin/board", json={"visibility": "hidden"}, headers=headers)
    assert hidden.status_code == 200 and hidden.json()["visibility"] == "hidden"
    assert client.get("/api/leaderboard").json()["standings"] == []
    bad = client.post("/api/admin/board", json={"visibility": "sideways"}, headers=headers)
    assert bad.status_code == 400 and "visibility" in bad.json()["detail"]
    closed = client.post("/api/admin/judging", json={"open": False}, headers=headers)
    assert closed.status_code == 200 and closed.json()["judging_open"] is False


def test_organizer_logs_in_and_uses_the_console(client: TestClient, demo_path: Path) -> None:
    password = with_db(demo_path, lambda db: organizing.add_organizer(db, "ada", "test"))
    login = client.get("/admin")
    assert login.status_code == 200 and 'name="password"' in login.text
    assert login.headers["cache-control"] == "no-store"
    token = csrf_of(login.text)
    wrong = client.post(
        "/admin/login", data={"name": "ada", "password": "nope", "_csrf_token": token}
    )
    assert wrong.status_code == 401 and "do not match" in wrong.text
    assert wrong.headers["content-type"].startswith("text/html")
    right = client.post(
        "/admin/login",
        data={"name": "ada", "password": password, "_csrf_token": token},
        follow_redirects=False,
    )
    assert right.status_code == 303 and right.headers["location"] == "/admin"
    console = client.get("/admin")
    assert "Organizer console" in console.text and "ada" in console.text
    assert console.headers["cache-control"] == "no-store"
    hide = client.post(
        "/admin/event",
        data={"visibility": "hidden", "_csrf_token": csrf_of(console.text)},
        follow_redirects=False,
    )
    assert hide.status_code == 200  # asked first: the hall would see it at once
    assert client.get("/api/leaderboard").json()["visibility"] == "live"
    sure = confirmation(hide.text)
    assert sure["question"] == "Hide the leaderboard?"
    confirmed = client.post("/admin/event", data=sure["fields"], follow_redirects=False)
    assert confirmed.status_code == 303
    assert client.get("/api/leaderboard").json()["visibility"] == "hidden"
    console = client.get("/admin")
    assert "Judging is open." in console.text
    client.post("/admin/event", data={"open": "false", "_csrf_token": csrf_of(console.text)})
    assert "Judging is closed." in client.get("/admin").text


def test_a_form_post_without_csrf_is_refused(client: TestClient, demo_path: Path) -> None:
    password = with_db(demo_path, lambda db: organizing.add_organizer(db, "ada", "test"))
    client.get("/admin")
    refused = client.post("/admin/login", data={"name": "ada", "password": password})
    assert refused.status_code == 403
    assert (
        "/admin" in client.get("/admin").text
        and "Organizer console" not in client.get("/admin").text
    )


def test_password_guessing_is_limited(client: TestClient, demo_path: Path) -> None:
    password = with_db(demo_path, lambda db: organizing.add_organizer(db, "ada", "test"))
    guesses = client.app.state.guesses
    guesses.slow_after = guesses.limit  # this test counts misses; it does not time them
    token = csrf_of(client.get("/admin").text)
    for _ in range(guesses.limit):
        miss = client.post(
            "/admin/login", data={"name": "ada", "password": "guess", "_csrf_token": token}
        )
        assert miss.status_code == 401
    blocked = client.post(
        "/admin/login", data={"name": "ada", "password": "guess", "_csrf_token": token}
    )
    assert blocked.status_code == 429 and "Too many failed attempts" in blocked.text
    assert 1 <= int(blocked.headers["retry-after"]) <= 60
    # the right password is never refused for the misses before it
    right = client.post(
        "/admin/login",
        data={"name": "ada", "password": password, "_csrf_token": token},
        follow_redirects=False,
    )
    assert right.status_code == 303


def test_the_event_method_drives_the_board(client: TestClient, demo_path: Path) -> None:
    token = with_db(demo_path, lambda db: organizing.issue_admin_token(db, "test"))
    headers = {"Authorization": f"Bearer {token}"}
    chosen = client.post(
        "/api/admin/method", json={"method": "trimmed", "params": {"cut": 1}}, headers=headers
    )
    assert chosen.status_code == 200 and chosen.json()["method"] == "trimmed"
    assert client.get("/api/leaderboard").json()["method"] == "trimmed"
    unknown = client.post("/api/admin/method", json={"method": "coin_toss"}, headers=headers)
    assert unknown.status_code == 400 and "coin_toss" in unknown.json()["detail"]
    wrong = client.post(
        "/api/admin/method", json={"method": "mean", "params": {"cut": 2}}, headers=headers
    )
    assert wrong.status_code == 400
    assert client.get("/api/leaderboard").json()["method"] == "trimmed"
    board = with_db(demo_path, live_board)
    assert board.method == "trimmed"
    ranked = [r for r in board.standings if r.rank is not None]
    assert ranked and all(r.rank_range[0] <= r.rank <= r.rank_range[1] for r in ranked)


def test_the_console_steps_the_reveal_to_each_award_place(
    client: TestClient, demo_path: Path
) -> None:
    token = log_in(client, demo_path)
    console = client.get("/admin").text
    client.post("/admin/event", data={"open": "false", "_csrf_token": csrf_of(console)})
    asked = client.post("/admin/event", data={"visibility": "final", "_csrf_token": token})
    assert confirmation(asked.text)["question"] == "Show the final results?"
    client.post("/admin/event", data=confirmation(asked.text)["fields"])
    console = client.get("/admin").text
    assert "On to the next award" in console and "Award places" in console
    assert "3rd place" in console and "Track winner" in console
    plan = [int(n) for n in re.findall(r"row (\d+) of \d+", console)]
    client.post("/admin/event", data={"reveal": "award", "_csrf_token": csrf_of(console)})
    assert client.get("/api/leaderboard").json()["standings"][0]["rank"] is not None
    shown = len(client.get("/api/leaderboard").json()["standings"])
    assert shown == plan[0] - 1  # every row below the first award place, then a pause
    console = client.get("/admin").text
    client.post("/admin/event", data={"reveal": "award", "_csrf_token": csrf_of(console)})
    top = client.get("/api/leaderboard").json()["standings"][0]
    assert (
        top["award"] in ("track", "third")
        and len(client.get("/api/leaderboard").json()["standings"]) == plan[0]
    )


def test_the_console_shows_each_judges_progress(client: TestClient, demo_path: Path) -> None:
    log_in(client, demo_path)
    judge = with_db(demo_path, store.list_judges)[0]
    queue = with_db(demo_path, lambda db: store.list_queue(db, judge.id))
    done = sum(1 for item in queue if item.status == "done")
    mine = sum(1 for item in queue if item.status != "recused")
    console = client.get("/admin").text
    assert "Judging progress" in console
    row = re.search(rf"<td>{re.escape(judge.name)}</td>\s*<td class=\"num\">([^<]+)</td>", console)
    assert row and row.group(1).strip() == f"{done} of {mine}"
    todo = next(item for item in queue if item.status == "todo")
    with_db(demo_path, lambda db: judging.recuse(db, judge.id, todo.code, "my cousin"))
    console = client.get("/admin").text
    row = re.search(rf"<td>{re.escape(judge.name)}</td>\s*<td class=\"num\">([^<]+)<span", console)
    assert row and row.group(1).strip() == f"{done} of {mine - 1}"
    assert "(1 recused)" in console


@pytest.fixture
def empty_client(empty_path: Path) -> Iterator[TestClient]:
    with TestClient(app=create_app(Settings(db=empty_path))) as test_client:
        yield test_client


def test_the_console_previews_a_grown_file_before_importing_it(
    client: TestClient, demo_path: Path
) -> None:
    log_in(client, demo_path)
    entry = client.get("/api/entries").json()[0]
    grown = (
        "code,title,team,track\n"
        f"{entry['code']},{entry['title']} 2.0,{entry['team']},{entry['track']}\n"
        "NEW1,Late Entry,Late Team,Climate Action\n"
    )
    preview = client.post(
        "/admin/import",
        data={"kind": "entries", "_csrf_token": csrf_of(client.get("/admin").text)},
        files={"file": ("grown.csv", grown.encode(), "text/csv")},
    )
    box = BeautifulSoup(preview.text, "html.parser").select_one(".import-preview")
    changed = box.select_one(f'.changed[data-key="{entry["code"]}"]').get_text(" ", strip=True)
    assert f"title: “{entry['title']}” → “{entry['title']} 2.0”" in changed
    assert box.select_one(".added").get_text(" ", strip=True) == "New: 1 (NEW1)"
    assert "NEW1" not in {e["code"] for e in client.get("/api/entries").json()}
    client.post("/admin/import", data=console_form(preview.text, ".import-preview form"))
    after = {e["code"]: e for e in client.get("/api/entries").json()}
    assert after[entry["code"]]["title"] == f"{entry['title']} 2.0" and "NEW1" in after


def test_the_console_imports_assigns_and_exports(
    empty_client: TestClient, empty_path: Path
) -> None:
    client = empty_client
    password = with_db(empty_path, lambda db: organizing.add_organizer(db, "ada", "test"))
    token = csrf_of(client.get("/admin").text)
    client.post("/admin/login", data={"name": "ada", "password": password, "_csrf_token": token})

    def send(kind: str, text: str) -> Any:
        return client.post(
            "/admin/import",
            data={"kind": kind, "_csrf_token": csrf_of(client.get("/admin").text)},
            files={"file": ("file.csv", text.encode(), "text/csv")},
            headers={"Referer": "http://testserver.local/admin"},
        )

    bad = send("entries", "code,title,team,track\nA1,,Team,Health\nA1,Two,Team,Health\n")
    assert bad.status_code == 400 and bad.headers["content-type"].startswith("text/html")
    assert "line 2, title: is empty" in bad.text and "line 3, code" in bad.text
    assert "Judging progress" in bad.text  # the console again, with the problems on it
    assert "/lang/ko?next=/admin" in bad.text  # switching language goes back to the console
    preview = send("entries", "code,title,team,track,affiliation\nA1,One,Team,Health,KAIST\n")
    assert preview.status_code == 200  # first what it would do, and nothing imported yet
    assert "New: 1 (A1)" in BeautifulSoup(preview.text, "html.parser").select_one(
        ".import-preview .added"
    ).get_text(" ", strip=True)
    assert client.get("/api/entries").json() == []
    done = client.post("/admin/import", data=console_form(preview.text, ".import-preview form"))
    assert done.status_code == 200 and "Imported 1 entries." in done.text
    assert "Imported 1 entries." not in client.get("/admin").text  # the notice shows once
    assert [e["code"] for e in client.get("/api/entries").json()] == ["A1"]
    judges = send("judges", "name,affiliation\nAda,KAIST\nBo,SNU\n")
    imported = client.post("/admin/import", data=console_form(judges.text, ".import-preview form"))
    assert "Imported 2 judges." in imported.text
    assigned = client.post(
        "/admin/assign",
        data={"per_entry": "2", "_csrf_token": csrf_of(client.get("/admin").text)},
    )
    assert "Assigned 1 judge visits." in assigned.text and "Short of judges: A1." in assigned.text
    console = client.get("/admin").text
    assert "/api/admin/export?format=csv" in console
    assert client.get("/api/admin/export", params={"format": "csv"}).status_code == 200
    unsigned = client.post("/admin/import", data={"kind": "judges"})  # no CSRF token
    assert unsigned.status_code == 403


@pytest.mark.parametrize(
    ("method", "params", "named"),
    [
        ("trimmed", {"cut": 1e19}, "cut"),
        ("trimmed", {"cut": 1.5}, "cut"),
        ("bradley_terry", {"alpha": 1e308}, "alpha"),
        ("bayes", {"prior": 1e308}, "prior"),
        ("bayes", {"prior": -1}, "prior"),
        ("calibrated", {"ridge_scale": 1e300}, "ridge_scale"),
        ("mean", {"weight": 2}, "weight"),
    ],
)
def test_a_method_parameter_outside_its_declared_range_is_refused(
    client: TestClient, demo_path: Path, method: str, params: dict[str, float], named: str
) -> None:
    token = with_db(demo_path, lambda db: organizing.issue_admin_token(db, "test"))
    headers = {"Authorization": f"Bearer {token}"}
    before = client.get("/api/leaderboard").json()
    refused = client.post(
        "/api/admin/method", json={"method": method, "params": params}, headers=headers
    )
    assert refused.status_code == 400 and repr(named) in refused.json()["detail"]
    after = client.get("/api/leaderboard")
    assert after.status_code == 200
    assert after.json()["method"] == before["method"]
    assert [r["score"] for r in after.json()["standings"]] == [
        r["score"] for r in before["standings"]
    ]


def console_error(page: str) -> str:
    box = BeautifulSoup(page, "html.parser").select_one(".notice.error")
    assert box is not None, "the console shows no error"
    return box.get_text(" ", strip=True)


def console_form(page: str, css: str) -> dict[str, str]:
    """The fields a console form sends, as its page fills them in."""
    form = BeautifulSoup(page, "html.parser").select_one(css)
    assert form is not None, css
    return {i["name"]: i.get("value", "") for i in form.select("input[name]")}


def test_the_console_sets_a_method_and_its_parameters_in_one_step(
    client: TestClient, demo_path: Path
) -> None:
    log_in(client, demo_path)
    page = BeautifulSoup(client.get("/admin").text, "html.parser")
    form = page.select_one("form.method-form")
    assert form is not None
    options = [o["value"] for o in form.select("select[name=method] option")]
    assert set(options) == set(scoring.methods())
    legends = [f.select_one("legend").get_text(strip=True) for f in form.select("fieldset")]
    with_params = [m.title for m in scoring.methods().values() if m.parameters]
    assert legends == [f"Parameters of {title}" for title in with_params]
    cut = form.select_one("input[name='param.trimmed.cut']")
    assert (cut["min"], cut["max"], cut["step"], cut["value"]) == ("0", "20", "1", "1")
    fields = console_form(str(form), "form")
    chosen = {**fields, "method": "trimmed", "param.trimmed.cut": "2"}
    assert client.post("/admin/event", data=chosen).status_code == 200
    event = with_db(demo_path, store.get_event)
    assert (event.method, event.method_params) == ("trimmed", {"cut": 2})
    page = BeautifulSoup(client.get("/admin").text, "html.parser")
    assert page.select_one("input[name='param.trimmed.cut']")["value"] == "2"
    refused = client.post("/admin/event", data={**chosen, "param.trimmed.cut": "99"})
    assert refused.status_code == 400 and "'cut'" in console_error(refused.text)
    assert with_db(demo_path, store.get_event).method_params == {"cut": 2}
    other = client.post("/admin/event", data={**chosen, "method": "mean"})  # cut is not mean's
    assert other.status_code == 200
    event = with_db(demo_path, store.get_event)
    assert (event.method, event.method_params) == ("mean", {})


def test_the_console_sets_the_events_name_and_time_zone(
    client: TestClient, demo_path: Path
) -> None:
    log_in(client, demo_path)
    fields = console_form(client.get("/admin").text, "form.event-form")
    done = client.post(
        "/admin/event",
        data={**fields, "event_name": "GDSC Seoul", "time_zone": "Asia/Seoul"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    event = with_db(demo_path, store.get_event)
    assert (event.name, event.time_zone) == ("GDSC Seoul", "Asia/Seoul")
    refused = client.post("/admin/event", data={**fields, "time_zone": "Seoul"})
    assert refused.status_code == 400
    assert "unknown time zone 'Seoul'" in console_error(refused.text)
    assert with_db(demo_path, store.get_event).time_zone == "Asia/Seoul"


def test_the_console_adds_renames_reorders_and_removes_tracks(
    client: TestClient, demo_path: Path
) -> None:
    token = log_in(client, demo_path)

    def tracks() -> list[tuple[str, str]]:
        return [(t.slug, t.name) for t in with_db(demo_path, store.list_tracks)]

    before = tracks()
    client.post(
        "/admin/tracks", data={"action": "add", "name": "AI for Good", "_csrf_token": token}
    )
    assert tracks() == [*before, ("ai-for-good", "AI for Good")]
    page = BeautifulSoup(client.get("/admin").text, "html.parser")
    row = page.select_one('li[data-track="ai-for-good"]')
    buttons = [b["value"] for b in row.select("button")]
    assert buttons == ["rename", "up", "remove"]  # last, and empty: it may go
    full = page.select_one(f'li[data-track="{before[0][0]}"]')
    assert "remove" not in [b["value"] for b in full.select("button")]
    client.post(
        "/admin/tracks",
        data={"action": "rename", "track": "ai-for-good", "name": "AI4Good", "_csrf_token": token},
    )
    client.post(
        "/admin/tracks", data={"action": "up", "track": "ai-for-good", "_csrf_token": token}
    )
    assert tracks() == [*before[:-1], ("ai-for-good", "AI4Good"), before[-1]]
    refused = client.post(
        "/admin/tracks", data={"action": "remove", "track": before[0][0], "_csrf_token": token}
    )
    assert refused.status_code == 400 and "still has entries" in console_error(refused.text)
    client.post(
        "/admin/tracks", data={"action": "remove", "track": "ai-for-good", "_csrf_token": token}
    )
    assert tracks() == before
    twice = client.post(
        "/admin/tracks", data={"action": "add", "name": before[0][1], "_csrf_token": token}
    )
    assert twice.status_code == 400 and "already" in console_error(twice.text)


def test_the_console_shows_each_contenders_chance_of_a_prize(
    client: TestClient, demo_path: Path
) -> None:
    log_in(client, demo_path)
    page = BeautifulSoup(client.get("/admin").text, "html.parser")
    panel = page.find(id="prize-chances").find_parent("section")
    shown = {
        tr["data-code"]: [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in panel.select("table.prizes tbody tr")
    }
    board = with_db(demo_path, lambda db: live_board(db))  # the same draws: seeded
    expected = {
        row.code: row
        for row in board.standings
        if row.p_prize is not None and (row.p_prize >= 0.01 or row.rank_range[0] <= 3)
    }
    assert shown and set(shown) == set(expected)
    others = {
        tr["data-code"]: [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in panel.select(".prize-others tbody tr")
    }
    ranked = {row.code: row for row in board.standings if row.p_prize is not None}
    assert others and set(others) == set(ranked) - set(expected)  # the rest, folded away
    assert {chance for _, _, chance, _ in others.values()} == {"under 1%"}
    summary = panel.select_one(".prize-others summary").get_text(strip=True)
    assert summary == f"{len(others)} other entries, each under 1%"
    for code, (rank, entry, chance, ranks) in shown.items():
        row = expected[code]
        assert rank == str(row.rank)
        assert chance == f"{100 * row.p_prize:.0f}%"
        assert ranks == f"{row.rank_range[0]}–{row.rank_range[1]}"
        assert ("too close to call" in entry) == row.too_close
    settled = not any(row.too_close for row in expected.values())
    note = panel.find("p").get_text(strip=True)
    assert note.startswith("The top 3 is settled" if settled else "Not settled yet")
