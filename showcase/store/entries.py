"""Entries: adding them in bulk, listing and finding them."""

from collections.abc import Mapping

from showcase.db import Database, Row, Tx
from showcase.errors import Invalid, NotFound
from showcase.i18n import gettext as _
from showcase.models import Entry, NewEntry
from showcase.store.event import bump_board
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


def update_entry(tx: Tx, code: str, changes: Mapping[str, object]) -> None:
    """Changes the given fields of the entry; a `track` is a slug or a name (created if new)."""
    if "track" in changes:
        track_id = resolve_track(tx, str(changes["track"]))
        tx.execute("UPDATE entry SET track_id = ? WHERE code = ?", (track_id, code))
    for field, column in COLUMNS.items():
        if field in changes:
            tx.execute(f"UPDATE entry SET {column} = ? WHERE code = ?", (changes[field], code))


def edit_entry(tx: Tx, code: str, changes: Mapping[str, object]) -> None:
    """Changes the given fields (`track` by slug, which must exist)."""
    found = tx.fetchone("SELECT id FROM entry WHERE code = ?", (code,))
    if found is None:
        raise NotFound(_("no entry with the code %(code)s") % {"code": repr(code)})
    if "track" in changes:
        track = tx.fetchone("SELECT id FROM track WHERE slug = ?", (changes["track"],))
        if track is None:
            raise Invalid(
                _("track: there is no track %(track)s") % {"track": repr(changes["track"])}
            )
    update_entry(tx, code, changes)
    bump_board(tx)


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


def add_track(tx: Tx, name: str) -> None:
    """A new track (its slug made from its name), last in order."""
    name = name.strip()
    if not name or len(name) > 100:
        raise Invalid(_("a track's name must have 1 to 100 characters"))
    if tx.fetchone(
        "SELECT 1 FROM track WHERE slug = ? OR lower(name) = lower(?)", (slugify(name), name)
    ):
        raise Invalid(_("there is a track called %(name)s already") % {"name": repr(name)})
    resolve_track(tx, name)
    bump_board(tx)


def change_track(tx: Tx, slug: str, action: str, name: str) -> None:
    """Renames a track, moves it up or down the order, or removes it while it has no entry."""
    track = tx.fetchone("SELECT id, position FROM track WHERE slug = ?", (slug,))
    if track is None:
        raise NotFound(_("there is no track %(track)s") % {"track": repr(slug)})
    if action == "rename":
        name = name.strip()
        if not name or len(name) > 100:
            raise Invalid(_("a track's name must have 1 to 100 characters"))
        tx.execute("UPDATE track SET name = ? WHERE id = ?", (name, track["id"]))
    elif action in ("up", "down"):
        order = [row["id"] for row in tx.fetchall("SELECT id FROM track ORDER BY position, name")]
        here = order.index(track["id"])
        there = here - 1 if action == "up" else here + 1
        if 0 <= there < len(order):
            order[here], order[there] = order[there], order[here]
        tx.executemany(
            "UPDATE track SET position = ? WHERE id = ?",
            [(position, track_id) for position, track_id in enumerate(order)],
        )
    elif action == "remove":
        if tx.fetchone("SELECT 1 FROM entry WHERE track_id = ?", (track["id"],)):
            raise Invalid(
                _("track %(track)s still has entries: move or withdraw them first")
                % {"track": repr(slug)}
            )
        tx.execute("DELETE FROM track WHERE id = ?", (track["id"],))
    else:
        raise Invalid(_("unknown track action %(action)s") % {"action": repr(action)})
    bump_board(tx)


def resolve_track(tx: Tx, label: str) -> int:
    """The track a file names by slug, by name, or by a name that makes the same slug ("Climate
    action" is "Climate Action"); a new one is created."""
    slug = slugify(label)
    row = tx.fetchone(
        "SELECT id FROM track WHERE slug IN (?, ?) OR lower(name) = lower(?)", (label, slug, label)
    )
    if row is not None:
        return int(row["id"])
    if not slug:
        raise Invalid(
            _("track %(track)s needs letters or digits that can form its slug")
            % {"track": repr(label)}
        )
    return tx.execute(
        """
        INSERT INTO track (slug, name, position)
        VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM track))
        """,
        (slug, label),
    )


