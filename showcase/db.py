"""The event database: the writer and reader threads with their connections, pragmas, write
transactions, migrations."""

import asyncio
import concurrent.futures
import contextvars
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from showcase.errors import NotFound as NotFoundError
from showcase.errors import ReadOnly, SchemaTooNew, SchemaTooOld
from showcase.migrations import MIGRATIONS
from showcase.text import natural_key

Params = Sequence[Any] | dict[str, Any]
Row = sqlite3.Row
T = TypeVar("T")

PRAGMAS = """
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA foreign_keys = ON;
PRAGMA busy_timeout = 5000;
"""


class Tx:
    """The writer connection inside one transaction, on the writer's own thread: plain calls,
    nothing to await, so a whole transaction runs in one hop."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.topics: set[str] = set()

    def notify(self, topic: str) -> None:
        """Tells the listeners of `topic` once this transaction has committed."""
        self.topics.add(topic)

    def execute(self, sql: str, params: Params = ()) -> int:
        """Runs one statement; returns the last inserted row id."""
        return self._conn.execute(sql, params).lastrowid or 0

    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        self._conn.executemany(sql, rows)

    def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        row: Row | None = self._conn.execute(sql, params).fetchone()
        return row

    def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        return list(self._conn.execute(sql, params).fetchall())


GROUP_LIMIT = 64  # the most writes one commit carries


class _Write:
    __slots__ = ("work", "future", "loop", "context")

    def __init__(self, work: Callable[[Tx], Any], loop: asyncio.AbstractEventLoop) -> None:
        self.work = work
        self.loop = loop
        self.future: asyncio.Future[Any] = loop.create_future()
        self.context = contextvars.copy_context()  # the request's language, for its messages


Outcome = tuple[_Write, Any, BaseException | None]  # a write and its result or its error


class Writer:
    """The one connection that writes, on a thread of its own. Each write runs whole on that
    thread, in one hop from the event loop (as Datasette's `execute_write_fn`). The writes that
    queue up while one commits go in together: one transaction, each in a savepoint of its
    own (one that fails is undone alone), one commit, one sync to disk (group commit). Each
    write is answered only once that commit is durable."""

    def __init__(self, path: Path, on_commit: Callable[[set[str]], None]) -> None:
        self._path = path
        self._on_commit = on_commit
        self._queue: queue.SimpleQueue[_Write | None] = queue.SimpleQueue()
        self._ready: concurrent.futures.Future[int] = concurrent.futures.Future()
        self._thread = threading.Thread(target=self._run, name="showcase-writer", daemon=True)

    async def start(self) -> int:
        """Opens the connection and brings the schema up to date; how many migrations ran."""
        self._thread.start()
        return await asyncio.wrap_future(self._ready)

    async def stop(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            await asyncio.get_running_loop().run_in_executor(None, self._thread.join)

    async def write(self, work: Callable[[Tx], T]) -> T:
        item = _Write(work, asyncio.get_running_loop())
        self._queue.put(item)
        result: T = await item.future
        return result

    def _run(self) -> None:
        try:
            conn = connect(self._path)
            migrated = migrate_connection(conn)
        except BaseException as error:
            self._ready.set_exception(error)
            return
        self._ready.set_result(migrated)
        try:
            while (first := self._queue.get()) is not None:
                batch = [first]
                while len(batch) < GROUP_LIMIT:
                    try:
                        more = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if more is None:
                        self._queue.put(None)  # stop once this batch is done
                        break
                    batch.append(more)
                self._commit(conn, batch)
        finally:
            conn.close()

    def _commit(self, conn: sqlite3.Connection, batch: list[_Write]) -> None:
        outcomes: list[Outcome] = []
        topics: set[str] = set()
        try:
            conn.execute("BEGIN IMMEDIATE")
            for item in batch:
                tx = Tx(conn)
                conn.execute("SAVEPOINT write")
                try:
                    result = item.context.run(item.work, tx)
                except Exception as error:  # this write alone is undone and answered with it
                    conn.execute("ROLLBACK TO write")
                    conn.execute("RELEASE write")
                    outcomes.append((item, None, error))
                    continue
                conn.execute("RELEASE write")
                topics |= tx.topics
                outcomes.append((item, result, None))
            conn.execute("COMMIT")
        except Exception as error:  # the commit itself failed: nothing of the batch is kept
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            outcomes = [(item, None, error) for item in batch]
            topics = set()
        # One wake-up of each waiting loop answers all of its writes of the batch.
        loops: dict[asyncio.AbstractEventLoop, list[Outcome]] = {}
        for item, result, error in outcomes:
            loops.setdefault(item.loop, []).append((item, result, error))
        for loop, answered in loops.items():
            on_commit = self._on_commit if topics and loop is batch[0].loop else None
            loop.call_soon_threadsafe(_settle, answered, on_commit, topics)


def _settle(
    outcomes: list[Outcome], on_commit: Callable[[set[str]], None] | None, topics: set[str]
) -> None:
    for item, result, error in outcomes:
        if item.future.cancelled():
            continue
        if error is not None:
            item.future.set_exception(error)
        else:
            item.future.set_result(result)
    if on_commit is not None:
        on_commit(topics)


class Database:
    """One event file: a single writer (a thread of its own) and a reader connection, which
    is `query_only`. Opened `readonly`, it has no writer and never migrates or changes the
    file."""

    def __init__(self, path: Path | str, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._writer: Writer | None = None
        self._reader: Reader | None = None
        self._listeners: dict[str, list[Callable[[], None]]] = {}

    def listen(self, topic: str, callback: Callable[[], None]) -> None:
        """Calls `callback` after every committed transaction that notified `topic`."""
        self._listeners.setdefault(topic, []).append(callback)

    def _committed(self, topics: set[str]) -> None:
        for topic in topics:
            for callback in self._listeners.get(topic, []):
                callback()

    async def open(self) -> "Database":
        try:
            if self.readonly:
                self._reader = await Reader(self.path, readonly=True).open()
                row = await self.fetchone("PRAGMA user_version")
                check_schema(int(row[0]) if row else 0, can_migrate=False)
            else:
                self._writer = Writer(self.path, self._committed)
                await self._writer.start()
                self._reader = await Reader(self.path).open()
        except BaseException:
            await self.close()
            raise
        return self

    async def close(self) -> None:
        if self._reader is not None:
            await self._reader.close()
        if self._writer is not None:
            await self._writer.stop()
        self._reader = self._writer = None

    async def __aenter__(self) -> "Database":
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def write(self, work: Callable[[Tx], T]) -> T:
        """Runs `work` in a write transaction on the writer's thread: committed (with the
        writes queued meanwhile) once it returns, undone if it raises."""
        if self._writer is None:
            raise ReadOnly(f"{self.path} is open for reading only")
        return await self._writer.write(work)

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        assert self._reader is not None, "database is not open"
        row: Row | None = await self._reader.run(lambda conn: conn.execute(sql, params).fetchone())
        return row

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        assert self._reader is not None, "database is not open"
        return await self._reader.run(lambda conn: conn.execute(sql, params).fetchall())

    async def backup(self, target: Path) -> None:
        """An online copy of the whole database, consistent even while others write."""
        assert self._reader is not None, "database is not open"

        def copy(conn: sqlite3.Connection) -> None:
            with sqlite3.connect(target) as out:
                conn.backup(out)
            out.close()

        await self._reader.run(copy)

    async def check(self) -> list[str]:
        """Problems found by SQLite's integrity and foreign-key checks; empty when sound."""
        problems = [row[0] for row in await self.fetchall("PRAGMA integrity_check")]
        problems = [p for p in problems if p != "ok"]
        for table, rowid, parent, _ in await self.fetchall("PRAGMA foreign_key_check"):
            problems.append(f"{table} row {rowid} points at a missing {parent}")
        return problems


