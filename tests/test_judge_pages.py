"""The judges' pages through the test client: login link, queue, form posts with CSRF."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from showcase import auth, organizing, store
from showcase.app import create_app
from showcase.settings import Settings
from tests.conftest import with_db

FORM = {"impact": "4", "technology": "3", "design": "5", "feasibility": "2", "presentation": "4"}


def csrf_of(page: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert found, "no CSRF token in the form"
    return found.group(1)


class Judge:
    def __init__(self, client: TestClient, path: Path) -> None:
        self.client, self.path = client, path
        self.link = with_db(path, lambda db: auth.judge_links(db, "http://t"))[1]
        self.queue = with_db(path, lambda db: store.list_queue(db, self.link.judge))
        self.todo = [item.code for item in self.queue if item.status == "todo"]

    def login(self) -> None:
        answer = self.client.get(f"/j/{self.link.token}", follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/judge"

    def sheet(self, code: str) -> str:
        page = self.client.get(f"/judge/entries/{code}")
        assert page.status_code == 200, page.text
        return page.text


@pytest.fixture
def judge(demo_path: Path) -> Iterator[Judge]:
    with TestClient(app=create_app(Settings(db=demo_path))) as client:
        yield Judge(client, demo_path)


def test_the_login_link_starts_a_session_and_leaves_the_address_bar(judge: Judge) -> None:
    answer = judge.client.get(f"/j/{judge.link.token}", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/judge"
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert judge.link.token not in answer.headers["set-cookie"]
    queue = judge.client.get("/judge")
    assert queue.status_code == 200 and judge.link.name in queue.text


def test_a_wrong_link_is_refused_and_guessing_is_limited(judge: Judge) -> None:
    guesses = judge.client.app.state.guesses
    guesses.slow_after = guesses.limit  # this test counts misses; it does not time them
    wrong = judge.client.get("/j/not-a-real-token", follow_redirects=False)
    assert wrong.status_code == 401 and "not valid" in wrong.text
    for _ in range(guesses.limit - 1):
        assert judge.client.get("/j/another-guess").status_code == 401
    blocked = judge.client.get("/j/another-guess")
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1
    # the judge's own link still works from the same address
    real = judge.client.get(f"/j/{judge.link.token}", follow_redirects=False)
    assert real.status_code == 303 and real.headers["location"] == "/judge"


def test_without_a_session_the_judge_pages_ask_for_the_link(judge: Judge) -> None:
    page = judge.client.get("/judge")
    assert page.status_code == 401 and "personal judging link" in page.text


def test_the_queue_shows_progress_the_next_entry_and_tables(judge: Judge) -> None:
    judge.login()
    page = judge.client.get("/judge").text
    done = sum(1 for item in judge.queue if item.status == "done")
    assert f"{done} of {len(judge.queue)}" in page
    assert page.count('class="queue-item') == len(judge.queue)
    assert re.search(r'class="queue-item todo next"', page)
    first_todo = judge.todo[0]
    assert page.index(f"/judge/entries/{first_todo}") == page.index(
        'class="queue-item todo next"'
    ) + page[page.index('class="queue-item todo next"') :].index(f"/judge/entries/{first_todo}")
    for item in judge.queue:
        assert (
            f'<span class="table-big" aria-label="Table {item.table}">{item.table}</span>' in page
        )


def test_the_score_form_has_a_button_per_value_and_no_dropdowns(judge: Judge) -> None:
    judge.login()
    page = judge.sheet(judge.todo[0])
    assert "<select" not in page and 'type="range"' not in page
    for key in FORM:
        assert len(re.findall(rf'type="radio" name="{key}" value="\d"', page)) == 5
    assert page.count("Not scored yet") == 5
    assert "checked" not in page
    assert "Transformative" in page and 'name="comment"' in page
    assert 'type="submit"' in page and "Save" in page


def test_a_form_post_saves_and_moves_to_the_next_entry(judge: Judge) -> None:
    judge.login()
    first, second = judge.todo[0], judge.todo[1]
    token = csrf_of(judge.sheet(first))
    saved = judge.client.post(
        f"/judge/entries/{first}",
        data={**FORM, "comment": "Lovely", "version": "", "_csrf_token": token},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/judge/entries/{second}?saved={first}"
    stored = with_db(judge.path, lambda db: store.get_sheet(db, judge.link.judge, first))
    assert stored is not None and stored.version == 1 and stored.scores["design"] == 5
    page = judge.sheet(first)
    assert "Stored: version 1" in page and 'value="5" required checked' in page


def test_a_form_post_without_csrf_is_refused(judge: Judge) -> None:
    judge.login()
    refused = judge.client.post(f"/judge/entries/{judge.todo[0]}", data={**FORM, "version": ""})
    assert refused.status_code == 403
    assert (
        with_db(judge.path, lambda db: store.get_sheet(db, judge.link.judge, judge.todo[0])) is None
    )


def test_an_incomplete_form_is_shown_again_with_what_is_missing(judge: Judge) -> None:
    judge.login()
    code = judge.todo[0]
    token = csrf_of(judge.sheet(code))
    partial = {k: v for k, v in FORM.items() if k != "design"}
    answer = judge.client.post(
        f"/judge/entries/{code}", data={**partial, "version": "", "_csrf_token": token}
    )
    assert answer.status_code == 400 and answer.headers["content-type"].startswith("text/html")
    assert "Design" in answer.text and 'name="impact" value="4" required checked' in answer.text
    assert with_db(judge.path, lambda db: store.get_sheet(db, judge.link.judge, code)) is None


def test_two_tablets_show_both_sheets_and_keep_one(judge: Judge) -> None:
    judge.login()
    code = judge.todo[0]
    token = csrf_of(judge.sheet(code))
    judge.client.post(f"/judge/entries/{code}", data={**FORM, "version": "", "_csrf_token": token})
    late = judge.client.post(
        f"/judge/entries/{code}", data={**FORM, "impact": "1", "version": "", "_csrf_token": token}
    )
    assert late.status_code == 409 and late.headers["content-type"].startswith("text/html")
    assert "Another tablet saved this entry first" in late.text
    assert "Keep mine" in late.text and "Keep the stored one" in late.text
    keep_mine = judge.client.post(
        f"/judge/entries/{code}",
        data={**FORM, "impact": "1", "version": "1", "_csrf_token": csrf_of(late.text)},
        follow_redirects=False,
    )
    assert keep_mine.status_code == 303
    stored = with_db(judge.path, lambda db: store.get_sheet(db, judge.link.judge, code))
    assert stored is not None and stored.version == 2 and stored.scores["impact"] == 1


def test_recusal_takes_the_entry_out_and_the_organizers_see_it(judge: Judge) -> None:
    judge.login()
    code = judge.todo[0]
    token = csrf_of(judge.sheet(code))
    answer = judge.client.post(
        f"/judge/entries/{code}/recuse",
        data={"reason": "I mentored them", "_csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    queue = judge.client.get("/judge").text
    assert "Recused" in queue
    conflicts = with_db(judge.path, store.list_declared_conflicts)
    assert [(c.judge, c.entry, c.reason) for c in conflicts] == [
        (judge.link.name, code, "I mentored them")
    ]
    page = judge.sheet(code)
    assert "You recused yourself" in page and '<fieldset class="sheet-fields" disabled>' in page
    password = with_db(judge.path, lambda db: organizing.add_organizer(db, "ada", "t"))
    console = judge.client.get("/admin").text
    judge.client.post(
        "/admin/login", data={"name": "ada", "password": password, "_csrf_token": csrf_of(console)}
    )
    assert "I mentored them" in judge.client.get("/admin").text


def test_closed_judging_makes_the_form_read_only(judge: Judge) -> None:
    judge.login()
    code = judge.todo[0]
    token = csrf_of(judge.sheet(code))
    with_db(judge.path, lambda db: organizing.set_judging(db, False, "t"))
    page = judge.sheet(code)
    assert "Judging is closed" in page and '<fieldset class="sheet-fields" disabled>' in page
    assert 'class="button save"' not in page
    answer = judge.client.post(
        f"/judge/entries/{code}", data={**FORM, "version": "", "_csrf_token": token}
    )
    assert answer.status_code == 423 and "Judging is closed" in answer.text


def test_rotating_a_link_ends_the_session_it_opened(judge: Judge) -> None:
    judge.login()
    with_db(
        judge.path,
        lambda db: organizing.rotate_judge_link(db, judge.link.name, "t"),
    )
    assert judge.client.get("/judge").status_code == 401


def test_the_session_api_call_needs_the_csrf_header(judge: Judge) -> None:
    judge.login()
    body = {"scores": {k: float(v) for k, v in FORM.items()}, "version": None}
    refused = judge.client.put(f"/api/judge/sheets/{judge.todo[0]}", json=body)
    assert refused.status_code == 403
    token = csrf_of(judge.sheet(judge.todo[0]))
    saved = judge.client.put(
        f"/api/judge/sheets/{judge.todo[0]}", json=body, headers={"X-CSRFToken": token}
    )
    assert saved.status_code == 200 and saved.json()["version"] == 1
