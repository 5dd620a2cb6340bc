"""The event database: pragmas, migrations, write transactions, backup and check."""

import sqlite3
from pathlib import Path

import pytest

from showcase.db import Database, migrate
from showcase.errors import SchemaTooNew
from showcase.migrations import MIGRATIONS


async def test_fresh_database_has_every_table_and_the_pragmas(tmp_path: Path) -> None:
    async with Database(tmp_path / "t.db") as db:
        tables = {
            row[0]
            for row in await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        assert {
            "event",
            "track",
            "criterion",
            "criterion_level",
            "entry",
            "judge",
            "assignment",
            "conflict",
            "sheet",
            "sheet_version",
            "idempotency",
            "audit",
            "comparison",
            "organizer",
            "admin_token",
            "migration",
        } <= tables
        assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
        assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
        assert (await db.fetchone("PRAGMA synchronous"))[0] == 2  # FULL
        assert (await db.fetchone("PRAGMA busy_timeout"))[0] >= 1000
        assert (await db.fetchone("PRAGMA user_version"))[0] == len(MIGRATIONS)
        names = [row[0] for row in await db.fetchall("SELECT name FROM migration ORDER BY number")]
        assert names == [name for name, _ in MIGRATIONS]


async def test_opening_again_applies_nothing(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    async with Database(path):
        pass
    async with Database(path) as db:
        assert await migrate(db._writer) == 0  # noqa: SLF001
        count = (await db.fetchone("SELECT count(*) FROM migration"))[0]
        assert count == len(MIGRATIONS)


async def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    async with Database(path):
        pass
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(SchemaTooNew, match="newer Showcase"):
        await Database(path).open()


async def test_a_failed_transaction_changes_nothing(tmp_path: Path) -> None:
    async with Database(tmp_path / "t.db") as db:
        with pytest.raises(RuntimeError):
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO track (slug, name) VALUES ('a', 'A')")
                raise RuntimeError("boom")
        assert (await db.fetchone("SELECT count(*) FROM track"))[0] == 0
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO track (slug, name) VALUES ('a', 'A')")
        assert (await db.fetchone("SELECT count(*) FROM track"))[0] == 1


async def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    async with Database(tmp_path / "t.db") as db:
        with pytest.raises(sqlite3.IntegrityError):
            async with db.transaction() as tx:
                await tx.execute(
                    "INSERT INTO entry (code, title, team, track_id) VALUES ('X', 'x', 'x', 999)"
                )


async def test_backup_and_check(demo_path: Path, tmp_path: Path) -> None:
    async with Database(demo_path) as db:
        assert await db.check() == []
        await db.backup(tmp_path / "copy.db")
    async with Database(tmp_path / "copy.db") as copy:
        assert (await copy.fetchone("SELECT count(*) FROM entry"))[0] == 24
