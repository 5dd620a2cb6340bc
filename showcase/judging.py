"""A judge's work: the queue in walking order, where to go next (by the list, or where
adaptive judging sends them), and checked saves."""

from typing import NamedTuple

from showcase import rubric, store
from showcase.assigning import track_keys
from showcase.cache import Boards
from showcase.db import Database
from showcase.errors import Forbidden, NotFound
from showcase.i18n import gettext as _
from showcase.models import (
    Entry,
    Event,
    Judge,
    Queue,
    QueueEntry,
    QueueJudge,
    Recusal,
    SheetIn,
    SheetOut,
)
from showcase.store import QueueItem
from showcase.text import same_affiliation, slugify


async def queue(db: Database, judge: Judge) -> Queue:
    items = await store.list_queue(db, judge.id)
    return Queue(
        judge=QueueJudge(id=judge.id, name=judge.name),
        entries=[QueueEntry(i.code, i.title, i.status, i.version) for i in items],
    )


class Assigned(NamedTuple):
    entry: Entry
    queue: list[QueueItem]  # the judge's whole queue, in walking order
    item: QueueItem  # the entry's place in it


async def assigned(db: Database, judge: Judge, code: str) -> Assigned:
    """The entry, with the judge's queue and its item there: NotFound for no such entry,
    Forbidden for one that is not theirs (or has been withdrawn). The guard of every read of
    a sheet."""
    entry = await store.get_entry(db, code)
    if entry is None:
        raise NotFound(_("no entry with the code %(code)s") % {"code": repr(code)})
    if entry.withdrawn:
        raise Forbidden(_("entry %(code)s has been withdrawn") % {"code": repr(code)})
    queue = await store.list_queue(db, judge.id)
    item = next((i for i in queue if i.code == code), None)
    if item is None:
        raise Forbidden(_("entry %(code)s is not assigned to you") % {"code": repr(code)})
    return Assigned(entry, queue, item)


def next_to_visit(items: list[QueueItem], after: str | None = None) -> QueueItem | None:
    """The next entry still to score in walking order after `after`, wrapping round."""
    codes = [item.code for item in items]
    start = codes.index(after) + 1 if after in codes else 0
    for item in items[start:] + items[:start]:
        if item.status == "todo" and item.code != after:
            return item
    return None


class NextStop(NamedTuple):
    item: QueueItem | None  # where the judge goes next; None when nothing is left
    queue: list[QueueItem]  # their whole queue, in walking order, the visit chosen included


async def next_visit(db: Database, boards: Boards, judge: Judge, event: Event) -> NextStop:
    """Where the judge goes next. On a fixed design, and in adaptive judging for the first
    `start_visits` sheets, the next entry of their list in walking order. After that, while
    judging is open, the entry adaptive judging sends them to (one they were sent to and have
    not scored yet, or a new one, which joins their queue); their list again when there is
    nowhere left to send them."""
    items = await store.list_queue(db, judge.id)
    listed = next_to_visit(items)
    if not (event.adaptive and event.judging_open):
        return NextStop(listed, items)
    sent = next((item for item in items if item.picked and item.status == "todo"), None)
    if sent is not None:
        return NextStop(sent, items)
    if listed is not None and sum(item.status == "done" for item in items) < event.start_visits:
        return NextStop(listed, items)
    code = await choose_entry(db, boards, judge)
    if code is None:
        return NextStop(listed, items)
    await store.recorded(
        db,
        f"judge:{judge.id}",
        "assign_next",
        lambda act: store.pick_visit(act.tx, judge.id, code),
        entry=code,
    )
    items = await store.list_queue(db, judge.id)
    return NextStop(next(item for item in items if item.code == code), items)


async def choose_entry(db: Database, boards: Boards, judge: Judge) -> str | None:
    """The entry whose next sheet does most to settle the prizes, for this judge: never one
    they are in conflict with (declared, or of their own affiliation), a withdrawn one, one
    outside their tracks (when they have any) or one they have scored; among the nearly best,
    the nearest to their last entry in walking order."""
    inputs, planner = await boards.planner(db)
    conflicts = {code for _judge, code in await store.list_conflict_pairs(db, judge.id)}
    tracks = track_keys(judge.tracks)
    candidates = [
        entry.code
        for entry in inputs.entries
        if entry.code not in conflicts
        and not same_affiliation(judge.affiliation, entry.affiliation)
        and (not tracks or tracks & {entry.track, slugify(entry.track_name)})
    ]
    place = {code: n for n, code in enumerate(await store.list_walk(db))}
    here = await store.get_last_visited(db, judge.id)
    distance = (
        {code: abs(place[code] - place[here]) for code in candidates} if here in place else None
    )
    pending = await store.count_pending_visits(db, judge.id)
    return planner.choose(str(judge.id), candidates, pending, distance)


async def save(db: Database, judge: Judge, code: str, sheet: SheetIn, key: str | None) -> SheetOut:
    """Checks the scores against the rubric, then stores the sheet (or replays `key`)."""

    def store_sheet(act: store.Action) -> SheetOut:  # checks and all, in one hop
        if store.entry_exists(act.tx, code):
            rubric.check_scores(store.read_criteria(act.tx), sheet.scores)
        saved, changed = store.save_sheet(act.tx, judge.id, code, sheet, key)
        act.detail["version"] = saved.version
        act.recorded = changed  # a save that repeats the stored sheet changes nothing
        return saved

    return await store.recorded(db, f"judge:{judge.id}", "save_sheet", store_sheet, entry=code)


async def recuse(db: Database, judge_id: int, code: str, reason: str) -> Recusal:
    """The judge declares a conflict with an entry of theirs; the same guard as a save."""
    reason = reason.strip()[:1000]
    await store.recorded(
        db,
        f"judge:{judge_id}",
        "declare_conflict",
        lambda act: store.declare_conflict(act.tx, judge_id, code, reason),
        entry=code,
    )
    return Recusal(code=code, status="recused", reason=reason)
