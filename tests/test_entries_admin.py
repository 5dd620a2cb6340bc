"""An organizer edits and withdraws entries: a withdrawn entry leaves every queue and board, and
its sheets are kept."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from showcase import auth, organizing, store
from showcase.app import create_app
from showcase.settings import Settings
from tests.conftest import with_db

CRITERIA = ("impact", "technology", "design", "feasibility", "presentation")


class Console:
    def __init__(self, client: TestClient, path: Path) -> None:
        self.client, self.path = client, path
        token = with_db(path, lambda db: organizing.issue_admin_token(db, "test"))
        self.headers = {"Authorization": f"Bearer {token}"}

    def patch(self, code: str, body: object):  # type: ignore[no-untyped-def]
        return self.client.patch(f"/api/admin/entries/{code}", json=body, headers=self.headers)


@pytest.fixture
def console(demo_path: Path) -> Iterator[Console]:
    with TestClient(app=create_app(Settings(db=demo_path))) as client:
        yield Console(client, demo_path)


def scored_entry(path: Path) -> tuple[str, int]:
    """An entry with sheets, and a judge assigned to it."""
    sheets = with_db(path, store.list_current_sheets)
    return sheets[0].entry, sheets[0].judge_id


def test_an_edit_changes_only_the_fields_given(console: Console) -> None:
    code, _ = scored_entry(console.path)
    before = with_db(console.path, lambda db: store.get_entry(db, code))
    answer = console.patch(code, {"title": "Renamed", "table": "B7", "track": "climate-action"})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["title"], body["table"], body["track"]) == ("Renamed", "B7", "climate-action")
    assert body["team"] == before.team and body["withdrawn"] is False
    listed = {e["code"]: e for e in console.client.get("/api/entries").json()}
    assert listed[code]["title"] == "Renamed"
    audit = with_db(console.path, lambda db: db.fetchall("SELECT actor, action, detail FROM audit"))
    assert any(row["action"] == "edit_entry" and code in row["detail"] for row in audit)


@pytest.mark.parametrize(
    ("body", "status", "named"),
    [
        ({"track": "no-such-track"}, 400, "track"),
        ({"title": ""}, 400, "title"),
        ({"colour": "red"}, 400, "colour"),
        ({"withdrawn": "yes"}, 400, "withdrawn"),
    ],
)
def test_a_bad_edit_names_the_field_and_changes_nothing(
    console: Console, body: object, status: int, named: str
) -> None:
    code, _ = scored_entry(console.path)
    before = with_db(console.path, lambda db: store.get_entry(db, code))
    answer = console.patch(code, body)
    assert answer.status_code == status and named in answer.json()["detail"]
    assert with_db(console.path, lambda db: store.get_entry(db, code)) == before


def test_an_unknown_entry_is_404_and_a_judge_is_403(console: Console) -> None:
    assert console.patch("NOPE", {"title": "x"}).status_code == 404
    link = with_db(console.path, lambda db: auth.judge_links(db, "http://t"))[0]
    answer = console.client.patch(
        "/api/admin/entries/NOPE",
        json={"title": "x"},
        headers={"Authorization": f"Bearer {link.token}"},
    )
    assert answer.status_code == 403


def test_a_withdrawn_entry_leaves_queues_and_boards_and_keeps_its_sheets(
    console: Console,
) -> None:
    code, judge_id = scored_entry(console.path)
    entry = with_db(console.path, lambda db: store.get_entry(db, code))
    assert console.patch(code, {"withdrawn": True}).json()["withdrawn"] is True
    client = console.client
    assert code not in {r["code"] for r in client.get("/api/leaderboard").json()["standings"]}
    track = client.get("/api/leaderboard", params={"track": entry.track}).json()
    assert code not in {r["code"] for r in track["standings"]}
    assert code not in {e["code"] for e in client.get("/api/entries").json()}
    assert client.get(f"/entries/{code}").status_code == 404
    queue = with_db(console.path, lambda db: store.list_queue(db, judge_id))
    assert code not in {item.code for item in queue}
    link = next(
        link
        for link in with_db(console.path, lambda db: auth.judge_links(db, "http://t"))
        if link.judge == judge_id
    )
    refused = client.put(
        f"/api/judge/sheets/{code}",
        json={"scores": dict.fromkeys(CRITERIA, 3)},
        headers={"Authorization": f"Bearer {link.token}"},
    )
    assert refused.status_code == 403 and "withdrawn" in refused.json()["detail"]
    exported = client.get("/api/admin/export", params={"format": "json"}, headers=console.headers)
    assert code in {row["entry"] for row in exported.json()}  # its sheets are kept
    assert console.patch(code, {"withdrawn": False}).status_code == 200
    assert code in {r["code"] for r in client.get("/api/leaderboard").json()["standings"]}
