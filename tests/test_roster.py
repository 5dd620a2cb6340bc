"""The console's lists of entries and judges: search, edit, withdraw, add, deactivate, new link."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from litestar.testing import TestClient

from showcase import auth, store
from showcase.app import create_app
from showcase.settings import Settings
from tests.conftest import with_db
from tests.test_admin import console_error, log_in


@pytest.fixture
def console(demo_path: Path) -> Iterator[tuple[TestClient, str]]:
    with TestClient(app=create_app(Settings(db=demo_path))) as client:
        yield client, log_in(client, demo_path)


def soup(client: TestClient, path: str) -> BeautifulSoup:
    answer = client.get(path)
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    return BeautifulSoup(answer.text, "html.parser")


def test_the_entries_list_searches_edits_and_withdraws(
    console: tuple[TestClient, str], demo_path: Path
) -> None:
    client, token = console
    entries = with_db(demo_path, store.list_entries)
    every = soup(client, "/admin/entries").select(".roster-item")
    assert [li["data-code"] for li in every] == [e.code for e in entries]
    target = entries[0]
    found = soup(client, f"/admin/entries?q={target.title}").select(".roster-item")
    assert [li["data-code"] for li in found] == [target.code]
    form = {
        "title": "Renamed",
        "team": target.team,
        "track": "climate-action",
        "table": "Z1",
        "_csrf_token": token,
    }
    done = client.post(f"/admin/entries/{target.code}", data=form, follow_redirects=False)
    assert done.status_code == 303
    edited = with_db(demo_path, lambda db: store.get_entry(db, target.code))
    assert (edited.title, edited.track, edited.table) == ("Renamed", "climate-action", "Z1")
    bad = client.post(f"/admin/entries/{target.code}", data={**form, "title": ""})
    assert bad.status_code == 400 and "title" in console_error(bad.text)
    client.post(f"/admin/entries/{target.code}", data={"withdrawn": "true", "_csrf_token": token})
    assert target.code not in {e["code"] for e in client.get("/api/entries").json()}
    row = soup(client, "/admin/entries").select_one(f'li[data-code="{target.code}"]')
    assert "withdrawn" in row["class"] and row.select("button")[-1]["value"] == "false"


def test_the_judges_list_adds_edits_deactivates_and_gives_new_links(
    console: tuple[TestClient, str], demo_path: Path
) -> None:
    client, token = console
    old = with_db(demo_path, lambda db: auth.judge_links(db, "http://t"))[0]
    page = client.post(
        f"/admin/judges/{old.judge}", data={"action": "new_link", "_csrf_token": token}
    )
    shown = BeautifulSoup(page.text, "html.parser").select_one(".new-link code").get_text()
    new = with_db(demo_path, lambda db: auth.judge_links(db, "http://testserver.local"))[0]
    assert shown == new.url and new.token != old.token
    stale = client.get("/api/judge/queue", headers={"Authorization": f"Bearer {old.token}"})
    assert stale.status_code == 401
    client.post(
        "/admin/judges",
        data={
            "name": "Zoe",
            "email": "zoe@example.org",
            "affiliation": "KAIST",
            "_csrf_token": token,
        },
    )
    zoe = next(j for j in with_db(demo_path, store.list_judges) if j.name == "Zoe")
    assert (zoe.email, zoe.affiliation, zoe.active) == ("zoe@example.org", "KAIST", True)
    key = with_db(demo_path, store.get_link_key)
    zoe_token = auth.judge_token(key, zoe.id, 1)
    welcome = client.get("/api/judge/queue", headers={"Authorization": f"Bearer {zoe_token}"})
    assert welcome.status_code == 200
    twice = client.post("/admin/judges", data={"name": "Zoe", "_csrf_token": token})
    assert twice.status_code == 400 and "Zoe" in console_error(twice.text)
    client.post(f"/admin/judges/{zoe.id}", data={"active": "false", "_csrf_token": token})
    assert zoe.id not in {j.id for j in with_db(demo_path, store.list_judges)}
    links = with_db(demo_path, lambda db: auth.judge_links(db, "http://t"))
    assert zoe.id not in {link.judge for link in links}  # no link, no card, no assignment
    refused = client.get("/api/judge/queue", headers={"Authorization": f"Bearer {zoe_token}"})
    assert refused.status_code == 401
    row = soup(client, "/admin/judges").select_one(f'li[data-judge="{zoe.id}"]')
    assert "Deactivated" in row.get_text() and row.select("button")[-1]["value"] == "true"
    client.post(
        f"/admin/judges/{new.judge}",
        data={
            "name": new.name,
            "email": "",
            "affiliation": "Google",
            "country": "US",
            "_csrf_token": token,
        },
    )
    judge = with_db(demo_path, lambda db: store.get_judge(db, new.judge))
    assert (judge.affiliation, judge.country) == ("Google", "US")


def test_one_entry_is_put_in_a_judges_queue_or_taken_out(
    console: tuple[TestClient, str], demo_path: Path
) -> None:
    client, token = console
    pairs = with_db(demo_path, store.list_conflict_pairs)
    judge = next(j for j in with_db(demo_path, store.list_judges) if j.id in dict(pairs))
    mine = {item.code for item in with_db(demo_path, lambda db: store.list_queue(db, judge.id))}
    conflicts = {code for j, code in pairs if j == judge.id}
    other = next(
        e.code
        for e in with_db(demo_path, store.list_entries)
        if e.code not in mine and e.code not in conflicts
    )

    def queue() -> set[str]:
        return {item.code for item in with_db(demo_path, lambda db: store.list_queue(db, judge.id))}

    form = {"action": "visit", "entry": other, "_csrf_token": token}
    assert (
        client.post(f"/admin/judges/{judge.id}", data=form, follow_redirects=False).status_code
        == 303
    )
    assert queue() == mine | {other}
    client.post(f"/admin/judges/{judge.id}", data={**form, "action": "unvisit"})
    assert queue() == mine
    unknown = client.post(f"/admin/judges/{judge.id}", data={**form, "entry": "NOPE"})
    assert unknown.status_code == 404 and "NOPE" in console_error(unknown.text)
    refused = client.post(f"/admin/judges/{judge.id}", data={**form, "entry": sorted(conflicts)[0]})
    assert refused.status_code == 400 and "conflict" in console_error(refused.text)
    assert queue() == mine


def test_a_revoked_link_stops_working_and_shows_no_new_one(
    console: tuple[TestClient, str], demo_path: Path
) -> None:
    client, token = console
    old = with_db(demo_path, lambda db: auth.judge_links(db, "http://t"))[1]
    done = client.post(
        f"/admin/judges/{old.judge}",
        data={"action": "revoke_link", "_csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303
    stale = client.get("/api/judge/queue", headers={"Authorization": f"Bearer {old.token}"})
    assert stale.status_code == 401
    page = soup(client, "/admin/judges")
    assert page.select_one(".new-link") is None
    judge = with_db(demo_path, lambda db: store.get_judge(db, old.judge))
    assert judge.active  # the judge stays; a new link can be given when needed
