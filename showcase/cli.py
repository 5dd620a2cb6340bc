"""The `showcase` command: create, fill, inspect and serve an event database."""

import argparse
import asyncio
import csv
import gc
import sqlite3
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import msgspec

import scoring
from showcase import auth, board, exporting, organizing, results, rubric, store, text
from showcase.cards import render_cards
from showcase.db import Database
from showcase.demo import DEFAULT_METHOD, DEFAULT_RUBRIC, EVENT_NAME, seed_demo
from showcase.errors import ShowcaseError
from showcase.import_plan import ImportPlan
from showcase.rubric import rubric_toml
from showcase.settings import Settings

T = TypeVar("T")


class UserError(ShowcaseError):
    pass


def existing(path: str) -> Path:
    db = Path(path)
    if not db.is_file():
        raise UserError(f"no event database at {db}: create one with `showcase init {db}`")
    return db


def with_db(path: Path, work: Callable[[Database], Awaitable[T]], readonly: bool = False) -> T:
    """Runs `work` on the event database at `path` and gives back what it returns. A command
    that only reads opens it `readonly`: the file is neither migrated nor changed."""

    async def opened() -> T:
        async with Database(path, readonly=readonly) as db:
            return await work(db)

    return asyncio.run(opened())


def cmd_init(args: argparse.Namespace) -> None:
    path = Path(args.db)
    if path.exists():
        raise UserError(f"{path} already exists: choose another file or remove it first")
    text.time_zone(args.tz)

    async def work(db: Database) -> None:
        name = EVENT_NAME if args.demo else args.name
        await organizing.create_event(db, name, args.tz, DEFAULT_RUBRIC, DEFAULT_METHOD, "cli")
        if args.demo:
            await seed_demo(db)

    try:
        with_db(path, work)
    except BaseException:
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    print(f"created {path}" + (" with the demo event" if args.demo else ""))


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from showcase.app import create_app

    settings = Settings.from_env(db=args.db and Path(args.db), host=args.host, port=args.port)
    existing(str(settings.db))
    url = settings.public_url
    print(f"Showcase is serving {settings.db} at {url}/")
    print(f"  home:        {url}/")
    print(f"  leaderboard: {url}/leaderboard")
    print(f"  organizers:  {url}/admin")
    if args.print_links:  # the demo's, to try at once; a real event's are handed out on cards
        for link in with_db(settings.db, lambda db: auth.judge_links(db, url))[:2]:
            print(f"  judge {link.name}: {link.url}")
    sys.stdout.flush()
    app = create_app(settings)
    # A server holds what it loads at start for its whole life: every scoring method (and
    # numpy), templates, routes. Loaded now and frozen out of the cyclic garbage collector,
    # none of it is scanned again. Young collections come less often, so a request's
    # short-lived objects die before one and few reach the old generation; a full collection
    # (which scans every open stream's objects: 100 ms and more with a thousand viewers) then
    # seldom comes, and no longer pauses saves and the live board.
    scoring.methods()
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 100)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        timeout_graceful_shutdown=STOP_SECONDS,
    )
    stopping_server(uvicorn.Server)(config).run()


STOP_SECONDS = 8  # what a request accepted before a stop may still take; the stop, under 10 s


def stopping_server(base: type) -> type:
    """uvicorn's Server, which told to stop (SIGTERM, Ctrl-C) stops taking connections and
    finishes the requests it has accepted: it first ends the open streams, which would
    otherwise hold it up for the whole grace period."""

    class StoppingServer(base):  # type: ignore[misc, valid-type]
        def handle_exit(self, sig: int, frame: object) -> None:
            publisher = getattr(self.config.app.state, "publisher", None)
            if publisher is not None and publisher.loop is not None:
                publisher.loop.call_soon_threadsafe(publisher.end_streams)
            super().handle_exit(sig, frame)

    return StoppingServer


