"""The live board under a hall's load: 1,000 stream viewers on one server process.

    python bench/fanout.py [--viewers 1000] [--changes 5] [--saves-per-second 20]

It prints, for the Showcase server and, in the same run, for a bare Litestar channels broadcast
of the same bytes: the time from a change to its arrival at every viewer (p50, p99, and the
ratio of the two p99s), the server's memory per open stream, and the p99 of a judge's save
while the viewers watch. Targets: p99 under 300 ms and within 1.5x of the bare broadcast,
under 48 KB per viewer, saves p99 under 200 ms at 20 saves a second.

A change is timed from its commit: the board's `updated_at`, stamped to the millisecond inside
the save's transaction (so a little before the commit itself). The bare broadcast is timed from
its publish request. The time from the start of the judge's save request is printed as well.
"""

import argparse
import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ID = re.compile(rb"\nid: (\d+)\n")
SCORES = {"impact": 4, "technology": 4, "design": 4, "feasibility": 4, "presentation": 4}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


class Viewer:
    """A raw stream reader: records when each board version first arrives."""

    def __init__(self) -> None:
        self.seen: dict[int, float] = {}
        self.ready = asyncio.Event()

    async def watch(self, port: int, path: str) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        await writer.drain()
        buffer = b""
        try:
            while True:
                chunk = await reader.read(65536)
                if not chunk:
                    return
                now = time.time()
                buffer = (buffer + chunk)[-200_000:]
                for match in ID.finditer(buffer):
                    self.seen.setdefault(int(match.group(1)), now)
                self.ready.set()
                buffer = buffer[-64:]
        except (asyncio.CancelledError, ConnectionError):
            writer.close()


