"""The `showcase` command, run as a user runs it: in a subprocess."""

import json
import sqlite3
import subprocess
from pathlib import Path

from tests.conftest import SHOWCASE
from tests.test_scoring_contract import BUILT_IN


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SHOWCASE, *args], capture_output=True, text=True, cwd=cwd, timeout=60)


def test_init_creates_an_event_with_the_default_rubric(tmp_path: Path) -> None:
    done = run("init", str(tmp_path / "e.db"))
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(tmp_path / "e.db") as conn:
        assert conn.execute("SELECT count(*) FROM criterion").fetchone()[0] == 5
        assert conn.execute("SELECT count(*) FROM entry").fetchone()[0] == 0
    conn.close()


def test_init_refuses_an_existing_file(demo_path: Path) -> None:
    done = run("init", str(demo_path))
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "already exists" in done.stderr
    assert "Traceback" not in done.stderr


def test_links_as_text_and_json(demo_path: Path) -> None:
    text = run("links", str(demo_path), "--base-url", "https://judge.example.org")
    assert text.returncode == 0
    lines = text.stdout.strip().splitlines()
    assert len(lines) >= 8 and all("https://judge.example.org/j/" in line for line in lines)
    links = json.loads(run("links", str(demo_path), "--format", "json").stdout)
    assert set(links[0]) == {"judge", "name", "token", "url"}
    assert links[0]["url"].endswith("/j/" + links[0]["token"])
    again = json.loads(run("links", str(demo_path), "--format", "json").stdout)
    assert again == links


def test_rotate_gives_a_new_link_and_ends_the_old(demo_path: Path) -> None:
    before = {
        link["name"]: link["token"]
        for link in json.loads(run("links", str(demo_path), "--format", "json").stdout)
    }
    done = run("links", str(demo_path), "--rotate", "Ethan Walker", "--format", "json")
    assert done.returncode == 0, done.stderr
    [rotated] = json.loads(done.stdout)
    assert rotated["name"] == "Ethan Walker" and rotated["token"] != before["Ethan Walker"]
    after = {
        link["name"]: link["token"]
        for link in json.loads(run("links", str(demo_path), "--format", "json").stdout)
    }
    assert after["Ethan Walker"] == rotated["token"]
    assert all(after[name] == token for name, token in before.items() if name != "Ethan Walker")
    unknown = run("links", str(demo_path), "--rotate", "Nobody")
    assert (
        unknown.returncode == 1 and "Nobody" in unknown.stderr and "Traceback" not in unknown.stderr
    )


def test_admin_token_prints_a_new_token_each_time(demo_path: Path) -> None:
    first, second = run("admin-token", str(demo_path)), run("admin-token", str(demo_path))
    assert first.returncode == 0 and second.returncode == 0
    assert first.stdout.strip() != second.stdout.strip() and len(first.stdout.strip()) >= 32
    with sqlite3.connect(demo_path) as conn:
        stored = b"".join(row[0] for row in conn.execute("SELECT token_hash FROM admin_token"))
    conn.close()
    assert first.stdout.strip().encode() not in stored


def test_admin_add_prints_a_password_once(demo_path: Path) -> None:
    done = run("admin", "add", str(demo_path), "ada")
    assert done.returncode == 0 and "password" in done.stdout
    twice = run("admin", "add", str(demo_path), "ada")
    assert twice.returncode == 1 and "already exists" in twice.stderr


def test_user_errors_exit_1_with_one_line(tmp_path: Path) -> None:
    for args in (
        ["links", str(tmp_path / "missing.db")],
        ["admin-token", str(tmp_path / "missing.db")],
    ):
        done = run(*args)
        assert done.returncode == 1
        assert done.stderr.count("\n") == 1 and "showcase init" in done.stderr
    not_a_db = tmp_path / "junk.db"
    not_a_db.write_text("hello")
    done = run("links", str(not_a_db))
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_a_newer_database_is_refused_clearly(demo_path: Path) -> None:
    with sqlite3.connect(demo_path) as conn:
        conn.execute("PRAGMA user_version = 999")
    conn.close()
    done = run("links", str(demo_path))
    assert (
        done.returncode == 1 and "newer Showcase" in done.stderr and "Traceback" not in done.stderr
    )


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    assert run().returncode == 2
    assert run("frobnicate").returncode == 2
    assert run("links", str(tmp_path / "x.db"), "--format", "xml").returncode == 2


def test_serve_prints_the_addresses(server) -> None:  # type: ignore[no-untyped-def]
    import urllib.request

    with urllib.request.urlopen(server.url + "/api/entries", timeout=5) as answer:
        assert len(json.loads(answer.read())) == 24
    server.__exit__()
    output = server.output
    assert f"{server.url}/leaderboard" in output and f"{server.url}/admin" in output
    assert "/j/" not in output  # a real event's login links stay secret: see test_operations


def test_methods_lists_every_built_in_with_its_description() -> None:
    done = run("methods")
    assert done.returncode == 0
    for name in sorted(BUILT_IN):
        assert f"\n{name} " in "\n" + done.stdout
    assert "Bayesian mean" in done.stdout