def cmd_links(args: argparse.Namespace) -> None:
    path = existing(args.db)
    base_url = args.base_url or Settings.from_env().public_url

    async def work(db: Database) -> None:
        if args.rotate:
            await organizing.rotate_judge_link(db, args.rotate, "cli")
        links = await auth.judge_links(db, base_url)
        if args.rotate:
            links = [link for link in links if link.name == args.rotate]
        if args.format == "json":
            print(msgspec.json.encode(links).decode())
        else:
            for link in links:
                print(f"{link.name}\t{link.url}")

    with_db(path, work, readonly=not args.rotate)


def cmd_admin_token(args: argparse.Namespace) -> None:
    path = existing(args.db)

    async def work(db: Database) -> None:
        print(await organizing.issue_admin_token(db, "cli"))

    with_db(path, work)


def cmd_admin_add(args: argparse.Namespace) -> None:
    path = existing(args.db)

    async def work(db: Database) -> None:
        password = await organizing.add_organizer(db, args.name, "cli")
        print(f"organizer {args.name!r} can log in at /admin with the password: {password}")

    with_db(path, work)


def cmd_methods(args: argparse.Namespace) -> None:
    for name, method in scoring.methods().items():
        origin = "" if type(method).__module__.startswith("scoring.") else "  (plugin)"
        print(f"{name:<15} {method.title}{origin}")
        print(f"{'':<15} {method.description}")


def cmd_rank(args: argparse.Namespace) -> None:
    path = existing(args.db)

    async def work(db: Database) -> None:
        ranked = await board.live_board(db, args.track, args.method)
        if args.format == "json":
            print(msgspec.json.encode(ranked).decode())
            return
        rows = [
            [
                "" if row.rank is None else str(row.rank),
                row.code,
                row.title,
                row.team,
                "" if row.score is None else f"{row.score:.4f}",
                str(row.judges),
                "" if row.rank_range is None else f"{row.rank_range[0]}-{row.rank_range[1]}",
                "too close to call" if row.too_close else "",
            ]
            for row in ranked.standings
        ]
        header = ["rank", "code", "title", "team", "score", "judges", "range", "note"]
        if args.format == "csv":
            out = csv.writer(sys.stdout)
            out.writerows([header, *rows])
            return
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        print(f"{ranked.event} — {ranked.method}" + (f" — {ranked.track}" if ranked.track else ""))
        for row in [header, *rows]:
            print(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )

    with_db(path, work, readonly=True)


def cmd_backup(args: argparse.Namespace) -> None:
    path, out = existing(args.db), Path(args.out)
    if out.exists():
        raise UserError(f"{out} already exists: choose another file")

    async def work(db: Database) -> None:
        await db.backup(out)

    with_db(path, work, readonly=True)
    print(f"backed up {path} to {out}")


def cmd_check(args: argparse.Namespace) -> None:
    path = existing(args.db)
    problems = with_db(path, lambda db: db.check(), readonly=True)
    if problems:
        raise UserError(f"{path} has {len(problems)} problem(s): " + "; ".join(problems[:5]))
    print(f"{path}: integrity and foreign keys are sound")


def read_file(name: str) -> bytes:
    path = Path(name)
    if not path.is_file():
        raise UserError(f"no file at {path}")
    return path.read_bytes()


def report_import(plan: ImportPlan, args: argparse.Namespace, what: str) -> None:
    if args.dry_run:
        print("\n".join(plan.lines(what)))
        print("nothing was written (--dry-run)")
        return
    print(
        f"imported {plan.count} {what} from {args.file}: "
        f"{len(plan.added)} added, {len(plan.changed)} changed, {plan.unchanged} unchanged"
    )


def cmd_import_entries(args: argparse.Namespace) -> None:
    path, data = existing(args.db), read_file(args.file)
    plan = with_db(path, lambda db: organizing.import_entries(db, data, "cli", args.dry_run))
    report_import(plan, args, "entries")


def cmd_import_judges(args: argparse.Namespace) -> None:
    path, data = existing(args.db), read_file(args.file)
    plan = with_db(path, lambda db: organizing.import_judges(db, data, "cli", args.dry_run))
    report_import(plan, args, "judges")
    if not args.dry_run:
        print(f"`showcase links {args.db}` prints their login links")


