"""Entries and judges from CSV files (ours, or a Devpost export as it comes): all or nothing."""

import asyncio
import csv
import io
import re
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from typing import TypeVar

import msgspec

from showcase import store
from showcase.db import Database
from showcase.errors import Invalid
from showcase.i18n import current_language
from showcase.i18n import gettext as _
from showcase.import_plan import ImportPlan, plan_entries, plan_judges
from showcase.models import NewEntry, NewJudge
from showcase.text import slugify

T = TypeVar("T")
ENTRY_COLUMNS = list(NewEntry.__struct_fields__)
REQUIRED_ENTRY = ["code", "title", "team", "track"]
JUDGE_COLUMNS = list(NewJudge.__struct_fields__)
LIMITS = {"description": 5000, "members": 1000, "built_with": 1000, "tags": 1000}
# characters; every other field: 200. The CSV reader's own limit is raised far above these, so
# that an over-long cell is named by its line and column rather than by the reader's internals.
csv.field_size_limit(max(csv.field_size_limit(), 16 * 1024 * 1024))
URL_FIELDS = ("repo_url", "video_url", "demo_url")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
REPOSITORY_HOSTS = ("github.com", "gitlab.com", "bitbucket.org")

# A Devpost submissions export: its own column names. The track is a custom question, so any
# column whose name mentions a track will do.
DEVPOST_TITLE = "Project Title"
DEVPOST_FIELDS = (
    "members",
    "built_with",
    "tags",
    "code",
    "title",
    "team",
    "track",
    "description",
    "affiliation",
    "table",
    "repo_url",
    "video_url",
    "demo_url",
)
DEVPOST = {
    "url": "Submission Url",
    "status": "Project Status",
    "description": "About The Project",
    "links": '"Try it out" Links',
    "video_url": "Video Demo Link",
    "affiliation": "Team Colleges/Universities",
    "table": "Auto Assigned Table Number",
    "built_with": "Built With",
    "tags": "Opt-In Prizes",
}
# Team members, where the export lists them: the submitter, then each further member.
MEMBER_NAMES = re.compile(r"^(Submitter|Team Member \d+) (First|Last) Name$")


def members_of(cells: dict[str, str]) -> str:
    """The team's members as "First Last, ...", from the columns that name them."""
    people: dict[str, list[str]] = {}
    for column, value in cells.items():
        found = MEMBER_NAMES.match(column)
        if found and value:
            people.setdefault(found.group(1), []).append(value)
    return ", ".join(" ".join(parts) for parts in people.values())


def listed(cell: str) -> str:
    """A Devpost list cell ("flutter, firebase") as our comma-separated list."""
    return ", ".join(item.strip() for item in cell.split(",") if item.strip())


class Problem(msgspec.Struct, frozen=True):
    """One thing wrong with a file: where (line, column) and what."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("line %(line)d") % {"line": self.line}
        if self.column:
            where += ", " + _("column %(column)s") % {"column": repr(self.column)}
        return f"{where}: {self.message}"


class Row(msgspec.Struct, frozen=True):
    line: int  # where the record starts (a quoted cell may span lines)
    cells: dict[str, str]
    width: int  # how many cells the record has filled, counting to its last non-empty one


def refuse(problems: list[Problem], what: str) -> None:
    """Raises one error naming every problem (the first ones in the message, all in `extra`)."""
    if problems:
        shown = "; ".join(str(p) for p in problems[:5])
        if len(problems) > 5:
            shown += "; " + _("and %(count)d more") % {"count": len(problems) - 5}
        where = _("in the header") if what == "header" else _("in the file")
        message = _("nothing imported: %(count)d problem(s) %(where)s: %(shown)s")
        raise Invalid(
            message % {"count": len(problems), "where": where, "shown": shown},
            extra=[msgspec.to_builtins(p) for p in problems],
        )


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise Invalid(
            _("nothing imported: line %(line)d is not UTF-8 text; save the file as UTF-8 CSV")
            % {"line": line}
        ) from None


def rows(text: str) -> tuple[list[str], Iterator[Row]]:
    """The header (trimmed) and each non-blank record with the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader)]
        if len(header) == 1 and ";" in header[0]:
            raise Invalid(
                _(
                    "nothing imported: line 1 is one column with semicolons in it: the file "
                    "seems to use ; between columns. Save it as CSV with commas (in Excel: CSV "
                    "UTF-8)"
                )
            )
    except StopIteration:
        raise Invalid(_("nothing imported: the file is empty")) from None
    except csv.Error as error:
        raise Invalid(
            _("nothing imported: line %(line)d: %(problem)s") % {"line": 1, "problem": error}
        ) from None

    def records() -> Iterator[Row]:
        start = reader.line_num + 1
        try:
            for cells in reader:
                filled = [n for n, cell in enumerate(cells, start=1) if cell.strip()]
                if filled:
                    values = dict(zip(header, (cell.strip() for cell in cells), strict=False))
                    yield Row(start, values, filled[-1])
                start = reader.line_num + 1
        except csv.Error as error:
            raise Invalid(
                _("nothing imported: line %(line)d: %(problem)s")
                % {"line": start, "problem": error}
            ) from None

    return header, records()


