"""A judge's save under load: sheet saves a second, p50 and p99, against a bare Litestar PUT.

    python bench/save.py [--connections 64] [--seconds 5] [--rounds 2] [--import-rows 40000]
                         [--hall-seconds 60]

1. Throughput. 64 keep-alive connections PUT sheets as fast as they are answered, to the
   Showcase server and, in the same run, to a bare Litestar app (one process, same uvicorn
   settings) whose PUT decodes the same JSON body and echoes it. The two are alternated,
   A B A B, so that both meet the machine in the same state. Targets: at least 0.35x the bare
   throughput, with a p99 within 3x of the bare p99.
2. An import of 40,000 entries while 16 tablets keep saving. Targets: no save fails, p99 under
   500 ms.
3. A hall. 300 judges each save a sheet every 30 s (10 a second, at random moments) while 1,000
   viewers hold the live board's stream open. Target: a save's p99 under 100 ms.

Every save is a new version of a sheet (the scores change each time), committed to disk
(`synchronous = FULL`) before it is answered.
"""

import argparse
import asyncio
import importlib.util
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# This folder's scoring.py (a benchmark) is not the scoring package: off the import path.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != HERE]
_spec = importlib.util.spec_from_file_location("fanout", HERE / "fanout.py")
assert _spec is not None and _spec.loader is not None
fanout = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fanout)
connect, free_port, p, wait_for_port = (
    fanout.connect,
    fanout.free_port,
    fanout.p,
    fanout.wait_for_port,
)

CRITERIA = ("impact", "technology", "design", "feasibility", "presentation")


