"""Every public route through the test client, in English and in Korean."""

from pathlib import Path

import pytest
from litestar.testing import TestClient

from showcase import organizing, store
from showcase.cache import Boards
from showcase.db import Database
from tests.conftest import with_db


def test_home_lists_every_entry_with_the_stylesheet(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "/static/showcase.css" in page.text and "favicon.svg" in page.text
    assert "GDSC Solution Challenge Showcase" in page.text
    assert page.text.count('class="card"') == 24
    assert "24 entries" in page.text
    assert client.get("/static/showcase.css").status_code == 200
    assert client.get("/static/favicon.svg").status_code == 200


def test_home_filters_by_track_and_searches(client: TestClient) -> None:
    climate = client.get("/", params={"track": "climate-action"})
    assert climate.text.count('class="card"') == 8
    assert "FloodWatch" in climate.text and "MediBridge" not in climate.text
    found = client.get("/", params={"q": "medi"})
    assert "MediBridge" in found.text and "FloodWatch" not in found.text
    by_team = client.get("/", params={"q": "rainmakers"})
    assert "FloodWatch" in by_team.text and by_team.text.count('class="card"') == 1
    none = client.get("/", params={"q": "no such thing"})
    assert "No entry matches." in none.text


def test_entry_page(client: TestClient) -> None:
    page = client.get("/entries/C01")
    assert page.status_code == 200
    assert "숲지기 (ForestKeeper)" in page.text
    assert "KAIST" in page.text and "Green Guardians" in page.text
    assert 'href="https://github.com/example/forestkeeper"' in page.text


def test_unknown_pages_get_a_friendly_404(client: TestClient) -> None:
    for path in ["/entries/NOPE", "/no/such/page"]:
        page = client.get(path)
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")
        assert "Page not found" in page.text and "Back to the entries" in page.text
    assert "NOPE" in client.get("/entries/NOPE").text


def test_api_errors_are_json(client: TestClient) -> None:
    answer = client.get("/api/no-such-thing")
    assert answer.status_code == 404
    assert answer.json()["status_code"] == 404
    unknown_track = client.get("/api/leaderboard", params={"track": "nope"})
    assert unknown_track.status_code == 404
    assert "nope" in unknown_track.json()["detail"]


def test_api_entries(client: TestClient) -> None:
    entries = client.get("/api/entries").json()
    assert len(entries) == 24
    first = next(e for e in entries if e["code"] == "H01")
    assert set(first) == {
        "code",
        "title",
        "team",
        "track",
        "description",
        "affiliation",
        "table",
        "links",
    }
    assert first["track"] == "good-health-and-well-being"
    assert first["links"]["repo"] == "https://github.com/example/medibridge"


def test_api_criteria(client: TestClient) -> None:
    criteria = client.get("/api/criteria").json()
    assert [c["key"] for c in criteria] == [
        "impact",
        "technology",
        "design",
        "feasibility",
        "presentation",
    ]
    assert set(criteria[0]) == {"key", "name", "description", "weight", "min", "max", "step"}
    assert criteria[0]["weight"] == 3


def test_api_leaderboard_ranks_by_mean_with_unscored_last(
    client: TestClient, demo_path: Path
) -> None:
    assert client.get("/api/leaderboard").json()["method"] == "calibrated"  # a new event's default
    with_db(demo_path, lambda db: organizing.choose_method(db, "mean", {}, "test"))
    board = client.get("/api/leaderboard").json()
    assert set(board) == {
        "event",
        "visibility",
        "method",
        "track",
        "version",
        "updated_at",
        "standings",
    }
    assert board["visibility"] == "live" and board["method"] == "mean" and board["track"] is None
    rows = board["standings"]
    assert len(rows) == 24
    scored = [r for r in rows if r["score"] is not None]
    assert [r["score"] for r in scored] == sorted((r["score"] for r in scored), reverse=True)
    assert all(r["rank"] is None and r["judges"] == 0 for r in rows[len(scored) :])
    for position, row in enumerate(scored):
        ahead = [r for r in scored[:position] if r["score"] > row["score"] + 1e-9]
        assert row["rank"] == len(ahead) + 1
    assert set(rows[0]) >= {"rank", "code", "title", "team", "track", "score", "judges"}


def test_leaderboard_score_is_the_mean_of_weighted_sheet_totals(
    client: TestClient, demo_path: Path
) -> None:
    async def expected(db: Database) -> dict[str, float]:
        weights = {c.key: c.weight for c in await store.list_criteria(db)}
        totals: dict[str, list[float]] = {}
        for sheet in await store.list_current_sheets(db):
            total = sum(weights[k] * v for k, v in sheet.scores.items()) / sum(weights.values())
            totals.setdefault(sheet.entry, []).append(total)
        return {code: sum(t) / len(t) for code, t in totals.items()}

    means = with_db(demo_path, expected)
    with_db(demo_path, lambda db: organizing.choose_method(db, "mean", {}, "test"))
    rows = client.get("/api/leaderboard").json()["standings"]
    for row in rows:
        if row["code"] in means:
            assert row["score"] == pytest.approx(means[row["code"]], abs=1e-4)
        else:
            assert row["score"] is None


def test_api_leaderboard_per_track(client: TestClient) -> None:
    board = client.get("/api/leaderboard", params={"track": "quality-education"}).json()
    assert board["track"] == "quality-education"
    assert {r["track"] for r in board["standings"]} == {"quality-education"}
    assert len(board["standings"]) == 8
    ranked = [r["rank"] for r in board["standings"] if r["rank"] is not None]
    assert ranked[0] == 1


def test_leaderboard_page_shows_the_same_board(client: TestClient) -> None:
    board = client.get("/api/leaderboard").json()
    page = client.get("/leaderboard").text
    positions = [page.index(f'data-code="{row["code"]}"') for row in board["standings"]]
    assert positions == sorted(positions)
    assert f"{board['standings'][0]['score']:.2f}" in page
    track_page = client.get("/leaderboard", params={"track": "climate-action"})
    assert track_page.status_code == 200 and "FloodWatch" in track_page.text
    assert "MediBridge" not in track_page.text
    assert client.get("/leaderboard", params={"track": "nope"}).status_code == 404


def test_a_hidden_board_shows_nothing(client: TestClient, demo_path: Path) -> None:
    with_db(demo_path, lambda db: organizing.set_visibility(db, Boards(), "hidden", "test"))
    board = client.get("/api/leaderboard").json()
    assert board["visibility"] == "hidden" and board["standings"] == []
    page = client.get("/leaderboard").text
    assert "hidden" in page and "data-code" not in page


def test_openapi_schema(client: TestClient) -> None:
    schema = client.get("/schema")
    assert schema.status_code == 200
    document = schema.json()
    assert document["openapi"].startswith("3.")
    assert {"/api/entries", "/api/criteria", "/api/leaderboard"} <= set(document["paths"])


def test_security_headers(client: TestClient) -> None:
    headers = client.get("/").headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_language_follows_accept_language(client: TestClient) -> None:
    korean = client.get("/", headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"})
    assert '<html lang="ko">' in korean.text
    assert "참가작" in korean.text
    english = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="en">' in english.text and "Entries" in english.text
    assert "Page not found" not in korean.text
    missing = client.get("/nowhere", headers={"Accept-Language": "ko"})
    assert missing.status_code == 404 and "페이지를 찾을 수 없습니다" in missing.text


def test_language_switch_is_remembered(client: TestClient) -> None:
    switched = client.get("/lang/ko", params={"next": "/leaderboard"}, follow_redirects=False)
    assert switched.status_code == 303
    assert switched.headers["location"] == "/leaderboard"
    assert "lang=ko" in switched.headers["set-cookie"]
    page = client.get("/leaderboard", headers={"Accept-Language": "en"})
    assert '<html lang="ko">' in page.text and "순위표" in page.text
    client.get("/lang/en", follow_redirects=False)
    assert '<html lang="en">' in client.get("/").text


def test_language_switch_never_redirects_off_site(client: TestClient) -> None:
    for target in ["https://evil.example", "//evil.example", "/\\evil.example"]:
        answer = client.get("/lang/ko", params={"next": target}, follow_redirects=False)
        assert answer.headers["location"] == "/"
