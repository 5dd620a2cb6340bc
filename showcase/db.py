"""The event database: connections, pragmas, write transactions, migrations (all aiosqlite)."""

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from showcase.errors import NotFound as NotFoundError
from showcase.errors import SchemaTooNew
from showcase.migrations import MIGRATIONS
from showcase.text import natural_key

Params = Sequence[Any] | dict[str, Any]
Row = sqlite3.Row

PRAGMAS = """
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA foreign_keys = ON;
PRAGMA busy_timeout = 5000;
"""


class Tx:
    """The writer connection inside one `BEGIN IMMEDIATE` transaction."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self.topics: set[str] = set()

    def notify(self, topic: str) -> None:
        """Tells the listeners of `topic` once this transaction has committed."""
        self.topics.add(topic)

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Runs one statement; returns the last inserted row id."""
        cursor = await self._conn.execute(sql, params)
        row_id = cursor.lastrowid or 0
        await cursor.close()
        return row_id

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self._conn.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        async with self._conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        async with self._conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())


class Database:
    """One event file: a single writer connection behind a lock, and a reader connection."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._writer: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._listeners: dict[str, list[Callable[[], None]]] = {}

    def listen(self, topic: str, callback: Callable[[], None]) -> None:
        """Calls `callback` after every committed transaction that notified `topic`."""
        self._listeners.setdefault(topic, []).append(callback)

    async def open(self) -> "Database":
        self._writer = await _connect(self.path)
        try:
            await migrate(self._writer)
            self._reader = await _connect(self.path)
        except BaseException:
            await self.close()
            raise
        return self

    async def close(self) -> None:
        for conn in (self._reader, self._writer):
            if conn is not None:
                await conn.close()
        self._reader = self._writer = None

    async def __aenter__(self) -> "Database":
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        assert self._writer is not None, "database is not open"
        async with self._lock:
            await self._writer.execute("BEGIN IMMEDIATE")
            tx = Tx(self._writer)
            try:
                yield tx
            except BaseException:
                await self._writer.execute("ROLLBACK")
                raise
            await self._writer.execute("COMMIT")
        for topic in tx.topics:
            for callback in self._listeners.get(topic, []):
                callback()

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        assert self._reader is not None, "database is not open"
        async with self._reader.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        assert self._reader is not None, "database is not open"
        async with self._reader.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def backup(self, target: Path) -> None:
        """An online copy of the whole database, consistent even while others write."""
        assert self._reader is not None, "database is not open"
        async with aiosqlite.connect(target) as out:
            await self._reader.backup(out)

    async def check(self) -> list[str]:
        """Problems found by SQLite's integrity and foreign-key checks; empty when sound."""
        problems = [row[0] for row in await self.fetchall("PRAGMA integrity_check")]
        problems = [p for p in problems if p != "ok"]
        for table, rowid, parent, _ in await self.fetchall("PRAGMA foreign_key_check"):
            problems.append(f"{table} row {rowid} points at a missing {parent}")
        return problems


async def _connect(path: Path) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        await conn.create_function("natural_key", 1, natural_key, deterministic=True)
        await conn.executescript(PRAGMAS)
    except BaseException:
        await conn.close()
        raise
    return conn


async def schema_version(conn: aiosqlite.Connection) -> int:
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(conn: aiosqlite.Connection) -> int:
    """Applies the migrations this database lacks, each in its own transaction; returns how many."""
    current = await schema_version(conn)
    if current > len(MIGRATIONS):
        raise SchemaTooNew(
            f"this database has schema version {current}, written by a newer Showcase; "
            f"this version knows up to {len(MIGRATIONS)}: upgrade Showcase to open it"
        )
    for number, (name, sql) in enumerate(MIGRATIONS[current:], start=current + 1):
        # executescript cannot bind parameters; the name and number are constants of this module.
        try:
            await conn.executescript(
                f"BEGIN IMMEDIATE;\n{sql}\n"
                f"INSERT INTO migration (number, name) VALUES ({number}, '{name}');\n"
                f"PRAGMA user_version = {number};\nCOMMIT;"
            )
        except sqlite3.Error:
            if conn.in_transaction:
                await conn.execute("ROLLBACK")
            raise
    return len(MIGRATIONS) - current


def read_session_key(path: Path) -> bytes:
    """The event's session-signing key, read once as the app is assembled, before any loop runs."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        row = conn.execute("SELECT session_key FROM event WHERE id = 1").fetchone()
    conn.close()
    if row is None:
        raise NotFoundError(f"{path} holds no event: create one with `showcase init`")
    return bytes(row[0])