async def http(
    port: int, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\nConnection: close\r\n"
    for key, value in (headers or {}).items():
        head += f"{key}: {value}\r\n"
    writer.write(head.encode() + b"\r\n" + body)
    await writer.drain()
    answer = await reader.read()
    writer.close()
    status = int(answer.split(b" ", 2)[1])
    return status, answer.split(b"\r\n\r\n", 1)[1]


async def latencies(
    viewers: list[Viewer], started: float, version_of, timeout: float = 10.0
) -> list[float]:
    deadline = time.time() + timeout
    while time.time() < deadline:
        version = version_of()
        if version is not None and all(version in v.seen for v in viewers):
            return [(v.seen[version] - started) * 1000 for v in viewers]
        await asyncio.sleep(0.005)
    raise RuntimeError("not every viewer received the change")


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def connect(count: int, port: int, path: str) -> tuple[list[Viewer], list[asyncio.Task]]:
    viewers = [Viewer() for _ in range(count)]
    tasks = []
    for start in range(0, count, 100):
        for viewer in viewers[start : start + 100]:
            tasks.append(asyncio.create_task(viewer.watch(port, path)))
        await asyncio.sleep(0.05)
    await asyncio.wait_for(asyncio.gather(*(v.ready.wait() for v in viewers)), 60)
    return viewers, tasks


async def measure_showcase(
    args: argparse.Namespace, db: Path, port: int, pid: int
) -> dict[str, float]:
    links = json.loads(
        subprocess.run(
            [sys.executable, "-m", "showcase.cli", "links", str(db), "--format", "json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    queues = []
    for link in links:
        status, body = await http(
            port, "GET", "/api/judge/queue", headers={"Authorization": f"Bearer {link['token']}"}
        )
        queues.append((link["token"], [e["code"] for e in json.loads(body)["entries"]]))
    before = rss_kb(pid)
    viewers, tasks = await connect(args.viewers, port, "/api/leaderboard/stream")
    await asyncio.sleep(1.0)
    per_viewer = (rss_kb(pid) - before) / args.viewers
    change_ms: list[float] = []
    request_ms: list[float] = []
    for k in range(args.changes):
        token, codes = queues[k % len(queues)]
        code = codes[k % len(codes)]
        newest = max(max(v.seen) for v in viewers)
        started = time.time()
        status, body = await http(
            port,
            "PUT",
            f"/api/judge/sheets/{code}",
            json.dumps(
                {"scores": {key: float(1 + (k + i) % 5) for i, key in enumerate(SCORES)}}
            ).encode(),
            {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        assert status == 200, body
        request_ms += await latencies(viewers, started, lambda newest=newest: newest + 1)
        _, board = await http(port, "GET", "/api/leaderboard")
        stamped = json.loads(board)
        assert stamped["version"] == newest + 1, "the board moved on before it was read"
        committed = datetime.fromisoformat(stamped["updated_at"]).timestamp()
        change_ms += await latencies(viewers, committed, lambda newest=newest: newest + 1)
        await asyncio.sleep(args.gap)
    save_ms: list[float] = []

    async def one_save(n: int) -> None:
        token, codes = queues[n % len(queues)]
        code = codes[(n // len(queues)) % len(codes)]
        body = json.dumps(
            {"scores": {key: float(1 + (n + i) % 5) for i, key in enumerate(SCORES)}}
        ).encode()
        started = time.time()
        status, _ = await http(
            port,
            "PUT",
            f"/api/judge/sheets/{code}",
            body,
            {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        save_ms.append((time.time() - started) * 1000)
        assert status == 200

    pending = []
    for n in range(args.saves_per_second * args.save_seconds):
        pending.append(asyncio.create_task(one_save(n)))
        await asyncio.sleep(1 / args.saves_per_second)
    await asyncio.gather(*pending)
    for task in tasks:
        task.cancel()
    await asyncio.sleep(0.5)
    return {
        "p50": p(change_ms, 0.5),
        "p99": p(change_ms, 0.99),
        "request_p99": p(request_ms, 0.99),
        "kb": per_viewer,
        "save_p99": p(save_ms, 0.99),
        "save_p50": p(save_ms, 0.5),
    }


async def measure_bare(args: argparse.Namespace, port: int, pid: int) -> dict[str, float]:
    before = rss_kb(pid)
    viewers, tasks = await connect(args.viewers, port, "/stream")
    await asyncio.sleep(1.0)
    per_viewer = (rss_kb(pid) - before) / args.viewers
    change_ms: list[float] = []
    for k in range(args.changes):
        started = time.time()
        status, _ = await http(port, "POST", f"/publish/{k + 1000}")
        assert status in (200, 201)
        change_ms += await latencies(viewers, started, lambda k=k: k + 1000)
        await asyncio.sleep(1.0)
    for task in tasks:
        task.cancel()
    await asyncio.sleep(0.5)
    return {"p50": p(change_ms, 0.5), "p99": p(change_ms, 0.99), "kb": per_viewer}


def bare_app(frame_bytes: bytes):  # type: ignore[no-untyped-def]
    """A bare Litestar channels broadcast: one stream route forwarding whatever is published."""
    from litestar import Litestar, get, post
    from litestar.channels import ChannelsPlugin
    from litestar.channels.backends.memory import MemoryChannelsBackend
    from litestar.response import Stream

    channels = ChannelsPlugin(backend=MemoryChannelsBackend(), channels=["board"])

    @get("/stream")
    async def stream() -> Stream:
        async def frames():  # type: ignore[no-untyped-def]
            async with channels.start_subscription(["board"]) as subscriber:
                yield b"event: leaderboard\nid: 0\ndata: {}\n\n"
                async for message in subscriber.iter_events():
                    yield message

        return Stream(frames(), media_type="text/event-stream")

    @post("/publish/{version:int}")
    async def publish(version: int) -> None:
        channels.publish(
            re.sub(rb"\nid: \d+\n", b"\nid: %d\n" % version, frame_bytes, count=1), ["board"]
        )

    return Litestar([stream, publish], plugins=[channels])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=10)
    parser.add_argument("--gap", type=float, default=1.0, help="seconds between two changes")
    parser.add_argument("--saves-per-second", type=int, default=20)
    parser.add_argument("--save-seconds", type=int, default=5)
    parser.add_argument("--bare-server", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--frame", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_server:
        import uvicorn

        uvicorn.run(
            bare_app(Path(args.frame).read_bytes()), port=args.bare_server, log_level="warning"
        )
        return

    work = Path(tempfile.mkdtemp())
    db = work / "bench.db"
    subprocess.run(
        [sys.executable, "-m", "showcase.cli", "init", str(db), "--demo"],
        check=True,
        capture_output=True,
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "showcase.cli", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        ours = asyncio.run(measure_showcase(args, db, port, server.pid))
        frame = subprocess.run(
            ["curl", "-s", "--max-time", "2", f"http://127.0.0.1:{port}/api/leaderboard/stream"],
            capture_output=True,
        ).stdout
    finally:
        server.terminate()
        server.wait(timeout=20)
    (work / "frame").write_bytes(frame.split(b"\n\n", 1)[0] + b"\n\n")
    bare_port = free_port()
    bare = subprocess.Popen(
        [sys.executable, __file__, "--bare-server", str(bare_port), "--frame", str(work / "frame")],
        env={**os.environ},
    )
    try:
        wait_for_port(bare_port)
        baseline = asyncio.run(measure_bare(args, bare_port, bare.pid))
    finally:
        bare.terminate()
        bare.wait(timeout=20)

    size = len(frame.split(b"\n\n", 1)[0])
    print(f"{args.viewers} viewers, {args.changes} changes, a {size / 1024:.1f} KB board frame")
    print("a change is timed from its commit (Showcase) or its publish request (bare)")
    print(f"{'':<34} {'Showcase':>10} {'bare':>10}  target")
    print(f"{'change to every viewer, p50 ms':<34} {ours['p50']:>10.1f} {baseline['p50']:>10.1f}")
    print(
        f"{'change to every viewer, p99 ms':<34} {ours['p99']:>10.1f} {baseline['p99']:>10.1f}  < 300"
    )
    print(f"{'  from the save request, p99 ms':<34} {ours['request_p99']:>10.1f}")
    print(
        f"{'p99 ratio to the bare broadcast':<34} {ours['p99'] / baseline['p99']:>10.2f} {'':>10}  < 1.5"
    )
    print(f"{'memory per viewer, KB':<34} {ours['kb']:>10.1f} {baseline['kb']:>10.1f}  < 48")
    print(
        f"{f'save at {args.saves_per_second}/s while watched, p50 ms':<34} {ours['save_p50']:>10.1f}"
    )
    print(
        f"{f'save at {args.saves_per_second}/s while watched, p99 ms':<34} {ours['save_p99']:>10.1f} {'':>10}  < 200"
    )


if __name__ == "__main__":
    main()