def checked(
    row: Row,
    values: dict[str, str],
    required: list[str],
    width: int,
    source: dict[str, str] | None = None,
) -> list[Problem]:
    """Required cells filled, lengths within limits, links that are web addresses, no more
    cells than the header (`width`) has. `source` names the file's column behind a field, where
    the file names it otherwise."""

    def problem(name: str, message: str) -> Problem:
        return Problem(row.line, (source or {}).get(name, name), message)

    problems = [problem(name, _("is empty")) for name in required if not values.get(name)]
    if row.width > width:
        problems.append(
            Problem(
                row.line,
                "",
                _(
                    "has %(cells)d cells but the header names %(columns)d columns: a comma "
                    "inside a cell needs the cell in double quotes"
                )
                % {"cells": row.width, "columns": width},
            )
        )
    for name, value in values.items():
        limit = LIMITS.get(name, 200)
        if len(value) > limit:
            problems.append(
                problem(name, _("is longer than %(limit)d characters") % {"limit": limit})
            )
        if name in URL_FIELDS and value and not re.match(r"^https?://\S+$", value):
            problems.append(problem(name, _("is not a web address (http:// or https://)")))
    return list(dict.fromkeys(problems))  # two fields from one column: its problem once


def seen_before(lines: dict[str, int], key: str, row: Row, column: str) -> list[Problem]:
    """A problem if `key` (a code, a name) came on an earlier line; else notes this line."""
    if key in lines:
        message = _("%(key)s is also on line %(line)d") % {"key": repr(key), "line": lines[key]}
        return [Problem(row.line, column, message)]
    lines[key] = row.line
    return []


def accepted(items: list[T], problems: list[Problem], what: str) -> list[T]:
    """The file's items, once it has no problem and at least one item."""
    refuse(problems, "file")
    if not items:
        empty = {
            "entries": _("nothing imported: the file has no entries"),
            "judges": _("nothing imported: the file has no judges"),
        }
        raise Invalid(empty[what])
    return items


def from_devpost(row: Row, track_column: str) -> dict[str, str] | None:
    """Our fields from a Devpost row; None for a row that is not a submission (a draft)."""
    cells = row.cells
    status = cells.get(DEVPOST["status"], "Submitted")
    if status and not status.lower().startswith("submitted"):
        return None
    title = cells.get(DEVPOST_TITLE, "")
    url = cells.get(DEVPOST["url"], "").rstrip("/")
    links = re.findall(r"https?://[^\s,]+", cells.get(DEVPOST["links"], ""))
    repo = next((u for u in links if any(h in u for h in REPOSITORY_HOSTS)), "")
    demo = next((u for u in links if u != repo), "")
    return {
        "code": slugify(url.rsplit("/", 1)[-1] if url else title)[:32].strip("-"),
        "title": title,
        "team": title,  # a Devpost export names no team: the project stands for it
        "track": cells.get(track_column, ""),
        "description": cells.get(DEVPOST["description"], ""),
        "affiliation": cells.get(DEVPOST["affiliation"], ""),
        "table": cells.get(DEVPOST["table"], "") or cells.get("Table Number", ""),
        "members": members_of(cells),
        "built_with": listed(cells.get(DEVPOST["built_with"], "")),
        "tags": listed(cells.get(DEVPOST["tags"], "")),
        "repo_url": repo,
        "video_url": cells.get(DEVPOST["video_url"], ""),
        "demo_url": demo,
    }


class EntryFile(msgspec.Struct, frozen=True):
    """The entries of a file, and the fields its columns give (the others keep their values)."""

    entries: list[NewEntry]
    fields: frozenset[str]


def read_entries(data: bytes) -> list[NewEntry]:
    """Every entry of an entries CSV (our columns, or a Devpost export), or an Invalid that
    names every bad line and column."""
    return read_entry_file(data).entries


