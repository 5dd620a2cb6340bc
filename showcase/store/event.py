"""The event row, its tracks and its rubric."""

import json
import secrets
from collections.abc import Callable
from typing import TypeVar

from showcase.db import Database, Row, Tx
from showcase.errors import Conflict, Invalid, NotFound
from showcase.i18n import gettext as _
from showcase.models import AuditRow, Criterion, Event, Level, RubricCriterion, Track, Visibility
from showcase.rubric import FALLBACK, allowed_values, check_rubric, in_language, meaning, texts
from showcase.text import time_zone

T = TypeVar("T")

BUMP_BOARD = """
UPDATE event
SET board_version = board_version + 1,
    updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE id = 1
"""  # to the millisecond: the moment of the change, stamped inside its transaction


def bump_board(tx: Tx) -> None:
    """Marks a change that the board must show."""
    tx.execute(BUMP_BOARD)
    tx.notify("board")


class Action:
    """An action under way: its write transaction, and the detail its audit row will carry
    (filled in as the action learns it). `recorded` is cleared by an action that turned out
    to change nothing, such as a save that repeats the stored sheet."""

    def __init__(self, tx: Tx, detail: dict[str, object]) -> None:
        self.tx = tx
        self.detail = detail
        self.recorded = True


async def recorded(
    db: Database, actor: str, action: str, work: Callable[[Action], T], **detail: object
) -> T:
    """One action: `work`'s writes and the action's audit row, committed together or not at
    all, in one hop of the writer's thread. The one way an audit row is written."""

    def act_and_record(tx: Tx) -> T:
        act = Action(tx, detail)
        result = work(act)
        if act.recorded:
            tx.execute(
                "INSERT INTO audit (actor, action, detail) VALUES (?, ?, ?)",
                (actor, action, json.dumps(act.detail, ensure_ascii=False, sort_keys=True)),
            )
        return result

    return await db.write(act_and_record)


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


def create_event(tx: Tx, name: str, time_zone: str = "UTC") -> None:
    tx.execute(
        """
        INSERT INTO event (id, name, time_zone, link_key, session_key)
        VALUES (1, ?, ?, ?, ?)
        """,
        (name, time_zone, secrets.token_bytes(32), secrets.token_bytes(32)),
    )