def test_rank_prints_the_web_boards_order(demo_path: Path, client) -> None:  # type: ignore[no-untyped-def]
    for method in ("mean", "offset", "schulze"):
        printed = json.loads(
            run("rank", str(demo_path), "--method", method, "--format", "json").stdout
        )
        assert printed["method"] == method
        token = run("admin-token", str(demo_path)).stdout.strip()
        client.post(
            "/api/admin/method",
            json={"method": method},
            headers={"Authorization": f"Bearer {token}"},
        )
        board = client.get("/api/leaderboard").json()
        assert board["method"] == method
        assert [r["code"] for r in board["standings"]] == [r["code"] for r in printed["standings"]]
        assert [r["rank"] for r in board["standings"]] == [r["rank"] for r in printed["standings"]]
    table = run("rank", str(demo_path), "--track", "climate-action")
    assert (
        table.returncode == 0 and "FloodWatch" in table.stdout and "MediBridge" not in table.stdout
    )
    csv_out = run("rank", str(demo_path), "--format", "csv").stdout.splitlines()
    assert csv_out[0] == "rank,code,title,team,score,judges,range,note" and len(csv_out) == 25


def test_rank_with_an_unknown_method_says_which_exist(demo_path: Path) -> None:
    done = run("rank", str(demo_path), "--method", "coin_toss")
    assert done.returncode == 1 and "coin_toss" in done.stderr and "schulze" in done.stderr


def test_backup_while_serving_and_check(server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "copy.db"
    done = run("backup", str(server.db), str(out))
    assert done.returncode == 0, done.stderr
    assert run("check", str(out)).returncode == 0
    with sqlite3.connect(out) as conn:
        assert conn.execute("SELECT count(*) FROM entry").fetchone()[0] == 24
    conn.close()
    again = run("backup", str(server.db), str(out))
    assert again.returncode == 1 and "already exists" in again.stderr
    broken = tmp_path / "broken.db"
    broken.write_bytes(out.read_bytes())
    with sqlite3.connect(broken) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("INSERT INTO assignment (judge_id, entry_id) VALUES (999, 999)")
    conn.close()
    bad = run("check", str(broken))
    assert bad.returncode == 1 and "missing" in bad.stderr


def test_init_with_a_time_zone_shows_every_time_in_it(tmp_path: Path) -> None:
    from bs4 import BeautifulSoup
    from litestar.testing import TestClient

    from showcase import organizing, store
    from showcase.app import create_app
    from showcase.settings import Settings
    from tests.conftest import with_db

    path = tmp_path / "seoul.db"
    done = run("init", str(path), "--tz", "Asia/Seoul", "--name", "GDSC Seoul")
    assert done.returncode == 0, done.stderr
    assert with_db(path, store.get_event).time_zone == "Asia/Seoul"
    run("import-entries", str(path), str(Path(__file__).parent / "fixtures" / "devpost-export.csv"))
    password = with_db(path, lambda db: organizing.add_organizer(db, "ada", "test"))
    stamp = "2026-12-01T01:02:03.000Z"  # 10:02 in Seoul
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO judge (name, token_hash) VALUES ('Ada', x'00')")
        conn.execute("INSERT INTO assignment (judge_id, entry_id) SELECT 1, id FROM entry LIMIT 1")
        conn.execute(
            "INSERT INTO sheet (judge_id, entry_id, version, scores, created_at, updated_at)"
            " SELECT 1, id, 1, '{}', ?, ? FROM entry LIMIT 1",
            (stamp, stamp),
        )
    conn.close()
    with TestClient(app=create_app(Settings(db=path))) as client:
        page = client.get("/admin").text
        token = BeautifulSoup(page, "html.parser").select_one("input[name=_csrf_token]")["value"]
        client.post(
            "/admin/login", data={"name": "ada", "password": password, "_csrf_token": token}
        )
        console = BeautifulSoup(client.get("/admin").text, "html.parser")
        cells = [td.get_text() for td in console.select("table.progress td")]
        assert "10:02 KST" in cells


def test_init_refuses_an_unknown_time_zone(tmp_path: Path) -> None:
    done = run("init", str(tmp_path / "e.db"), "--tz", "Mars/Olympus")
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert "Mars/Olympus" in done.stderr and "Asia/Seoul" in done.stderr
    assert not (tmp_path / "e.db").exists()


def test_commands_that_only_read_never_change_the_file(demo_path: Path, tmp_path: Path) -> None:
    import hashlib

    def fingerprint() -> tuple[str, float]:  # the event file itself, byte for byte
        return hashlib.sha256(demo_path.read_bytes()).hexdigest(), demo_path.stat().st_mtime

    out = tmp_path / "out"
    out.mkdir()
    before = fingerprint()
    db = str(demo_path)
    for command in (
        ["check", db],
        ["links", db],
        ["rank", db],
        ["export", db],
        ["results", db],
        ["rubric", db],
        ["cards", db, "--base-url", "https://t", "--out", str(out / "cards.html")],
        ["backup", db, str(out / "copy.db")],
    ):
        assert run(*command).returncode == 0, command
    assert fingerprint() == before
