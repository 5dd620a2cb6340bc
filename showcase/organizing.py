"""What an organizer does (set-up, imports, assignment, visibility, credentials): each action
checked, then written in one transaction together with its audit row naming who did it."""

import secrets
from concurrent.futures import Executor
from typing import TYPE_CHECKING

import msgspec

from showcase import auth, store
from showcase.assigning import Plan, plan_event_assignment
from showcase.board import check_method
from showcase.db import Database
from showcase.errors import Invalid
from showcase.i18n import gettext as _
from showcase.import_plan import ImportPlan
from showcase.importing import plan_entry_import, plan_judge_import
from showcase.models import Entry, EntryPatch, NewEntry, NewJudge, RubricCriterion, Visibility
from showcase.reveal import reveal_step_to
from showcase.text import time_zone

if TYPE_CHECKING:
    from showcase.cache import Boards


async def create_event(
    db: Database,
    name: str,
    zone: str,
    criteria: list[RubricCriterion],
    method: str,
    actor: str,
) -> None:
    """A new event, with its first rubric and ranking method."""
    time_zone(zone)
    check_method(method, {})

    def create(act: store.Action) -> None:
        store.create_event(act.tx, name, zone)
        store.set_rubric(act.tx, criteria)
        store.set_method(act.tx, method, {})

    await store.recorded(db, actor, "create_event", create, name=name, time_zone=zone)


async def set_event_details(db: Database, name: str, zone: str, actor: str) -> None:
    """The event's name, and the time zone its pages show times in."""
    name = name.strip()
    zone = zone.strip()
    await store.recorded(
        db,
        actor,
        "set_event",
        lambda act: store.set_event_details(act.tx, name, zone),
        name=name,
        time_zone=zone,
    )


async def set_judging(db: Database, is_open: bool, actor: str) -> None:
    await store.recorded(
        db, actor, "set_judging", lambda act: store.set_judging(act.tx, is_open), open=is_open
    )


def check_start_visits(start_visits: int) -> None:
    if start_visits < 0:
        raise Invalid(_("the visits before adaptive judging starts cannot be negative"))


async def set_adaptive(db: Database, adaptive: bool, start_visits: int, actor: str) -> None:
    """Adaptive judging on or off; `start_visits`, the entries of each judge's list walked
    before "Next" is chosen live."""
    check_start_visits(start_visits)
    await store.recorded(
        db,
        actor,
        "set_adaptive",
        lambda act: store.set_adaptive(act.tx, adaptive, start_visits),
        adaptive=adaptive,
        start_visits=start_visits,
    )


async def set_visibility(
    db: Database, boards: "Boards", visibility: Visibility, actor: str
) -> None:
    """Hidden, live, frozen (the public keeps the boards of this moment, rank ranges and all)
    or final (the results are fixed now: computed once, stored, and read by every reveal
    step; refused while judging is open)."""
    kept = None
    if visibility in ("frozen", "final"):
        kept = msgspec.json.encode(await boards.snapshot(db))
    await store.recorded(
        db,
        actor,
        "set_visibility",
        lambda act: store.set_visibility(act.tx, visibility, kept),
        visibility=visibility,
    )


async def step_reveal(
    db: Database, boards: "Boards", step: int | None, actor: str, advance: str | None = None
) -> int:
    """Moves the final reveal to `step` rows shown (from the bottom), or `advance`s it by a
    row or to the next award place; always within the stored final standings."""
    step = await reveal_step_to(db, boards, step, advance)
    await store.recorded(
        db, actor, "reveal", lambda act: store.set_reveal_step(act.tx, step), step=step
    )
    return step


async def choose_method(db: Database, name: str, params: dict[str, float], actor: str) -> None:
    """Makes `name` the event's method, once it is known to be installed and to take `params`."""
    check_method(name, params)
    await store.recorded(
        db,
        actor,
        "set_method",
        lambda act: store.set_method(act.tx, name, params),
        method=name,
        params=params,
    )