async def get_event(db: Database) -> Event:
    row = await db.fetchone(
        """
        SELECT name, method, method_params, judging_open, visibility, reveal_step,
               board_version, updated_at, shown_version, shown_at, judges_per_entry, time_zone,
               kept_version, adaptive, start_visits
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
        kept_version=row["kept_version"],
        shown_at=row["shown_at"],
        judges_per_entry=row["judges_per_entry"],
        time_zone=row["time_zone"],
        adaptive=bool(row["adaptive"]),
        start_visits=row["start_visits"],
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


def set_reveal_step(tx: Tx, step: int) -> None:
    tx.execute("UPDATE event SET reveal_step = ? WHERE id = 1", (step,))
    bump_board(tx)
    show_board(tx)


def show_board(tx: Tx) -> None:
    """Marks this change as the last the public saw: a hidden, frozen or final board carries
    its version and time, whatever changes live afterwards."""
    tx.execute("UPDATE event SET shown_version = board_version, shown_at = updated_at WHERE id = 1")


async def get_link_key(db: Database) -> bytes:
    return await _event_key(db, "link_key")


async def get_session_key(db: Database) -> bytes:
    return await _event_key(db, "session_key")


def set_visibility(tx: Tx, visibility: Visibility, kept: bytes | None = None) -> None:
    """Sets who sees what. `kept` is the boards of this moment: the snapshot the public sees
    while frozen, or the final standings every reveal step reads. Final only with judging
    closed (checked inside the transaction, as judging's reopening checks the board)."""
    if visibility == "final":
        row = tx.fetchone("SELECT judging_open FROM event WHERE id = 1")
        if row is not None and row[0]:
            raise Conflict(
                _("judging is still open: close judging before showing the final results")
            )
    tx.execute(
        """
        UPDATE event SET visibility = :visibility,
            frozen_board = CASE WHEN :visibility = 'frozen' THEN :kept END,
            final_board = CASE WHEN :visibility = 'final' THEN :kept END,
            reveal_step = 0
        WHERE id = 1
        """,
        {"visibility": visibility, "kept": kept},
    )
    bump_board(tx)
    show_board(tx)
    tx.execute("UPDATE event SET kept_version = board_version WHERE id = 1")


def set_event_details(tx: Tx, name: str, zone: str) -> None:
    """The event's name, and the time zone its pages show times in."""
    if not name or len(name) > 200:
        raise Invalid(_("the event's name must have 1 to 200 characters"))
    time_zone(zone)
    tx.execute("UPDATE event SET name = ?, time_zone = ? WHERE id = 1", (name, zone))
    bump_board(tx)


def set_judging(tx: Tx, is_open: bool) -> None:
    if is_open:
        row = tx.fetchone("SELECT visibility FROM event WHERE id = 1")
        if row is not None and row[0] == "final":
            raise Conflict(
                _("the board is final: leave the final results before reopening judging")
            )
    tx.execute("UPDATE event SET judging_open = ? WHERE id = 1", (int(is_open),))


async def list_tracks(db: Database) -> list[Track]:
    rows = await db.fetchall("SELECT slug, name FROM track ORDER BY position, name")
    return [Track(slug=row["slug"], name=row["name"]) for row in rows]


def stored_texts(english: str, others: str) -> dict[str, str]:
    """A text by language as stored: English in its column, the languages in JSON beside it."""
    return {FALLBACK: english, **json.loads(others)}


CRITERIA = """
SELECT key, name, description, weight, min, max, step, name_i18n, description_i18n
FROM criterion ORDER BY position, key
"""


async def list_criteria(db: Database, language: str = FALLBACK) -> list[Criterion]:
    """The rubric's criteria in display order, their texts in `language` (else English)."""
    return criteria_of(await db.fetchall(CRITERIA), language)


def read_criteria(tx: Tx) -> list[Criterion]:
    """The rubric's criteria, read inside a write (a save checks its scores against them)."""
    return criteria_of(tx.fetchall(CRITERIA), FALLBACK)


def text_in(row: Row, column: str, language: str) -> str:
    """A stored text in `language`, else English. English is the plain column: no JSON to
    read for it (a save checks its scores against the criteria)."""
    if language == FALLBACK:
        return str(row[column])
    return in_language(stored_texts(row[column], row[f"{column}_i18n"]), language)


def criteria_of(rows: list[Row], language: str) -> list[Criterion]:
    return [
        Criterion(
            key=row["key"],
            name=text_in(row, "name", language),
            description=text_in(row, "description", language),
            weight=row["weight"],
            min=row["min"],
            max=row["max"],
            step=row["step"],
        )
        for row in rows
    ]


async def list_levels(db: Database, language: str = FALLBACK) -> dict[str, list[Level]]:
    """Each criterion's labelled levels, lowest first, by criterion key, in `language`."""
    rows = await db.fetchall(
        """
        SELECT criterion.key, criterion_level.value, criterion_level.label,
               criterion_level.label_i18n
        FROM criterion_level JOIN criterion ON criterion.id = criterion_level.criterion_id
        ORDER BY criterion.position, criterion_level.value
        """
    )
    levels: dict[str, list[Level]] = {}
    for row in rows:
        label = in_language(stored_texts(row["label"], row["label_i18n"]), language)
        levels.setdefault(row["key"], []).append(Level(value=row["value"], label=label))
    return levels


async def get_rubric(db: Database) -> list[RubricCriterion]:
    """The rubric as its file gives it: every text in every language it has."""
    rows = await db.fetchall(
        """
        SELECT id, key, name, description, weight, min, max, step, name_i18n, description_i18n
        FROM criterion ORDER BY position, key
        """
    )
    levels = await db.fetchall(
        "SELECT criterion_id, label, label_i18n FROM criterion_level ORDER BY value"
    )
    rubric = []
    for row in rows:
        labels: dict[str, list[str]] = {}
        for level in (level for level in levels if level["criterion_id"] == row["id"]):
            for language, label in {
                FALLBACK: level["label"],
                **json.loads(level["label_i18n"]),
            }.items():
                labels.setdefault(language, []).append(label)
        name = stored_texts(row["name"], row["name_i18n"])
        description = stored_texts(row["description"], row["description_i18n"])
        rubric.append(
            RubricCriterion(
                key=row["key"],
                name=name if len(name) > 1 else row["name"],
                description=description if len(description) > 1 else row["description"],
                weight=row["weight"],
                min=row["min"],
                max=row["max"],
                step=row["step"],
                labels={k: v for k, v in labels.items() if any(v)},
            )
        )
    return rubric


def set_rubric(tx: Tx, criteria: list[RubricCriterion]) -> None:
    """Replaces the rubric. Once sheets are stored, only its wording may change: a change of
    keys, weights, ranges or steps would change what the stored sheets mean, and is refused."""
    check_rubric(criteria)
    sheets = tx.fetchone("SELECT count(*) FROM sheet")
    stored = tx.fetchall("SELECT key, weight, min, max, step FROM criterion")
    was = sorted((r[0], r[1], r[2], r[3], r[4]) for r in stored)
    if sheets and sheets[0] and meaning(criteria) != was:
        raise Invalid(
            _(
                "%(count)d stored sheet(s) were scored under the current rubric: its keys, "
                "weights, ranges and steps cannot change now (names, descriptions and labels can)"
            )
            % {"count": sheets[0]}
        )
    tx.execute("DELETE FROM criterion")
    for position, criterion in enumerate(criteria):
        name, description = texts(criterion.name), texts(criterion.description)
        criterion_id = tx.execute(
            """
            INSERT INTO criterion (key, name, description, weight, min, max, step, position,
                                   name_i18n, description_i18n)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            (
                criterion.key,
                name[FALLBACK],
                description.get(FALLBACK, ""),
                criterion.weight,
                criterion.min,
                criterion.max,
                criterion.step,
                position,
                json.dumps(name, ensure_ascii=False),
                json.dumps(description, ensure_ascii=False),
            ),
        )
        values = allowed_values(criterion)
        tx.executemany(
            """
            INSERT INTO criterion_level (criterion_id, value, label, label_i18n)
            VALUES (?, ?, ?, ?)
            """,
            [
                (
                    criterion_id,
                    value,
                    criterion.labels.get(FALLBACK, [""] * len(values))[n],
                    json.dumps(
                        {lang: labels[n] for lang, labels in criterion.labels.items()},
                        ensure_ascii=False,
                    ),
                )
                for n, value in enumerate(values)
            ],
        )
    bump_board(tx)


def set_method(tx: Tx, name: str, params: dict[str, float]) -> None:
    """The event's ranking method; the caller checks that it exists and takes these params."""
    tx.execute(
        "UPDATE event SET method = ?, method_params = ? WHERE id = 1",
        (name, json.dumps(params, sort_keys=True)),
    )
    bump_board(tx)