STAGE_COLUMNS = (
    "code, title, team, track, description, members, affiliation, country, table_label, "
    "repo_url, video_url, demo_url, built_with, tags"
)


def stage_entries(tx: Tx, rows: list[NewEntry]) -> None:
    """Puts entries to add on the stage, a temporary table of the writer's connection: a long
    import stages its rows a chunk at a time (saves get through between the chunks), then adds
    them all in one short transaction."""
    tx.execute(f"CREATE TEMP TABLE IF NOT EXISTS entry_stage ({STAGE_COLUMNS})")
    tx.executemany(
        f"INSERT INTO temp.entry_stage ({STAGE_COLUMNS}) VALUES ({', '.join('?' * 14)})",
        [
            (
                e.code,
                e.title,
                e.team,
                e.track,
                e.description,
                e.members,
                e.affiliation,
                e.country,
                e.table,
                e.repo_url,
                e.video_url,
                e.demo_url,
                e.built_with,
                e.tags,
            )
            for e in rows
        ],
    )


def clear_stage(tx: Tx) -> None:
    tx.execute("DROP TABLE IF EXISTS temp.entry_stage")


def add_staged_entries(tx: Tx, updates: Mapping[str, Mapping[str, str]]) -> int:
    """Adds every staged entry and changes, by code, the fields in `updates`: all or none. A
    code to add that is taken (here, or twice on the stage) is refused. Empties the stage."""
    tx.execute(f"CREATE TEMP TABLE IF NOT EXISTS entry_stage ({STAGE_COLUMNS})")
    twice = tx.fetchall(
        "SELECT code FROM temp.entry_stage GROUP BY code HAVING count(*) > 1 ORDER BY code"
    )
    if twice:
        codes = ", ".join(row[0] for row in twice)
        raise Invalid(_("entry code used more than once: %(codes)s") % {"codes": codes})
    taken = tx.fetchall(
        "SELECT code FROM temp.entry_stage WHERE code IN (SELECT code FROM entry) ORDER BY code"
    )
    if taken:
        codes = ", ".join(row[0] for row in taken)
        raise Invalid(_("entry code already exists: %(codes)s") % {"codes": codes})
    for code, fields in updates.items():
        update_entry(tx, code, fields)
    labels = [row[0] for row in tx.fetchall("SELECT DISTINCT track FROM temp.entry_stage")]
    tx.execute("CREATE TEMP TABLE IF NOT EXISTS track_stage (label TEXT PRIMARY KEY, id INTEGER)")
    tx.executemany(
        "INSERT OR REPLACE INTO temp.track_stage (label, id) VALUES (?, ?)",
        [(label, resolve_track(tx, label)) for label in labels],
    )
    count = tx.fetchone("SELECT count(*) FROM temp.entry_stage")
    tx.execute(
        """
        INSERT INTO entry (code, title, team, track_id, description, members, affiliation,
                           country, table_label, repo_url, video_url, demo_url, built_with, tags)
        SELECT s.code, s.title, s.team, t.id, s.description, s.members, s.affiliation,
               s.country, s.table_label, s.repo_url, s.video_url, s.demo_url, s.built_with, s.tags
        FROM temp.entry_stage AS s JOIN temp.track_stage AS t ON t.label = s.track
        ORDER BY s.rowid
        """
    )
    tx.execute("DELETE FROM temp.entry_stage")
    tx.execute("DELETE FROM temp.track_stage")
    bump_board(tx)
    return int(count[0] if count else 0) + len(updates)


def upsert_entries(tx: Tx, added: list[NewEntry], updates: Mapping[str, Mapping[str, str]]) -> int:
    """Adds `added` and changes, by code, the fields in `updates`, in one transaction: all or
    none. A code to add that is taken (here or twice in `added`) is refused."""
    stage_entries(tx, added)
    return add_staged_entries(tx, updates)
