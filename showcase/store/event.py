"""The event row, its tracks and its rubric."""

import json
import secrets

import msgspec

from showcase.db import Database, Tx
from showcase.errors import Conflict, Invalid, NotFound
from showcase.models import AuditRow, Criterion, Event, Level, NewCriterion, Track, Visibility

BUMP_BOARD = """
UPDATE event
SET board_version = board_version + 1,
    updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE id = 1
"""  # to the millisecond: the moment of the change, stamped inside its transaction


async def bump_board(tx: Tx) -> None:
    """Marks a change that the board must show."""
    await tx.execute(BUMP_BOARD)
    tx.notify("board")


async def audit(tx: Tx, actor: str, action: str, **detail: object) -> None:
    await tx.execute(
        "INSERT INTO audit (actor, action, detail) VALUES (?, ?, ?)",
        (actor, action, json.dumps(detail, ensure_ascii=False, sort_keys=True)),
    )


async def list_audit(db: Database, limit: int = 1000) -> list[AuditRow]:
    """What happened, newest first: every organizer action, import, assignment, visibility and
    method change, recusal and save."""
    rows = await db.fetchall(
        "SELECT at, actor, action, detail FROM audit ORDER BY id DESC LIMIT ?", (limit,)
    )
    return [
        AuditRow(
            at=row["at"], actor=row["actor"], action=row["action"], detail=json.loads(row["detail"])
        )
        for row in rows
    ]


async def create_event(db: Database, name: str, time_zone: str = "UTC") -> None:
    async with db.transaction() as tx:
        await tx.execute(
            """
            INSERT INTO event (id, name, time_zone, link_key, session_key)
            VALUES (1, ?, ?, ?, ?)
            """,
            (name, time_zone, secrets.token_bytes(32), secrets.token_bytes(32)),
        )
        await audit(tx, "system", "create_event", name=name, time_zone=time_zone)


async def get_event(db: Database) -> Event:
    row = await db.fetchone(
        """
        SELECT name, method, method_params, judging_open, visibility, reveal_step,
               board_version, updated_at, shown_version, shown_at, judges_per_entry, time_zone
        FROM event WHERE id = 1
        """
    )
    if row is None:
        raise NotFound("this database holds no event: create one with `showcase init`")
    return Event(
        name=row["name"],
        method=row["method"],
        method_params=json.loads(row["method_params"]),
        judging_open=bool(row["judging_open"]),
        visibility=row["visibility"],
        reveal_step=row["reveal_step"],
        board_version=row["board_version"],
        updated_at=row["updated_at"],
        shown_version=row["shown_version"],
        shown_at=row["shown_at"],
        judges_per_entry=row["judges_per_entry"],
        time_zone=row["time_zone"],
    )


async def get_board_version(db: Database) -> int:
    """The board's version alone: a cheap check before anything is recomputed."""
    row = await db.fetchone("SELECT board_version FROM event WHERE id = 1")
    if row is None:
        raise NotFound("this database holds no event: create one with `showcase init`")
    return int(row[0])


async def _event_key(db: Database, column: str) -> bytes:
    row = await db.fetchone(f"SELECT {column} FROM event WHERE id = 1")  # column is a constant
    if row is None:
        raise NotFound("this database holds no event: create one with `showcase init`")
    return bytes(row[0])


async def get_kept_boards(db: Database) -> bytes | None:
    """The boards kept by the last visibility change: the freeze's snapshot while frozen, the
    final standings while final; None otherwise."""
    row = await db.fetchone(
        """
        SELECT CASE visibility WHEN 'frozen' THEN frozen_board WHEN 'final' THEN final_board END
        FROM event WHERE id = 1
        """
    )
    return None if row is None or row[0] is None else bytes(row[0])


async def set_reveal_step(db: Database, step: int, actor: str) -> None:
    async with db.transaction() as tx:
        await tx.execute("UPDATE event SET reveal_step = ? WHERE id = 1", (step,))
        await bump_board(tx)
        await audit(tx, actor, "reveal", step=step)


async def get_link_key(db: Database) -> bytes:
    return await _event_key(db, "link_key")


async def get_session_key(db: Database) -> bytes:
    return await _event_key(db, "session_key")


