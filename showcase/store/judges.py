"""Judges and their login tokens, admin tokens, assignments and conflicts."""

import secrets
from collections.abc import Callable, Mapping

import msgspec

from showcase.db import Database, Row, Tx
from showcase.errors import Invalid, NotFound
from showcase.i18n import gettext as _
from showcase.models import Judge, NewJudge

JUDGES_TOPIC = "judges"  # notified by every change to a judge or their link
JUDGE_COLUMNS = "id, name, email, affiliation, country, tracks, active = 1 AS active"

TokenHash = Callable[[int, int], bytes]


JUDGE_FIELDS = (
    "name",
    "email",
    "affiliation",
    "country",
    "tracks",
)  # columns: constants, never input


def upsert_judges(
    tx: Tx, judges: list[NewJudge], updates: Mapping[int, Mapping[str, str]], token_hash: TokenHash
) -> list[int]:
    """Adds `judges` (each with the login token `token_hash(id, generation)`) and changes, by
    judge id, the fields in `updates`, in one transaction: all or none."""
    tx.notify(JUDGES_TOPIC)
    names = [judge.name for judge in judges]
    if len(set(names)) != len(names):
        raise Invalid(_("a judge name is used more than once"))
    for judge_id, fields in updates.items():
        for field in JUDGE_FIELDS:
            if field in fields:
                tx.execute(f"UPDATE judge SET {field} = ? WHERE id = ?", (fields[field], judge_id))
    ids = []
    for judge in judges:
        if tx.fetchone("SELECT 1 FROM judge WHERE name = ?", (judge.name,)):
            raise Invalid(_("judge %(name)s already exists") % {"name": repr(judge.name)})
        judge_id = tx.execute(
            """
            INSERT INTO judge (name, email, affiliation, country, tracks, token_hash)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
            (
                judge.name,
                judge.email,
                judge.affiliation,
                judge.country,
                judge.tracks,
                secrets.token_bytes(32),
            ),
        )
        tx.execute(
            "UPDATE judge SET token_hash = ? WHERE id = ?", (token_hash(judge_id, 1), judge_id)
        )
        ids.append(judge_id)
    return ids


def _judge(row: Row) -> Judge:
    return msgspec.convert({**dict(row), "active": bool(row["active"])}, Judge)


async def list_judges(db: Database, inactive: bool = False) -> list[Judge]:
    """The judges, the deactivated ones only if asked."""
    rows = await db.fetchall(
        f"SELECT {JUDGE_COLUMNS} FROM judge WHERE active OR ? ORDER BY id", (inactive,)
    )
    return [_judge(row) for row in rows]


async def get_judge(db: Database, judge_id: int) -> Judge | None:
    row = await db.fetchone(f"SELECT {JUDGE_COLUMNS} FROM judge WHERE id = ?", (judge_id,))
    return _judge(row) if row else None


def edit_judge(tx: Tx, judge_id: int, changes: Mapping[str, object]) -> None:
    """Changes a judge's name, email, affiliation or country, or (`active`) deactivates them:
    their link stops working and assignment passes them by."""
    if tx.fetchone("SELECT 1 FROM judge WHERE id = ?", (judge_id,)) is None:
        raise NotFound(_("no judge with the id %(id)s") % {"id": judge_id})
    tx.notify(JUDGES_TOPIC)
    name = changes.get("name")
    if name is not None and tx.fetchone(
        "SELECT 1 FROM judge WHERE name = ? AND id <> ?", (name, judge_id)
    ):
        raise Invalid(_("there is a judge named %(name)s already") % {"name": repr(name)})
    for field in (*JUDGE_FIELDS, "active"):  # the columns are constants, never input
        if field in changes:
            tx.execute(f"UPDATE judge SET {field} = ? WHERE id = ?", (changes[field], judge_id))


async def list_judge_generations(db: Database) -> dict[int, int]:
    """Each judge's current token generation, by judge id."""
    rows = await db.fetchall("SELECT id, token_generation FROM judge")
    return {row["id"]: row["token_generation"] for row in rows}


async def find_judge_by_token(db: Database, token_hash: bytes) -> tuple[Judge, int] | None:
    """The judge whose current token has this hash, with the token's generation."""
    row = await db.fetchone(
        f"SELECT {JUDGE_COLUMNS}, token_generation FROM judge WHERE token_hash = ?",
        (token_hash,),
    )
    if row is None:
        return None
    if not row["active"]:
        return None
    return _judge(row), int(row["token_generation"])


async def find_active_judge(db: Database, judge_id: int) -> tuple[Judge, int] | None:
    """The judge, with their link's current generation; None for no such judge, or a
    deactivated one."""
    row = await db.fetchone(
        f"SELECT {JUDGE_COLUMNS}, token_generation FROM judge WHERE id = ? AND active",
        (judge_id,),
    )
    return (_judge(row), int(row["token_generation"])) if row else None


def rotate_judge_token(tx: Tx, name: str, token_hash: TokenHash) -> int:
    """Gives the judge a new token generation (ending the old link); returns the judge id."""
    row = tx.fetchone("SELECT id, token_generation FROM judge WHERE name = ?", (name,))
    if row is None:
        raise NotFound(_("no judge named %(name)s") % {"name": repr(name)})
    generation = row["token_generation"] + 1
    tx.notify(JUDGES_TOPIC)
    tx.execute(
        "UPDATE judge SET token_generation = ?, token_hash = ? WHERE id = ?",
        (generation, token_hash(row["id"], generation), row["id"]),
    )
    return int(row["id"])


def add_admin_token(tx: Tx, token_hash: bytes) -> int:
    return tx.execute("INSERT INTO admin_token (token_hash) VALUES (?)", (token_hash,))


async def find_admin_token(db: Database, token_hash: bytes) -> bool:
    row = await db.fetchone(
        "SELECT 1 FROM admin_token WHERE token_hash = ? AND revoked_at IS NULL", (token_hash,)
    )
    return row is not None


async def list_assignments(db: Database) -> dict[int, list[str]]:
    """Each judge's assigned entry codes, by judge id."""
    rows = await db.fetchall(
        """
        SELECT assignment.judge_id, entry.code
        FROM assignment JOIN entry ON entry.id = assignment.entry_id
        ORDER BY assignment.judge_id, entry.code
        """
    )
    assigned: dict[int, list[str]] = {}
    for row in rows:
        assigned.setdefault(row["judge_id"], []).append(row["code"])
    return assigned


def assign(
    tx: Tx, pairs: list[tuple[int, str]], conflicts: list[tuple[int, str, str]], per_entry: int
) -> int:
    """Stores (judge id, entry code) assignments and (judge id, entry code, reason) conflicts,
    and `per_entry`, the judges each entry should have."""
    tx.execute("UPDATE event SET judges_per_entry = ? WHERE id = 1", (per_entry,))
    tx.executemany(
        """
        INSERT OR IGNORE INTO conflict (judge_id, entry_id, source, reason)
        SELECT ?, id, 'affiliation', ? FROM entry WHERE code = ?
        """,
        [(judge_id, reason, code) for judge_id, code, reason in conflicts],
    )
    tx.executemany(
        """
        INSERT OR IGNORE INTO assignment (judge_id, entry_id)
        SELECT ?, id FROM entry WHERE code = ?
        """,
        pairs,
    )
    return len(pairs)


def set_visit(tx: Tx, judge_id: int, code: str, assigned: bool) -> None:
    """Puts one entry in one judge's queue, or takes it out (their sheet for it, if any, is
    kept). A judge in conflict with the entry is never put there."""
    entry = tx.fetchone("SELECT id FROM entry WHERE code = ?", (code,))
    if entry is None:
        raise NotFound(_("no entry with the code %(code)s") % {"code": repr(code)})
    if tx.fetchone("SELECT 1 FROM judge WHERE id = ? AND active", (judge_id,)) is None:
        raise NotFound(_("no active judge with the id %(id)s") % {"id": judge_id})
    if assigned:
        conflict = tx.fetchone(
            "SELECT reason FROM conflict WHERE judge_id = ? AND entry_id = ?",
            (judge_id, entry["id"]),
        )
        if conflict is not None:
            raise Invalid(
                _("this judge has a conflict with entry %(code)s: %(reason)s")
                % {"code": repr(code), "reason": conflict[0]}
            )
        tx.execute(
            "INSERT OR IGNORE INTO assignment (judge_id, entry_id) VALUES (?, ?)",
            (judge_id, entry["id"]),
        )
    else:
        tx.execute(
            "DELETE FROM assignment WHERE judge_id = ? AND entry_id = ?",
            (judge_id, entry["id"]),
        )


def add_organizer(tx: Tx, name: str, password_hash: str) -> int:
    if tx.fetchone("SELECT 1 FROM organizer WHERE name = ?", (name,)):
        raise Invalid(_("an organizer named %(name)s already exists") % {"name": repr(name)})
    organizer_id = tx.execute(
        "INSERT INTO organizer (name, password_hash) VALUES (?, ?)", (name, password_hash)
    )
    return organizer_id


async def find_organizer(db: Database, name: str) -> tuple[int, str] | None:
    """The organizer's id and password hash."""
    row = await db.fetchone("SELECT id, password_hash FROM organizer WHERE name = ?", (name,))
    return (int(row["id"]), row["password_hash"]) if row else None


async def get_organizer_name(db: Database, organizer_id: int, generation: int) -> str | None:
    """The organizer's name, while sessions of this generation have not been ended."""
    row = await db.fetchone(
        "SELECT name FROM organizer WHERE id = ? AND session_generation = ?",
        (organizer_id, generation),
    )
    return row["name"] if row else None


async def get_session_generation(db: Database, organizer_id: int) -> int:
    row = await db.fetchone(
        "SELECT session_generation FROM organizer WHERE id = ?", (organizer_id,)
    )
    if row is None:
        raise NotFound(f"no organizer with the id {organizer_id}")
    return int(row[0])


def end_organizer_sessions(tx: Tx, organizer_id: int) -> None:
    """Logs the organizer out everywhere: every session cookie issued so far stops working."""
    tx.execute(
        "UPDATE organizer SET session_generation = session_generation + 1 WHERE id = ?",
        (organizer_id,),
    )


async def list_conflict_pairs(db: Database, judge_id: int | None = None) -> list[tuple[int, str]]:
    """Every (judge id, entry code) in conflict, declared or derived from affiliations; only
    one judge's, given `judge_id`."""
    rows = await db.fetchall(
        """
        SELECT conflict.judge_id, entry.code
        FROM conflict JOIN entry ON entry.id = conflict.entry_id
        WHERE :judge IS NULL OR conflict.judge_id = :judge
        ORDER BY conflict.judge_id, entry.code
        """,
        {"judge": judge_id},
    )
    return [(row[0], row[1]) for row in rows]