async def set_rubric(db: Database, criteria: list[RubricCriterion], actor: str) -> None:
    """Replaces the rubric; once sheets are stored, only its wording may change."""
    keys = [c.key for c in criteria]
    await store.recorded(
        db, actor, "set_rubric", lambda act: store.set_rubric(act.tx, criteria), criteria=keys
    )


async def add_track(db: Database, name: str, actor: str) -> None:
    """A new track (its slug made from its name), last in order."""
    name = name.strip()
    await store.recorded(
        db, actor, "add_track", lambda act: store.add_track(act.tx, name), name=name
    )


async def change_track(db: Database, slug: str, action: str, name: str, actor: str) -> None:
    """Renames a track, moves it up or down the order, or removes it while it has no entry."""
    await store.recorded(
        db,
        actor,
        f"{action}_track",
        lambda act: store.change_track(act.tx, slug, action, name),
        track=slug,
        name=name,
    )


IMPORT_CHUNK = 2000  # rows a long import stages in one write


async def import_entries(
    db: Database, data: bytes, actor: str, dry_run: bool = False, pool: Executor | None = None
) -> ImportPlan:
    """Adds the file's new entries and updates the ones it names by code (creating the tracks
    it names), all or none; with `dry_run`, only says what it would do."""
    plan, added, updates = await plan_entry_import(db, data, pool)
    if not dry_run:
        detail = {"added": len(added), "changed": len(updates)}
        if len(added) > IMPORT_CHUNK:  # a long file: staged a chunk at a time, saves between
            try:
                for start in range(0, len(added), IMPORT_CHUNK):
                    chunk = added[start : start + IMPORT_CHUNK]
                    await db.write(lambda tx, rows=chunk: store.stage_entries(tx, rows))
                await store.recorded(
                    db,
                    actor,
                    "import_entries",
                    lambda act: store.add_staged_entries(act.tx, updates),
                    **detail,
                )
            finally:
                await db.write(store.clear_stage)
            return plan
        await store.recorded(
            db,
            actor,
            "import_entries",
            lambda act: store.upsert_entries(act.tx, added, updates),
            **detail,
        )
    return plan


async def add_entries(db: Database, entries: list[NewEntry], actor: str) -> None:
    """Adds every entry or none; a code already taken (here or twice in `entries`) is refused."""
    codes = [entry.code for entry in entries]
    await store.recorded(
        db,
        actor,
        "add_entries",
        lambda act: store.upsert_entries(act.tx, entries, {}),
        entries=codes,
    )


async def import_judges(db: Database, data: bytes, actor: str, dry_run: bool = False) -> ImportPlan:
    """Adds the file's new judges (each with a fresh login link) and updates the ones it names,
    all or none; with `dry_run`, only says what it would do."""
    plan, added, updates = await plan_judge_import(db, data)
    if not dry_run:
        hasher = auth.judge_token_hasher(await store.get_link_key(db))
        detail = {"added": len(added), "changed": len(updates)}
        await store.recorded(
            db,
            actor,
            "import_judges",
            lambda act: store.upsert_judges(act.tx, added, updates, hasher),
            **detail,
        )
    return plan


async def add_judges(db: Database, judges: list[NewJudge], actor: str) -> list[int]:
    """Adds every judge or none, each with a login link; their ids, in order."""
    hasher = auth.judge_token_hasher(await store.get_link_key(db))
    names = [judge.name for judge in judges]
    return await store.recorded(
        db,
        actor,
        "add_judges",
        lambda act: store.upsert_judges(act.tx, judges, {}, hasher),
        judges=names,
    )


async def edit_entry(db: Database, code: str, patch: EntryPatch, actor: str) -> Entry:
    """Changes the fields the patch gives (`track` by slug, which must exist)."""
    changes = {
        field: value
        for field, value in msgspec.structs.asdict(patch).items()
        if value is not msgspec.UNSET
    }
    await store.recorded(
        db,
        actor,
        "edit_entry",
        lambda act: store.edit_entry(act.tx, code, changes),
        entry=code,
        **changes,
    )
    entry = await store.get_entry(db, code)
    assert entry is not None
    return entry


