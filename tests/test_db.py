"""The event database: pragmas, migrations, write transactions, backup and check."""

import asyncio
import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from showcase.db import Database, Tx, connect, migrate_connection
from showcase.errors import ReadOnly, SchemaTooNew, SchemaTooOld
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
    conn = connect(path)
    assert migrate_connection(conn) == 0
    conn.close()
    async with Database(path) as db:
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


def add_track(slug: str) -> "Callable[[Tx], int]":
    return lambda tx: tx.execute("INSERT INTO track (slug, name) VALUES (?, ?)", (slug, slug))


def fail(tx: Tx) -> None:
    tx.execute("INSERT INTO track (slug, name) VALUES ('never', 'never')")
    raise RuntimeError("boom")


async def test_a_failed_transaction_changes_nothing(tmp_path: Path) -> None:
    async with Database(tmp_path / "t.db") as db:
        with pytest.raises(RuntimeError):
            await db.write(fail)
        assert (await db.fetchone("SELECT count(*) FROM track"))[0] == 0
        await db.write(add_track("a"))
        assert (await db.fetchone("SELECT count(*) FROM track"))[0] == 1


async def test_writes_that_come_together_commit_together_and_fail_alone(tmp_path: Path) -> None:
    async with Database(tmp_path / "t.db") as db:
        works = [add_track(f"t{n}") for n in range(200)]
        works[50] = fail
        works[51] = add_track("t0")  # a slug taken: this one fails, alone
        done = await asyncio.gather(*map(db.write, works), return_exceptions=True)
        assert isinstance(done[50], RuntimeError)
        assert isinstance(done[51], sqlite3.IntegrityError)
        assert all(isinstance(d, int) for n, d in enumerate(done) if n not in (50, 51))
        slugs = {row[0] for row in await db.fetchall("SELECT slug FROM track")}
        assert slugs == {f"t{n}" for n in range(200)} - {"t50", "t51"}


async def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    async with Database(tmp_path / "t.db") as db:
        with pytest.raises(sqlite3.IntegrityError):
            await db.write(
                lambda tx: tx.execute(
                    "INSERT INTO entry (code, title, team, track_id) VALUES ('X', 'x', 'x', 999)"
                )
            )


async def test_the_reader_cannot_write(tmp_path: Path) -> None:
    async with Database(tmp_path / "t.db") as db:
        with pytest.raises(sqlite3.OperationalError, match="readonly|read-only|query_only"):
            await db.fetchall("INSERT INTO track (slug, name) VALUES ('a', 'A')")


def fingerprint(path: Path) -> tuple[bytes, float]:
    return hashlib.sha256(path.read_bytes()).digest(), path.stat().st_mtime


async def test_a_read_only_open_never_migrates_nor_changes_the_file(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    async with Database(path):
        pass
    before = fingerprint(path)
    async with Database(path, readonly=True) as db:
        assert (await db.fetchone("SELECT count(*) FROM migration"))[0] == len(MIGRATIONS)
        with pytest.raises(ReadOnly):
            await db.write(add_track("a"))
    assert fingerprint(path) == before
    with sqlite3.connect(path) as conn:  # as if written by an older Showcase
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) - 1}")
    conn.close()
    older = fingerprint(path)
    with pytest.raises(SchemaTooOld, match="showcase serve"):
        await Database(path, readonly=True).open()
    assert fingerprint(path) == older


async def test_backup_and_check(demo_path: Path, tmp_path: Path) -> None:
    async with Database(demo_path) as db:
        assert await db.check() == []
        await db.backup(tmp_path / "copy.db")
    async with Database(tmp_path / "copy.db") as copy:
        assert (await copy.fetchone("SELECT count(*) FROM entry"))[0] == 24