def cmd_assign(args: argparse.Namespace) -> None:
    path = existing(args.db)
    if args.adaptive is not None:
        organizing.check_start_visits(args.adaptive)  # before anything is assigned
    plan = with_db(
        path,
        lambda db: organizing.assign_judges(
            db, args.per_entry, "cli", args.by_country, args.by_track
        ),
    )
    entries = len({code for _, code in plan.pairs})
    print(f"assigned {len(plan.pairs)} judge visits to {entries} entries ({args.per_entry} each)")
    if plan.conflicts:
        print(f"kept apart {len(plan.conflicts)} judge and entry pairs of the same affiliation")
    if plan.bridges:
        print(
            f"added {len(plan.bridges)} bridging visits, so that the ranking can compare "
            "every judge with every other"
        )
    if plan.parts > 1:
        print(
            f"the judges fall into {plan.parts} groups that share no entry: their scores "
            "cannot be compared across groups (conflicts leave no bridge)",
            file=sys.stderr,
        )
    if plan.short:
        print(
            f"{len(plan.short)} entries have fewer than {args.per_entry} judges "
            f"(not enough judges without a conflict): {', '.join(plan.short)}",
            file=sys.stderr,
        )
    if args.adaptive is not None:
        with_db(path, lambda db: organizing.set_adaptive(db, True, args.adaptive, "cli"))
        print(
            f"adaptive judging: each judge walks the first {args.adaptive} entries of their list, "
            "then is sent where the prizes are still in doubt (their list is the fallback offline)"
        )


def cmd_export(args: argparse.Namespace) -> None:
    path = existing(args.db)
    exported, _ = with_db(path, lambda db: exporting.export_sheets(db, args.format), readonly=True)
    sys.stdout.write(exported if args.format == "csv" else exported + "\n")


def cmd_rubric(args: argparse.Namespace) -> None:
    path = existing(args.db)
    if args.set is None:
        sys.stdout.write(rubric_toml(with_db(path, store.get_rubric, readonly=True)))
        return
    criteria = rubric.read_rubric(read_file(args.set))
    with_db(path, lambda db: organizing.set_rubric(db, criteria, "cli"))
    print(f"the rubric of {path} now has {len(criteria)} criteria, from {args.set}")


def cmd_cards(args: argparse.Namespace) -> None:
    path = existing(args.db)
    page = with_db(path, lambda db: render_cards(db, args.base_url), readonly=True)
    if args.out:
        Path(args.out).write_text(page, encoding="utf-8")
        print(f"wrote the judge cards to {args.out}")
    else:
        sys.stdout.write(page)


