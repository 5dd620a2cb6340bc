"""Entries: adding them in bulk, listing and finding them."""

from collections import Counter
from collections.abc import Mapping

import msgspec

from showcase.db import Database, Row, Tx
from showcase.errors import Invalid, NotFound
from showcase.models import Entry, EntryPatch, NewEntry
from showcase.store.event import audit, bump_board
from showcase.text import slugify

ENTRY_COLUMNS = """
    entry.code, entry.title, entry.team, track.slug AS track, track.name AS track_name,
    entry.description, entry.members, entry.affiliation, entry.country,
    entry.table_label AS "table", entry.repo_url, entry.video_url, entry.demo_url,
    entry.built_with, entry.tags, entry.withdrawn = 1 AS withdrawn
"""


# The order a judge walks the hall in: by table label, read naturally (A2, A10, B1), entries
# without a table last. The one ordering of entries by table, everywhere.
WALKING_ORDER = """
    entry.table_label = '', natural_key(entry.table_label), natural_key(entry.code)
"""


def _entry(row: Row) -> Entry:
    return Entry(**{**dict(row), "withdrawn": bool(row["withdrawn"])})


# An entry's field, and its column (the names are this module's constants, never input).
COLUMNS = {
    "title": "title",
    "team": "team",
    "description": "description",
    "members": "members",
    "affiliation": "affiliation",
    "country": "country",
    "table": "table_label",
    "repo_url": "repo_url",
    "video_url": "video_url",
    "demo_url": "demo_url",
    "built_with": "built_with",
    "tags": "tags",
    "withdrawn": "withdrawn",
}


async def update_entry(tx: Tx, code: str, changes: Mapping[str, object]) -> None:
    """Changes the given fields of the entry; a `track` is a slug or a name (created if new)."""
    if "track" in changes:
        track_id = await resolve_track(tx, str(changes["track"]))
        await tx.execute("UPDATE entry SET track_id = ? WHERE code = ?", (track_id, code))
    for field, column in COLUMNS.items():
        if field in changes:
            await tx.execute(
                f"UPDATE entry SET {column} = ? WHERE code = ?", (changes[field], code)
            )


async def edit_entry(db: Database, code: str, patch: EntryPatch, actor: str) -> Entry:
    """Changes the fields the patch gives (`track` by slug, which must exist)."""
    changes = {
        field: value
        for field, value in msgspec.structs.asdict(patch).items()
        if value is not msgspec.UNSET
    }
    async with db.transaction() as tx:
        found = await tx.fetchone("SELECT id FROM entry WHERE code = ?", (code,))
        if found is None:
            raise NotFound(f"no entry with the code {code!r}")
        if "track" in changes:
            track = await tx.fetchone("SELECT id FROM track WHERE slug = ?", (changes["track"],))
            if track is None:
                raise Invalid(f"track: there is no track {changes['track']!r}")
        await update_entry(tx, code, changes)
        await bump_board(tx)
        await audit(tx, actor, "edit_entry", entry=code, **changes)
    entry = await get_entry(db, code)
    assert entry is not None
    return entry


async def list_entries(
    db: Database, track: str | None = None, withdrawn: bool = False
) -> list[Entry]:
    """Entries by track, each track in walking order; the withdrawn ones only if asked."""
    rows = await db.fetchall(
        f"""
        SELECT {ENTRY_COLUMNS}
        FROM entry JOIN track ON track.id = entry.track_id
        WHERE (:track IS NULL OR track.slug = :track) AND (:withdrawn OR NOT entry.withdrawn)
        ORDER BY track.position, {WALKING_ORDER}
        """,
        {"track": track, "withdrawn": withdrawn},
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


async def add_track(db: Database, name: str, actor: str) -> None:
    """A new track (its slug made from its name), last in order."""
    name = name.strip()
    if not name or len(name) > 100:
        raise Invalid("a track's name must have 1 to 100 characters")
    async with db.transaction() as tx:
        if await tx.fetchone(
            "SELECT 1 FROM track WHERE slug = ? OR lower(name) = lower(?)", (slugify(name), name)
        ):
            raise Invalid(f"there is a track called {name!r} already")
        await resolve_track(tx, name)
        await bump_board(tx)
        await audit(tx, actor, "add_track", name=name)


async def change_track(db: Database, slug: str, action: str, name: str, actor: str) -> None:
    """Renames a track, moves it up or down the order, or removes it while it has no entry."""
    async with db.transaction() as tx:
        track = await tx.fetchone("SELECT id, position FROM track WHERE slug = ?", (slug,))
        if track is None:
            raise NotFound(f"there is no track {slug!r}")
        if action == "rename":
            name = name.strip()
            if not name or len(name) > 100:
                raise Invalid("a track's name must have 1 to 100 characters")
            await tx.execute("UPDATE track SET name = ? WHERE id = ?", (name, track["id"]))
        elif action in ("up", "down"):
            order = [
                row["id"]
                for row in await tx.fetchall("SELECT id FROM track ORDER BY position, name")
            ]
            here = order.index(track["id"])
            there = here - 1 if action == "up" else here + 1
            if 0 <= there < len(order):
                order[here], order[there] = order[there], order[here]
            await tx.executemany(
                "UPDATE track SET position = ? WHERE id = ?",
                [(position, track_id) for position, track_id in enumerate(order)],
            )
        elif action == "remove":
            if await tx.fetchone("SELECT 1 FROM entry WHERE track_id = ?", (track["id"],)):
                raise Invalid(f"track {slug!r} still has entries: move or withdraw them first")
            await tx.execute("DELETE FROM track WHERE id = ?", (track["id"],))
        else:
            raise Invalid(f"unknown track action {action!r}")
        await bump_board(tx)
        await audit(tx, actor, f"{action}_track", track=slug, name=name)


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
    return await upsert_entries(db, entries, {}, actor)


async def upsert_entries(
    db: Database, added: list[NewEntry], updates: dict[str, dict[str, str]], actor: str
) -> int:
    """Adds `added` and changes, by code, the fields in `updates`, in one transaction: all or
    none. A code to add that is taken (here or twice in `added`) is refused."""
    twice = sorted(code for code, n in Counter(e.code for e in added).items() if n > 1)
    if twice:
        raise Invalid(f"entry code used more than once: {', '.join(twice)}")
    async with db.transaction() as tx:
        taken = await tx.fetchall(
            f"SELECT code FROM entry WHERE code IN ({','.join('?' * len(added))})",
            [e.code for e in added],
        )
        if taken:
            codes = ", ".join(sorted(row["code"] for row in taken))
            raise Invalid(f"entry code already exists: {codes}")
        for code, fields in updates.items():
            await update_entry(tx, code, fields)
        for entry in added:
            track_id = await resolve_track(tx, entry.track)
            await tx.execute(
                """
                INSERT INTO entry (code, title, team, track_id, description, members,
                                   affiliation, country, table_label, repo_url, video_url, demo_url,
                                   built_with, tags)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
                    entry.built_with,
                    entry.tags,
                ),
            )
        await bump_board(tx)
        await audit(tx, actor, "import_entries", added=len(added), changed=len(updates))
    return len(added) + len(updates)