def read_entry_file(data: bytes) -> EntryFile:
    """The entries of a CSV file with the fields it gives, or an Invalid that names every bad
    line and column."""
    header, records = rows(decode(data))
    problems: list[Problem] = []
    source: dict[str, str] = {}
    convert: Callable[[Row], dict[str, str] | None]
    if DEVPOST_TITLE in header:
        tracks = [name for name in header if "track" in name.lower()]
        if not tracks:
            problem = Problem(1, "", _("a Devpost export needs a column that asks for the track"))
            refuse([problem], "header")
        source = {
            "code": DEVPOST["url"],
            "title": DEVPOST_TITLE,
            "team": DEVPOST_TITLE,
            "track": tracks[0],
            "repo_url": DEVPOST["links"],
            "demo_url": DEVPOST["links"],
            **{
                field: DEVPOST[field]
                for field in ("description", "affiliation", "video_url", "built_with", "tags")
            },
        }

        def convert(row: Row) -> dict[str, str] | None:
            return from_devpost(row, tracks[0])

        fields = frozenset(DEVPOST_FIELDS)
    else:
        missing = [name for name in REQUIRED_ENTRY if name not in header]
        refuse([Problem(1, name, _("column is missing")) for name in missing], "header")

        def convert(row: Row) -> dict[str, str] | None:
            return {k: v for k, v in row.cells.items() if k in ENTRY_COLUMNS}

        fields = frozenset(name for name in header if name in ENTRY_COLUMNS)

    entries: list[NewEntry] = []
    lines: dict[str, int] = {}
    for row in records:
        values = convert(row)
        if values is None:
            continue
        found = checked(row, values, REQUIRED_ENTRY, len(header), source)
        code = values.get("code", "")
        code_column = source.get("code", "code")
        if code and not CODE.match(code):
            found.append(
                Problem(
                    row.line, code_column, _("use up to 32 letters, digits, - or _ (no spaces)")
                )
            )
        found += seen_before(lines, code, row, code_column)
        problems += found
        if not found:
            entries.append(NewEntry(**values))
    return EntryFile(accepted(entries, problems, "entries"), fields)


class JudgeFile(msgspec.Struct, frozen=True):
    """The judges of a file, and the fields its columns give."""

    judges: list[NewJudge]
    fields: frozenset[str]


def read_judges(data: bytes) -> list[NewJudge]:
    """Every judge of a judges CSV (`name,email,affiliation,country`), or an Invalid that names
    every bad line and column."""
    return read_judge_file(data).judges


def read_judge_file(data: bytes) -> JudgeFile:
    """The judges of a CSV file with the fields it gives, or an Invalid that names every bad
    line and column."""
    header, records = rows(decode(data))
    refuse([Problem(1, "name", _("column is missing"))] if "name" not in header else [], "header")
    judges: list[NewJudge] = []
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    for row in records:
        values = {k: v for k, v in row.cells.items() if k in JUDGE_COLUMNS}
        found = checked(row, values, ["name"], len(header))
        email = values.get("email", "")
        if email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
            message = _("%(email)s is not an email address") % {"email": repr(email)}
            found.append(Problem(row.line, "email", message))
        found += seen_before(lines, values.get("name", "").casefold(), row, "name")
        problems += found
        if not found:
            judges.append(NewJudge(**values))
    fields = frozenset(name for name in header if name in JUDGE_COLUMNS)
    return JudgeFile(accepted(judges, problems, "judges"), fields)


def read_entry_file_in(language: str, data: bytes) -> EntryFile:
    """`read_entry_file` in a worker process, its messages in the asker's language."""
    current_language.set(language)
    return read_entry_file(data)


async def plan_entry_import(
    db: Database, data: bytes, pool: Executor | None = None
) -> tuple[ImportPlan, list[NewEntry], dict[str, dict[str, str]]]:
    """What an entries file would do to the event: the plan to show, the entries to add and
    the changes by code; or an Invalid that names every bad line and column. A long file is
    read in the worker process `pool` when there is one (in a thread otherwise), so that the
    server goes on answering saves meanwhile."""
    if pool is None:
        file = await asyncio.to_thread(read_entry_file, data)
    else:
        loop = asyncio.get_running_loop()
        file = await loop.run_in_executor(pool, read_entry_file_in, current_language.get(), data)
    stored = await store.list_entries(db, withdrawn=True)
    return await asyncio.to_thread(plan_entries, file.entries, file.fields, stored)


async def plan_judge_import(
    db: Database, data: bytes
) -> tuple[ImportPlan, list[NewJudge], dict[int, dict[str, str]]]:
    """What a judges file would do to the event: the plan to show, the judges to add and the
    changes by judge id; or an Invalid that names every bad line and column."""
    file = read_judge_file(data)
    return plan_judges(file.judges, file.fields, await store.list_judges(db))