def cmd_results(args: argparse.Namespace) -> None:
    path = existing(args.db)
    exported, _ = with_db(path, lambda db: results.export_results(db, args.format), readonly=True)
    sys.stdout.write(exported if args.format == "csv" else exported + "\n")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="showcase", description="Judging for hackathon showcases.")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = commands.add_parser("init", help="create an event database")
    init.add_argument("db", metavar="DB")
    init.add_argument("--demo", action="store_true", help="fill it with the demo showcase")
    init.add_argument("--name", default="Showcase", help="the event's name")
    init.add_argument(
        "--tz", default="UTC", metavar="ZONE", help="the time zone times are shown in (Asia/Seoul)"
    )
    init.set_defaults(run=cmd_init)

    serve = commands.add_parser("serve", help="run the web app")
    serve.add_argument("--db", metavar="DB")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument(
        "--print-links",
        action="store_true",
        help="print two judges' login links (for trying the demo; a real event's stay secret)",
    )
    serve.set_defaults(run=cmd_serve)

    links = commands.add_parser("links", help="judge login links")
    links.add_argument("db", metavar="DB")
    links.add_argument("--base-url", metavar="URL")
    links.add_argument("--format", choices=["text", "json"], default="text")
    links.add_argument("--rotate", metavar="NAME", help="give this judge a new link")
    links.set_defaults(run=cmd_links)

    token = commands.add_parser("admin-token", help="print a new admin API token")
    token.add_argument("db", metavar="DB")
    token.set_defaults(run=cmd_admin_token)

    backup = commands.add_parser("backup", help="an online backup, safe while serving")
    backup.add_argument("db", metavar="DB")
    backup.add_argument("out", metavar="OUT")
    backup.set_defaults(run=cmd_backup)

    check = commands.add_parser("check", help="integrity and foreign-key check")
    check.add_argument("db", metavar="DB")
    check.set_defaults(run=cmd_check)

    entries = commands.add_parser(
        "import-entries", help="add the entries of a CSV file (ours or a Devpost export)"
    )
    entries.add_argument("db", metavar="DB")
    entries.add_argument("file", metavar="FILE.csv")
    entries.add_argument(
        "--dry-run", action="store_true", help="say what would be added and changed, write nothing"
    )
    entries.set_defaults(run=cmd_import_entries)

    judges = commands.add_parser("import-judges", help="add the judges of a CSV file")
    judges.add_argument("db", metavar="DB")
    judges.add_argument("file", metavar="FILE.csv")
    judges.add_argument(
        "--dry-run", action="store_true", help="say what would be added and changed, write nothing"
    )
    judges.set_defaults(run=cmd_import_judges)

    assign = commands.add_parser("assign", help="assign judges to entries, fairly, no conflicts")
    assign.add_argument("db", metavar="DB")
    assign.add_argument("--per-entry", type=int, default=3, metavar="K")
    assign.add_argument(
        "--by-country", action="store_true", help="a judge from an entry's country is in conflict"
    )
    assign.add_argument(
        "--by-track", action="store_true", help="judges with tracks listed stay in those tracks"
    )
    assign.add_argument(
        "--adaptive",
        type=int,
        metavar="START",
        help="adaptive judging: after the first START entries of their list, send each judge "
        "where the prizes are still in doubt",
    )
    assign.set_defaults(run=cmd_assign)

    export = commands.add_parser("export", help="every score sheet, as CSV or JSON")
    export.add_argument("db", metavar="DB")
    export.add_argument("--format", choices=exporting.FORMATS, default="csv")
    export.set_defaults(run=cmd_export)

    rubric_command = commands.add_parser("rubric", help="print the rubric as TOML, or set it")
    rubric_command.add_argument("db", metavar="DB")
    rubric_command.add_argument("--set", metavar="FILE.toml", help="replace it from this file")
    rubric_command.set_defaults(run=cmd_rubric)

    cards = commands.add_parser("cards", help="printable judge cards with QR codes")
    cards.add_argument("db", metavar="DB")
    cards.add_argument("--base-url", required=True, metavar="URL", help="the public address")
    cards.add_argument("--out", metavar="FILE.html")
    cards.set_defaults(run=cmd_cards)

    final = commands.add_parser("results", help="the final results, with award places")
    final.add_argument("db", metavar="DB")
    final.add_argument("--format", choices=results.FORMATS, default="json")
    final.set_defaults(run=cmd_results)

    listed = commands.add_parser("methods", help="list the installed scoring methods")
    listed.set_defaults(run=cmd_methods)

    ranking = commands.add_parser("rank", help="the ranking, as the leaderboard computes it")
    ranking.add_argument("db", metavar="DB")
    ranking.add_argument("--method", metavar="NAME", help="another installed method")
    ranking.add_argument("--track", metavar="SLUG")
    ranking.add_argument("--format", choices=["table", "csv", "json"], default="table")
    ranking.set_defaults(run=cmd_rank)

    admin = commands.add_parser("admin", help="organizer accounts")
    admin_commands = admin.add_subparsers(dest="admin_command", required=True, metavar="ACTION")
    admin_add = admin_commands.add_parser("add", help="add an organizer and print its password")
    admin_add.add_argument("db", metavar="DB")
    admin_add.add_argument("name", metavar="NAME")
    admin_add.set_defaults(run=cmd_admin_add)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        args.run(args)
    except ShowcaseError as error:
        print(f"showcase: {error.message}", file=sys.stderr)
        return 1
    except (OSError, sqlite3.Error) as error:
        print(f"showcase: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
