"""The schema, as an append-only list of (name, sql). Never edit a migration that has shipped."""

INITIAL = """
CREATE TABLE migration (
    number     INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE event (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    name           TEXT NOT NULL,
    method         TEXT NOT NULL DEFAULT 'mean',
    method_params  TEXT NOT NULL DEFAULT '{}',
    judging_open   INTEGER NOT NULL DEFAULT 0 CHECK (judging_open IN (0, 1)),
    visibility     TEXT NOT NULL DEFAULT 'hidden'
                   CHECK (visibility IN ('hidden', 'live', 'frozen', 'final')),
    frozen_board   TEXT,
    reveal_step    INTEGER NOT NULL DEFAULT 0,
    board_version  INTEGER NOT NULL DEFAULT 1,
    link_key       BLOB NOT NULL,
    session_key    BLOB NOT NULL,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE track (
    id       INTEGER PRIMARY KEY,
    slug     TEXT NOT NULL UNIQUE,
    name     TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE criterion (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    weight      REAL NOT NULL CHECK (weight > 0),
    min         REAL NOT NULL,
    max         REAL NOT NULL,
    step        REAL NOT NULL DEFAULT 1 CHECK (step > 0),
    position    INTEGER NOT NULL DEFAULT 0,
    CHECK (max > min)
);

CREATE TABLE criterion_level (
    criterion_id INTEGER NOT NULL REFERENCES criterion (id) ON DELETE CASCADE,
    value        REAL NOT NULL,
    label        TEXT NOT NULL,
    PRIMARY KEY (criterion_id, value)
);

CREATE TABLE entry (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    team        TEXT NOT NULL,
    track_id    INTEGER NOT NULL REFERENCES track (id),
    description TEXT NOT NULL DEFAULT '',
    members     TEXT NOT NULL DEFAULT '',
    affiliation TEXT NOT NULL DEFAULT '',
    country     TEXT NOT NULL DEFAULT '',
    table_label TEXT NOT NULL DEFAULT '',
    repo_url    TEXT NOT NULL DEFAULT '',
    video_url   TEXT NOT NULL DEFAULT '',
    demo_url    TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX entry_track ON entry (track_id);

CREATE TABLE judge (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE,
    email            TEXT NOT NULL DEFAULT '',
    affiliation      TEXT NOT NULL DEFAULT '',
    country          TEXT NOT NULL DEFAULT '',
    token_hash       BLOB NOT NULL UNIQUE,
    token_generation INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE organizer (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE admin_token (
    id         INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    revoked_at TEXT
);

CREATE TABLE assignment (
    judge_id   INTEGER NOT NULL REFERENCES judge (id) ON DELETE CASCADE,
    entry_id   INTEGER NOT NULL REFERENCES entry (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (judge_id, entry_id)
);
CREATE INDEX assignment_entry ON assignment (entry_id);

CREATE TABLE conflict (
    judge_id   INTEGER NOT NULL REFERENCES judge (id) ON DELETE CASCADE,
    entry_id   INTEGER NOT NULL REFERENCES entry (id) ON DELETE CASCADE,
    source     TEXT NOT NULL CHECK (source IN ('affiliation', 'declared', 'organizer')),
    reason     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (judge_id, entry_id)
);

CREATE TABLE sheet (
    id         INTEGER PRIMARY KEY,
    judge_id   INTEGER NOT NULL REFERENCES judge (id),
    entry_id   INTEGER NOT NULL REFERENCES entry (id),
    version    INTEGER NOT NULL CHECK (version >= 1),
    scores     TEXT NOT NULL,
    comment    TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (judge_id, entry_id)
);
CREATE INDEX sheet_entry ON sheet (entry_id);

CREATE TABLE sheet_version (
    sheet_id   INTEGER NOT NULL REFERENCES sheet (id),
    version    INTEGER NOT NULL,
    scores     TEXT NOT NULL,
    comment    TEXT NOT NULL DEFAULT '',
    saved_at   TEXT NOT NULL,
    PRIMARY KEY (sheet_id, version)
);

CREATE TABLE comparison (
    id         INTEGER PRIMARY KEY,
    judge_id   INTEGER NOT NULL REFERENCES judge (id),
    winner_id  INTEGER NOT NULL REFERENCES entry (id),
    loser_id   INTEGER NOT NULL REFERENCES entry (id),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    CHECK (winner_id <> loser_id)
);

CREATE TABLE idempotency (
    judge_id   INTEGER NOT NULL REFERENCES judge (id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    status     INTEGER NOT NULL,
    response   BLOB NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (judge_id, key)
);

CREATE TABLE audit (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
);
"""

