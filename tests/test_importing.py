"""Entries and judges from CSV files, assignment, and the export: all or nothing, errors by line."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from litestar.testing import TestClient

from showcase import auth, organizing, store
from showcase.errors import Invalid
from showcase.importing import read_entries, read_judges
from showcase.organizing import import_entries, import_judges
from showcase.text import same_affiliation
from tests.conftest import with_db

DEVPOST = Path(__file__).parent / "fixtures" / "devpost-export.csv"  # the shape Devpost writes

OURS = (
    "code,title,team,track,description,members,affiliation,country,table,repo_url,video_url,demo_url\n"
    'A1,Sight,Team One,Health,"Reads labels aloud,\nfor the blind.",Ann; Bo,KAIST,KR,T1,'
    "https://github.com/one/sight,,\n"
    "A2,Grow,Team Two,Climate Action,,,Yonsei University,KR,T2,,,https://grow.example.org\n"
)


def showcase(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "showcase.cli", *args], capture_output=True, text=True, timeout=60
    )


def problems_of(data: bytes) -> list[dict]:
    with pytest.raises(Invalid) as caught:
        read_entries(data)
    assert caught.value.message.startswith("nothing imported")
    return caught.value.extra


def test_our_columns_are_read_with_quoted_commas_and_line_breaks() -> None:
    one, two = read_entries(OURS.encode())
    assert (one.code, one.track, one.table, one.repo_url) == (
        "A1",
        "Health",
        "T1",
        "https://github.com/one/sight",
    )
    assert one.description == "Reads labels aloud,\nfor the blind."
    assert two.demo_url == "https://grow.example.org"


def test_a_devpost_export_is_read_as_it_comes() -> None:
    entries = {e.title: e for e in read_entries(DEVPOST.read_bytes())}
    assert "Draft idea" not in entries  # a draft is not a submission
    assert len(entries) == 7
    medi = entries["MediBridge"]
    assert (medi.code, medi.team, medi.track) == (
        "medibridge",
        "MediBridge",
        "Good Health and Well-being",
    )
    assert medi.affiliation == "Seoul National University"
    assert "\n" in medi.description  # the multi-line description survives
    assert (medi.demo_url, medi.video_url) == (
        "https://medibridge.example.org",
        "https://video.example.org/medibridge",
    )
    assert entries['StudyBuddy, "the" tutor'].demo_url == ""  # a project with no links
    assert "숲지기 (ForestKeeper)" in entries
    assert entries['=HYPERLINK("http://evil.example")'].code == "formula"


def test_devpost_columns_are_found_by_name_not_position() -> None:
    # Devpost adds columns of its own (a table number after the title, one per custom
    # question): reverse the columns and add a table number second.
    rows = list(csv.reader(io.StringIO(DEVPOST.read_text(encoding="utf-8"))))
    width = len(rows[0])
    moved = io.StringIO()
    writer = csv.writer(moved)
    for n, row in enumerate(rows):
        cells = list(reversed(row + [""] * (width - len(row))))
        writer.writerow([cells[0], "Auto Assigned Table Number" if n == 0 else str(n), *cells[1:]])
    entries = {e.title: e for e in read_entries(moved.getvalue().encode())}
    assert entries["MediBridge"].track == "Good Health and Well-being"
    assert entries["MediBridge"].table == "1"
    assert entries["MediBridge"].affiliation == "Seoul National University"


def test_every_bad_line_is_named_and_nothing_is_kept() -> None:
    bad = (
        "code,title,team,track,repo_url\n"
        "A1,Sight,Team One,Health,\n"
        "A1,Again,Team Two,Health,\n"  # the same code twice
        "A3,,Team Three,Health,\n"  # no title
        "A 4,Four,Team Four,Health,javascript:alert(1)\n"  # a space in the code, a bad link
        "A5,Five,Team, Five,Health,https://five.example.org\n"  # an unquoted comma
    )
    found = {(p["line"], p["column"]) for p in problems_of(bad.encode())}
    assert found == {
        (3, "code"),
        (4, "title"),
        (5, "code"),
        (5, "repo_url"),
        (6, ""),  # one cell too many
        (6, "repo_url"),  # and so the track landed in the link
    }


def test_a_missing_required_column_is_named() -> None:
    found = problems_of(b"code,title,track\nA1,Sight,Health\n")
    assert found == [{"line": 1, "column": "team", "message": "column is missing"}]


def test_an_empty_or_undecodable_file_is_refused() -> None:
    with pytest.raises(Invalid, match="empty"):
        read_entries(b"")
    with pytest.raises(Invalid, match="line 2 is not UTF-8"):
        read_entries(b"code,title,team,track\nA1,\xff\xfe,T,H\n")
    with pytest.raises(Invalid, match="no entries"):
        read_entries(b"code,title,team,track\n\n")


def test_judges_are_read_and_checked() -> None:
    judges = read_judges(b"name,email,affiliation,country\nAda,ada@example.org,KAIST,KR\nBo,,,\n")
    assert [j.name for j in judges] == ["Ada", "Bo"]
    with pytest.raises(Invalid) as caught:
        read_judges(b"name,email\nAda,not-an-email\n,b@example.org\nada,\n")
    assert {(p["line"], p["column"]) for p in caught.value.extra} == {
        (2, "email"),
        (3, "name"),
        (4, "name"),
    }


def test_the_command_line_imports_assigns_and_exports(empty_path: Path, tmp_path: Path) -> None:
    judges = tmp_path / "judges.csv"
    judges.write_text(
        "name,email,affiliation,country\n"
        "Ada,ada@example.org,KAIST,KR\nBo,,Seoul National University,KR\n"
        "Cy,,Yonsei University,KR\nDee,,IIT Bombay,IN\nEd,,Google,US\n",
        encoding="utf-8",
    )
    done = showcase("import-entries", str(empty_path), str(DEVPOST))
    assert done.returncode == 0 and "imported 7 entries" in done.stdout, done.stderr
    again = showcase("import-entries", str(empty_path), str(DEVPOST))  # the same file: no change
    assert again.returncode == 0 and "0 added, 0 changed, 7 unchanged" in again.stdout
    assert showcase("import-judges", str(empty_path), str(judges)).returncode == 0
    assigned = showcase("assign", str(empty_path), "--per-entry", "3")
    assert assigned.returncode == 0, assigned.stderr
    entries = with_db(empty_path, store.list_entries)
    people = {j.id: j for j in with_db(empty_path, store.list_judges)}
    plan = with_db(empty_path, store.list_assignments)
    per_entry: dict[str, int] = {}
    for judge_id, codes in plan.items():
        for code in codes:
            per_entry[code] = per_entry.get(code, 0) + 1
            entry = next(e for e in entries if e.code == code)
            assert not same_affiliation(people[judge_id].affiliation, entry.affiliation)
    assert set(per_entry.values()) == {3}
    loads = [len(codes) for codes in plan.values()]
    assert max(loads) - min(loads) <= 1  # a balanced load
    exported = showcase("export", str(empty_path), "--format", "json")
    assert exported.returncode == 0 and json.loads(exported.stdout) == []


def test_the_export_lists_every_sheet_safely(demo_path: Path) -> None:
    done = showcase("export", str(demo_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("\ufeff")  # Excel then reads it as UTF-8, Korean intact
    rows = list(csv.DictReader(io.StringIO(done.stdout.removeprefix("\ufeff"))))
    sheets = with_db(demo_path, store.list_exported_sheets)
    assert len(rows) == len(sheets) > 0
    first = rows[0]
    assert {"judge", "entry", "impact", "total", "comment", "created_at", "updated_at"} <= set(
        first
    )
    as_json = json.loads(showcase("export", str(demo_path), "--format", "json").stdout)
    assert len(as_json) == len(rows) and set(as_json[0]["scores"]) >= {"impact"}
    tokens = [link.token for link in with_db(demo_path, lambda db: auth.judge_links(db, "x"))]
    assert not any(token in done.stdout for token in tokens)


def test_a_formula_in_a_cell_is_exported_as_text(empty_path: Path) -> None:
    assert showcase("import-entries", str(empty_path), str(DEVPOST)).returncode == 0
    with_db(empty_path, lambda db: import_judges(db, b"name\nAda\n", "test"))
    judge = with_db(empty_path, store.list_judges)[0]
    with_db(
        empty_path, lambda db: organizing.assign_visits(db, [(judge.id, "formula")], [], 1, "test")
    )
    scores = {
        "impact": 3.0,
        "technology": 3.0,
        "design": 3.0,
        "feasibility": 3.0,
        "presentation": 3.0,
    }
    with_db(
        empty_path,
        lambda db: organizing.seed_sheets(db, [(judge.id, "formula", scores, "=1+1")], "t"),
    )
    exported = showcase("export", str(empty_path)).stdout.removeprefix("\ufeff")
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil.example")'
    assert rows[0]["comment"] == "'=1+1"


def test_the_admin_api_imports_all_or_nothing_and_exports(
    client: TestClient, demo_path: Path
) -> None:
    token = with_db(demo_path, lambda db: organizing.issue_admin_token(db, "test"))
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/csv"}
    before = len(client.get("/api/entries").json())
    bad = OURS + "A3,,Team,Health,,,,,,,,\n"
    refused = client.post("/api/admin/entries/import", content=bad.encode(), headers=headers)
    assert refused.status_code == 400
    assert refused.json()["extra"] == [{"line": 5, "column": "title", "message": "is empty"}]
    assert len(client.get("/api/entries").json()) == before
    done = client.post("/api/admin/entries/import", content=OURS.encode(), headers=headers)
    assert done.status_code == 200 and done.json() == {"imported": 2}
    listed = {e["code"]: e for e in client.get("/api/entries").json()}
    assert listed["A1"]["track"] == "health"  # a new track, created by the import
    exported = client.get("/api/admin/export", params={"format": "json"}, headers=headers)
    assert exported.status_code == 200 and exported.json()
    as_csv = client.get("/api/admin/export", headers=headers)
    assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert client.get("/api/admin/export").status_code == 401
    assert client.post("/api/admin/entries/import", content=OURS.encode()).status_code == 401
    wrong = client.get("/api/admin/export", params={"format": "xml"}, headers=headers)
    assert wrong.status_code == 400 and "format" in wrong.json()["detail"]


def test_assign_says_which_entries_could_not_get_enough_judges(
    empty_path: Path, tmp_path: Path
) -> None:
    judges = tmp_path / "judges.csv"
    judges.write_text("name,affiliation\nAda,KAIST\nBo,Yonsei University\n", encoding="utf-8")
    assert showcase("import-entries", str(empty_path), str(DEVPOST)).returncode == 0
    assert showcase("assign", str(empty_path)).returncode == 1  # no judges yet
    assert showcase("import-judges", str(empty_path), str(judges)).returncode == 0
    short = showcase("assign", str(empty_path), "--per-entry", "2")
    assert short.returncode == 0
    # KAIST's and Yonsei's own entries can have only the other judge
    assert "forestkeeper" in short.stderr and "signlink" in short.stderr
    assert "medibridge" not in short.stderr
    zero = showcase("assign", str(empty_path), "--per-entry", "0")
    assert zero.returncode == 1 and "at least one judge" in zero.stderr


GROWN = (
    "code,title,team,track,table\n"
    "A1,Sight Plus,Team One,Health,T1\n"  # renamed
    "A2,Grow,Team Two,Climate Action,T9\n"  # moved to another table
    "A3,Third,Team Three,Health,T3\n"  # new
)


def test_a_grown_file_updates_what_changed_and_adds_the_new_rows(empty_path: Path) -> None:
    with_db(empty_path, lambda db: import_entries(db, OURS.encode(), "t"))
    before = {e.code: e for e in with_db(empty_path, store.list_entries)}
    plan = with_db(empty_path, lambda db: import_entries(db, GROWN.encode(), "t", dry_run=True))
    assert plan.added == ["A3"]
    assert {c.key: c.fields for c in plan.changed} == {
        "A1": {"title": ["Sight", "Sight Plus"]},
        "A2": {"table": ["T2", "T9"]},
    }
    assert plan.lines("entries") == [
        "would add 1 entries: A3",
        "would change A1: title: 'Sight' -> 'Sight Plus'",
        "would change A2: table: 'T2' -> 'T9'",
        "0 entries unchanged",
    ]
    assert {e.code: e for e in with_db(empty_path, store.list_entries)} == before  # dry run
    done = with_db(empty_path, lambda db: import_entries(db, GROWN.encode(), "t"))
    assert done.count == 3
    after = {e.code: e for e in with_db(empty_path, store.list_entries)}
    assert after["A1"].title == "Sight Plus" and after["A2"].table == "T9"
    # a column the file lacks keeps its stored value
    assert after["A1"].description == before["A1"].description != ""
    assert after["A1"].repo_url == "https://github.com/one/sight"
    assert after["A3"].track == "health"


def test_a_dry_run_on_the_command_line_writes_nothing(empty_path: Path, tmp_path: Path) -> None:
    first = tmp_path / "first.csv"
    first.write_text(OURS, encoding="utf-8")
    grown = tmp_path / "grown.csv"
    grown.write_text(GROWN, encoding="utf-8")
    assert showcase("import-entries", str(empty_path), str(first)).returncode == 0
    dry = showcase("import-entries", str(empty_path), str(grown), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines() == [
        "would add 1 entries: A3",
        "would change A1: title: 'Sight' -> 'Sight Plus'",
        "would change A2: table: 'T2' -> 'T9'",
        "0 entries unchanged",
        "nothing was written (--dry-run)",
    ]
    assert {e.code for e in with_db(empty_path, store.list_entries)} == {"A1", "A2"}
    bad = showcase("import-entries", str(empty_path), str(DEVPOST.parent / "nope.csv"), "--dry-run")
    assert bad.returncode == 1


def test_judges_are_found_by_email_then_by_name(empty_path: Path, tmp_path: Path) -> None:
    first = b"name,email,affiliation\nAda,ada@example.org,KAIST\nBo,,Yonsei University\n"
    with_db(empty_path, lambda db: import_judges(db, first, "t"))
    ids = {j.name: j.id for j in with_db(empty_path, store.list_judges)}
    grown = (
        b"name,email,affiliation\n"
        b"Ada Lovelace,ada@example.org,KAIST\n"  # the same email: renamed
        b"Bo,bo@example.org,Yonsei University\n"  # the same name: an email added
        b"Cy,,Google\n"
    )
    plan = with_db(empty_path, lambda db: import_judges(db, grown, "t", dry_run=True))
    assert plan.added == ["Cy"]
    assert {c.key: c.fields for c in plan.changed} == {
        "Ada": {"name": ["Ada", "Ada Lovelace"]},
        "Bo": {"email": ["", "bo@example.org"]},
    }
    with_db(empty_path, lambda db: import_judges(db, grown, "t"))
    judges = {j.id: j for j in with_db(empty_path, store.list_judges)}
    assert judges[ids["Ada"]].name == "Ada Lovelace"  # the same judge, the same login link
    assert judges[ids["Bo"]].email == "bo@example.org" and len(judges) == 3


def test_devpost_keeps_members_built_with_prizes_and_the_table(tmp_path: Path) -> None:
    entries = {e.code: e for e in read_entries(DEVPOST.read_bytes())}
    assert entries["medibridge"].built_with == "flutter, firebase, gemini"
    assert entries["medibridge"].tags == "Best Use of AI, People's Choice"
    with_members = (
        "Project Title,Submission Url,Project Status,Auto Assigned Table Number,"
        "Submitter First Name,Submitter Last Name,Team Member 1 First Name,"
        "Team Member 1 Last Name,Built With,Opt-In Prizes,Which track?\n"
        "Sight,https://x.devpost.com/software/sight,Submitted,12,Ji-woo,Kim,Min,Park,"
        '"python,  opencv",Best Hardware,Health\n'
    )
    [entry] = read_entries(with_members.encode())
    assert (entry.members, entry.table) == ("Ji-woo Kim, Min Park", "12")
    assert (entry.built_with, entry.tags) == ("python, opencv", "Best Hardware")


def test_the_entry_page_shows_what_it_was_built_with_and_its_prizes(
    empty_path: Path,
) -> None:
    from bs4 import BeautifulSoup
    from litestar.testing import TestClient

    from showcase.app import create_app
    from showcase.settings import Settings

    with_db(empty_path, lambda db: import_entries(db, DEVPOST.read_bytes(), "t"))
    with TestClient(app=create_app(Settings(db=empty_path))) as client:
        page = BeautifulSoup(client.get("/entries/medibridge").text, "html.parser")
        facts = {
            div.select_one("dt").get_text(): div.select_one("dd")
            for div in page.select("dl.facts > div")
        }
        assert facts["Built with"].get_text() == "flutter, firebase, gemini"
        assert [b.get_text() for b in facts["Prizes entered"].select(".badge")] == [
            "Best Use of AI",
            "People's Choice",
        ]


def test_a_semicolon_file_gets_a_hint_about_the_separator() -> None:
    with pytest.raises(Invalid) as refused:
        read_entries(b"code;title;team;track\nA1;Sight;One;Health\n")
    assert "semicolons" in refused.value.message and "commas" in refused.value.message


def test_an_over_long_cell_is_named_by_line_and_column() -> None:
    huge = "x" * 200_000
    data = f'code,title,team,track,description\nA1,Sight,One,Health,"{huge}"\n'.encode()
    problems = problems_of(data)
    assert problems == [
        {"line": 2, "column": "description", "message": "is longer than 5000 characters"}
    ]


def test_import_problems_come_in_the_organizers_language(
    client: TestClient, demo_path: Path
) -> None:
    token = with_db(demo_path, lambda db: organizing.issue_admin_token(db, "test"))
    bad = b"code,title,team,track\nA1,,Team,Health\n"
    refused = client.post(
        "/api/admin/entries/import",
        content=bad,
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "ko"},
    )
    assert refused.status_code == 400
    assert refused.json()["detail"] == (
        "아무것도 가져오지 않았습니다: 파일에 문제 1건: 2행, 'title' 열: 비어 있습니다"
    )
    assert refused.json()["extra"] == [{"line": 2, "column": "title", "message": "비어 있습니다"}]
    english = client.post(
        "/api/admin/entries/import",
        content=bad,
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
    )
    assert english.json()["detail"] == (
        "nothing imported: 1 problem(s) in the file: line 2, column 'title': is empty"
    )