def connect(path: Path) -> sqlite3.Connection:
    """The writer's connection: autocommit mode (transactions are begun explicitly), with
    the pragmas and the functions every connection has."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.create_function("natural_key", 1, natural_key, deterministic=True)
    conn.executescript(PRAGMAS)
    return conn


class Reader:
    """The connection that reads, on a thread of its own: each query runs whole there (execute
    and fetch) in one hop from the event loop. It is `query_only`; opened `readonly`, the file
    is opened read-only too (it must exist, and nothing about it changes)."""

    def __init__(self, path: Path, readonly: bool = False) -> None:
        self._path = path
        self._readonly = readonly
        self._thread = concurrent.futures.ThreadPoolExecutor(1, "showcase-reader")
        self._conn: sqlite3.Connection | None = None

    async def open(self) -> "Reader":
        if self._readonly and not self._path.is_file():
            raise NotFoundError(f"no event database at {self._path}")
        try:
            self._conn = await asyncio.get_running_loop().run_in_executor(
                self._thread, self._connect
            )
        except BaseException:
            self._thread.shutdown(wait=False)
            raise
        return self

    def _connect(self) -> sqlite3.Connection:
        target = f"file:{self._path}?mode=ro" if self._readonly else str(self._path)
        conn = sqlite3.connect(target, isolation_level=None, uri=self._readonly)
        conn.row_factory = sqlite3.Row
        conn.create_function("natural_key", 1, natural_key, deterministic=True)
        if not self._readonly:
            conn.executescript(PRAGMAS)
        conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA busy_timeout = 5000")
        return conn

    async def run(self, read: Callable[[sqlite3.Connection], T]) -> T:
        conn = self._conn
        assert conn is not None, "the reader is not open"
        return await asyncio.get_running_loop().run_in_executor(self._thread, read, conn)

    async def close(self) -> None:
        if self._conn is not None:
            await self.run(lambda conn: conn.close())
            self._conn = None
        self._thread.shutdown(wait=True)


def check_schema(current: int, can_migrate: bool) -> None:
    """Refuses a file of a newer schema than this Showcase knows, and (when it may not be
    migrated, as a read-only open) one of an older schema."""
    if current > len(MIGRATIONS):
        raise SchemaTooNew(
            f"this database has schema version {current}, written by a newer Showcase; "
            f"this version knows up to {len(MIGRATIONS)}: upgrade Showcase to open it"
        )
    if current < len(MIGRATIONS) and not can_migrate:
        raise SchemaTooOld(
            f"this database has schema version {current} and this Showcase reads version "
            f"{len(MIGRATIONS)}: open it once with `showcase serve` to upgrade it"
        )


def migrate_connection(conn: sqlite3.Connection) -> int:
    """Applies the migrations this database lacks, each in its own transaction; returns how many."""
    row = conn.execute("PRAGMA user_version").fetchone()
    current = int(row[0]) if row else 0
    check_schema(current, can_migrate=True)
    for number, (name, sql) in enumerate(MIGRATIONS[current:], start=current + 1):
        # executescript cannot bind parameters; the name and number are constants of this module.
        try:
            conn.executescript(
                f"BEGIN IMMEDIATE;\n{sql}\n"
                f"INSERT INTO migration (number, name) VALUES ({number}, '{name}');\n"
                f"PRAGMA user_version = {number};\nCOMMIT;"
            )
        except sqlite3.Error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
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