# Logging out ends every session of that organizer (a copied cookie stops working). The final
# standings are computed once, when the board turns final, and every reveal step reads them. A
# hidden or frozen board shows the version and time of the change that hid or froze it, so
# nothing about it moves while sheets come in. The judges each entry should have, as the last
# assignment asked, tells the console which entries are still short of sheets.
SESSIONS_AND_FINAL = """
ALTER TABLE organizer ADD COLUMN session_generation INTEGER NOT NULL DEFAULT 1;
ALTER TABLE event ADD COLUMN final_board BLOB;
ALTER TABLE event ADD COLUMN shown_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE event ADD COLUMN shown_at TEXT NOT NULL DEFAULT '';
ALTER TABLE event ADD COLUMN judges_per_entry INTEGER NOT NULL DEFAULT 3;
"""

# A withdrawn entry leaves every queue and board; its sheets are kept. Times are shown in the
# event's own time zone. A criterion's texts come in every language the rubric gives (by
# language code, English in the plain columns as the fallback). An entry keeps what it was
# built with and its tags (the prizes it opted into on Devpost), each a comma-separated list. A
# deactivated judge's link stops working and assignment passes them by; their sheets stay. A
# judge's tracks (comma-separated names or slugs) keep them to those tracks when asked.
CONSOLE = """
ALTER TABLE entry ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1));
ALTER TABLE event ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE criterion ADD COLUMN name_i18n TEXT NOT NULL DEFAULT '{}';
ALTER TABLE criterion ADD COLUMN description_i18n TEXT NOT NULL DEFAULT '{}';
ALTER TABLE criterion_level ADD COLUMN label_i18n TEXT NOT NULL DEFAULT '{}';
ALTER TABLE entry ADD COLUMN built_with TEXT NOT NULL DEFAULT '';
ALTER TABLE entry ADD COLUMN tags TEXT NOT NULL DEFAULT '';
ALTER TABLE judge ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
ALTER TABLE judge ADD COLUMN tracks TEXT NOT NULL DEFAULT '';
"""

# The boards a freeze or a final keep are versioned apart from what the public was last shown:
# each reveal step shows a new version (so nothing live moves a final board), while the kept
# boards stay those of the visibility change.
KEPT_VERSION = """
ALTER TABLE event ADD COLUMN kept_version INTEGER NOT NULL DEFAULT 0;
UPDATE event SET kept_version = shown_version;
"""

# Adaptive judging: a judge walks the first `start_visits` entries of their list, then "Next"
# is chosen live. A visit chosen live keeps the moment it was chosen (NULL: on the fixed list).
ADAPTIVE = """
ALTER TABLE event ADD COLUMN adaptive INTEGER NOT NULL DEFAULT 0 CHECK (adaptive IN (0, 1));
ALTER TABLE event ADD COLUMN start_visits INTEGER NOT NULL DEFAULT 3 CHECK (start_visits >= 0);
ALTER TABLE assignment ADD COLUMN picked_at TEXT;
"""

MIGRATIONS: list[tuple[str, str]] = [
    ("initial", INITIAL),
    ("sessions_and_final", SESSIONS_AND_FINAL),
    ("console", CONSOLE),
    ("kept_version", KEPT_VERSION),
    ("adaptive", ADAPTIVE),
]