async def edit_judge(db: Database, judge_id: int, changes: dict[str, object], actor: str) -> None:
    """Changes a judge's name, email, affiliation, country or tracks, or (`active`) deactivates
    them: their link stops working and assignment passes them by."""
    await store.recorded(
        db,
        actor,
        "edit_judge",
        lambda act: store.edit_judge(act.tx, judge_id, changes),
        judge=judge_id,
        **changes,
    )


async def rotate_judge_link(db: Database, name: str, actor: str) -> int:
    """Gives the judge a new link (the old one stops working); returns the judge's id."""
    hasher = auth.judge_token_hasher(await store.get_link_key(db))

    def rotate(act: store.Action) -> int:
        act.detail["judge"] = store.rotate_judge_token(act.tx, name, hasher)
        return int(act.detail["judge"])  # type: ignore[call-overload]

    return await store.recorded(db, actor, "rotate_judge_token", rotate)


async def assign_judges(
    db: Database, per_entry: int, actor: str, by_country: bool = False, by_track: bool = False
) -> Plan:
    """Tops every entry up to `per_entry` judges (keeping the assignments made already), never
    pairing a judge with an entry of the same affiliation or a declared conflict."""
    plan = await plan_event_assignment(db, per_entry, by_country, by_track)
    await assign_visits(db, plan.pairs, plan.conflicts, per_entry, actor)
    return plan


async def assign_visits(
    db: Database,
    pairs: list[tuple[int, str]],
    conflicts: list[tuple[int, str, str]],
    per_entry: int,
    actor: str,
) -> None:
    """Stores (judge id, entry code) visits and (judge id, entry code, reason) conflicts, and
    `per_entry`, the judges each entry should have."""
    detail = {"pairs": len(pairs), "per_entry": per_entry}
    await store.recorded(
        db, actor, "assign", lambda act: store.assign(act.tx, pairs, conflicts, per_entry), **detail
    )


async def set_visit(db: Database, judge_id: int, code: str, assigned: bool, actor: str) -> None:
    """Puts one entry in one judge's queue, or takes it out (their sheet for it, if any, is
    kept). A judge in conflict with the entry is never put there."""
    action = "assign_one" if assigned else "unassign_one"
    await store.recorded(
        db,
        actor,
        action,
        lambda act: store.set_visit(act.tx, judge_id, code, assigned),
        judge=judge_id,
        entry=code,
    )


async def seed_sheets(
    db: Database, sheets: list[tuple[int, str, dict[str, float], str]], actor: str
) -> None:
    """First sheets stored without the judging checks: for seeding a demo event only."""
    await store.recorded(
        db,
        actor,
        "seed_sheets",
        lambda act: store.save_sheets_unchecked(act.tx, sheets),
        count=len(sheets),
    )


async def add_organizer(db: Database, name: str, actor: str) -> str:
    """Creates an organizer account; returns its password, which is shown only this once."""
    name = name.strip()
    if not name or len(name) > 100:
        raise Invalid(_("an organizer's name must have 1 to 100 characters"))
    password = secrets.token_urlsafe(12)
    hashed = auth.hash_password(password)  # slow on purpose: not on the writer's thread
    await store.recorded(
        db, actor, "add_organizer", lambda act: store.add_organizer(act.tx, name, hashed), name=name
    )
    return password


async def issue_admin_token(db: Database, actor: str) -> str:
    """A new admin token for the API; only its hash is kept, so it is shown only this once."""
    token = auth.new_admin_token()

    def add(act: store.Action) -> None:
        act.detail["token"] = store.add_admin_token(act.tx, auth.token_hash(token))

    await store.recorded(db, actor, "add_admin_token", add)
    return token


async def log_out_everywhere(db: Database, organizer_id: int) -> None:
    """Every session cookie issued to this organizer so far stops working."""
    await store.recorded(
        db,
        f"organizer:{organizer_id}",
        "log_out",
        lambda act: store.end_organizer_sessions(act.tx, organizer_id),
    )