async def set_visibility(
    db: Database, visibility: Visibility, actor: str, kept: bytes | None = None
) -> None:
    """Sets who sees what. `kept` is the boards of this moment: the snapshot the public sees
    while frozen, or the final standings every reveal step reads. Final only with judging
    closed (checked inside the transaction, as judging's reopening checks the board)."""
    async with db.transaction() as tx:
        if visibility == "final":
            row = await tx.fetchone("SELECT judging_open FROM event WHERE id = 1")
            if row is not None and row[0]:
                raise Conflict(
                    "judging is still open: close judging before showing the final results"
                )
        await tx.execute(
            """
            UPDATE event SET visibility = :visibility,
                frozen_board = CASE WHEN :visibility = 'frozen' THEN :kept END,
                final_board = CASE WHEN :visibility = 'final' THEN :kept END,
                reveal_step = 0
            WHERE id = 1
            """,
            {"visibility": visibility, "kept": kept},
        )
        await bump_board(tx)
        await tx.execute(
            "UPDATE event SET shown_version = board_version, shown_at = updated_at WHERE id = 1"
        )
        await audit(tx, actor, "set_visibility", visibility=visibility)


async def set_judging(db: Database, is_open: bool, actor: str) -> None:
    async with db.transaction() as tx:
        if is_open:
            row = await tx.fetchone("SELECT visibility FROM event WHERE id = 1")
            if row is not None and row[0] == "final":
                raise Conflict(
                    "the board is final: leave the final results before reopening judging"
                )
        await tx.execute("UPDATE event SET judging_open = ? WHERE id = 1", (int(is_open),))
        await audit(tx, actor, "set_judging", open=is_open)


async def list_tracks(db: Database) -> list[Track]:
    rows = await db.fetchall("SELECT slug, name FROM track ORDER BY position, name")
    return [Track(slug=row["slug"], name=row["name"]) for row in rows]


async def list_criteria(db: Database) -> list[Criterion]:
    rows = await db.fetchall(
        """
        SELECT key, name, description, weight, min, max, step
        FROM criterion ORDER BY position, key
        """
    )
    return [msgspec.convert(dict(row), Criterion) for row in rows]


async def list_levels(db: Database) -> dict[str, list[Level]]:
    """Each criterion's labelled levels, lowest first, by criterion key."""
    rows = await db.fetchall(
        """
        SELECT criterion.key, criterion_level.value, criterion_level.label
        FROM criterion_level JOIN criterion ON criterion.id = criterion_level.criterion_id
        ORDER BY criterion.position, criterion_level.value
        """
    )
    levels: dict[str, list[Level]] = {}
    for row in rows:
        levels.setdefault(row["key"], []).append(Level(value=row["value"], label=row["label"]))
    return levels


async def set_rubric(db: Database, criteria: list[NewCriterion], actor: str) -> None:
    """Replaces the rubric; refused once any sheet has been stored."""
    if not criteria:
        raise Invalid("a rubric needs at least one criterion")
    for criterion in criteria:
        if criterion.max <= criterion.min:
            raise Invalid(f"criterion {criterion.key!r}: max must be greater than min")
    async with db.transaction() as tx:
        if await tx.fetchone("SELECT 1 FROM sheet LIMIT 1"):
            raise Invalid("the rubric cannot change once judges have stored sheets")
        await tx.execute("DELETE FROM criterion")
        for position, criterion in enumerate(criteria):
            criterion_id = await tx.execute(
                """
                INSERT INTO criterion (key, name, description, weight, min, max, step, position)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                (
                    criterion.key,
                    criterion.name,
                    criterion.description,
                    criterion.weight,
                    criterion.min,
                    criterion.max,
                    criterion.step,
                    position,
                ),
            )
            await tx.executemany(
                "INSERT INTO criterion_level (criterion_id, value, label) VALUES (?, ?, ?)",
                [(criterion_id, float(value), label) for value, label in criterion.levels.items()],
            )
        await bump_board(tx)
        await audit(tx, actor, "set_rubric", criteria=[c.key for c in criteria])


async def set_method(db: Database, name: str, params: dict[str, float], actor: str) -> None:
    """The event's ranking method; the caller checks that it exists and takes these params."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE event SET method = ?, method_params = ? WHERE id = 1",
            (name, json.dumps(params, sort_keys=True)),
        )
        await bump_board(tx)
        await audit(tx, actor, "set_method", method=name, params=params)
