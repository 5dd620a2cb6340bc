"""Every organizer action goes through `organizing`, in one transaction with its audit row:
the row names the action and who did it, and an action refused leaves neither change nor row."""

import ast
import inspect
from pathlib import Path

import pytest

from showcase import judging, organizing, store
from showcase.cache import Boards
from showcase.db import Database, Tx
from showcase.demo import DEFAULT_RUBRIC
from showcase.errors import Conflict, Invalid
from showcase.models import EntryPatch, RubricCriterion
from tests.test_layout import ALL

ENTRIES = (
    b"code,title,team,track,affiliation\nA1,Solar,Sun,Climate,KAIST\nA2,Rain,Cloud,Climate,SNU\n"
)
JUDGES = b"name,affiliation\nAda,KAIST\nBo,Yonsei\n"


def writers() -> set[str]:
    """The store's write functions: those that take the transaction they write in."""
    return {
        name
        for name, function in inspect.getmembers(store, inspect.isfunction)
        if next(iter(inspect.signature(function).parameters.values())).annotation in (Tx, "Tx")
    }


def test_only_organizing_and_judging_write() -> None:
    """Routes, commands and jobs reach the store's writes only through an action."""
    assert {"set_visibility", "upsert_entries", "assign", "save_sheet"} <= writers()
    offenders = []
    for path, tree in ALL.items():
        if path.startswith("showcase/store") or path in (
            "showcase/organizing.py",
            "showcase/judging.py",
        ):
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "store"
                and (node.attr in writers() or node.attr == "recorded")
            ):
                offenders.append(f"{path}:{node.lineno} store.{node.attr}")
    assert offenders == []


async def audit_rows(db: Database) -> list[tuple[str, str]]:
    return [(row.actor, row.action) for row in reversed(await store.list_audit(db))]


async def test_each_action_writes_one_audit_row_with_its_actor(empty_path: Path) -> None:
    async with Database(empty_path) as db:
        boards = Boards()
        before = len(await audit_rows(db))
        await organizing.set_event_details(db, "GDSC Showcase", "Asia/Seoul", "ada")
        await organizing.add_track(db, "Health", "ada")
        await organizing.change_track(db, "health", "rename", "Good Health", "ada")
        await organizing.import_entries(db, ENTRIES, "ada")
        await organizing.import_entries(db, ENTRIES, "ada", dry_run=True)  # writes nothing
        await organizing.import_judges(db, JUDGES, "bo")
        await organizing.edit_entry(db, "A2", EntryPatch(table="B7"), "bo")
        plan = await organizing.assign_judges(db, 1, "bo")
        ada = (await store.list_judges(db))[0].id
        await organizing.rotate_judge_link(db, "Ada", "bo")
        await organizing.edit_judge(db, ada, {"country": "KR"}, "bo")
        await organizing.choose_method(db, "zscore", {}, "ada")
        await organizing.set_judging(db, True, "ada")
        await judging.recuse(db, plan.pairs[0][0], plan.pairs[0][1], "my cousin")
        await organizing.set_visibility(db, boards, "frozen", "ada")
        await organizing.set_judging(db, False, "ada")
        await organizing.set_visibility(db, boards, "final", "ada")
        await organizing.step_reveal(db, boards, 1, "ada")
        await organizing.issue_admin_token(db, "cli")
        await organizing.add_organizer(db, "cy", "cli")
        rows = (await audit_rows(db))[before:]
    assert rows == [
        ("ada", "set_event"),
        ("ada", "add_track"),
        ("ada", "rename_track"),
        ("ada", "import_entries"),
        ("bo", "import_judges"),
        ("bo", "edit_entry"),
        ("bo", "assign"),
        ("bo", "rotate_judge_token"),
        ("bo", "edit_judge"),
        ("ada", "set_method"),
        ("ada", "set_judging"),
        (f"judge:{plan.pairs[0][0]}", "declare_conflict"),
        ("ada", "set_visibility"),
        ("ada", "set_judging"),
        ("ada", "set_visibility"),
        ("ada", "reveal"),
        ("cli", "add_admin_token"),
        ("cli", "add_organizer"),
    ]


async def test_a_refused_action_leaves_no_change_and_no_audit_row(empty_path: Path) -> None:
    async with Database(empty_path) as db:
        await organizing.import_entries(db, ENTRIES, "ada")
        await organizing.set_judging(db, True, "ada")
        before = await audit_rows(db)
        with pytest.raises(Conflict, match="close judging"):
            await organizing.set_visibility(db, Boards(), "final", "ada")
        with pytest.raises(Invalid, match="no track"):
            await organizing.edit_entry(db, "A1", EntryPatch(title="New", track="nope"), "ada")
        with pytest.raises(Invalid, match="zone"):
            await organizing.set_event_details(db, "Renamed", "Mars/Olympus", "ada")
        with pytest.raises(Invalid, match="still has entries"):
            await organizing.change_track(db, "climate", "remove", "", "ada")
        assert await audit_rows(db) == before
        event = await store.get_event(db)
        assert (event.visibility, event.name) == ("hidden", "Empty Event")
        entry = await store.get_entry(db, "A1")
        assert entry is not None and entry.title == "Solar"


async def test_a_rubric_change_that_alters_stored_sheets_is_refused_unrecorded(
    empty_path: Path,
) -> None:
    async with Database(empty_path) as db:
        await organizing.import_entries(db, ENTRIES, "ada")
        await organizing.import_judges(db, JUDGES, "ada")
        bo = (await store.list_judges(db))[1].id
        scores = {c.key: float(c.min) for c in DEFAULT_RUBRIC}
        await organizing.seed_sheets(db, [(bo, "A1", scores, "")], "demo")
        before = await audit_rows(db)
        heavier = [
            RubricCriterion(**{**_fields(c), "weight": c.weight * 2}) for c in DEFAULT_RUBRIC
        ]
        with pytest.raises(Invalid, match="1 stored sheet"):
            await organizing.set_rubric(db, heavier, "ada")
        assert await audit_rows(db) == before


def _fields(criterion: RubricCriterion) -> dict[str, object]:
    return {f: getattr(criterion, f) for f in criterion.__struct_fields__}


async def test_a_long_import_is_staged_in_chunks_and_still_all_or_nothing(
    empty_path: Path,
) -> None:
    rows = organizing.IMPORT_CHUNK * 2 + 10
    lines = "".join(f"L{n},Title {n},Team {n},Track {n % 3}\n" for n in range(rows))
    async with Database(empty_path) as db:
        before = await audit_rows(db)
        bad = f"code,title,team,track\n{lines}L7,Again,Team,Track 1\n".encode()
        with pytest.raises(Invalid, match="L7"):
            await organizing.import_entries(db, bad, "ada")
        assert await store.list_entries(db) == []
        assert await audit_rows(db) == before
        plan = await organizing.import_entries(
            db, f"code,title,team,track\n{lines}".encode(), "ada"
        )
        assert plan.count == rows
        entries = await store.list_entries(db)
        assert len(entries) == rows and {e.track_name for e in entries} == {
            "Track 0",
            "Track 1",
            "Track 2",
        }
        assert (await audit_rows(db))[len(before) :] == [("ada", "import_entries")]
