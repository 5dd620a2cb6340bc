"""Entries: adding them in bulk, listing and finding them."""

from collections import Counter

from showcase.db import Database, Row, Tx
from showcase.errors import Invalid
from showcase.models import Entry, NewEntry
from showcase.store.event import audit, bump_board
from showcase.text import slugify

ENTRY_COLUMNS = """
    entry.code, entry.title, entry.team, track.slug AS track, track.name AS track_name,
    entry.description, entry.members, entry.affiliation, entry.country,
    entry.table_label AS "table", entry.repo_url, entry.video_url, entry.demo_url
"""


# The order a judge walks the hall in: by table label, read naturally (A2, A10, B1), entries
# without a table last. The one ordering of entries by table, everywhere.
WALKING_ORDER = """
    entry.table_label = '', natural_key(entry.table_label), natural_key(entry.code)
"""


def _entry(row: Row) -> Entry:
    return Entry(**dict(row))


async def list_entries(db: Database, track: str | None = None) -> list[Entry]:
    """Entries by track, each track in walking order."""
    rows = await db.fetchall(
        f"""
        SELECT {ENTRY_COLUMNS}
        FROM entry JOIN track ON track.id = entry.track_id
        WHERE :track IS NULL OR track.slug = :track
        ORDER BY track.position, {WALKING_ORDER}
        """,
        {"track": track},
    )
    return [_entry(row) for row in rows]


async def get_entry(db: Database, code: str) -> Entry | None:
    row = await db.fetchone(
        f"""
        SELECT {ENTRY_COLUMNS}
        FROM entry JOIN track ON track.id = entry.track_id
        WHERE entry.code = ?
        """,
        (code,),
    )
    return _entry(row) if row else None


async def resolve_track(tx: Tx, label: str) -> int:
    """The track a file names by slug or by name; a new one is created."""
    row = await tx.fetchone(
        "SELECT id FROM track WHERE slug = ? OR lower(name) = lower(?)", (label, label)
    )
    if row is not None:
        return int(row["id"])
    slug = slugify(label)
    if not slug:
        raise Invalid(f"track {label!r} needs letters or digits that can form its slug")
    return await tx.execute(
        """
        INSERT INTO track (slug, name, position)
        VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM track))
        """,
        (slug, label),
    )


async def add_entries(db: Database, entries: list[NewEntry], actor: str) -> int:
    """Adds every entry or none; a code already taken (here or in the file) is refused."""
    twice = sorted(code for code, n in Counter(e.code for e in entries).items() if n > 1)
    if twice:
        raise Invalid(f"entry code used more than once: {', '.join(twice)}")
    async with db.transaction() as tx:
        taken = await tx.fetchall(
            f"SELECT code FROM entry WHERE code IN ({','.join('?' * len(entries))})",
            [e.code for e in entries],
        )
        if taken:
            codes = ", ".join(sorted(row["code"] for row in taken))
            raise Invalid(f"entry code already exists: {codes}")
        for entry in entries:
            track_id = await resolve_track(tx, entry.track)
            await tx.execute(
                """
                INSERT INTO entry (code, title, team, track_id, description, members,
                                   affiliation, country, table_label, repo_url, video_url, demo_url)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                (
                    entry.code,
                    entry.title,
                    entry.team,
                    track_id,
                    entry.description,
                    entry.members,
                    entry.affiliation,
                    entry.country,
                    entry.table,
                    entry.repo_url,
                    entry.video_url,
                    entry.demo_url,
                ),
            )
        await bump_board(tx)
        await audit(tx, actor, "add_entries", count=len(entries))
    return len(entries)