class Connection:
    """One keep-alive HTTP/1.1 connection, as lean as a client can be."""

    def __init__(self, port: int) -> None:
        self.port = port

    async def open(self) -> "Connection":
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        return self

    async def put(self, path: str, body: bytes, headers: str) -> int:
        self.writer.write(
            f"PUT {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n{headers}\r\n".encode()
            + body
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        await self.reader.readexactly(length)
        return int(head.split(b" ", 2)[1])

    def close(self) -> None:
        self.writer.close()


def sheet(rng: random.Random) -> bytes:
    return json.dumps({"scores": {key: rng.randint(1, 5) for key in CRITERIA}}).encode()


async def flood(
    port: int, targets: list[tuple[str, str]], connections: int, seconds: float
) -> tuple[float, list[float], int]:
    """Saves per second, each save's milliseconds, and the answers that were not 200."""
    times: list[float] = []
    failed = 0
    stop = time.monotonic() + seconds

    async def client(n: int) -> None:
        nonlocal failed
        rng = random.Random(n)
        conn = await Connection(port).open()
        path, headers = targets[n % len(targets)]
        try:
            while time.monotonic() < stop:
                started = time.perf_counter()
                status = await conn.put(path, sheet(rng), headers)
                times.append((time.perf_counter() - started) * 1000)
                failed += status != 200
        finally:
            conn.close()

    started = time.monotonic()
    await asyncio.gather(*(client(n) for n in range(connections)))
    return len(times) / (time.monotonic() - started), times, failed


BARE_APP = """
from typing import Any

from litestar import Litestar, put


@put("/api/judge/sheets/{code:str}")
async def save(code: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"code": code, **data}


app = Litestar([save])
"""  # the baseline: Litestar decoding the same JSON body and echoing it


def serve(command: list[str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port)
    return server


def event(work: Path, judges: int, entries: int) -> tuple[Path, list[tuple[str, str]]]:
    """An event of `entries` entries and `judges` judges, each with a queue, judging open;
    each judge's (path of an assigned sheet, authorization header)."""
    from showcase import auth, organizing, store
    from showcase.cli import main as showcase
    from showcase.db import Database

    db = work / f"event-{judges}.db"
    assert showcase(["init", str(db)]) == 0

    async def fill() -> list[tuple[str, str]]:
        async with Database(db) as opened:
            rows = "".join(f"E{n},Entry {n},Team {n},Track {n % 3}\n" for n in range(entries))
            await organizing.import_entries(
                opened, f"code,title,team,track\n{rows}".encode(), "bench"
            )
            names = "".join(f"Judge {n}\n" for n in range(judges))
            await organizing.import_judges(opened, f"name\n{names}".encode(), "bench")
            await organizing.assign_judges(opened, max(2, judges * 5 // entries), "bench")
            await organizing.set_judging(opened, True, "bench")
            assigned = await store.list_assignments(opened)
            return [
                (
                    f"/api/judge/sheets/{assigned[link.judge][0]}",
                    f"Authorization: Bearer {link.token}\r\n",
                )
                for link in await auth.judge_links(opened, "http://bench")
            ]

    return db, asyncio.run(fill())


def throughput(args: argparse.Namespace, work: Path) -> None:
    db, targets = event(work, judges=64, entries=60)
    ours_port, bare_port = free_port(), free_port()
    python = sys.executable
    ours = serve(
        [python, "-m", "showcase.cli", "serve", "--db", str(db), "--port", str(ours_port)],
        ours_port,
    )
    (work / "bare_app.py").write_text(BARE_APP)
    bare = serve(
        [
            python,
            "-m",
            "uvicorn",
            "bare_app:app",
            "--app-dir",
            str(work),
            "--port",
            str(bare_port),
            "--log-level",
            "warning",
        ],
        bare_port,
    )
    bare_targets = [("/api/judge/sheets/E1", "")]
    figures: dict[str, list[tuple[float, list[float], int]]] = {"showcase": [], "bare": []}
    try:
        for _ in range(args.rounds):  # A B A B
            figures["showcase"].append(
                asyncio.run(flood(ours_port, targets, args.connections, args.seconds))
            )
            figures["bare"].append(
                asyncio.run(flood(bare_port, bare_targets, args.connections, args.seconds))
            )
    finally:
        for server in (ours, bare):
            server.terminate()
            server.wait(timeout=20)
    print(
        f"{args.connections} connections, {args.rounds} rounds of {args.seconds:g} s each, alternated"
    )
    print(f"{'':34}{'Showcase':>10}{'bare':>10}{'ratio':>8}  target")
    rates = {name: sum(r for r, _, _ in runs) / len(runs) for name, runs in figures.items()}
    tails = {name: [t for _, times, _ in runs for t in times] for name, runs in figures.items()}
    print(
        f"{'saves per second':34}{rates['showcase']:>10.0f}{rates['bare']:>10.0f}"
        f"{rates['showcase'] / rates['bare']:>8.2f}  >= 0.35"
    )
    for label, q in (("p50 ms", 0.5), ("p99 ms", 0.99)):
        ours_q, bare_q = p(tails["showcase"], q), p(tails["bare"], q)
        target = "<= 3" if q == 0.99 else ""
        print(f"{label:34}{ours_q:>10.1f}{bare_q:>10.1f}{ours_q / bare_q:>8.2f}  {target}")
    print(
        f"{'answers other than 200':34}{sum(f for _, _, f in figures['showcase']):>10}"
        f"{sum(f for _, _, f in figures['bare']):>10}"
    )


async def hall_saves(
    port: int, targets: list[tuple[str, str]], seconds: float
) -> tuple[list[float], int]:
    """Each judge saves every 30 s, at a random moment in each 30 s, for `seconds`."""
    times: list[float] = []
    failed = 0

    async def judge(n: int) -> None:
        nonlocal failed
        rng = random.Random(n)
        path, headers = targets[n]
        start = time.monotonic()
        await asyncio.sleep(rng.uniform(0, 30))  # the hall's saves spread over the 30 s
        while time.monotonic() - start < seconds:
            began = time.perf_counter()  # a tablet idle for 30 s connects afresh
            conn = await Connection(port).open()
            try:
                status = await conn.put(path, sheet(rng), headers)
            finally:
                conn.close()
            times.append((time.perf_counter() - began) * 1000)
            failed += status != 200
            await asyncio.sleep(30)

    await asyncio.gather(*(judge(n) for n in range(len(targets))))
    return times, failed


def hall(args: argparse.Namespace, work: Path) -> None:
    db, targets = event(work, judges=300, entries=100)
    port = free_port()
    server = serve(
        [sys.executable, "-m", "showcase.cli", "serve", "--db", str(db), "--port", str(port)], port
    )

    async def run() -> tuple[list[float], int]:
        viewers, tasks = await connect(args.viewers, port, "/api/leaderboard/stream")
        try:
            return await hall_saves(port, targets, args.hall_seconds)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            del viewers

    try:
        times, failed = asyncio.run(run())
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(
        f"\na hall: 300 judges saving every 30 s, {args.viewers} viewers watching, "
        f"{args.hall_seconds:g} s"
    )
    print(f"saves {len(times)}, answers other than 200: {failed}")
    print(f"save p50 ms {p(times, 0.5):.1f}, p99 ms {p(times, 0.99):.1f} (target < 100)")


async def saves_during_import(
    port: int, targets: list[tuple[str, str]], admin: str, rows: int
) -> tuple[float, list[float], int]:
    """Saves from 16 tablets for as long as an import of `rows` entries takes: the import's
    seconds, each save's milliseconds, and the saves not answered 200."""
    lines = "".join(f"N{n},New entry {n},Team {n},Late track {n % 4}\n" for n in range(rows))
    body = f"code,title,team,track\n{lines}".encode()
    done = asyncio.Event()
    times: list[float] = []
    failed = 0

    async def tablet(n: int) -> None:
        nonlocal failed
        rng = random.Random(n)
        path, headers = targets[n % len(targets)]
        conn = await Connection(port).open()
        try:
            while not done.is_set():
                began = time.perf_counter()
                status = await conn.put(path, sheet(rng), headers)
                times.append((time.perf_counter() - began) * 1000)
                failed += status != 200
                await asyncio.sleep(0.02)
        finally:
            conn.close()

    async def importing() -> float:
        await asyncio.sleep(0.5)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        began = time.perf_counter()
        writer.write(
            f"POST /api/admin/entries/import HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
            f"Authorization: Bearer {admin}\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n".encode()
            + body
        )
        answer = await reader.read()
        writer.close()
        assert answer.split(b" ", 2)[1] == b"200", answer[:300]
        seconds = time.perf_counter() - began
        done.set()
        return seconds

    tablets = [asyncio.create_task(tablet(n)) for n in range(16)]
    seconds = await importing()
    await asyncio.gather(*tablets)
    return seconds, times, failed


def import_while_saving(args: argparse.Namespace, work: Path) -> None:
    from showcase import organizing
    from showcase.db import Database

    db, targets = event(work, judges=16, entries=60)

    async def token() -> str:
        async with Database(db) as opened:
            return await organizing.issue_admin_token(opened, "bench")

    admin = asyncio.run(token())
    port = free_port()
    server = serve(
        [sys.executable, "-m", "showcase.cli", "serve", "--db", str(db), "--port", str(port)], port
    )
    try:
        seconds, times, failed = asyncio.run(
            saves_during_import(port, targets, admin, args.import_rows)
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(f"\nan import of {args.import_rows} entries while 16 tablets save: {seconds:.1f} s")
    print(f"saves {len(times)}, answers other than 200: {failed}")
    print(f"save p50 ms {p(times, 0.5):.1f}, p99 ms {p(times, 0.99):.1f} (target < 500)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--viewers", type=int, default=1000)
    parser.add_argument("--hall-seconds", type=float, default=60.0)
    parser.add_argument("--import-rows", type=int, default=40_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp())
    if args.rounds > 0:
        throughput(args, work)
    if args.import_rows > 0:
        import_while_saving(args, work)
    if args.hall_seconds > 0:
        hall(args, work)


if __name__ == "__main__":
    main()
